"""Typed reads of v1/v2 crawl and batch-scrape jobs: a status page, a finished wait, ``/errors``.

A v1/v2 status answer is one page of a job (``data`` from offset ``skip``); `JobSnapshot` is a
`CrawlSnapshot` (``current`` is the server's ``completed``, ``documents`` the page's ``data``)
so every caller of the v0 crawl API reads it unchanged, plus what only v1/v2 say. Its outcome
comes from the v1/v2 table (`_outcome.JOB_OUTCOMES`: ``cancelled`` is its own outcome there).
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import attrs

from ._documents import CrawlDocument
from ._outcome import Api, Kind, Outcome, outcome
from ._snapshot import CrawlResult, CrawlSnapshot
from .errors import JobCancelledError, JobFailedError, summarize

if TYPE_CHECKING:
    from ._generated.models import JobStatusResponse

__all__ = ["JobErrorEntry", "JobErrors", "JobResult", "JobSnapshot"]  # re-exported


def _count(value: object) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _time(value: object) -> dt.datetime | None:
    """An ISO-8601 timestamp as aware UTC, or None when absent or not one."""
    if not isinstance(value, str):
        return None
    try:
        parsed = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed.replace(tzinfo=dt.UTC) if parsed.tzinfo is None else parsed.astimezone(dt.UTC)


@attrs.frozen(kw_only=True)
class JobSnapshot(CrawlSnapshot):
    """One page of a v1/v2 crawl or batch-scrape status (a `CrawlSnapshot`).

    Attributes:
        kind: ``"crawl"`` or ``"batch_scrape"``.
        api: ``"v1"`` or ``"v2"``.
        success: The body's ``success``: false (with HTTP 200) when the job failed at kickoff.
        credits_used: The body's ``creditsUsed``; None when absent or ``-1`` (self-hosted
            servers have no billing data).
        next_url: The body's ``next`` as sent (never followed as is: see `_pages`).
        warning: The body's ``warning``, if any.
        model: The generated v1/v2 `JobStatusResponse` of this answer (not the v0
            `CrawlStatusResponse` a `CrawlSnapshot` has), built on first use.
    """

    kind: Kind = "crawl"
    api: Api = "v2"
    success: bool = True
    credits_used: int | None = None
    next_url: str | None = None
    warning: str | None = None

    # A JobSnapshot reads as a CrawlSnapshot everywhere but here: a v1/v2 answer is not the v0
    # model's shape, so its model is the v1/v2 one (narrow with isinstance to see it typed).
    @functools.cached_property
    def model(self) -> JobStatusResponse:  # type: ignore[override]
        """The generated `JobStatusResponse` of this answer, built on first use."""
        # Imported here, as CrawlSnapshot.model: the core loads without the generated code.
        from ._generated.models import JobStatusResponse

        return JobStatusResponse.from_dict(self.body)

    @property
    def outcome(self) -> Outcome:
        """What the status means in the v1/v2 table: ``scraping`` (or anything unknown) is
        ``running``; ``completed``, ``failed`` and ``cancelled`` end the job."""
        return outcome(self.kind, self.status, api=self.api)

    @classmethod
    def from_page(
        cls,
        job_id: str,
        data: dict[str, Any],
        read_at: dt.datetime,
        *,
        documents: list[CrawlDocument],
        kind: Kind,
        api: Api,
        response: Any = None,
    ) -> JobSnapshot:
        """Build from a 200 body that fits the spec, with its ``data`` already picked out."""
        status = str(data["status"])
        credits = _count(data.get("creditsUsed"))
        error_value = data.get("error")
        next_url = data.get("next")
        warning = data.get("warning")
        return cls(
            job_id=job_id,
            status=status,
            current=_count(data.get("completed")),
            total=_count(data.get("total")),
            documents=documents,
            read_at=read_at,
            expires_at=_time(data.get("expiresAt")),
            error=None if error_value is None else summarize(error_value),
            body=data,
            response=response,
            kind=kind,
            api=api,
            success=data.get("success") is not False,
            credits_used=None if credits is None or credits < 0 else credits,
            next_url=next_url if isinstance(next_url, str) else None,
            warning=warning if isinstance(warning, str) else None,
        )


@attrs.frozen(kw_only=True)
class JobResult(CrawlResult):
    """A completed v1/v2 crawl or batch scrape: every document exactly once (a `CrawlResult`).

    "completed" never silently means "every page": the pages the server could not scrape are
    counted here (from the job's ``/errors``), and so are the pages it skipped.

    Attributes:
        snapshot: The last page read, a `JobSnapshot` (its ``model`` the v1/v2 one).
        failed_pages: Pages that failed (``/errors``' entries); None when ``/errors`` could
            not be read.
        robots_blocked: URLs not fetched because robots.txt disallowed them; None when
            ``/errors`` could not be read.
        skipped_pages: Finished pages the server counted but never sent (a missing stored
            result, docs/server-facts.md).
    """

    snapshot: JobSnapshot = attrs.field(repr=False)
    failed_pages: int | None = None
    robots_blocked: int | None = None
    skipped_pages: int = 0

    @property
    def credits_used(self) -> int | None:
        """Credits the job used, when the server knows (None on self-hosted servers)."""
        return self.snapshot.credits_used


@attrs.frozen(kw_only=True)
class JobErrorEntry:
    """One page that failed.

    Attributes:
        id: The failed scrape's id.
        timestamp: When it failed (aware UTC), or None when not sent or unreadable.
        url: The page's URL.
        code: A machine-readable error code, or None.
        error: The error text.
    """

    id: str
    timestamp: dt.datetime | None
    url: str
    code: str | None
    error: str


@attrs.frozen(kw_only=True)
class JobErrors:
    """A job's ``/errors``: the pages that failed and those robots.txt blocked.

    Attributes:
        job_id: The crawl or batch-scrape id.
        errors: The failed pages.
        robots_blocked: URLs not fetched because robots.txt disallowed them.
        body: The decoded answer, as sent.
    """

    job_id: str
    errors: list[JobErrorEntry]
    robots_blocked: list[str]
    body: dict[str, Any] = attrs.field(repr=False, eq=False)

    @classmethod
    def from_body(cls, job_id: str, body: dict[str, Any]) -> JobErrors:
        """Build from a body that fits ``JobErrorsResponse``."""
        entries = [
            JobErrorEntry(
                id=str(entry["id"]),
                timestamp=_time(entry.get("timestamp")),
                url=str(entry["url"]),
                code=entry.get("code") if isinstance(entry.get("code"), str) else None,
                error=str(entry["error"]),
            )
            for entry in body["errors"]
        ]
        return cls(
            job_id=job_id,
            errors=entries,
            robots_blocked=[str(url) for url in body["robotsBlocked"]],
            body=body,
        )


def job_error(
    snapshot: JobSnapshot, *, documents: Sequence[CrawlDocument] = (), received: int = 0
) -> JobFailedError | None:
    """The error a v1/v2 job's end raises: `JobCancelledError` for ``cancelled``,
    `JobFailedError` for ``failed`` (a kickoff failure too); None while running or completed."""
    meaning = snapshot.outcome
    if meaning not in ("failed", "cancelled"):
        return None
    name = snapshot.kind.replace("_", " ")
    when = " at kickoff" if not snapshot.success else ""
    reason = snapshot.error or "the server gave no reason"
    error_class = JobCancelledError if meaning == "cancelled" else JobFailedError
    counted = snapshot.current is not None or snapshot.total is not None  # none at kickoff
    progress = f" at {snapshot.current}/{snapshot.total}" if counted else ""
    return error_class(
        f"{name} {snapshot.job_id} {snapshot.status}{when}{progress}: {reason}; "
        f"{received} document(s) received",
        job_id=snapshot.job_id,
        documents=documents,
        snapshot=snapshot,
        error=snapshot.body.get("error"),
    )
