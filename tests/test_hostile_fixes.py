"""One test per point of issue 13 (hostile servers), each failing before its fix.

Where the deadline over real sockets is the point, the server runs on loopback and the real
time involved is kept to about a second; everything else goes through `httpx.MockTransport`
and a `FakeClock`.
"""

from __future__ import annotations

import asyncio
import json
import time
import zlib
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

DEADLINE = 0.4
SLACK = 1.0
"""Generous for a loaded CI machine; the trickle below would take 20 s."""
KEY = "fc-HOSTILE-SECRET-0b5e1d"
PROCESSING = {"status": "scraping", "current": 1, "total": 9, "partial_data": []}


def _trickling_body() -> tuple[bytes, bytes]:
    body = json.dumps(PROCESSING).encode() + b" " * 400
    head = http_head(200, {"Content-Type": "application/json"}, len(body))
    return head, body


def _wait_sync(method: str) -> Any:
    def call(url: str) -> BaseException | None:
        with StatusClient(KEY, base_url=url) as client:
            try:
                getattr(client, method)("job-1", timeout=DEADLINE)
            except Exception as exc:
                return exc
        return None

    return call


_crawl_sync, _extract_sync = _wait_sync("wait_for_crawl"), _wait_sync("wait_for_extract")


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
    """A gzip body inflating to ``size`` bytes of JSON, built a megabyte at a time."""
    packer = zlib.compressobj(9, zlib.DEFLATED, 31)
    parts = [packer.compress(b"[")]
    block = b" " * 2**20
    for _ in range(size // len(block)):
        parts.append(packer.compress(block))
    parts.append(packer.compress(b"]"))
    parts.append(packer.flush())
    return b"".join(parts)


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
        lambda: handler,
        lambda client: client.wait_for_crawl("job-1", timeout=60),
        body_limits=BodyLimits(max_decoded=1_000_000),
    )
    for flavour, outcome, _clock in results:
        assert isinstance(outcome, ResponseTooLargeError), (flavour, outcome)
        assert outcome.limit == 1_000_000
        assert [doc["metadata"]["sourceURL"] for doc in outcome.documents] == ["u1"]
    assert len(served) == 4  # two answers each: the bomb is not retried


def test_a_plain_body_stops_at_the_received_limit() -> None:
    results = run_both_mocked(
        lambda: lambda request: streamed(200, b"[" + b" " * 20_000 + b"]"),
        lambda client: client.crawl_status("job-1"),
        body_limits=BodyLimits(max_received=10_000),
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
        StatusClient(KEY, base_url=server.url, body_limits=limits) as c,
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
        lambda: handler,
        lambda client: client.crawl_status("job-1"),
        retry=RetryPolicy(max_retries=1),
    )
    for flavour, outcome, _clock in results:
        assert outcome.status == "scraping", (flavour, outcome)
    results = run_both_mocked(
        lambda: lambda request: streamed(200, b"\x1f\x8b\x08broken", {"content-encoding": "gzip"}),
        lambda client: client.crawl_status("job-1"),
        retry=RetryPolicy(max_retries=0),
    )
    for flavour, outcome, _clock in results:
        assert isinstance(outcome, ProtocolError), (flavour, outcome)
        assert "does not decode" in outcome.message


def test_deeply_nested_json_is_a_protocol_error() -> None:
    deep = b"[" * 100_000 + b"]" * 100_000
    results = run_both_mocked(
        lambda: lambda request: streamed(200, deep),
        lambda client: client.crawl_status("job-1"),
        retry=RetryPolicy(max_retries=0),
    )
    for flavour, outcome, _clock in results:
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


def _json_answer(status: int, body: object, headers: dict[str, str] | None = None) -> Any:
    raw = body if isinstance(body, bytes) else json.dumps(body).encode()
    return streamed(status, raw, {"content-type": "application/json", **(headers or {})})


def _sequence(*answers: Any) -> Any:
    """A maker of handlers answering with ``answers`` in order, repeating the last one."""
    return lambda: _handler(*answers)


def _handler(*answers: Any) -> Any:
    """A handler answering with ``answers`` in order, repeating the last one; counts calls."""

    def handler(request: httpx.Request) -> httpx.Response:
        handler.calls += 1  # type: ignore[attr-defined]
        status, body, headers = answers[min(handler.calls, len(answers)) - 1]  # type: ignore[attr-defined]
        return _json_answer(status, body, headers)

    handler.calls = 0  # type: ignore[attr-defined]
    return handler


