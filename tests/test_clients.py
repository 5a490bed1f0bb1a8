"""StatusClient and AsyncStatusClient over scripted answers: every script runs through both
clients, and both must agree on the outcome, the requests sent and the time slept."""

from __future__ import annotations

import asyncio
import datetime as dt
from typing import Any

import httpx
import pytest

from firecrawl_status import (
    APIConnectionError,
    AsyncStatusClient,
    AuthenticationError,
    BadRequestError,
    CrawlResult,
    CrawlSnapshot,
    ExtractResult,
    ExtractSnapshot,
    JobCancelledError,
    JobExpiredError,
    JobFailedError,
    JobNotFoundError,
    PaymentRequiredError,
    PermissionDeniedError,
    PollPolicy,
    PollTimeoutError,
    ProtocolError,
    RateLimitError,
    RetryPolicy,
    ServerError,
    StatusClient,
    Traffic,
)
from firecrawl_status.testing import FakeClock

from .scripted_server import Script, Step, run_both

KEY = "fc-test-key-123"
RATE_LIMITED = (
    "Rate limit exceeded. Consumed (req/min): 20, Remaining (req/min): 0. Upgrade your plan at "
    "https://firecrawl.dev/pricing for increased rate limits or please retry after 4s, resets "
    "at Sat Feb 08 2025 16:36:39 GMT+0000 (Coordinated Universal Time)"
)
START = dt.datetime(2025, 8, 1, 12, 0, 0, tzinfo=dt.UTC)


def doc(n: int, **extra: Any) -> dict[str, Any]:
    return {
        "markdown": f"# {n}",
        "metadata": {"sourceURL": f"https://example.com/{n}", "pageStatusCode": 200},
        **extra,
    }


def crawl(
    status: str, current: int | None = None, total: int | None = None, **body: Any
) -> dict[str, Any]:
    out: dict[str, Any] = {"status": status, "data": None}
    if current is not None:
        out["current"] = current
    if total is not None:
        out["total"] = total
    out.update(body)
    return out


def extract(status: str, *, expires: dt.datetime, **body: Any) -> dict[str, Any]:
    return {
        "success": body.pop("success", True),
        "status": status,
        "data": body.pop("data", []),
        "expiresAt": expires.strftime("%Y-%m-%dT%H:%M:%S.000Z"),
        **body,
    }


def both(steps: list[Step], call: Any, **kwargs: Any) -> tuple[Any, Script, FakeClock]:
    """Run on both clients, assert parity, return the sync outcome, script and clock."""
    (_, sync_out, sync_script, sync_clock), (_, async_out, async_script, async_clock) = run_both(
        steps, call, **kwargs
    )
    assert type(sync_out) is type(async_out)
    if isinstance(sync_out, Exception):
        assert str(sync_out) == str(async_out)
    elif isinstance(sync_out, list):
        assert sync_out == async_out
    assert sync_clock.sleeps == async_clock.sleeps
    assert [str(r.url) for r in sync_script.requests] == [str(r.url) for r in async_script.requests]
    assert [r.headers.get("if-none-match") for r in sync_script.requests] == [
        r.headers.get("if-none-match") for r in async_script.requests
    ]
    return sync_out, sync_script, sync_clock


# -- the "done when" of the clients issue ----------------------------------------------------


def test_waiting_active_completed_with_a_429_and_a_502_between() -> None:
    """A crawl through waiting, active and completed, with a 429 and a 502, returns every page."""
    steps: list[Step] = [
        (200, crawl("waiting")),
        (429, {"error": RATE_LIMITED}),
        (200, crawl("active", 2, 4, partial_data=[doc(1), doc(2)])),
        (502, "<html><body><h1>502 Bad Gateway</h1></body></html>"),
        (200, crawl("active", 3, 4, partial_data=[doc(1), doc(3), doc(2)])),
        (200, crawl("completed", 4, 4, data=[doc(1), doc(2), doc(3), doc(4)], partial_data=[])),
    ]
    result, script, clock = both(steps, lambda c: c.wait_for_crawl("job-1", timeout=300))
    assert isinstance(result, CrawlResult)
    assert [d["metadata"]["sourceURL"] for d in result.documents] == [
        f"https://example.com/{n}" for n in (1, 2, 3, 4)
    ]
    assert result.traffic.retries == 2
    assert result.traffic.requests == 6
    assert result.figures.from_partial == 3
    assert result.figures.from_final_only == 1
    assert 4.0 in clock.sleeps  # the hint inside the 429 message was honoured
    assert all(r.url.path == "/v0/crawl/status/job-1" for r in script.requests)
    assert all(r.headers["authorization"] == f"Bearer {KEY}" for r in script.requests)


