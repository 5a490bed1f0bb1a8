"""One test per point of issue 13 (hostile servers), each failing before its fix.

Where the deadline over real sockets is the point, the server runs on loopback and the real
time involved is kept to about a second; everything else goes through `httpx.MockTransport`
and a `FakeClock`.
"""

from __future__ import annotations

import asyncio
import gzip
import json
import time
from pathlib import Path
from typing import Any

import httpx
import pytest

from firecrawl_status import (
    AsyncStatusClient,
    BodyLimits,
    PollTimeoutError,
    ProtocolError,
    ResponseTooLargeError,
    RetryPolicy,
    StatusClient,
)
from firecrawl_status._cli import main
from tests.loopback import http_head, run_both_mocked, serving, streamed, trickle
from tests.scripted import run_both

DEADLINE = 0.4
SLACK = 1.0
"""Generous for a loaded CI machine; the trickle below would take 20 s."""
KEY = "fc-HOSTILE-SECRET-0b5e1d"
PROCESSING = {"status": "scraping", "current": 1, "total": 9, "partial_data": []}


def _trickling_body() -> tuple[bytes, bytes]:
    body = json.dumps(PROCESSING).encode() + b" " * 400
    head = http_head(200, {"Content-Type": "application/json"}, len(body))
    return head, body


def _crawl_sync(url: str) -> BaseException | None:
    with StatusClient(KEY, base_url=url) as client:
        try:
            client.wait_for_crawl("job-1", timeout=DEADLINE)
        except Exception as exc:
            return exc
    return None


def _extract_sync(url: str) -> BaseException | None:
    with StatusClient(KEY, base_url=url) as client:
        try:
            client.wait_for_extract("ex-1", timeout=DEADLINE)
        except Exception as exc:
            return exc
    return None


def _crawl_async(url: str) -> BaseException | None:
    async def run() -> BaseException | None:
        async with AsyncStatusClient(KEY, base_url=url) as client:
            try:
                await client.wait_for_crawl("job-1", timeout=DEADLINE)
            except Exception as exc:
                return exc
        return None

    return asyncio.run(run())


@pytest.mark.parametrize("call", [_crawl_sync, _extract_sync, _crawl_async])
def test_the_deadline_bounds_a_trickling_body(call: Any) -> None:
    """Headers at once, then a byte every 50 ms: the wait ends at its deadline, not 20 s later."""
    head, body = _trickling_body()
    with serving(trickle(head, body, every=0.05)) as server:
        started = time.monotonic()
        error = call(server.url)
        elapsed = time.monotonic() - started
    assert isinstance(error, PollTimeoutError), error
    assert elapsed < DEADLINE + SLACK


def test_the_deadline_bounds_trickling_headers() -> None:
    """A head sent a byte at a time is bounded by the same deadline."""
    head, body = _trickling_body()
    with serving(trickle(b"", head + body, every=0.05)) as server:
        started = time.monotonic()
        error = _crawl_sync(server.url)
        elapsed = time.monotonic() - started
    assert isinstance(error, PollTimeoutError), error
    assert elapsed < DEADLINE + SLACK


