"""The one module that imports ``generated``: requests built and answers parsed by generated code.

Requests come from the generated endpoint modules' ``_get_kwargs`` (path quoting, the
``If-None-Match`` header) and go out on the generated client's httpx client. Each answer is
decoded here once, into the core's plain `Answer`: JSON by `json.loads`, checked against the
spec by the generated models' ``from_dict``, and, for a 200 that fits, the snapshot with its
document lists picked out of the body (``partial_data`` and the final ``data``). The decoded
dicts are what the facade passes on, so crawl documents reach the caller exactly as the server
sent them. A crawl answer is checked document by document and its model tree dropped at once:
a 10,000-page answer would otherwise sit in memory twice (dicts and models) on every poll.
`CrawlSnapshot.model` builds the whole model on demand.

A v0 crawl waited on or streamed is not decoded whole (`Transport.stream`): its 200 is scanned
as it arrives (`_scan.BodyScanner`), each document of ``partial_data``/``data`` is offered to
the core, checked by the generated model only when the core says it is new or changed, and
handed over before the next is read; the envelope is checked at the end, with its lists empty,
as here. A 10,000-page answer re-sent on every poll then costs a scan, not a decode and a
check of every page again, and memory holds one piece of the body, not the body and its tree.

We call ``_get_kwargs`` rather than ``sync_detailed`` because the facade needs the
`httpx.Response` itself and must tell "no answer" apart from "an answer that does not fit
the spec", which ``sync_detailed`` folds into one exception. A rename in a future generator
version breaks this file only.
"""

from __future__ import annotations

import array
import asyncio
import contextlib
import datetime as dt
import importlib.metadata
import json
import queue
import socket
import ssl
import threading
import time
from collections.abc import AsyncGenerator, Callable, Generator, Iterator, Sequence
from typing import Any, Final, cast, overload

import attrs
import httpx

from ._body import (
    ACCEPTED_ENCODINGS,
    PIECE,
    BodyLimits,
    BodyReader,
    Redactor,
    TooLarge,
    Undecodable,
)
from ._clock import server_time
from ._core import Answer, NoAnswer, Route, Taken, Tally
from ._documents import CrawlDocument
from ._generated import Client
from ._generated.api.crawl import get_crawl_status
from ._generated.api.extract import get_extract_status
from ._generated.api.jobs import (
    get_batch_scrape_errors_v1,
    get_batch_scrape_errors_v2,
    get_batch_scrape_status_v1,
    get_batch_scrape_status_v2,
    get_crawl_errors_v1,
    get_crawl_errors_v2,
    get_crawl_status_v1,
    get_crawl_status_v2,
)
from ._generated.models import CrawlDocument as CrawlDocumentModel
from ._generated.models import (
    CrawlStatusResponse,
    ExtractStatusResponse,
    JobDocument,
    JobErrorsResponse,
    JobStatusResponse,
)
from ._generated.types import UNSET
from ._jobs import JobErrors, JobSnapshot
from ._merge import UNCHECKED, Merger
from ._outcome import Api, Kind
from ._scan import (
    BodyScanner,
    Element,
    Event,
    Field,
    ListEnd,
    ListStart,
    Repeat,
    ScanError,
    Whole,
)
from ._snapshot import CRAWL_DOCUMENT_LISTS, CrawlSnapshot, ExtractSnapshot
from .errors import ResponseTooLargeError

__all__ = ["USER_AGENT", "Seen", "Transport", "job_id_problem", "job_path"]

_JOB_STATUS: Final = {
    ("crawl", "v1"): get_crawl_status_v1,
    ("crawl", "v2"): get_crawl_status_v2,
    ("batch_scrape", "v1"): get_batch_scrape_status_v1,
    ("batch_scrape", "v2"): get_batch_scrape_status_v2,
}
"""The generated modules of the v1/v2 status routes, by (kind, api)."""

_JOB_ERRORS: Final = {
    ("crawl", "v1"): get_crawl_errors_v1,
    ("crawl", "v2"): get_crawl_errors_v2,
    ("batch_scrape", "v1"): get_batch_scrape_errors_v1,
    ("batch_scrape", "v2"): get_batch_scrape_errors_v2,
}
"""The generated modules of the v1/v2 ``/errors`` routes, by (kind, api)."""

_CORE_HEADERS = (
    "etag",
    "retry-after",
    "retry-after-ms",
    *("deprecation", "sunset", "link", "warning"),  # the 2026 deprecation notice
)
"""The answer headers the core reads (the ``Date`` is read here, into ``read_at``); a repeated
header arrives joined with ``, ``."""


def _version() -> str:
    try:
        return importlib.metadata.version("firecrawl-status")
    except importlib.metadata.PackageNotFoundError:  # run from a source tree, not installed
        return "0+unknown"


USER_AGENT: Final = f"firecrawl-status/{_version()} python-httpx/{httpx.__version__}"
"""Sent with every request (unless the caller's own httpx client chose another)."""