def test_one_shot_reads_return_typed_snapshots() -> None:
    """crawl_status and extract_status return snapshots with plain statuses and aware times."""
    snap, script, _ = both(
        [
            (
                200,
                crawl("stuck", 1, 100, current_url="", current_step=""),
                {"date": "Fri, 01 Aug 2025 12:00:00 GMT"},
            )
        ],
        lambda c: c.crawl_status("abc"),
    )
    assert isinstance(snap, CrawlSnapshot)
    assert snap.status == "stuck"
    assert snap.is_running
    assert not snap.is_terminal
    assert snap.read_at == START
    assert snap.expires_at == START + dt.timedelta(hours=24)
    assert "if-none-match" not in script.requests[0].headers
    expires = START + dt.timedelta(hours=6)
    snap2, _, _ = both(
        [(200, extract("completed", expires=expires, data={"a": 1}, llmUsage=0.5))],
        lambda c: c.extract_status("x1"),
    )
    assert isinstance(snap2, ExtractSnapshot)
    assert snap2.is_terminal
    assert snap2.data == {"a": 1}
    assert snap2.expires_at == expires
    assert snap2.extras == {"llmUsage": 0.5}
    assert snap2.model.status == "completed"


# -- errors ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "body", "error_class", "text"),
    [
        (400, {"error": "zero data retention"}, BadRequestError, "400 Bad Request"),
        (401, {"error": "Unauthorized: Invalid token"}, AuthenticationError, "check the API key"),
        (402, {"error": "Payment required"}, PaymentRequiredError, "402 Payment Required"),
        (403, {"error": "Forbidden"}, PermissionDeniedError, "another team"),
        (404, {"error": "Job not found"}, JobNotFoundError, "check the job id"),
    ],
)
def test_client_errors_are_typed_and_never_retried(
    status: int, body: dict[str, str], error_class: type[Exception], text: str
) -> None:
    """400/401/402/403/404 raise their class at once, one request, no sleep, no key."""
    error, script, clock = both([(status, body)], lambda c: c.wait_for_crawl("j"))
    assert type(error) is error_class
    assert text in str(error)
    assert body["error"] in str(error)
    assert len(script.requests) == 1
    assert clock.sleeps == []
    assert KEY not in str(error)
    assert KEY not in repr(error)


def test_server_errors_are_retried_then_raised_with_the_last_answer() -> None:
    """5xx is retried max_retries times with capped backoff, then ServerError."""
    steps: list[Step] = [
        (500, {"error": "boom"}),
        (503, "<h1>Unavailable</h1>"),
        (500, {"error": "boom again"}),
    ]
    error, script, clock = both(
        steps, lambda c: c.crawl_status("j"), retry=RetryPolicy(max_retries=2, max_delay=1.0)
    )
    assert isinstance(error, ServerError)
    assert error.status_code == 500
    assert "boom again" in str(error)
    assert len(script.requests) == 3
    assert len(clock.sleeps) == 2
    assert all(0 <= s <= 1.0 for s in clock.sleeps)


def test_rate_limit_exhausted_carries_the_hint() -> None:
    """A 429 that persists becomes RateLimitError with retry_after from the message."""
    error, _script, clock = both(
        [(429, {"error": RATE_LIMITED})] * 2,
        lambda c: c.extract_status("x"),
        retry=RetryPolicy(max_retries=1),
    )
    assert isinstance(error, RateLimitError)
    assert error.retry_after == 4.0
    assert clock.sleeps == [4.0]


def test_retries_disabled_with_zero() -> None:
    """RetryPolicy(max_retries=0) sends exactly one request."""
    error, script, _ = both(
        [(502, "bad gateway")], lambda c: c.crawl_status("j"), retry=RetryPolicy(max_retries=0)
    )
    assert isinstance(error, ServerError)
    assert len(script.requests) == 1


def test_connection_errors_are_retried_then_typed() -> None:
    """A transport error is retried, then raised as APIConnectionError chained to nothing secret."""

    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("connection refused", request=request)

    clock = FakeClock()
    with (
        StatusClient(
            KEY,
            base_url="http://firecrawl.test",
            http_client=httpx.Client(transport=httpx.MockTransport(refuse)),
            clock=clock,
            retry=RetryPolicy(max_retries=3),
        ) as client,
        pytest.raises(APIConnectionError, match="connection refused") as info,
    ):
        client.crawl_status("j")
    assert len(clock.sleeps) == 3
    assert KEY not in str(info.value)


