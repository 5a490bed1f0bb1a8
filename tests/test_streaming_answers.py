"""A v0 crawl answer read as it arrives (issue 16): documents are taken one at a time while
the body streams in, so nothing depends on how the body is cut into chunks, a body that breaks
off keeps what came before, and a document already delivered is not checked again.

Most tests answer through `httpx.MockTransport` with the body cut into given chunks (sync and
async clients alike); the real socket path (a worker thread reading, the caller taking pieces
from a bounded queue until the deadline) runs against a loopback server.
"""

from __future__ import annotations

import asyncio
import gc
import itertools
import json
import threading
import time
import tracemalloc
import zlib
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from firecrawl_status import (
    AsyncStatusClient,
    CrawlResult,
    JobFailedError,
    JobStore,
    PollPolicy,
    PollTimeoutError,
    ProtocolError,
    RetryPolicy,
    StatusClient,
    _scan,
)
from firecrawl_status._generated import models
from firecrawl_status.testing import FakeClock
from tests.loopback import http_head, run_both_mocked, serving

BASE = "http://firecrawl.test"
JOB = "job-16"
KEY = "fc-STREAMED-SECRET-5c1e"


class Chunks(httpx.SyncByteStream, httpx.AsyncByteStream):
    """A response body arriving in exactly these chunks (as from a socket)."""

    def __init__(self, chunks: list[bytes]) -> None:
        self._chunks = chunks

    def __iter__(self) -> Iterator[bytes]:
        yield from self._chunks

    async def __aiter__(self) -> AsyncIterator[bytes]:
        for chunk in self._chunks:
            yield chunk


def page(n: int, version: int = 0, pad: int = 40) -> dict[str, Any]:
    return {
        "markdown": f"page {n} version {version} " + "x" * pad,
        "metadata": {"sourceURL": f"https://site.test/{n}", "title": f"Page {n}"},
    }


def answer(
    status: str,
    partial: list[Any] | None,
    data: list[Any] | None,
    *,
    status_first: bool = True,
    total: int | None = None,
) -> bytes:
    """A v0 crawl status body; the status before or after the lists."""
    lists: dict[str, Any] = {"data": data}
    if partial is not None:
        lists["partial_data"] = partial
    counts = {"current": len(partial or data or []), "total": total or len(partial or data or [])}
    head = {"status": status, **counts}
    body = {**head, **lists} if status_first else {**lists, **head}
    return json.dumps(body).encode()


def cut(body: bytes, sizes: list[int]) -> list[bytes]:
    """``body`` in chunks of the given sizes, cycled."""
    chunks, start, turn = [], 0, 0
    while start < len(body):
        size = sizes[turn % len(sizes)]
        chunks.append(body[start : start + size])
        start += size
        turn += 1
    return chunks


def scripted(bodies: list[bytes], sizes: list[int]) -> Callable[[], Any]:
    """A handler factory: the bodies in turn (the last repeated), each cut into ``sizes``."""

    def make() -> Callable[[httpx.Request], httpx.Response]:
        sent = [0]

        def handler(request: httpx.Request) -> httpx.Response:
            body = bodies[min(sent[0], len(bodies) - 1)]
            sent[0] += 1
            headers = {"content-type": "application/json"}
            return httpx.Response(200, headers=headers, stream=Chunks(cut(body, sizes)))

        return handler

    return make


def url(document: dict[str, Any]) -> str:
    return str(document["metadata"]["sourceURL"])


@st.composite
def crawls(draw: st.DrawFn) -> tuple[list[bytes], dict[str, dict[str, Any]]]:
    """A growing-list crawl: polls showing more and more finished pages (a new one may sort
    before pages already seen), then the completed answer, whose ``data`` updates some pages.
    Returns the bodies and every page's final content by URL."""
    count = draw(st.integers(1, 25))
    enqueued = draw(st.permutations(list(range(1, count + 1))))
    finished = draw(st.lists(st.integers(0, count), min_size=1, max_size=5).map(sorted))
    status_first = draw(st.booleans())
    bodies = []
    for done in finished:
        shown = sorted(enqueued[:done])  # sorted by enqueue time, not by finish
        bodies.append(answer("active", [page(n) for n in shown], None, status_first=status_first))
    updated = draw(st.sets(st.integers(1, count)))
    final = [page(n, version=1 if n in updated else 0) for n in range(1, count + 1)]
    bodies.append(answer("completed", [], final, status_first=status_first))
    return bodies, {url(document): document for document in final}