def job_id_problem(job_id: object) -> str | None:
    """Why ``job_id`` cannot be sent as one path segment, or None when it can.

    The generated code percent-encodes every character but ``.``, so only a blank id and the
    dot segments are left: ``.`` and ``..`` would be removed by URL normalisation and the
    request, key attached, would go to another path.
    """
    if not isinstance(job_id, str) or not job_id.strip():
        return f"must be a non-empty string, not {job_id!r}"
    if job_id in (".", ".."):
        return f"cannot be {job_id!r}: it is not one path segment"
    return None


class Transport:
    """Builds requests with generated code and sends them on the generated client's httpx client.

    The API key travels as a per-request header, so a caller's own httpx client is used
    unchanged (only its ``base_url`` is filled in when empty) and the key sits in no
    client-wide header that a repr or log could show.
    """

    def __init__(
        self,
        base_url: str,
        api_key: str | None,
        *,
        http_client: httpx.Client | None = None,
        async_http_client: httpx.AsyncClient | None = None,
        timeout: httpx.Timeout,
        body_limits: BodyLimits | None = None,
    ) -> None:
        self._api_key = api_key
        self.body_limits = body_limits or BodyLimits()
        self.base_url = base_url
        self.limits = timeout
        self.client = Client(base_url=base_url, timeout=timeout, verify_ssl=_tls_context(base_url))
        # A caller's client without a base_url gets absolute URLs; it is never modified.
        given = http_client or async_http_client
        self._prefix = "" if given is None or str(given.base_url) else base_url
        # A caller's own client keeps a User-Agent it chose; httpx's default names only httpx.
        self._user_agent = (
            USER_AGENT
            if given is None or given.headers.get("User-Agent", "").startswith("python-httpx/")
            else None
        )
        if http_client is not None:
            self.client.set_httpx_client(http_client)
        if async_http_client is not None:
            self.client.set_async_httpx_client(async_http_client)
        self._opened: set[str] = set()
        """The httpx clients the generated client made for us ("sync", "async"): ours to close."""

    def __repr__(self) -> str:
        return f"Transport(base_url={self.base_url!r})"

    def request_kwargs(
        self,
        kind: Kind,
        job_id: str,
        etag: str | None,
        timeout: float | None,
        limits: httpx.Timeout | None = None,
        route: Route | None = None,
    ) -> dict[str, Any]:
        """The httpx request arguments for one status read: ``limits`` (else the client's) per
        request, none of them longer than ``timeout``, the time left before a deadline;
        ``route`` picks a v1/v2 route."""
        if_none_match = etag if etag is not None else UNSET
        kwargs: dict[str, Any]
        if route is not None and route.errors:
            kwargs = _JOB_ERRORS[kind, route.api]._get_kwargs(job_id)
        elif route is not None:
            kwargs = _JOB_STATUS[kind, route.api]._get_kwargs(
                job_id,
                skip=UNSET if route.skip is None else route.skip,
                limit=UNSET if route.limit is None else route.limit,
                if_none_match=if_none_match,
            )
        elif kind == "crawl":
            kwargs = get_crawl_status._get_kwargs(job_id, if_none_match=if_none_match)
        else:
            kwargs = get_extract_status._get_kwargs(job_id, if_none_match=if_none_match)
        kwargs["url"] = self._prefix + kwargs["url"]
        headers = kwargs.setdefault("headers", {})
        if self._api_key:
            headers["Authorization"] = f"Bearer {self._api_key}"
        if self._user_agent is not None:
            headers["User-Agent"] = self._user_agent
        kwargs["timeout"] = _capped(limits or self.limits, timeout)
        return kwargs

    def send(
        self,
        kind: Kind,
        job_id: str,
        etag: str | None,
        timeout: float | None,
        utcnow: Callable[[], dt.datetime],
        limits: httpx.Timeout | None = None,
        route: Route | None = None,
    ) -> Answer | NoAnswer:
        """Send one status read on the sync httpx client; ``utcnow`` dates an undated answer.

        ``timeout`` bounds the whole exchange. httpx's timeouts bound each socket operation,
        so a server trickling a byte at a time could hold the call for ever: the exchange runs
        on a worker thread that the caller waits for at most ``timeout``; on expiry the worker
        is told to stop and its socket is shut, and the caller goes on at once.
        """
        self._opened.add("sync")
        client = self.client.get_httpx_client()
        request = self._build(client, kind, job_id, etag, timeout, limits, route)
        exchange = _Exchange(self.body_limits, self._api_key, kind, job_id, utcnow, route)
        if timeout is None:
            return exchange.run(client, request)
        outcome: list[Answer | NoAnswer | BaseException] = []

        def work() -> None:
            try:
                outcome.append(exchange.run(client, request))
            except BaseException as exc:  # handed to the caller's thread below
                outcome.append(exc)

        worker = threading.Thread(target=work, name="firecrawl-status request", daemon=True)
        worker.start()
        try:
            worker.join(timeout)
        finally:
            if worker.is_alive():
                exchange.abort()
        if not outcome:
            return exchange.timed_out(timeout)
        if isinstance(outcome[0], BaseException):
            raise outcome[0]
        return outcome[0]

    async def asend(
        self,
        kind: Kind,
        job_id: str,
        etag: str | None,
        timeout: float | None,
        utcnow: Callable[[], dt.datetime],
        limits: httpx.Timeout | None = None,
        route: Route | None = None,
    ) -> Answer | NoAnswer:
        """Send one status read on the async httpx client; ``utcnow`` dates an undated answer.
        ``timeout`` bounds the whole exchange."""
        self._opened.add("async")
        client = self.client.get_async_httpx_client()
        request = self._build(client, kind, job_id, etag, timeout, limits, route)
        exchange = _Exchange(self.body_limits, self._api_key, kind, job_id, utcnow, route)
        try:
            async with asyncio.timeout(timeout):
                return await exchange.arun(client, request)
        except TimeoutError:
            return exchange.timed_out(timeout)

    def stream(
        self,
        job_id: str,
        etag: str | None,
        timeout: float | None,
        utcnow: Callable[[], dt.datetime],
        limits: httpx.Timeout | None,
        seen: Seen,
    ) -> Generator[Taken | Answer | NoAnswer, None, None]:
        """Send one v0 crawl read on the sync client and stream its answer: the documents of
        a 200 are offered to ``seen.merger`` as they arrive, and those it wants checked
        against the spec and taken, with a `Taken` for each piece of the body that took some
        (one hand-over per piece, not per document); then the `Answer` (or `NoAnswer`).
        Close it to stop early (the exchange is aborted).

        With a ``timeout``, the socket is read by a worker thread that hands the decoded body
        over through a small bounded queue (a slow caller holds the worker back, so memory
        stays bounded); the caller waits for each piece at most until the deadline, then the
        exchange is aborted, as in `send`.
        """
        self._opened.add("sync")
        client = self.client.get_httpx_client()
        request = self._build(client, "crawl", job_id, etag, timeout, limits, None)
        exchange = _Exchange(self.body_limits, self._api_key, "crawl", job_id, utcnow)
        pieces = exchange.pieces(client, request)
        if timeout is not None:
            pieces = _threaded(pieces, exchange, time.monotonic() + timeout)
        with contextlib.closing(pieces):
            try:
                first = next(pieces)
                if not isinstance(first, httpx.Response):
                    yield _outcome(first)
                    return
                streamed = _Streamed(exchange, first, job_id, seen)
                for piece in pieces:
                    if not isinstance(piece, bytes):
                        yield _outcome(piece)
                        return
                    yield from streamed.feed(piece)
                yield from streamed.end()
            except _Stop as stop:
                exchange.abort()
                yield stop.outcome
            except _Late:
                yield exchange.timed_out(timeout)

    async def astream(
        self,
        job_id: str,
        etag: str | None,
        timeout: float | None,
        utcnow: Callable[[], dt.datetime],
        limits: httpx.Timeout | None,
        seen: Seen,
    ) -> AsyncGenerator[Taken | Answer | NoAnswer, None]:
        """`stream` on the async client: each wait for the network is bounded by the deadline
        (the caller's own time between documents counts towards it, but is never cut)."""
        self._opened.add("async")
        client = self.client.get_async_httpx_client()
        request = self._build(client, "crawl", job_id, etag, timeout, limits, None)
        exchange = _Exchange(self.body_limits, self._api_key, "crawl", job_id, utcnow)
        loop = asyncio.get_running_loop()
        deadline = None if timeout is None else loop.time() + timeout
        async with contextlib.aclosing(exchange.apieces(client, request)) as pieces:
            try:
                async with asyncio.timeout_at(deadline):
                    first = await anext(pieces)
                if not isinstance(first, httpx.Response):
                    yield _outcome(first)
                    return
                streamed = _Streamed(exchange, first, job_id, seen)
                while True:
                    async with asyncio.timeout_at(deadline):
                        piece = await anext(pieces, None)
                    if deadline is not None and loop.time() >= deadline:
                        raise TimeoutError  # a piece read in time, but the caller ran late
                    if piece is None:
                        break
                    if not isinstance(piece, bytes):
                        yield _outcome(piece)
                        return
                    for documents in streamed.feed(piece):
                        yield documents
                for last in streamed.end():
                    yield last
            except _Stop as stop:
                yield stop.outcome
            except TimeoutError:
                yield exchange.timed_out(timeout)

    def _build(
        self,
        client: httpx.Client | httpx.AsyncClient,
        kind: Kind,
        job_id: str,
        etag: str | None,
        timeout: float | None,
        limits: httpx.Timeout | None,
        route: Route | None,
    ) -> httpx.Request:
        if etag is not None and not etag.isascii():
            # RFC 9110 allows obs-text in an ETag, but its bytes cannot be sent back reliably
            # (httpx decoded them by guessing): the read goes out unconditional instead.
            etag = None
        request = client.build_request(
            **self.request_kwargs(kind, job_id, etag, timeout, limits, route)
        )
        # Only what `BodyReader` can decode within its limits.
        request.headers["Accept-Encoding"] = ACCEPTED_ENCODINGS
        return request

    def close(self) -> None:
        """Close the sync httpx client, if one was opened (the caller closes their own)."""
        if "sync" in self._opened:
            self.client.get_httpx_client().close()

    async def aclose(self) -> None:
        """Close the async httpx client, if one was opened (the caller closes their own)."""
        if "async" in self._opened:
            await self.client.get_async_httpx_client().aclose()


