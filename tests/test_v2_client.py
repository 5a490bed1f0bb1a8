"""The clients on v1/v2 crawl and batch-scrape jobs, against the simulator (every quirk of the
docs/server-facts.md v2 section): each document exactly once, only what is new read per poll, the
cursor resumed from the store, the v0 guarantees on errors and limits, sync and async alike."""

from __future__ import annotations

import asyncio
import random
import sqlite3
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from firecrawl_status import (
    AsyncStatusClient,
    JobCancelledError,
    JobExpiredError,
    JobFailedError,
    JobNotFoundError,
    JobResult,
    JobSnapshot,
    JobStore,
    PollTimeoutError,
    StatusClient,
)
from firecrawl_status.testing import CrawlScenario, FakeClock, Fault, Simulator, V2Scenario

BASE = "http://sim.test"


def sync_client(sim: Simulator, clock: FakeClock, **kwargs: Any) -> StatusClient:
    http = httpx.Client(transport=sim.transport(), base_url=BASE)
    kwargs.setdefault("crawl_api", "v2")
    return StatusClient(
        base_url=BASE, http_client=http, clock=clock, rng=random.Random(7), **kwargs
    )


def async_client(sim: Simulator, clock: FakeClock, **kwargs: Any) -> AsyncStatusClient:
    http = httpx.AsyncClient(transport=sim.transport(), base_url=BASE)
    kwargs.setdefault("crawl_api", "v2")
    return AsyncStatusClient(
        base_url=BASE, http_client=http, clock=clock, rng=random.Random(7), **kwargs
    )


def every_page(sim: Simulator, job: str, kind: str = "crawl") -> set[str]:
    """The scrape ids the server holds for a finished job, read whole, straight from it."""
    path = "crawl" if kind == "crawl" else "batch/scrape"
    with httpx.Client(transport=sim.transport(), base_url=BASE) as http:
        ids: set[str] = set()
        skip = 0
        while True:
            body = http.get(f"/v2/{path}/{job}", params={"skip": skip, "limit": 1000}).json()
            page = body["data"]
            new = {d["metadata"]["scrapeId"] for d in page} - ids
            if not new:
                return ids
            ids |= new
            skip += len(page)


def ids_of(documents: list[dict[str, Any]]) -> list[str]:
    return [d["metadata"]["scrapeId"] for d in documents]


quirks = st.fixed_dictionaries(
    {
        "kind": st.sampled_from(["crawl", "batch"]),
        "pages": st.integers(0, 260),
        "pages_per_second": st.sampled_from([5.0, 40.0, 400.0]),
        "skip": st.sampled_from(["honoured", "ignored"]),
        "next_on_terminal": st.booleans(),
        "next_origin": st.none() | st.just("https://localhost:3002"),
        "missing_results": st.sets(st.integers(1, 3), max_size=2),
        "duplicates": st.sets(st.integers(1, 3), max_size=2),
        "not_found_for": st.sampled_from([0.0, 2.0]),
        "failing_pages": st.sets(st.integers(1, 3), max_size=2),
        "credits": st.sampled_from(["billed", "unknown"]),
    }
)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(quirks=quirks)
def test_a_wait_returns_every_page_once_on_every_server(quirks: dict[str, Any]) -> None:
    if quirks["pages"] < 3:
        quirks["missing_results"] = quirks["duplicates"] = quirks["failing_pages"] = set()
    clock = FakeClock()
    sim = Simulator(clock=clock)
    job = sim.add_job(V2Scenario(**quirks))
    with sync_client(sim, clock) as client:
        if quirks["kind"] == "crawl":
            result = client.wait_for_crawl(job, timeout=600)
        else:
            result = client.wait_for_batch_scrape(job, timeout=600)
    assert isinstance(result, JobResult)
    got = ids_of(result.documents)
    assert len(got) == len(set(got)), "a document was delivered twice"
    assert set(got) == every_page(sim, job, quirks["kind"])
    assert len(got) == quirks["pages"] - len(quirks["missing_results"])
    assert result.failed_pages == len(quirks["failing_pages"])
    assert result.skipped_pages == len(quirks["missing_results"])
    assert result.credits_used == (None if quirks["credits"] == "unknown" else quirks["pages"])
    # The key never left for the origin written into ``next``: every request went to ours.
    assert all(r.path.startswith(("/v2/crawl/", "/v2/batch/scrape/")) for r in sim.requests)


