"""What a job's status means: one table per job kind, for the core, the snapshots and the CLI.

A status maps to an `Outcome`; any status not in its kind's table, known or not, is
``running`` (keep polling). One server quirk turns a running extract into ``lost``: after its
record expires, the server answers from a fallback, and a job that had failed reads as
``processing`` with ``expiresAt`` about the request time (docs/server-facts.md). A live job answers
the same for a moment: the server writes its record in two steps, and a read between them sees
``expiresAt`` equal to the current second (docs/server-facts.md, timing). One such answer proves
nothing. It is ``unconfirmed`` (keep polling) until a read at least `LOST_CONFIRMATION`
seconds after an earlier such read says the same; only then is it ``lost``. Waits and one-shot
reads share the rule: a wait re-reads; a one-shot read is ``lost`` only when the job store
recorded such a read of the job that long before, else it reports ``unconfirmed``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Literal

Kind = Literal["crawl", "extract", "batch_scrape"]
"""A job's kind; ``batch_scrape`` exists on the v1/v2 API only."""

Api = Literal["v0", "v1", "v2"]
"""Which API generation a job is read through (v0: ``/v0/crawl/status``, extract's own)."""

Outcome = Literal["running", "unconfirmed", "completed", "failed", "cancelled", "lost"]
"""What a status means: ``running`` or ``unconfirmed`` (keep polling), or how the job ended."""

LOST_CONFIRMATION = dt.timedelta(seconds=5)
"""How long after a first ``processing``-past-``expiresAt`` read a second one confirms the loss.

The race that fakes it lasts between two Redis writes (microseconds); a real loss lasts hours.
Five seconds is more than two polls at the default cadence, so a wait confirms a loss quickly,
while two race reads (about 1 in 2,300) that far apart with no normal read between do not happen.
"""

STILL_RUNNING: frozenset[Outcome] = frozenset({"running", "unconfirmed"})
"""The outcomes that say: keep polling, the job may still change."""

CRAWL_OUTCOMES: Mapping[str, Outcome] = {"completed": "completed", "failed": "failed"}
"""Crawl statuses that end the job; a cancelled crawl reports ``failed`` (docs/server-facts.md)."""

EXTRACT_OUTCOMES: Mapping[str, Outcome] = {
    "completed": "completed",
    "failed": "failed",
    "cancelled": "cancelled",  # documented, never sent (docs/server-facts.md)
}
"""Extract statuses that end the job."""

JOB_OUTCOMES: Mapping[str, Outcome] = {
    "completed": "completed",
    "failed": "failed",
    "cancelled": "cancelled",
}
"""v1/v2 crawl and batch-scrape statuses that end the job (``scraping`` runs): crawl and batch
scrape share one server handler, and a v0 crawl's ``failed`` after a cancel reads
``cancelled`` here (docs/server-facts.md)."""

_TABLES: Mapping[Kind, Mapping[str, Outcome]] = {
    "crawl": CRAWL_OUTCOMES,
    "extract": EXTRACT_OUTCOMES,
    "batch_scrape": JOB_OUTCOMES,
}


def outcome(
    kind: Kind,
    status: str,
    *,
    expired: bool = False,
    expired_for: dt.timedelta | None = None,
    api: Api = "v0",
) -> Outcome:
    """What ``status`` means for a job of ``kind`` read through ``api``.

    Args:
        kind: The job kind.
        status: The status as sent.
        expired: ``expiresAt`` was already past at this read.
        expired_for: How long before this read an earlier read of the job first answered a
            running status with ``expiresAt`` past (None: no earlier read did).
        api: ``"v0"`` for the v0 crawl and v1 extract routes, else the v1/v2 job routes.
    """
    table = _TABLES[kind] if api == "v0" else JOB_OUTCOMES
    meaning = table.get(status, "running")
    if meaning == "running" and kind == "extract" and expired:
        confirmed = expired_for is not None and expired_for >= LOST_CONFIRMATION
        return "lost" if confirmed else "unconfirmed"
    return meaning
