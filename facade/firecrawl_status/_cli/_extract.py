"""``extract ID``: print an extract job's status, or ``--wait`` and write its final answer."""

from __future__ import annotations

import contextlib
from typing import Any

from firecrawl_status._core import outcome_error
from firecrawl_status._snapshot import ExtractSnapshot
from firecrawl_status.errors import JobExpiredError

from ._exits import EXIT_JOB_FAILED, EXIT_OK
from ._format import elapsed, iso, seconds_left
from ._output import Output
from ._session import Session


def extract_command(session: Session) -> int:
    """``extract ID [--wait]``."""
    args = session.args
    if not args.wait:
        return _read(session)
    output = Output(args.output, session.signals)
    session.open_store()
    progress = session.progress
    with session.client() as client, contextlib.closing(output):
        with progress.running("extract", args.job_id):
            result = client.wait_for_extract(
                args.job_id, timeout=args.timeout, on_progress=progress.report
            )
        output.write(result.snapshot.to_dict())
    progress.note(
        f"extract {args.job_id} completed in {elapsed(progress.elapsed)}; written to "
        f"{output.label}; the server keeps it until {iso(result.expires_at) or 'unknown'}"
    )
    return EXIT_OK


def _read(session: Session) -> int:
    args = session.args
    snapshot = session.read_once(
        lambda client: client.extract_status(args.job_id, timeout=args.timeout)
    )
    Output(None, session.signals).write(extract_snapshot_json(snapshot))
    error = outcome_error(snapshot)
    if isinstance(error, JobExpiredError):
        raise error  # a lost outcome ends the read as an expiry (exit 3), as a wait would
    return EXIT_OK if error is None else EXIT_JOB_FAILED


def extract_snapshot_json(snapshot: ExtractSnapshot) -> dict[str, Any]:
    """The JSON object a plain ``extract ID`` prints: the snapshot and the server's extras."""
    body: dict[str, Any] = {
        "id": snapshot.job_id,
        "status": snapshot.status,
        "success": snapshot.success,
        "data": snapshot.data,
        "error": snapshot.error,
        "expiresAt": iso(snapshot.expires_at),
        "timeLeftSeconds": seconds_left(snapshot.time_left),
        "readAt": iso(snapshot.read_at),
    }
    body.update((key, value) for key, value in snapshot.extras.items() if key not in body)
    return body
