"""The local job store: round trips, exactly-once documents, durability across processes and
crashes, refusal of files it must not touch, and the schema migration path."""

from __future__ import annotations

import datetime as dt
import inspect
import json
import os
import sqlite3
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from firecrawl_status import _store
from firecrawl_status._store import APPLICATION_ID, JobRecord, JobStore
from firecrawl_status.errors import StoreError

T0 = dt.datetime(2025, 8, 1, 12, 0, 0, tzinfo=dt.UTC)
BASE = "https://api.firecrawl.dev"
SCHEMA = len(_store._MIGRATIONS)
REPO = Path(__file__).resolve().parent.parent

# A document shaped like a real one (docs/server-facts.md): non-string metadata, null, lists.
PAGE = {
    "markdown": "# Café — 東京 😀",
    "content": "# Café — 東京 😀",
    "html": "<h1>Café</h1>",
    "linksOnPage": ["https://example.com/a", "https://example.com/b"],
    "metadata": {
        "title": "Café",
        "language": None,
        "pageStatusCode": 200,
        "og:image": ["https://example.com/1.png", "https://example.com/2.png"],
        "sourceURL": "https://example.com/",
        "score": 0.1,
        "nested": {"deep": [1, [2, [3, {"x": True}]]]},
    },
}


def record(store: JobStore, job_id: str = "crawl-1", **changes: Any) -> None:
    fields: dict[str, Any] = {
        "job_id": job_id,
        "kind": "crawl",
        "base_url": BASE,
        "status": "active",
        "seen_at": T0,
    }
    fields.update(changes)
    store.record_job(**fields)


def docs(*keys: str, order: int | None = None) -> list[tuple[str, int | None, dict[str, Any]]]:
    return [(key, order, {"key": key}) for key in keys]


def strict(value: object) -> str:
    """A JSON spelling that tells 1 from 1.0 and -0.0 from 0.0 and keeps key order."""
    return json.dumps(value, ensure_ascii=True)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[JobStore]:
    with JobStore(tmp_path / "jobs.sqlite3") as opened:
        yield opened


# -- jobs ------------------------------------------------------------------------------------


def test_job_round_trip(store: JobStore) -> None:
    """Every field recorded comes back, datetimes as aware UTC."""
    plus2 = dt.timezone(dt.timedelta(hours=2))
    record(
        store,
        job_id="extract-1",
        kind="extract",
        status="completed",
        seen_at=dt.datetime(2025, 8, 1, 14, 0, 0, 123456, tzinfo=plus2),
        current=3,
        total=7,
        expires_at=T0 + dt.timedelta(hours=6),
        error="boom",
        result={"names": ["a", "b"], "n": 1.5, "none": None},
    )
    got = store.job("extract-1", base_url=BASE)
    assert got == JobRecord(
        job_id="extract-1",
        kind="extract",
        base_url="https://api.firecrawl.dev",
        first_seen=T0.replace(microsecond=123456),
        last_seen=T0.replace(microsecond=123456),
        status="completed",
        current=3,
        total=7,
        expires_at=T0 + dt.timedelta(hours=6),
        error="boom",
        documents=0,
        result={"names": ["a", "b"], "n": 1.5, "none": None},
        gone=False,
    )
    assert got.last_seen.tzinfo is dt.UTC
    assert got.expires_at is not None
    assert got.expires_at.tzinfo is dt.UTC


def test_unknown_job_is_none(store: JobStore) -> None:
    """A job never recorded reads as None, with no documents."""
    assert store.job("nope", base_url=BASE) is None
    assert store.documents("nope", base_url=BASE) == []
    assert list(store.iter_documents("nope", base_url=BASE)) == []
    assert store.document_keys("nope", base_url=BASE) == set()


def test_upsert_keeps_first_seen_and_replaces_the_rest(store: JobStore) -> None:
    """A second record_job keeps first_seen and replaces every other field."""
    record(store, current=1, total=10, error="x", result=[1])
    later = T0 + dt.timedelta(minutes=5)
    record(store, status="completed", seen_at=later, current=10, total=10)
    got = store.job("crawl-1", base_url=BASE)
    assert got is not None
    assert (got.first_seen, got.last_seen) == (T0, later)
    assert (got.status, got.current, got.total, got.error, got.result) == (
        "completed",
        10,
        10,
        None,
        None,
    )


def test_jobs_most_recently_seen_first(store: JobStore) -> None:
    """jobs() lists the most recently seen job first, with its document count."""
    record(store, "old", seen_at=T0)
    record(store, "new", seen_at=T0 + dt.timedelta(seconds=1))
    record(store, "mid", seen_at=T0 + dt.timedelta(microseconds=500))
    store.add_documents("mid", docs("a", "b"), base_url=BASE)
    listed = store.jobs()
    assert [job.job_id for job in listed] == ["new", "mid", "old"]
    assert [job.documents for job in listed] == [0, 2, 0]