def _tls_context(base_url: str) -> ssl.SSLContext | bool:
    """What our own httpx clients verify TLS with: the default CA bundle, except for a plain
    ``http://`` server, which never uses TLS. It gets a context that trusts no certificate
    (any ``https`` use fails closed), which spares loading the bundle: ~20 ms of CPU a client.
    """
    if httpx.URL(base_url).scheme != "http":
        return True
    return ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)


class _Exchange:
    """One request and its body, read within `BodyLimits`; abortable from another thread.

    `run`/`arun` read the body whole and decode it (`decode`). `pieces`/`apieces` stream a
    200: they give the response, then its decoded body piece by piece, for `_Streamed` to
    scan on the caller's side; any other status is read whole as `run` does.
    """

    def __init__(
        self,
        limits: BodyLimits,
        api_key: str | None,
        kind: Kind,
        job_id: str,
        utcnow: Callable[[], dt.datetime],
        route: Route | None = None,
    ) -> None:
        self._limits = limits
        self._route = route
        self._kind = kind
        self._job_id = job_id
        self._utcnow = utcnow
        self.key = api_key.encode() if api_key and api_key.isascii() else None
        self._aborted = False
        self._response: httpx.Response | None = None
        self._reader: BodyReader | None = None

    @property
    def received(self) -> int:
        """Body bytes received so far."""
        return 0 if self._reader is None else self._reader.received

    @property
    def decoded(self) -> int:
        """Body bytes decoded so far."""
        return 0 if self._reader is None else self._reader.decoded

    def run(self, client: httpx.Client, request: httpx.Request) -> Answer | NoAnswer:
        with contextlib.closing(self.pieces(client, request, stream=False)) as pieces:
            return _outcome(next(pieces))

    async def arun(self, client: httpx.AsyncClient, request: httpx.Request) -> Answer | NoAnswer:
        async with contextlib.aclosing(self.apieces(client, request, stream=False)) as pieces:
            return _outcome(await anext(pieces))

    def pieces(
        self, client: httpx.Client, request: httpx.Request, *, stream: bool = True
    ) -> Generator[Piece, None, None]:
        """The exchange, run where the socket is read: with ``stream``, a 200's response and
        then its decoded body piece by piece; else (or on any error) one finished outcome."""
        try:
            response = self._response = client.send(request, stream=True)
            try:
                reader = self._start(response)
                if isinstance(reader, Answer):
                    yield reader
                    return
                streaming = stream and response.status_code == 200
                if streaming:
                    yield response
                for chunk in _consumed(response) or response.iter_raw():
                    if self._aborted:
                        break
                    yield from self._feed(reader, chunk, streaming)
                yield from self._finish(response, reader, streaming)
            finally:
                response.close()
        except _Stop as stop:
            yield stop.outcome
        except httpx.HTTPError as exc:
            yield NoAnswer(exc, timeout=isinstance(exc, httpx.TimeoutException))

    async def apieces(
        self, client: httpx.AsyncClient, request: httpx.Request, *, stream: bool = True
    ) -> AsyncGenerator[Piece, None]:
        """`pieces` on the async client."""
        try:
            response = self._response = await client.send(request, stream=True)
            try:
                reader = self._start(response)
                if isinstance(reader, Answer):
                    yield reader
                    return
                streaming = stream and response.status_code == 200
                if streaming:
                    yield response
                consumed = _consumed(response)
                if consumed:
                    for piece in self._feed(reader, consumed[0], streaming):
                        yield piece
                else:
                    async for chunk in response.aiter_raw():
                        for piece in self._feed(reader, chunk, streaming):
                            yield piece
                for last in self._finish(response, reader, streaming):
                    yield last
            finally:
                await response.aclose()
        except _Stop as stop:
            yield stop.outcome
        except httpx.HTTPError as exc:
            yield NoAnswer(exc, timeout=isinstance(exc, httpx.TimeoutException))

    def abort(self) -> None:
        """Stop the exchange from another thread: no more chunks, and the socket shut."""
        self._aborted = True
        response = self._response
        stream = None if response is None else response.extensions.get("network_stream")
        sock = None if stream is None else stream.get_extra_info("socket")
        if isinstance(sock, socket.socket):
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)

    def timed_out(self, timeout: float | None) -> NoAnswer:
        """The outcome when ``timeout`` ran out before the exchange ended."""
        error = TimeoutError(
            f"no complete answer within {timeout:g}s ({self.received:,} bytes of body read)"
        )
        return NoAnswer(error, timeout=True)

    def _start(self, response: httpx.Response) -> BodyReader | Answer:
        """The reader for the body, or the answer when its encoding is not one we decode."""
        # A body some transport or hook already read is decoded: it is only counted.
        encoding = "" if response.is_stream_consumed else response.headers.get("content-encoding")
        try:
            self._reader = BodyReader(encoding or "", self._limits)
        except Undecodable as exc:
            return self._undecodable(response, exc)
        return self._reader

    def _feed(self, reader: BodyReader, chunk: bytes, streaming: bool) -> Iterator[bytes]:
        """The decoded pieces of one raw chunk when ``streaming``, else none (kept whole)."""
        try:
            if streaming:
                yield from reader.decode(chunk)
            else:
                reader.feed(chunk)
        except TooLarge as exc:
            raise self._too_large(exc) from None
        except Undecodable as exc:
            assert self._response is not None
            raise _Stop(self._undecodable(self._response, exc)) from None

    def _too_large(self, exc: TooLarge) -> _Stop:
        error = ResponseTooLargeError(
            f"{exc}: {exc.received:,} bytes received, {exc.decoded:,} decoded when reading "
            "stopped (raise BodyLimits to accept it)",
            status_code=None if self._response is None else self._response.status_code,
            limit=exc.limit,
            received=exc.received,
        )
        return _Stop(NoAnswer(error, timeout=False))

    def _finish(
        self, response: httpx.Response, reader: BodyReader, streaming: bool
    ) -> Iterator[bytes | Answer]:
        """The last pieces of a streamed body, else the decoded answer of a whole one."""
        if streaming:
            yield from self._feed_tail(reader)
            return
        try:
            content = reader.finish()
        except Undecodable as exc:
            yield self._undecodable(response, exc)
            return
        except TooLarge as exc:
            raise self._too_large(exc) from None
        redactor = Redactor(self.key)
        content = redactor.feed(content) + redactor.close()
        # What `httpx.Response.read` sets: the decoded body, so ``.content``/``.json()`` work
        # for whoever holds the response (errors, snapshots).
        response._content = content
        yield self._decode(response)

    def _feed_tail(self, reader: BodyReader) -> Iterator[bytes]:
        try:
            yield from reader.flush()
        except TooLarge as exc:
            raise self._too_large(exc) from None
        except Undecodable as exc:
            assert self._response is not None
            raise _Stop(self._undecodable(self._response, exc)) from None

    def read_at(self, response: httpx.Response) -> dt.datetime:
        """When the server answered: its ``Date``, else now."""
        return server_time(response.headers, self._utcnow())

    def _decode(self, response: httpx.Response) -> Answer:
        return decode(self._kind, self._job_id, response, self.read_at(response), self._route)

    def _undecodable(self, response: httpx.Response, exc: Exception) -> Answer:
        response._content = b""
        return attrs.evolve(self._decode(response), problem=f"the body does not decode: {exc}")


