"""``crawl JOB_ID`` (and ``batch JOB_ID``): print a job's status, or ``--wait`` and stream its
documents once each; ``errors JOB_ID``: a v1/v2 job's failed pages.

A resumed stream writes the documents an earlier run kept first, then the new ones: the
library's ``iter_crawl(..., include_kept=True)`` does both; ``demo`` streams through the same
`stream_crawl`.
"""

from __future__ import annotations

import contextlib
from typing import Any

from firecrawl_status._core import outcome_error
from firecrawl_status._jobs import JobResult, JobSnapshot
from firecrawl_status._outcome import Kind
from firecrawl_status._snapshot import CrawlResult, CrawlSnapshot
from firecrawl_status._store import JobStore
from firecrawl_status._sync import StatusClient

from ._exits import EXIT_JOB_FAILED, EXIT_OK, UsageError
from ._format import PROG, elapsed, figures_lines, iso, seconds_left
from ._output import Output
from ._progress import Progress
from ._session import Session


def crawl_command(session: Session) -> int:
    """``crawl JOB_ID [--wait] [--api v0|v1|v2]``."""
    return _job_command(session, "crawl")


def batch_command(session: Session) -> int:
    """``batch JOB_ID [--wait] [--api v1|v2]``."""
    return _job_command(session, "batch_scrape")


def errors_command(session: Session) -> int:
    """``errors JOB_ID [--batch] [--api v1|v2]``: the job's ``/errors`` as one JSON object."""
    args = session.args
    if args.batch:
        errors = session.read_once(
            lambda client: client.batch_scrape_errors(args.job_id, timeout=args.timeout)
        )
    else:
        errors = session.read_once(
            lambda client: client.crawl_errors(args.job_id, timeout=args.timeout)
        )
    Output(None, session.signals).write(
        {
            "id": errors.job_id,
            "errors": [
                {
                    "id": entry.id,
                    "timestamp": iso(entry.timestamp),
                    "url": entry.url,
                    "code": entry.code,
                    "error": entry.error,
                }
                for entry in errors.errors
            ],
            "robotsBlocked": errors.robots_blocked,
        }
    )
    return EXIT_OK


def _job_command(session: Session, kind: Kind) -> int:
    args = session.args
    name = kind.replace("_", " ")
    if not args.wait:
        return _read(session, kind)
    if args.include_documents:
        raise UsageError("--include-documents is for a plain read; --wait writes every document")
    output = session.output = Output(args.output, session.signals)
    store = session.open_store()
    progress = session.progress
    with session.client() as client, contextlib.closing(output):
        result = stream_crawl(client, store, args.job_id, output, progress, args.timeout, kind=kind)
        output.finish()
    figures = result.figures
    progress.note(
        f"{name} {args.job_id} completed: {output.written} documents written to {output.label} "
        f"in {elapsed(progress.elapsed)}"
    )
    if isinstance(result, JobResult):
        failed = "unknown" if result.failed_pages is None else result.failed_pages
        progress.note(
            f"  pages failed: {failed} (`{PROG} errors {args.job_id}` lists them); "
            f"skipped by the server: {result.skipped_pages}"
        )
    for line in figures_lines(result):
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


def _read(session: Session, kind: Kind) -> int:
    args = session.args
    snapshot: CrawlSnapshot
    if kind == "batch_scrape":
        snapshot = session.read_once(
            lambda client: client.batch_scrape_status(args.job_id, timeout=args.timeout)
        )
    else:
        snapshot = session.read_once(
            lambda client: client.crawl_status(args.job_id, timeout=args.timeout)
        )
    Output(None, session.signals).write(
        crawl_snapshot_json(snapshot, include=args.include_documents)
    )
    return EXIT_OK if outcome_error(snapshot) is None else EXIT_JOB_FAILED


def crawl_snapshot_json(snapshot: CrawlSnapshot, *, include: bool) -> dict[str, Any]:
    """The JSON object a plain ``crawl JOB_ID`` prints (``data`` with --include-documents)."""
    body: dict[str, Any] = {
        "id": snapshot.job_id,
        "status": snapshot.status,
        "current": snapshot.current,
        "total": snapshot.total,
        "documents": len(snapshot.documents),
        "expiresAt": iso(snapshot.expires_at),
        "timeLeftSeconds": seconds_left(snapshot.time_left),
        "readAt": iso(snapshot.read_at),
        "error": snapshot.error,
    }
    if isinstance(snapshot, JobSnapshot):
        body["creditsUsed"] = snapshot.credits_used
    if include:
        body["data"] = snapshot.documents
    return body


def stream_crawl(
    client: StatusClient,
    store: JobStore | None,
    job_id: str,
    output: Output,
    progress: Progress,
    timeout: float | None,
    *,
    kind: Kind = "crawl",
) -> CrawlResult:
    """Write a crawl's (or batch scrape's) documents as they come (kept ones first, when
    resuming); its result."""
    with progress.running("batch scrape" if kind == "batch_scrape" else "crawl", job_id):
        _note_resume(store, client.base_url, job_id, progress, kind)
        iterate = client.iter_batch_scrape if kind == "batch_scrape" else client.iter_crawl
        stream = iterate(job_id, timeout=timeout, on_progress=progress.report, include_kept=True)
        with contextlib.closing(stream):
            for document in stream:
                output.write(document)
                progress.document()
            return stream.result


def _note_resume(
    store: JobStore | None, base_url: str, job_id: str, progress: Progress, kind: Kind
) -> None:
    record = store.job(job_id, base_url=base_url) if store is not None else None
    if record is not None and record.kind == kind and record.documents:
        progress.note(
            f"resuming {kind.replace('_', ' ')} {job_id}: writing the {record.documents} "
            "documents kept by an earlier run first"
        )
