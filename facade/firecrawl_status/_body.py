"""One answer's body, read in chunks within size limits.

``response.content`` holds a whole body, then its whole inflated form: a 10 MB gzip body can
inflate to gigabytes and end in `MemoryError`. Here the body is read raw, chunk by chunk, and
inflated by zlib with a cap on its output, so a compression bomb stops at the limit instead of
after it. The deadline over the whole exchange is kept by the transport (`_api`); this module
only counts bytes.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator

import attrs

__all__ = ["BodyLimits"]  # re-exported by firecrawl_status

MIB = 1024 * 1024
DEFAULT_MAX_BYTES = 512 * MIB
"""The default for both limits. The v0 status endpoint re-sends every page of a crawl in one
answer: 10,000 pages (the default crawl limit) at 20-50 KB of markdown and metadata each is
200-500 MB. Half a gigabyte lets such a crawl through while a hostile body stops long before
it can exhaust a machine's memory."""

ACCEPTED_ENCODINGS = "gzip, deflate"
"""What the client asks for; it decodes exactly these (and identity)."""


def _at_least_one(_instance: object, attribute: attrs.Attribute[int], value: int) -> None:
    if value < 1:
        raise ValueError(f"{attribute.name} must be at least 1 byte, not {value!r}")


@attrs.frozen(kw_only=True)
class BodyLimits:
    """The largest answer a client accepts; a larger one raises `ResponseTooLargeError`.

    Attributes:
        max_received: Bytes read from the network for one answer (before decompression).
        max_decoded: Bytes of one answer after ``Content-Encoding`` is undone: the memory the
            body itself takes. Stops compression bombs.
    """

    max_received: int = attrs.field(default=DEFAULT_MAX_BYTES, validator=_at_least_one)
    max_decoded: int = attrs.field(default=DEFAULT_MAX_BYTES, validator=_at_least_one)


class TooLarge(Exception):
    """The body went over a limit; ``received``/``decoded`` count what was read until then."""

    def __init__(self, what: str, limit: int, received: int, decoded: int) -> None:
        super().__init__(f"the answer exceeds the {what} limit of {limit:,} bytes")
        self.limit = limit
        self.received = received
        self.decoded = decoded


class Undecodable(Exception):
    """The body does not decode as its ``Content-Encoding`` says."""


class BodyReader:
    """Decodes one body fed raw chunk by chunk, undoing its ``Content-Encoding``.

    Two ways to use it: `feed` every chunk then `finish` for the whole body, or, to stream,
    `decode` each chunk and `flush` at the end, taking the decoded pieces as they come (each
    at most `PIECE` bytes, so a small compressed chunk never inflates into one large piece).
    The limits count the whole body either way.
    """

    def __init__(self, content_encoding: str, limits: BodyLimits) -> None:
        codings = [part.strip().lower() for part in content_encoding.split(",")]
        codings = [coding for coding in codings if coding and coding != "identity"]
        self._limits = limits
        self._buffer = bytearray()
        self.received = 0
        self.decoded = 0
        self._zlib: zlib._Decompress | None = None
        self._raw_deflate_tried = False
        self._first = b""
        if not codings:
            return
        if len(codings) > 1 or codings[0] not in ("gzip", "x-gzip", "deflate"):
            raise Undecodable(f"unsupported Content-Encoding {content_encoding!r}")
        # 32 + MAX_WBITS reads a gzip or zlib header; "deflate" is zlib-wrapped by the RFC,
        # raw by some servers: tried wrapped first, raw on failure (as browsers do).
        self._zlib = zlib.decompressobj(zlib.MAX_WBITS | 32)

    def feed(self, raw: bytes) -> None:
        """Take one raw chunk and keep it decoded. Raises `TooLarge` or `Undecodable`."""
        for piece in self.decode(raw):
            self._buffer += piece

    def finish(self) -> bytes:
        """The decoded body, once every chunk was fed."""
        for piece in self.flush():
            self._buffer += piece
        return bytes(self._buffer)

    def decode(self, raw: bytes) -> Iterator[bytes]:
        """The decoded pieces of one raw chunk, none kept. Raises `TooLarge` or `Undecodable`."""
        self.received += len(raw)
        if self.received > self._limits.max_received:
            raise TooLarge("received-bytes", self._limits.max_received, self.received, self.decoded)
        if self._zlib is None:
            self._count(raw)
            yield raw
            return
        if not self.decoded and not self._raw_deflate_tried:
            self._first += raw
        try:
            yield from self._inflate(raw)
        except zlib.error as exc:
            if self.decoded or self._raw_deflate_tried:
                raise Undecodable(f"the compressed body is corrupt ({exc})") from None
            self._raw_deflate_tried = True
            self._zlib = zlib.decompressobj(-zlib.MAX_WBITS)
            try:
                yield from self._inflate(self._first)
            except zlib.error:
                raise Undecodable(f"the body is not gzip or deflate data ({exc})") from None
        if self.decoded:
            self._first = b""

    def flush(self) -> Iterator[bytes]:
        """The last decoded pieces, once every chunk was decoded."""
        if self._zlib is not None:
            tail = self._zlib.flush()
            self._count(tail)
            if tail:
                yield tail

    def _inflate(self, data: bytes) -> Iterator[bytes]:
        assert self._zlib is not None
        while data:
            room = self._limits.max_decoded - self.decoded
            # One byte over the room is enough to know the limit is exceeded.
            piece = self._zlib.decompress(data, min(room + 1, PIECE))
            self._count(piece)
            if piece:
                yield piece
            data = self._zlib.unconsumed_tail
            if self._zlib.eof:
                return

    def _count(self, data: bytes) -> None:
        if self.decoded + len(data) > self._limits.max_decoded:
            raise TooLarge("decoded-bytes", self._limits.max_decoded, self.received, self.decoded)
        self.decoded += len(data)


PIECE = 64 * 1024
"""The most a streamed body is decoded at a time (bytes)."""

REDACTED = b"[redacted]"


class Redactor:
    """Replaces an API key echoed in a body, also when the key is split across chunks.

    A body echoing the request (a 401 repeating the Authorization header) would otherwise put
    the key in error messages, reprs, documents, the store and the CLI's output. `feed` holds
    back the last ``len(key) - 1`` bytes, which may be the start of a key the next chunk ends.
    """

    def __init__(self, key: bytes | None) -> None:
        self._key = key or b""
        self._held = b""

    def feed(self, data: bytes) -> bytes:
        """The text of ``data`` that is safe to pass on now, the key replaced."""
        if not self._key:
            return data
        text = self._held + data
        if self._key in text:
            text = text.replace(self._key, REDACTED)
        keep = min(len(self._key) - 1, len(text))
        cut = len(text) - keep
        self._held = text[cut:]
        return text[:cut]

    def close(self) -> bytes:
        """What is still held back, once the body ended."""
        held, self._held = self._held, b""
        return held