Piece = httpx.Response | bytes | Answer | NoAnswer
"""What an exchange gives: a 200's response to stream, a decoded piece of its body, or the
finished outcome."""


def _outcome(piece: Piece) -> Answer | NoAnswer:
    assert isinstance(piece, Answer | NoAnswer), "a whole read gives one outcome"
    return piece


def _consumed(response: httpx.Response) -> tuple[bytes] | None:
    """The body of a response some transport or hook already read, as one chunk."""
    return (response.content,) if response.is_stream_consumed else None


class _Streamed:
    """The caller's side of a streamed crawl answer: the key redacted, the body scanned, each
    document of ``partial_data``/``data`` offered to the call's merger (`Merger.offer`) and,
    when new or changed, checked against the spec and taken (`Merger.take`); the envelope is
    checked and the `Answer` built at the end. Holds no document once the merger has it.
    """

    def __init__(
        self, exchange: _Exchange, response: httpx.Response, job_id: str, seen: Seen
    ) -> None:
        self._exchange = exchange
        self._response = response
        self._job_id = job_id
        self._seen = seen
        self._read_at = exchange.read_at(response)
        self._redactor = Redactor(exchange.key)
        self._scanner = BodyScanner(CRAWL_DOCUMENT_LISTS, previous=seen.previous)
        # The next `seen.previous`: size, fingerprint, size, ... of each list's elements.
        self._elements: dict[str, array.array[int]] = {}
        self._envelope: dict[str, Any] = {}
        self._counts: dict[str, int] = {}
        self._listed: set[str] = set()  # lists already streamed: their documents are out
        self._whole: list[Any] = []
        self._head = bytearray()  # the start of the body, the error's text if it is no JSON
        self._took = False  # whether a document of this answer was taken
        self._first_status: str | None = None  # the status sent before the first one taken

    def feed(self, data: bytes) -> Iterator[Taken]:
        """A `Taken` per `PIECE` of this decoded piece of the body that completed documents
        the merger took.

        Raises:
            _Stop: The body is no JSON, or a document does not fit the spec.
        """
        for start in range(0, len(data), PIECE):
            text = self._redactor.feed(data[start : start + PIECE])
            if len(self._head) < _ERROR_TEXT:
                self._head += text[: _ERROR_TEXT - len(self._head)]
            try:
                events = self._scanner.feed(text)
            except ScanError as exc:
                raise _Stop(self._not_json(exc)) from None
            yield from self._take(events)

    def end(self) -> Iterator[Taken | Answer]:
        """The last documents, then the answer (its problem when it has one)."""
        try:
            tail = self._redactor.close()
            yield from self._take(self._scanner.feed(tail))
            yield from self._take(self._scanner.close())
        except ScanError as exc:
            yield self._not_json(exc)
            return
        self._seen.previous = {name: Elements(pairs) for name, pairs in self._elements.items()}
        if self._whole:
            body = self._whole[0]
            problem = f"expected a JSON object, got {type(body).__name__}"
            yield self._answer(body, problem=problem)
            return
        body = self._envelope
        try:
            # The lists are [] here: their documents were checked one by one.
            CrawlStatusResponse.from_dict(body)
        except _MISFIT as exc:
            problem = f"the body does not fit CrawlStatusResponse: {_describe(exc)}"
            yield self._answer(body, problem=problem)
            return
        final: list[CrawlDocument] | None = [] if "data" in self._counts else None
        snapshot = CrawlSnapshot.from_body(
            self._job_id, body, self._read_at, partial=[], final=final, response=self._response
        )
        tally = Tally(partial=self._counts.get("partial_data"), final=self._counts.get("data"))
        yield attrs.evolve(self._answer(body), snapshot=snapshot, tally=tally)

    def _take(self, events: list[Event]) -> Iterator[Taken]:
        """Offer the documents of ``events`` to the call's merger, checking and taking those it
        wants; one `Taken` when any was. A document that fails the check raises `_Stop` after
        those before it (handed over first: nothing received is lost)."""
        merger = self._seen.merger
        try:
            self._check(events)
        except _Stop:
            if merger.pending:
                yield self._taken()
            raise
        if merger.pending:
            yield self._taken()

    def _taken(self) -> Taken:
        return Taken(self._read_at, self._first_status)

    def _check(self, events: list[Event]) -> None:
        counts, envelope, elements = self._counts, self._envelope, self._elements
        merger = self._seen.merger
        offer, take, delivered = merger.offer, merger.take, merger.known_fingerprint
        check = CrawlDocumentModel.from_dict
        took = self._took
        status = _status(envelope.get("status"))
        early = _before_completion(status)
        for event in events:
            if type(event) is Element:
                name, position, value, fingerprint, size = event
                final = name == "data"
                if early and final:
                    continue
                try:
                    identity = offer(value, fingerprint, final)
                    if identity is UNCHECKED:
                        raise _not_an_object(value)
                    if identity is not None:
                        check(value)  # checked by the generated model, then dropped
                except _MISFIT as exc:
                    problem = _misfit(name, position, exc)
                    raise _Stop(self._answer(None, problem=problem)) from None
                if identity is not None:
                    take(identity, value, fingerprint, final)
                    if not took:
                        # What a first record of the job says: the status sent before it.
                        self._first_status, self._took, took = status, True, True
                elif final and (fingerprint is None or not delivered(fingerprint)):
                    continue  # final text unlike any delivered: an update still to check
                if fingerprint is not None and size is not None and size >= _HINT_MIN:
                    elements[name].extend((size, fingerprint))
            elif type(event) is Repeat:
                # The text of a document delivered before (only those are given as previous).
                name, _, repeated, length = event
                elements[name].extend((length, repeated))
            elif isinstance(event, ListStart):
                self._repeated(event.name)
                self._listed.add(event.name)
                envelope[event.name] = []
                counts[event.name] = 0
                elements[event.name] = array.array("q")
            elif isinstance(event, ListEnd):
                counts[event.name] = event.count
            elif isinstance(event, Field):
                self._repeated(event.name)
                envelope[event.name] = event.value
                if event.name == "status":
                    status = _status(event.value)
                    early = _before_completion(status)
                    if status == "completed" and not merger.compares_text:
                        # The last answer read, unless it turns out unusable (then its
                        # documents are only checked once more): nothing would compare the
                        # fingerprints of this body.
                        self._scanner.fingerprints = False
                counts.pop(event.name, None)  # a key repeated: the last one counts
                elements.pop(event.name, None)
            elif isinstance(event, Whole):
                self._whole.append(event.value)

    def _repeated(self, name: str) -> None:
        """A document list's key given twice: json.loads would keep the last copy, but the
        first one's documents are already out, so the answer cannot be read as one value."""
        if name in self._listed:
            raise _Stop(self._answer(None, problem=f"the answer gives the key {name!r} twice"))

    def _not_json(self, exc: ScanError) -> Answer:
        problem = f"the body is not JSON ({exc.__class__.__name__}: {exc})"[:300]
        return self._answer(bytes(self._head).decode("utf-8", "replace"), problem=problem)

    def _answer(self, body: Any, *, problem: str | None = None) -> Answer:
        return Answer(
            status_code=self._response.status_code,
            headers=_core_headers(self._response),
            size=self._exchange.decoded,
            read_at=self._read_at,
            body=body,
            problem=problem,
            response=self._response,
        )


