"""HTTP answers as the real server frames them: Express's JSON with a weak ETag, its HTML 404
page, 304s, and the bodies of injected faults (docs/server-facts.md, error bodies and ETag notes).

A JSON object holding a `LazyArray` becomes a `StreamedBody`: made item by item each time it is
sent, so an answer larger than memory (a 1 GiB final ``data``) is never held whole. One pass at
creation measures it for ``Content-Length`` and the ETag.
"""

from __future__ import annotations

import base64
import datetime as dt
import email.utils
import hashlib
import html
import http
import json
from collections.abc import Callable, Iterator
from typing import Any, Literal

import attrs

from ._scenarios import Fault

__all__ = ["SimResponse"]  # re-exported by firecrawl_status.testing

JSON_TYPE = "application/json; charset=utf-8"
HTML_TYPE = "text/html; charset=utf-8"
RATE_LIMIT_MESSAGE = (
    "Rate limit exceeded. Consumed (req/min): 20, Remaining (req/min): 0. Upgrade your plan at "
    "https://firecrawl.dev/pricing for increased rate limits or please retry after {seconds}s, "
    "resets at {resets}"
)
SERVER_ERROR_MESSAGE = "Connection is closed."  # what ioredis throws; the server relays it
PROXY_PAGE = (
    "<html>\r\n<head><title>{code} {phrase}</title></head>\r\n<body>\r\n"
    "<center><h1>{code} {phrase}</h1></center>\r\n<hr><center>cloudflare</center>\r\n"
    "</body>\r\n</html>\r\n"
)
EXPRESS_404 = (
    '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<title>Error</title>\n'
    "</head>\n<body>\n<pre>Cannot {method} {path}</pre>\n</body>\n</html>\n"
)

Api = Literal["v0", "v1"]


@attrs.frozen
class LazyArray:
    """A JSON array whose items are made one at a time while it is encoded, never all held.

    Attributes:
        items: Makes the items anew, in order, on each call.
    """

    items: Callable[[], Iterator[object]]


@attrs.frozen(eq=False)
class StreamedBody:
    """A JSON object body made piece by piece each time it is sent, never held whole.

    Attributes:
        pieces: Makes the body's bytes anew, in order, on each call.
        length: The body's size in bytes.
    """

    pieces: Callable[[], Iterator[bytes]]
    length: int
    # SHA-1 state over every byte but the closing brace: appending keys (the deprecation
    # notice) and its ETag then need no second pass over the body.
    _opened: Any = attrs.field(alias="opened", repr=False)

    def etag(self) -> str:
        """Express's weak ETag over the whole body."""
        digest = self._opened.copy()
        digest.update(b"}")
        return _etag_of(self.length, digest.digest())

    def with_keys(self, keys: bytes) -> StreamedBody:
        """This object with ``keys`` (an encoded JSON object's) appended after its own keys."""
        extra = (b"," if self.length > 2 else b"") + keys[1:-1]
        opened = self._opened.copy()
        opened.update(extra)
        source = self.pieces

        def pieces() -> Iterator[bytes]:
            sent = 0
            for piece in source():
                sent += len(piece)
                yield piece if sent < self.length else piece[:-1] + extra + b"}"

        return StreamedBody(pieces, self.length + len(extra), opened=opened)

    def cut(self, length: int) -> StreamedBody:
        """Only the first ``length`` bytes (a truncated answer; `etag` stays the whole one's)."""
        source = self.pieces

        def pieces() -> Iterator[bytes]:
            left = length
            for piece in source():
                if left <= 0:
                    return
                yield piece[:left]
                left -= len(piece)

        return StreamedBody(pieces, min(length, self.length), opened=self._opened)


@attrs.frozen
class SimResponse:
    """One answer of the simulator, before any transport frames it.

    Attributes:
        status: The HTTP status.
        headers: Header names as the server spells them, values as strings.
        body: The bytes sent (empty for 304 and HEAD, and when ``stream`` is set).
        stream: A body too large to hold (`CrawlScenario` ``streamed``), made while it is
            sent; None for an ordinary ``body``.
    """

    status: int
    headers: dict[str, str]
    body: bytes
    stream: StreamedBody | None = None

    @property
    def size(self) -> int:
        """The body's size in bytes, streamed or not."""
        return len(self.body) if self.stream is None else self.stream.length

    def chunks(self) -> Iterator[bytes]:
        """The body in the pieces it is sent in (a streamed body is made anew)."""
        if self.stream is None:
            yield self.body
        else:
            yield from self.stream.pieces()

    def json(self) -> Any:
        """The body decoded as JSON (a streamed body is joined first)."""
        return json.loads(b"".join(self.chunks()))


def encode(payload: object) -> bytes:
    """JSON exactly as Express's ``res.json`` writes it: compact, key order kept."""
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode()


def _etag_of(length: int, sha1: bytes) -> str:
    digest = base64.b64encode(sha1).decode()[:27]
    return f'W/"{length:x}-{digest}"'


def etag(body: bytes) -> str:
    """Express's weak ETag: body length in hex, then the SHA-1 in base64 without padding."""
    return _etag_of(len(body), hashlib.sha1(body).digest())


def is_fresh(if_none_match: str | None, tag: str) -> bool:
    """Whether ``If-None-Match`` names ``tag`` (weak comparison, as Express's ``fresh``)."""
    if not if_none_match:
        return False
    if if_none_match.strip() == "*":
        return True
    wanted = tag.removeprefix("W/")
    return any(part.strip().removeprefix("W/") == wanted for part in if_none_match.split(","))