RATE_LIMITED = (429, {"error": "Rate limit exceeded. please retry after 1s"}, {})
DONE = (200, {"status": "completed", "current": 1, "total": 1, "data": []}, {})


def test_hinted_429s_inside_a_wait_slow_it_down_until_the_deadline() -> None:
    """Five hinted 429s in a row no longer end a 30 s wait after 4 s; a one-shot read still
    gives up after its retries."""
    results = run_both_mocked(
        _sequence(*[RATE_LIMITED] * 5, DONE), lambda c: c.wait_for_crawl("job-1", timeout=30)
    )
    for flavour, outcome, _clock in results:
        assert outcome.status == "completed", (flavour, outcome)
    results = run_both_mocked(_sequence(RATE_LIMITED), lambda c: c.crawl_status("job-1"))
    for flavour, outcome, clock in results:
        assert type(outcome).__name__ == "RateLimitError", (flavour, outcome)
        assert len(clock.sleeps) == RetryPolicy().max_retries


def test_endless_hinted_429s_end_at_the_deadline() -> None:
    results = run_both_mocked(
        _sequence(RATE_LIMITED), lambda c: c.wait_for_crawl("job-1", timeout=30)
    )
    for flavour, outcome, clock in results:
        assert isinstance(outcome, PollTimeoutError), (flavour, outcome)
        assert clock.monotonic() == pytest.approx(30)
        assert "429" in outcome.message


def test_a_date_header_in_year_9999_is_ignored() -> None:
    far = {"date": "Fri, 31 Dec 9999 23:59:59 GMT", "retry-after": "Fri, 31 Dec 9999 23:59:59 GMT"}
    results = run_both_mocked(
        _sequence((503, {"error": "busy"}, far), (200, PROCESSING, far)),
        lambda c: c.crawl_status("job-1"),
    )
    for flavour, outcome, clock in results:
        assert outcome.read_at == clock.utcnow(), (flavour, outcome)


def test_counts_too_large_for_sqlite_and_floats(tmp_path: Path) -> None:
    """``current``/``total`` of 10**400: no OverflowError in the cadence maths or the store."""
    from firecrawl_status import JobStore

    huge = 10**400
    answers = [
        (200, {"status": "scraping", "current": n * huge, "total": 3 * huge}, {}) for n in (1, 2)
    ]
    for flavour in ("sync", "async"):
        with JobStore(tmp_path / f"{flavour}.sqlite3") as store:
            results = run_both_mocked(
                _sequence(*answers, DONE),
                lambda c: c.wait_for_crawl("job-1", timeout=60),
                store=store,
            )
            for _flavour, outcome, _clock in results:
                assert outcome.status == "completed", outcome
            record = store.job("job-1", base_url="http://firecrawl.test")
            assert record is not None
            assert record.current == 1


def test_a_corrupted_stored_document_is_a_store_error_naming_the_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import sqlite3

    from firecrawl_status import JobStore, StoreError

    path = tmp_path / "jobs.sqlite3"
    answer = {"status": "completed", "current": 1, "total": 1, "data": [{"markdown": "x"}]}
    with JobStore(path) as store:
        run_both_mocked(
            _sequence((200, answer, {})), lambda c: c.wait_for_crawl("job-1"), store=store
        )
    with sqlite3.connect(path) as conn:
        conn.execute('UPDATE documents SET document = \'{"markdown": "x\'')
    conn.close()
    with JobStore(path) as store, pytest.raises(StoreError, match=r"jobs\.sqlite3"):
        store.documents("job-1", base_url="http://firecrawl.test")
    monkeypatch.setenv("FIRECRAWL_STATUS_HOME", str(tmp_path))
    assert main(["export", "job-1"]) == 6
    _out, err = capsys.readouterr()
    assert "jobs.sqlite3" in err
    assert "corrupt" in err
    assert "Traceback" not in err


