"""Test helpers for code that uses firecrawl-status: a fake clock and a local Firecrawl simulator.

`FakeClock` is a `firecrawl_status.Clock` whose sleeps return at once and move time forward,
so a poll loop with a 24 h deadline runs in microseconds. Share one `FakeClock` between a client and
the simulator and the simulated jobs advance exactly as fast as the client waits.

`Simulator` answers both status endpoints as the real server does (docs/server-facts.md): describe a
job with `CrawlScenario` or `ExtractScenario`, queue a bad answer with `Fault`, and reach it
through ``sim.transport()`` (httpx, sync or async) or ``sim.serve()`` (a `SimulatorServer` on
127.0.0.1). With pytest, the ``firecrawl_clock``, ``firecrawl_simulator`` and
``firecrawl_server`` fixtures (from ``firecrawl_status._pytest_plugin``) build them per test.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import threading

from ._simulator import (
    CrawlScenario,
    ExtractScenario,
    Fault,
    SimRequest,
    SimResponse,
    SimStats,
    Simulator,
    SimulatorServer,
    add_demo_jobs,
    serve_forever,
)

__all__ = [
    "CrawlScenario",
    "ExtractScenario",
    "FakeClock",
    "Fault",
    "SimRequest",
    "SimResponse",
    "SimStats",
    "Simulator",
    "SimulatorServer",
    "add_demo_jobs",
    "serve_forever",
]

DEFAULT_START = dt.datetime(2025, 8, 1, 12, 0, 0, tzinfo=dt.UTC)


class FakeClock:
    """A clock that only moves when told to, or when someone sleeps on it.

    Args:
        start: The wall-clock time at monotonic 0 (timezone-aware).

    Thread-safe: the simulator's server thread may read it while a client sleeps.
    """

    def __init__(self, start: dt.datetime = DEFAULT_START) -> None:
        if start.tzinfo is None:
            raise ValueError("FakeClock(start=...) needs a timezone-aware datetime")
        self._start = start
        self._now = 0.0
        self._lock = threading.Lock()
        self.sleeps: list[float] = []
        """Every sleep requested, in order (for asserting a retry or poll schedule)."""

    def monotonic(self) -> float:
        """Seconds since the clock was made (moves only by `advance` and sleeps)."""
        with self._lock:
            return self._now

    def utcnow(self) -> dt.datetime:
        """`start` plus the time elapsed on this clock."""
        with self._lock:
            return self._start + dt.timedelta(seconds=self._now)

    def advance(self, seconds: float) -> None:
        """Move time forward without recording a sleep."""
        if seconds < 0:
            raise ValueError("time does not go backwards")
        with self._lock:
            self._now += seconds

    def sleep(self, seconds: float) -> None:
        """Record the sleep and move time forward at once."""
        seconds = max(0.0, seconds)
        with self._lock:
            self.sleeps.append(seconds)
            self._now += seconds

    async def asleep(self, seconds: float) -> None:
        """Same as `sleep`, then yield once to the event loop (so cancellation can land)."""
        self.sleep(seconds)
        await asyncio.sleep(0)

    def __repr__(self) -> str:
        return f"FakeClock(now={self._now:.3f})"
