"""What ``firecrawl-status`` writes, and how: data lines, progress for people, the signal guard.

Data (stdout or ``--output``) goes through `_Output`: one compact JSON value a line, flushed at
once, so an interrupted run leaves valid JSON Lines; a file is created on its first line only.
Everything for people goes to stderr through a `_Progress`: nothing but warnings (``--quiet``),
`_PlainProgress` lines for logs and cron, or `_LiveProgress`, a rich bar on a terminal;
`_ProgressLog` routes the facade's log records there too. `_Signals` holds SIGINT and SIGTERM
while a line is written and raises `KeyboardInterrupt` right after, so no line is ever cut in
half. The small formatters (`_iso`, `_left`, `_elapsed`, ...) are shared with the commands.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import os
import signal
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from types import FrameType
from typing import IO, Any

from ._encoding import compact_json
from ._snapshot import CrawlFigures, CrawlSnapshot, ExtractSnapshot

PROG = "firecrawl-status"
PLAIN_EVERY = 5.0
"""Seconds between plain progress lines (stderr not a terminal); status changes always print."""


class _UsageError(Exception):
    """A bad argument found after parsing (exit 2), e.g. an ``--output`` that cannot be written."""


# -- signals: never cut a line in half ---------------------------------------------------------


class _Signals:
    """SIGINT/SIGTERM become `KeyboardInterrupt`, but never while a line is being written."""

    def __init__(self) -> None:
        self.received: int | None = None
        self._holding = 0
        self._pending = False
        self._previous: dict[int, Any] = {}

    def install(self) -> None:
        if threading.current_thread() is not threading.main_thread():
            return
        for signum in (signal.SIGINT, signal.SIGTERM):
            previous = signal.getsignal(signum)
            if previous is signal.SIG_IGN:
                continue  # as Python itself does: a background job's ignored SIGINT stays ignored
            self._previous[signum] = previous
            signal.signal(signum, self._handle)

    def restore(self) -> None:
        for signum, previous in self._previous.items():
            signal.signal(signum, previous)
        self._previous.clear()

    def _handle(self, signum: int, _frame: FrameType | None) -> None:
        self.received = signum
        if self._holding:
            # Returning lets the interrupted write() resume (PEP 475); we raise once it is done.
            self._pending = True
            return
        raise KeyboardInterrupt

    @contextlib.contextmanager
    def held(self) -> Iterator[None]:
        """Defer an interrupt until the block ends."""
        self._holding += 1
        try:
            yield
        finally:
            self._holding -= 1
            if not self._holding and self._pending:
                self._pending = False
                raise KeyboardInterrupt


# -- output: data only, one flushed line at a time ---------------------------------------------


class _Output:
    """Where data goes: stdout, a file (created on the first line, so a run that fails before
    any data leaves an existing file alone), or nowhere (the demo's documents)."""

    def __init__(self, path: str | None, signals: _Signals, *, discard: bool = False) -> None:
        self.path = None if path is None or path == "-" else Path(path)
        self.discard = discard
        self.written = 0
        self._signals = signals
        self._stream: IO[bytes] | None = None
        if self.path is not None:
            folder = self.path.parent
            if not folder.is_dir():
                raise _UsageError(f"cannot write {self.path}: folder {folder} does not exist")
            if self.path.is_dir() or not os.access(folder, os.W_OK):
                raise _UsageError(f"cannot write {self.path}: not a writable file path")

    @property
    def label(self) -> str:
        return "nowhere" if self.discard else str(self.path) if self.path else "stdout"

    def write(self, value: object) -> None:
        """Write one JSON value as one line and flush it (an interrupt waits for the line)."""
        line = compact_json(value, strict=True).encode("utf-8") + b"\n"
        with self._signals.held():
            if not self.discard:
                stream = self._open()
                stream.write(line)
                stream.flush()
            self.written += 1

    def finish(self) -> None:
        """Make sure the file exists (a completed crawl with no documents gives an empty file)."""
        if not self.discard:
            self._open()

    def close(self) -> None:
        if self._stream is not None and self.path is not None:
            self._stream.close()
        self._stream = None

    def _open(self) -> IO[bytes]:
        if self._stream is None:
            if self.path is None:
                self._stream = sys.stdout.buffer
            else:
                try:
                    self._stream = self.path.open("wb")
                except OSError as exc:
                    raise _UsageError(f"cannot write {self.path}: {exc.strerror or exc}") from exc
        return self._stream


# -- progress: everything for people, on stderr ------------------------------------------------


def _iso(when: dt.datetime | None) -> str | None:
    """ISO-8601 UTC with ``Z``; milliseconds only when there are any."""
    if when is None:
        return None
    when = when.astimezone(dt.UTC)
    text = when.strftime("%Y-%m-%dT%H:%M:%S")
    return f"{text}.{when.microsecond // 1000:03d}Z" if when.microsecond else f"{text}Z"


def _seconds_left(delta: dt.timedelta | None) -> int | None:
    return None if delta is None else int(delta.total_seconds())


def _left(seconds: float | None) -> str:
    """Time left before the server forgets a job, short: ``23h59m``, ``4m05s``, ``expired``."""
    if seconds is None:
        return "unknown"
    whole = int(seconds)
    if whole <= 0:
        return "expired"
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours}h{minutes:02d}m"
    return f"{minutes}m{secs:02d}s" if minutes else f"{secs}s"


