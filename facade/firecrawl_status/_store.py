"""The durable local job store: what the server told us, kept after the server forgets it.

Firecrawl keeps a crawl for 24 h and an extract for 6 h, then answers 404 (or, for crawls, a
silent empty "completed"; docs/server-facts.md). The store is the client's memory of every job it
polled and every document it delivered, so that:

* nothing delivered is lost, and nothing is kept as delivered that the caller did not get:
  `StatusClient` commits each streamed document just before handing it over, so a crash or
  Ctrl-C afterwards loses nothing that was yielded; `AsyncStatusClient` hands it over first
  and commits it from a worker thread right after (a batch per trip), and a stream ends
  (exhausted, failed, cancelled or closed) only once those commits are done;
* a new process resumes a crawl without yielding a document twice (`document_index`);
* the CLI lists jobs and exports their documents after the server answers 404.

A job is known by its server and its id: every call takes ``base_url`` (the API root the job
was read from) next to the job id, so jobs of two servers (staging and production, two local
simulators) never mix, even when their ids collide. The URL is normalised first
(`server_key`): scheme and host lower-case, default port, credentials, query and a trailing
slash dropped.

It keeps no request headers and has no column for an API key. Documents and extract results
are compact JSON text that `json.loads` turns back into exactly what was stored (types, key
order, unicode; a lone surrogate, which UTF-8 cannot hold, is kept as a ``\\u`` escape). In ids,
keys and messages a lone surrogate is stored backslash-escaped, the same way on every call.

Schema (version 3, in ``PRAGMA user_version``; ``PRAGMA application_id`` marks our files)::

    jobs       id INTEGER PK (the row, private to the file), base_url (normalised), job_id,
               UNIQUE (base_url, job_id), kind ('crawl' | 'extract' | 'batch_scrape'),
               first_seen, last_seen, expires_at, gone_at   ISO-8601 UTC text, microseconds
               status, progress_current, progress_total, error,
               result (compact JSON or NULL), gone (0 | 1),
               cursor (a v1/v2 job's next page, ``/v2/crawl/ID?skip=N``, or NULL)
    documents  seq INTEGER PK (the delivery sequence: SQLite gives each insert max(seq) + 1),
               job -> jobs.id ON DELETE CASCADE, doc_key (UNIQUE per job), sort_key (or NULL),
               document (compact JSON object)
               index (job, sort_key, seq): reading order is sort_key ascending, then the
               documents without one, each group by seq

Version 1 keyed jobs by id alone (``jobs.job_id`` PK, ``documents.job_id`` referring to it);
its migration keeps every row, job under the ``base_url`` it was recorded with (the clients
wrote it without a trailing slash, so it is already normalised in practice). Version 3 adds
the kind ``batch_scrape`` and ``cursor`` (v1/v2 jobs); its migration keeps every row.

Migrations: `_MIGRATIONS[n]` holds the statements taking a store from version n to n + 1. On
open, a store older than the code is brought up to date in one ``BEGIN IMMEDIATE`` transaction
(DDL and ``user_version`` are transactional in SQLite, so a failed step leaves the file as it
was, and two processes opening a new file together migrate it once). A store newer than the
code, a file that is not SQLite or is corrupt, and another program's database are refused with
`StoreError` before anything is written to them.

Durability and concurrency:

* WAL journal: readers never block the writer and a crash never leaves a half-written
  transaction (the WAL is replayed or discarded on the next open). WAL needs a local file
  system; it does not work over NFS/SMB.
* ``synchronous=NORMAL``: a commit survives a crash or kill of the process (the promise: nothing
  delivered is lost), though not a power loss in the last moments. A sync stream commits each
  document before handing it over, so FULL's fsync per commit (~6x slower here: 850 µs
  against 140 µs a document) would dominate a 10,000-page stream.
* Every public write is one short ``BEGIN IMMEDIATE`` transaction, committed before the method
  returns. IMMEDIATE takes the write lock up front, so a writer waits for another process
  (``busy_timeout``, `BUSY_TIMEOUT` seconds) instead of failing on a stale read snapshot.
* Threads: one connection opened with ``check_same_thread=False`` and guarded by a lock, so a
  `JobStore` may be shared by threads; each call holds the lock only for its own statements.
  Several `JobStore` objects and several processes may share one file.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import sqlite3
import sys
import threading
import time
import urllib.parse
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from types import TracebackType
from typing import Any, Final, Literal, cast

import attrs

from ._documents import CrawlDocument, ExtractBody
from ._encoding import compact_json, storable_text
from .errors import StoreError

__all__ = ["JobRecord", "JobStore", "server_key"]  # the first two re-exported by firecrawl_status

JobKind = Literal["crawl", "extract", "batch_scrape"]
Document = tuple[str, int | None, Mapping[str, Any]]
"""One document to keep: (key, order, document). See `JobStore.add_documents`."""

BUSY_TIMEOUT: Final = 5.0
"""Seconds a call waits for another process's write transaction before `StoreError`."""