def test_mark_gone_is_sticky_and_keeps_last_seen(store: JobStore) -> None:
    """mark_gone sets gone and the error, leaves last_seen, and survives later record_job."""
    record(store)
    store.mark_gone(
        "crawl-1", error="404 Job not found", seen_at=T0 + dt.timedelta(days=1), base_url=BASE
    )
    got = store.job("crawl-1", base_url=BASE)
    assert got is not None
    assert (got.gone, got.error, got.last_seen) == (True, "404 Job not found", T0)
    record(store, status="completed", seen_at=T0 + dt.timedelta(days=2))
    got = store.job("crawl-1", base_url=BASE)
    assert got is not None
    assert got.gone
    store.mark_gone("never-seen", error="404", seen_at=T0, base_url=BASE)
    assert store.job("never-seen", base_url=BASE) is None


def test_forget_removes_job_and_documents(store: JobStore) -> None:
    """forget deletes the job and its documents, and leaves other jobs alone."""
    record(store, "a")
    record(store, "b")
    store.add_documents("a", docs("1", "2"), base_url=BASE)
    store.add_documents("b", docs("1"), base_url=BASE)
    store.forget("a", base_url=BASE)
    store.forget("unknown", base_url=BASE)
    assert store.job("a", base_url=BASE) is None
    assert store.documents("a", base_url=BASE) == []
    assert store.documents("b", base_url=BASE) == [{"key": "1"}]


def test_invalid_arguments_refused(store: JobStore) -> None:
    """A naive datetime or an unknown kind is a ValueError, and nothing is written."""
    with pytest.raises(ValueError, match="timezone-aware"):
        record(store, seen_at=dt.datetime(2025, 8, 1))
    with pytest.raises(ValueError, match="kind"):
        record(store, kind="scrape")
    assert store.jobs() == []


def test_no_place_for_an_api_key() -> None:
    """Neither the record nor record_job has anything that could hold a credential."""
    names = [field.name for field in attrs.fields(JobRecord)]
    names += list(inspect.signature(JobStore.record_job).parameters)
    assert not [n for n in names if any(w in n for w in ("key", "token", "auth", "secret"))]


# -- servers ---------------------------------------------------------------------------------

STAGING = "http://127.0.0.1:3002"


def test_jobs_of_two_servers_never_mix(store: JobStore) -> None:
    """One id on two servers is two jobs: records, documents, gone marks and forget are each
    server's own."""
    record(store, "same", status="active")
    record(store, "same", base_url=STAGING, status="completed", kind="extract", result=None)
    store.add_documents("same", docs("a", "b"), base_url=BASE)
    store.add_documents("same", docs("a"), base_url=STAGING)
    assert store.document_keys("same", base_url=BASE) == {"a", "b"}
    assert store.document_index("same", base_url=STAGING) == [("a", None)]
    store.mark_gone("same", base_url=STAGING, error="404", seen_at=T0)
    production = store.job("same", base_url=BASE)
    staging = store.job("same", base_url=STAGING)
    assert production is not None
    assert staging is not None
    assert (production.status, production.documents, production.gone) == ("active", 2, False)
    assert (staging.status, staging.documents, staging.gone) == ("completed", 1, True)
    assert staging.base_url == STAGING
    assert [r.base_url for r in store.jobs(job_id="same")] == [STAGING, BASE]  # same last_seen
    assert [r.base_url for r in store.jobs(base_url=STAGING + "/")] == [STAGING]
    assert store.jobs(base_url="http://127.0.0.1:3003") == []
    store.forget("same", base_url=STAGING)
    assert store.job("same", base_url=STAGING) is None
    assert store.documents("same", base_url=BASE) == [{"key": "a"}, {"key": "b"}]
    assert list(store.iter_documents("same", base_url=STAGING)) == []


def test_spellings_of_one_server_are_one_key(store: JobStore) -> None:
    """Case, default port, credentials, query and trailing slash do not split a server; a port
    or a path prefix does."""
    record(store, "j", base_url="HTTPS://user:secret@API.Firecrawl.dev:443/?x=1#f")
    store.add_documents("j", docs("a"), base_url="https://api.firecrawl.dev/")
    got = store.job("j", base_url="https://api.firecrawl.dev")
    assert got is not None
    assert got.base_url == "https://api.firecrawl.dev"
    assert got.documents == 1
    for other in ("https://api.firecrawl.dev:8443", "https://api.firecrawl.dev/proxy"):
        assert store.job("j", base_url=other) is None
    assert _store.server_key("http://[::1]:80/v0/") == "http://[::1]/v0"
    assert _store.server_key("http://localhost:3002") == "http://localhost:3002"
    for bad in ("ftp://example.com", "example.com", "http://", "http://h:port"):
        with pytest.raises(ValueError, match="http"):
            store.job("j", base_url=bad)