chunkings = st.lists(st.integers(1, 300), min_size=1, max_size=6)
FAST = PollPolicy(min_interval=0.1, initial_interval=0.1)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(crawl=crawls(), sizes=chunkings)
def test_any_chunking_delivers_every_page_exactly_once_as_one_chunk_does(
    crawl: tuple[list[bytes], dict[str, dict[str, Any]]], sizes: list[int]
) -> None:
    bodies, final = crawl
    whole = run_both_mocked(scripted(bodies, [1 << 30]), lambda c: c.iter_crawl(JOB, poll=FAST))
    chunked = run_both_mocked(scripted(bodies, sizes), lambda c: c.iter_crawl(JOB, poll=FAST))
    for (flavour, streamed, _), (_, reference, _) in zip(chunked, whole, strict=True):
        assert not isinstance(streamed, Exception), (flavour, streamed)
        urls = [url(document) for document in streamed]
        assert sorted(urls) == sorted(final), flavour  # each page once, none lost
        assert streamed == reference, flavour  # the same documents in the same order
    waited = run_both_mocked(scripted(bodies, sizes), lambda c: c.wait_for_crawl(JOB, poll=FAST))
    for flavour, result, _ in waited:
        assert isinstance(result, CrawlResult), (flavour, result)
        # The final data is authoritative for content; every page once.
        assert sorted(map(url, result.documents)) == sorted(final)
        assert all(document == final[url(document)] for document in result.documents)
        assert not result.used_partial_fallback


def test_a_body_that_breaks_off_keeps_what_came_and_the_next_poll_delivers_the_rest(
    tmp_path: Path,
) -> None:
    """Cut after three documents: those three are handed over and stored, the error is a
    typed ProtocolError, and a later read delivers only the rest."""
    full = answer("active", [page(n) for n in range(1, 6)], None, status_first=False)
    broken = full[: full.index(b'"https://site.test/4"')]
    done = answer("completed", [], [page(n) for n in range(1, 6)])
    received: list[str] = []
    with JobStore(tmp_path / "jobs.db") as store:
        http = httpx.Client(transport=httpx.MockTransport(scripted([broken], [7])()))
        with StatusClient(
            base_url=BASE, http_client=http, clock=FakeClock(), store=store, max_retries=0
        ) as c:
            stream = c.iter_crawl(JOB, poll=FAST)
            with pytest.raises(ProtocolError, match="not JSON"):
                received.extend(url(document) for document in stream)
        assert received == [f"https://site.test/{n}" for n in (1, 2, 3)]
        # Recorded before its first document was stored, though the status came last.
        assert store.job(JOB, base_url=BASE) is not None
        assert sorted(map(url, store.documents(JOB, base_url=BASE))) == received
        http = httpx.Client(transport=httpx.MockTransport(scripted([full, done], [11])()))
        with StatusClient(base_url=BASE, http_client=http, clock=FakeClock(), store=store) as c:
            rest = [url(document) for document in c.iter_crawl(JOB, poll=FAST)]
    assert rest == [f"https://site.test/{n}" for n in (4, 5)]


def test_a_wait_whose_answer_breaks_off_keeps_the_documents_taken() -> None:
    body = answer("active", [page(n) for n in range(1, 6)], None)
    broken = body[: body.index(b'"https://site.test/3"')]
    results = run_both_mocked(
        scripted([broken], [5]), lambda c: c.wait_for_crawl(JOB), retry=RetryPolicy(max_retries=0)
    )
    for flavour, error, _ in results:
        assert isinstance(error, ProtocolError), (flavour, error)
        assert [url(document) for document in error.documents] == [
            "https://site.test/1",
            "https://site.test/2",
        ]