APPLICATION_ID: Final = 0x46435354  # "FCST" in ``PRAGMA application_id``
_KINDS: Final = ("crawl", "extract", "batch_scrape")
_PAGE: Final = 500  # documents per read in `JobStore.iter_documents`
_DEFAULT_PORTS: Final = {"http": 80, "https": 443}

_MIGRATIONS: Final[tuple[tuple[str, ...], ...]] = (
    # v0 (an empty file) -> v1
    (
        """CREATE TABLE jobs (
            job_id           TEXT NOT NULL PRIMARY KEY,
            kind             TEXT NOT NULL CHECK (kind IN ('crawl', 'extract')),
            base_url         TEXT NOT NULL,
            first_seen       TEXT NOT NULL,
            last_seen        TEXT NOT NULL,
            status           TEXT NOT NULL,
            progress_current INTEGER,
            progress_total   INTEGER,
            expires_at       TEXT,
            error            TEXT,
            result           TEXT,
            gone             INTEGER NOT NULL DEFAULT 0 CHECK (gone IN (0, 1)),
            gone_at          TEXT
        )""",
        """CREATE TABLE documents (
            seq      INTEGER PRIMARY KEY,
            job_id   TEXT NOT NULL REFERENCES jobs (job_id) ON DELETE CASCADE,
            doc_key  TEXT NOT NULL,
            sort_key INTEGER,
            document TEXT NOT NULL,
            UNIQUE (job_id, doc_key)
        )""",
        "CREATE INDEX documents_by_order ON documents (job_id, sort_key, seq)",
        "CREATE INDEX jobs_by_last_seen ON jobs (last_seen)",
    ),
    # v1 -> v2: jobs keyed by (base_url, job_id); documents refer to the job's row. SQLite
    # cannot change a primary key in place: build the new tables, copy, drop, rename (the
    # rename also rewrites documents' reference to jobs_v2).
    (
        """CREATE TABLE jobs_v2 (
            id               INTEGER PRIMARY KEY,
            base_url         TEXT NOT NULL,
            job_id           TEXT NOT NULL,
            kind             TEXT NOT NULL CHECK (kind IN ('crawl', 'extract')),
            first_seen       TEXT NOT NULL,
            last_seen        TEXT NOT NULL,
            status           TEXT NOT NULL,
            progress_current INTEGER,
            progress_total   INTEGER,
            expires_at       TEXT,
            error            TEXT,
            result           TEXT,
            gone             INTEGER NOT NULL DEFAULT 0 CHECK (gone IN (0, 1)),
            gone_at          TEXT,
            UNIQUE (base_url, job_id)
        )""",
        """CREATE TABLE documents_v2 (
            seq      INTEGER PRIMARY KEY,
            job      INTEGER NOT NULL REFERENCES jobs_v2 (id) ON DELETE CASCADE,
            doc_key  TEXT NOT NULL,
            sort_key INTEGER,
            document TEXT NOT NULL,
            UNIQUE (job, doc_key)
        )""",
        """INSERT INTO jobs_v2 (base_url, job_id, kind, first_seen, last_seen, status,
            progress_current, progress_total, expires_at, error, result, gone, gone_at)
        SELECT rtrim(base_url, '/'), job_id, kind, first_seen, last_seen, status,
            progress_current, progress_total, expires_at, error, result, gone, gone_at
        FROM jobs ORDER BY rowid""",
        """INSERT INTO documents_v2 (seq, job, doc_key, sort_key, document)
        SELECT d.seq, j.id, d.doc_key, d.sort_key, d.document
        FROM documents AS d JOIN jobs_v2 AS j ON j.job_id = d.job_id ORDER BY d.seq""",
        "DROP TABLE documents",
        "DROP TABLE jobs",
        "ALTER TABLE jobs_v2 RENAME TO jobs",
        "ALTER TABLE documents_v2 RENAME TO documents",
        "CREATE INDEX documents_by_order ON documents (job, sort_key, seq)",
        "CREATE INDEX jobs_by_last_seen ON jobs (last_seen)",
    ),
    # v2 -> v3: v1/v2 jobs: the kind 'batch_scrape' and the page cursor a resumed read starts
    # from. A CHECK cannot change in place: rebuilt as in v1 -> v2, every row and seq kept.
    (
        """CREATE TABLE jobs_v3 (
            id               INTEGER PRIMARY KEY,
            base_url         TEXT NOT NULL,
            job_id           TEXT NOT NULL,
            kind             TEXT NOT NULL CHECK (kind IN ('crawl', 'extract', 'batch_scrape')),
            first_seen       TEXT NOT NULL,
            last_seen        TEXT NOT NULL,
            status           TEXT NOT NULL,
            progress_current INTEGER,
            progress_total   INTEGER,
            expires_at       TEXT,
            error            TEXT,
            result           TEXT,
            gone             INTEGER NOT NULL DEFAULT 0 CHECK (gone IN (0, 1)),
            gone_at          TEXT,
            cursor           TEXT,
            UNIQUE (base_url, job_id)
        )""",
        """CREATE TABLE documents_v3 (
            seq      INTEGER PRIMARY KEY,
            job      INTEGER NOT NULL REFERENCES jobs_v3 (id) ON DELETE CASCADE,
            doc_key  TEXT NOT NULL,
            sort_key INTEGER,
            document TEXT NOT NULL,
            UNIQUE (job, doc_key)
        )""",
        """INSERT INTO jobs_v3 (id, base_url, job_id, kind, first_seen, last_seen, status,
            progress_current, progress_total, expires_at, error, result, gone, gone_at)
        SELECT id, base_url, job_id, kind, first_seen, last_seen, status,
            progress_current, progress_total, expires_at, error, result, gone, gone_at
        FROM jobs ORDER BY id""",
        """INSERT INTO documents_v3 (seq, job, doc_key, sort_key, document)
        SELECT seq, job, doc_key, sort_key, document FROM documents ORDER BY seq""",
        "DROP TABLE documents",
        "DROP TABLE jobs",
        "ALTER TABLE jobs_v3 RENAME TO jobs",
        "ALTER TABLE documents_v3 RENAME TO documents",
        "CREATE INDEX documents_by_order ON documents (job, sort_key, seq)",
        "CREATE INDEX jobs_by_last_seen ON jobs (last_seen)",
    ),
)
"""``_MIGRATIONS[n]``: the statements that take a store from schema version n to n + 1."""