@attrs.define
class Seen:
    """What a streamed read shares with the caller, kept across the polls of one call.

    Attributes:
        merger: The call's `Merger`: is this document new or changed (`Merger.offer`, only
            those are checked), was a document of this text delivered
            (`Merger.known_fingerprint`)? The documents checked are merged into it
            (`Merger.take`), for the caller's core to take out at each `Taken`.
        previous: The size and fingerprint of each delivered document of the last answer
            read whole, per list: the scanner recognises them by their text, undecoded.
    """

    merger: Merger
    previous: dict[str, Elements] = attrs.Factory(dict)


class Elements(Sequence[tuple[int, int]]):
    """The (size, fingerprint) of a list's elements, from one array of both in turn: 16 bytes
    an element (a list of tuples takes about 120: for a 10,000-page crawl, a megabyte more
    held between polls)."""

    def __init__(self, pairs: array.array[int]) -> None:
        self._pairs = pairs

    def __len__(self) -> int:
        return len(self._pairs) // 2

    @overload
    def __getitem__(self, index: int) -> tuple[int, int]: ...

    @overload
    def __getitem__(self, index: slice) -> Sequence[tuple[int, int]]: ...

    def __getitem__(self, index: int | slice) -> tuple[int, int] | Sequence[tuple[int, int]]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        pairs = self._pairs
        return pairs[2 * index], pairs[2 * index + 1]


