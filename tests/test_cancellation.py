"""Ctrl-C in sync code and task cancellation in async code stop cleanly: the interruption
propagates, connections are closed, and what was delivered is in the store."""

from __future__ import annotations

import asyncio
import contextlib
import random
import threading
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import httpx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from firecrawl_status import AsyncStatusClient, JobStore, StatusClient, StoreError
from firecrawl_status.testing import CrawlScenario, FakeClock, Simulator

BASE = "https://api.firecrawl.dev"


class InterruptingClock(FakeClock):
    """A FakeClock whose n-th sleep raises KeyboardInterrupt, as Ctrl-C during a wait would."""

    def __init__(self, at: int) -> None:
        super().__init__()
        self.at = at

    def sleep(self, seconds: float) -> None:
        if len(self.sleeps) + 1 == self.at:
            raise KeyboardInterrupt
        super().sleep(seconds)


def test_ctrl_c_during_a_wait_propagates_and_keeps_what_was_delivered(tmp_path: Path) -> None:
    """KeyboardInterrupt mid-stream is not swallowed or wrapped; the store keeps what came."""
    clock = InterruptingClock(at=6)
    sim = Simulator(clock=clock)
    job = sim.add_crawl(CrawlScenario(pages=500, pages_per_second=20))
    http = httpx.Client(transport=sim.transport())
    delivered: list[object] = []
    with JobStore(tmp_path / "s.db") as store:
        with (
            pytest.raises(KeyboardInterrupt),
            StatusClient(base_url=BASE, http_client=http, clock=clock, store=store) as client,
        ):
            delivered.extend(client.iter_crawl(job))
        assert 0 < len(delivered) < 500
        assert len(store.documents(job, base_url=BASE)) == len(delivered)


def test_closing_the_client_closes_its_connections() -> None:
    """A client that made its own httpx client closes it on exit, even after an interruption."""
    clock = InterruptingClock(at=2)
    sim = Simulator(clock=clock)
    job = sim.add_crawl(CrawlScenario(pages=50))
    client = StatusClient(base_url=BASE, clock=clock)
    # The client owns its httpx client here; route it to the simulator without replacing it.
    client._transport.client.get_httpx_client()._transport = sim.transport()
    with pytest.raises(KeyboardInterrupt), client:
        client.wait_for_crawl(job)
    assert client._transport.client.get_httpx_client().is_closed


def test_a_callers_own_http_client_is_left_open() -> None:
    """An httpx client passed in is the caller's: the status client does not close it."""
    http = httpx.Client(transport=httpx.MockTransport(lambda r: httpx.Response(200)))
    with StatusClient(base_url=BASE, http_client=http):
        pass
    assert not http.is_closed
    http.close()


def test_cancelling_an_async_wait_stops_it_cleanly(tmp_path: Path) -> None:
    """task.cancel() during a wait raises CancelledError in the task; the client closes."""

    async def main() -> tuple[int, bool]:
        clock = FakeClock()
        sim = Simulator(clock=clock)
        job = sim.add_crawl(CrawlScenario(pages=100_000, pages_per_second=10))
        delivered: list[object] = []
        with JobStore(tmp_path / "s.db") as store:
            client = AsyncStatusClient(
                base_url=BASE, clock=clock, store=store, rng=random.Random(1)
            )
            client._transport.client.get_async_httpx_client()._transport = sim.transport()
            async with client:

                async def consume() -> None:
                    async for document in client.iter_crawl(job):
                        delivered.append(document)

                task = asyncio.create_task(consume())
                while len(delivered) < 40:
                    await asyncio.sleep(0)
                task.cancel()
                with pytest.raises(asyncio.CancelledError):
                    await task
            kept = len(store.documents(job, base_url=BASE))
            closed = client._transport.client.get_async_httpx_client().is_closed
        assert kept == len(delivered)
        return len(delivered), closed

    delivered, closed = asyncio.run(main())
    assert delivered >= 40
    assert closed


# -- an async stream's store writes: off the loop, and never ahead of the caller ---------------


def _url(document: Mapping[str, Any]) -> str:
    metadata = document["metadata"]
    assert isinstance(metadata, dict)
    return str(metadata["sourceURL"])


def _async_client(sim: Simulator, clock: FakeClock, store: JobStore) -> AsyncStatusClient:
    return AsyncStatusClient(
        base_url=BASE,
        http_client=httpx.AsyncClient(transport=sim.transport()),
        clock=clock,
        store=store,
        rng=random.Random(1),
    )


class GatedStore(JobStore):
    """A JobStore whose document writes wait for `gate` and note the thread they ran on."""

    def __init__(self, path: Path) -> None:
        super().__init__(path)
        self.gate = threading.Event()
        self.gate.set()
        self.blocked = threading.Event()
        self.writers: list[threading.Thread] = []

    def add_documents(self, job_id: str, documents: Sequence[Any], *, base_url: str) -> int:
        self.writers.append(threading.current_thread())
        if not self.gate.is_set():
            self.blocked.set()
            assert self.gate.wait(timeout=10)
        return super().add_documents(job_id, documents, base_url=base_url)


async def _spin_until(condition: Callable[[], bool]) -> None:
    """Run the loop until ``condition`` holds (bounded: a wrong test fails, never hangs)."""
    for _ in range(100_000):
        if condition():
            return
        await asyncio.sleep(0)
    raise AssertionError("the condition never held")


