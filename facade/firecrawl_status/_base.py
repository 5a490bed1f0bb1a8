"""What the sync and async clients share: their public configuration (`BaseClient`), and a
client's private half (`ClientCore`): its key, its per-request limits, what it has seen, and
starting a call (`_run.Run`).

Like httpx's ``BaseClient``: `StatusClient` and `AsyncStatusClient` add only their IO loop. They
own their `ClientCore` as a private attribute of their own, so no private name crosses from this
module into theirs, and the key is reachable from no public attribute.
"""

from __future__ import annotations

import os
import random
from typing import Any

import httpx

from ._api import job_id_problem, job_path
from ._clock import Clock, SystemClock, already_past
from ._core import Mode, Poller
from ._logs import setup_logging
from ._merge import Item, document_identity
from ._outcome import Api, Kind, outcome
from ._paged import PagedPoller
from ._pages import identity
from ._policy import PollPolicy, RetryPolicy
from ._run import ExpiryWarning, ProgressCallback, Run
from ._store import JobStore

DEFAULT_BASE_URL = "https://api.firecrawl.dev"
DEFAULT_TIMEOUT = 30.0


def resolve_base_url(base_url: str | None) -> str:
    """The API root a client with this ``base_url`` argument talks to: the argument, else
    ``$FIRECRAWL_API_URL``, else `DEFAULT_BASE_URL`; without a trailing slash.

    Raises:
        ValueError: It is not an http(s) URL with a host.
    """
    url = base_url or os.environ.get("FIRECRAWL_API_URL") or DEFAULT_BASE_URL
    parsed = httpx.URL(url)
    if parsed.scheme not in ("http", "https") or not parsed.host:
        raise ValueError(f"base_url must be an http(s) URL like {DEFAULT_BASE_URL}, not {url!r}")
    return url.rstrip("/")


def request_limits(timeout: float | httpx.Timeout | None) -> httpx.Timeout:
    """Per-request limits from a ``timeout`` argument: a number of seconds applies to each of
    connect, read, write and pool; an `httpx.Timeout` sets them apart; None sets none.

    Raises:
        ValueError: A limit is not a positive number of seconds.
    """
    limits = timeout if isinstance(timeout, httpx.Timeout) else httpx.Timeout(timeout)
    for part, value in limits.as_dict().items():
        if value is not None and not value > 0:
            raise ValueError(
                f"timeout must be a positive number of seconds, an httpx.Timeout of those, "
                f"or None, not {timeout!r} ({part}={value!r})"
            )
    return limits


def _retry_policy(retry: RetryPolicy | None, max_retries: int | None) -> RetryPolicy:
    """``retry``, or ``max_retries`` as a shortcut for ``RetryPolicy(max_retries=...)``."""
    if max_retries is None:
        return retry or RetryPolicy()
    if retry is None:
        return RetryPolicy(max_retries=max_retries)
    if retry.max_retries != max_retries:
        raise ValueError(
            f"max_retries={max_retries!r} contradicts retry=RetryPolicy(max_retries="
            f"{retry.max_retries!r}); give one of them"
        )
    return retry


class BaseClient:
    """The configuration both clients show as public attributes (see `StatusClient` for the
    arguments), read by their `ClientCore` at each call."""

    def __init__(
        self,
        *,
        base_url: str | None = None,
        timeout: float | httpx.Timeout | None = DEFAULT_TIMEOUT,
        retry: RetryPolicy | None = None,
        max_retries: int | None = None,
        poll: PollPolicy | None = None,
        store: JobStore | None = None,
        clock: Clock | None = None,
        crawl_api: Api = "v0",
    ) -> None:
        setup_logging()
        if crawl_api not in ("v0", "v1", "v2"):
            raise ValueError(f"crawl_api must be 'v0', 'v1' or 'v2', not {crawl_api!r}")
        self.crawl_api: Api = crawl_api
        self.base_url: str = resolve_base_url(base_url)
        # Checked here, in the arguments' order, though the client's ClientCore keeps the limits.
        request_limits(timeout)
        self.timeout = timeout
        self.retry: RetryPolicy = _retry_policy(retry, max_retries)
        self.poll: PollPolicy = poll or PollPolicy()
        self.store = store
        self.clock: Clock = clock or SystemClock()