def test_a_document_that_does_not_fit_ends_the_answer_after_those_before_it() -> None:
    body = answer("active", [page(1), page(2), 42, page(4)], None)
    done = answer("completed", [], [page(n) for n in (1, 2, 4)])
    results = run_both_mocked(scripted([body, done], [9]), lambda c: c.iter_crawl(JOB, poll=FAST))
    for flavour, streamed, _ in results:
        # The bad answer is retried; the pages before the bad one are not delivered again.
        assert [url(document) for document in streamed] == [
            "https://site.test/1",
            "https://site.test/2",
            "https://site.test/4",
        ], flavour
    failed = run_both_mocked(
        scripted([body], [9]), lambda c: c.iter_crawl(JOB), retry=RetryPolicy(max_retries=0)
    )
    for flavour, error, _ in failed:
        assert isinstance(error, ProtocolError), (flavour, error)
        assert "partial_data[2] does not fit CrawlDocument" in str(error)


@pytest.mark.parametrize("split", range(len(KEY) + 2))
def test_an_echoed_key_split_across_chunks_is_redacted(split: int, tmp_path: Path) -> None:
    echoed = {**page(1), "markdown": f"the server echoed Bearer {KEY} here"}
    body = answer("completed", [], [echoed, page(2)])
    at = body.index(KEY.encode()) + split - 1
    chunks = [body[:at], body[at:]]

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, stream=Chunks(chunks))

    with JobStore(tmp_path / "jobs.db") as store:
        http = httpx.Client(transport=httpx.MockTransport(handler))
        with StatusClient(
            KEY, base_url=BASE, http_client=http, clock=FakeClock(), store=store
        ) as c:
            documents = list(c.iter_crawl(JOB))
        kept = store.documents(JOB, base_url=BASE)
    shown = json.dumps(documents) + json.dumps(kept)
    assert KEY not in shown
    assert documents[0]["markdown"] == "the server echoed Bearer [redacted] here"
    assert len(kept) == 2


