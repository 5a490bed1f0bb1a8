"""Everything for people, on stderr: progress of a wait, notes and warnings.

`Progress` itself is ``--quiet``: nothing but warnings. `PlainProgress` writes lines for logs and
cron; `LiveProgress` is a rich bar on a terminal (when rich is installed). `ProgressLog` routes
the library's log records through the same display, and `deprecation_line` its deprecation
warning. Durations come from the injected clock.
"""

from __future__ import annotations

import contextlib
import logging
import sys
import warnings
from collections.abc import Iterator
from typing import IO, Any, TextIO

from firecrawl_status._clock import Clock
from firecrawl_status._deprecation import FirecrawlDeprecationWarning
from firecrawl_status._jobs import JobSnapshot
from firecrawl_status._snapshot import CrawlSnapshot, ExtractSnapshot

from ._format import PROG, elapsed, left, pages, seconds_left, step

PLAIN_EVERY = 5.0
"""Seconds between plain progress lines (stderr not a terminal); status changes always print."""


class Progress:
    """Progress and notes on stderr. This base class is ``--quiet``: it shows nothing."""

    def __init__(self, clock: Clock) -> None:
        self.documents = 0
        self._clock = clock
        self._started = clock.monotonic()

    @property
    def elapsed(self) -> float:
        """Seconds since the current job's progress started."""
        return self._clock.monotonic() - self._started

    @contextlib.contextmanager
    def running(self, kind: str, job_id: str) -> Iterator[None]:
        """Show progress of one job for the duration of the block."""
        self._started = self._clock.monotonic()
        self.documents = 0
        yield

    def report(self, snapshot: CrawlSnapshot | ExtractSnapshot) -> None:
        """A poll finished (the clients' ``on_progress`` callback)."""
        if isinstance(snapshot, CrawlSnapshot):
            self.crawl(snapshot)
        else:
            self.extract(snapshot)

    def crawl(self, snapshot: CrawlSnapshot) -> None:
        """A crawl poll finished."""

    def extract(self, snapshot: ExtractSnapshot) -> None:
        """An extract poll finished."""

    def document(self, count: int = 1) -> None:
        """Documents were written."""
        self.documents += count

    def note(self, text: str) -> None:
        """A line for people (none with --quiet)."""

    def warn(self, text: str) -> None:
        """A warning: shown even with --quiet, since it says the result may not be what it seems."""
        sys.stderr.write(f"{PROG}: warning: {text}\n")
        sys.stderr.flush()


class PlainProgress(Progress):
    """Plain lines: one per status change, else one every `PLAIN_EVERY` seconds (logs, cron)."""

    def __init__(self, clock: Clock, stream: IO[str]) -> None:
        super().__init__(clock)
        self._stream = stream
        self._last_line = float("-inf")
        self._last_status: str | None = None
        self._pending: CrawlSnapshot | None = None

    @contextlib.contextmanager
    def running(self, kind: str, job_id: str) -> Iterator[None]:
        with super().running(kind, job_id):
            self._last_line, self._last_status = float("-inf"), None
            try:
                yield
            finally:
                self._flush()

    def crawl(self, snapshot: CrawlSnapshot) -> None:
        # A poll is reported before its new documents are written, so its line waits for the
        # next poll (or the end) to count them.
        self._flush()
        self._pending = snapshot

    def _flush(self) -> None:
        snapshot, self._pending = self._pending, None
        if snapshot is None:
            return
        self._maybe(
            snapshot.status,
            f"{job_label(snapshot)} {snapshot.job_id}: {snapshot.status}, {pages(snapshot)}, "
            f"{self.documents} documents written, {elapsed(self.elapsed)} elapsed, "
            f"expires in {left(seconds_left(snapshot.time_left))}",
        )

    def extract(self, snapshot: ExtractSnapshot) -> None:
        name = step(snapshot)
        self._maybe(
            snapshot.status,
            f"extract {snapshot.job_id}: {snapshot.status}"
            + (f" ({name})" if name else "")
            + f", {elapsed(self.elapsed)} elapsed, "
            f"expires in {left(seconds_left(snapshot.time_left))}",
        )

    def note(self, text: str) -> None:
        self._stream.write(f"{PROG}: {text}\n")
        self._stream.flush()

    def _maybe(self, status: str, line: str) -> None:
        now = self._clock.monotonic()
        if status != self._last_status or now - self._last_line >= PLAIN_EVERY:
            self._last_line, self._last_status = now, status
            self.note(line)