def test_each_poll_reads_only_what_is_new() -> None:
    clock = FakeClock()
    sim = Simulator(clock=clock)
    job = sim.add_job(V2Scenario(pages=2000, pages_per_second=50, markdown_bytes=2000))
    with sync_client(sim, clock) as client:
        result = client.wait_for_crawl(job)
    size = sum(len(httpx.Response(200, json=d).content) for d in result.documents)
    assert len(result.documents) == 2000
    # Pages were asked from the cursor: the bytes stay near the documents', never O(N^2).
    assert result.traffic.bytes_received < 1.2 * size
    skips = [r.path for r in sim.requests if "skip=" in r.path]
    assert skips, "the walk followed the cursor"


def test_a_server_ignoring_skip_is_polled_as_a_growing_list() -> None:
    clock = FakeClock()
    sim = Simulator(clock=clock)
    job = sim.add_job(
        V2Scenario(pages=2000, pages_per_second=100, skip="ignored", markdown_bytes=2000)
    )
    result = sync_client(sim, clock).wait_for_crawl(job)
    size = sum(len(httpx.Response(200, json=d).content) for d in result.documents)
    # Every answer resends the whole list: a fixed cadence would download O(N^2) bytes; the
    # growing-list cadence keeps the total a small multiple of the documents.
    assert result.traffic.bytes_received < 4 * size


def test_a_server_ignoring_skip_costs_bytes_never_a_duplicate() -> None:
    clock = FakeClock()
    sim = Simulator(clock=clock)
    job = sim.add_job(V2Scenario(pages=150, skip="ignored", duplicates={4}))
    documents = list(sync_client(sim, clock).iter_crawl(job, timeout=300))
    assert sorted(ids_of(documents)) == sorted(every_page(sim, job))


def test_a_stream_resumes_from_the_stored_cursor_without_rereading(tmp_path: Any) -> None:
    clock = FakeClock()
    sim = Simulator(clock=clock)
    job = sim.add_job(V2Scenario(pages=450, pages_per_second=1000))
    clock.advance(5)  # the crawl is done: every page is there to read
    store = JobStore(tmp_path / "jobs.sqlite3")
    first: list[dict[str, Any]] = []
    with sync_client(sim, clock, store=store) as client:
        stream = client.iter_crawl(job)
        for document in stream:
            first.append(document)
            if len(first) == 250:
                break
        stream.close()
    cursor = store.job(job, base_url=BASE)
    assert cursor is not None
    assert cursor.cursor == f"/v2/crawl/{job}?skip=200"
    before = len(sim.requests)
    with sync_client(sim, clock, store=JobStore(tmp_path / "jobs.sqlite3")) as client:
        rest = list(client.iter_crawl(job))
    resumed = [r.path for r in sim.requests[before:] if "/errors" not in r.path]
    assert resumed[0] == f"/v2/crawl/{job}?skip=200", "the new process started at the cursor"
    assert len(resumed) == 3  # skip=200, 300, 400: no page before the cursor read again
    delivered = ids_of(first) + ids_of(rest)
    assert len(delivered) == len(set(delivered)) == 450


def test_a_wait_resumed_from_the_store_returns_the_whole_job(tmp_path: Any) -> None:
    clock = FakeClock()
    sim = Simulator(clock=clock)
    job = sim.add_job(V2Scenario(kind="batch", pages=300, pages_per_second=10))
    path = tmp_path / "jobs.sqlite3"
    client = sync_client(sim, clock, store=JobStore(path))
    with pytest.raises(PollTimeoutError) as timed_out:
        client.wait_for_batch_scrape(job, timeout=12)
    seen = len(timed_out.value.documents)
    assert 0 < seen < 300
    with sync_client(sim, clock, store=JobStore(path)) as client:
        result = client.wait_for_batch_scrape(job)
    assert sorted(ids_of(result.documents)) == sorted(every_page(sim, job, "batch"))
    assert result.figures.known_before == seen


def urls_of(documents: list[dict[str, Any]]) -> list[str]:
    return [d["metadata"]["sourceURL"] for d in documents]