def count_checks(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """A one-item list counting the documents checked through the generated model."""
    calls = [0]
    original = models.CrawlDocument.from_dict.__func__  # type: ignore[attr-defined]

    def counted(cls: type[models.CrawlDocument], src_dict: Any) -> models.CrawlDocument:
        calls[0] += 1
        return original(cls, src_dict)  # type: ignore[no-any-return]

    monkeypatch.setattr(models.CrawlDocument, "from_dict", classmethod(counted))
    return calls


def test_documents_already_delivered_are_not_checked_again(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A growing list re-sends every page on every poll: only new or changed pages go
    through the generated model."""
    calls = count_checks(monkeypatch)
    bodies = [answer("active", [page(n) for n in range(1, 10 * k + 1)], None) for k in (1, 2, 3)]
    # The final data: 30 pages, 5 of them with new content.
    final = [page(n, version=1 if n <= 5 else 0) for n in range(1, 31)]
    bodies.append(answer("completed", [], final))
    results = run_both_mocked(scripted(bodies, [4096]), lambda c: c.wait_for_crawl(JOB, poll=FAST))
    for flavour, result, _ in results:
        assert isinstance(result, CrawlResult), (flavour, result)
        assert result.traffic.requests == 4
        assert len(result.documents) == 30
    # Per client: 30 new pages, then the 5 updated ones; none of the 10 + 20 + 25 re-sent.
    assert calls[0] == 2 * (30 + 5)


@pytest.mark.parametrize("status_first", [True, False])
def test_a_completed_answer_read_first_is_not_fingerprinted(
    status_first: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A completed answer is the last one: when nothing it holds would be compared with what
    was delivered (nothing was, or a stream that neither keeps nor stores updates), its
    elements are not hashed once its status is known. A wait that delivered documents
    hashes them: a final page that repeats one is no update."""
    fingerprinted: list[bool] = []
    original = _scan.BodyScanner.feed

    def recording(self: _scan.BodyScanner, data: bytes) -> list[_scan.Event]:
        events = original(self, data)
        fingerprinted.extend(
            event.fingerprint is not None for event in events if isinstance(event, _scan.Element)
        )
        return events

    monkeypatch.setattr(_scan.BodyScanner, "feed", recording)
    pages = [page(n, pad=400) for n in range(1, 41)]
    body = answer("completed", [], pages, status_first=status_first)
    for flavour, result, _ in run_both_mocked(
        scripted([body], [2048]), lambda c: c.wait_for_crawl(JOB, poll=FAST)
    ):
        assert isinstance(result, CrawlResult), (flavour, result)
        assert [url(document) for document in result.documents] == [url(p) for p in pages]
    if status_first:
        # The status comes first, but with the elements of the same piece of the body.
        assert fingerprinted.count(True) < 10 < fingerprinted.count(False)
    else:
        assert all(fingerprinted)  # the status after the lists is known too late
    fingerprinted.clear()
    growing = [answer("active", pages[:20], None), answer("completed", [], pages)]
    for flavour, result, _ in run_both_mocked(
        scripted(growing, [2048]), lambda c: c.wait_for_crawl(JOB, poll=FAST)
    ):
        assert isinstance(result, CrawlResult), (flavour, result)
        assert len(result.documents) == 40
    assert all(fingerprinted)
    fingerprinted.clear()
    for flavour, streamed, _ in run_both_mocked(
        scripted(growing, [2048]), lambda c: c.iter_crawl(JOB, poll=FAST)
    ):
        assert [url(document) for document in streamed] == [url(p) for p in pages], flavour
    # Per client: the first answer's 20 pages hashed, most of the completed one's 40 not.
    assert fingerprinted.count(True) >= 2 * 20
    assert fingerprinted.count(False) > 2 * 30


@pytest.mark.parametrize("stored", [False, True])
def test_a_stream_checks_updates_only_when_a_store_records_them(
    stored: bool, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """A stream keeps no documents: the final data's changed pages only go to a store, so
    without one they are neither checked nor merged; a new page in it still is."""
    calls = count_checks(monkeypatch)
    final = [page(n, version=1) for n in range(1, 11)] + [page(11)]
    bodies = [
        answer("active", [page(n) for n in range(1, 11)], None),
        answer("completed", [], final),
    ]
    with JobStore(tmp_path / "jobs.db") as store:
        http = httpx.Client(transport=httpx.MockTransport(scripted(bodies, [512])()))
        with StatusClient(
            base_url=BASE, http_client=http, clock=FakeClock(), store=store if stored else None
        ) as c:
            streamed = list(c.iter_crawl(JOB, poll=FAST))
        kept = store.documents(JOB, base_url=BASE)
    assert [url(document) for document in streamed] == [
        f"https://site.test/{n}" for n in range(1, 12)
    ]
    assert calls[0] == 11 + (10 if stored else 0)
    assert len(kept) == (11 if stored else 0)
    if stored:
        assert all("version 1" in document["markdown"] for document in kept[:10])


def test_streaming_a_large_answer_holds_a_small_part_of_it() -> None:
    """The peak of traced memory while streaming one 20,000-document answer stays a small
    fraction of its body (the body itself lives in the test, outside the measure): above what
    exactly-once keeps per document (its identity and fingerprint), one piece of the body."""
    documents = [page(n, pad=600) for n in range(20_000)]
    body = answer("completed", [], documents)
    del documents
    chunks = cut(body, [65536])

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, stream=Chunks(chunks))

    http = httpx.Client(transport=httpx.MockTransport(handler))
    with StatusClient(base_url=BASE, http_client=http, clock=FakeClock()) as client:
        gc.collect()
        tracemalloc.start()
        try:
            stream = client.iter_crawl(JOB)
            count = sum(1 for _ in stream)
            kept, peak = tracemalloc.get_traced_memory()  # the stream's bookkeeping is alive
        finally:
            tracemalloc.stop()
    assert count == 20_000
    assert peak < 0.5 * len(body), (peak, len(body))
    assert peak - kept < 0.1 * len(body), (peak, kept, len(body))


def _serve_script(bodies: list[bytes], piece: int) -> Any:
    """Loopback: each connection gets the next body (the last repeated), in small writes."""
    sent = [0]

    def respond(_head: bytes, send: Callable[[bytes], bool]) -> None:
        body = bodies[min(sent[0], len(bodies) - 1)]
        sent[0] += 1
        if not send(http_head(200, {"Content-Type": "application/json"}, len(body))):
            return
        for start in range(0, len(body), piece):
            if not send(body[start : start + piece]):
                return

    return respond


def test_over_a_real_socket_every_page_arrives_once() -> None:
    """The worker-thread path (a deadline is set): pieces cross a bounded queue."""
    bodies = [answer("active", [page(n) for n in range(1, 40 * k + 1)], None) for k in (1, 2)]
    bodies.append(answer("completed", [], [page(n, version=1) for n in range(1, 101)]))
    with (
        serving(_serve_script(bodies, 1000)) as server,
        StatusClient(base_url=server.url, clock=FakeClock()) as client,
    ):
        stream = client.iter_crawl(JOB, poll=FAST, timeout=120)
        urls = [url(document) for document in stream]
    assert sorted(urls) == sorted(f"https://site.test/{n}" for n in range(1, 101))
    assert len(set(urls)) == len(urls)


def _workers() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name == "firecrawl-status request"]


def _endless(hung_up: threading.Event) -> Any:
    """Loopback: a running crawl's answer whose ``partial_data`` never ends (until the client
    hangs up, which sets ``hung_up``)."""
    head = http_head(200, {"Content-Type": "application/json"}, None)

    def respond(_head: bytes, send: Callable[[bytes], bool]) -> None:
        if not send(head + b'{"status": "active", "partial_data": ['):
            return
        for n in range(1, 100_000):
            if not send(json.dumps(page(n)).encode() + b","):
                hung_up.set()
                return
            time.sleep(0.002)

    return respond


def test_breaking_out_mid_body_stops_the_reading_thread() -> None:
    """A caller that stops after the first document of an endless body leaves no thread
    reading it, and the client hangs up."""
    hung_up = threading.Event()
    before = len(_workers())
    with (
        serving(_endless(hung_up)) as server,
        StatusClient(base_url=server.url, clock=FakeClock()) as client,
    ):
        stream = client.iter_crawl(JOB, timeout=60)
        first = next(stream)
        stream.close()
        assert hung_up.wait(5)
        started = time.monotonic()
        while len(_workers()) > before and time.monotonic() - started < 5:
            time.sleep(0.01)
    assert url(first) == "https://site.test/1"
    assert len(_workers()) == before


def test_an_async_stream_closed_mid_body_closes_the_connection() -> None:
    """aclose() after the first document of an endless body: the client hangs up."""
    hung_up = threading.Event()

    async def main(url: str) -> dict[str, Any]:
        async with AsyncStatusClient(base_url=url, clock=FakeClock()) as client:
            stream = client.iter_crawl(JOB, timeout=60)
            first = await anext(stream)
            await stream.aclose()
            return first

    with serving(_endless(hung_up)) as server:
        first = asyncio.run(main(server.url))
        assert hung_up.wait(5)
    assert url(first) == "https://site.test/1"


def test_a_body_that_is_no_object_or_misses_the_status_is_a_protocol_error() -> None:
    for body, message in (
        (b"[1, 2]", "expected a JSON object"),
        (json.dumps({"partial_data": [page(1)]}).encode(), "does not fit CrawlStatusResponse"),
    ):
        results = run_both_mocked(
            scripted([body], [3]), lambda c: c.iter_crawl(JOB), retry=RetryPolicy(max_retries=0)
        )
        for flavour, error, _ in results:
            assert isinstance(error, ProtocolError), (flavour, error)
            assert message in str(error), (flavour, error)


def test_a_wait_on_a_new_job_records_it_before_storing_what_it_took(tmp_path: Path) -> None:
    """A wait stores an answer's documents in one batch when the answer ends, after a first
    record of the job, even when that answer breaks off."""
    body = answer("active", [page(n) for n in range(1, 5)], None, status_first=False)
    broken = body[: body.index(b'"https://site.test/3"')]
    with JobStore(tmp_path / "jobs.db") as store:
        http = httpx.Client(transport=httpx.MockTransport(scripted([broken], [64])()))
        with (
            StatusClient(
                base_url=BASE, http_client=http, clock=FakeClock(), store=store, max_retries=0
            ) as client,
            pytest.raises(ProtocolError) as caught,
        ):
            client.wait_for_crawl(JOB)
        kept = sorted(map(url, store.documents(JOB, base_url=BASE)))
        record = store.job(JOB, base_url=BASE)
    assert (
        sorted(map(url, caught.value.documents))
        == kept
        == [
            "https://site.test/1",
            "https://site.test/2",
        ]
    )
    assert record is not None


def test_a_stream_stores_the_final_content_of_every_page(tmp_path: Path) -> None:
    """Updates from the final data reach the store in batches, the last one at the end."""
    pages = 100  # three full batches of updates and a part
    bodies = [
        answer("active", [page(n) for n in range(1, pages + 1)], None),
        answer("completed", [], [page(n, version=1) for n in range(1, pages + 1)]),
    ]
    with JobStore(tmp_path / "jobs.db") as store:
        http = httpx.Client(transport=httpx.MockTransport(scripted(bodies, [4096])()))
        with StatusClient(base_url=BASE, http_client=http, clock=FakeClock(), store=store) as c:
            streamed = list(c.iter_crawl(JOB, poll=FAST))
        kept = store.documents(JOB, base_url=BASE)
    assert [document["markdown"][:16] for document in streamed] == [
        f"page {n} version 0"[:16] for n in range(1, pages + 1)
    ]
    assert sorted(document["markdown"] for document in kept) == sorted(
        page(n, version=1)["markdown"] for n in range(1, pages + 1)
    )


# -- found in review of the streamed path ------------------------------------------------------


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(st.tuples(st.integers(1, 4), st.integers(0, 2)), min_size=1, max_size=12),
    st.lists(st.integers(1, 4), max_size=4),
    st.sampled_from([16, 256, 65536]),
)
def test_the_last_copy_of_a_page_in_the_final_data_wins_wherever_the_status_is(
    copies: list[tuple[int, int]], shown: list[int], size: int
) -> None:
    """A page given several times in the final data, its text changing and going back: the
    result holds its last copy, whether the status comes before the lists (the answer read
    without fingerprints when nothing was delivered) or after them (read with), and whether
    earlier polls delivered some pages."""
    final = [page(n, version=v) for n, v in copies]
    expected = {url(document): document for document in final}
    earlier = [answer("active", [page(n) for n in shown], None)] if shown else []
    for status_first in (True, False):
        bodies = [*earlier, answer("completed", [], final, status_first=status_first)]
        for flavour, result, _ in run_both_mocked(
            scripted(bodies, [size]), lambda c: c.wait_for_crawl(JOB, poll=FAST)
        ):
            assert isinstance(result, CrawlResult), (flavour, result)
            held = {url(document): document for document in result.documents}
            assert {key: held[key] for key in expected} == expected, (status_first, flavour)


