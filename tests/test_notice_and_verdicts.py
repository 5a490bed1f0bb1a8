"""Issue 14 in the clients: the deprecation notice surfaced, no verdict from one odd answer,
completion noticed within one steady period, and an expiry message that counts what it carries.
All against the simulator on a FakeClock (no sleeping, no network)."""

from __future__ import annotations

import asyncio
import datetime as dt
import random
import subprocess
import sys
import warnings

import httpx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from firecrawl_status import (
    AsyncStatusClient,
    CrawlResult,
    EndpointRetiredError,
    FirecrawlDeprecationWarning,
    JobExpiredError,
    JobStore,
    PollPolicy,
    StatusClient,
)
from firecrawl_status._outcome import LOST_CONFIRMATION, outcome
from firecrawl_status.testing import CrawlScenario, ExtractScenario, FakeClock, Simulator


def client(sim: Simulator, clock: FakeClock, **kwargs: object) -> StatusClient:
    http = httpx.Client(transport=sim.transport(), base_url="http://sim.test")
    return StatusClient(
        "fc-key",
        http_client=http,
        clock=clock,
        rng=random.Random(1),
        **kwargs,  # type: ignore[arg-type]
    )


# --- no verdict from one odd answer ------------------------------------------------------------


@settings(max_examples=40, deadline=None)
@given(race_every=st.integers(2, 12), duration=st.floats(1.0, 90.0))
def test_a_wait_in_race_mode_never_calls_a_live_job_lost(race_every: int, duration: float) -> None:
    clock = FakeClock()
    sim = Simulator(clock, deprecation=None)
    job = sim.add_extract(ExtractScenario(duration=duration, race_every=race_every))
    with client(sim, clock) as status:
        result = status.wait_for_extract(job, timeout=600)
    assert result.status == "completed"


def test_a_wait_calls_a_really_lost_job_lost_once_confirmed() -> None:
    """A failed job whose record ran out reads processing-past-expiry on every read: the wait
    ends with JobExpiredError once a read LOST_CONFIRMATION after the first says the same."""
    clock = FakeClock()
    sim = Simulator(clock, deprecation=None)
    job = sim.add_extract(ExtractScenario(duration=1, outcome="failed", ttl=10, lost_after=3600))
    clock.advance(20)
    started = clock.monotonic()
    with client(sim, clock) as status, pytest.raises(JobExpiredError) as caught:
        status.wait_for_extract(job, timeout=600)
    took = clock.monotonic() - started
    confirm = LOST_CONFIRMATION.total_seconds()
    assert confirm <= took <= confirm + PollPolicy().steady_interval * 1.1
    assert "lost the job's real outcome" in caught.value.message


def test_the_lost_rule_in_the_outcome_table() -> None:
    assert outcome("extract", "processing", expired=True) == "unconfirmed"
    short = LOST_CONFIRMATION - dt.timedelta(seconds=1)
    assert outcome("extract", "processing", expired=True, expired_for=short) == "unconfirmed"
    assert outcome("extract", "processing", expired=True, expired_for=LOST_CONFIRMATION) == "lost"
    assert outcome("extract", "processing", expired=False) == "running"
    assert outcome("crawl", "active", expired=True) == "running"


def test_a_one_shot_read_is_lost_only_when_the_store_holds_an_earlier_such_read() -> None:
    clock = FakeClock()
    sim = Simulator(clock, deprecation=None)
    job = sim.add_extract(ExtractScenario(duration=1, outcome="failed", ttl=10, lost_after=3600))
    clock.advance(20)  # past the record: the fallback answers processing, expiresAt past
    with JobStore(":memory:") as store, client(sim, clock, store=store) as status:
        first = status.extract_status(job)
        assert first.outcome == "unconfirmed"
        assert first.is_running
        clock.advance(2)
        assert status.extract_status(job).outcome == "unconfirmed"
        clock.advance(LOST_CONFIRMATION.total_seconds())
        third = status.extract_status(job)
        assert third.outcome == "lost"
        assert third.expired_since == first.read_at
    with client(sim, clock) as status:  # no store: nothing confirms it
        assert status.extract_status(job).outcome == "unconfirmed"


# --- silent expiry on a one-shot read, and counts ----------------------------------------------


def test_a_one_shot_read_with_a_store_sees_a_silent_expiry_and_counts_what_it_carries() -> None:
    clock = FakeClock()
    sim = Simulator(clock, deprecation=None)
    job = sim.add_crawl(
        CrawlScenario(pages=42, pages_per_second=100, discovery=False, expire="silent", ttl=60)
    )
    with JobStore(":memory:") as store, client(sim, clock, store=store) as status:
        assert len(status.wait_for_crawl(job, timeout=60).documents) == 42
        clock.advance(120)
        with pytest.raises(JobExpiredError) as caught:
            status.crawl_status(job)
    assert len(caught.value.documents) == 42
    assert "42 document(s) kept" in caught.value.message
    assert "no documents were kept" not in caught.value.message


# --- the deprecation notice --------------------------------------------------------------------