@pytest.mark.parametrize("mode", ["stream", "wait"])
def test_switching_a_stored_job_from_v0_to_v2_delivers_each_page_once(
    tmp_path: Any, mode: str
) -> None:
    """The store holds a crawl read through v0 (documents keyed by URL, no scrapeId); the same
    job read through v2 (every document with a scrapeId) adds only the pages not yet seen."""
    clock = FakeClock()
    v0, v2 = Simulator(clock=clock), Simulator(clock=clock)
    job = v0.add_crawl(CrawlScenario(pages=300, pages_per_second=10))
    v2.add_job(V2Scenario(pages=300, pages_per_second=10), job_id=job)

    def one_server(request: httpx.Request) -> httpx.Response:
        server = v0 if request.url.path.startswith("/v0/") else v2
        return server.transport().handle_request(request)

    path = tmp_path / "jobs.sqlite3"

    def client(api: Any) -> StatusClient:
        http = httpx.Client(transport=httpx.MockTransport(one_server), base_url=BASE)
        return StatusClient(
            base_url=BASE,
            http_client=http,
            clock=clock,
            rng=random.Random(7),
            crawl_api=api,
            store=JobStore(path),
        )

    with client("v0") as old, pytest.raises(PollTimeoutError) as timed_out:
        old.wait_for_crawl(job, timeout=12)
    first = urls_of(timed_out.value.documents)
    assert 0 < len(first) < 300
    with client("v2") as new:
        if mode == "stream":
            rest = urls_of(list(new.iter_crawl(job)))
        else:
            result = new.wait_for_crawl(job)
            assert isinstance(result, JobResult)
            assert result.figures.known_before == len(first)
            rest = urls_of(result.documents)[len(first) :]
            assert urls_of(result.documents)[: len(first)] == first
    delivered = first + rest
    assert len(delivered) == len(set(delivered)) == 300


def test_sync_and_async_agree() -> None:
    def scenario() -> V2Scenario:
        return V2Scenario(pages=180, skip="ignored", missing_results={2}, failing_pages={1})

    clock = FakeClock()
    sim = Simulator(clock=clock)
    job = sim.add_job(scenario(), job_id="7b4a6c1e-0000-4000-8000-000000000001")
    result = sync_client(sim, clock).wait_for_crawl(job)

    aclock = FakeClock()
    asim = Simulator(clock=aclock)
    asim.add_job(scenario(), job_id=job)

    async def main() -> tuple[JobResult, list[str]]:
        async with async_client(asim, aclock) as client:
            waited = await client.wait_for_crawl(job)
            streamed = [d["metadata"]["scrapeId"] async for d in client.iter_crawl(job)]
            assert isinstance(waited, JobResult)
            return waited, streamed

    aresult, streamed = asyncio.run(main())
    assert ids_of(aresult.documents) == ids_of(result.documents) == streamed
    assert (aresult.failed_pages, aresult.skipped_pages) == (result.failed_pages, 1)


def test_async_batch_scrape_and_errors() -> None:
    clock = FakeClock()
    sim = Simulator(clock=clock)
    job = sim.add_job(V2Scenario(kind="batch", pages=130, failing_pages={2, 9}))

    async def main() -> tuple[list[str], int, int | None]:
        async with async_client(sim, clock) as client:
            stream = client.iter_batch_scrape(job)
            ids = [d["metadata"]["scrapeId"] async for d in stream]
            errors = await client.batch_scrape_errors(job)
            snapshot = await client.batch_scrape_status(job)
            assert snapshot.kind == "batch_scrape"
            result = stream.result
            assert isinstance(result, JobResult)
            return ids, len(errors.errors), result.failed_pages

    ids, errors, failed = asyncio.run(main())
    assert sorted(ids) == sorted(every_page(sim, job, "batch"))
    assert errors == failed == 2


def test_kickoff_failure_raises_job_failed() -> None:
    clock = FakeClock()
    sim = Simulator(clock=clock)
    job = sim.add_job(V2Scenario(kickoff_failure="URL is not allowed"))
    with pytest.raises(JobFailedError) as failed:
        sync_client(sim, clock).wait_for_crawl(job)
    assert not isinstance(failed.value, JobCancelledError)
    assert failed.value.error_text == "URL is not allowed"
    assert "at kickoff" in str(failed.value)


def test_cancelled_raises_job_cancelled_with_what_was_seen() -> None:
    clock = FakeClock()
    sim = Simulator(clock=clock)
    job = sim.add_job(V2Scenario(pages=200, end="cancelled", end_after=120, next_on_terminal=True))
    with pytest.raises(JobCancelledError) as cancelled:
        sync_client(sim, clock).wait_for_crawl(job, timeout=300)
    assert len(set(ids_of(cancelled.value.documents))) == 120
    snapshot = cancelled.value.snapshot
    assert isinstance(snapshot, JobSnapshot)
    assert snapshot.outcome == "cancelled"


def test_429_honours_retry_after() -> None:
    clock = FakeClock()
    sim = Simulator(clock=clock)
    job = sim.add_job(V2Scenario(pages=5, pages_per_second=1000))
    clock.advance(1)
    sim.inject(Fault.status(429, retry_after=7), job_id=job)
    start = clock.monotonic()
    result = sync_client(sim, clock).wait_for_crawl(job)
    assert len(result.documents) == 5
    answered = [r for r in sim.requests if r.status == 200]
    assert answered[0].at - start >= 7
    assert result.traffic.retries == 1


