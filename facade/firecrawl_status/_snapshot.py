"""Typed snapshots of one status read, and the results of a finished wait.

Snapshots are built from the generated models (``model``) and the decoded body; statuses are
plain strings (an unknown one is kept as sent), times are timezone-aware UTC datetimes, and
crawl documents are the server's JSON objects exactly as sent.
"""

from __future__ import annotations

import datetime as dt
import functools
from typing import TYPE_CHECKING, Any, ClassVar, cast

import attrs

from ._clock import CRAWL_RETENTION, already_past
from ._deprecation import Deprecation
from ._documents import CrawlDocument, ExtractBody
from ._outcome import STILL_RUNNING, Kind, Outcome, outcome
from .errors import summarize

if TYPE_CHECKING:
    import httpx

    from ._generated.models import CrawlStatusResponse, ExtractStatusResponse

__all__ = [
    "CrawlFigures",
    "CrawlResult",
    "CrawlSnapshot",
    "ExtractResult",
    "ExtractSnapshot",
    "Traffic",
]  # re-exported by firecrawl_status

CRAWL_DOCUMENT_LISTS = ("data", "partial_data")
"""The keys of a crawl answer that hold documents."""


def _status(value: object) -> str:
    """The plain string of an open-enum status (a known enum member or any other string)."""
    inner = getattr(value, "value", value)
    return inner if isinstance(inner, str) else str(inner)


def _int_or_none(value: object) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


class _Read:
    """What every snapshot answers alike, from the outcome table and its two times."""

    __slots__ = ()
    _kind: ClassVar[Kind]
    status: str
    read_at: dt.datetime
    expires_at: dt.datetime | None

    @property
    def expired(self) -> bool:
        """True when `expires_at` was already past at this read (the server forgot the job)."""
        return already_past(self.time_left)

    @property
    def outcome(self) -> Outcome:
        """What the status means (`firecrawl_status._outcome`): ``running``, ``completed``,
        ``failed``, ``cancelled``, ``lost`` (an extract whose record expired, confirmed by a
        second read), or ``unconfirmed`` (one such read, which a live job can also give)."""
        return outcome(self._kind, self.status, expired=self.expired, expired_for=self._expired_for)

    @property
    def _expired_for(self) -> dt.timedelta | None:
        return None

    @property
    def is_terminal(self) -> bool:
        """True once the job can no longer change: every outcome but ``running`` and
        ``unconfirmed``."""
        return self.outcome not in STILL_RUNNING

    @property
    def is_running(self) -> bool:
        """True while the job may still change (any status not in the outcome table)."""
        return not self.is_terminal

    @property
    def time_left(self) -> dt.timedelta | None:
        """Time between this read and `expires_at` (negative when already past)."""
        return None if self.expires_at is None else self.expires_at - self.read_at