@given(
    scheme=st.sampled_from(["http", "HTTP", "https", "HttpS"]),
    host=st.from_regex(r"[a-zA-Z][a-zA-Z0-9-]{0,20}(\.[a-zA-Z]{2,5}){0,2}", fullmatch=True),
    port=st.one_of(st.none(), st.integers(1, 65535)),
    path=st.from_regex(r"(/[a-zA-Z0-9_-]{1,8}){0,3}/?", fullmatch=True),
)
def test_server_key_is_a_normal_form(scheme: str, host: str, port: int | None, path: str) -> None:
    """Normalising twice changes nothing, and the key is lower-case up to its path."""
    url = f"{scheme}://{host}{'' if port is None else f':{port}'}{path}"
    key = _store.server_key(url)
    assert _store.server_key(key) == key
    assert not key.endswith("/")
    assert key.startswith(f"{scheme.lower()}://{host.lower()}")


# -- documents -------------------------------------------------------------------------------


def test_documents_round_trip_exactly(store: JobStore) -> None:
    """A realistic document, and one with a lone surrogate, come back identical."""
    record(store)
    odd = {"text": "bad \ud800 half", "\udfff": 1, "big": 2**70, "float": -0.0, "inf": 1e308}
    store.add_documents(
        "crawl-1", [("url:1", None, PAGE), ("url:\ud800", None, odd)], base_url=BASE
    )
    assert [strict(d) for d in store.documents("crawl-1", base_url=BASE)] == [
        strict(PAGE),
        strict(odd),
    ]
    assert len(store.document_keys("crawl-1", base_url=BASE)) == 2


json_scalars = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False)
    | st.text()
    | st.text(st.sampled_from(["a", "é", "東", "😀", "\ud800", "\udfff", '"', "\\", "\x00"]))
)
json_values = st.recursive(
    json_scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=6), inner),
    max_leaves=20,
)


@settings(max_examples=150, deadline=None)
@given(document=st.dictionaries(st.text(max_size=8), json_values, max_size=6), result=json_values)
def test_any_json_round_trips(document: dict[str, Any], result: Any) -> None:
    """Any JSON document or extract result comes back exactly, types and key order included."""
    with JobStore(":memory:") as mem:
        record(mem, kind="extract", result=result)
        mem.add_documents("crawl-1", [("k", None, document)], base_url=BASE)
        assert [strict(d) for d in mem.documents("crawl-1", base_url=BASE)] == [strict(document)]
        got = mem.job("crawl-1", base_url=BASE)
        assert got is not None
        assert strict(got.result) == strict(result)


def test_add_documents_is_idempotent_per_key(store: JobStore) -> None:
    """add_documents keeps each key once, counts only new ones, and never changes kept ones."""
    record(store)
    assert store.add_documents("crawl-1", docs("a", "b"), base_url=BASE) == 2
    assert (
        store.add_documents("crawl-1", [*docs("b", "c"), ("c", None, {"key": "c2"})], base_url=BASE)
        == 1
    )
    assert store.add_documents("crawl-1", [("a", 5, {"key": "changed"})], base_url=BASE) == 0
    assert store.add_documents("crawl-1", [], base_url=BASE) == 0
    assert store.documents("crawl-1", base_url=BASE) == [{"key": "a"}, {"key": "b"}, {"key": "c"}]
    assert store.document_keys("crawl-1", base_url=BASE) == {"a", "b", "c"}
    got = store.job("crawl-1", base_url=BASE)
    assert got is not None
    assert got.documents == 3


def test_keys_are_per_job(store: JobStore) -> None:
    """The same key under two jobs is two documents."""
    record(store, "one")
    record(store, "two")
    assert store.add_documents("one", docs("a"), base_url=BASE) == 1
    assert store.add_documents("two", docs("a"), base_url=BASE) == 1


def test_replace_keeps_delivery_sequence(store: JobStore) -> None:
    """replace_documents updates content in place and appends new keys at the end."""
    record(store)
    store.add_documents("crawl-1", docs("a", "b", "c"), base_url=BASE)
    store.replace_documents(
        "crawl-1",
        [("d", None, {"key": "d"}), ("b", None, {"key": "b", "final": True})],
        base_url=BASE,
    )
    assert store.documents("crawl-1", base_url=BASE) == [
        {"key": "a"},
        {"key": "b", "final": True},
        {"key": "c"},
        {"key": "d"},
    ]


def test_replace_keeps_order_when_new_order_is_none(store: JobStore) -> None:
    """A replacement without an order keeps the old one; one with an order takes it."""
    record(store)
    store.add_documents("crawl-1", [("a", 2, {"v": 1}), ("b", 1, {"v": 1})], base_url=BASE)
    store.replace_documents("crawl-1", [("a", None, {"v": 2})], base_url=BASE)
    assert store.documents("crawl-1", base_url=BASE) == [{"v": 1}, {"v": 2}]
    store.replace_documents("crawl-1", [("a", 0, {"v": 3})], base_url=BASE)
    assert store.documents("crawl-1", base_url=BASE) == [{"v": 3}, {"v": 1}]