_MISFIT = (KeyError, TypeError, ValueError, AttributeError)
"""What a generated model's ``from_dict`` raises for a value that does not fit it."""

_ERROR_TEXT = 4096
"""Bytes of a streamed body kept as the error's text when it turns out not to be JSON."""


class _Stop(Exception):
    """Ends an exchange early with a ready outcome."""

    def __init__(self, outcome: Answer | NoAnswer) -> None:
        self.outcome = outcome


class _Late(Exception):
    """The deadline passed before the exchange's next piece came."""


_HINT_MIN = 256
"""Characters below which an element is not hinted to the next answer's scanner: decoding a
small one again is cheap, and a body of millions of tiny repeated elements would otherwise
leave 16 bytes of hint each (hints stay under 1/16 of the body)."""

_QUEUED = 4
"""Pieces a worker reads ahead of a streaming caller (each at most `PIECE` decoded bytes, or
one network chunk)."""

_END = object()


def _threaded(
    pieces: Generator[Piece, None, None], exchange: _Exchange, deadline: float
) -> Generator[Piece, None, None]:
    """``pieces`` produced by a worker thread, each waited for until ``deadline`` (by
    `time.monotonic`; past it, `_Late` is raised and the exchange aborted).

    Closing the result stops the worker: the exchange is aborted (its socket shut), and the
    queue drained so a worker blocked on a full queue wakes up, sees the stop and ends.
    """
    handoff: queue.Queue[object] = queue.Queue(_QUEUED)
    stopped = threading.Event()

    def work() -> None:
        try:
            for piece in pieces:
                handoff.put(piece)
                if stopped.is_set():
                    return
        except BaseException as exc:  # handed to the caller's thread
            if not stopped.is_set():
                handoff.put(exc)
        finally:
            pieces.close()
        if not stopped.is_set():
            handoff.put(_END)

    worker = threading.Thread(target=work, name="firecrawl-status request", daemon=True)
    worker.start()
    try:
        while True:
            try:
                item = handoff.get(timeout=max(0.0, deadline - time.monotonic()))
            except queue.Empty:
                raise _Late from None
            if time.monotonic() >= deadline:
                # Pieces can be waiting while the caller is busy with earlier ones (a slow
                # check of a large body): the deadline holds for those too.
                raise _Late
            if item is _END:
                return
            if isinstance(item, BaseException):
                raise item
            yield cast(Piece, item)
    finally:
        stopped.set()
        exchange.abort()
        with contextlib.suppress(queue.Empty):
            while True:
                handoff.get_nowait()


