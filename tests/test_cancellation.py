"""Ctrl-C in sync code and task cancellation in async code stop cleanly: the interruption
propagates, connections are closed, and what was delivered is in the store."""

from __future__ import annotations

import asyncio
import random
from pathlib import Path

import httpx
import pytest

from firecrawl_status import AsyncStatusClient, JobStore, StatusClient
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