def test_undecodable_body_is_retried_then_protocol_error() -> None:
    """Truncated JSON on a 200 is retried; if it persists, ProtocolError keeps the text."""
    truncated = b'{"status": "active", "current": 1, "par'
    error, _, _ = both(
        [(200, truncated), (200, truncated)],
        lambda c: c.crawl_status("j"),
        retry=RetryPolicy(max_retries=1),
    )
    assert isinstance(error, ProtocolError)
    assert error.body == truncated.decode()
    assert "not JSON" in str(error)
    ok, _, _ = both([(200, truncated), (200, crawl("active", 1, 2))], lambda c: c.crawl_status("j"))
    assert isinstance(ok, CrawlSnapshot)


def test_body_that_does_not_fit_the_spec_is_a_protocol_error() -> None:
    """A 200 missing the required status, or not an object, is a ProtocolError."""
    error, _, _ = both(
        [(200, {"current": 1})], lambda c: c.crawl_status("j"), retry=RetryPolicy(max_retries=0)
    )
    assert isinstance(error, ProtocolError)
    assert "missing required key 'status'" in str(error)
    error, _, _ = both(
        [(200, [1, 2])], lambda c: c.extract_status("j"), retry=RetryPolicy(max_retries=0)
    )
    assert isinstance(error, ProtocolError)


def test_bad_input_is_refused_clearly() -> None:
    """An empty id or a malformed base URL is a ValueError naming the problem."""
    with (
        StatusClient(base_url="http://x.test") as client,
        pytest.raises(ValueError, match="non-empty"),
    ):
        client.crawl_status("  ")
    with pytest.raises(ValueError, match="http"):
        StatusClient(base_url="ftp://nope")


# -- polling --------------------------------------------------------------------------------------


def test_conditional_polling_sends_the_etag_and_counts_304() -> None:
    """After the first read every poll sends If-None-Match; a 304 is an unchanged poll."""
    running = crawl("active", 1, 3, partial_data=[doc(1)])
    steps: list[Step] = [
        (200, running, {"etag": 'W/"v1"'}),
        (304, None, {"etag": 'W/"v1"'}),
        (304, None, {"etag": 'W/"v1"'}),
        (
            200,
            crawl("completed", 3, 3, data=[doc(1), doc(2), doc(3)], partial_data=[]),
            {"etag": 'W/"v2"'},
        ),
    ]
    result, script, clock = both(steps, lambda c: c.wait_for_crawl("j"))
    assert [r.headers.get("if-none-match") for r in script.requests] == [
        None,
        'W/"v1"',
        'W/"v1"',
        'W/"v1"',
    ]
    assert result.traffic.not_modified == 2
    # Unchanged: a steady period (the first 304 sets the phase), never backing away.
    assert clock.sleeps[2] == pytest.approx(PollPolicy().steady_interval)
    assert clock.sleeps[2] <= clock.sleeps[1] <= clock.sleeps[2] * 1.1


def test_unknown_statuses_mean_keep_waiting() -> None:
    """Statuses the client has never heard of are polled through, not treated as failure."""
    steps: list[Step] = [
        (200, crawl("prioritized")),
        (200, crawl("waiting-children")),
        (200, crawl("some-future-state", 0, 1)),
        (200, crawl("completed", 1, 1, data=[doc(1)], partial_data=[])),
    ]
    result, _, _ = both(steps, lambda c: c.wait_for_crawl("j"))
    assert isinstance(result, CrawlResult)
    assert len(result.documents) == 1


def test_deadline_is_exact_and_carries_what_was_collected() -> None:
    """The poller never sleeps past the deadline and raises PollTimeoutError with documents."""
    steps: list[Step] = [
        (200, crawl("active", n, 100, partial_data=[doc(i) for i in range(1, n + 1)]))
        for n in range(1, 60)
    ]
    error, script, clock = both(steps, lambda c: c.wait_for_crawl("j", timeout=10.0))
    assert isinstance(error, PollTimeoutError)
    assert sum(clock.sleeps) == pytest.approx(10.0)
    assert clock.monotonic() == pytest.approx(10.0)
    assert len(error.documents) == len(script.requests)  # one new page per poll
    assert error.snapshot is not None
    assert error.snapshot.status == "active"
    assert "after 10s" in str(error)