def job_path(kind: Kind, job_id: str, api: Api) -> str:
    """The status path of a v1/v2 job (``/v2/crawl/ID``), as the generated client builds it."""
    return str(_JOB_STATUS[kind, api]._get_kwargs(job_id)["url"])


def _capped(limits: httpx.Timeout, cap: float | None) -> httpx.Timeout:
    """``limits`` with no part longer than ``cap`` seconds (None: no cap)."""
    if cap is None:
        return limits
    parts = {
        name: cap if value is None else min(value, cap) for name, value in limits.as_dict().items()
    }
    return httpx.Timeout(**parts)


def decode(
    kind: Kind,
    job_id: str,
    response: httpx.Response,
    read_at: dt.datetime,
    route: Route | None = None,
) -> Answer:
    """Decode an answer once: JSON, then the spec check and the snapshot for a 200."""
    content = response.content
    body: Any = None
    problem: str | None = None
    if content:
        try:
            body = json.loads(content)
        except (ValueError, RecursionError) as exc:
            # RecursionError: JSON nested deeper than Python's stack (100,000 brackets).
            problem = f"the body is not JSON ({exc.__class__.__name__}: {exc})"[:300]
            body = content.decode("utf-8", "replace")
    answer = Answer(
        status_code=response.status_code,
        headers=_core_headers(response),
        size=len(content),
        read_at=read_at,
        body=body,
        problem=problem,
        response=response,
    )
    if response.status_code != 200 or problem is not None:
        return answer
    if not isinstance(body, dict):
        problem = f"expected a JSON object, got {type(body).__name__}"
        return attrs.evolve(answer, problem=problem)
    if route is not None:
        return _job_answer(answer, kind, job_id, body, route)
    if kind == "crawl":
        return _crawl_answer(answer, job_id, body, response)
    try:
        model = ExtractStatusResponse.from_dict(body)
    except _MISFIT as exc:
        problem = f"the body does not fit ExtractStatusResponse: {_describe(exc)}"
        return attrs.evolve(answer, problem=problem)
    snapshot = ExtractSnapshot.from_model(job_id, model, body, read_at, response)
    return attrs.evolve(answer, snapshot=snapshot)