def test_ordering_rule(store: JobStore) -> None:
    """Documents with an order come first (ascending, ties by sequence), then the rest."""
    record(store)
    store.add_documents(
        "crawl-1",
        [
            ("n1", None, {"k": "n1"}),
            ("o3", 3, {"k": "o3"}),
            ("o1", 1, {"k": "o1"}),
            ("n2", None, {"k": "n2"}),
            ("o1b", 1, {"k": "o1b"}),
            ("neg", -5, {"k": "neg"}),
        ],
        base_url=BASE,
    )
    expected = ["neg", "o1", "o1b", "o3", "n1", "n2"]
    assert [d["k"] for d in store.documents("crawl-1", base_url=BASE)] == expected
    assert [d["k"] for d in store.iter_documents("crawl-1", base_url=BASE)] == expected


def test_a_bad_batch_writes_nothing(store: JobStore) -> None:
    """A batch with a non-JSON document raises TypeError and keeps none of its documents."""
    record(store)
    with pytest.raises(TypeError, match="set"):
        store.add_documents(
            "crawl-1", [("a", None, {"ok": 1}), ("b", None, {"bad": {1}})], base_url=BASE
        )
    assert store.documents("crawl-1", base_url=BASE) == []


def test_documents_need_a_recorded_job(store: JobStore) -> None:
    """Documents for a job never recorded are refused with StoreError."""
    with pytest.raises(StoreError, match="not recorded"):
        store.add_documents("ghost", docs("a"), base_url=BASE)
    with pytest.raises(StoreError, match="not recorded"):
        store.replace_documents("ghost", docs("a"), base_url=BASE)


def test_iter_documents_streams_in_pages(store: JobStore, monkeypatch: pytest.MonkeyPatch) -> None:
    """iter_documents reads one page at a time and releases the store between pages."""
    monkeypatch.setattr(_store, "_PAGE", 3)
    record(store)
    store.add_documents("crawl-1", [(f"k{n}", None, {"n": n}) for n in range(10)], base_url=BASE)
    assert [d["n"] for d in store.iter_documents("crawl-1", base_url=BASE)] == list(range(10))
    stream = store.iter_documents("crawl-1", base_url=BASE)
    assert next(stream) == {"n": 0}
    store.forget(
        "crawl-1", base_url=BASE
    )  # the store is usable mid-iteration; later pages find nothing
    assert list(stream) == [{"n": 1}, {"n": 2}]


def test_iter_documents_exactly_once_while_orders_change(store: JobStore) -> None:
    """The order is fixed at the start: documents moved or added meanwhile are not repeated."""
    record(store)
    store.add_documents("crawl-1", [(f"k{n}", n, {"n": n}) for n in range(1200)], base_url=BASE)
    seen = []
    for document in store.iter_documents("crawl-1", base_url=BASE):
        seen.append(document["n"])
        if len(seen) == 1:
            store.replace_documents("crawl-1", [("k1199", -1, {"n": 1199})], base_url=BASE)
            store.add_documents("crawl-1", [("late", None, {"n": -1})], base_url=BASE)
    assert seen == list(range(1200))


def test_export_of_many_documents(store: JobStore) -> None:
    """Ten thousand documents stream out in order, each once."""
    record(store)
    store.add_documents(
        "crawl-1", [(f"url:{n}", n, {"n": n, **PAGE}) for n in range(10_000)], base_url=BASE
    )
    count = 0
    for count, document in enumerate(store.iter_documents("crawl-1", base_url=BASE), start=1):
        assert document["n"] == count - 1
    assert count == 10_000


keys = st.sampled_from(["a", "b", "c", "d", "e", "f"])
items = st.lists(st.tuples(keys, st.none() | st.integers(-2, 2), st.integers()), max_size=6)
operations = st.lists(st.tuples(st.sampled_from(["add", "replace"]), items), max_size=12)


@settings(max_examples=200, deadline=None)
@given(operations)
def test_any_add_replace_sequence_matches_the_model(
    ops: list[tuple[str, list[tuple[str, int | None, int]]]],
) -> None:
    """Any sequence of add/replace keeps each key once, with the last replaced content."""
    model: dict[str, tuple[int, int | None, dict[str, Any]]] = {}  # key: (sequence, order, doc)
    with JobStore(":memory:") as mem:
        record(mem)
        for op, batch in ops:
            rows = [(key, order, {"key": key, "v": v}) for key, order, v in batch]
            new = 0
            for key, order, document in rows:
                if key not in model:
                    model[key] = (len(model), order, document)
                    new += 1
                elif op == "replace":
                    sequence, old_order, _ = model[key]
                    model[key] = (sequence, old_order if order is None else order, document)
            if op == "add":
                assert mem.add_documents("crawl-1", rows, base_url=BASE) == new
            else:
                mem.replace_documents("crawl-1", rows, base_url=BASE)
        ranked = sorted(model.values(), key=lambda e: (e[1] is None, e[1] or 0, e[0]))
        expected = [document for _, _, document in ranked]
        assert mem.documents("crawl-1", base_url=BASE) == expected
        assert list(mem.iter_documents("crawl-1", base_url=BASE)) == expected
        assert mem.document_keys("crawl-1", base_url=BASE) == set(model)


