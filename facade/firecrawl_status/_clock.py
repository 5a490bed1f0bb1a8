"""Time as the clients see it: the injectable clock, and the server's times and expiries.

A clock answers two questions, `monotonic()` for deadlines and intervals and `utcnow()` for
comparing with the server's timestamps, and performs the two waits, `sleep()` and `asleep()`.
`SystemClock` is the real one; `firecrawl_status.testing.FakeClock` advances instantly.

The rest reads the server's clock: its ``Date`` and ``Retry-After`` dates, how long it keeps a
job, and when a job's ``expiresAt`` counts as already past.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import email.utils
import time
from collections.abc import Mapping
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


CRAWL_RETENTION = dt.timedelta(hours=24)
"""How long the server keeps a crawl after the last status read (sliding since 2025-03)."""

EXPIRY_SLACK = dt.timedelta(seconds=5)
"""``expiresAt`` has whole seconds and is computed at request time: within this of the read
time it counts as already past."""


_DATE_RANGE = (dt.datetime(1900, 1, 1, tzinfo=dt.UTC), dt.datetime(9000, 1, 1, tzinfo=dt.UTC))
"""Dates a server may send: far enough from `datetime`'s ends (years 1 and 9999) for every sum
done with them (an expiry 24 h on, a skew correction, a retry delay) to stay in range."""


def http_date(value: str) -> dt.datetime | None:
    """An HTTP date (``Date``, ``Retry-After``) as aware UTC, or None when it does not parse
    or lies too near year 1 or 9999 to compute with (a hostile ``Date: ... 9999``)."""
    try:
        parsed = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, OverflowError, IndexError):
        return None
    parsed = parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.UTC)
    return parsed if _DATE_RANGE[0] <= parsed <= _DATE_RANGE[1] else None


def server_time(headers: Mapping[str, str], fallback: dt.datetime) -> dt.datetime:
    """The answer's ``Date`` header as aware UTC, else ``fallback`` (corrects our clock's skew)."""
    value = headers.get("date")
    return (http_date(value) if isinstance(value, str) else None) or fallback


def already_past(left: dt.timedelta | None) -> bool:
    """True when an expiry ``left`` away from a read was already past at that read."""
    return left is not None and left <= EXPIRY_SLACK


def warning_due(left: dt.timedelta | None, threshold: float | None) -> dt.timedelta | None:
    """``left`` when it is under ``threshold`` seconds (None: never warn), else None."""
    if threshold is None or left is None:
        return None
    return left if left.total_seconds() < threshold else None