def test_nan_and_infinity_are_never_written_bare(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    body = (
        b'{"status": "completed", "current": 1, "total": 1, "data": '
        b'[{"markdown": "x", "metadata": {"score": NaN, "big": Infinity, "low": -Infinity}}]}'
    )
    head = http_head(200, {"Content-Type": "application/json"}, len(body))
    monkeypatch.setenv("FIRECRAWL_STATUS_HOME", str(tmp_path))
    with serving(trickle(head, body, every=0, chunk=len(body))) as server:
        monkeypatch.setenv("FIRECRAWL_API_URL", server.url)
        assert main(["crawl", "job-1", "--wait"]) == 0
    out, _err = capsys.readouterr()

    def reject(constant: str) -> None:
        raise AssertionError(f"bare {constant} in the output")

    documents = [json.loads(line, parse_constant=reject) for line in out.splitlines()]
    assert documents[0]["metadata"] == {"score": None, "big": None, "low": None}


@pytest.mark.parametrize("job_id", [".", ".."])
def test_dot_ids_are_rejected_before_any_request(job_id: str) -> None:
    handler = _handler(DONE)
    results = run_both_mocked(lambda: handler, lambda c: c.crawl_status(job_id))
    for flavour, outcome, _clock in results:
        assert isinstance(outcome, ValueError), (flavour, outcome)
        assert "path segment" in str(outcome)
    assert handler.calls == 0


def test_a_401_echoing_the_key_does_not_leak_it() -> None:
    import traceback

    from firecrawl_status import AuthenticationError

    echo = (401, {"error": "Unauthorized", "headers": {"authorization": f"Bearer {KEY}"}}, {})
    results = run_both_mocked(_sequence(echo), lambda c: c.crawl_status("job-1"), api_key=KEY)
    for flavour, outcome, _clock in results:
        assert isinstance(outcome, AuthenticationError), (flavour, outcome)
        shown = str(outcome) + repr(outcome) + "".join(traceback.format_exception(outcome))
        shown += repr(outcome.body) + outcome.response.text
        assert KEY not in shown


def test_jobs_lists_time_left_corrected_for_the_server_clock(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The server's clock runs 2 h ahead; the extract expires 1 h after its read, by the server.
    `firecrawl-status jobs` says 1 h left, as `time_left` does, not 3 h."""
    import datetime as dt

    from firecrawl_status.testing import FakeClock

    clock = FakeClock()
    server_now = clock.utcnow() + dt.timedelta(hours=2)
    answer = {
        "success": True,
        "status": "processing",
        "data": None,
        "expiresAt": (server_now + dt.timedelta(hours=1)).isoformat().replace("+00:00", "Z"),
    }
    date = {"date": server_now.strftime("%a, %d %b %Y %H:%M:%S GMT")}
    http = httpx.Client(transport=httpx.MockTransport(_handler((200, answer, date))))
    monkeypatch.setenv("FIRECRAWL_STATUS_HOME", str(tmp_path))
    monkeypatch.setenv("FIRECRAWL_API_URL", "http://x.test")
    code = main(["extract", "ex-1", "--wait", "--timeout", "30"], clock=clock, http_client=http)
    assert code == 5
    capsys.readouterr()
    assert main(["jobs", "--json"], clock=clock) == 0
    (listed,) = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert 3600 - 30 <= listed["timeLeftSeconds"] <= 3600  # not 3 h: no skew


@pytest.mark.parametrize("job_id", [".", "..", " "])
def test_the_cli_rejects_such_ids_as_usage_errors(
    job_id: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("FIRECRAWL_STATUS_HOME", str(tmp_path))
    monkeypatch.setenv("FIRECRAWL_API_URL", "http://127.0.0.1:9")
    assert main(["crawl", job_id]) == 2
    assert "job id" in capsys.readouterr().err


def test_requests_are_built_by_the_callers_own_client() -> None:
    """The streamed exchange builds each request on the client that sends it: a caller's
    async client keeps its default headers."""
    seen: list[str | None] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request.headers.get("x-team"))
        return _json_answer(*DONE[:2])

    async def run() -> None:
        http = httpx.AsyncClient(transport=httpx.MockTransport(handler), headers={"X-Team": "a"})
        async with AsyncStatusClient(KEY, base_url="http://x.test", http_client=http) as c:
            await c.crawl_status("job-1")
        await http.aclose()

    asyncio.run(run())
    http = httpx.Client(transport=httpx.MockTransport(handler), headers={"X-Team": "b"})
    with StatusClient(KEY, base_url="http://x.test", http_client=http) as c:
        c.crawl_status("job-1")
    assert seen == ["a", "b"]
