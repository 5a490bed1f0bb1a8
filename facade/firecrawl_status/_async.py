"""`AsyncStatusClient`: the asyncio driver, a twin of `_sync` but for await, and for where a
stream's store writes run (a worker thread, right after each hand-over: `_Delivered`)."""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import random
from collections.abc import AsyncGenerator
from types import TracebackType
from typing import Any, Self, cast

import httpx

from ._api import Seen, Transport
from ._base import DEFAULT_TIMEOUT, BaseClient, ClientCore
from ._body import BodyLimits
from ._clock import Clock
from ._core import Action, Emit, Fetch, Sleep, Taken
from ._documents import CrawlDocument
from ._jobs import JobErrors, JobResult, JobSnapshot
from ._merge import Item
from ._outcome import Api, Kind
from ._policy import PollPolicy, RetryPolicy
from ._run import ExpiryWarning, ProgressCallback, R, Run, streamed
from ._snapshot import CrawlResult, CrawlSnapshot, ExtractResult, ExtractSnapshot
from ._store import JobStore

__all__ = ["AsyncCrawlStream", "AsyncStatusClient"]  # re-exported by firecrawl_status

_KEPT_BATCH = 256
"""Kept documents read from the store per trip to the worker thread."""


class AsyncStatusClient(BaseClient):
    """The asyncio twin of `StatusClient`: same arguments, same methods, awaited.

    Use it as an async context manager. Cancelling a task that waits stops it cleanly.

    Args:
        api_key: The API key; defaults to ``$FIRECRAWL_API_KEY``. Optional: a self-hosted
            server without auth needs none.
        base_url: The API root; defaults to ``$FIRECRAWL_API_URL``, else
            ``https://api.firecrawl.dev``.
        timeout: Limits of each HTTP request: seconds for each of connect, read, write and
            pool, or an `httpx.Timeout` setting them apart (None: no limit). Each call also
            takes an overall deadline, its own ``timeout``.
        retry: Per-request retries (`RetryPolicy`; ``RetryPolicy(max_retries=0)`` disables).
        max_retries: Shortcut for ``retry=RetryPolicy(max_retries=...)``; given with
            ``retry``, the two must agree.
        poll: Default poll cadence of the waits (`PollPolicy`).
        store: A `JobStore` recording every job and document (off unless given).
        http_client: Your own `httpx.AsyncClient` (proxies, transports, tests), used unchanged:
            requests go to its ``base_url`` when it has one, else to ``base_url``; you close it.
        clock: Time source (tests pass `firecrawl_status.testing.FakeClock`).
        rng: Random source of the jitter (tests pass a seeded `random.Random`).
        body_limits: Largest answer accepted (`BodyLimits`; default 512 MiB received and
            decoded).
        crawl_api: The API crawls are read through: ``"v0"`` (``/v0/crawl/status``, the
            default), ``"v2"`` (``/v2/crawl/{id}``, read page by page, every page once) or
            ``"v1"``. Batch scrapes are read through v2 (v1 when this is ``"v1"``).
        max_concurrent_requests: Requests in flight at once from this client; the rest
            wait their turn. A thousand waits started together would otherwise queue a
            thousand requests in httpx's pool, whose bookkeeping grows with the square of the
            queue (measured: 34 s of CPU for one round of 1,000, 3.5 s with 20 at a time).

    Raises:
        ValueError: A malformed ``base_url``, a non-positive ``timeout`` part, or
            ``max_retries`` contradicting ``retry``.
    """

    def __init__(
        self,
        api_key: str | None = None,
        *,
        base_url: str | None = None,
        timeout: float | httpx.Timeout | None = DEFAULT_TIMEOUT,
        max_retries: int | None = None,
        retry: RetryPolicy | None = None,
        poll: PollPolicy | None = None,
        store: JobStore | None = None,
        http_client: httpx.AsyncClient | None = None,
        clock: Clock | None = None,
        rng: random.Random | None = None,
        crawl_api: Api = "v0",
        max_concurrent_requests: int = 20,
        body_limits: BodyLimits | None = None,
    ) -> None:
        super().__init__(
            base_url=base_url,
            timeout=timeout,
            retry=retry,
            max_retries=max_retries,
            poll=poll,
            store=store,
            clock=clock,
            crawl_api=crawl_api,
        )
        self._core = ClientCore(api_key, timeout, rng)
        self._transport = Transport(
            self.base_url,
            self._core.api_key,
            async_http_client=http_client,
            timeout=self._core.limits,
            body_limits=body_limits,
        )
        self._owns_http = http_client is None
        if max_concurrent_requests < 1:
            raise ValueError(
                f"max_concurrent_requests must be 1 or more, not {max_concurrent_requests!r}"
            )
        self._in_flight = asyncio.Semaphore(max_concurrent_requests)

    def __repr__(self) -> str:
        return self._core.describe(self)

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        """Close the HTTP connections this client opened."""
        if self._owns_http:
            await self._transport.aclose()

    async def crawl_status(
        self, job_id: str, *, timeout: float | httpx.Timeout | None = None
    ) -> CrawlSnapshot:
        """Read a crawl's status once (with retries).

        Args:
            job_id: The crawl id.
            timeout: Overall deadline in seconds for the read and its retries (None: bounded
                by the retry policy alone).
                An `httpx.Timeout` instead replaces the client's per-request limits for this
                call, which then has no overall deadline.

        Raises:
            JobExpiredError: 404 for a crawl this client or its store saw before.
            PollTimeoutError: ``timeout`` ran out.
            APIError: The read failed (see `firecrawl_status.errors`).
        """
        run: Run[CrawlSnapshot] = self._core.run(self, "crawl", job_id, "read", timeout=timeout)
        return await self._drive_to_end(run)

    async def extract_status(
        self, extract_id: str, *, timeout: float | httpx.Timeout | None = None
    ) -> ExtractSnapshot:
        """Read an extract job's status once (with retries).

        A ``processing`` answer with ``expiresAt`` already past reads as ``outcome ==
        "unconfirmed"`` (a live job can answer so for an instant), and as ``"lost"`` (the
        server forgot the real outcome; a wait ends with `JobExpiredError`) only when the job
        store recorded such a read at least 5 s before (`_outcome.LOST_CONFIRMATION`).

        Args:
            extract_id: The extract id.
            timeout: Overall deadline in seconds for the read and its retries.
                An `httpx.Timeout` instead replaces the client's per-request limits for this
                call, which then has no overall deadline.

        Raises:
            JobExpiredError: 404 for an extract this client or its store saw before.
            PollTimeoutError: ``timeout`` ran out.
            APIError: The read failed (see `firecrawl_status.errors`).
        """
        run: Run[ExtractSnapshot] = self._core.run(
            self, "extract", extract_id, "read", timeout=timeout
        )
        return await self._drive_to_end(run)

    async def wait_for_crawl(
        self,
        job_id: str,
        *,
        timeout: float | httpx.Timeout | None = None,
        poll: PollPolicy | None = None,
        on_progress: ProgressCallback | None = None,
        on_expiry_warning: ExpiryWarning | None = None,
    ) -> CrawlResult:
        """Poll a crawl until it completes; return every document exactly once.

        Args:
            job_id: The crawl id.
            timeout: Overall deadline in seconds (None: wait as long as it takes).
                An `httpx.Timeout` instead replaces the client's per-request limits for this
                call, which then has no overall deadline.
            poll: Cadence for this wait (default: the client's).
            on_progress: Called with the `CrawlSnapshot` after every poll.
            on_expiry_warning: Called once with the snapshot and time left when the server
                will forget the job within ``poll.expiry_warning``.

        Raises:
            JobFailedError: The crawl failed or was cancelled (``.documents`` has what came).
            JobExpiredError: The server forgot the crawl (``.documents`` has what was kept).
            PollTimeoutError: ``timeout`` ran out (``.documents``, ``.snapshot``).
            APIError: A request failed after retries (``.documents`` has what came).
        """
        run: Run[CrawlResult] = self._core.run(
            self,
            "crawl",
            job_id,
            "wait",
            timeout=timeout,
            poll=poll,
            on_progress=on_progress,
            on_expiry_warning=on_expiry_warning,
        )
        return await self._drive_to_end(run)

    def iter_crawl(
        self,
        job_id: str,
        *,
        timeout: float | httpx.Timeout | None = None,
        poll: PollPolicy | None = None,
        on_progress: ProgressCallback | None = None,
        on_expiry_warning: ExpiryWarning | None = None,
        include_kept: bool = False,
    ) -> AsyncCrawlStream:
        """Stream a crawl's documents, each exactly once, as soon as a poll shows it.

        Same arguments and errors as `wait_for_crawl`, raised while iterating. The documents
        already went to the caller, so an error's ``.documents`` is empty, except that a
        `JobExpiredError` carries what a store kept.

        With a store, a new process resuming the same job yields only the documents an earlier
        run did not deliver; with ``include_kept=True`` it first yields those the earlier run
        kept (the whole crawl, once each, across both runs). The store also gets the final
        content of a delivered page that the completed crawl's ``data`` changed; without a store
        such an update goes nowhere, so it is neither checked nor merged.
        """
        run: Run[CrawlResult] = self._core.run(
            self,
            "crawl",
            job_id,
            "stream",
            timeout=timeout,
            poll=poll,
            on_progress=on_progress,
            on_expiry_warning=on_expiry_warning,
            include_kept=include_kept,
        )
        return AsyncCrawlStream(self._steps(run), run)

    async def wait_for_extract(
        self,
        extract_id: str,
        *,
        timeout: float | httpx.Timeout | None = None,
        poll: PollPolicy | None = None,
        on_progress: ProgressCallback | None = None,
        on_expiry_warning: ExpiryWarning | None = None,
    ) -> ExtractResult:
        """Poll an extract job until it completes; return its data.

        Raises:
            JobFailedError: The job failed (``.error_text``, ``.error``).
            JobCancelledError: The job was cancelled.
            JobExpiredError: The server lost the job (404 after seen, or a past ``expiresAt``).
            PollTimeoutError: ``timeout`` ran out.
            APIError: A request failed after retries.
        """
        run: Run[ExtractResult] = self._core.run(
            self,
            "extract",
            extract_id,
            "wait",
            timeout=timeout,
            poll=poll,
            on_progress=on_progress,
            on_expiry_warning=on_expiry_warning,
        )
        return await self._drive_to_end(run)

    async def batch_scrape_status(
        self, job_id: str, *, timeout: float | httpx.Timeout | None = None
    ) -> JobSnapshot:
        """Read a batch scrape's status once (with retries): its first page of documents.

        Same arguments and errors as `crawl_status`; 404s right after creation are retried
        for a short grace first.
        """
        run: Run[CrawlSnapshot] = self._core.run(
            self, "batch_scrape", job_id, "read", timeout=timeout
        )
        return cast(JobSnapshot, await self._drive_to_end(run))

    async def wait_for_batch_scrape(
        self,
        job_id: str,
        *,
        timeout: float | httpx.Timeout | None = None,
        poll: PollPolicy | None = None,
        on_progress: ProgressCallback | None = None,
        on_expiry_warning: ExpiryWarning | None = None,
    ) -> JobResult:
        """Poll a batch scrape until it completes; return every document exactly once.

        Reads page by page, only what is new on each poll. Same arguments and errors as
        `wait_for_crawl`; a cancelled job raises `JobCancelledError` (``.documents`` has what
        came). The `JobResult` counts the pages that failed (``failed_pages``).
        """
        run: Run[CrawlResult] = self._core.run(
            self,
            "batch_scrape",
            job_id,
            "wait",
            timeout=timeout,
            poll=poll,
            on_progress=on_progress,
            on_expiry_warning=on_expiry_warning,
        )
        return cast(JobResult, await self._drive_to_end(run))

    def iter_batch_scrape(
        self,
        job_id: str,
        *,
        timeout: float | httpx.Timeout | None = None,
        poll: PollPolicy | None = None,
        on_progress: ProgressCallback | None = None,
        on_expiry_warning: ExpiryWarning | None = None,
        include_kept: bool = False,
    ) -> AsyncCrawlStream:
        """Stream a batch scrape's documents, each exactly once, as soon as a poll shows it.

        As `iter_crawl`, with the batch scrape's own errors (see `wait_for_batch_scrape`).
        """
        run: Run[CrawlResult] = self._core.run(
            self,
            "batch_scrape",
            job_id,
            "stream",
            timeout=timeout,
            poll=poll,
            on_progress=on_progress,
            on_expiry_warning=on_expiry_warning,
            include_kept=include_kept,
        )
        return AsyncCrawlStream(self._steps(run), run)

    async def crawl_errors(
        self, job_id: str, *, timeout: float | httpx.Timeout | None = None
    ) -> JobErrors:
        """Read a crawl's failed pages and robots-blocked URLs (``/v2/crawl/{id}/errors``,
        v1 when the client reads v1).

        Raises:
            PermissionDeniedError: Another team's crawl (403 on this route).
            JobNotFoundError: An unknown id (after a short grace).
            PollTimeoutError: ``timeout`` ran out.
            APIError: The read failed.
        """
        return await self._errors("crawl", job_id, timeout)

    async def batch_scrape_errors(
        self, job_id: str, *, timeout: float | httpx.Timeout | None = None
    ) -> JobErrors:
        """Read a batch scrape's failed pages and robots-blocked URLs (as `crawl_errors`)."""
        return await self._errors("batch_scrape", job_id, timeout)

    async def _errors(
        self, kind: Kind, job_id: str, timeout: float | httpx.Timeout | None
    ) -> JobErrors:
        run: Run[JobErrors] = self._core.run(
            self, kind, job_id, "read", timeout=timeout, errors_only=True
        )
        return await self._drive_to_end(run)

    async def _drive_to_end(self, run: Run[R]) -> R:
        async for _ in self._steps(run):
            pass
        return run.result

    async def _steps(self, run: Run[Any]) -> AsyncGenerator[CrawlDocument, None]:
        poller, clock = run.poller, self.clock
        kept = run.kept()
        # Kept documents are read in a worker thread, a page at a time.
        while batch := await asyncio.to_thread(list, itertools.islice(kept, _KEPT_BATCH)):
            for document in batch:
                yield document
        delivered = _Delivered(run)
        seen = Seen(poller.merger)
        try:
            while not poller.done:
                action = poller.next_action(clock.monotonic())
                if isinstance(action, Fetch) and streamed(poller, action):
                    await delivered.flush()
                    async with self._in_flight:
                        events = self._transport.astream(
                            poller.job_id,
                            action.etag,
                            action.timeout,
                            clock.utcnow,
                            run.limits,
                            seen,
                        )
                        async with contextlib.aclosing(events):
                            async for event in events:
                                if not isinstance(event, Taken):
                                    poller.receive(clock.monotonic(), event)
                                    continue
                                for effect in poller.take_documents(event):
                                    async for document in self._perform(run, effect, delivered):
                                        yield document
                    continue
                if isinstance(action, Fetch):
                    await delivered.flush()
                    async with self._in_flight:
                        answer = await self._transport.asend(
                            poller.kind,
                            poller.job_id,
                            action.etag,
                            action.timeout,
                            clock.utcnow,
                            run.limits,
                            action.route,
                        )
                    poller.receive(clock.monotonic(), answer)
                    # Not kept while the next answer downloads: a large crawl's would double
                    # the peak.
                    del answer
                    continue
                async for document in self._perform(run, action, delivered):
                    yield document
        except BaseException:
            # The caller stopped (aclose, a break then garbage collection, a cancel while the
            # next piece of an answer was awaited) while documents it got may still be in a
            # write: the stream ends once they are stored.
            await delivered.flush()
            raise

    async def _perform(
        self, run: Run[Any], action: Action, delivered: _Delivered
    ) -> AsyncGenerator[CrawlDocument, None]:
        if isinstance(action, Emit) and run.delivers(action):
            for item in action.items:
                # No await between these two: see `_Delivered`.
                delivered.add(item)
                yield item.document
            return
        # A sleep, a store write or the end comes after the documents already handed over
        # are stored.
        await delivered.flush()
        if isinstance(action, Sleep):
            await self.clock.asleep(action.seconds)
            return
        assert not isinstance(action, Fetch)
        # Off the loop: a poll's record, a wait's batch of documents, an expiry.
        if run.store is not None:
            await asyncio.to_thread(run.settle, action)
        else:
            run.settle(action)
        run.apply(action)


