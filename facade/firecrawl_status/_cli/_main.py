"""`main`: parse, run one command, and turn whatever ends it into one exit code and one line.

Every library failure goes through `_FAILURES`, one table from exception to exit code and next
step; interruption, a closed stdout and a failed write each have their own code (see
`EXIT_CODES_HELP`). The library's log records are routed to the progress display for the run.
"""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import sys
import traceback
from collections.abc import Callable, Sequence

import httpx

from firecrawl_status._clock import Clock, SystemClock
from firecrawl_status.errors import (
    APIConnectionError,
    APIError,
    AuthenticationError,
    EndpointRetiredError,
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

from ._crawl import batch_command, crawl_command, errors_command
from ._exits import (
    EXIT_API,
    EXIT_AUTH,
    EXIT_BROKEN_PIPE,
    EXIT_BUG,
    EXIT_DEADLINE,
    EXIT_GONE,
    EXIT_JOB_FAILED,
    EXIT_RETIRED,
    EXIT_USAGE,
    NotKept,
    UsageError,
)
from ._extract import extract_command
from ._format import PROG
from ._parser import build_parser
from ._progress import ProgressLog, deprecation_line
from ._session import Session
from ._signals import Signals
from ._store_commands import export_command, forget_command, jobs_command, prune_command


def _demo_command(session: Session) -> int:
    from ._demo import demo_command  # loaded, with the simulator it runs, only for this command

    return demo_command(session)


def _simulate_command(session: Session) -> int:
    from ._demo import simulate_command

    return simulate_command(session)


_STREAMING = ("crawl", "batch")
"""The commands that stream documents (and resume from the store)."""

_COMMANDS: dict[str, Callable[[Session], int]] = {
    "crawl": crawl_command,
    "batch": batch_command,
    "errors": errors_command,
    "extract": extract_command,
    "jobs": jobs_command,
    "export": export_command,
    "forget": forget_command,
    "prune": prune_command,
    "simulate": _simulate_command,
    "demo": _demo_command,
}


def main(
    argv: Sequence[str] | None = None,
    *,
    clock: Clock | None = None,
    http_client: httpx.Client | None = None,
) -> int:
    """Run ``firecrawl-status`` with ``argv`` (default: the command line); return the exit code.

    Args:
        argv: The arguments after the program name.
        clock: Time for the polls, deadlines and progress (tests pass a ``FakeClock``).
        http_client: The HTTP client requests go through (tests pass one on the simulator's
            transport); the caller closes it. By default each command opens its own.
    """
    try:
        args = build_parser().parse_args(argv)
    except SystemExit as exc:  # argparse: 2 after a usage error, 0 after --help or --version
        return exc.code if isinstance(exc.code, int) else EXIT_USAGE
    signals = Signals()
    signals.install()
    session: Session | None = None
    handler: ProgressLog | None = None
    logger = logging.getLogger("firecrawl_status")
    saved = logger.level, logger.propagate
    try:
        session = Session(args, signals, clock or SystemClock(), http_client)
        handler = ProgressLog(session.progress)
        logger.addHandler(handler)
        logger.propagate = False  # our handler, not logging's last resort, prints them
        verbose = getattr(args, "verbose", False)
        logger.setLevel(logging.DEBUG if verbose else logging.WARNING)
        if verbose:
            logging.getLogger("httpx").addHandler(handler)
            logging.getLogger("httpx").setLevel(logging.INFO)
        with deprecation_line(session.progress):
            return _COMMANDS[args.command](session)
    except FirecrawlError as exc:
        assert session is not None
        code, text = _failure(exc, session)
        return _fail(code, text, session)
    except UsageError as exc:
        return _fail(EXIT_USAGE, str(exc), session)
    except NotKept as exc:
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


# (exception, exit code, what to do next or None when the message already says).
_FAILURES: tuple[tuple[type[BaseException], int, str | None], ...] = (
    (JobFailedError, EXIT_JOB_FAILED, None),  # and JobCancelledError
    (JobExpiredError, EXIT_GONE, "{export}"),
    (JobNotFoundError, EXIT_GONE, None),
    (EndpointRetiredError, EXIT_RETIRED, None),
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
        "the answer is over the client's size limit (--max-body-bytes; BodyLimits in Python)",
    ),
    (
        ProtocolError,
        EXIT_API,
        "check that {base_url} is a Firecrawl API; if it is, report this answer",
    ),
    (APIError, EXIT_API, None),
    (StoreError, EXIT_API, "use --store PATH for another file, or --no-store"),
)


def _failure(exc: FirecrawlError, session: Session) -> tuple[int, str]:
    """The exit code and the one stderr line for a library error."""
    code, step = EXIT_API, None
    for error_class, error_code, error_step in _FAILURES:
        if isinstance(exc, error_class):
            code, step = error_code, error_step
            break
    parts = [exc.message]
    if isinstance(exc, StoreError) and "--store" in exc.message:
        parts, step = [f"{exc.message}, or --no-store"], None  # it already says what to do
    if step:
        kept = session.store is not None
        parts.append(
            step.format(
                base_url=session.base_url or "the server",
                export=f"`{PROG} export {session.job_id}` writes what the store kept"
                if kept
                else "nothing was kept locally (--no-store)",
                resume=", or re-run later: the job store resumes where this run stopped"
                if kept and session.args.command in _STREAMING
                else "",
            )
        )
    output = session.output
    streamed = output is not None and session.args.command in _STREAMING and not output.discard
    if output is not None and streamed and (output.written or isinstance(exc, JobError)):
        parts.append(f"{output.written} document(s) written to {output.label}")
    return code, "; ".join(parts)


def _line(text: str, secret: str | None) -> str:
    """One line, never the API key."""
    text = " ".join(text.split())
    if secret and len(secret) >= 4:
        text = text.replace(secret, "***")
    return f"{PROG}: error: {text}"


def _fail(code: int, text: str, session: Session | None) -> int:
    secret = session.secret if session is not None else None
    with contextlib.suppress(OSError):
        sys.stderr.write(_line(text, secret) + "\n")
        sys.stderr.flush()
    return code


def _interrupted(session: Session | None, signals: Signals) -> int:
    signum = signals.received or signal.SIGINT
    what = "terminated" if signum == signal.SIGTERM else "interrupted"
    text = what
    output = session.output if session is not None else None
    if session is not None and output is not None and session.args.command in _STREAMING:
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
