"""The ``firecrawl-status`` command: read, wait on and export Firecrawl jobs from a shell or cron.

Scripts depend on this interface (issue 6), so it changes only by addition:

* ``crawl JOB_ID`` / ``extract ID`` print one snapshot as one JSON object on stdout;
* ``crawl JOB_ID --wait`` streams every document once, as JSON Lines, to stdout or ``--output``;
  ``extract ID --wait`` writes the final result as one JSON object;
* ``jobs`` and ``export`` read the local job store; ``simulate`` and ``demo`` run the simulator.

Theory of operation: stdout (or ``--output``) carries data only, one flushed line at a time, so an
interrupted run leaves valid JSON Lines; everything for people (progress, notes, the one error
line) goes to stderr through a `_Progress`. Every failure leaves through `_failure`, one table
from exception to exit code and next step. SIGINT and SIGTERM are held while a line is written
and raised as `KeyboardInterrupt` right after, so no line is ever cut in half.

This module parses the arguments, holds what one run needs (`_Session`), runs the commands and
turns every failure into its exit code; `_terminal` does the writing (`_Output`, the `_Progress`
displays, `_Signals`); `_demo` is the ``demo`` command.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import importlib.metadata
import logging
import os
import signal
import sys
import traceback
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import httpx

from ._api import job_id_problem
from ._core import lost_outcome
from ._policy import PollPolicy, RetryPolicy
from ._snapshot import CrawlResult, CrawlSnapshot, ExtractSnapshot
from ._store import JobRecord, JobStore
from ._sync import StatusClient
from ._terminal import (
    PROG,
    _elapsed,
    _figures_lines,
    _iso,
    _left,
    _LiveProgress,
    _Output,
    _PlainProgress,
    _Progress,
    _ProgressLog,
    _seconds_left,
    _Signals,
    _UsageError,
)
from .errors import (
    APIConnectionError,
    APIError,
    AuthenticationError,
    FirecrawlError,
    JobError,
    JobExpiredError,
    JobFailedError,
    JobNotFoundError,
    PaymentRequiredError,
    PermissionDeniedError,
    PollTimeoutError,
    ProtocolError,
    ResponseTooLargeError,
    StoreError,
)

__all__ = ["main"]

EXIT_OK, EXIT_JOB_FAILED, EXIT_USAGE, EXIT_GONE, EXIT_AUTH, EXIT_DEADLINE, EXIT_API = range(7)
EXIT_BROKEN_PIPE = 141  # what a shell reports for a writer killed by SIGPIPE (`| head`)
EXIT_BUG = 70  # EX_SOFTWARE from sysexits.h

EXIT_CODES_HELP = """\
exit codes:
  0    completed (a plain read: the job is running or completed)
  1    the job failed or was cancelled (documents seen so far are still written)
  2    usage error
  3    job not found, or expired (the server forgot it; `export` writes what was kept)
  4    authentication, permission or payment error
  5    deadline (--timeout) reached
  6    any other API, protocol or job-store error, after retries
  130  interrupted (143 for SIGTERM); everything received so far is written
  141  the reader of stdout went away (e.g. `| head`)

