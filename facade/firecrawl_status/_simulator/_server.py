"""The simulator over real HTTP: a stdlib `ThreadingHTTPServer` in a daemon thread.

Each request thread calls `Simulator.handle`, so the answers are byte for byte those of the
in-process transport. Closing the server also shuts the kept-alive connections, so no request
thread outlives it.
"""

from __future__ import annotations

import contextlib
import socket
import socketserver
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ._core import Simulator

__all__ = ["SimulatorServer"]  # re-exported by firecrawl_status.testing


class _HTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    # socketserver's default backlog of 5 overflows with hundreds of concurrent pollers, and a
    # refused SYN is retried only after a second or more.
    request_queue_size = 1024

    def __init__(self, address: tuple[str, int], simulator: Simulator) -> None:
        self.simulator = simulator
        self.connections: set[socket.socket] = set()
        self.connections_lock = threading.Lock()
        super().__init__(address, _Handler)

    def server_bind(self) -> None:
        # HTTPServer.server_bind looks up the host's FQDN, which can stall on DNS; skip it.
        socketserver.TCPServer.server_bind(self)
        self.server_name, self.server_port = str(self.server_address[0]), self.server_address[1]


class _Handler(BaseHTTPRequestHandler):
    server: _HTTPServer
    protocol_version = "HTTP/1.1"  # keep-alive, as Express

    def setup(self) -> None:
        super().setup()
        # Headers and body go out in two writes; without this, Nagle's algorithm holds the
        # second back for the peer's delayed ACK, about 45 ms a request on loopback.
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        with self.server.connections_lock:
            self.server.connections.add(self.connection)

    def finish(self) -> None:
        with self.server.connections_lock:
            self.server.connections.discard(self.connection)
        super().finish()

    def _answer(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        if length:
            self.rfile.read(length)  # drained so the connection stays usable
        headers = dict(self.headers.items())
        answer = self.server.simulator.handle(self.command, self.path, headers)
        # send_response_only: no BaseHTTP Server/Date headers; the simulator's Date is its clock.
        self.send_response_only(answer.status)
        for name, value in answer.headers.items():
            self.send_header(name, value)
        self.end_headers()
        for chunk in answer.chunks():  # a streamed body is made while it is sent
            self.wfile.write(chunk)

    do_GET = do_HEAD = do_POST = do_PUT = do_PATCH = do_DELETE = do_OPTIONS = _answer

    def log_message(self, format: str, *args: object) -> None:
        """Silent: the simulator keeps its own request log."""


class SimulatorServer:
    """A `Simulator` served on a real socket until closed. Use it as a context manager.

    Made by `Simulator.serve`. Binds 127.0.0.1 on a free port unless told otherwise.

    Attributes:
        simulator: The simulator answering.
    """

    def __init__(self, simulator: Simulator, *, host: str = "127.0.0.1", port: int = 0) -> None:
        self.simulator = simulator
        self._httpd = _HTTPServer((host, port), simulator)
        bound_host, bound_port = self._httpd.socket.getsockname()[:2]
        self._base_url = f"http://{bound_host}:{bound_port}"
        self._thread = threading.Thread(
            target=self._httpd.serve_forever,
            kwargs={"poll_interval": 0.05},  # so close() returns promptly
            name="firecrawl-simulator",
            daemon=True,
        )
        self._thread.start()
        self._closed = False

    @property
    def base_url(self) -> str:
        """The server's root, e.g. ``http://127.0.0.1:54321``."""
        return self._base_url

    def close(self) -> None:
        """Stop serving, close kept-alive connections and join the thread. Idempotent."""
        if self._closed:
            return
        self._closed = True
        self._httpd.shutdown()
        self._httpd.server_close()
        with self._httpd.connections_lock:
            for connection in self._httpd.connections:
                with contextlib.suppress(OSError):  # the client may have closed it already
                    connection.shutdown(socket.SHUT_RDWR)
        self._thread.join()

    def __enter__(self) -> SimulatorServer:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        state = "closed" if self._closed else "serving"
        return f"SimulatorServer({self.base_url!r}, {state})"
