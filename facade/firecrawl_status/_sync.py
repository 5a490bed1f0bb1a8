"""`StatusClient`: the blocking driver. Its only job is IO: send, sleep, and feed the core."""

from __future__ import annotations

import contextlib
import random
from collections.abc import Generator
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
from ._outcome import Api, Kind
from ._policy import PollPolicy, RetryPolicy
from ._run import ExpiryWarning, ProgressCallback, R, Run, streamed
from ._snapshot import CrawlResult, CrawlSnapshot, ExtractResult, ExtractSnapshot
from ._store import JobStore

__all__ = ["CrawlStream", "StatusClient"]  # re-exported by firecrawl_status


class StatusClient(BaseClient):
    """Reads and waits on Firecrawl crawl and extract jobs. Use it as a context manager.

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
        http_client: Your own `httpx.Client` (proxies, transports, tests), used unchanged:
            requests go to its ``base_url`` when it has one, else to ``base_url``; you close it.
        clock: Time source (tests pass `firecrawl_status.testing.FakeClock`).
        rng: Random source of the jitter (tests pass a seeded `random.Random`).
        body_limits: Largest answer accepted (`BodyLimits`; default 512 MiB received and
            decoded).
        crawl_api: The API crawls are read through: ``"v0"`` (``/v0/crawl/status``, the
            default), ``"v2"`` (``/v2/crawl/{id}``, read page by page, every page once) or
            ``"v1"``. Batch scrapes are read through v2 (v1 when this is ``"v1"``).

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
        http_client: httpx.Client | None = None,
        clock: Clock | None = None,
        rng: random.Random | None = None,
        body_limits: BodyLimits | None = None,
        crawl_api: Api = "v0",
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
            http_client=http_client,
            timeout=self._core.limits,
            body_limits=body_limits,
        )
        self._owns_http = http_client is None

    def __repr__(self) -> str:
        return self._core.describe(self)

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        """Close the HTTP connections this client opened."""
        if self._owns_http:
            self._transport.close()

    def crawl_status(
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
        return self._drive_to_end(run)

    def extract_status(
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
        return self._drive_to_end(run)

    def wait_for_crawl(
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
        return self._drive_to_end(run)

    def iter_crawl(
        self,
        job_id: str,
        *,
        timeout: float | httpx.Timeout | None = None,
        poll: PollPolicy | None = None,
        on_progress: ProgressCallback | None = None,
        on_expiry_warning: ExpiryWarning | None = None,
        include_kept: bool = False,
    ) -> CrawlStream:
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
        return CrawlStream(self._steps(run), run)

    def wait_for_extract(
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
        return self._drive_to_end(run)

    def batch_scrape_status(
        self, job_id: str, *, timeout: float | httpx.Timeout | None = None
    ) -> JobSnapshot:
        """Read a batch scrape's status once (with retries): its first page of documents.

        Same arguments and errors as `crawl_status`; 404s right after creation are retried
        for a short grace first.
        """
        run: Run[CrawlSnapshot] = self._core.run(
            self, "batch_scrape", job_id, "read", timeout=timeout
        )
        return cast(JobSnapshot, self._drive_to_end(run))

    def wait_for_batch_scrape(
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
        return cast(JobResult, self._drive_to_end(run))

    def iter_batch_scrape(
        self,
        job_id: str,
        *,
        timeout: float | httpx.Timeout | None = None,
        poll: PollPolicy | None = None,
        on_progress: ProgressCallback | None = None,
        on_expiry_warning: ExpiryWarning | None = None,
        include_kept: bool = False,
    ) -> CrawlStream:
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
        return CrawlStream(self._steps(run), run)

    def crawl_errors(
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
        return self._errors("crawl", job_id, timeout)

    def batch_scrape_errors(
        self, job_id: str, *, timeout: float | httpx.Timeout | None = None
    ) -> JobErrors:
        """Read a batch scrape's failed pages and robots-blocked URLs (as `crawl_errors`)."""
        return self._errors("batch_scrape", job_id, timeout)

    def _errors(self, kind: Kind, job_id: str, timeout: float | httpx.Timeout | None) -> JobErrors:
        run: Run[JobErrors] = self._core.run(
            self, kind, job_id, "read", timeout=timeout, errors_only=True
        )
        return self._drive_to_end(run)

    def _drive_to_end(self, run: Run[R]) -> R:
        for _ in self._steps(run):
            pass
        return run.result

    def _steps(self, run: Run[Any]) -> Generator[CrawlDocument, None, None]:
        poller, clock = run.poller, self.clock
        seen = Seen(poller.merger)
        yield from run.kept()
        while not poller.done:
            action = poller.next_action(clock.monotonic())
            if isinstance(action, Fetch) and streamed(poller, action):
                yield from self._read_streamed(run, action, seen)
            elif isinstance(action, Fetch):
                answer = self._transport.send(
                    poller.kind,
                    poller.job_id,
                    action.etag,
                    action.timeout,
                    clock.utcnow,
                    run.limits,
                    action.route,
                )
                poller.receive(clock.monotonic(), answer)
                # Not kept while the next answer downloads: a large crawl's would double the peak.
                del answer
            else:
                yield from self._perform(run, action)

    def _read_streamed(
        self, run: Run[Any], fetch: Fetch, seen: Seen
    ) -> Generator[CrawlDocument, None, None]:
        """One crawl answer read as it arrives: each new document merged, stored and handed
        over before the next is read; closing the stream half way aborts the exchange."""
        poller, clock = run.poller, self.clock
        events = self._transport.stream(
            poller.job_id, fetch.etag, fetch.timeout, clock.utcnow, run.limits, seen
        )
        with contextlib.closing(events):
            for event in events:
                if isinstance(event, Taken):
                    for action in poller.take_documents(event):
                        yield from self._perform(run, action)
                else:
                    poller.receive(clock.monotonic(), event)

    def _perform(self, run: Run[Any], action: Action) -> Generator[CrawlDocument, None, None]:
        if isinstance(action, Sleep):
            self.clock.sleep(action.seconds)
        elif isinstance(action, Emit) and run.delivers(action):
            for item in action.items:
                run.store_delivered((item,))
                yield item.document
        else:
            assert not isinstance(action, Fetch)
            run.settle(action)
            run.apply(action)


class CrawlStream:
    """The documents of a crawl, each once, as an iterator; `result` once it is exhausted."""

    def __init__(
        self, documents: Generator[CrawlDocument, None, None], run: Run[CrawlResult]
    ) -> None:
        self._documents = documents
        self._run = run

    def __iter__(self) -> Self:
        return self

    def __next__(self) -> CrawlDocument:
        return next(self._documents)

    def close(self) -> None:
        """Stop polling (nothing is lost: delivered documents are already stored)."""
        self._documents.close()

    @property
    def result(self) -> CrawlResult:
        """The `CrawlResult` (figures, last snapshot); its ``documents`` is empty when streaming."""
        return self._run.result