def test_a_first_record_keeps_the_status_sent_before_the_first_document(tmp_path: Path) -> None:
    """The record a wait writes before storing an answer's first documents says what the
    server had said by then, not a status the body sends after them: the answer may fail."""
    body = b'{"partial_data":[%s],"status":"completed","current":1,"total":1,"data":[%s,42]}' % (
        json.dumps(page(1)).encode(),
        json.dumps(page(1, version=1)).encode(),
    )
    with JobStore(tmp_path / "jobs.db") as store:
        http = httpx.Client(transport=httpx.MockTransport(scripted([body], [len(body)])()))
        with (
            StatusClient(
                base_url=BASE, http_client=http, clock=FakeClock(), store=store, max_retries=0
            ) as client,
            pytest.raises(ProtocolError, match=r"data\[1\] does not fit"),
        ):
            client.wait_for_crawl(JOB)
        record = store.job(JOB, base_url=BASE)
    assert record is not None
    assert record.status == "active"


def test_a_document_too_deep_to_identify_is_a_protocol_error() -> None:
    """Without a URL or index a document is known by its content, which json.dumps cannot
    write when the decoder nested it near its limit (where exactly depends on the stack):
    at every depth the wait ends with a result or a ProtocolError, never a RecursionError."""
    seen: set[str] = set()
    for depth in range(940, 1000, 3):
        nested = "[" * depth + "]" * depth
        body = (
            '{"status":"completed","current":1,"total":1,"data":[{"markdown":"m",'
            f'"metadata":{{"title":"t"}},"deep":{nested}}}]}}'
        ).encode()
        for flavour, outcome, _ in run_both_mocked(
            scripted([body], [4096]),
            lambda c: c.wait_for_crawl(JOB),
            retry=RetryPolicy(max_retries=0),
        ):
            assert isinstance(outcome, CrawlResult | ProtocolError), (depth, flavour, outcome)
            seen.add(type(outcome).__name__)
    assert seen == {"CrawlResult", "ProtocolError"}