def _base_headers(now: dt.datetime) -> dict[str, str]:
    return {
        "X-Powered-By": "Express",
        "Date": email.utils.format_datetime(now.astimezone(dt.UTC), usegmt=True),
    }


def raw_json(status: int, body: bytes, now: dt.datetime) -> SimResponse:
    """A JSON answer from bytes already encoded (ETag over exactly these bytes)."""
    headers = _base_headers(now) | {
        "Content-Type": JSON_TYPE,
        "Content-Length": str(len(body)),
        "ETag": etag(body),
    }
    return SimResponse(status, headers, body)


def json_answer(status: int, payload: object, now: dt.datetime) -> SimResponse:
    """A JSON answer with Express's headers; streamed when the object holds a `LazyArray`."""
    if isinstance(payload, dict) and any(isinstance(v, LazyArray) for v in payload.values()):
        return _streamed_json(status, payload, now)
    return raw_json(status, encode(payload), now)


def _pieces(payload: dict[str, object]) -> Iterator[bytes]:
    """``encode(payload)`` in pieces: each `LazyArray` item made and encoded on its own."""
    before = b"{"
    for key, value in payload.items():
        yield before + encode(key) + b":"
        before = b","
        if isinstance(value, LazyArray):
            opening = b"["
            for item in value.items():
                yield opening + encode(item)
                opening = b","
            yield b"[]" if opening == b"[" else b"]"
        else:
            yield encode(value)
    yield b"{}" if before == b"{" else b"}"


def _streamed_json(status: int, payload: dict[str, object], now: dt.datetime) -> SimResponse:
    length, opened, last = 0, hashlib.sha1(), b""
    for piece in _pieces(payload):
        opened.update(last)
        length += len(piece)
        last = piece
    opened.update(last[:-1])  # all but the closing brace (see `StreamedBody`)
    stream = StreamedBody(lambda: _pieces(payload), length, opened=opened)
    headers = _base_headers(now) | {
        "Content-Type": JSON_TYPE,
        "Content-Length": str(length),
        "ETag": stream.etag(),
    }
    return SimResponse(status, headers, b"", stream)


def not_modified(tag: str, now: dt.datetime) -> SimResponse:
    """304: no body and no Content-Type/Length, only the ETag (Express strips the rest)."""
    return SimResponse(304, _base_headers(now) | {"ETag": tag}, b"")


def html_answer(status: int, page: str, now: dt.datetime, *, express: bool) -> SimResponse:
    """An HTML answer: Express's error page (with its security headers) or a proxy's page."""
    body = page.encode()
    headers = _base_headers(now) if express else {"Date": _base_headers(now)["Date"]}
    if express:
        headers |= {
            "Content-Security-Policy": "default-src 'none'",
            "X-Content-Type-Options": "nosniff",
        }
    headers |= {"Content-Type": HTML_TYPE, "Content-Length": str(len(body))}
    return SimResponse(status, headers, body)


def cannot(method: str, path: str, now: dt.datetime) -> SimResponse:
    """Express's 404 for an unrouted method or path (docs/server-facts.md: ``Cannot GET ...``)."""
    page = EXPRESS_404.format(method=html.escape(method), path=html.escape(path))
    return html_answer(404, page, now, express=True)


def error_answer(api: Api, status: int, message: object, now: dt.datetime) -> SimResponse:
    """An error in each API's shape: v0 ``{"error"}``, v1 ``{"success": false, "error"}``."""
    payload: dict[str, object] = (
        {"error": message}
        if api == "v0"
        else {
            "success": False,
            "error": message,
        }
    )
    return json_answer(status, payload, now)


def _phrase(code: int) -> str:
    try:
        return http.HTTPStatus(code).phrase
    except ValueError:
        return "Error"


def js_date(when: dt.datetime) -> str:
    """A date as JavaScript's ``Date.toString()`` prints it in UTC (the 429 "resets at")."""
    return when.strftime("%a %b %d %Y %H:%M:%S GMT+0000 (Coordinated Universal Time)")


def fault_answer(fault: Fault, api: Api, path: str, now: dt.datetime) -> SimResponse:
    """The answer a ``status`` or ``html_404`` fault gives in place of the server's."""
    if fault.kind == "html_404":
        return cannot("GET", path, now)
    code = fault.status_code
    if isinstance(fault.body, bytes):
        return raw_json(code, fault.body, now)
    if fault.body is not None:
        return json_answer(code, fault.body, now)
    if code in (502, 503, 504):
        phrase = _phrase(code)
        return html_answer(code, PROXY_PAGE.format(code=code, phrase=phrase), now, express=False)
    if code == 429:
        resets = js_date(now + dt.timedelta(seconds=fault.retry_after))
        message = RATE_LIMIT_MESSAGE.format(seconds=fault.retry_after, resets=resets)
        if api == "v0":
            return error_answer(api, code, message, now)
        # v1 authentication adds the header and a body key; v0 never does (docs/server-facts.md).
        payload = {"success": False, "error": message, "retry_after_seconds": fault.retry_after}
        response = json_answer(code, payload, now)
        return attrs.evolve(
            response, headers=response.headers | {"Retry-After": str(fault.retry_after)}
        )
    if code == 500 and api == "v1":
        payload = {"success": False, "code": "UNKNOWN_ERROR", "error": SERVER_ERROR_MESSAGE}
        return json_answer(code, payload, now)
    canned = {
        401: "Unauthorized: Invalid token",
        404: "Job not found" if api == "v0" else "Extract job not found",
        500: SERVER_ERROR_MESSAGE,
    }
    return error_answer(api, code, canned.get(code, _phrase(code)), now)
