"""What a job's status means: one table per job kind, for the core, the snapshots and the CLI.

A status maps to an `Outcome`; any status not in its kind's table, known or not, is
``running`` (keep polling). One server quirk turns a running extract into ``lost``: after its
record expires, the server answers from a fallback, and a job that had failed reads as
``processing`` with ``expiresAt`` about the request time (API-FACTS). Such an answer is
``lost`` wherever it is read, by a one-shot read or a wait.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Literal

Kind = Literal["crawl", "extract", "batch_scrape"]
"""A job's kind; ``batch_scrape`` exists on the v1/v2 API only."""

Api = Literal["v0", "v1", "v2"]
"""Which API generation a job is read through (v0: ``/v0/crawl/status``, extract's own)."""

Outcome = Literal["running", "completed", "failed", "cancelled", "lost"]
"""What a status means: ``running`` (keep polling) or how the job ended."""

CRAWL_OUTCOMES: Mapping[str, Outcome] = {"completed": "completed", "failed": "failed"}
"""Crawl statuses that end the job; a cancelled crawl reports ``failed`` (API-FACTS)."""

EXTRACT_OUTCOMES: Mapping[str, Outcome] = {
    "completed": "completed",
    "failed": "failed",
    "cancelled": "cancelled",  # documented, never sent (API-FACTS)
}
"""Extract statuses that end the job."""

JOB_OUTCOMES: Mapping[str, Outcome] = {
    "completed": "completed",
    "failed": "failed",
    "cancelled": "cancelled",
}
"""v1/v2 crawl and batch-scrape statuses that end the job (``scraping`` runs): crawl and batch
scrape share one server handler, and a v0 crawl's ``failed`` after a cancel reads
``cancelled`` here (API-FACTS)."""

_TABLES: Mapping[Kind, Mapping[str, Outcome]] = {
    "crawl": CRAWL_OUTCOMES,
    "extract": EXTRACT_OUTCOMES,
    "batch_scrape": JOB_OUTCOMES,
}


def outcome(kind: Kind, status: str, *, expired: bool = False, api: Api = "v0") -> Outcome:
    """What ``status`` means for a job of ``kind`` read through ``api``; ``expired`` when
    ``expiresAt`` was past."""
    table = _TABLES[kind] if api == "v0" else JOB_OUTCOMES
    meaning = table.get(status, "running")
    if meaning == "running" and kind == "extract" and expired:
        return "lost"
    return meaning
