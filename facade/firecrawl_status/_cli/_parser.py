"""The command line's grammar: every command, option and help text of ``firecrawl-status``."""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.metadata
import re

from firecrawl_status._api import job_id_problem

from ._exits import EXIT_CODES_HELP
from ._format import PROG

_DURATION_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}
_DURATION_MAX = dt.timedelta(days=100 * 365)
_DURATION_PART = re.compile(r"(\d+(?:\.\d+)?)([smhdw])")


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


def _bytes(text: str) -> int:
    value = _count(text)
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1 byte")
    return value


def _duration(text: str) -> dt.timedelta:
    """``7d``, ``12h``, ``1d12h``, ``90m``, ``30s``, ``2w`` as a positive `datetime.timedelta`."""
    compact = text.strip().lower()
    parts = _DURATION_PART.findall(compact)
    if not parts or "".join(number + unit for number, unit in parts) != compact:
        raise argparse.ArgumentTypeError(
            f"not a duration: {text!r} (a number and a unit: s, m, h, d or w; e.g. 7d, 12h)"
        )
    seconds = sum(float(number) * _DURATION_UNITS[unit] for number, unit in parts)
    if not seconds > 0:
        raise argparse.ArgumentTypeError(f"must be longer than zero, not {text}")
    if seconds > _DURATION_MAX.total_seconds():
        raise argparse.ArgumentTypeError(f"longer than {_DURATION_MAX.days} days: {text}")
    return dt.timedelta(seconds=seconds)


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


def _kept_server_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--base-url",
        metavar="URL",
        help="the server the job was read from, when the store keeps the id for several "
        "(default: the only one that has it, else $FIRECRAWL_API_URL or the default)",
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
        help="usual wait between polls (default 2 while nothing changes, 1 after a crawl's "
        "progress; polls sooner when a 50-page partial_data window would overflow)",
    )
    api.add_argument(
        "--max-retries",
        metavar="N",
        type=_count,
        help="retries of a failed request: no answer, 408, 429, 5xx (default 4; 0 disables)",
    )
    api.add_argument(
        "--max-body-bytes",
        metavar="N",
        type=_bytes,
        help="largest answer accepted, in bytes, as received and once decompressed (default "
        "536870912, 512 MiB); a larger one stops the command (exit 6). Raise it for a crawl "
        "whose answers hold more",
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
    crawl.add_argument(
        "--api",
        choices=("v0", "v1", "v2"),
        default="v0",
        help="the status endpoint read: v0 (/v0/crawl/status, the default), or v2 (v1) "
        "/v2/crawl/{id}, read page by page (crawls started with firecrawl-py 4.x are v2)",
    )
    crawl.add_argument("--wait", action="store_true", help="wait and stream the documents")
    crawl.add_argument(
        "-o", "--output", metavar="FILE", help="with --wait: write to FILE, not stdout"
    )
    crawl.add_argument(
        "--include-documents",
        action="store_true",
        help='without --wait: add the answer\'s documents as "data"',
    )

    batch = commands.add_parser(
        "batch",
        parents=[common],
        formatter_class=raw,
        help="print a batch scrape's status, or --wait and stream its documents",
        description="As `crawl --api v2`, for a batch scrape (/v2/batch/scrape/{id}).\n"
        "Without --wait: print its status (its first page) as one JSON object, with\n"
        '"creditsUsed" (null when the server does not know). Exit 0 while scraping or\n'
        "completed, 1 once failed or cancelled.\n\n"
        "With --wait: poll until it completes and write its documents as JSON Lines, each\n"
        "exactly once; each poll reads only the pages that are new. Re-running with the same\n"
        "store resumes from the page the earlier run reached.",
        epilog=EXIT_CODES_HELP,
    )
    _store_options(batch)
    batch.add_argument("job_id", metavar="JOB_ID", help="the batch scrape id", type=_job_id)
    batch.add_argument(
        "--api", choices=("v1", "v2"), default="v2", help="the API version read (default v2)"
    )
    batch.add_argument("--wait", action="store_true", help="wait and stream the documents")
    batch.add_argument(
        "-o", "--output", metavar="FILE", help="with --wait: write to FILE, not stdout"
    )
    batch.add_argument(
        "--include-documents",
        action="store_true",
        help='without --wait: add the answer\'s documents as "data"',
    )

    errors = commands.add_parser(
        "errors",
        parents=[common],
        help="print the pages a crawl or batch scrape failed on",
        description='Print a v1/v2 job\'s /errors as one JSON object: {"id", "errors": '
        '[{"id", "timestamp", "url", "code", "error"}], "robotsBlocked": [urls]}.',
    )
    _store_options(errors)
    errors.add_argument(
        "job_id", metavar="JOB_ID", help="the crawl or batch scrape id", type=_job_id
    )
    errors.add_argument("--batch", action="store_true", help="the id is a batch scrape's")
    errors.set_defaults(output=None)  # prints to stdout, as a plain read does
    errors.add_argument(
        "--api", choices=("v1", "v2"), default="v2", help="the API version read (default v2)"
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
        "has lost the job's outcome (processing with expiresAt already past, here and in a\n"
        "read the job store recorded at least 5 s before; one such read alone exits 0).\n\n"
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
    _kept_server_option(export)
    _store_options(export, optional=False)

    forget = commands.add_parser(
        "forget",
        help="drop a job and its documents from the local store",
        description="Delete a job and everything the local store kept of it (documents, "
        "extract result). The server is not asked. Exit 3 when the store does not hold it.",
    )
    forget.add_argument("job_id", metavar="JOB_ID", help="the crawl or extract id")
    _kept_server_option(forget)
    _store_options(forget, optional=False)

    prune = commands.add_parser(
        "prune",
        help="drop the jobs last seen longer ago than a duration",
        description="Delete from the local store every job (and its documents) last read from "
        "the server longer ago than DURATION, e.g. 7d, 12h, 1d12h, 30m (units s, m, h, d, w).",
    )
    prune.add_argument(
        "--older-than",
        metavar="DURATION",
        type=_duration,
        required=True,
        help="drop jobs last seen before now minus DURATION",
    )
    _store_options(prune, optional=False)

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
