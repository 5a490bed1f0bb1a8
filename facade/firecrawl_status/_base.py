"""What the sync and async clients share: configuration, and starting a call (`_run.Run`).

Like httpx's ``BaseClient``: `StatusClient` and `AsyncStatusClient` add only their IO loop.
"""

from __future__ import annotations

import os
import random
from typing import Any

import httpx

from ._clock import Clock, SystemClock
from ._core import Mode, Poller
from ._merge import Item, document_identity
from ._outcome import Kind
from ._policy import PollPolicy, RetryPolicy
from ._run import ExpiryWarning, ProgressCallback, Run
from ._store import JobStore

DEFAULT_BASE_URL = "https://api.firecrawl.dev"
DEFAULT_TIMEOUT = 30.0


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
        include_kept: bool = False,
    ) -> Run[Any]:
        if not isinstance(job_id, str) or not job_id.strip():
            raise ValueError(f"a {kind} job id must be a non-empty string, not {job_id!r}")
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
        return Run(
            poller,
            store=self.store,
            base_url=self.base_url,
            clock=self.clock,
            seen=self._seen,
            on_progress=on_progress,
            on_expiry_warning=on_expiry_warning,
            include_kept=include_kept,
        )