def test_a_repeated_document_list_key_is_a_protocol_error() -> None:
    """json.loads keeps a repeated key's last copy, but the first copy's documents were already
    handed over: the answer cannot be read as one value, so it is a problem, not a merge."""
    first, second = json.dumps([page(1), page(2)]), json.dumps([page(3)])
    for name in ("partial_data", "data"):
        body = f'{{"status":"completed","current":3,"total":3,"{name}":{first},"{name}":{second}}}'
        results = run_both_mocked(
            scripted([body.encode()], [64]),
            lambda c: c.wait_for_crawl(JOB),
            retry=RetryPolicy(max_retries=0),
        )
        for flavour, error, _ in results:
            assert isinstance(error, ProtocolError), (name, flavour, error)
            assert f"gives the key '{name}' twice" in str(error)


def test_final_data_of_an_answer_already_known_not_completed_is_not_taken() -> None:
    """As on the whole-answer path, ``data`` is the final list only once completed."""
    body = b'{"status":"failed","current":1,"total":2,"partial_data":[%s],"data":[%s]}' % (
        json.dumps(page(1)).encode(),
        json.dumps(page(9)).encode(),
    )
    for flavour, error, _ in run_both_mocked(
        scripted([body], [32]), lambda c: c.wait_for_crawl(JOB)
    ):
        assert isinstance(error, JobFailedError), (flavour, error)
        assert [url(document) for document in error.documents] == ["https://site.test/1"]