class ClientCore:
    """A client's private half: its API key, per-request limits and jitter source, the jobs it
    saw and the notices it gave; starts each call of the client (`run`).

    Args:
        api_key: The key; defaults to ``$FIRECRAWL_API_KEY``, an empty one is none.
        timeout: The client's ``timeout`` argument (`request_limits`).
        rng: The jitter's random source.

    Raises:
        ValueError: A non-positive ``timeout`` part.
    """

    def __init__(
        self,
        api_key: str | None,
        timeout: float | httpx.Timeout | None,
        rng: random.Random | None,
    ) -> None:
        key = api_key if api_key is not None else os.environ.get("FIRECRAWL_API_KEY")
        self.api_key = key or None
        self.limits = request_limits(timeout)
        self.rng = rng or random.Random()
        self.seen: set[tuple[Kind, str]] = set()
        self.notified: set[Kind] = set()

    def describe(self, client: BaseClient) -> str:
        """The repr of ``client``: whether it has a key, never the key."""
        key = "set" if self.api_key else "none"
        return f"{type(client).__name__}(base_url={client.base_url!r}, api_key=<{key}>)"

    def run(
        self,
        client: BaseClient,
        kind: Kind,
        job_id: str,
        mode: Mode,
        *,
        timeout: float | httpx.Timeout | None = None,
        poll: PollPolicy | None = None,
        on_progress: ProgressCallback | None = None,
        on_expiry_warning: ExpiryWarning | None = None,
        include_kept: bool = False,
        errors_only: bool = False,
    ) -> Run[Any]:
        """One call of ``client`` on a job of ``kind``, with its configuration as it is now.

        ``errors_only`` reads the job's errors route instead of its status.

        Raises:
            ValueError: A malformed ``job_id``, or a non-positive part of an `httpx.Timeout`.
        """
        # A number is the call's overall deadline; an httpx.Timeout replaces the client's
        # per-request limits for this call, which then has no overall deadline.
        limits = self.limits
        if isinstance(timeout, httpx.Timeout):
            limits, timeout = request_limits(timeout), None
        if (problem := job_id_problem(job_id)) is not None:
            raise ValueError(f"a {kind} job id {problem}")
        known: list[Item] = []
        seen = (kind, job_id) in self.seen
        kept, expired_since = 0, None
        api = api_of(client.crawl_api, kind)
        if errors_only and api == "v0":
            api = "v2"  # a crawl has no v0 errors route: its v2 twin lists the same pages
        cursor: str | None = None
        store, base_url = client.store, client.base_url
        if store is not None and api != "v0":
            record = store.job(job_id, base_url=base_url)
            seen = seen or record is not None
            cursor = None if record is None else record.cursor
            if mode == "wait":
                for document in store.iter_documents(job_id, base_url=base_url):
                    known.append(Item(identity(document), None, document))
            elif mode == "stream":
                index = store.document_index(job_id, base_url=base_url)
                known = [Item(key, None, {}) for key, _ in index]
        elif store is not None:
            # A 404 for a job the store holds is an expiry, on a one-shot read too.
            record = store.job(job_id, base_url=base_url)
            seen = seen or record is not None
            if record is not None:
                kept = record.documents
                left = None if record.expires_at is None else record.expires_at - record.last_seen
                if outcome(kind, record.status, expired=already_past(left)) == "unconfirmed":
                    # Its last read looked lost: this call confirms it or not (`_outcome`).
                    expired_since = record.last_seen
            if kind == "crawl" and mode == "wait":
                # The result holds every document, so they are read back whole.
                for document in store.iter_documents(job_id, base_url=base_url):
                    known.append(Item(*document_identity(document), document))
            elif kind == "crawl" and mode == "stream":
                # A stream only needs to skip them: keys and order, no documents read.
                index = store.document_index(job_id, base_url=base_url)
                known = [Item(key, order, {}) for key, order in index]
        common: dict[str, Any] = {
            "kind": kind,
            "job_id": job_id,
            "mode": mode,
            "retry": client.retry,
            "poll": poll or client.poll,
            "now": client.clock.monotonic(),
            "timeout": timeout,
            "request_timeout": None,  # the limits apply per request, capped by the deadline
            "rng": self.rng,
            "seen_before": seen,
            "known": known,
        }
        poller: Poller
        if api != "v0":
            poller = PagedPoller(
                **common,
                api=api,
                base_url=base_url,
                job_path=job_path(kind, job_id, api),
                cursor=cursor,
                errors_only=errors_only,
            )
        else:
            poller = Poller(
                **common,
                kept=kept,
                expired_since=expired_since,
                notice_seen=kind in self.notified,
                records_updates=store is not None,
            )
        return Run(
            poller,
            store=store,
            base_url=base_url,
            clock=client.clock,
            seen=self.seen,
            notified=self.notified,
            on_progress=on_progress,
            on_expiry_warning=on_expiry_warning,
            include_kept=include_kept,
            limits=limits,
        )


def api_of(crawl_api: Api, kind: Kind) -> Api:
    """The API a job of ``kind`` is read through by a client reading crawls through
    ``crawl_api``: extract its own (v0), crawl ``crawl_api``, batch scrape v1 when that is
    v1, else v2."""
    if kind == "extract":
        return "v0"
    if kind == "batch_scrape":
        return "v1" if crawl_api == "v1" else "v2"
    return crawl_api
