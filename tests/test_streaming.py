"""Streaming crawls end to end against the simulator: exactly once, no gaps, resume after a
crash, and kept documents after the server forgets the job. One FakeClock drives both the
simulator and the client, so thousands of simulated pages take well under a second each."""

from __future__ import annotations

import asyncio
import random
from pathlib import Path

import httpx
import pytest

from firecrawl_status import (
    AsyncStatusClient,
    CrawlResult,
    JobExpiredError,
    JobFailedError,
    JobNotFoundError,
    JobStore,
    PollPolicy,
    StatusClient,
)
from firecrawl_status.testing import CrawlScenario, FakeClock, Simulator

BASE = "https://api.firecrawl.dev"


def client(sim: Simulator, clock: FakeClock, store: JobStore | None = None) -> StatusClient:
    return StatusClient(
        base_url=BASE,
        http_client=httpx.Client(transport=sim.transport()),
        clock=clock,
        store=store,
        rng=random.Random(5),
    )


def urls(documents: list[dict[str, object]]) -> list[str]:
    out = []
    for document in documents:
        metadata = document.get("metadata")
        assert isinstance(metadata, dict)
        out.append(str(metadata["sourceURL"]))
    return out


def stream_until(sim: Simulator, clock: FakeClock, path: Path, job: str, count: int) -> list[str]:
    """Stream a crawl with a store at ``path`` and stop after ``count`` pages, as a process
    killed there would: everything yielded was stored first."""
    first: list[str] = []
    with JobStore(path) as store, client(sim, clock, store) as c:
        stream = c.iter_crawl(job)
        for document in stream:
            first += urls([document])
            if len(first) == count:
                break
        stream.close()
    return first


@pytest.mark.parametrize("behaviour", ["window", "growing"])
def test_a_crawl_of_thousands_of_pages_streams_each_page_exactly_once(behaviour: str) -> None:
    """2,000 pages at 100 pages/s, either server behaviour: each page once, zero gaps."""
    clock = FakeClock()
    sim = Simulator(clock=clock)
    job = sim.add_crawl(
        CrawlScenario(pages=2000, pages_per_second=100, behaviour=behaviour, markdown_bytes=40)  # type: ignore[arg-type]
    )
    with client(sim, clock) as c:
        stream = c.iter_crawl(job, timeout=3600)
        seen = urls(list(stream))
    assert len(seen) == 2000
    assert len(set(seen)) == 2000
    figures = stream.result.figures
    assert figures.gaps == 0
    if behaviour == "window":
        # Only pages that finished after the last running poll come from the final data alone.
        assert figures.from_final_only < 50
    assert figures.from_partial + figures.from_final_only == 2000


def test_a_window_polled_too_slowly_counts_gaps_and_recovers_them() -> None:
    """With a fixed slow cadence the window evicts pages: counted as gaps, recovered at the end."""
    clock = FakeClock()
    sim = Simulator(clock=clock)
    job = sim.add_crawl(CrawlScenario(pages=600, pages_per_second=100, behaviour="window"))
    with client(sim, clock) as c:
        result = c.wait_for_crawl(job, poll=PollPolicy(fixed_interval=2.0))
    # polls at 0, 2, 4 s see pages 151-200 and 351-400; 300 pages were evicted unseen, and
    # pages 401-600 finished after the last running poll: all 500 come from the final data.
    assert len(result.documents) == 600
    assert result.figures.gaps == 300
    assert result.figures.from_partial == 100
    assert result.figures.from_final_only == 500


def test_killed_half_way_the_next_run_yields_only_the_rest(tmp_path: Path) -> None:
    """A run stopped after some pages, then a new run on the same store, yields each page once."""
    clock = FakeClock()
    sim = Simulator(clock=clock)
    job = sim.add_crawl(CrawlScenario(pages=400, pages_per_second=20, behaviour="growing"))
    path = tmp_path / "jobs.sqlite3"
    first = stream_until(sim, clock, path, job, 150)
    with JobStore(path) as store, client(sim, clock, store) as c:
        stream = c.iter_crawl(job)
        rest = urls(list(stream))
        kept = store.documents(job, base_url=BASE)
    assert len(first) == 150
    assert not set(first) & set(rest)
    assert len(first) + len(rest) == 400
    assert len(kept) == 400
    assert stream.result.figures.known_before == 150


def test_documents_survive_the_server_forgetting_the_job(tmp_path: Path) -> None:
    """After the crawl expires (404), the store still has every document and knows it is gone."""
    clock = FakeClock()
    sim = Simulator(clock=clock)
    job = sim.add_crawl(CrawlScenario(pages=30, pages_per_second=10, expire="404", ttl=3600))
    with JobStore(tmp_path / "s.db") as store, client(sim, clock, store) as c:
        result = c.wait_for_crawl(job)
        assert isinstance(result, CrawlResult)
        clock.advance(2 * 3600)  # nobody reads it: the record expires
        with pytest.raises(JobExpiredError) as info:
            c.wait_for_crawl(job)
        assert len(info.value.documents) == 30
        record = store.job(job, base_url=BASE)
        assert record is not None
        assert record.gone
        assert record.status == "completed"
        assert len(store.documents(job, base_url=BASE)) == 30


