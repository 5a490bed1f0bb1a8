"""Time as the clients see it: one injectable object, so tests never sleep for real.

A clock answers two questions, `monotonic()` for deadlines and intervals and `utcnow()` for
comparing with the server's timestamps, and performs the two waits, `sleep()` and `asleep()`.
`SystemClock` is the real one; `firecrawl_status.testing.FakeClock` advances instantly.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import time
from typing import Protocol

__all__ = ["Clock", "SystemClock"]  # re-exported by firecrawl_status


class Clock(Protocol):
    """What the clients need from time. Pass your own to `StatusClient(clock=...)`."""

    def monotonic(self) -> float:
        """Seconds on a clock that never goes backwards (for deadlines and intervals)."""
        ...

    def utcnow(self) -> dt.datetime:
        """The current wall-clock time, timezone-aware UTC (for the server's timestamps)."""
        ...

    def sleep(self, seconds: float) -> None:
        """Block the calling thread for ``seconds``."""
        ...

    async def asleep(self, seconds: float) -> None:
        """Suspend the calling task for ``seconds``."""
        ...


class SystemClock:
    """The real clock: `time.monotonic`, the system's UTC time, `time.sleep`, `asyncio.sleep`."""

    def monotonic(self) -> float:
        """Seconds from `time.monotonic`."""
        return time.monotonic()

    def utcnow(self) -> dt.datetime:
        """The system's current time in UTC."""
        return dt.datetime.now(dt.UTC)

    def sleep(self, seconds: float) -> None:
        """`time.sleep`, never negative."""
        time.sleep(max(0.0, seconds))

    async def asleep(self, seconds: float) -> None:
        """`asyncio.sleep`, never negative."""
        await asyncio.sleep(max(0.0, seconds))

    def __repr__(self) -> str:
        return "SystemClock()"