@attrs.frozen(kw_only=True)
class CrawlSnapshot(_Read):
    """One read of a crawl's status.

    Attributes:
        job_id: The crawl id.
        status: The status as sent (``active``, ``completed``, ``failed``, ``waiting``, ...).
        current: Pages finished so far, when the server said.
        total: Pages known so far, when the server said.
        documents: The documents in this answer: ``data`` once completed, else
            ``partial_data`` (each the server's JSON object, unchanged).
        read_at: When the server answered (its ``Date`` header, else our clock), UTC.
        expires_at: Estimated time the server forgets the crawl: 24 h after this read.
        error: One-line error text for a failed crawl, else None.
        body: The decoded answer, as sent.
        response: The `httpx.Response`, when the snapshot came from one.
        deprecation: The server's deprecation notice on this answer, or None when it had none.
    """

    _kind: ClassVar[Kind] = "crawl"
    job_id: str
    status: str
    current: int | None
    total: int | None
    documents: list[CrawlDocument] = attrs.field(repr=False)
    read_at: dt.datetime
    expires_at: dt.datetime | None
    error: str | None
    body: dict[str, Any] = attrs.field(repr=False, eq=False)
    response: httpx.Response | None = attrs.field(default=None, repr=False, eq=False)
    deprecation: Deprecation | None = attrs.field(default=None, repr=False)

    @functools.cached_property
    def model(self) -> CrawlStatusResponse:
        """The generated `CrawlStatusResponse` of this answer, built on first use."""
        # Imported here: the snapshot types (and so the core) load without the generated code.
        from ._generated.models import CrawlStatusResponse

        return CrawlStatusResponse.from_dict(self.body)

    @classmethod
    def from_body(
        cls,
        job_id: str,
        data: dict[str, Any],
        read_at: dt.datetime,
        *,
        partial: list[CrawlDocument],
        final: list[CrawlDocument] | None,
        response: httpx.Response | None = None,
    ) -> CrawlSnapshot:
        """Build from an answer that fits the spec, with its two document lists already picked
        out of ``data`` (``partial_data`` and the final ``data``, None when not a list)."""
        status = _status(data["status"])
        error_value = data.get("error")
        return cls(
            job_id=job_id,
            status=status,
            current=_int_or_none(data.get("current")),
            total=_int_or_none(data.get("total")),
            documents=final if status == "completed" and final is not None else partial,
            read_at=read_at,
            expires_at=read_at + CRAWL_RETENTION,
            error=summarize(error_value)
            if status == "failed" and error_value is not None
            else None,
            body=data,
            response=response,
        )

    def without_documents(self) -> CrawlSnapshot:
        """This snapshot minus its documents and response: what a stream keeps of past polls."""
        body = {key: value for key, value in self.body.items() if key not in CRAWL_DOCUMENT_LISTS}
        return attrs.evolve(self, documents=[], body=body, response=None)


@attrs.frozen(kw_only=True)
class ExtractSnapshot(_Read):
    """One read of an extract job's status.

    Attributes:
        job_id: The extract id.
        status: The status as sent (``processing``, ``completed``, ``failed``, ...).
        success: The body's ``success`` (false with HTTP 200 when the job failed).
        data: The extracted JSON once completed (any JSON value; ``[]`` before).
        error: The server's ``error`` as sent (any JSON value), or None.
        error_text: `error` summarised to one line, or None.
        read_at: When the server answered (its ``Date`` header, else our clock), UTC.
        expires_at: The server's ``expiresAt``, aware UTC, or None when absent.
        extras: The other keys the server sent (``llmUsage``, ``sources``, ``steps``, ...).
        model: The generated `ExtractStatusResponse`.
        response: The `httpx.Response`, when the snapshot came from one.
        deprecation: The server's deprecation notice on this answer, or None when it had none.
        expired_since: When an earlier read of the job first answered ``processing`` with its
            ``expiresAt`` already past, with no ordinary read since (from this wait, or from the
            job store); None when none did. What confirms a ``lost`` outcome (`outcome`).
    """

    _kind: ClassVar[Kind] = "extract"
    job_id: str
    status: str
    success: bool
    data: Any = attrs.field(repr=False)
    error: Any = attrs.field(repr=False)
    error_text: str | None
    read_at: dt.datetime
    expires_at: dt.datetime | None
    extras: dict[str, Any] = attrs.field(repr=False)
    model: ExtractStatusResponse = attrs.field(repr=False, eq=False)
    response: httpx.Response | None = attrs.field(default=None, repr=False, eq=False)
    deprecation: Deprecation | None = attrs.field(default=None, repr=False)
    expired_since: dt.datetime | None = None

    @property
    def _expired_for(self) -> dt.timedelta | None:
        return None if self.expired_since is None else self.read_at - self.expired_since

    def to_dict(self) -> ExtractBody:
        """The answer as the server sent it (``success``, ``status``, ``data``, ``expiresAt``,
        ``error`` and the extras): what the CLI writes and the store keeps for an extract."""
        body: dict[str, Any] = {"success": self.success, "status": self.status, "data": self.data}
        if self.expires_at is not None:
            body["expiresAt"] = self.expires_at.strftime("%Y-%m-%dT%H:%M:%S.000Z")
        if self.error is not None:
            body["error"] = self.error
        body.update(self.extras)
        return cast("ExtractBody", body)

    @classmethod
    def from_model(
        cls,
        job_id: str,
        model: ExtractStatusResponse,
        data: dict[str, Any],
        read_at: dt.datetime,
        response: httpx.Response | None = None,
    ) -> ExtractSnapshot:
        """Build from the generated model and the decoded body it came from."""
        expires_at = model.expires_at if isinstance(model.expires_at, dt.datetime) else None
        if expires_at is not None and expires_at.tzinfo is None:
            expires_at = expires_at.replace(tzinfo=dt.UTC)
        error_value = data.get("error")
        return cls(
            job_id=job_id,
            status=_status(model.status),
            success=bool(data.get("success")),
            data=data.get("data"),
            error=error_value,
            error_text=None if error_value is None else summarize(error_value),
            read_at=read_at,
            expires_at=expires_at,
            extras={
                key: value
                for key, value in data.items()
                if key not in {"success", "status", "data", "error", "expiresAt"}
            },
            model=model,
            response=response,
        )