def test_one_warning_per_endpoint_and_every_snapshot_and_result_carries_the_notice() -> None:
    clock = FakeClock()
    sim = Simulator(clock)
    crawls = [sim.add_crawl(CrawlScenario(pages=3, discovery=False)) for _ in range(2)]
    extract = sim.add_extract(ExtractScenario(duration=3))
    with client(sim, clock) as status, warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        results = [status.wait_for_crawl(job, timeout=60) for job in crawls]
        snapshot = status.crawl_status(crawls[0])
        done = status.wait_for_extract(extract, timeout=60)
    notices = [w for w in caught if issubclass(w.category, FirecrawlDeprecationWarning)]
    assert len(notices) == 2
    assert "GET /v2/crawl/{id}" in str(notices[0].message)
    assert "GET /v2/scrape" in str(notices[1].message)
    assert results[0].deprecation is not None
    assert results[0].deprecation.successor == f"/v2/crawl/{crawls[0]}"
    assert snapshot.deprecation == results[0].deprecation
    assert done.deprecation is not None
    assert done.deprecation.successor == "/v2/scrape"
    plain = Simulator(clock, deprecation=None)
    with client(plain, clock) as status:
        assert status.crawl_status(plain.add_crawl(CrawlScenario(pages=1))).deprecation is None


def _retiring(status_code: int, body: bytes, content_type: str) -> httpx.MockTransport:
    served = {"n": 0}
    notice = {
        "Deprecation": "@1778025600",
        "Link": '</v2/crawl/:jobId>; rel="successor-version"',
    }

    def handle(request: httpx.Request) -> httpx.Response:
        served["n"] += 1
        if served["n"] == 1:
            return httpx.Response(
                200,
                json={
                    "status": "active",
                    "current": 0,
                    "total": 1,
                    "data": None,
                    "partial_data": [],
                },
                headers=notice,
            )
        return httpx.Response(status_code, content=body, headers={"Content-Type": content_type})

    return httpx.MockTransport(handle)


@pytest.mark.parametrize(
    ("status_code", "body", "content_type"),
    [
        (404, b"<pre>Cannot GET /v0/crawl/status/abc</pre>", "text/html"),
        (410, b'{"error": "Gone"}', "application/json"),
    ],
)
def test_a_retired_route_names_its_successor(
    status_code: int, body: bytes, content_type: str
) -> None:
    clock = FakeClock()
    http = httpx.Client(transport=_retiring(status_code, body, content_type), base_url="http://x")
    with StatusClient("k", http_client=http, clock=clock) as status, warnings.catch_warnings():
        warnings.simplefilter("ignore", FirecrawlDeprecationWarning)
        with pytest.raises(EndpointRetiredError) as caught:
            status.wait_for_crawl("abc", timeout=60)
    assert caught.value.successor == "/v2/crawl/abc"
    assert "/v2/crawl/abc" in caught.value.message


# --- completion noticed within one steady period ----------------------------------------------


@settings(max_examples=30, deadline=None)
@given(duration=st.floats(5.0, 60.0))
def test_an_extract_end_is_noticed_within_one_steady_period_with_no_more_requests(
    duration: float,
) -> None:
    clock = FakeClock()
    sim = Simulator(clock, deprecation=None)
    job = sim.add_extract(ExtractScenario(duration=duration))
    started = clock.monotonic()
    with client(sim, clock) as status:
        result = status.wait_for_extract(job, timeout=600)
    lag = clock.monotonic() - started - duration
    period = PollPolicy().steady_interval
    assert 0 <= lag <= period
    assert result.traffic.requests <= int(duration // period) + 2  # what a fixed 2 s loop sends
    if duration >= 20:  # worker steps 4 s apart or more: most running answers are 304
        assert result.traffic.not_modified >= result.traffic.requests // 3


USER_SCRIPT = """
import httpx
from firecrawl_status import StatusClient
from firecrawl_status.testing import CrawlScenario, ExtractScenario, FakeClock, Simulator

clock = FakeClock()
sim = Simulator(clock)
http = httpx.Client(transport=sim.transport(), base_url="http://sim.test")
with StatusClient("fc-key", http_client=http, clock=clock) as client:
    for _ in range(3):
        client.wait_for_crawl(sim.add_crawl(CrawlScenario(pages=2)), timeout=60)
        client.wait_for_extract(sim.add_extract(ExtractScenario(duration=2)), timeout=60)
print("done")
"""


def test_a_users_script_sees_one_warning_per_endpoint() -> None:
    """Python's default filters, as a user's script has them (pytest changes them): shown once
    per endpoint, naming the successor."""
    run = subprocess.run(
        [sys.executable, "-c", USER_SCRIPT], capture_output=True, text=True, check=True
    )
    assert run.stdout.strip() == "done"
    lines = [line for line in run.stderr.splitlines() if "FirecrawlDeprecationWarning" in line]
    assert len(lines) == 2, run.stderr
    assert "the successor is GET /v2/crawl/{id}" in lines[0]
    assert "the successor is GET /v2/scrape" in lines[1]


def test_the_async_client_warns_once_per_endpoint_too() -> None:
    clock = FakeClock()
    sim = Simulator(clock)
    jobs = [sim.add_crawl(CrawlScenario(pages=2)) for _ in range(3)]

    async def wait_all() -> list[CrawlResult]:
        http = httpx.AsyncClient(transport=sim.transport(), base_url="http://sim.test")
        async with AsyncStatusClient("fc-key", http_client=http, clock=clock) as status:
            return [await status.wait_for_crawl(job, timeout=60) for job in jobs]

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        results = asyncio.run(wait_all())
    notices = [w for w in caught if issubclass(w.category, FirecrawlDeprecationWarning)]
    assert len(notices) == 1
    assert [result.deprecation is not None for result in results] == [True] * 3