class LiveProgress(Progress):
    """A live bar on a terminal (rich): pages, documents, elapsed, time left before expiry.

    Raises:
        ImportError: rich is not installed.
    """

    def __init__(self, clock: Clock) -> None:
        super().__init__(clock)
        from rich.console import Console

        self._console = Console(stderr=True, highlight=False)
        self._bar: Any = None  # a rich Progress while a job runs
        self._task: Any = None
        self._kind = ""

    @contextlib.contextmanager
    def running(self, kind: str, job_id: str) -> Iterator[None]:
        from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

        bar = Progress(
            SpinnerColumn(finished_text="[green]✓"),
            TextColumn("{task.description}"),
            BarColumn(bar_width=30),
            TextColumn("{task.fields[pages]}"),
            TextColumn("[bold]{task.fields[docs]}"),
            TimeElapsedColumn(),
            TextColumn("[dim]{task.fields[left]}"),
            console=self._console,
            redirect_stdout=False,
            redirect_stderr=False,
            refresh_per_second=8,
        )
        with super().running(kind, job_id), bar:
            self._bar, self._kind = bar, kind
            self._task = bar.add_task(
                f"{kind} {_short(job_id)}", total=None, pages="", docs="", left=""
            )
            try:
                yield
            finally:
                self._bar = self._task = None

    def crawl(self, snapshot: CrawlSnapshot) -> None:
        if self._bar is None:
            return
        self._bar.update(
            self._task,
            description=f"crawl {_short(snapshot.job_id)} {snapshot.status}",
            completed=snapshot.current or 0,
            total=snapshot.total or None,  # unknown (or 0) total: a pulsing bar
            pages=pages(snapshot),
            docs=f"{self.documents} docs",
            left=f"expires in {left(seconds_left(snapshot.time_left))}",
        )

    def extract(self, snapshot: ExtractSnapshot) -> None:
        if self._bar is None:
            return
        done = snapshot.is_terminal
        self._bar.update(
            self._task,
            description=f"extract {_short(snapshot.job_id)} {snapshot.status}",
            total=1 if done else None,
            completed=1 if done else 0,
            pages=step(snapshot) or "",
            left=f"expires in {left(seconds_left(snapshot.time_left))}",
        )

    def document(self, count: int = 1) -> None:
        super().document(count)
        if self._bar is not None and self._kind != "extract":
            self._bar.update(self._task, docs=f"{self.documents} docs")

    def note(self, text: str) -> None:
        console = self._console if self._bar is None else self._bar.console
        console.print(text, markup=False, highlight=False, soft_wrap=True)

    def warn(self, text: str) -> None:
        self.note(f"{PROG}: warning: {text}")


def _short(job_id: str) -> str:
    return job_id if len(job_id) <= 13 else f"{job_id[:8]}…"


class ProgressLog(logging.Handler):
    """Routes the library's log lines (expiry warnings, retries with -v) through the progress."""

    def __init__(self, progress: Progress) -> None:
        super().__init__()
        self._progress = progress

    def emit(self, record: logging.LogRecord) -> None:
        if record.levelno >= logging.WARNING:
            self._progress.warn(record.getMessage())
        else:
            self._progress.note(record.getMessage())


@contextlib.contextmanager
def deprecation_line(progress: Progress) -> Iterator[None]:
    """Show the library's `FirecrawlDeprecationWarning` as one warning line on stderr per run,
    through the progress display (so it does not break a live line); other warnings, and the
    user's warning filters (``-W ignore``, ``PYTHONWARNINGS``), work as before."""
    shown = False
    with warnings.catch_warnings():
        previous = warnings.showwarning

        def show(
            message: Warning | str,
            category: type[Warning],
            filename: str,
            lineno: int,
            file: TextIO | None = None,
            line: str | None = None,
        ) -> None:
            nonlocal shown
            if not issubclass(category, FirecrawlDeprecationWarning):
                previous(message, category, filename, lineno, file, line)
            elif not shown:
                shown = True
                progress.warn(str(message))

        warnings.showwarning = show
        yield


def job_label(snapshot: CrawlSnapshot) -> str:
    """What progress calls a crawl-like job: ``crawl`` or ``batch scrape``."""
    if isinstance(snapshot, JobSnapshot) and snapshot.kind == "batch_scrape":
        return "batch scrape"
    return "crawl"