def test_deadline_cuts_a_long_retry_wait() -> None:
    """A 120 s retry hint does not push the wait past a 5 s deadline."""
    hint = {"error": "Rate limit exceeded ... please retry after 120s"}
    error, _, clock = both([(429, hint)], lambda c: c.wait_for_crawl("j", timeout=5.0))
    assert isinstance(error, PollTimeoutError)
    assert clock.sleeps == [5.0]
    assert isinstance(error.__cause__, RateLimitError)
    assert "last error" in str(error)


def test_fixed_cadence_is_honoured() -> None:
    """PollPolicy(fixed_interval=...) polls at exactly that interval."""
    steps: list[Step] = [(200, crawl("active", 0, 1))] * 3 + [
        (200, crawl("completed", 1, 1, data=[doc(1)]))
    ]
    _, _, clock = both(steps, lambda c: c.wait_for_crawl("j", poll=PollPolicy(fixed_interval=2.0)))
    assert clock.sleeps == [2.0, 2.0, 2.0]


def test_progress_callback_sees_every_poll() -> None:
    """on_progress is called after every poll, 304s included."""
    seen: list[str] = []
    steps: list[Step] = [
        (200, crawl("active", 0, 2), {"etag": 'W/"a"'}),
        (304, None),
        (200, crawl("completed", 2, 2, data=[doc(1), doc(2)])),
    ]
    both(steps, lambda c: c.wait_for_crawl("j", on_progress=lambda s: seen.append(s.status)))
    assert seen == ["active", "active", "completed"] * 2  # sync run, then async run


def test_failed_crawl_carries_every_document_seen() -> None:
    """A crawl that fails (or is cancelled) raises JobFailedError holding the pages seen."""
    steps: list[Step] = [
        (200, crawl("active", 2, 9, partial_data=[doc(1), doc(2)])),
        (200, crawl("failed", 3, 9, partial_data=[doc(1), doc(2), doc(3)])),
    ]
    error, _, _ = both(steps, lambda c: c.wait_for_crawl("j"))
    assert isinstance(error, JobFailedError)
    assert [d["markdown"] for d in error.documents] == ["# 1", "# 2", "# 3"]


# -- extract ---------------------------------------------------------------------------------------


def test_extract_waits_through_a_flip_and_returns_extras() -> None:
    """processing, completed-then-processing flicker, completed: the result has data and extras."""
    expires = START + dt.timedelta(hours=6)
    steps: list[Step] = [
        (200, extract("processing", expires=expires, steps=[{"step": "a"}])),
        (
            200,
            extract(
                "processing",
                expires=expires + dt.timedelta(seconds=1),
                steps=[{"step": "a"}, {"step": "b"}],
            ),
        ),
        (
            200,
            extract(
                "completed",
                expires=expires,
                data={"answer": 42},
                sources={"answer": ["https://e.com"]},
                tokensUsed=9,
            ),
        ),
    ]
    result, _, _ = both(steps, lambda c: c.wait_for_extract("x"))
    assert isinstance(result, ExtractResult)
    assert result.data == {"answer": 42}
    assert result.extras == {"sources": {"answer": ["https://e.com"]}, "tokensUsed": 9}
    assert result.expired is False
    # Traffic is reported as for a crawl: one `Traffic` value, bytes included.
    assert isinstance(result.traffic, Traffic)
    assert (result.traffic.requests, result.traffic.retries) == (3, 0)
    assert result.traffic.bytes_received > 0


@pytest.mark.parametrize(
    ("status", "error_class"), [("failed", JobFailedError), ("cancelled", JobCancelledError)]
)
def test_extract_failure_is_typed_and_summarised(
    status: str, error_class: type[JobFailedError]
) -> None:
    """A failed job (HTTP 200, success false) raises with the reason summarised to one line."""
    big = {"name": "APICallError", "requestBodyValues": {"prompt": "secret page text " * 600}}
    body = extract(status, expires=START + dt.timedelta(hours=6), success=False, error=big)
    error, _, _ = both([(200, body)], lambda c: c.wait_for_extract("x"))
    assert type(error) is error_class
    assert error.error == big
    assert len(str(error)) < 400
    assert "secret page text secret page text secret" not in str(error)