class _Delivered:
    """A stream's documents already handed to its caller, written to the store by a worker
    thread, in the order handed over, all those waiting in one transaction per trip.

    What a stream with a store promises:

    * Never stored unless received: `add` is called in the same step of the event loop as the
      document's ``yield``, with no await between, so no cancellation falls between them; the
      write starts only then, so a cancel or a crash can never leave stored as delivered a
      document the caller did not get. (Writing first and awaiting it in a thread let a cancel
      land after the commit and before the ``yield``.)
    * Nothing handed over is delivered again on resume: every poll, sleep, store write and
      the end of the stream (exhausted, failed, cancelled, closed) first waits for the writes
      of the documents already handed over (`flush`). The writes also go on by themselves
      (the next batch starts when one commits), for a stream left suspended by its caller.

    Unlike the sync client, which commits before the ``yield``, a document's write may still
    be in flight while the caller holds it: a hard crash in that moment, or a write failing
    (`StoreError`, raised by the stream's next step), leaves it unstored, so a resume yields
    it again: at least once, never lost. The gain: no SQLite on the loop per document
    (~100 µs each), one trip to a thread per batch instead.
    """

    def __init__(self, run: Run[Any]) -> None:
        self._run = run
        self._waiting: list[Item] = []
        self._writing = False
        self._idle = asyncio.Event()
        self._idle.set()
        self._error: BaseException | None = None

    def add(self, item: Item) -> None:
        """Record ``item`` as handed over; raises a failed write's error instead (the
        document is then not handed over)."""
        if self._error is not None:
            raise self._error
        if self._run.store is None:
            return
        self._waiting.append(item)
        if not self._writing:
            self._write_next()

    async def wait(self) -> None:
        """Until every document handed over so far is written (or a write failed).

        A cancel does not cut it short (a write in a thread cannot be stopped, and a stream
        that ended before its writes would leave a resume to yield them again): it is raised
        once the writes are done, a bounded wait (each write gives up after the store's
        `BUSY_TIMEOUT`).
        """
        cancelled: asyncio.CancelledError | None = None
        while not self._idle.is_set():
            try:
                await self._idle.wait()
            except asyncio.CancelledError as exc:
                cancelled = exc
        if cancelled is not None:
            raise cancelled

    async def flush(self) -> None:
        """`wait`, then raise the error of a failed write."""
        await self.wait()
        if self._error is not None:
            raise self._error

    def _write_next(self) -> None:
        if not self._waiting or self._error is not None:
            self._writing = False
            self._idle.set()
            return
        batch, self._waiting = self._waiting, []
        self._writing = True
        self._idle.clear()
        loop = asyncio.get_running_loop()
        # Nothing awaits this future directly, so a cancel never reaches it.
        future = loop.run_in_executor(None, self._run.store_delivered, batch)
        future.add_done_callback(self._written)

    def _written(self, future: asyncio.Future[None]) -> None:
        self._error = future.exception()
        self._write_next()


class AsyncCrawlStream:
    """The documents of a crawl, each once, as an async iterator; `result` once exhausted."""

    def __init__(
        self, documents: AsyncGenerator[CrawlDocument, None], run: Run[CrawlResult]
    ) -> None:
        self._documents = documents
        self._run = run

    def __aiter__(self) -> Self:
        return self

    async def __anext__(self) -> CrawlDocument:
        return await anext(self._documents)

    async def aclose(self) -> None:
        """Stop polling; returns once every document handed over is stored (nothing is lost)."""
        await self._documents.aclose()

    @property
    def result(self) -> CrawlResult:
        """The `CrawlResult` (figures, last snapshot); its ``documents`` is empty when streaming."""
        return self._run.result
