"""The one module that imports ``generated``: requests built and answers parsed by generated code.

Requests come from the generated endpoint modules' ``_get_kwargs`` (path quoting, the
``If-None-Match`` header) and go out on the generated client's httpx client. Answers are
decoded once with `json.loads` and checked against the spec by the generated models'
``from_dict``; the decoded dicts are what the facade passes on, so crawl documents reach the
caller exactly as the server sent them. A crawl answer is checked document by document and
its model tree dropped at once: a 10,000-page answer would otherwise sit in memory twice
(dicts and models) on every poll. `CrawlSnapshot.model` builds the whole model on demand.

We call ``_get_kwargs`` rather than ``sync_detailed`` because the facade needs the
`httpx.Response` itself and must tell "no answer" apart from "an answer that does not fit
the spec", which ``sync_detailed`` folds into one exception. A rename in a future generator
version breaks this file only.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import socket
import threading
from collections.abc import Mapping
from typing import Any, Literal

import attrs
import httpx

from ._body import ACCEPTED_ENCODINGS, BodyLimits, BodyReader, TooLarge, Undecodable
from ._generated import Client
from ._generated.api.crawl import get_crawl_status
from ._generated.api.extract import get_extract_status
from ._generated.models import CrawlDocument, CrawlStatusResponse, ExtractStatusResponse
from ._generated.types import UNSET
from .errors import ResponseTooLargeError

__all__ = [
    "Answer",
    "CrawlStatusResponse",
    "ExtractStatusResponse",
    "Kind",
    "NoAnswer",
    "Transport",
    "job_id_problem",
]

Kind = Literal["crawl", "extract"]


@attrs.frozen
class Answer:
    """An HTTP answer, decoded as far as it goes.

    ``data`` is the decoded JSON (None when the body is empty or not JSON); ``model`` is the
    generated model of an extract 200 (crawl models are built on demand from ``data``);
    ``problem`` says why a 200 could not be used (None: it fits the spec).
    """

    status_code: int
    headers: Mapping[str, str]
    content: bytes
    data: Any
    model: ExtractStatusResponse | None
    problem: str | None
    response: httpx.Response | None = attrs.field(default=None, repr=False, eq=False)


@attrs.frozen
class NoAnswer:
    """The request got no usable HTTP answer (connection error or timeout).

    An ``error`` that is already a `FirecrawlError` (an answer over the size limits) is final:
    retrying would fetch the same answer again.
    """

    error: Exception
    timeout: bool


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
        timeout: float | None,
        limits: BodyLimits | None = None,
    ) -> None:
        self._api_key = api_key
        self.limits = limits or BodyLimits()
        self.base_url = base_url
        self.client = Client(base_url=base_url, timeout=httpx.Timeout(timeout))
        for given in (http_client, async_http_client):
            if given is not None and not str(given.base_url):
                given.base_url = httpx.URL(base_url)
        if http_client is not None:
            self.client.set_httpx_client(http_client)
        if async_http_client is not None:
            self.client.set_async_httpx_client(async_http_client)

    def __repr__(self) -> str:
        return f"Transport(base_url={self.base_url!r})"

    def request_kwargs(
        self, kind: Kind, job_id: str, etag: str | None, timeout: float | None
    ) -> dict[str, Any]:
        """The httpx request arguments for one status read."""
        if_none_match = etag if etag is not None else UNSET
        if kind == "crawl":
            kwargs = get_crawl_status._get_kwargs(job_id, if_none_match=if_none_match)
        else:
            kwargs = get_extract_status._get_kwargs(job_id, if_none_match=if_none_match)
        headers = kwargs.setdefault("headers", {})
        if self._api_key:
            headers["Authorization"] = f"Bearer {self._api_key}"
        if timeout is not None:
            kwargs["timeout"] = httpx.Timeout(timeout)
        return kwargs

    def send(
        self, kind: Kind, job_id: str, etag: str | None, timeout: float | None
    ) -> Answer | NoAnswer:
        """Send one status read on the sync httpx client; ``timeout`` bounds the whole exchange.

        httpx's timeouts bound each socket operation, so a server trickling a byte at a time
        could hold the call for ever. The exchange runs on a worker thread that the caller
        waits for at most ``timeout``; on expiry the worker is told to stop and its socket is
        shut, and the caller goes on at once.
        """
        client = self.client.get_httpx_client()
        request = self._build(client, kind, job_id, etag, timeout)
        exchange = _Exchange(self.limits, self._api_key)
        if timeout is None:
            return exchange.run(client, request, kind)
        outcome: list[Answer | NoAnswer | BaseException] = []

        def work() -> None:
            try:
                outcome.append(exchange.run(client, request, kind))
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
        self, kind: Kind, job_id: str, etag: str | None, timeout: float | None
    ) -> Answer | NoAnswer:
        """Send one status read on the async httpx client; ``timeout`` bounds the whole exchange."""
        client = self.client.get_async_httpx_client()
        request = self._build(client, kind, job_id, etag, timeout)
        exchange = _Exchange(self.limits, self._api_key)
        try:
            async with asyncio.timeout(timeout):
                return await exchange.arun(client, request, kind)
        except TimeoutError:
            return exchange.timed_out(timeout)

    def _build(
        self,
        client: httpx.Client | httpx.AsyncClient,
        kind: Kind,
        job_id: str,
        etag: str | None,
        timeout: float | None,
    ) -> httpx.Request:
        if etag is not None and not etag.isascii():
            # RFC 9110 allows obs-text in an ETag, but its bytes cannot be sent back reliably
            # (httpx decoded them by guessing): the read goes out unconditional instead.
            etag = None
        kwargs = self.request_kwargs(kind, job_id, etag, timeout)
        request = client.build_request(**kwargs)
        # Only what `BodyReader` can decode within its limits.
        request.headers["Accept-Encoding"] = ACCEPTED_ENCODINGS
        return request

    def close(self) -> None:
        """Close the sync httpx client (a caller's own client is the caller's to close)."""
        self.client.get_httpx_client().close()

    async def aclose(self) -> None:
        """Close the async httpx client."""
        await self.client.get_async_httpx_client().aclose()


class _Exchange:
    """One request and its body, read within `BodyLimits`; abortable from another thread."""

    def __init__(self, limits: BodyLimits, api_key: str | None) -> None:
        self._limits = limits
        self._key = api_key.encode() if api_key and api_key.isascii() else None
        self._aborted = False
        self._response: httpx.Response | None = None
        self._received = 0

    def run(self, client: httpx.Client, request: httpx.Request, kind: Kind) -> Answer | NoAnswer:
        try:
            response = self._response = client.send(request, stream=True)
            try:
                reader = self._start(response)
                if isinstance(reader, Answer):
                    return reader
                for chunk in () if response.is_stream_consumed else response.iter_raw():
                    if self._aborted:
                        break
                    self._feed(reader, chunk)
                return self._finish(kind, response, reader)
            finally:
                response.close()
        except _Stop as stop:
            return stop.outcome
        except httpx.HTTPError as exc:
            return NoAnswer(exc, timeout=isinstance(exc, httpx.TimeoutException))

    async def arun(
        self, client: httpx.AsyncClient, request: httpx.Request, kind: Kind
    ) -> Answer | NoAnswer:
        try:
            response = self._response = await client.send(request, stream=True)
            try:
                reader = self._start(response)
                if isinstance(reader, Answer):
                    return reader
                if not response.is_stream_consumed:
                    async for chunk in response.aiter_raw():
                        self._feed(reader, chunk)
                return self._finish(kind, response, reader)
            finally:
                await response.aclose()
        except _Stop as stop:
            return stop.outcome
        except httpx.HTTPError as exc:
            return NoAnswer(exc, timeout=isinstance(exc, httpx.TimeoutException))

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
            f"no complete answer within {timeout:g}s ({self._received:,} bytes of body read)"
        )
        return NoAnswer(error, timeout=True)

    def _start(self, response: httpx.Response) -> BodyReader | Answer:
        """The reader for the body, or the answer when its encoding is not one we decode."""
        if response.is_stream_consumed:
            # A body some transport or hook already read is decoded: it is only counted.
            reader = BodyReader("", self._limits)
            self._feed(reader, response.content)
            return reader
        try:
            return BodyReader(response.headers.get("content-encoding", ""), self._limits)
        except Undecodable as exc:
            return _undecodable(response, exc)

    def _feed(self, reader: BodyReader, chunk: bytes) -> None:
        try:
            reader.feed(chunk)
        except TooLarge as exc:
            raise self._too_large(exc) from None
        except Undecodable as exc:
            assert self._response is not None
            raise _Stop(_undecodable(self._response, exc)) from None
        finally:
            self._received = reader.received

    def _too_large(self, exc: TooLarge) -> _Stop:
        error = ResponseTooLargeError(
            f"{exc}: {exc.received:,} bytes received, {exc.decoded:,} decoded when reading "
            "stopped (raise BodyLimits to accept it)",
            status_code=None if self._response is None else self._response.status_code,
            limit=exc.limit,
            received=exc.received,
        )
        return _Stop(NoAnswer(error, timeout=False))

    def _finish(self, kind: Kind, response: httpx.Response, reader: BodyReader) -> Answer:
        try:
            content = reader.finish()
        except Undecodable as exc:
            return _undecodable(response, exc)
        except TooLarge as exc:
            raise self._too_large(exc) from None
        if self._key is not None and self._key in content:
            # A body echoing the request (a 401 repeating the Authorization header) would put
            # the key in error messages, reprs, the store and the CLI's output.
            content = content.replace(self._key, REDACTED)
        # What `httpx.Response.read` sets: the decoded body, so ``.content``/``.json()`` work
        # for whoever holds the response (errors, snapshots).
        response._content = content
        return decode(kind, response)


REDACTED = b"[redacted]"


class _Stop(Exception):
    """Ends an exchange early with a ready outcome."""

    def __init__(self, outcome: Answer | NoAnswer) -> None:
        self.outcome = outcome


def _undecodable(response: httpx.Response, exc: Exception) -> Answer:
    response._content = b""
    return Answer(
        status_code=response.status_code,
        headers=response.headers,
        content=b"",
        data=None,
        model=None,
        problem=f"the body does not decode: {exc}",
        response=response,
    )


def decode(kind: Kind, response: httpx.Response) -> Answer:
    """Decode an answer: JSON once, then the generated model for a 200."""
    content = response.content
    data: Any = None
    problem: str | None = None
    if content:
        try:
            data = json.loads(content)
        except (ValueError, RecursionError) as exc:
            # RecursionError: JSON nested deeper than Python's stack (100,000 brackets).
            problem = f"the body is not JSON ({exc.__class__.__name__}: {exc})"[:300]
    model: ExtractStatusResponse | None = None
    if response.status_code == 200 and problem is None:
        if not isinstance(data, dict):
            problem = f"expected a JSON object, got {type(data).__name__}"
        elif kind == "crawl":
            problem = check_crawl(data)
        else:
            try:
                model = ExtractStatusResponse.from_dict(data)
            except (KeyError, TypeError, ValueError, AttributeError) as exc:
                problem = f"the body does not fit ExtractStatusResponse: {_describe(exc)}"
    return Answer(
        status_code=response.status_code,
        headers=response.headers,
        content=content,
        data=data,
        model=model,
        problem=problem,
        response=response,
    )


CRAWL_DOCUMENT_LISTS = ("data", "partial_data")


def check_crawl(data: dict[str, Any]) -> str | None:
    """Why a crawl answer does not fit the spec, or None; no model is kept."""
    lists = {key: data[key] for key in CRAWL_DOCUMENT_LISTS if isinstance(data.get(key), list)}
    try:
        CrawlStatusResponse.from_dict({**data, **{key: [] for key in lists}})
        for key, documents in lists.items():
            for number, document in enumerate(documents):
                try:
                    CrawlDocument.from_dict(document)
                except (KeyError, TypeError, ValueError, AttributeError) as exc:
                    return f"{key}[{number}] does not fit CrawlDocument: {_describe(exc)}"
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        return f"the body does not fit CrawlStatusResponse: {_describe(exc)}"
    return None


def _describe(exc: Exception) -> str:
    if isinstance(exc, KeyError):
        return f"missing required key {exc.args[0]!r}"
    return f"{exc.__class__.__name__}: {exc}"[:200]