environment:
  FIRECRAWL_API_KEY       API key (--api-key)
  FIRECRAWL_API_URL       API root (--base-url), e.g. http://localhost:3002 when self-hosted
  FIRECRAWL_STATUS_HOME   folder of the job store (default: the user's cache folder)
"""


class _NotKept(Exception):
    """`export`: the store does not hold the job (exit 3, like a job the server does not know)."""


class _NoStore(Exception):
    """A read-only command found no store file (nothing has been recorded there yet)."""

    def __init__(self, path: Path) -> None:
        super().__init__(f"no job store at {path} yet")
        self.path = path


# -- arguments ---------------------------------------------------------------------------------


def _positive(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not value > 0 or value == float("inf"):
        raise argparse.ArgumentTypeError(f"must be a positive number, not {text}")
    return value


def _job_id(text: str) -> str:
    problem = job_id_problem(text)
    if problem is not None:
        raise argparse.ArgumentTypeError(f"a job id {problem}")
    return text


def _count(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"must be 0 or more, not {value}")
    return value


def _port(text: str) -> int:
    value = _count(text)
    if value > 65535:
        raise argparse.ArgumentTypeError(f"not a TCP port: {value}")
    return value


def _version() -> str:
    try:
        return importlib.metadata.version("firecrawl-status")
    except importlib.metadata.PackageNotFoundError:
        return "unknown (not installed)"


def _store_options(
    parser: argparse.ArgumentParser, *, temporary: bool = False, optional: bool = True
) -> None:
    group = parser.add_argument_group("job store")
    default = (
        "a temporary store, deleted afterwards"
        if temporary
        else "$FIRECRAWL_STATUS_HOME/jobs.sqlite3, else the user's cache folder"
    )
    choice = group.add_mutually_exclusive_group() if optional else group
    choice.add_argument(
        "--store",
        metavar="PATH",
        help=f"the local job store, an SQLite file (default: {default})",
    )
    if optional:
        choice.add_argument(
            "--no-store",
            action="store_true",
            help="keep no local record of jobs and documents",
        )


def _common_options() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    api = common.add_argument_group("connection")
    api.add_argument(
        "--base-url",
        metavar="URL",
        help="API root (default: $FIRECRAWL_API_URL, else https://api.firecrawl.dev)",
    )
    api.add_argument(
        "--api-key",
        metavar="KEY",
        help="API key (default: $FIRECRAWL_API_KEY; prefer the variable: a command line is "
        "visible to other users). A self-hosted server without auth needs none",
    )
    api.add_argument(
        "--timeout",
        metavar="SECONDS",
        type=_positive,
        help="overall deadline: give up after this long (exit 5). Without --wait it caps "
        "each request",
    )
    api.add_argument(
        "--poll-interval",
        metavar="SECONDS",
        type=_positive,
        help="usual wait between polls (default 1; backs off to 15 while nothing changes, "
        "polls sooner when a 50-page partial_data window would overflow)",
    )
    api.add_argument(
        "--max-retries",
        metavar="N",
        type=_count,
        help="retries of a failed request: no answer, 408, 429, 5xx (default 4; 0 disables)",
    )
    shown = common.add_argument_group("display")
    shown.add_argument(
        "-q",
        "--quiet",
        action="store_true",
        help="no progress or notes on stderr (errors and warnings still)",
    )
    shown.add_argument(
        "-v", "--verbose", action="store_true", help="also log each request and retry on stderr"
    )
    return common


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of ``firecrawl-status`` (also used to print the help)."""
    parser = argparse.ArgumentParser(
        prog=PROG,
        description="Read and wait on Firecrawl crawl and extract jobs: every document once, "
        "a deadline, retries, and a local store that keeps what the server forgets.",
        epilog=EXIT_CODES_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"{PROG} {_version()}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    common = _common_options()
    raw = argparse.RawDescriptionHelpFormatter

    crawl = commands.add_parser(
        "crawl",
        parents=[common],
        formatter_class=raw,
        help="print a crawl's status, or --wait and stream its documents",
        description="Without --wait: print the crawl's current status as one JSON object:\n"
        '  {"id", "status", "current", "total", "documents" (how many this answer holds),\n'
        '   "expiresAt" (estimated: 24 h after this read), "timeLeftSeconds", "readAt",\n'
        '   "error"} and "data" (the documents) with --include-documents.\n'
        "Exit 0 while running or completed, 1 once failed.\n\n"
        "With --wait: poll until the crawl completes and write its documents as JSON Lines,\n"
        "one per line, each exactly once, as soon as a poll shows it; a document is written as\n"
        "first seen (a partial_data copy can lack fields the final data adds, e.g. linksOnPage;\n"
        "`export` writes the final versions). Re-running with the same store resumes: the\n"
        "documents kept by the earlier run are written first, then the new ones.",
        epilog=EXIT_CODES_HELP,
    )
    _store_options(crawl)  # not in the parent: argparse loses a nested group's title there
    crawl.add_argument("job_id", metavar="JOB_ID", help="the crawl id", type=_job_id)
    crawl.add_argument("--wait", action="store_true", help="wait and stream the documents")
    crawl.add_argument(
        "-o", "--output", metavar="FILE", help="with --wait: write to FILE, not stdout"
    )
    crawl.add_argument(
        "--include-documents",
        action="store_true",
        help='without --wait: add the answer\'s documents as "data"',
    )

    extract = commands.add_parser(
        "extract",
        parents=[common],
        formatter_class=raw,
        help="print an extract job's status, or --wait for its result",
        description="Without --wait: print the job's current status as one JSON object:\n"
        '  {"id", "status", "success", "data", "error", "expiresAt", "timeLeftSeconds",\n'
        '   "readAt"} and the extra keys the server sent (steps, llmUsage, sources, ...).\n'
        "Exit 0 while processing or completed, 1 once failed or cancelled, 3 when the server\n"
        "has lost the job's outcome (processing with expiresAt already past).\n\n"
        "With --wait: poll until it completes and write the server's final answer as one JSON\n"
        'object: {"success", "status", "data", "expiresAt", and the extras: llmUsage, sources,\n'
        "costTracking, tokensUsed, ...}.",
        epilog=EXIT_CODES_HELP,
    )
    _store_options(extract)
    extract.add_argument("job_id", metavar="ID", help="the extract job id", type=_job_id)
    extract.add_argument("--wait", action="store_true", help="wait for the result")
    extract.add_argument(
        "-o", "--output", metavar="FILE", help="with --wait: write to FILE, not stdout"
    )

    jobs = commands.add_parser(
        "jobs",
        help="list the jobs in the local store",
        description="List the jobs in the local store, most recently seen first: id, kind, "
        "last status, documents kept, and time left before the server forgets them.",
    )
    _store_options(jobs, optional=False)
    jobs.add_argument("--json", action="store_true", help="one JSON object per job (JSON Lines)")

    export = commands.add_parser(
        "export",
        help="write the documents (or extract result) the store kept",
        description="Write what the local store kept of a job, whether or not the server still "
        "has it: a crawl's documents as JSON Lines (final versions where the final data came), "
        "an extract's last answer as one JSON object.",
    )
    export.add_argument("job_id", metavar="JOB_ID", help="the crawl or extract id")
    export.add_argument("-o", "--output", metavar="FILE", help="write to FILE, not stdout")
    _store_options(export, optional=False)

    simulate = commands.add_parser(
        "simulate",
        help="serve a local Firecrawl simulator until interrupted",
        description="Serve the simulator (both status endpoints, answering as the real server "
        "does) with a few demo jobs, until Ctrl-C. Then: FIRECRAWL_API_URL=http://127.0.0.1:3002 "
        f"{PROG} crawl JOB_ID --wait",
    )
    simulate.add_argument(
        "--port", type=_port, default=3002, help="TCP port (default 3002; 0 picks a free one)"
    )
    simulate.add_argument("--host", default="127.0.0.1", help="address to bind (default loopback)")
    simulate.add_argument(
        "--speed",
        metavar="FACTOR",
        type=_positive,
        default=1.0,
        help="simulated seconds per real second (default 1)",
    )
    simulate.add_argument(
        "--require-key", metavar="KEY", help="answer 401 unless this bearer key is sent"
    )

    demo = commands.add_parser(
        "demo",
        help="watch a simulated crawl and extract, in-process: no network, no key",
        description="Run the simulator in this process and wait on a simulated crawl (streaming, "
        "with progress and the merge figures) and an extract job, then print a summary.",
    )
    demo.add_argument(
        "--pages", metavar="N", type=_count, default=300, help="pages to crawl (default 300)"
    )
    demo.add_argument(
        "--server",
        choices=("early", "current"),
        default="early",
        help="server generation: early (a 50-page partial_data window, the default) or current "
        "(every page re-sent on every poll)",
    )
    demo.add_argument(
        "--speed",
        metavar="FACTOR",
        type=_positive,
        default=1.0,
        help="simulated seconds per real second (default 1: about 15 s in all)",
    )
    demo.add_argument("-o", "--output", metavar="FILE", help="also write the documents to FILE")
    _store_options(demo, temporary=True)
    demo.add_argument("-q", "--quiet", action="store_true", help="no progress on stderr")
    return parser


# -- the run: shared state and the one error table ---------------------------------------------


class _Session:
    """What one command invocation holds: its progress, output, store and how to describe them."""

    def __init__(self, args: argparse.Namespace, signals: _Signals) -> None:
        self.args = args
        self.signals = signals
        self.output: _Output | None = None
        self.store: JobStore | None = None
        self.base_url: str | None = None
        self.secret: str | None = None
        quiet = getattr(args, "quiet", False)
        self.progress = self._make_progress(quiet)

    def _make_progress(self, quiet: bool) -> _Progress:
        if quiet:
            return _Progress()
        # A crawl streaming its documents to the same terminal would shred a live bar.
        streaming_here = (
            self.args.command == "crawl"
            and getattr(self.args, "output", None) in (None, "-")
            and sys.stdout.isatty()
        )
        if sys.stderr.isatty() and not streaming_here:
            try:
                return _LiveProgress()
            except ImportError:  # rich is a dependency, but a stripped install still works
                pass
        return _PlainProgress(sys.stderr)

    def open_store(
        self, *, temporary_dir: str | None = None, existing: bool = False
    ) -> JobStore | None:
        """The job store the options name (None with --no-store).

        ``existing``: the command only reads it, so a missing file is not created; `_NoStore`.
        """
        args = self.args
        if getattr(args, "no_store", False):
            return None
        path = Path(args.store) if args.store else JobStore.default_path()
        if temporary_dir is not None and not args.store:
            path = Path(temporary_dir) / "jobs.sqlite3"
        if existing and not path.expanduser().exists():
            raise _NoStore(path)
        self.store = JobStore(path)
        return self.store

    def store_label(self) -> str:
        if self.store is None or self.store.path is None:
            return "the job store"
        return f"the job store {self.store.path}"

    def client(self) -> StatusClient:
        args = self.args
        key = args.api_key if args.api_key else os.environ.get("FIRECRAWL_API_KEY") or None
        self.secret = key
        retries = args.max_retries
        try:
            client = StatusClient(
                key,
                base_url=args.base_url,
                retry=None if retries is None else RetryPolicy(max_retries=retries),
                poll=_poll_policy(args.poll_interval),
                store=self.store,
            )
        except ValueError as exc:
            raise _UsageError(str(exc)) from exc
        self.base_url = _display_url(client.base_url)
        return client


def _poll_policy(interval: float | None) -> PollPolicy | None:
    if interval is None:
        return None
    default = PollPolicy()
    return PollPolicy(
        initial_interval=interval,
        min_interval=min(default.min_interval, interval),
        max_interval=max(default.max_interval, interval),
    )


def _display_url(url: str) -> str:
    """The URL without credentials or query, for messages."""
    parsed = httpx.URL(url)
    port = f":{parsed.port}" if parsed.port else ""
    return f"{parsed.scheme}://{parsed.host}{port}{parsed.path.rstrip('/')}"


# (exception, exit code, what to do next or None when the message already says).
_FAILURES: tuple[tuple[type[BaseException], int, str | None], ...] = (
    (JobFailedError, EXIT_JOB_FAILED, None),  # and JobCancelledError
    (JobExpiredError, EXIT_GONE, "{export}"),
    (JobNotFoundError, EXIT_GONE, None),
    (AuthenticationError, EXIT_AUTH, None),
    (PermissionDeniedError, EXIT_AUTH, None),
    (PaymentRequiredError, EXIT_AUTH, None),
    (PollTimeoutError, EXIT_DEADLINE, "raise --timeout{resume}"),
    (
        APIConnectionError,
        EXIT_API,
        "check that {base_url} is the right server (--base-url or FIRECRAWL_API_URL) and that "
        "it can be reached",
    ),
    (
        ResponseTooLargeError,
        EXIT_API,
        "the answer is over the client's size limit (BodyLimits in the Python API)",
    ),
    (
        ProtocolError,
        EXIT_API,
        "check that {base_url} is a Firecrawl API; if it is, report this answer",
    ),
    (APIError, EXIT_API, None),
    (StoreError, EXIT_API, "use --store PATH for another file, or --no-store"),
)


def _failure(exc: FirecrawlError, session: _Session) -> tuple[int, str]:
    """The exit code and the one stderr line for a library error."""
    code, step = EXIT_API, None
    for error_class, error_code, error_step in _FAILURES:
        if isinstance(exc, error_class):
            code, step = error_code, error_step
            break
    parts = [exc.message]
    job_id = getattr(session.args, "job_id", "JOB_ID")
    if isinstance(exc, StoreError) and "--store" in exc.message:
        parts, step = [f"{exc.message}, or --no-store"], None  # it already says what to do
    if step:
        kept = session.store is not None
        parts.append(
            step.format(
                base_url=session.base_url or "the server",
                export=f"`{PROG} export {job_id}` writes what the store kept"
                if kept
                else "nothing was kept locally (--no-store)",
                resume=", or re-run later: the job store resumes where this run stopped"
                if kept and session.args.command == "crawl"
                else "",
            )
        )
    output = session.output
    streamed = output is not None and session.args.command == "crawl" and not output.discard
    if output is not None and streamed and (output.written or isinstance(exc, JobError)):
        parts.append(f"{output.written} document(s) written to {output.label}")
    return code, "; ".join(parts)


def _line(text: str, secret: str | None) -> str:
    """One line, never the API key."""
    text = " ".join(text.split())
    if secret and len(secret) >= 4:
        text = text.replace(secret, "***")
    return f"{PROG}: error: {text}"


# -- commands ----------------------------------------------------------------------------------


def _crawl_snapshot_json(snapshot: CrawlSnapshot, *, include: bool) -> dict[str, Any]:
    body: dict[str, Any] = {
        "id": snapshot.job_id,
        "status": snapshot.status,
        "current": snapshot.current,
        "total": snapshot.total,
        "documents": len(snapshot.documents),
        "expiresAt": _iso(snapshot.expires_at),
        "timeLeftSeconds": _seconds_left(snapshot.time_left),
        "readAt": _iso(snapshot.read_at),
        "error": snapshot.error,
    }
    if include:
        body["data"] = snapshot.documents
    return body


def _extract_snapshot_json(snapshot: ExtractSnapshot) -> dict[str, Any]:
    body: dict[str, Any] = {
        "id": snapshot.job_id,
        "status": snapshot.status,
        "success": snapshot.success,
        "data": snapshot.data,
        "error": snapshot.error,
        "expiresAt": _iso(snapshot.expires_at),
        "timeLeftSeconds": _seconds_left(snapshot.time_left),
        "readAt": _iso(snapshot.read_at),
    }
    body.update((key, value) for key, value in snapshot.extras.items() if key not in body)
    return body


def _cmd_crawl(session: _Session) -> int:
    args = session.args
    if not args.wait:
        if args.output:
            raise _UsageError("--output needs --wait (a plain read prints to stdout)")
        session.open_store()
        with session.client() as client:
            snapshot = client.crawl_status(args.job_id, timeout=args.timeout)
        _Output(None, session.signals).write(
            _crawl_snapshot_json(snapshot, include=args.include_documents)
        )
        return EXIT_JOB_FAILED if snapshot.status == "failed" else EXIT_OK
    if args.include_documents:
        raise _UsageError("--include-documents is for a plain read; --wait writes every document")
    output = session.output = _Output(args.output, session.signals)
    store = session.open_store()
    progress = session.progress
    with session.client() as client, contextlib.closing(output):
        result = _stream_crawl(client, store, args.job_id, output, progress, args.timeout)
        output.finish()
    figures = result.figures
    progress.note(
        f"crawl {args.job_id} completed: {output.written} documents written to {output.label} "
        f"in {_elapsed(progress.elapsed)}"
    )
    for line in _figures_lines(figures):
        progress.note(f"  {line}")
    if result.used_partial_fallback:
        lost = (
            f"; {figures.gaps} page(s) left its window unseen and are missing"
            if figures.gaps
            else ""
        )
        progress.warn(
            f"the completed crawl's final data was not a list of documents, so the output holds "
            f"only what partial_data showed{lost}"
        )
    return EXIT_OK


def _stream_crawl(
    client: StatusClient,
    store: JobStore | None,
    job_id: str,
    output: _Output,
    progress: _Progress,
    timeout: float | None,
) -> CrawlResult:
    """Write a crawl's documents as they come (kept ones first, when resuming); its result."""
    with progress.running("crawl", job_id):
        record = store.job(job_id) if store is not None else None
        if store is not None and record is not None and record.kind == "crawl" and record.documents:
            progress.note(
                f"resuming crawl {job_id}: writing the {record.documents} documents kept by an "
                "earlier run first"
            )
            for document in store.iter_documents(job_id):
                output.write(document)
                progress.document()
        stream = client.iter_crawl(job_id, timeout=timeout, on_progress=_on_progress(progress))
        with contextlib.closing(stream):
            for document in stream:
                output.write(document)
                progress.document()
            return stream.result


def _on_progress(progress: _Progress) -> Callable[[CrawlSnapshot | ExtractSnapshot], None]:
    def report(snapshot: CrawlSnapshot | ExtractSnapshot) -> None:
        if isinstance(snapshot, CrawlSnapshot):
            progress.crawl(snapshot)
        else:
            progress.extract(snapshot)

    return report


def _cmd_extract(session: _Session) -> int:
    args = session.args
    if not args.wait:
        if args.output:
            raise _UsageError("--output needs --wait (a plain read prints to stdout)")
        session.open_store()
        with session.client() as client:
            snapshot = client.extract_status(args.job_id, timeout=args.timeout)
        _Output(None, session.signals).write(_extract_snapshot_json(snapshot))
        lost = lost_outcome(snapshot)
        if lost is not None:
            raise JobExpiredError(lost, job_id=args.job_id, snapshot=snapshot)
        return EXIT_JOB_FAILED if snapshot.status in ("failed", "cancelled") else EXIT_OK
    output = _Output(args.output, session.signals)
    session.open_store()
    progress = session.progress
    with session.client() as client, contextlib.closing(output):
        with progress.running("extract", args.job_id):
            result = client.wait_for_extract(
                args.job_id, timeout=args.timeout, on_progress=_on_progress(progress)
            )
        output.write(result.snapshot.to_dict())
    progress.note(
        f"extract {args.job_id} completed in {_elapsed(progress.elapsed)}; written to "
        f"{output.label}; the server keeps it until {_iso(result.expires_at) or 'unknown'}"
    )
    return EXIT_OK


def _job_json(record: JobRecord, now: dt.datetime) -> dict[str, Any]:
    left = None if record.expires_at is None else record.expires_at - now
    return {
        "id": record.job_id,
        "kind": record.kind,
        "status": record.status,
        "documents": record.documents,
        "current": record.current,
        "total": record.total,
        "expiresAt": _iso(record.expires_at),
        "timeLeftSeconds": None if left is None else max(0, int(left.total_seconds())),
        "gone": record.gone,
        "error": record.error,
        "baseUrl": record.base_url,
        "firstSeen": _iso(record.first_seen),
        "lastSeen": _iso(record.last_seen),
    }


def _cmd_jobs(session: _Session) -> int:
    args = session.args
    try:
        store = session.open_store(existing=True)
    except _NoStore as exc:
        session.progress.note(f"no jobs: {exc} (a crawl or extract command creates it)")
        return EXIT_OK
    assert store is not None
    with store:
        records = store.jobs()
    now = dt.datetime.now(dt.UTC)
    out = _Output(None, session.signals)
    if args.json:
        for record in records:
            out.write(_job_json(record, now))
        return EXIT_OK
    if not records:
        session.progress.note(f"no jobs in {session.store_label()} yet")
        return EXIT_OK
    rows = [("ID", "KIND", "STATUS", "DOCS", "EXPIRES IN", "LAST SEEN")]
    for record in records:
        if record.gone:
            left = "gone"
        elif record.expires_at is None:
            left = "unknown"
        else:
            left = _left((record.expires_at - now).total_seconds())
        docs = str(record.documents) if record.kind == "crawl" else "-"
        last = _iso(record.last_seen.replace(microsecond=0)) or ""
        rows.append((record.job_id, record.kind, record.status, docs, left, last))
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    with session.signals.held():
        for row in rows:
            cells = [
                cell.rjust(width) if i == 3 else cell.ljust(width)
                for i, (cell, width) in enumerate(zip(row, widths, strict=True))
            ]
            sys.stdout.write("  ".join(cells).rstrip() + "\n")
        sys.stdout.flush()
    return EXIT_OK


def _cmd_export(session: _Session) -> int:
    args = session.args
    output = _Output(args.output, session.signals)
    try:
        store = session.open_store(existing=True)
    except _NoStore as exc:
        raise _NotKept(
            f"job {args.job_id} is not kept: {exc}; --store PATH reads another"
        ) from None
    assert store is not None
    with store, contextlib.closing(output):
        record = store.job(args.job_id)
        if record is None:
            raise _NotKept(
                f"job {args.job_id} is not in {session.store_label()}; `{PROG} jobs` lists "
                "what it holds, --store PATH reads another"
            )
        if record.kind == "extract":
            if record.result is None:
                raise _NotKept(
                    f"extract {args.job_id} has no result kept in {session.store_label()}"
                )
            output.write(record.result)
        else:
            for document in store.iter_documents(args.job_id):
                output.write(document)
            output.finish()
    if record.status != "completed" or record.gone:
        state = "now gone from the server, " if record.gone else ""
        session.progress.note(
            f"{record.kind} {args.job_id} ({state}last status {record.status!r}): this is what "
            "the store kept, not necessarily the whole result"
        )
    if record.kind == "crawl":
        session.progress.note(f"{output.written} documents written to {output.label}")
    return EXIT_OK


def _cmd_simulate(session: _Session) -> int:
    from ._simulator import serve_forever

    args = session.args
    try:
        serve_forever(args.port, host=args.host, speed=args.speed, api_key=args.require_key)
    except BrokenPipeError:
        raise
    except OSError as exc:  # the address is taken or cannot be bound
        raise _UsageError(
            f"cannot serve on {args.host}:{args.port}: {exc.strerror or exc}; choose another "
            "--port (0 picks a free one)"
        ) from exc
    return EXIT_OK


def _cmd_demo(session: _Session) -> int:
    from . import _demo  # loaded, with the simulator it runs, only for this command

    return _demo._cmd_demo(session)


_COMMANDS: dict[str, Callable[[_Session], int]] = {
    "crawl": _cmd_crawl,
    "extract": _cmd_extract,
    "jobs": _cmd_jobs,
    "export": _cmd_export,
    "simulate": _cmd_simulate,
    "demo": _cmd_demo,
}


# -- entry point -------------------------------------------------------------------------------


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``firecrawl-status`` with ``argv`` (default: the command line); return the exit code."""
    try:
        args = build_parser().parse_args(argv)
    except SystemExit as exc:  # argparse: 2 after a usage error, 0 after --help or --version
        return exc.code if isinstance(exc.code, int) else EXIT_USAGE
    signals = _Signals()
    signals.install()
    session: _Session | None = None
    handler: _ProgressLog | None = None
    logger = logging.getLogger("firecrawl_status")
    saved = logger.level, logger.propagate
    try:
        session = _Session(args, signals)
        handler = _ProgressLog(session.progress)
        logger.addHandler(handler)
        logger.propagate = False  # our handler, not logging's last resort, prints them
        verbose = getattr(args, "verbose", False)
        logger.setLevel(logging.DEBUG if verbose else logging.WARNING)
        if verbose:
            logging.getLogger("httpx").addHandler(handler)
            logging.getLogger("httpx").setLevel(logging.INFO)
        return _COMMANDS[args.command](session)
    except FirecrawlError as exc:
        assert session is not None
        code, text = _failure(exc, session)
        return _fail(code, text, session)
    except _UsageError as exc:
        return _fail(EXIT_USAGE, str(exc), session)
    except _NotKept as exc:
        return _fail(EXIT_GONE, str(exc), session)
    except KeyboardInterrupt:
        return _interrupted(session, signals)
    except BrokenPipeError:
        _silence_stdout()
        return EXIT_BROKEN_PIPE
    except OSError as exc:  # writing --output failed mid-run (disk full, ...)
        text = f"{exc.filename}: {exc.strerror}" if exc.filename and exc.strerror else str(exc)
        return _fail(EXIT_API, text, session)
    except Exception as exc:  # a bug: still one line, the traceback only with --verbose
        if getattr(args, "verbose", False):
            traceback.print_exc()
        return _fail(
            EXIT_BUG,
            f"internal error: {type(exc).__name__}: {exc} (re-run with --verbose for the "
            "traceback, and please report it)",
            session,
        )
    finally:
        signals.restore()
        if handler is not None:
            logger.removeHandler(handler)
            logging.getLogger("httpx").removeHandler(handler)
        logger.setLevel(saved[0])
        logger.propagate = saved[1]
        if session is not None and session.store is not None:
            session.store.close()


def _fail(code: int, text: str, session: _Session | None) -> int:
    secret = session.secret if session is not None else None
    with contextlib.suppress(OSError):
        sys.stderr.write(_line(text, secret) + "\n")
        sys.stderr.flush()
    return code


def _interrupted(session: _Session | None, signals: _Signals) -> int:
    signum = signals.received or signal.SIGINT
    what = "terminated" if signum == signal.SIGTERM else "interrupted"
    text = what
    output = session.output if session is not None else None
    if session is not None and output is not None and session.args.command == "crawl":
        text += f": {output.written} document(s) written to {output.label}"
        if session.store is not None:
            text += "; re-run the same command to resume (the job store keeps them)"
        else:
            text += "; re-run to start again (--no-store kept nothing)"
    with contextlib.suppress(OSError):
        sys.stderr.write(f"{PROG}: {text}\n")
        sys.stderr.flush()
    return 128 + int(signum)


def _silence_stdout() -> None:
    """After a broken pipe, point stdout at /dev/null so the exit flush cannot fail again."""
    with contextlib.suppress(OSError, ValueError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
