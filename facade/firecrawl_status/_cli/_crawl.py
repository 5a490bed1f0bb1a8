"""``crawl JOB_ID``: print a crawl's status, or ``--wait`` and stream its documents once each.

A resumed stream writes the documents an earlier run kept first, then the new ones: the
library's ``iter_crawl(..., include_kept=True)`` does both; ``demo`` streams through the same
`stream_crawl`.
"""

from __future__ import annotations

import contextlib
from typing import Any

from firecrawl_status._core import outcome_error
from firecrawl_status._snapshot import CrawlResult, CrawlSnapshot
from firecrawl_status._store import JobStore
from firecrawl_status._sync import StatusClient

from ._exits import EXIT_JOB_FAILED, EXIT_OK, UsageError
from ._format import elapsed, figures_lines, iso, seconds_left
from ._output import Output
from ._progress import Progress
from ._session import Session


def crawl_command(session: Session) -> int:
    """``crawl JOB_ID [--wait]``."""
    args = session.args
    if not args.wait:
        return _read(session)
    if args.include_documents:
        raise UsageError("--include-documents is for a plain read; --wait writes every document")
    output = session.output = Output(args.output, session.signals)
    store = session.open_store()
    progress = session.progress
    with session.client() as client, contextlib.closing(output):
        result = stream_crawl(client, store, args.job_id, output, progress, args.timeout)
        output.finish()
    figures = result.figures
    progress.note(
        f"crawl {args.job_id} completed: {output.written} documents written to {output.label} "
        f"in {elapsed(progress.elapsed)}"
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


def _read(session: Session) -> int:
    args = session.args
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
) -> CrawlResult:
    """Write a crawl's documents as they come (kept ones first, when resuming); its result."""
    with progress.running("crawl", job_id):
        _note_resume(store, client.base_url, job_id, progress)
        stream = client.iter_crawl(
            job_id, timeout=timeout, on_progress=progress.report, include_kept=True
        )
        with contextlib.closing(stream):
            for document in stream:
                output.write(document)
                progress.document()
            return stream.result


def _note_resume(store: JobStore | None, base_url: str, job_id: str, progress: Progress) -> None:
    record = store.job(job_id, base_url=base_url) if store is not None else None
    if record is not None and record.kind == "crawl" and record.documents:
        progress.note(
            f"resuming crawl {job_id}: writing the {record.documents} documents kept by an "
            "earlier run first"
        )