def test_the_deadline_is_exact() -> None:
    clock = FakeClock()
    sim = Simulator(clock=clock)
    job = sim.add_job(V2Scenario(pages=1000, pages_per_second=3))
    start = clock.monotonic()
    with pytest.raises(PollTimeoutError) as timed_out:
        sync_client(sim, clock).wait_for_crawl(job, timeout=9.5)
    assert clock.monotonic() - start == pytest.approx(9.5)
    assert len(set(ids_of(timed_out.value.documents))) == len(timed_out.value.documents) > 0


def test_a_404_right_after_creation_is_waited_out_then_unknown_ids_are_not_found() -> None:
    clock = FakeClock()
    sim = Simulator(clock=clock)
    job = sim.add_job(V2Scenario(pages=3, not_found_for=3.0))
    assert len(sync_client(sim, clock).wait_for_crawl(job).documents) == 3
    start = clock.monotonic()
    with pytest.raises(JobNotFoundError):
        sync_client(sim, clock).crawl_status("00000000-0000-4000-8000-00000000abcd")
    assert clock.monotonic() - start == pytest.approx(10.0)


def test_a_404_after_documents_were_seen_is_an_expiry_with_the_stored_documents() -> None:
    clock = FakeClock()
    sim = Simulator(clock=clock)
    job = sim.add_job(V2Scenario(pages=40, pages_per_second=1000, ttl=30))
    store = JobStore(":memory:")
    client = sync_client(sim, clock, store=store)
    assert len(list(client.iter_crawl(job))) == 40
    clock.advance(60)
    with pytest.raises(JobExpiredError) as expired:
        list(client.iter_crawl(job))
    assert len(expired.value.documents) == 40
    record = store.job(job, base_url=BASE)
    assert record is not None
    assert record.gone


def test_errors_and_status_reads() -> None:
    clock = FakeClock()
    sim = Simulator(clock=clock)
    job = sim.add_job(
        V2Scenario(
            kind="batch",
            pages=4,
            failing_pages={2},
            robots_blocked=("https://example.com/private",),
            credits="unknown",
        )
    )
    clock.advance(10)
    client = sync_client(sim, clock, crawl_api="v1")
    errors = client.batch_scrape_errors(job)
    assert [e.url for e in errors.errors]
    assert errors.errors[0].error
    assert errors.robots_blocked == ["https://example.com/private"]
    snapshot = client.batch_scrape_status(job)
    assert (snapshot.api, snapshot.kind, snapshot.credits_used) == ("v1", "batch_scrape", None)
    assert snapshot.outcome == "completed"
    assert len(snapshot.documents) == 4
    assert all(r.path.startswith("/v1/batch/scrape/") for r in sim.requests)


def test_the_v0_default_is_unchanged() -> None:
    clock = FakeClock()
    sim = Simulator(clock=clock)
    job = sim.add_crawl()
    client = sync_client(sim, clock, crawl_api="v0")
    assert not isinstance(client.wait_for_crawl(job), JobResult)
    assert all(r.path.startswith("/v0/") for r in sim.requests)
    with pytest.raises(ValueError, match="crawl_api"):
        StatusClient(crawl_api="v3")  # type: ignore[arg-type]


def test_a_v2_store_migrates_to_v3_with_its_rows(tmp_path: Any) -> None:
    path = tmp_path / "jobs.sqlite3"
    with JobStore(path) as store:
        store.record_job(job_id="j", kind="crawl", base_url=BASE, status="x", seen_at=_now())
        store.add_documents("j", [("k", None, {"a": 1})], base_url=BASE)
    raw = sqlite3.connect(path)
    with raw:
        # Back to the version 2 layout (no cursor, two kinds), as an older release wrote it.
        raw.execute("ALTER TABLE jobs DROP COLUMN cursor")
        raw.execute("PRAGMA user_version = 2")
    raw.close()
    with JobStore(path) as store:
        record = store.job("j", base_url=BASE)
        assert record is not None
        assert record.documents == 1
        assert record.cursor is None
        store.record_job(
            job_id="b", kind="batch_scrape", base_url=BASE, status="scraping", seen_at=_now()
        )
        store.set_cursor("b", base_url=BASE, cursor="/v2/batch/scrape/b?skip=100")
        assert store.job("b", base_url=BASE) is not None
        assert store.documents("j", base_url=BASE) == [{"a": 1}]


def _now() -> Any:
    return FakeClock().utcnow()