_TABLES: Final = frozenset({"jobs", "documents"})
_ORDER: Final = "ORDER BY sort_key IS NULL, sort_key, seq"
_JOB_COLUMNS: Final = """job_id, kind, base_url, first_seen, last_seen, status, progress_current,
    progress_total, expires_at, error, result, gone,
    (SELECT count(*) FROM documents AS d WHERE d.job = jobs.id), cursor"""


@attrs.frozen(kw_only=True)
class JobRecord:
    """One job as the store last recorded it.

    Attributes:
        job_id: The crawl or extract id.
        kind: ``"crawl"`` or ``"extract"``.
        base_url: The server the job was read from, normalised (`JobStore` explains how).
        first_seen: When the job was first recorded (aware UTC).
        last_seen: The last successful read from the server (aware UTC).
        status: The last status the server reported, as sent.
        current: Progress counter, when the server sent one.
        total: Progress total, when the server sent one.
        expires_at: When the server forgets the job: its ``expiresAt`` (extract) or the
            client's estimate (crawl); aware UTC, or None.
        error: One line saying why the job failed or expired, or None.
        documents: How many documents the store keeps for the job.
        result: The extract's answer as last read (`ExtractSnapshot.to_dict`), or None; None
            for crawls.
        gone: The server has forgotten the job (404 after it was seen, or a silent expiry).
        cursor: For a v1/v2 job: the request target of the next page to read (resume), or None.
    """

    job_id: str
    kind: JobKind
    base_url: str
    first_seen: dt.datetime
    last_seen: dt.datetime
    status: str
    current: int | None
    total: int | None
    expires_at: dt.datetime | None
    error: str | None
    documents: int
    result: ExtractBody | None
    gone: bool
    cursor: str | None = None