# -- concurrency and crashes -----------------------------------------------------------------


def test_two_stores_and_threads_lose_and_duplicate_nothing(tmp_path: Path) -> None:
    """Two JobStore objects on one file, each shared by two threads, keep every key once."""
    path = tmp_path / "jobs.sqlite3"
    with JobStore(path) as first, JobStore(path) as second:
        record(first)
        start = threading.Barrier(4)
        added: list[int] = []

        def write(store: JobStore, begin: int) -> None:
            start.wait()
            for n in range(begin, begin + 100):
                added.append(
                    store.add_documents("crawl-1", [(f"k{n}", None, {"n": n})], base_url=BASE)
                )

        threads = [
            threading.Thread(target=write, args=(store, begin))
            for store, begin in [(first, 0), (first, 50), (second, 100), (second, 150)]
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert sum(added) == 250
        assert sorted(d["n"] for d in second.documents("crawl-1", base_url=BASE)) == list(
            range(250)
        )


WRITER = """
import sys
from firecrawl_status._store import JobStore
path, first, count = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
with JobStore(path) as store:
    print("ready", flush=True)
    sys.stdin.readline()
    added = 0
    for n in range(first, first + count):
        document = (f"url:{n}", None, {"n": n, "by": first})
        added += store.add_documents("crawl-1", [document], base_url="https://api.firecrawl.dev")
print(added, flush=True)
"""


def test_two_processes_lose_and_duplicate_nothing(tmp_path: Path) -> None:
    """Two processes writing 200 documents each, 100 keys shared, keep 300 documents once."""
    path = tmp_path / "jobs.sqlite3"
    with JobStore(path) as store:
        record(store)
    writers = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, str(path), str(first), "200"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            cwd=REPO,
        )
        for first in (0, 100)
    ]
    for writer in writers:  # both have opened the store before either writes
        assert writer.stdout is not None
        assert writer.stdout.readline() == "ready\n"
    outputs = [writer.communicate("go\n", timeout=120)[0] for writer in writers]
    assert [writer.returncode for writer in writers] == [0, 0]
    assert sum(int(out) for out in outputs) == 300
    with JobStore(path) as store:
        kept = store.documents("crawl-1", base_url=BASE)
    assert sorted(d["n"] for d in kept) == list(range(300))


CRASHER = """
import os, sqlite3, sys
from firecrawl_status._store import JobStore
path = sys.argv[1]
store = JobStore(path)
documents = [("url:a", None, {"n": 1}), ("url:b", None, {"n": 2})]
store.add_documents("crawl-1", documents, base_url="https://api.firecrawl.dev")
raw = sqlite3.connect(path, isolation_level=None)
raw.execute("BEGIN IMMEDIATE")
raw.execute("INSERT INTO documents (job, doc_key, document) VALUES (1, 'url:c', '{}')")
os._exit(1)  # no close, no commit, no atexit: a crash in the middle of a write
"""


def test_crash_keeps_committed_documents(tmp_path: Path) -> None:
    """A process dying mid-write keeps what it committed, drops the rest, and frees the file."""
    path = tmp_path / "jobs.sqlite3"
    with JobStore(path) as store:
        record(store)
    crashed = subprocess.run([sys.executable, "-c", CRASHER, str(path)], cwd=REPO, check=False)
    assert crashed.returncode == 1
    with JobStore(path) as store:
        assert store.documents("crawl-1", base_url=BASE) == [{"n": 1}, {"n": 2}]
        assert store.add_documents("crawl-1", docs("url:b", "url:c"), base_url=BASE) == 1


def test_busy_store_is_a_store_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A write lock held elsewhere past the busy timeout is a StoreError, not sqlite3's."""
    path = tmp_path / "jobs.sqlite3"
    monkeypatch.setattr(_store, "BUSY_TIMEOUT", 0.0)
    with JobStore(path) as store:
        record(store)
        holder = sqlite3.connect(path, isolation_level=None)
        holder.execute("BEGIN IMMEDIATE")
        try:
            with pytest.raises(StoreError, match="locked by another process"):
                store.add_documents("crawl-1", docs("a"), base_url=BASE)
        finally:
            holder.execute("ROLLBACK")
            holder.close()
        assert store.add_documents("crawl-1", docs("a"), base_url=BASE) == 1


# -- opening, refusing, migrating ------------------------------------------------------------