def test_a_fresh_client_on_the_same_store_knows_the_404_is_an_expiry(tmp_path: Path) -> None:
    """The store remembers a job was seen, so a later process reports expiry, not 'not found'."""
    clock = FakeClock()
    sim = Simulator(clock=clock)
    job = sim.add_crawl(CrawlScenario(pages=5, expire="404", ttl=60))
    with JobStore(tmp_path / "s.db") as store, client(sim, clock, store) as c:
        c.wait_for_crawl(job)
    clock.advance(3600)
    with (
        JobStore(tmp_path / "s.db") as store,
        client(sim, clock, store) as c,
        pytest.raises(JobExpiredError),
    ):
        c.wait_for_crawl(job)
    with client(sim, clock) as c, pytest.raises(JobNotFoundError):
        c.wait_for_crawl(job)  # no store, never seen by this client: it cannot tell


def test_silent_expiry_keeps_what_the_store_holds(tmp_path: Path) -> None:
    """The silent completed-with-zero answer after pages were seen is an expiry; nothing lost."""
    clock = FakeClock()
    sim = Simulator(clock=clock)
    job = sim.add_crawl(CrawlScenario(pages=300, pages_per_second=1, expire="silent", ttl=60))
    with JobStore(tmp_path / "s.db") as store, client(sim, clock, store) as c:
        with pytest.raises(JobExpiredError, match="silent expiry") as info:
            c.wait_for_crawl(job)
        kept = store.documents(job, base_url=BASE)
        record = store.job(job, base_url=BASE)
    assert 30 <= len(kept) < 300
    assert len(info.value.documents) == len(kept)
    assert record is not None
    assert record.gone
    assert record.status == "active"  # the empty 'completed' was never recorded


def test_cancelled_crawl_keeps_every_page_seen() -> None:
    """A cancelled crawl reports failed; the error carries every page received."""
    clock = FakeClock()
    sim = Simulator(clock=clock)
    job = sim.add_crawl(CrawlScenario(pages=200, pages_per_second=10, cancel_at=40))
    with client(sim, clock) as c, pytest.raises(JobFailedError) as info:
        c.wait_for_crawl(job)
    assert len(info.value.documents) >= 30
    assert len(set(urls(info.value.documents))) == len(info.value.documents)


def test_async_streaming_matches_sync() -> None:
    """The async client streams the same pages in the same order as the sync one."""
    scenario = CrawlScenario(pages=300, pages_per_second=50, behaviour="window")

    clock = FakeClock()
    sim = Simulator(clock=clock)
    job = sim.add_crawl(scenario)
    with client(sim, clock) as c:
        sync_pages = urls(list(c.iter_crawl(job)))

    async def run() -> list[str]:
        clock = FakeClock()
        sim = Simulator(clock=clock)
        job = sim.add_crawl(scenario)
        async with AsyncStatusClient(
            base_url=BASE,
            http_client=httpx.AsyncClient(transport=sim.transport()),
            clock=clock,
            rng=random.Random(5),
        ) as c:
            return urls([d async for d in c.iter_crawl(job)])

    assert asyncio.run(run()) == sync_pages
    assert len(sync_pages) == 300


def test_a_one_shot_read_of_a_forgotten_job_is_an_expiry(tmp_path: Path) -> None:
    """crawl_status on a job the store holds, after the server forgot it, is JobExpiredError
    carrying the kept documents, and the store marks the job gone."""
    clock = FakeClock()
    sim = Simulator(clock=clock)
    job = sim.add_crawl(CrawlScenario(pages=8, expire="404", ttl=60))
    with JobStore(tmp_path / "s.db") as store:
        with client(sim, clock, store) as c:
            c.wait_for_crawl(job)
        clock.advance(3600)
        with client(sim, clock, store) as c, pytest.raises(JobExpiredError) as info:
            c.crawl_status(job)
        assert len(info.value.documents) == 8
        record = store.job(job, base_url=BASE)
        assert record is not None
        assert record.gone


def test_a_resumed_stream_can_yield_what_the_earlier_run_kept_first(tmp_path: Path) -> None:
    """With include_kept=True, a stream on a store yields the earlier run's documents first,
    then only the new ones: the whole crawl, each page once, on both clients alike."""
    path = tmp_path / "jobs.sqlite3"
    clock = FakeClock()
    sim = Simulator(clock=clock)
    job = sim.add_crawl(CrawlScenario(pages=300, pages_per_second=20, behaviour="growing"))
    first = stream_until(sim, clock, path, job, 120)
    with JobStore(path) as store, client(sim, clock, store) as c:
        stream = c.iter_crawl(job, include_kept=True)
        everything = urls(list(stream))
    assert everything[:120] == first
    assert len(everything) == len(set(everything)) == 300
    assert stream.result.figures.known_before == 120

    async def resume_async() -> list[str]:
        with JobStore(path) as store:
            async with AsyncStatusClient(
                base_url=BASE,
                http_client=httpx.AsyncClient(transport=sim.transport()),
                clock=clock,
                store=store,
                rng=random.Random(5),
            ) as c:
                return urls([d async for d in c.iter_crawl(job, include_kept=True)])

    # The job is complete and fully kept now: the async resume yields it all, from the store.
    assert sorted(asyncio.run(resume_async())) == sorted(everything)


def test_without_include_kept_a_stream_yields_nothing_kept(tmp_path: Path) -> None:
    """The default stays: a resumed stream yields only what the earlier run did not deliver."""
    clock = FakeClock()
    sim = Simulator(clock=clock)
    job = sim.add_crawl(CrawlScenario(pages=50, pages_per_second=50))
    with JobStore(tmp_path / "s.db") as store, client(sim, clock, store) as c:
        assert len(list(c.iter_crawl(job))) == 50
        assert list(c.iter_crawl(job)) == []
        assert len(list(c.iter_crawl(job, include_kept=True))) == 50