class JobStore:
    """The SQLite file keeping every job polled and every document delivered.

    Args:
        path: The store file; created with its parent directories if missing.
            ``":memory:"`` gives a private, non-durable store (for tests).

    Raises:
        StoreError: The file cannot be created or opened, is not a job store, is corrupt, or
            was written by a newer firecrawl-status. The file is left untouched.

    Usable as a context manager (closes on exit) and from several threads.
    """

    def __init__(self, path: str | os.PathLike[str]) -> None:
        memory = os.fspath(path) == ":memory:"
        self._path = None if memory else Path(path).expanduser()
        self._label = ":memory:" if self._path is None else str(self._path)
        self._lock = threading.Lock()
        self._conn: sqlite3.Connection | None = _open(self._path, self._label)

    @staticmethod
    def default_path() -> Path:
        """Where the store lives unless told otherwise.

        ``$FIRECRAWL_STATUS_HOME/jobs.sqlite3`` when that is set, else ``jobs.sqlite3`` in a
        ``firecrawl-status`` folder of the user's cache directory: ``$XDG_CACHE_HOME`` or
        ``~/.cache`` on Linux, ``~/Library/Caches`` on macOS, ``%LOCALAPPDATA%`` on Windows.
        """
        home = os.environ.get("FIRECRAWL_STATUS_HOME")
        if home:
            return Path(home).expanduser() / "jobs.sqlite3"
        cache = _cache_home(sys.platform, os.environ, Path.home())
        return cache / "firecrawl-status" / "jobs.sqlite3"

    @property
    def path(self) -> Path | None:
        """The store file, or None for an in-memory store."""
        return self._path

    def close(self) -> None:
        """Close the store. Closing twice is harmless; any other call afterwards fails."""
        with self._lock:
            conn, self._conn = self._conn, None
            if conn is not None:
                conn.close()

    def __enter__(self) -> JobStore:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"JobStore({self._label!r})"

    # -- writes: each one transaction, committed before returning ------------------------------

    def record_job(
        self,
        *,
        job_id: str,
        kind: JobKind,
        base_url: str,
        status: str,
        seen_at: dt.datetime,
        current: int | None = None,
        total: int | None = None,
        expires_at: dt.datetime | None = None,
        error: str | None = None,
        result: ExtractBody | None = None,
    ) -> None:
        """Record a successful read of a job from the server (insert or update).

        ``first_seen`` is kept from the first call; every other field is replaced, except
        ``gone``, which only `forget` clears.

        Args:
            job_id: The crawl or extract id.
            kind: ``"crawl"`` or ``"extract"``.
            base_url: The server the job was read from (normalised with `server_key`).
            status: The status the server reported.
            seen_at: When the answer arrived (timezone-aware).
            current: Progress counter, if any.
            total: Progress total, if any.
            expires_at: When the server forgets the job (timezone-aware), if known.
            error: One line saying why the job failed, if it did.
            result: The extract's answer as sent (`ExtractSnapshot.to_dict`), or None.

        Raises:
            StoreError: The store cannot be written.
            ValueError: ``kind`` is unknown, ``base_url`` is not an http(s) URL or a datetime
                is naive.
        """
        if kind not in _KINDS:
            raise ValueError(f"kind must be one of {', '.join(_KINDS)}, not {kind!r}")
        row = (
            *_key(base_url, job_id),
            kind,
            _timestamp(seen_at),
            storable_text(status),
            _sqlite_int(current),
            _sqlite_int(total),
            None if expires_at is None else _timestamp(expires_at),
            None if error is None else storable_text(error),
            None if result is None else compact_json(result),
        )
        with self._transaction("record the job") as conn:
            conn.execute(
                """INSERT INTO jobs (base_url, job_id, kind, first_seen, last_seen, status,
                    progress_current, progress_total, expires_at, error, result)
                VALUES (?1, ?2, ?3, ?4, ?4, ?5, ?6, ?7, ?8, ?9, ?10)
                ON CONFLICT (base_url, job_id) DO UPDATE SET
                    kind = excluded.kind, last_seen = excluded.last_seen,
                    status = excluded.status, progress_current = excluded.progress_current,
                    progress_total = excluded.progress_total, expires_at = excluded.expires_at,
                    error = excluded.error, result = excluded.result""",
                row,
            )

    def set_cursor(self, job_id: str, *, base_url: str, cursor: str) -> None:
        """Record where a v1/v2 job's page walk continues (after that page's documents were kept).

        A job the store does not hold is ignored.

        Raises:
            StoreError: The store cannot be written.
        """
        values = (storable_text(cursor), *_key(base_url, job_id))
        with self._transaction("record the cursor") as conn:
            conn.execute("UPDATE jobs SET cursor = ? WHERE base_url = ? AND job_id = ?", values)

    def mark_gone(self, job_id: str, *, base_url: str, error: str, seen_at: dt.datetime) -> None:
        """Record that the server has forgotten a job (a 404 after it was seen, a silent expiry).

        ``last_seen`` is left alone: it stays the last *successful* read. A job the store does
        not hold is ignored (there is nothing to mark).

        Args:
            job_id: The crawl or extract id.
            base_url: The server the job was read from.
            error: One line saying how the job was found gone.
            seen_at: When that answer arrived (timezone-aware).

        Raises:
            StoreError: The store cannot be written.
        """
        values = (storable_text(error), _timestamp(seen_at), *_key(base_url, job_id))
        with self._transaction("mark the job gone") as conn:
            conn.execute(
                """UPDATE jobs SET gone = 1, error = ?, gone_at = ?
                WHERE base_url = ? AND job_id = ?""",
                values,
            )

    def add_documents(self, job_id: str, documents: Sequence[Document], *, base_url: str) -> int:
        """Keep documents delivered for a job; keys already kept are skipped, not replaced.

        Args:
            job_id: A job already recorded with `record_job`.
            documents: ``(key, order, document)`` items. ``key`` is an identity chosen by the
                caller (e.g. ``"url:https://..."``), ``order`` an int to sort by or None,
                ``document`` a JSON object.
            base_url: The server the job was read from.

        Returns:
            How many documents were newly kept (a key repeated in ``documents`` counts once).

        Raises:
            StoreError: The job is not recorded, or the store cannot be written. Nothing from
                ``documents`` is kept then.
            TypeError: A document holds a value that is not JSON.
        """
        key = _key(base_url, job_id)
        rows = _document_rows(documents)
        if not rows:
            return 0
        with self._transaction("add documents") as conn:
            job = _require_job(conn, key, self._label)
            before = conn.total_changes
            conn.executemany(
                """INSERT INTO documents (job, doc_key, sort_key, document) VALUES (?, ?, ?, ?)
                ON CONFLICT (job, doc_key) DO NOTHING""",
                [(job, *row) for row in rows],
            )
            return conn.total_changes - before

    def replace_documents(
        self, job_id: str, documents: Sequence[Document], *, base_url: str
    ) -> None:
        """Keep documents, replacing the content of keys already kept (the final crawl ``data``).

        A key already kept gets the new document and keeps its delivery sequence (and its
        order, when the new order is None); a new key is appended. Within ``documents`` the
        last item for a key wins.

        Args:
            job_id: A job already recorded with `record_job`.
            documents: ``(key, order, document)`` items, as for `add_documents`.
            base_url: The server the job was read from.

        Raises:
            StoreError: The job is not recorded, or the store cannot be written. Nothing from
                ``documents`` is kept then.
            TypeError: A document holds a value that is not JSON.
        """
        key = _key(base_url, job_id)
        rows = _document_rows(documents)
        if not rows:
            return
        with self._transaction("replace documents") as conn:
            job = _require_job(conn, key, self._label)
            conn.executemany(
                """INSERT INTO documents (job, doc_key, sort_key, document) VALUES (?, ?, ?, ?)
                ON CONFLICT (job, doc_key) DO UPDATE SET
                    sort_key = coalesce(excluded.sort_key, sort_key),
                    document = excluded.document""",
                [(job, *row) for row in rows],
            )

    def forget(self, job_id: str, *, base_url: str) -> bool:
        """Delete a job and all its documents. A job the store does not hold is ignored.

        Returns:
            Whether the store held the job.

        Raises:
            StoreError: The store cannot be written.
        """
        key = _key(base_url, job_id)
        with self._transaction("forget the job") as conn:
            job = _job_row(conn, key)
            if job is None:
                return False
            conn.execute("DELETE FROM documents WHERE job = ?", (job,))
            conn.execute("DELETE FROM jobs WHERE id = ?", (job,))
            return True

    # -- reads ---------------------------------------------------------------------------------

    def document_keys(self, job_id: str, *, base_url: str) -> set[str]:
        """The keys of every document kept for a job (empty for an unknown job).

        Raises:
            StoreError: The store cannot be read.
        """
        key = _key(base_url, job_id)
        with self._use("read document keys") as conn:
            rows = conn.execute(
                "SELECT doc_key FROM documents WHERE job = ?", (_job_row(conn, key),)
            )
            return {doc_key for (doc_key,) in rows}

    def document_index(self, job_id: str, *, base_url: str) -> list[tuple[str, int | None]]:
        """``(key, order)`` of every document kept for a job, in reading order, without reading
        the documents themselves: what a resumed stream needs to skip them.

        Raises:
            StoreError: The store cannot be read.
        """
        key = _key(base_url, job_id)
        with self._use("read document keys") as conn:
            rows = conn.execute(
                f"SELECT doc_key, sort_key FROM documents WHERE job = ? {_ORDER}",
                (_job_row(conn, key),),
            )
            return [(doc_key, order) for doc_key, order in rows]

    def documents(self, job_id: str, *, base_url: str) -> list[CrawlDocument]:
        """Every document kept for a job, read at one moment.

        Ordered by ``order`` (ascending) for those that have one, then the rest, each group in
        delivery sequence. Use `iter_documents` for large jobs.

        Raises:
            StoreError: The store cannot be read.
        """
        key = _key(base_url, job_id)
        with self._use("read documents") as conn:
            rows = conn.execute(
                f"SELECT document FROM documents WHERE job = ? {_ORDER}", (_job_row(conn, key),)
            ).fetchall()
        return [_load_document(text, self._label) for (text,) in rows]

    def iter_documents(self, job_id: str, *, base_url: str) -> Iterator[CrawlDocument]:
        """The documents of `documents`, in the same order, read a page at a time.

        The order is fixed when iteration starts (only sequence numbers are held in memory):
        each document comes at most once, with its content as of its page; documents added
        later are not included and documents forgotten meanwhile are skipped. The store is not
        locked between pages, so other calls may run while the caller consumes.

        Raises:
            StoreError: The store cannot be read.
        """
        key = _key(base_url, job_id)
        with self._use("read documents") as conn:
            job = _job_row(conn, key)
            order = [
                seq
                for (seq,) in conn.execute(
                    f"SELECT seq FROM documents WHERE job = ? {_ORDER}", (job,)
                )
            ]
        for start in range(0, len(order), _PAGE):
            page = order[start : start + _PAGE]
            marks = ", ".join("?" * len(page))
            query = f"SELECT seq, document FROM documents WHERE job = ? AND seq IN ({marks})"
            with self._use("read documents") as conn:
                found = dict(conn.execute(query, [job, *page]).fetchall())
            for seq in page:
                if seq in found:
                    yield _load_document(found[seq], self._label)

    def job(self, job_id: str, *, base_url: str) -> JobRecord | None:
        """The job as last recorded, or None when the store does not hold it.

        Raises:
            StoreError: The store cannot be read.
        """
        with self._use("read the job") as conn:
            row = conn.execute(
                f"SELECT {_JOB_COLUMNS} FROM jobs WHERE base_url = ? AND job_id = ?",
                _key(base_url, job_id),
            ).fetchone()
        return None if row is None else _job_record(row, self._label)

    def jobs(self, *, base_url: str | None = None, job_id: str | None = None) -> list[JobRecord]:
        """Every job the store holds, most recently seen first.

        Args:
            base_url: Only the jobs of this server (None: of every server).
            job_id: Only the jobs with this id (None: any id); one per server at most.

        Raises:
            StoreError: The store cannot be read.
        """
        where, values = ["1"], []
        if base_url is not None:
            where.append("base_url = ?")
            values.append(server_key(base_url))
        if job_id is not None:
            where.append("job_id = ?")
            values.append(storable_text(job_id))
        with self._use("list jobs") as conn:
            rows = conn.execute(
                f"SELECT {_JOB_COLUMNS} FROM jobs WHERE {' AND '.join(where)} "
                "ORDER BY last_seen DESC, base_url, job_id",
                values,
            ).fetchall()
        return [_job_record(row, self._label) for row in rows]

    # -- plumbing ------------------------------------------------------------------------------

    @contextlib.contextmanager
    def _use(self, action: str) -> Iterator[sqlite3.Connection]:
        with self._lock:
            if self._conn is None:
                raise StoreError(f"job store {self._label} is closed; cannot {action}")
            with _translated(self._label, action):
                yield self._conn

    @contextlib.contextmanager
    def _transaction(self, action: str) -> Iterator[sqlite3.Connection]:
        with self._use(action) as conn:
            conn.execute("BEGIN IMMEDIATE")
            try:
                yield conn
                conn.execute("COMMIT")
            except BaseException:
                _rollback(conn)
                raise

    def prune(self, older_than: dt.timedelta, *, now: dt.datetime | None = None) -> int:
        """Delete every job last seen (read successfully) longer ago than ``older_than``, with
        its documents.

        Args:
            older_than: How long ago a job's ``last_seen`` must be for it to go (positive).
            now: The current time (timezone-aware); defaults to the system's UTC time.

        Returns:
            How many jobs were deleted.

        Raises:
            StoreError: The store cannot be written.
            ValueError: ``older_than`` is not positive or ``now`` is naive.
        """
        if older_than <= dt.timedelta(0):
            raise ValueError(f"older_than must be a positive duration, not {older_than!r}")
        try:
            cutoff = _timestamp((now or dt.datetime.now(dt.UTC)) - older_than)
        except OverflowError:  # before year 1: no job is that old
            return 0
        with self._transaction("prune jobs") as conn:
            old = "SELECT id FROM jobs WHERE last_seen < ?"
            conn.execute(f"DELETE FROM documents WHERE job IN ({old})", (cutoff,))
            return conn.execute("DELETE FROM jobs WHERE last_seen < ?", (cutoff,)).rowcount