def test_new_store_is_created_with_its_folders(tmp_path: Path) -> None:
    """A missing file and folders are created: private file, WAL, current schema, our id."""
    path = tmp_path / "a" / "b" / "jobs.sqlite3"
    with JobStore(path) as store:
        assert store.path == path
        record(store)
    assert path.stat().st_mode & 0o777 == 0o600
    raw = sqlite3.connect(path)
    try:
        assert raw.execute("PRAGMA journal_mode").fetchone() == ("wal",)
        assert raw.execute("PRAGMA user_version").fetchone() == (SCHEMA,)
        assert raw.execute("PRAGMA application_id").fetchone() == (APPLICATION_ID,)
    finally:
        raw.close()


def test_memory_store_has_no_path() -> None:
    """ ":memory:" gives a working store without a file."""
    with JobStore(":memory:") as mem:
        assert mem.path is None
        record(mem)
        assert mem.job("crawl-1", base_url=BASE) is not None


def test_empty_file_is_migrated_from_v0(tmp_path: Path) -> None:
    """An empty file (schema v0) becomes a current store."""
    path = tmp_path / "jobs.sqlite3"
    path.write_bytes(b"")
    with JobStore(path) as store:
        record(store)
        assert store.job("crawl-1", base_url=BASE) is not None
    raw = sqlite3.connect(path)
    try:
        assert raw.execute("PRAGMA user_version").fetchone() == (SCHEMA,)
    finally:
        raw.close()