def test_a_resumed_stream_does_not_decode_known_pages_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """After a resume the store knows the pages but not their text: the first answer decodes
    them once, the next answers recognise them from their text (work proportional to what
    is new)."""

    decoded: dict[int, int] = {}  # elements decoded, per scanner (one per answer), in order
    original = _scan.BodyScanner.feed

    def counting(self: _scan.BodyScanner, data: bytes) -> list[Any]:
        events = original(self, data)
        count = sum(type(event) is _scan.Element for event in events)
        decoded[id(self)] = decoded.get(id(self), 0) + count
        return events

    def bodies(counts: list[int]) -> list[bytes]:
        return [answer("active", [page(n, pad=400) for n in range(k)], None) for k in counts]

    def client(store: JobStore, handler: Callable[[httpx.Request], httpx.Response]) -> Any:
        http = httpx.Client(transport=httpx.MockTransport(handler))
        return StatusClient(base_url=BASE, clock=FakeClock(), store=store, http_client=http)

    with JobStore(tmp_path / "jobs.db") as store:
        with client(store, scripted(bodies([50]), [4096])()) as first:
            assert len(list(itertools.islice(first.iter_crawl(JOB, poll=FAST), 50))) == 50
        monkeypatch.setattr(_scan.BodyScanner, "feed", counting)
        with client(store, scripted(bodies([50, 55, 60, 65]), [4096])()) as resumed:
            stream = resumed.iter_crawl(JOB, poll=FAST)
            assert len(list(itertools.islice(stream, 15))) == 15
    per_answer = list(decoded.values())
    assert per_answer[0] == 50  # the first answer after the resume decodes what it shows
    assert len(per_answer) >= 3
    assert all(count <= 5 for count in per_answer[1:]), per_answer