def test_extract_processing_with_past_expiry_is_an_expiry_not_a_hang() -> None:
    """processing with expiresAt already past means the outcome is lost: JobExpiredError as
    soon as a read 5 s after the first says the same (one such read proves nothing)."""
    body = extract("processing", expires=START - dt.timedelta(seconds=1))
    error, script, _ = both(
        [(200, body, {"date": f"Fri, 01 Aug 2025 12:00:0{second} GMT"}) for second in (0, 3, 6, 9)],
        lambda c: c.wait_for_extract("x", timeout=3600),
    )
    assert isinstance(error, JobExpiredError)
    assert "lost the job's real outcome" in str(error)
    assert len(script.requests) == 3


def test_completed_extract_with_past_expiry_is_returned_and_flagged() -> None:
    """A completed answer with a past expiresAt is tolerated and flagged."""
    body = extract("completed", expires=START - dt.timedelta(minutes=5), data={"k": 1})
    result, _, _ = both(
        [(200, body, {"date": "Fri, 01 Aug 2025 12:00:00 GMT"})], lambda c: c.wait_for_extract("x")
    )
    assert isinstance(result, ExtractResult)
    assert result.expired is True


def test_expiry_warning_fires_once_under_the_threshold() -> None:
    """on_expiry_warning is called once when time left drops under the policy's threshold."""
    warnings: list[dt.timedelta] = []
    date = {"date": "Fri, 01 Aug 2025 12:00:00 GMT"}
    steps: list[Step] = [
        (
            200,
            extract("processing", expires=START + dt.timedelta(minutes=30), steps=[{"n": 1}]),
            date,
        ),
        (
            200,
            extract("processing", expires=START + dt.timedelta(minutes=20), steps=[{"n": 2}]),
            date,
        ),
        (200, extract("completed", expires=START + dt.timedelta(minutes=20), data={}), date),
    ]
    result, _, _ = both(
        steps,
        lambda c: c.wait_for_extract("x", on_expiry_warning=lambda s, left: warnings.append(left)),
        poll=PollPolicy(expiry_warning=3600),
    )
    assert isinstance(result, ExtractResult)
    assert warnings == [dt.timedelta(minutes=30)] * 2  # once per run, sync then async


# -- expiry of crawls ---------------------------------------------------------------------------


def test_404_after_the_job_was_seen_is_an_expiry_with_the_documents() -> None:
    """A 404 for a crawl this client read before is JobExpiredError carrying what came."""
    steps: list[Step] = [
        (200, crawl("active", 2, 5, partial_data=[doc(1), doc(2)])),
        (404, {"error": "Job not found"}),
    ]
    error, _, _ = both(steps, lambda c: c.wait_for_crawl("j"))
    assert isinstance(error, JobExpiredError)
    assert len(error.documents) == 2
    assert "expired" in str(error)


def test_silent_expiry_is_reported_and_never_overwrites() -> None:
    """completed with 0/0 and no data after pages were seen is a silent expiry."""
    steps: list[Step] = [
        (200, crawl("active", 2, 5, partial_data=[doc(1), doc(2)])),
        (200, crawl("completed", 0, 0, data=[], partial_data=[])),
    ]
    error, _, _ = both(steps, lambda c: c.wait_for_crawl("j"))
    assert isinstance(error, JobExpiredError)
    assert "silent expiry" in str(error)
    assert len(error.documents) == 2


def test_genuinely_empty_crawl_is_a_success() -> None:
    """A crawl that found nothing (never showed a page) completes with no documents."""
    result, _, _ = both(
        [(200, crawl("completed", 0, 0, data=[], partial_data=[]))], lambda c: c.wait_for_crawl("j")
    )
    assert isinstance(result, CrawlResult)
    assert result.documents == []


def test_completed_with_null_or_legacy_data_falls_back_to_partial() -> None:
    """A completed crawl whose data is null or an object keeps the merged partial documents."""
    legacy = {"success": True, "result": {"links": []}, "error": "No pages found"}
    for final in (None, legacy):
        steps: list[Step] = [
            (200, crawl("active", 2, 2, partial_data=[doc(1), doc(2)])),
            (200, crawl("completed", 2, 2, data=final)),
        ]
        result, _, _ = both(steps, lambda c: c.wait_for_crawl("j"))
        assert isinstance(result, CrawlResult)
        assert result.used_partial_fallback is True
        assert len(result.documents) == 2


# -- streaming -------------------------------------------------------------------------------------