@pytest.mark.parametrize("trial", range(25))  # the journal-mode race hit about 1 open in 60
def test_concurrent_first_opens_migrate_once(tmp_path: Path, trial: int) -> None:
    """Several threads opening a new file at once all get a working store."""
    path = tmp_path / "jobs.sqlite3"
    start = threading.Barrier(4)
    failures: list[BaseException] = []

    def open_and_write(n: int) -> None:
        start.wait()
        try:
            with JobStore(path) as store:
                record(store, f"job-{n}")
        except BaseException as exc:  # pragma: no cover - reported below
            failures.append(exc)

    threads = [threading.Thread(target=open_and_write, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    with JobStore(path) as store:
        assert len(store.jobs()) == 4


def test_a_future_migration_step_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Adding a step to _MIGRATIONS upgrades an existing store and keeps its data."""
    path = tmp_path / "jobs.sqlite3"
    with JobStore(path) as store:
        record(store)
        store.add_documents("crawl-1", docs("a"), base_url=BASE)
    v2 = ("ALTER TABLE jobs ADD COLUMN note TEXT", "UPDATE jobs SET note = 'migrated'")
    monkeypatch.setattr(_store, "_MIGRATIONS", (*_store._MIGRATIONS, v2))
    with JobStore(path) as store:
        assert store.documents("crawl-1", base_url=BASE) == [{"key": "a"}]
    raw = sqlite3.connect(path)
    try:
        assert raw.execute("PRAGMA user_version").fetchone() == (SCHEMA + 1,)
        assert raw.execute("SELECT note FROM jobs").fetchall() == [("migrated",)]
    finally:
        raw.close()


def test_a_failed_migration_changes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A migration step that fails rolls back entirely: same version, same tables, usable."""
    path = tmp_path / "jobs.sqlite3"
    with JobStore(path) as store:
        record(store)
    broken = ("ALTER TABLE jobs ADD COLUMN note TEXT", "THIS IS NOT SQL")
    with monkeypatch.context() as patch:
        patch.setattr(_store, "_MIGRATIONS", (*_store._MIGRATIONS, broken))
        with pytest.raises(StoreError, match=str(path)):
            JobStore(path)
    raw = sqlite3.connect(path)
    try:
        assert raw.execute("PRAGMA user_version").fetchone() == (SCHEMA,)
        columns = [row[1] for row in raw.execute("PRAGMA table_info(jobs)")]
        assert "note" not in columns
    finally:
        raw.close()
    with JobStore(path) as store:
        assert store.job("crawl-1", base_url=BASE) is not None


def v1_store(path: Path) -> None:
    """A schema v1 file as firecrawl-status 0.1 wrote it: jobs keyed by id alone."""
    raw = sqlite3.connect(path, isolation_level=None)
    try:
        for statement in _store._MIGRATIONS[0]:
            raw.execute(statement)
        raw.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        raw.execute("PRAGMA user_version = 1")
        job = """INSERT INTO jobs (job_id, kind, base_url, first_seen, last_seen, status,
            progress_current, progress_total, expires_at, error, result, gone, gone_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"""
        seen = _store._timestamp(T0)
        raw.execute(
            job, ("c", "crawl", BASE, seen, seen, "active", 3, 9, seen, None, None, 0, None)
        )
        raw.execute(
            job,
            (
                "e",
                "extract",
                STAGING + "/",
                seen,
                seen,
                "completed",
                None,
                None,
                None,
                "x",
                '{"success":true,"status":"completed","data":[1]}',
                1,
                seen,
            ),
        )
        document = "INSERT INTO documents (seq, job_id, doc_key, sort_key, document) VALUES "
        raw.execute(document + "(7, 'c', 'url:b', NULL, '{\"n\":2}')")
        raw.execute(document + "(3, 'c', 'url:a', NULL, '{\"n\":1}')")
        raw.execute(document + "(9, 'c', 'url:z', 0, '{\"n\":0}')")
    finally:
        raw.close()


def test_a_v1_store_is_migrated_with_its_data(tmp_path: Path) -> None:
    """A v1 store (keyed by id alone) is brought to the current schema keeping every job,
    document, delivery sequence and order; each job stays with the server it was read from."""
    path = tmp_path / "jobs.sqlite3"
    v1_store(path)
    with JobStore(path) as store:
        crawl = store.job("c", base_url=BASE)
        extract = store.job("e", base_url=STAGING)
        assert store.job("c", base_url=STAGING) is None
        assert crawl is not None
        assert extract is not None
        assert (crawl.kind, crawl.status, crawl.current, crawl.total) == ("crawl", "active", 3, 9)
        assert (crawl.documents, crawl.first_seen, crawl.expires_at) == (3, T0, T0)
        assert (extract.gone, extract.error, extract.base_url) == (True, "x", STAGING)
        assert extract.result == {"success": True, "status": "completed", "data": [1]}
        assert store.documents("c", base_url=BASE) == [{"n": 0}, {"n": 1}, {"n": 2}]
        assert store.add_documents("c", docs("url:a", "new"), base_url=BASE) == 1
        assert store.document_index("c", base_url=BASE)[-1] == ("new", None)
    raw = sqlite3.connect(path)
    try:
        assert raw.execute("PRAGMA user_version").fetchone() == (SCHEMA,)
        assert raw.execute("SELECT max(seq) FROM documents").fetchone() == (10,)
    finally:
        raw.close()


def test_a_v1_store_without_its_tables_is_refused_and_untouched(tmp_path: Path) -> None:
    """A file claiming v1 without v1's tables is not migrated: StoreError, nothing written."""
    path = tmp_path / "jobs.sqlite3"
    raw = sqlite3.connect(path, isolation_level=None)
    raw.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    raw.execute("PRAGMA user_version = 1")
    raw.execute("CREATE TABLE jobs (job_id TEXT PRIMARY KEY)")
    raw.close()
    before = path.read_bytes()
    with pytest.raises(StoreError, match=str(path)):
        JobStore(path)
    assert path.read_bytes() == before


def test_newer_schema_refused_and_untouched(tmp_path: Path) -> None:
    """A store from a newer version is refused with an upgrade hint and left byte-identical."""
    path = tmp_path / "jobs.sqlite3"
    with JobStore(path) as store:
        record(store)
    raw = sqlite3.connect(path)
    raw.execute("PRAGMA user_version = 7")
    raw.commit()
    raw.close()
    before = path.read_bytes()
    with pytest.raises(StoreError) as caught:
        JobStore(path)
    assert caught.value.message == (
        f"job store {path} was written by a newer firecrawl-status (schema v7, this version "
        f"knows up to v{SCHEMA}); upgrade or use another --store path"
    )
    assert path.read_bytes() == before


@pytest.mark.parametrize(
    "content",
    [
        b"this is not a database\n" * 50,
        bytes(range(256)) * 16,
        b"SQLite format 3\x00" + b"\xff" * 84,
    ],
    ids=["text", "binary", "bad-header"],
)
def test_garbage_file_refused_and_untouched(tmp_path: Path, content: bytes) -> None:
    """A file that is not SQLite is refused with StoreError naming it, and left byte-identical."""
    path = tmp_path / "jobs.sqlite3"
    path.write_bytes(content)
    with pytest.raises(StoreError, match="not a firecrawl-status job store") as caught:
        JobStore(path)
    assert str(path) in caught.value.message
    assert isinstance(caught.value.__cause__, sqlite3.DatabaseError)
    assert path.read_bytes() == content


def test_corrupt_store_refused_and_untouched(tmp_path: Path) -> None:
    """A store whose pages were overwritten is refused with StoreError, and left as it was."""
    path = tmp_path / "jobs.sqlite3"
    with JobStore(path) as store:
        record(store)
    damaged = bytearray(path.read_bytes())
    damaged[100:4096] = b"\xa5" * 3996  # keep the header, ruin the schema page
    path.write_bytes(bytes(damaged))
    with pytest.raises(StoreError, match="corrupt"):
        JobStore(path)
    assert path.read_bytes() == damaged


def test_another_programs_database_refused_and_untouched(tmp_path: Path) -> None:
    """An SQLite file with someone else's tables is refused and left byte-identical."""
    path = tmp_path / "other.sqlite3"
    raw = sqlite3.connect(path)
    raw.execute("CREATE TABLE notes (text TEXT)")
    raw.commit()
    raw.close()
    before = path.read_bytes()
    with pytest.raises(StoreError, match="but not a firecrawl-status job store"):
        JobStore(path)
    assert path.read_bytes() == before


def test_unusable_locations_are_store_errors(tmp_path: Path) -> None:
    """A path under a file, or a folder where the file should be, is a StoreError."""
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(StoreError, match="cannot create job store"):
        JobStore(blocker / "jobs.sqlite3")
    with pytest.raises(StoreError, match=str(tmp_path)):
        JobStore(tmp_path)


@pytest.mark.skipif(
    sys.platform == "win32" or os.geteuid() == 0, reason="needs POSIX permissions, not root"
)
def test_read_only_folder_is_a_store_error(tmp_path: Path) -> None:
    """A store that cannot be created or opened in a read-only folder is a StoreError."""
    folder = tmp_path / "ro"
    folder.mkdir()
    with JobStore(folder / "existing.sqlite3") as store:
        record(store)
    folder.chmod(0o500)
    try:
        with pytest.raises(StoreError):
            JobStore(folder / "new.sqlite3")
        with pytest.raises(StoreError):
            JobStore(folder / "existing.sqlite3").jobs()
    finally:
        folder.chmod(0o700)


def test_closed_store_refuses_calls(tmp_path: Path) -> None:
    """After close (twice is fine) every call is a StoreError."""
    store = JobStore(tmp_path / "jobs.sqlite3")
    store.close()
    store.close()
    with pytest.raises(StoreError, match="closed"):
        store.jobs()
    with pytest.raises(StoreError, match="closed"):
        record(store)


# -- default location ------------------------------------------------------------------------


def test_default_path_prefers_firecrawl_status_home(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """$FIRECRAWL_STATUS_HOME wins over the cache directory."""
    monkeypatch.setenv("FIRECRAWL_STATUS_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert JobStore.default_path() == tmp_path / "home" / "jobs.sqlite3"


@pytest.mark.skipif(sys.platform in ("win32", "darwin"), reason="XDG applies on Linux")
def test_default_path_uses_xdg_cache_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Without $FIRECRAWL_STATUS_HOME: $XDG_CACHE_HOME, else ~/.cache; a relative XDG is ignored."""
    monkeypatch.delenv("FIRECRAWL_STATUS_HOME", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path / "me"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert JobStore.default_path() == tmp_path / "xdg" / "firecrawl-status" / "jobs.sqlite3"
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/cache")
    expected = tmp_path / "me" / ".cache" / "firecrawl-status" / "jobs.sqlite3"
    assert JobStore.default_path() == expected
    monkeypatch.delenv("XDG_CACHE_HOME")
    assert JobStore.default_path() == expected


def test_cache_home_on_each_platform() -> None:
    """The cache directory is ~/Library/Caches on macOS and %LOCALAPPDATA% on Windows."""
    home = Path("/home/me")
    assert _store._cache_home("darwin", {}, home) == home / "Library" / "Caches"
    assert _store._cache_home("win32", {"LOCALAPPDATA": "/local"}, home) == Path("/local")
    assert _store._cache_home("win32", {}, home) == home / "AppData" / "Local"
    assert _store._cache_home("linux", {"XDG_CACHE_HOME": "/x"}, home) == Path("/x")
    assert _store._cache_home("linux", {}, home) == home / ".cache"


def test_forget_says_whether_the_store_held_the_job(store: JobStore) -> None:
    """forget answers True for a job it deleted, False for one the store did not hold."""
    record(store, "a")
    store.add_documents("a", docs("1"), base_url=BASE)
    assert store.forget("a", base_url=BASE) is True
    assert store.forget("a", base_url=BASE) is False
    assert store.forget("never-seen", base_url=BASE) is False


def test_prune_drops_jobs_last_seen_before_the_cutoff(store: JobStore) -> None:
    """prune deletes the jobs (and their documents) last seen before now - older_than, keeps a
    job seen exactly at the cutoff and later ones, and counts what it deleted."""
    record(store, "old", seen_at=T0)
    record(store, "edge", seen_at=T0 + dt.timedelta(days=1))
    record(store, "new", seen_at=T0 + dt.timedelta(days=3))
    store.add_documents("old", docs("1", "2"), base_url=BASE)
    store.add_documents("new", docs("1"), base_url=BASE)
    now = T0 + dt.timedelta(days=8)
    assert store.prune(dt.timedelta(days=7), now=now) == 1
    assert {job.job_id for job in store.jobs()} == {"edge", "new"}
    assert store.documents("old", base_url=BASE) == []
    assert store.documents("new", base_url=BASE) == [{"key": "1"}]
    assert store.prune(dt.timedelta(days=7), now=now) == 0
    assert store.prune(dt.timedelta(days=365 * 3000), now=now) == 0  # before year 1: none
    assert store.prune(dt.timedelta(seconds=1)) == 2  # the system clock is long past T0
    with pytest.raises(ValueError, match="positive"):
        store.prune(dt.timedelta(0))
    with pytest.raises(ValueError, match="timezone-aware"):
        store.prune(dt.timedelta(days=1), now=dt.datetime(2025, 8, 1))