def _cache_home(platform: str, environ: Mapping[str, str], home: Path) -> Path:
    """The user's cache directory on ``platform`` (a `sys.platform` value)."""
    if platform == "win32":
        local = environ.get("LOCALAPPDATA")
        return Path(local) if local else home / "AppData" / "Local"
    if platform == "darwin":
        return home / "Library" / "Caches"
    xdg = environ.get("XDG_CACHE_HOME")
    # The XDG spec says a relative path there is invalid and must be ignored.
    return Path(xdg) if xdg and Path(xdg).is_absolute() else home / ".cache"


def _open(path: Path | None, label: str) -> sqlite3.Connection:
    """Open the store, refusing foreign, corrupt and newer files before writing to them."""
    if path is not None:
        _create_file(path)
    with _translated(label, "open"):
        conn = sqlite3.connect(
            ":memory:" if path is None else path,
            timeout=BUSY_TIMEOUT,
            isolation_level=None,  # autocommit: transactions are the explicit BEGIN/COMMIT
            check_same_thread=False,  # shared by threads under JobStore._lock
        )
    try:
        with _translated(label, "open"):
            conn.execute("BEGIN")  # one read snapshot: another process may be migrating
            try:
                version = _check(conn, label)  # reads only
            finally:
                _rollback(conn)
            if path is not None:
                mode = _write_ahead(conn)
                if mode != "wal":
                    raise StoreError(
                        f"job store {label} cannot use write-ahead logging (journal mode stays "
                        f"{mode}); use a writable file on a local disk"
                    )
            conn.execute("PRAGMA synchronous = NORMAL")
            conn.execute("PRAGMA foreign_keys = ON")
            if version < len(_MIGRATIONS):
                _migrate(conn, label)
    except BaseException:
        conn.close()
        raise
    return conn


