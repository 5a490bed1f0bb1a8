"""One call in progress: the effects of the core's actions that are neither network IO nor
sleeping (store writes, callbacks, the result, the error), shared by both drivers.

Store writes (`Run.settle`, `Run.store_delivered`) are kept apart from the rest (`Run.apply`)
so the async driver can run them off the event loop while callbacks still run on it.
"""

from __future__ import annotations

import datetime as dt
import logging
import sys
import warnings
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING, Any, Generic, TypeVar, cast

from ._clock import Clock
from ._core import (
    Advance,
    Emit,
    Expire,
    Fail,
    Fetch,
    Finish,
    Notice,
    Poller,
    Replace,
    Report,
    Snapshot,
    Warn,
    kept_phrase,
)
from ._deprecation import FirecrawlDeprecationWarning, warning_text
from ._documents import CrawlDocument
from ._jobs import JobErrors
from ._merge import Item
from ._outcome import Kind
from ._snapshot import CrawlResult, CrawlSnapshot, ExtractResult, ExtractSnapshot
from ._store import JobStore
from .errors import FirecrawlError, JobExpiredError

if TYPE_CHECKING:
    import httpx

logger = logging.getLogger("firecrawl_status")

ProgressCallback = Callable[[Snapshot], object]
ExpiryWarning = Callable[[Snapshot, dt.timedelta], object]
R = TypeVar("R", CrawlResult, ExtractResult, CrawlSnapshot, ExtractSnapshot, JobErrors)
Effect = Emit | Replace | Advance | Report | Warn | Notice | Finish | Fail | Expire