def test_iter_crawl_yields_each_page_once_and_final_content_wins_in_the_result() -> None:
    """Streaming yields partial pages as seen and final-only pages at the end, once each."""
    steps: list[Step] = [
        (200, crawl("active", 2, 4, partial_data=[doc(1), doc(2)])),
        (200, crawl("active", 3, 4, partial_data=[doc(1), doc(3), doc(2)])),
        (
            200,
            crawl(
                "completed",
                4,
                4,
                data=[doc(1, markdown="final"), doc(2), doc(3), doc(4)],
                partial_data=[],
            ),
        ),
    ]
    documents, _, _ = both(steps, lambda c: c.iter_crawl("j"))
    assert [d["metadata"]["sourceURL"][-1] for d in documents] == ["1", "2", "3", "4"]
    result, _, _ = both(steps, lambda c: c.wait_for_crawl("j"))
    assert result.documents[0]["markdown"] == "final"


def test_api_key_never_in_repr() -> None:
    """The client's repr says whether a key is set, never the key."""
    client = StatusClient(KEY, base_url="http://x.test")
    assert KEY not in repr(client)
    assert "api_key=<set>" in repr(client)
    client.close()


def test_a_document_that_does_not_fit_the_spec_is_named() -> None:
    """A malformed document inside partial_data is a ProtocolError naming its place."""
    body = crawl("active", 2, 3, partial_data=[doc(1), "not a document"])
    error, _, _ = both(
        [(200, body)], lambda c: c.crawl_status("j"), retry=RetryPolicy(max_retries=0)
    )
    assert isinstance(error, ProtocolError)
    assert "partial_data[1] does not fit CrawlDocument" in str(error)


def test_async_client_caps_requests_in_flight() -> None:
    """Many concurrent waits on one AsyncStatusClient never have more than the cap in flight."""
    import asyncio

    from firecrawl_status import AsyncStatusClient

    in_flight, peak = 0, 0

    async def handler(request: httpx.Request) -> httpx.Response:
        nonlocal in_flight, peak
        in_flight += 1
        peak = max(peak, in_flight)
        for _ in range(3):
            await asyncio.sleep(0)
        in_flight -= 1
        expires = (START + dt.timedelta(hours=6)).strftime("%Y-%m-%dT%H:%M:%S.000Z")
        body = {"success": True, "status": "completed", "data": {}, "expiresAt": expires}
        return httpx.Response(200, json=body)

    async def main() -> int:
        async with AsyncStatusClient(
            base_url="http://firecrawl.test",
            http_client=httpx.AsyncClient(transport=httpx.MockTransport(handler)),
            clock=FakeClock(),
            max_concurrent_requests=5,
        ) as client:
            results = await asyncio.gather(*(client.wait_for_extract(f"x{n}") for n in range(60)))
        return len(results)

    assert asyncio.run(main()) == 60
    assert peak == 5


def test_the_callers_http_client_is_used_unchanged() -> None:
    """A caller's client without a base_url gets absolute URLs and keeps its (empty) base_url;
    one with a base_url is sent relative requests; neither is closed by the facade."""
    script = Script([(200, crawl("active", 1, 2)), (200, crawl("active", 1, 2))])
    bare = httpx.Client(transport=httpx.MockTransport(script))
    with StatusClient(KEY, base_url="https://a.example", http_client=bare) as client:
        client.crawl_status("j")
    assert str(bare.base_url) == ""
    assert not bare.is_closed
    own = httpx.Client(base_url="https://b.example/root", transport=httpx.MockTransport(script))
    with StatusClient(KEY, base_url="https://a.example", http_client=own) as client:
        client.crawl_status("j")
    assert [str(r.url) for r in script.requests] == [
        "https://a.example/v0/crawl/status/j",
        "https://b.example/root/v0/crawl/status/j",
    ]
    assert not own.is_closed


async def _open_and_close() -> None:
    async with AsyncStatusClient(KEY) as client:
        assert client.base_url


def test_closing_an_unused_client_opens_no_connection_pool(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Closing a client that sent nothing creates no httpx client just to close it."""
    made: list[object] = []
    for cls in (httpx.Client, httpx.AsyncClient):
        original = cls.__init__

        def spy(self: Any, *args: Any, __original: Any = original, **kwargs: Any) -> None:
            made.append(self)
            __original(self, *args, **kwargs)

        monkeypatch.setattr(cls, "__init__", spy)
    with StatusClient(KEY):
        pass
    asyncio.run(_open_and_close())
    assert made == []