_BUSY = (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED)


def _write_ahead(conn: sqlite3.Connection) -> str:
    """Switch a file to write-ahead logging; the journal mode it ends in.

    SQLite answers "database is locked" at once, without waiting out the busy timeout, when two
    connections switch a new file at the same moment: the mode persists in the file, so a
    second opener finds it switched already, or tries again within `BUSY_TIMEOUT`.
    """
    deadline = time.monotonic() + BUSY_TIMEOUT
    while True:
        try:
            (mode,) = conn.execute("PRAGMA journal_mode = WAL").fetchone()
            return str(mode).lower()
        except sqlite3.OperationalError as exc:
            if getattr(exc, "sqlite_errorcode", 0) & 0xFF not in _BUSY:
                raise
            (mode,) = conn.execute("PRAGMA journal_mode").fetchone()
            if str(mode).lower() == "wal" or time.monotonic() >= deadline:
                return str(mode).lower()
            time.sleep(0.01)


def _create_file(path: Path) -> None:
    """Create the parent folders, and the file readable by its owner only (documents may be
    private); SQLite gives its -wal and -shm files the same mode."""
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        with contextlib.suppress(FileExistsError):
            os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise StoreError(f"cannot create job store {path}: {reason}") from exc


def _check(conn: sqlite3.Connection, label: str) -> int:
    """The schema version of the open file, or StoreError if it is not a store we may use."""
    (application_id,) = conn.execute("PRAGMA application_id").fetchone()
    (version,) = conn.execute("PRAGMA user_version").fetchone()
    tables = {
        name
        for (name,) in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        )
    }
    known = len(_MIGRATIONS)
    if (version == 0 and tables) or (version != 0 and application_id != APPLICATION_ID):
        raise StoreError(
            f"{label} is an SQLite database but not a firecrawl-status job store; "
            "it was left untouched; use another --store path"
        )
    if version > known:
        raise StoreError(
            f"job store {label} was written by a newer firecrawl-status (schema v{version}, "
            f"this version knows up to v{known}); upgrade or use another --store path"
        )
    if version != 0 and not tables.issuperset(_TABLES):  # every version has them
        raise StoreError(
            f"job store {label} is damaged (schema v{version} without its tables "
            f"{', '.join(sorted(_TABLES - tables))}); use another --store path"
        )
    return int(version)


