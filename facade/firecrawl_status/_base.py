"""What the sync and async clients share: configuration, and every effect of an action that is
not network IO or sleeping (store writes, callbacks, results and errors).

Like httpx's ``BaseClient``: `StatusClient` and `AsyncStatusClient` add only their IO loop.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import random
from collections.abc import Callable, Iterable, Iterator
from typing import Any, Generic, TypeVar, cast

import httpx

from ._api import Kind, job_id_problem
from ._clock import Clock, SystemClock
from ._core import Emit, Fail, Finish, Mode, Poller, Replace, Report, Snapshot, Warn
from ._merge import Item, document_identity
from ._policy import PollPolicy, RetryPolicy
from ._snapshot import CrawlResult, CrawlSnapshot, ExtractResult, ExtractSnapshot
from ._store import JobStore
from .errors import JobError

logger = logging.getLogger("firecrawl_status")

DEFAULT_BASE_URL = "https://api.firecrawl.dev"
DEFAULT_TIMEOUT = 30.0

ProgressCallback = Callable[[Snapshot], object]
ExpiryWarning = Callable[[Snapshot, dt.timedelta], object]
R = TypeVar("R", CrawlResult, ExtractResult, CrawlSnapshot, ExtractSnapshot)


class BaseClient:
    """Configuration shared by both clients (see `StatusClient` for the arguments)."""

    def __init__(
        self,
        api_key: str | None = None,
        *,
        base_url: str | None = None,
        timeout: float | None = DEFAULT_TIMEOUT,
        retry: RetryPolicy | None = None,
        poll: PollPolicy | None = None,
        store: JobStore | None = None,
        clock: Clock | None = None,
        rng: random.Random | None = None,
    ) -> None:
        key = api_key if api_key is not None else os.environ.get("FIRECRAWL_API_KEY")
        self._api_key = key or None
        url = base_url or os.environ.get("FIRECRAWL_API_URL") or DEFAULT_BASE_URL
        parsed = httpx.URL(url)
        if parsed.scheme not in ("http", "https") or not parsed.host:
            raise ValueError(
                f"base_url must be an http(s) URL like {DEFAULT_BASE_URL}, not {url!r}"
            )
        self.base_url = url.rstrip("/")
        if timeout is not None and not timeout > 0:
            raise ValueError(
                f"timeout must be a positive number of seconds or None, not {timeout!r}"
            )
        self.timeout = timeout
        self.retry = retry or RetryPolicy()
        self.poll = poll or PollPolicy()
        self.store = store
        self.clock: Clock = clock or SystemClock()
        self._rng = rng or random.Random()
        self._seen: set[tuple[Kind, str]] = set()

    def __repr__(self) -> str:
        key = "set" if self._api_key else "none"
        return f"{type(self).__name__}(base_url={self.base_url!r}, api_key=<{key}>)"

    def _run(
        self,
        kind: Kind,
        job_id: str,
        mode: Mode,
        *,
        timeout: float | None = None,
        poll: PollPolicy | None = None,
        on_progress: ProgressCallback | None = None,
        on_expiry_warning: ExpiryWarning | None = None,
    ) -> Run[Any]:
        if (problem := job_id_problem(job_id)) is not None:
            raise ValueError(f"a {kind} job id {problem}")
        known: list[Item] = []
        seen = (kind, job_id) in self._seen
        if self.store is not None:
            # A 404 for a job the store holds is an expiry, on a one-shot read too.
            seen = seen or self.store.job(job_id) is not None
            if kind == "crawl" and mode == "wait":
                # The result holds every document, so they are read back whole.
                for document in self.store.iter_documents(job_id):
                    known.append(Item(*document_identity(document), document))
            elif kind == "crawl" and mode == "stream":
                # A stream only needs to skip them: keys and order, no documents read.
                known = [Item(key, order, {}) for key, order in self.store.document_index(job_id)]
        poller = Poller(
            kind=kind,
            job_id=job_id,
            mode=mode,
            retry=self.retry,
            poll=poll or self.poll,
            now=self.clock.monotonic(),
            timeout=timeout,
            request_timeout=self.timeout,
            rng=self._rng,
            seen_before=seen,
            known=known,
        )
        return Run(self, poller, on_progress, on_expiry_warning)


class Run(Generic[R]):
    """One call in progress: applies the non-IO actions and holds the result."""

    def __init__(
        self,
        client: BaseClient,
        poller: Poller,
        on_progress: ProgressCallback | None,
        on_expiry_warning: ExpiryWarning | None,
    ) -> None:
        self.client = client
        self.poller = poller
        self.on_progress = on_progress
        self.on_expiry_warning = on_expiry_warning
        self._result: R | None = None

    @property
    def result(self) -> R:
        """The call's result, once finished."""
        if self._result is None:
            raise RuntimeError("the stream has not finished yet: iterate it to the end first")
        return self._result

    def apply(
        self, action: Emit | Replace | Report | Warn | Finish | Fail
    ) -> Iterable[dict[str, Any]]:
        """Perform an action's effects; return the documents to hand to the caller."""
        poller, store = self.poller, self.client.store
        job_id, kind = poller.job_id, poller.kind
        if isinstance(action, Emit):
            if poller.mode == "stream":
                return self._deliver(action)
            if store is not None:
                store.add_documents(job_id, [(i.key, i.order, i.document) for i in action.items])
            return [item.document for item in action.items]
        if isinstance(action, Replace):
            if store is not None:
                store.replace_documents(
                    job_id, [(i.key, i.order, i.document) for i in action.items]
                )
            return []
        if isinstance(action, Report):
            self.client._seen.add((kind, job_id))
            if store is not None:
                self._record(action.snapshot)
            if self.on_progress is not None:
                self.on_progress(action.snapshot)
            return []
        if isinstance(action, Warn):
            logger.warning(
                "%s %s: the server forgets it in %s; fetch what you need before then",
                kind,
                job_id,
                action.left,
            )
            if self.on_expiry_warning is not None:
                self.on_expiry_warning(action.snapshot, action.left)
            return []
        if isinstance(action, Finish):
            self._result = cast(R, action.result)
            if store is not None and isinstance(action.result, CrawlSnapshot | ExtractSnapshot):
                self._record(action.result)
            return []
        error = action.error
        if store is not None and action.gone:
            store.mark_gone(job_id, error=error.message, seen_at=self.client.clock.utcnow())
            if isinstance(error, JobError) and not error.documents and kind == "crawl":
                error.documents = store.documents(job_id)
        raise error

    def _deliver(self, action: Emit) -> Iterator[dict[str, Any]]:
        """Yield an `Emit`'s documents, each committed to the store just before it is yielded.

        Per document, not per batch: a caller that stops half way through a batch (a crash, a
        break, Ctrl-C) must find the rest still undelivered on resume, not stored as if seen.
        """
        store = self.client.store
        for item in action.items:
            if store is not None:
                store.add_documents(self.poller.job_id, [(item.key, item.order, item.document)])
            yield item.document

    def _record(self, snapshot: Snapshot) -> None:
        store = self.client.store
        assert store is not None
        common: dict[str, Any] = {
            "job_id": snapshot.job_id,
            "base_url": self.client.base_url,
            "status": snapshot.status,
            "seen_at": snapshot.read_at,
            "expires_at": _by_our_clock(snapshot, self.client.clock.utcnow()),
        }
        if isinstance(snapshot, ExtractSnapshot):
            store.record_job(
                kind="extract",
                error=snapshot.error_text,
                result=snapshot.to_dict(),
                **common,
            )
        else:
            store.record_job(
                kind="crawl",
                current=snapshot.current,
                total=snapshot.total,
                error=snapshot.error,
                **common,
            )


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
