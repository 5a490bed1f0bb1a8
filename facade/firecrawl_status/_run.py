"""One call in progress: the effects of the core's actions that are neither network IO nor
sleeping (store writes, callbacks, the result, the error), shared by both drivers.

Store writes (`Run.settle`, `Run.store_item`) are kept apart from the rest (`Run.apply`) so
the async driver can run them off the event loop while callbacks still run on it.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any, Generic, TypeVar, cast

from ._clock import Clock
from ._core import Advance, Emit, Expire, Fail, Finish, Poller, Replace, Report, Snapshot, Warn
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
Effect = Emit | Replace | Advance | Report | Warn | Finish | Fail | Expire


class Run(Generic[R]):
    """Applies the non-IO actions of one call and holds its result.

    Args:
        poller: The core deciding this call.
        store: The client's store, or None.
        base_url: The server, as recorded in the store.
        clock: The client's clock (the time a job is marked gone).
        seen: The client's set of jobs seen; a job joins it on its first report.
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
        """True for a stream's `Emit`: each document is stored (`store_item`), then yielded.

        Per document, not per batch: a caller that stops half way through a batch (a crash, a
        break, Ctrl-C) must find the rest still undelivered on resume, not stored as if seen.
        """
        return isinstance(action, Emit) and self.poller.mode == "stream"

    def store_item(self, item: Item) -> None:
        """Commit one streamed document to the store (nothing without a store)."""
        if self.store is not None:
            self.store.add_documents(
                self.poller.job_id,
                [(item.key, item.order, item.document)],
                base_url=self._base_url,
            )

    def settle(self, action: Effect) -> None:
        """Every store read and write an action needs; no callbacks (safe off the loop)."""
        store, job_id = self.store, self.poller.job_id
        if isinstance(action, Expire):
            documents = action.documents
            if store is not None and self.poller.kind != "extract" and self.poller.mode != "wait":
                # A read or a stream holds no documents: the error carries what the store kept.
                documents = store.documents(job_id, base_url=self._base_url)
            self._error = JobExpiredError(
                action.message, job_id=job_id, documents=documents, snapshot=action.snapshot
            )
        if store is None:
            return
        if isinstance(action, Emit):
            store.add_documents(job_id, _rows(action), base_url=self._base_url)
        elif isinstance(action, Replace):
            store.replace_documents(job_id, _rows(action), base_url=self._base_url)
        elif isinstance(action, Advance):
            store.set_cursor(job_id, base_url=self._base_url, cursor=action.cursor)
        elif isinstance(action, Report):
            self._record(store, action.snapshot)
        elif isinstance(action, Finish):
            if isinstance(action.result, CrawlSnapshot | ExtractSnapshot):
                self._record(store, action.result)
        elif isinstance(action, Expire):
            store.mark_gone(
                job_id, base_url=self._base_url, error=action.message, seen_at=self._clock.utcnow()
            )

    def apply(self, action: Effect) -> list[CrawlDocument]:
        """The rest of an action's effects, after `settle`; the documents for the caller."""
        poller = self.poller
        if isinstance(action, Emit):
            return [item.document for item in action.items]
        if isinstance(action, Report):
            self._seen.add((poller.kind, poller.job_id))
            if self._on_progress is not None:
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
        elif isinstance(action, Finish):
            self._result = cast(R, action.result)
        elif isinstance(action, Fail):
            raise action.error
        elif isinstance(action, Expire):
            assert self._error is not None, "settle() builds the expiry error"
            raise self._error
        return []

    def _record(self, store: JobStore, snapshot: Snapshot) -> None:
        common: dict[str, Any] = {
            "job_id": snapshot.job_id,
            "base_url": self._base_url,
            "status": snapshot.status,
            "seen_at": snapshot.read_at,
            "expires_at": snapshot.expires_at,
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


def _rows(action: Emit | Replace) -> list[tuple[str, int | None, CrawlDocument]]:
    return [(item.key, item.order, item.document) for item in action.items]
