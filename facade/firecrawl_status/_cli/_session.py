"""What one run of a command holds: its arguments, clock, display, output, store and client.

The clock and the HTTP client are injected by `main` (tests pass a `FakeClock` and a client on
the simulator's transport); a real run gets the system clock and a client of its own.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import httpx

from firecrawl_status._body import BodyLimits
from firecrawl_status._clock import Clock
from firecrawl_status._policy import PollPolicy, RetryPolicy
from firecrawl_status._store import JobStore
from firecrawl_status._sync import StatusClient

from ._exits import NoStore, UsageError
from ._output import Output
from ._progress import LiveProgress, PlainProgress, Progress
from ._signals import Signals

T = TypeVar("T")


class Session:
    """One command invocation: what it was given and what it opened (closed by `main`)."""

    def __init__(
        self,
        args: argparse.Namespace,
        signals: Signals,
        clock: Clock,
        http_client: httpx.Client | None,
    ) -> None:
        self.args = args
        self.signals = signals
        self.clock = clock
        self.http_client = http_client
        self.output: Output | None = None
        """The data output of a streaming command (named in the interruption message)."""
        self.store: JobStore | None = None
        self.base_url: str | None = None
        self.secret: str | None = None
        self.progress = self._make_progress(getattr(args, "quiet", False))

    def _make_progress(self, quiet: bool) -> Progress:
        if quiet:
            return Progress(self.clock)
        # A crawl streaming its documents to the same terminal would shred a live bar.
        streaming_here = (
            self.args.command == "crawl"
            and getattr(self.args, "output", None) in (None, "-")
            and sys.stdout.isatty()
        )
        if sys.stderr.isatty() and not streaming_here:
            try:
                return LiveProgress(self.clock)
            except ImportError:  # rich is optional: plain lines without it
                pass
        return PlainProgress(self.clock, sys.stderr)

    @property
    def job_id(self) -> str:
        """The job the command is about (``JOB_ID`` for commands without one)."""
        job_id = getattr(self.args, "job_id", None)
        return job_id if isinstance(job_id, str) else "JOB_ID"

    def open_store(
        self, *, create: bool = True, temporary_dir: str | None = None
    ) -> JobStore | None:
        """The job store the options name (None with --no-store).

        Args:
            create: False for a command that must not create the file: `NoStore` when missing.
            temporary_dir: The folder of the store unless ``--store`` names one (the demo).
        """
        args = self.args
        if getattr(args, "no_store", False):
            return None
        path = Path(args.store) if args.store else JobStore.default_path()
        if temporary_dir is not None and not args.store:
            path = Path(temporary_dir) / "jobs.sqlite3"
        if not create and not path.expanduser().exists():
            raise NoStore(path)
        self.store = JobStore(path)
        return self.store

    def read_once(self, read: Callable[[StatusClient], T]) -> T:
        """A plain read (no ``--wait``): ``--output`` refused, the store used only if it exists."""
        if self.args.output:
            raise UsageError("--output needs --wait (a plain read prints to stdout)")
        with contextlib.suppress(NoStore):
            self.open_store(create=False)
        with self.client() as client:
            return read(client)

    def store_label(self) -> str:
        """The store, for messages."""
        if self.store is None or self.store.path is None:
            return "the job store"
        return f"the job store {self.store.path}"

    def client(self) -> StatusClient:
        """A client configured from the options, on the injected clock and HTTP client."""
        args = self.args
        key = args.api_key if args.api_key else os.environ.get("FIRECRAWL_API_KEY") or None
        self.secret = key
        retries = args.max_retries
        limit = args.max_body_bytes
        limits = None if limit is None else BodyLimits(max_received=limit, max_decoded=limit)
        try:
            client = StatusClient(
                key,
                base_url=args.base_url,
                retry=None if retries is None else RetryPolicy(max_retries=retries),
                poll=_poll_policy(args.poll_interval),
                store=self.store,
                http_client=self.http_client,
                clock=self.clock,
                crawl_api=getattr(args, "api", "v0"),
                body_limits=limits,
            )
        except ValueError as exc:
            raise UsageError(str(exc)) from exc
        self.base_url = _display_url(client.base_url)
        return client


def _poll_policy(interval: float | None) -> PollPolicy | None:
    if interval is None:
        return None
    default = PollPolicy()
    return PollPolicy(
        initial_interval=interval,
        steady_interval=interval,
        min_interval=min(default.min_interval, interval),
        max_interval=max(default.max_interval, interval),
    )


def _display_url(url: str) -> str:
    """The URL without credentials or query, for messages."""
    parsed = httpx.URL(url)
    port = f":{parsed.port}" if parsed.port else ""
    return f"{parsed.scheme}://{parsed.host}{port}{parsed.path.rstrip('/')}"