def test_tiny_repeated_elements_leave_no_hints_behind() -> None:
    """A body of a million tiny repeated elements must not leave 16 bytes of hint each for the
    next answer's scanner: decoding a tiny element again is cheaper than remembering it."""
    from firecrawl_status._api import Seen

    body = (
        b'{"status":"active","current":1,"total":1,"data":null,"partial_data":[{}'
        + (b",{}" * 200_000)
        + b"]}"
    )
    seen: list[Any] = []
    original = Seen.__init__

    def keep(self: Seen, *args: Any, **kwargs: Any) -> None:
        original(self, *args, **kwargs)
        seen.append(self)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(Seen, "__init__", keep)
        for flavour, error, _ in run_both_mocked(
            scripted([body], [65536]),
            lambda c: c.wait_for_crawl(JOB, timeout=5.0),
            retry=RetryPolicy(max_retries=0),
            poll=PollPolicy(min_interval=10, initial_interval=10),
        ):
            assert isinstance(error, PollTimeoutError), (flavour, error)
    assert seen
    for state in seen:
        hints = sum(len(values) for values in (state.previous or {}).values())
        assert hints < 1000, hints


def test_a_deadline_holds_while_the_caller_is_busy_with_pieces_already_read() -> None:
    """Pieces can wait in the hand-over while the caller checks earlier ones (a large body
    that inflates from a small one): the deadline is checked for each piece, not only when
    the caller has to wait for one."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, 31)
    parts = [compressor.compress(b'{"status":"active","current":1,"total":1,"partial_data":[{}')]
    parts += [compressor.compress(b",{}" * 100_000) for _ in range(60)]
    parts += [compressor.compress(b"]}"), compressor.flush()]
    body = b"".join(parts)

    def make() -> Callable[[httpx.Request], httpx.Response]:
        def handler(request: httpx.Request) -> httpx.Response:
            chunks = cut(body, [16384])
            return httpx.Response(200, headers={"content-encoding": "gzip"}, stream=Chunks(chunks))

        return handler

    started = time.monotonic()
    results = run_both_mocked(make, lambda c: c.wait_for_crawl(JOB, timeout=0.3))
    for flavour, error, _ in results:
        assert isinstance(error, PollTimeoutError), (flavour, error)
    # Each call stops within its 0.3 s plus one piece's work; reading it all takes tens of
    # seconds. The bound leaves room for a loaded machine (2 s failed once under load).
    assert time.monotonic() - started < 6.0


def test_an_async_stream_cancelled_mid_answer_stores_what_it_handed_over(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A cancel while the next piece of an answer is awaited (Ctrl-C under asyncio.run, a
    task cancelled) ends the stream only once the documents it handed over are stored, so a
    resume does not deliver them again."""
    from firecrawl_status import _run

    body = answer("active", [page(n) for n in range(5)], None, total=9)
    head = body[: body.index(b'"https://site.test/3"')]

    class Stall(httpx.AsyncByteStream):
        async def __aiter__(self) -> AsyncIterator[bytes]:
            yield head
            await asyncio.Event().wait()

    stored = _run.Run.store_delivered

    def slow(self: Any, items: Any) -> None:
        time.sleep(0.05)  # a slow disk: the writes are still running at the cancel
        stored(self, items)

    monkeypatch.setattr(_run.Run, "store_delivered", slow)
    got: list[str] = []

    async def main() -> None:
        http = httpx.AsyncClient(
            transport=httpx.MockTransport(lambda _: httpx.Response(200, stream=Stall()))
        )
        store = JobStore(tmp_path / "jobs.db")
        client = AsyncStatusClient(base_url=BASE, http_client=http, clock=FakeClock(), store=store)

        async def consume() -> None:
            async for document in client.iter_crawl(JOB):
                got.append(url(document))

        task = asyncio.create_task(consume())
        while len(got) < 3:
            await asyncio.sleep(0.001)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        store.close()

    asyncio.run(main())
    with JobStore(tmp_path / "jobs.db") as store:
        kept = [url(document) for document in store.documents(JOB, base_url=BASE)]
    assert got == [f"https://site.test/{n}" for n in range(3)]
    assert kept == got