class Run(Generic[R]):
    """Applies the non-IO actions of one call and holds its result.

    Args:
        poller: The core deciding this call.
        store: The client's store, or None.
        base_url: The server, as recorded in the store.
        clock: The client's clock (the time a job is marked gone).
        seen: The client's set of jobs seen; a job joins it on its first report.
        notified: The client's set of job kinds whose endpoint's deprecation it warned about:
            one `FirecrawlDeprecationWarning` per endpoint per client.
        on_progress: Called with every snapshot reported.
        on_expiry_warning: Called once when the server will forget the job soon.
        include_kept: A stream yields what an earlier run kept in the store before the rest.
        limits: The per-request timeouts of this call (the drivers pass them to the transport).
    """

    def __init__(
        self,
        poller: Poller,
        *,
        store: JobStore | None,
        base_url: str,
        clock: Clock,
        seen: set[tuple[Kind, str]],
        notified: set[Kind],
        on_progress: ProgressCallback | None = None,
        on_expiry_warning: ExpiryWarning | None = None,
        include_kept: bool = False,
        limits: httpx.Timeout,
    ) -> None:
        self.poller = poller
        self.limits = limits
        self.store = store
        self._base_url = base_url
        self._clock = clock
        self._seen = seen
        self._notified = notified
        self._on_progress = on_progress
        self._on_expiry_warning = on_expiry_warning
        self._include_kept = include_kept
        self._result: R | None = None
        self._error: FirecrawlError | None = None

    @property
    def result(self) -> R:
        """The call's result, once finished."""
        if self._result is None:
            raise RuntimeError("the stream has not finished yet: iterate it to the end first")
        return self._result

    def kept(self) -> Iterator[CrawlDocument]:
        """What an earlier run kept of this crawl, when a stream was asked to include it."""
        if self.store is None or not self._include_kept or self.poller.mode != "stream":
            return iter(())
        return self.store.iter_documents(self.poller.job_id, base_url=self._base_url)

    def delivers(self, action: object) -> bool:
        """True for a stream's `Emit`: each document is recorded as delivered
        (`store_delivered`) as it is handed to the caller, not the batch at once.

        Per document: a caller that stops half way through a batch (a crash, a break, Ctrl-C)
        must find the rest still undelivered on resume, not stored as if seen. The sync driver
        commits a document just before its ``yield``; the async one queues it for a worker
        thread in the same step of the event loop as its ``yield`` (see `_async`).
        """
        return isinstance(action, Emit) and self.poller.mode == "stream"

    def store_delivered(self, items: Sequence[Item]) -> None:
        """Commit streamed documents handed to the caller, in one transaction (nothing
        without a store)."""
        if self.store is not None and items:
            self.store.add_documents(self.poller.job_id, _rows(items), base_url=self._base_url)

    def settle(self, action: Effect) -> None:
        """Every store read and write an action needs; no callbacks (safe off the loop)."""
        store, job_id = self.store, self.poller.job_id
        if isinstance(action, Expire):
            documents = action.documents
            if store is not None and self.poller.kind != "extract" and self.poller.mode != "wait":
                # A read or a stream holds no documents: the error carries what the store kept.
                documents = store.documents(job_id, base_url=self._base_url)
            # The message counts what the error carries, not what this call happened to read.
            kept = kept_phrase(self.poller.kind, documents, action.snapshot)
            self._error = JobExpiredError(
                f"{action.message}; {kept}",
                job_id=job_id,
                documents=documents,
                snapshot=action.snapshot,
            )
        if store is None:
            return
        if isinstance(action, Emit):
            store.add_documents(job_id, _rows(action.items), base_url=self._base_url)
        elif isinstance(action, Replace):
            store.replace_documents(job_id, _rows(action.items), base_url=self._base_url)
        elif isinstance(action, Advance):
            store.set_cursor(job_id, base_url=self._base_url, cursor=action.cursor)
        elif isinstance(action, Report):
            self._record(store, action.snapshot)
        elif isinstance(action, Finish):
            if isinstance(action.result, CrawlSnapshot | ExtractSnapshot):
                self._record(store, action.result)
        elif isinstance(action, Expire):
            assert self._error is not None
            store.mark_gone(
                job_id,
                base_url=self._base_url,
                error=self._error.message,
                seen_at=self._clock.utcnow(),
            )

    def apply(self, action: Effect) -> None:
        """The rest of an action's effects, after `settle` (a stream's documents reach its
        caller through `delivers`; a wait's are in its result)."""
        poller = self.poller
        if isinstance(action, Report):
            self._seen.add((poller.kind, poller.job_id))
            if self._on_progress is not None and not action.provisional:
                self._on_progress(action.snapshot)
        elif isinstance(action, Warn):
            logger.warning(
                "%s %s: the server forgets it in %s; fetch what you need before then",
                poller.kind,
                poller.job_id,
                action.left,
            )
            if self._on_expiry_warning is not None:
                self._on_expiry_warning(action.snapshot, action.left)
        elif isinstance(action, Notice):
            if poller.kind not in self._notified:
                self._notified.add(poller.kind)
                warnings.warn(
                    warning_text(poller.kind, action.deprecation),
                    FirecrawlDeprecationWarning,
                    stacklevel=_caller_level(),
                )
        elif isinstance(action, Finish):
            self._result = cast(R, action.result)
        elif isinstance(action, Fail):
            raise action.error
        elif isinstance(action, Expire):
            assert self._error is not None, "settle() builds the expiry error"
            raise self._error

    def _record(self, store: JobStore, snapshot: Snapshot) -> None:
        if isinstance(snapshot, ExtractSnapshot) and snapshot.expired_since not in (
            None,
            snapshot.read_at,
        ):
            # A later unconfirmed read leaves the record of the first one: that read is what
            # a later call confirms a loss against (`_outcome.LOST_CONFIRMATION`).
            return
        common: dict[str, Any] = {
            "job_id": snapshot.job_id,
            "base_url": self._base_url,
            "status": snapshot.status,
            "seen_at": snapshot.read_at,
            "expires_at": _by_our_clock(snapshot, self._clock.utcnow()),
        }
        if isinstance(snapshot, ExtractSnapshot):
            store.record_job(
                kind="extract", error=snapshot.error_text, result=snapshot.to_dict(), **common
            )
        else:
            store.record_job(
                kind="batch_scrape" if self.poller.kind == "batch_scrape" else "crawl",
                current=snapshot.current,
                total=snapshot.total,
                error=snapshot.error,
                **common,
            )


def streamed(poller: Poller, fetch: Fetch) -> bool:
    """Whether this read's answer is taken document by document as it arrives: a v0 crawl
    waited on or streamed. A one-shot read returns its snapshot whole, and a v1/v2 page is
    bounded by its page size."""
    return fetch.route is None and poller.kind == "crawl" and poller.mode != "read"


def _by_our_clock(snapshot: Snapshot, now: dt.datetime) -> dt.datetime | None:
    """When the server forgets the job, by this machine's clock: the time it has left by the
    server's own clock (``expires_at - read_at``) counted from ``now``, so that a listing of
    the store later (``firecrawl-status jobs``) is free of the server's clock skew."""
    left = snapshot.time_left
    if left is None:
        return None
    try:
        return now + left
    except OverflowError:
        return snapshot.expires_at


def _rows(items: Sequence[Item]) -> list[tuple[str, int | None, CrawlDocument]]:
    return [(item.key, item.order, item.document) for item in items]


_PACKAGE = str(Path(__file__).parent)


def _caller_level() -> int:
    """The `warnings.warn` stacklevel of the first frame outside this package: the user's line
    that called the client (through any generator or event loop frames of ours)."""
    frame: FrameType | None = sys._getframe(1)
    level = 1
    while frame is not None and frame.f_code.co_filename.startswith(_PACKAGE):
        frame, level = frame.f_back, level + 1
    return level
