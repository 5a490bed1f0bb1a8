"""The benchmark's figures, computed from one run: what the contender recorded (times on the
machine's monotonic clock) and what the simulator knows (when each page became readable, every
request it answered). Pure functions; all times in simulator seconds.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Sequence
from typing import Any

from firecrawl_status.testing import SimRequest

__all__ = ["crawl_figures", "evicted_unseen", "extract_figures", "percentile", "rss_figures"]

ToSim = Callable[[float], float]


def percentile(values: Sequence[float], q: float) -> float | None:
    """The ``q`` quantile (0..1) by linear interpolation; None for no values."""
    if not values:
        return None
    ordered = sorted(values)
    position = (len(ordered) - 1) * q
    low, high = math.floor(position), math.ceil(position)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def evicted_unseen(
    available: Sequence[tuple[float, str]], requests: Sequence[SimRequest], window: int
) -> int:
    """Pages that entered and left a ``window``-page ``partial_data`` between two reads.

    Each answered read (200 or 304) at time ``at`` showed the ``window`` most recent of the
    pages landed by then. A page no read showed, which landed before the last read of a
    running crawl, was pushed out unseen; the ones landing after it only ever appear in the
    final ``data`` (late, not evicted).
    """
    times = [at for at, _ in available]
    end = times[-1] if times else 0.0
    shown = [False] * len(times)
    last_landed = 0
    for request in requests:
        if request.status not in (200, 304) or request.at >= end:
            continue
        landed = sum(1 for at in times if at <= request.at)
        for rank in range(max(0, landed - window), landed):
            shown[rank] = True
        last_landed = max(last_landed, landed)
    return sum(1 for rank in range(last_landed) if not shown[rank])


def crawl_figures(
    record: dict[str, Any],
    available: Sequence[tuple[float, str]],
    requests: Sequence[SimRequest],
    bytes_sent: int,
    final_bytes: int,
    to_sim: ToSim,
    *,
    window: int | None,
) -> dict[str, Any]:
    """Figures 1-6 for one crawl: bytes, delivery and detection latency, requests, losses, CPU."""
    first: dict[str, float] = {}
    for key, at in record["received"]:
        first.setdefault(key, to_sim(at))
    delays = [first[url] - at for at, url in available if url in first]
    terminal = available[-1][0] if available else 0.0
    finished = [to_sim(at) for _, at in record["finished"]]
    polls = len(requests)
    times = [request.at for request in requests if request.at < terminal]
    gaps = [later - earlier for earlier, later in itertools.pairwise(times)]
    return {
        "pages": len(available),
        "bytes": bytes_sent,
        "final_bytes": final_bytes,
        "bytes_ratio": bytes_sent / final_bytes if final_bytes else None,
        "delivery_p50": percentile(delays, 0.5),
        "delivery_p95": percentile(delays, 0.95),
        "detection": finished[0] - terminal if finished else None,
        "requests": polls,
        "poll_gap_p50": percentile(gaps, 0.5),
        "not_modified": sum(1 for request in requests if request.status == 304),
        "lost": sum(1 for _, url in available if url not in first),
        "duplicated": len(record["received"]) - len(first),
        "evicted_unseen": evicted_unseen(available, requests, window) if window else None,
        "cpu_seconds": record["cpu_seconds"],
        "cpu_per_poll_ms": 1000 * record["cpu_seconds"] / polls if polls else None,
        "errors": record["errors"],
    }


def extract_figures(
    record: dict[str, Any],
    added: dict[str, float],
    durations: dict[str, float],
    requests: Sequence[SimRequest],
    to_sim: ToSim,
    *,
    interval: float,
) -> dict[str, Any]:
    """Figure 8 (and the extract rows of 3 and 4) for many extract jobs waited on at once."""
    finished = {job_id: to_sim(at) for job_id, at in record["finished"]}
    start = min(added.values())
    terminal = {job_id: added[job_id] + durations[job_id] for job_id in added}
    detection = [finished[job_id] - terminal[job_id] for job_id in finished if job_id in terminal]
    wall = max(finished.values()) - start if finished else None
    ideal = max(terminal.values()) - start + interval
    first: dict[str, float] = {}
    for request in requests:
        if request.job_id is not None and request.status in (200, 304):
            first.setdefault(request.job_id, request.at)
    first_reads = [first[job_id] - added[job_id] for job_id in first if job_id in added]
    late = sum(1 for job_id in first if job_id in terminal and first[job_id] >= terminal[job_id])
    # What a fixed 2 s loop started with the job sends: a read at 0, 2, 4, ... up to the first
    # one at or after the end.
    loop = [math.ceil(duration / 2.0) + 1 for duration in durations.values()]
    return {
        "jobs": len(added),
        "completed": len(finished) - len(record["errors"]),
        "wall": wall,
        "ideal": ideal,
        "interval": interval,
        "wall_ratio": wall / ideal if wall is not None else None,
        "cpu_seconds": record["cpu_seconds"],
        "requests_per_job": len(requests) / len(added) if added else None,
        "first_read_p50": percentile(first_reads, 0.5),
        "first_read_max": max(first_reads, default=None),
        "first_read_after_end": late,
        "detection_p50": percentile(detection, 0.5),
        "detection_p95": percentile(detection, 0.95),
        "detection_max": max(detection, default=None),
        "not_modified_per_job": sum(1 for request in requests if request.status == 304) / len(added)
        if added
        else None,
        "loop_requests_per_job": sum(loop) / len(loop) if loop else None,
        "errors": record["errors"],
    }


def rss_figures(record: dict[str, Any], largest_response: int, lines: int) -> dict[str, Any]:
    """Figure 7: peak RSS of a streaming run against the largest single answer."""
    peak = record["peak_rss_kib"] * 1024
    baseline = record["baseline_rss_kib"] * 1024
    return {
        "peak_rss": peak,
        "baseline_rss": baseline,
        "largest_response": largest_response,
        "growth_ratio": (peak - baseline) / largest_response if largest_response else None,
        "peak_ratio": peak / largest_response if largest_response else None,
        "lines": lines,
        "peak_reset": record.get("peak_reset", False),
        "errors": record["errors"],
    }