def test_an_async_stream_writes_its_documents_off_the_event_loop(tmp_path: Path) -> None:
    """No document write runs on the loop's thread; the store ends with every page once."""

    async def main() -> list[str]:
        clock = FakeClock()
        sim = Simulator(clock=clock)
        job = sim.add_crawl(CrawlScenario(pages=300, pages_per_second=50))
        store = GatedStore(tmp_path / "s.db")
        with store:
            async with _async_client(sim, clock, store) as client:
                delivered = [_url(d) async for d in client.iter_crawl(job)]
            assert store.writers
            assert threading.current_thread() not in store.writers
            assert [_url(d) for d in store.documents(job, base_url=BASE)] == delivered
        return delivered

    assert len(set(asyncio.run(main()))) == 300


@pytest.mark.parametrize("stop", ["cancel", "break"])
def test_stopping_while_a_write_is_in_flight_stores_exactly_what_was_received(
    tmp_path: Path, stop: str
) -> None:
    """A cancel (landing while the stream waits for a write before its next poll) or a break
    then ``aclose``, while the worker thread still writes: the task ends only once the writes
    are done, and the store holds exactly the documents the caller got, none more or fewer."""

    async def main() -> None:
        clock = FakeClock()
        sim = Simulator(clock=clock)
        job = sim.add_crawl(CrawlScenario(pages=1000, pages_per_second=20))
        delivered: list[str] = []
        store = GatedStore(tmp_path / "s.db")
        with store:
            store.gate.clear()  # every document write hangs until the test says
            async with _async_client(sim, clock, store) as client:

                async def consume() -> None:
                    async with contextlib.aclosing(client.iter_crawl(job)) as stream:
                        async for document in stream:
                            delivered.append(_url(document))
                            if stop == "break" and len(delivered) == 3:
                                break

                task = asyncio.create_task(consume())
                await _spin_until(store.blocked.is_set)
                await _spin_until(lambda: len(delivered) > 1)
                for _ in range(50):
                    await asyncio.sleep(0)
                handed_over = len(delivered)
                if stop == "cancel":
                    task.cancel()
                for _ in range(50):
                    await asyncio.sleep(0)
                assert not task.done()  # still waiting for the writes of what it handed over
                store.gate.set()
                with contextlib.suppress(asyncio.CancelledError):
                    await task
                assert task.cancelled() == (stop == "cancel")
            kept = [_url(d) for d in store.documents(job, base_url=BASE)]
        assert len(delivered) == handed_over  # nothing more once the first write hung
        assert kept == delivered

    asyncio.run(main())


@settings(max_examples=25, deadline=None)
@given(
    spins=st.integers(min_value=0, max_value=400),
    caller_awaits=st.booleans(),
    close=st.sampled_from(["cancel", "aclose"]),
)
def test_cancel_anywhere_then_resume_delivers_every_page_exactly_once(
    tmp_path_factory: pytest.TempPathFactory, spins: int, caller_awaits: bool, close: str
) -> None:
    """Stop an async stream at any point (a cancel landing in a poll, a sleep, a store write,
    a flush or the caller's own await; or aclose after a break): the store then holds exactly
    what the caller received, and a resumed stream yields exactly the rest."""
    path = tmp_path_factory.mktemp("resume") / "s.db"

    async def main() -> None:
        clock = FakeClock()
        sim = Simulator(clock=clock)
        job = sim.add_crawl(CrawlScenario(pages=120, pages_per_second=40))
        first: list[str] = []
        with JobStore(path) as store:
            async with _async_client(sim, clock, store) as client:
                stream = client.iter_crawl(job)

                async def consume() -> None:
                    async with contextlib.aclosing(stream):
                        async for document in stream:
                            first.append(_url(document))
                            if caller_awaits:
                                await asyncio.sleep(0)
                            if close == "aclose" and len(first) > spins // 4:
                                break

                task = asyncio.create_task(consume())
                for _ in range(spins):
                    if task.done():
                        break
                    await asyncio.sleep(0)
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task
            assert [_url(d) for d in store.documents(job, base_url=BASE)] == first
            async with _async_client(sim, clock, store) as client:
                rest = [_url(d) async for d in client.iter_crawl(job)]
        assert not set(first) & set(rest)
        assert sorted(first + rest) == sorted({*first, *rest})
        assert len(first + rest) == 120

    asyncio.run(main())


def test_a_failed_write_ends_the_async_stream_with_the_store_error(tmp_path: Path) -> None:
    """A write failing in the worker thread is raised by the stream, not lost with the thread."""

    class FailingStore(JobStore):
        def add_documents(self, job_id: str, documents: Sequence[Any], *, base_url: str) -> int:
            raise StoreError("disk full")

    async def main() -> None:
        clock = FakeClock()
        sim = Simulator(clock=clock)
        job = sim.add_crawl(CrawlScenario(pages=200, pages_per_second=50))
        with FailingStore(tmp_path / "s.db") as store:
            async with _async_client(sim, clock, store) as client:
                with pytest.raises(StoreError, match="disk full"):
                    async for _ in client.iter_crawl(job):
                        pass

    asyncio.run(main())
