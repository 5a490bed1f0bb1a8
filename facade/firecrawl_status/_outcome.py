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

Kind = Literal["crawl", "extract"]

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

_TABLES: Mapping[Kind, Mapping[str, Outcome]] = {
    "crawl": CRAWL_OUTCOMES,
    "extract": EXTRACT_OUTCOMES,
}


def outcome(kind: Kind, status: str, *, expired: bool = False) -> Outcome:
    """What ``status`` means for a job of ``kind``; ``expired`` when ``expiresAt`` was past."""
    meaning = _TABLES[kind].get(status, "running")
    if meaning == "running" and kind == "extract" and expired:
        return "lost"
    return meaning