def _migrate(conn: sqlite3.Connection, label: str) -> None:
    """Bring the store up to the current schema in one transaction."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        version = _check(conn, label)  # again under the write lock: it may have changed
        for step in _MIGRATIONS[version:]:
            for statement in step:
                conn.execute(statement)
        conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        conn.execute(f"PRAGMA user_version = {len(_MIGRATIONS)}")
        conn.execute("COMMIT")
    except BaseException:
        _rollback(conn)
        raise


def _rollback(conn: sqlite3.Connection) -> None:
    if conn.in_transaction:
        with contextlib.suppress(sqlite3.Error):
            conn.execute("ROLLBACK")


@contextlib.contextmanager
def _translated(label: str, action: str) -> Iterator[None]:
    """Turn sqlite3 errors into one-line `StoreError`s naming the file."""
    try:
        yield
    except sqlite3.Error as exc:
        code = getattr(exc, "sqlite_errorcode", 0) & 0xFF
        if code in (sqlite3.SQLITE_NOTADB, sqlite3.SQLITE_CORRUPT) and action == "open":
            message = (
                f"{label} is not a firecrawl-status job store: it is not an SQLite database or "
                f"it is corrupt ({exc}); it was left untouched; use another --store path"
            )
        elif code in (sqlite3.SQLITE_NOTADB, sqlite3.SQLITE_CORRUPT):
            message = f"job store {label} is corrupt ({exc}); cannot {action}"
        elif code in _BUSY:
            message = (
                f"job store {label} is locked by another process (waited {BUSY_TIMEOUT:g} s); "
                f"cannot {action}"
            )
        elif code in (sqlite3.SQLITE_CANTOPEN, sqlite3.SQLITE_READONLY, sqlite3.SQLITE_PERM):
            message = (
                f"job store {label} cannot be opened for writing ({exc}); cannot {action}; "
                "check that it is a file and that it and its folder are writable"
            )
        else:
            message = f"job store {label}: cannot {action}: {exc}"
        raise StoreError(message) from exc


def server_key(base_url: str) -> str:
    """The server part of a job's key: ``base_url`` with scheme and host lower-case, and the
    default port, credentials, query, fragment and trailing slashes dropped.

    ``HTTP://Example.com:80/v/`` and ``http://example.com/v`` are one server; a path prefix
    (a proxy's ``/firecrawl``) still tells servers apart. Credentials never reach the file.

    Raises:
        ValueError: ``base_url`` is not an http(s) URL with a host.
    """
    parts = urllib.parse.urlsplit(base_url)
    scheme = parts.scheme.lower()
    try:
        host, port = parts.hostname, parts.port
    except ValueError:  # a port that is not a number
        host = port = None
    if scheme not in ("http", "https") or not host:
        raise ValueError(f"a job's server must be an http(s) URL, not {base_url!r}")
    if ":" in host:  # IPv6: urlsplit drops the brackets
        host = f"[{host}]"
    netloc = host if port in (None, _DEFAULT_PORTS[scheme]) else f"{host}:{port}"
    return storable_text(f"{scheme}://{netloc}{parts.path.rstrip('/')}")


def _key(base_url: str, job_id: str) -> tuple[str, str]:
    """A job's key as stored: (normalised server, id)."""
    return server_key(base_url), storable_text(job_id)


def _job_row(conn: sqlite3.Connection, key: tuple[str, str]) -> int | None:
    """The ``jobs.id`` of the job with this `_key`, or None when the store does not hold it."""
    row = conn.execute("SELECT id FROM jobs WHERE base_url = ? AND job_id = ?", key).fetchone()
    return None if row is None else int(row[0])


def _require_job(conn: sqlite3.Connection, key: tuple[str, str], label: str) -> int:
    job = _job_row(conn, key)
    if job is None:
        raise StoreError(
            f"job store {label}: job {key[1]!r} of {key[0]} is not recorded; "
            "record_job() comes first"
        )
    return job


def _document_rows(documents: Sequence[Document]) -> list[tuple[str, int | None, str]]:
    """Encode every document before a transaction opens, so a bad one writes nothing."""
    return [
        (storable_text(key), _sqlite_int(order), compact_json(document))
        for key, order, document in documents
    ]


def _job_record(row: tuple[Any, ...], label: str) -> JobRecord:
    (
        job_id,
        kind,
        base_url,
        first,
        last,
        status,
        current,
        total,
        expires,
        error,
        result,
        gone,
        n,
        cursor,
    ) = row
    return JobRecord(
        job_id=job_id,
        kind=cast("JobKind", kind),
        base_url=base_url,
        first_seen=_datetime(first),
        last_seen=_datetime(last),
        status=status,
        current=current,
        total=total,
        expires_at=None if expires is None else _datetime(expires),
        error=error,
        documents=n,
        result=None if result is None else _load_json(result, label, "result"),
        gone=bool(gone),
        cursor=cursor,
    )


def _timestamp(value: dt.datetime) -> str:
    """ISO-8601 UTC with microseconds: fixed width, so text order is time order."""
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"the job store needs timezone-aware datetimes, not {value!r}")
    return value.astimezone(dt.UTC).isoformat(timespec="microseconds")


def _datetime(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).astimezone(dt.UTC)


def _load_document(text: str, label: str) -> CrawlDocument:
    document = _load_json(text, label, "document")
    if not isinstance(document, dict):
        raise StoreError(f"job store {label} is corrupt: a stored document is not a JSON object")
    return cast("CrawlDocument", document)


def _load_json(text: str, label: str, what: str) -> Any:
    """Stored JSON back; text damaged on disk is a `StoreError` naming the file."""
    try:
        return json.loads(text)
    except (ValueError, RecursionError) as exc:
        raise StoreError(
            f"job store {label} is corrupt: a stored {what} is not valid JSON "
            f"({type(exc).__name__}: {str(exc)[:100]})"
        ) from None


_SQLITE_INT = (-(2**63), 2**63 - 1)


def _sqlite_int(value: int | None) -> int | None:
    """``value`` when an SQLite INTEGER holds it; a larger count (from a hostile server) is
    recorded as unknown rather than failing the write."""
    if value is None or _SQLITE_INT[0] <= value <= _SQLITE_INT[1]:
        return value
    return None