@attrs.frozen(kw_only=True)
class Traffic:
    """What a wait cost on the wire, the same for a crawl and an extract (``result.traffic``).

    Attributes:
        requests: HTTP requests sent (retries included).
        not_modified: ``304 Not Modified`` answers (unchanged polls that cost no body).
        retries: Requests that were retries.
        bytes_received: Body bytes received.
    """

    requests: int = 0
    not_modified: int = 0
    retries: int = 0
    bytes_received: int = 0


@attrs.frozen(kw_only=True)
class CrawlFigures:
    """How a crawl wait gathered its documents, for judging completeness.

    Attributes:
        from_partial: Documents first seen in ``partial_data``.
        from_final_only: Documents recovered only from the final ``data``.
        known_before: Documents delivered by an earlier run (from the store).
        duplicates_dropped: Re-sent documents not yielded again.
        gaps: Pages the server evicted from its window before we saw them.
    """

    from_partial: int = 0
    from_final_only: int = 0
    known_before: int = 0
    duplicates_dropped: int = 0
    gaps: int = 0


@attrs.frozen(kw_only=True)
class CrawlResult:
    """A completed crawl: every document exactly once, with how they were gathered.

    Attributes:
        job_id: The crawl id.
        status: ``completed``.
        documents: Every document, by ``index`` where the server gave one, else first seen;
            the final ``data``'s version where it had one. Empty when streaming with
            `iter_crawl` (the documents went to the caller).
        figures: Merge figures.
        traffic: What the wait cost on the wire (requests, 304s, retries, bytes).
        used_partial_fallback: True when the final ``data`` was null or not a list, so the
            result is the merged ``partial_data`` alone.
        snapshot: The last snapshot read.
    """

    job_id: str
    status: str
    documents: list[CrawlDocument] = attrs.field(repr=False)
    figures: CrawlFigures
    traffic: Traffic
    used_partial_fallback: bool
    snapshot: CrawlSnapshot = attrs.field(repr=False)

    @property
    def expires_at(self) -> dt.datetime | None:
        """Estimated time the server forgets the crawl."""
        return self.snapshot.expires_at

    @property
    def deprecation(self) -> Deprecation | None:
        """The server's deprecation notice on the last answer, or None when it had none."""
        return self.snapshot.deprecation


@attrs.frozen(kw_only=True)
class ExtractResult:
    """A completed extract job.

    Attributes:
        job_id: The extract id.
        status: ``completed``.
        data: The extracted JSON (any JSON value).
        expires_at: The server's ``expiresAt``.
        expired: True when ``expiresAt`` was already past when read (tolerated, flagged).
        extras: The other keys the server sent (``llmUsage``, ``sources``, ...).
        traffic: What the wait cost on the wire (requests, 304s, retries, bytes).
        snapshot: The last snapshot read.
    """

    job_id: str
    status: str
    data: Any = attrs.field(repr=False)
    expires_at: dt.datetime | None
    expired: bool
    extras: dict[str, Any] = attrs.field(repr=False)
    traffic: Traffic
    snapshot: ExtractSnapshot = attrs.field(repr=False)

    @property
    def deprecation(self) -> Deprecation | None:
        """The server's deprecation notice on the last answer, or None when it had none."""
        return self.snapshot.deprecation
