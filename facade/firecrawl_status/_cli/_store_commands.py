"""The commands on the local job store alone (the server is not asked): ``jobs``, ``export``,
``forget`` and ``prune``. None of them creates a store file."""

from __future__ import annotations

import contextlib
import datetime as dt
from typing import Any

from firecrawl_status._base import resolve_base_url
from firecrawl_status._store import JobRecord, JobStore, server_key

from ._exits import EXIT_OK, NoStore, NotKept, UsageError
from ._format import PROG, iso, left
from ._output import Output, write_text_lines
from ._session import Session


def jobs_command(session: Session) -> int:
    """``jobs [--json]``: the jobs the store holds, most recently seen first."""
    args = session.args
    store = _existing_or_note(session, "no jobs: {} (a crawl or extract command creates it)")
    if store is None:
        return EXIT_OK
    with store:
        records = store.jobs()
    now = session.clock.utcnow()
    if args.json:
        out = Output(None, session.signals)
        for record in records:
            out.write(_job_json(record, now))
        return EXIT_OK
    if not records:
        session.progress.note(f"no jobs in {session.store_label()} yet")
        return EXIT_OK
    rows = [("ID", "KIND", "STATUS", "DOCS", "EXPIRES IN", "LAST SEEN")]
    for record in records:
        if record.gone:
            expires = "gone"
        elif record.expires_at is None:
            expires = "unknown"
        else:
            expires = left((record.expires_at - now).total_seconds())
        docs = str(record.documents) if record.kind != "extract" else "-"
        last = iso(record.last_seen.replace(microsecond=0)) or ""
        rows.append((record.job_id, record.kind, record.status, docs, expires, last))
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = [
        "  ".join(
            cell.rjust(width) if i == 3 else cell.ljust(width)
            for i, (cell, width) in enumerate(zip(row, widths, strict=True))
        ).rstrip()
        for row in rows
    ]
    write_text_lines(lines, session.signals)
    return EXIT_OK


def _job_json(record: JobRecord, now: dt.datetime) -> dict[str, Any]:
    time_left = None if record.expires_at is None else record.expires_at - now
    return {
        "id": record.job_id,
        "kind": record.kind,
        "status": record.status,
        "documents": record.documents,
        "current": record.current,
        "total": record.total,
        "expiresAt": iso(record.expires_at),
        "timeLeftSeconds": None if time_left is None else max(0, int(time_left.total_seconds())),
        "gone": record.gone,
        "error": record.error,
        "baseUrl": record.base_url,
        "firstSeen": iso(record.first_seen),
        "lastSeen": iso(record.last_seen),
    }


def export_command(session: Session) -> int:
    """``export JOB_ID``: what the store kept of a job, whether or not the server still has it."""
    args = session.args
    output = Output(args.output, session.signals)
    store = _existing_or_not_kept(session)
    with store, contextlib.closing(output):
        record = _kept_record(session, store)
        if record.kind == "extract":
            if record.result is None:
                raise NotKept(
                    f"extract {args.job_id} has no result kept in {session.store_label()}"
                )
            output.write(record.result)
        else:
            for document in store.iter_documents(args.job_id, base_url=record.base_url):
                output.write(document)
            output.finish()
    if record.status != "completed" or record.gone:
        state = "now gone from the server, " if record.gone else ""
        session.progress.note(
            f"{record.kind} {args.job_id} ({state}last status {record.status!r}): this is what "
            "the store kept, not necessarily the whole result"
        )
    if record.kind != "extract":
        session.progress.note(f"{output.written} documents written to {output.label}")
    return EXIT_OK


def forget_command(session: Session) -> int:
    """``forget JOB_ID``: drop a job and its documents from the store."""
    job_id = session.args.job_id
    store = _existing_or_not_kept(session)
    with store:
        record = _kept_record(session, store)
        store.forget(job_id, base_url=record.base_url)
    kept = f" and its {record.documents} document(s)" if record.kind != "extract" else ""
    session.progress.note(f"forgot {record.kind} {job_id}{kept} ({session.store_label()})")
    return EXIT_OK


def prune_command(session: Session) -> int:
    """``prune --older-than DURATION``: drop the jobs last seen before now minus DURATION."""
    older_than: dt.timedelta = session.args.older_than
    now = session.clock.utcnow()
    store = _existing_or_note(session, "nothing to prune: {}")
    if store is None:
        return EXIT_OK
    with store:
        dropped = store.prune(older_than, now=now)
    cutoff = iso((now - older_than).replace(microsecond=0))
    session.progress.note(
        f"pruned {dropped} job(s) last seen before {cutoff} from {session.store_label()}"
    )
    return EXIT_OK


def _existing(session: Session) -> JobStore:
    store = session.open_store(create=False)
    assert store is not None  # these commands have no --no-store
    return store


def _existing_or_note(session: Session, note: str) -> JobStore | None:
    """The store, or None after saying ``note`` (``{}``: where it was looked for)."""
    try:
        return _existing(session)
    except NoStore as exc:
        session.progress.note(note.format(exc))
        return None


def _existing_or_not_kept(session: Session) -> JobStore:
    try:
        return _existing(session)
    except NoStore as exc:
        raise NotKept(
            f"job {session.job_id} is not kept: {exc}; --store PATH reads another"
        ) from None


def _kept_record(session: Session, store: JobStore) -> JobRecord:
    """The kept job of ``--base-url``; without it, of the only server that has the id (else
    the one $FIRECRAWL_API_URL or the default names): jobs of two servers never mix."""
    given: str | None = session.args.base_url
    try:
        default = resolve_base_url(given)
    except ValueError as exc:
        raise UsageError(str(exc)) from exc
    found = store.jobs(job_id=session.job_id, base_url=default if given else None)
    if len(found) > 1:
        found = [r for r in found if r.base_url == server_key(default)] or found
    if len(found) == 1:
        return found[0]
    if found:
        servers = ", ".join(sorted(r.base_url for r in found))
        raise UsageError(
            f"job {session.job_id} is kept for several servers ({servers}): pick one with "
            "--base-url"
        )
    server = f" of {default}" if given else ""
    raise NotKept(
        f"job {session.job_id}{server} is not in {session.store_label()}; `{PROG} jobs` lists "
        "what it holds, --store PATH reads another"
    )
