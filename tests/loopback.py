"""Hostile servers for tests. A raw HTTP server on 127.0.0.1 sends exactly the bytes it is
told, at the pace it is told, so tests can trickle, stall, lie about encodings and sizes.

Each connection reads one request head and answers with ``respond(request_head, send)``;
``send(data)`` returns False once the client went away. The server picks a free port and stops
(closing every connection) when its ``with`` block ends. And the same through
`httpx.MockTransport` for a sync and an async client at once (`run_both_mocked`).
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

import httpx

from firecrawl_status import AsyncStatusClient, CrawlStream, StatusClient
from firecrawl_status.testing import FakeClock

Respond = Callable[[bytes, Callable[[bytes], bool]], None]


class Loopback:
    """Serves ``respond`` on a free loopback port; ``url`` is its base URL."""

    def __init__(self, respond: Respond) -> None:
        self._respond = respond
        self._listener = socket.create_server(("127.0.0.1", 0))
        self._listener.settimeout(0.05)
        self._stop = threading.Event()
        self._connections: list[socket.socket] = []
        self.heads: list[bytes] = []
        self.url = f"http://127.0.0.1:{self._listener.getsockname()[1]}"
        self._thread = threading.Thread(target=self._serve, daemon=True)

    def __enter__(self) -> Loopback:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(5)
        for connection in self._connections:
            with contextlib.suppress(OSError):
                connection.close()
        self._listener.close()

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                connection, _ = self._listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            self._connections.append(connection)
            threading.Thread(target=self._handle, args=(connection,), daemon=True).start()

    def _handle(self, connection: socket.socket) -> None:
        connection.settimeout(5)
        head = b""
        with contextlib.suppress(OSError):
            while b"\r\n\r\n" not in head:
                data = connection.recv(65536)
                if not data:
                    return
                head += data
            self.heads.append(head)

            def send(data: bytes) -> bool:
                if self._stop.is_set():
                    return False
                try:
                    connection.sendall(data)
                except OSError:
                    return False
                return True

            self._respond(head, send)
        with contextlib.suppress(OSError):
            connection.close()


def trickle(
    head: bytes, body: bytes, *, every: float, chunk: int = 1
) -> Callable[[bytes, Callable[[bytes], bool]], None]:
    """Send ``head`` at once, then ``body`` ``chunk`` bytes at a time, every ``every`` s."""

    def respond(_request: bytes, send: Callable[[bytes], bool]) -> None:
        if not send(head):
            return
        for start in range(0, len(body), chunk):
            time.sleep(every)
            if not send(body[start : start + chunk]):
                return

    return respond


def http_head(status: int, headers: dict[str, str], length: int | None) -> bytes:
    """A response head; ``length`` None leaves Content-Length out (the body ends on close)."""
    lines = [f"HTTP/1.1 {status} X"]
    lines += [f"{name}: {value}" for name, value in headers.items()]
    if length is not None:
        lines.append(f"Content-Length: {length}")
    lines.append("Connection: close")
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


@contextlib.contextmanager
def serving(respond: Respond) -> Iterator[Loopback]:
    """`Loopback` as a context manager function."""
    with Loopback(respond) as server:
        yield server


def streamed(status: int, body: bytes, headers: dict[str, str] | None = None) -> httpx.Response:
    """A mock answer whose body is not read when built (as from a socket): a body labelled
    gzip reaches the client as the raw bytes, and a bomb is not inflated by the test itself."""
    raw = [(name.encode(), value.encode()) for name, value in (headers or {}).items()]
    return httpx.Response(status, headers=raw, stream=httpx.ByteStream(body))


def run_both_mocked(
    make_handler: Callable[[], Callable[[httpx.Request], httpx.Response]],
    call: Callable[[Any], Any],
    **client_kwargs: Any,
) -> list[tuple[str, Any, FakeClock]]:
    """``call(client)`` on a sync and an async client, each answered by a fresh
    ``make_handler()`` through `httpx.MockTransport`, on a `FakeClock`; returns
    [(flavour, value or exception, clock)]."""
    results: list[tuple[str, Any, FakeClock]] = []
    for flavour in ("sync", "async"):
        clock = FakeClock()
        handler = make_handler()
        common: dict[str, Any] = {"base_url": "http://firecrawl.test", "clock": clock}
        common.update(client_kwargs)
        outcome: Any
        if flavour == "sync":
            http = httpx.Client(transport=httpx.MockTransport(handler))
            with StatusClient(http_client=http, **common) as client:
                try:
                    outcome = call(client)
                    if isinstance(outcome, CrawlStream):
                        outcome = list(outcome)
                except Exception as exc:
                    outcome = exc
        else:

            async def main(common: dict[str, Any], handler: Any) -> Any:
                http = httpx.AsyncClient(transport=httpx.MockTransport(handler))
                async with AsyncStatusClient(http_client=http, **common) as client:
                    try:
                        value = call(client)
                        if asyncio.iscoroutine(value):
                            return await value
                        return [item async for item in value]
                    except Exception as exc:
                        return exc

            outcome = asyncio.run(main(common, handler))
        results.append((flavour, outcome, clock))
    return results