def _elapsed(seconds: float) -> str:
    minutes, secs = divmod(int(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def _size(count: int) -> str:
    if count < 1000:
        return f"{count} B"
    amount = float(count)
    for unit in ("KB", "MB", "GB"):
        amount /= 1000
        if amount < 1000 or unit == "GB":
            break
    return f"{amount:.1f} {unit}"


def _pages(snapshot: CrawlSnapshot) -> str:
    current = "?" if snapshot.current is None else str(snapshot.current)
    total = "?" if snapshot.total is None else str(snapshot.total)
    return f"{current}/{total} pages"


def _step(snapshot: ExtractSnapshot) -> str | None:
    steps = snapshot.extras.get("steps")
    if isinstance(steps, list) and steps and isinstance(steps[-1], dict):
        name = steps[-1].get("step")
        return name if isinstance(name, str) else None
    return None


def _figures_lines(figures: CrawlFigures) -> list[str]:
    """The merge and traffic figures of a crawl wait, as two short lines."""
    earlier = f"{figures.known_before} kept from an earlier run · " if figures.known_before else ""
    return [
        f"merge:   {earlier}{figures.from_partial} from partial_data · {figures.from_final_only} "
        f"only in the final data · {figures.duplicates_dropped} duplicates dropped · "
        f"{figures.gaps} gaps",
        f"traffic: {figures.requests} requests · {figures.not_modified} answered 304 · "
        f"{figures.retries} retries · {_size(figures.bytes_received)} received",
    ]


class _Progress:
    """Progress and notes on stderr. This base class is ``--quiet``: it shows nothing."""

    def __init__(self) -> None:
        self.documents = 0
        self._started = time.monotonic()

    @property
    def elapsed(self) -> float:
        return time.monotonic() - self._started

    @contextlib.contextmanager
    def running(self, kind: str, job_id: str) -> Iterator[None]:
        """Show progress of one job for the duration of the block."""
        self._started = time.monotonic()
        self.documents = 0
        yield

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


class _PlainProgress(_Progress):
    """Plain lines: one per status change, else one every `PLAIN_EVERY` seconds (logs, cron)."""

    def __init__(self, stream: IO[str]) -> None:
        super().__init__()
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
            f"crawl {snapshot.job_id}: {snapshot.status}, {_pages(snapshot)}, "
            f"{self.documents} documents written, {_elapsed(self.elapsed)} elapsed, "
            f"expires in {_left(_seconds_left(snapshot.time_left))}",
        )

    def extract(self, snapshot: ExtractSnapshot) -> None:
        step = _step(snapshot)
        self._maybe(
            snapshot.status,
            f"extract {snapshot.job_id}: {snapshot.status}"
            + (f" ({step})" if step else "")
            + f", {_elapsed(self.elapsed)} elapsed, "
            f"expires in {_left(_seconds_left(snapshot.time_left))}",
        )

    def note(self, text: str) -> None:
        self._stream.write(f"{PROG}: {text}\n")
        self._stream.flush()

    def _maybe(self, status: str, line: str) -> None:
        now = time.monotonic()
        if status != self._last_status or now - self._last_line >= PLAIN_EVERY:
            self._last_line, self._last_status = now, status
            self.note(line)


class _LiveProgress(_Progress):
    """A live bar on a terminal (rich): pages, documents, elapsed, time left before expiry."""

    def __init__(self) -> None:
        super().__init__()
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
            pages=_pages(snapshot),
            docs=f"{self.documents} docs",
            left=f"expires in {_left(_seconds_left(snapshot.time_left))}",
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
            pages=_step(snapshot) or "",
            left=f"expires in {_left(_seconds_left(snapshot.time_left))}",
        )

    def document(self, count: int = 1) -> None:
        super().document(count)
        if self._bar is not None and self._kind == "crawl":
            self._bar.update(self._task, docs=f"{self.documents} docs")

    def note(self, text: str) -> None:
        console = self._console if self._bar is None else self._bar.console
        console.print(text, markup=False, highlight=False, soft_wrap=True)

    def warn(self, text: str) -> None:
        self.note(f"{PROG}: warning: {text}")


def _short(job_id: str) -> str:
    return job_id if len(job_id) <= 13 else f"{job_id[:8]}…"


class _ProgressLog(logging.Handler):
    """Routes the facade's log lines (expiry warnings, retries with -v) through the progress."""

    def __init__(self, progress: _Progress) -> None:
        super().__init__()
        self._progress = progress

    def emit(self, record: logging.LogRecord) -> None:
        if record.levelno >= logging.WARNING:
            self._progress.warn(record.getMessage())
        else:
            self._progress.note(record.getMessage())