def test_the_cli_timeout_bounds_a_trickling_body(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """`--timeout` in the CLI: exit 5 at the deadline, stdout still valid JSON Lines."""
    head, body = _trickling_body()
    monkeypatch.setenv("FIRECRAWL_STATUS_HOME", str(tmp_path))
    monkeypatch.setenv("FIRECRAWL_API_KEY", KEY)
    with serving(trickle(head, body, every=0.05)) as server:
        monkeypatch.setenv("FIRECRAWL_API_URL", server.url)
        started = time.monotonic()
        code = main(["crawl", "job-1", "--wait", "--timeout", str(DEADLINE)])
        elapsed = time.monotonic() - started
    out, err = capsys.readouterr()
    assert code == 5, err
    assert elapsed < DEADLINE + SLACK
    assert all(json.loads(line) for line in out.splitlines())
    assert KEY not in out + err


# -- bounded memory ------------------------------------------------------------------------


def _gzip_bomb(size: int) -> bytes:
    return gzip.compress(b"[" + b" " * size + b"]", compresslevel=9)


def test_a_gzip_bomb_stops_at_the_decoded_limit() -> None:
    """A small gzip body inflating past the limit is a typed error, not MemoryError; the
    documents of earlier answers are kept on it; it is not retried."""
    first = {**PROCESSING, "partial_data": [{"markdown": "a", "metadata": {"sourceURL": "u1"}}]}
    bomb = _gzip_bomb(50_000_000)
    assert len(bomb) < 100_000
    served: list[int] = []

    def handler(request: httpx.Request) -> httpx.Response:
        served.append(1)
        if len(served) % 2:
            return streamed(200, json.dumps(first).encode())
        return streamed(200, bomb, {"content-encoding": "gzip"})

    results = run_both_mocked(
        handler,
        lambda client: client.wait_for_crawl("job-1", timeout=60),
        limits=BodyLimits(max_decoded=1_000_000),
    )
    for flavour, outcome, _clock in results:
        assert isinstance(outcome, ResponseTooLargeError), (flavour, outcome)
        assert outcome.limit == 1_000_000
        assert [doc["metadata"]["sourceURL"] for doc in outcome.documents] == ["u1"]
    assert len(served) == 4  # two answers each: the bomb is not retried


def test_a_plain_body_stops_at_the_received_limit() -> None:
    results = run_both_mocked(
        lambda request: streamed(200, b"[" + b" " * 20_000 + b"]"),
        lambda client: client.crawl_status("job-1"),
        limits=BodyLimits(max_received=10_000),
    )
    for flavour, outcome, _clock in results:
        assert isinstance(outcome, ResponseTooLargeError), (flavour, outcome)
        assert outcome.received > 10_000


def test_a_streamed_bomb_over_loopback_is_cut_early() -> None:
    """Over a real socket the reading stops at the limit: far less than the body is read."""
    bomb = _gzip_bomb(200_000_000)
    head = http_head(200, {"Content-Encoding": "gzip"}, len(bomb))
    limits = BodyLimits(max_decoded=2**20)
    with (
        serving(trickle(head, bomb, every=0, chunk=65536)) as server,
        StatusClient(KEY, base_url=server.url, limits=limits) as c,
        pytest.raises(ResponseTooLargeError) as caught,
    ):
        c.crawl_status("job-1")
    assert caught.value.received < len(bomb)


def test_body_limits_are_validated() -> None:
    with pytest.raises(ValueError, match="at least 1 byte"):
        BodyLimits(max_decoded=0)


# -- raw errors --------------------------------------------------------------------------------


def test_a_fake_gzip_body_is_a_retried_protocol_error() -> None:
    """Labelled gzip, not gzip: httpx.DecodingError before; now a ProtocolError, retried."""
    served: list[int] = []

    def handler(request: httpx.Request) -> httpx.Response:
        served.append(1)
        if len(served) % 2:
            return streamed(200, b"not gzip at all", {"content-encoding": "gzip"})
        return streamed(200, json.dumps(PROCESSING).encode())

    results = run_both_mocked(
        handler, lambda client: client.crawl_status("job-1"), retry=RetryPolicy(max_retries=1)
    )
    for flavour, outcome, _clock in results:
        assert outcome.status == "scraping", (flavour, outcome)
    results = run_both_mocked(
        lambda request: streamed(200, b"\x1f\x8b\x08broken", {"content-encoding": "gzip"}),
        lambda client: client.crawl_status("job-1"),
        retry=RetryPolicy(max_retries=0),
    )
    for flavour, outcome, _clock in results:
        assert isinstance(outcome, ProtocolError), (flavour, outcome)
        assert "does not decode" in outcome.message


def test_deeply_nested_json_is_a_protocol_error() -> None:
    deep = b"[" * 100_000 + b"]" * 100_000
    results = run_both(
        [(200, deep)], lambda client: client.crawl_status("job-1"), retry=RetryPolicy(max_retries=0)
    )
    for flavour, outcome, _script, _clock in results:
        assert isinstance(outcome, ProtocolError), (flavour, outcome)


def test_a_non_ascii_etag_does_not_break_the_next_poll() -> None:
    """A raw latin-1 byte in the ETag: the next poll goes out unconditional, no crash."""
    raw = json.dumps(PROCESSING).encode()
    done = {**PROCESSING, "status": "completed", "data": [], "current": 9}

    def handler(request: httpx.Request) -> httpx.Response:
        if "if-none-match" in request.headers:
            raise AssertionError("a non-ASCII ETag was sent back")
        handler.calls += 1  # type: ignore[attr-defined]
        if handler.calls == 1:  # type: ignore[attr-defined]
            headers = [(b"etag", b'W/"caf\xe9"'), (b"content-type", b"application/json")]
            return httpx.Response(200, content=raw, headers=headers)
        return httpx.Response(200, json=done)

    handler.calls = 0  # type: ignore[attr-defined]
    from firecrawl_status.testing import FakeClock

    http = httpx.Client(transport=httpx.MockTransport(handler))
    with StatusClient(KEY, base_url="http://x.test", http_client=http, clock=FakeClock()) as c:
        result = c.wait_for_crawl("job-1", timeout=60)
    assert result.status == "completed"
