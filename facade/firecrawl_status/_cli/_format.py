"""How times, sizes and figures read in the command's output, for scripts and for people."""

from __future__ import annotations

import datetime as dt

from firecrawl_status._jobs import JobResult
from firecrawl_status._snapshot import CrawlResult, CrawlSnapshot, ExtractSnapshot

PROG = "firecrawl-status"
"""The command's name: it starts every line written for people."""


def iso(when: dt.datetime | None) -> str | None:
    """ISO-8601 UTC with ``Z``; milliseconds only when there are any."""
    if when is None:
        return None
    when = when.astimezone(dt.UTC)
    text = when.strftime("%Y-%m-%dT%H:%M:%S")
    return f"{text}.{when.microsecond // 1000:03d}Z" if when.microsecond else f"{text}Z"


def seconds_left(delta: dt.timedelta | None) -> int | None:
    """Whole seconds of a time left (JSON's ``timeLeftSeconds``)."""
    return None if delta is None else int(delta.total_seconds())


def left(seconds: float | None) -> str:
    """Time left before the server forgets a job, short: ``23h59m``, ``4m05s``, ``expired``."""
    if seconds is None:
        return "unknown"
    whole = int(seconds)
    if whole <= 0:
        return "expired"
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours}h{minutes:02d}m"
    return f"{minutes}m{secs:02d}s" if minutes else f"{secs}s"


def elapsed(seconds: float) -> str:
    """A duration as ``m:ss`` or ``h:mm:ss``."""
    minutes, secs = divmod(int(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def size(count: int) -> str:
    """A byte count, short: ``512 B``, ``1.5 MB``."""
    if count < 1000:
        return f"{count} B"
    amount = float(count)
    for unit in ("KB", "MB", "GB"):
        amount /= 1000
        if amount < 1000 or unit == "GB":
            break
    return f"{amount:.1f} {unit}"


def pages(snapshot: CrawlSnapshot) -> str:
    """A crawl's progress: ``12/40 pages`` (``?`` for what the server did not say)."""
    current = "?" if snapshot.current is None else str(snapshot.current)
    total = "?" if snapshot.total is None else str(snapshot.total)
    return f"{current}/{total} pages"


def step(snapshot: ExtractSnapshot) -> str | None:
    """The extract's latest step name, when the server sent one."""
    steps = snapshot.extras.get("steps")
    if isinstance(steps, list) and steps and isinstance(steps[-1], dict):
        name = steps[-1].get("step")
        return name if isinstance(name, str) else None
    return None


def figures_lines(result: CrawlResult) -> list[str]:
    """The merge figures and the traffic of a crawl wait, as two short lines."""
    figures, traffic = result.figures, result.traffic
    earlier = f"{figures.known_before} kept from an earlier run · " if figures.known_before else ""
    if isinstance(result, JobResult):
        # v1/v2 has no partial_data, final data nor window: pages, each read once.
        merge = (
            f"merge:   {earlier}{figures.from_partial} from the pages read · "
            f"{figures.duplicates_dropped} duplicates dropped"
        )
    else:
        merge = (
            f"merge:   {earlier}{figures.from_partial} from partial_data · "
            f"{figures.from_final_only} only in the final data · "
            f"{figures.duplicates_dropped} duplicates dropped · {figures.gaps} gaps"
        )
    return [
        merge,
        f"traffic: {traffic.requests} requests · {traffic.not_modified} answered 304 · "
        f"{traffic.retries} retries · {size(traffic.bytes_received)} received",
    ]