def _crawl_answer(
    answer: Answer, job_id: str, body: dict[str, Any], response: httpx.Response
) -> Answer:
    """A crawl 200 with its document lists picked out and checked once, or its problem."""
    partial = _documents(body, "partial_data")
    final = _documents(body, "data")
    lists: dict[str, list[CrawlDocument]] = {
        key: []
        for key, documents in (("partial_data", partial), ("data", final))
        if documents is not None
    }
    try:
        CrawlStatusResponse.from_dict({**body, **lists})
        for key, documents in (("partial_data", partial), ("data", final)):
            for number, document in enumerate(documents or ()):
                if (problem := _document_problem(key, number, document)) is not None:
                    return attrs.evolve(answer, problem=problem)
    except _MISFIT as exc:
        problem = f"the body does not fit CrawlStatusResponse: {_describe(exc)}"
        return attrs.evolve(answer, problem=problem)
    snapshot = CrawlSnapshot.from_body(
        job_id, body, answer.read_at, partial=partial or [], final=final, response=response
    )
    return attrs.evolve(answer, snapshot=snapshot, partial=partial or [], final=final)


def _job_answer(
    answer: Answer, kind: Kind, job_id: str, body: dict[str, Any], route: Route
) -> Answer:
    """A v1/v2 200: the page's snapshot (documents checked one by one) or ``/errors``."""
    try:
        if route.errors:
            JobErrorsResponse.from_dict(body)
            return attrs.evolve(answer, job_errors=JobErrors.from_body(job_id, body))
        documents = _documents(body, "data")
        JobStatusResponse.from_dict({**body, "data": []} if documents is not None else body)
        for number, document in enumerate(documents or ()):
            if not isinstance(document, dict):
                raise TypeError(f"data[{number}] is a {type(document).__name__}, not an object")
            JobDocument.from_dict(document)
    except _MISFIT as exc:
        model = "JobErrorsResponse" if route.errors else "JobStatusResponse"
        return attrs.evolve(answer, problem=f"the body does not fit {model}: {_describe(exc)}")
    snapshot = JobSnapshot.from_page(
        job_id,
        body,
        answer.read_at,
        documents=documents or [],
        kind=kind,
        api=route.api,
        response=answer.response,
    )
    return attrs.evolve(answer, snapshot=snapshot, final=documents)


def _core_headers(response: httpx.Response) -> dict[str, str]:
    return {key: response.headers[key] for key in _CORE_HEADERS if key in response.headers}


def _document_problem(key: str, number: int, document: object) -> str | None:
    """Why ``document``, number ``number`` of the crawl list ``key``, does not fit the spec's
    `CrawlDocument` (checked by the generated model, then dropped), or None."""
    try:
        if not isinstance(document, dict):
            raise _not_an_object(document)
        CrawlDocumentModel.from_dict(document)
    except _MISFIT as exc:
        return _misfit(key, number, exc)
    return None


def _status(value: object) -> str | None:
    """An answer's ``status`` as far as the body has sent it (None: not a string, or not yet)."""
    return value if type(value) is str else None


def _before_completion(status: str | None) -> bool:
    """Whether the answer says its crawl has not completed: its final ``data`` does not count
    yet, as on the whole path."""
    return status is not None and status != "completed"


def _not_an_object(document: object) -> TypeError:
    return TypeError(f"expected a JSON object, got {type(document).__name__}")


def _misfit(key: str, number: int, exc: Exception) -> str:
    """The problem of document ``number`` of the crawl list ``key`` the check rejected."""
    return f"{key}[{number}] does not fit CrawlDocument: {_describe(exc)}"


def _documents(body: dict[str, Any], key: str) -> list[CrawlDocument] | None:
    """The list under ``key`` (None when it is not a list); non-objects fail the spec check."""
    value = body.get(key)
    return value if isinstance(value, list) else None


def _describe(exc: Exception) -> str:
    if isinstance(exc, KeyError):
        return f"missing required key {exc.args[0]!r}"
    return f"{exc.__class__.__name__}: {exc}"[:200]
