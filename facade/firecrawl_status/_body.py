"""One answer's body, read in chunks within size limits.

``response.content`` holds a whole body, then its whole inflated form: a 10 MB gzip body can
inflate to gigabytes and end in `MemoryError`. Here the body is read raw, chunk by chunk, and
inflated by zlib with a cap on its output, so a compression bomb stops at the limit instead of
after it. The deadline over the whole exchange is kept by the transport (`_api`); this module
only counts bytes.
"""

from __future__ import annotations

import zlib

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
    """Collects one body fed raw chunk by chunk, undoing its ``Content-Encoding``."""

    def __init__(self, content_encoding: str, limits: BodyLimits) -> None:
        codings = [part.strip().lower() for part in content_encoding.split(",")]
        codings = [coding for coding in codings if coding and coding != "identity"]
        self._limits = limits
        self._buffer = bytearray()
        self.received = 0
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
        """Take one raw chunk. Raises `TooLarge` or `Undecodable`."""
        self.received += len(raw)
        if self.received > self._limits.max_received:
            raise TooLarge(
                "received-bytes", self._limits.max_received, self.received, len(self._buffer)
            )
        if self._zlib is None:
            self._append(raw)
            return
        if not self._buffer and not self._raw_deflate_tried:
            self._first += raw
        try:
            self._inflate(raw)
        except zlib.error as exc:
            if self._buffer or self._raw_deflate_tried:
                raise Undecodable(f"the compressed body is corrupt ({exc})") from None
            self._raw_deflate_tried = True
            self._zlib = zlib.decompressobj(-zlib.MAX_WBITS)
            try:
                self._inflate(self._first)
            except zlib.error:
                raise Undecodable(f"the body is not gzip or deflate data ({exc})") from None
        if self._buffer:
            self._first = b""

    def finish(self) -> bytes:
        """The decoded body, once every chunk was fed."""
        if self._zlib is not None:
            self._append(self._zlib.flush())
        return bytes(self._buffer)

    def _inflate(self, data: bytes) -> None:
        assert self._zlib is not None
        while data:
            room = self._limits.max_decoded - len(self._buffer)
            # One byte over the room is enough to know the limit is exceeded.
            self._append(self._zlib.decompress(data, room + 1))
            data = self._zlib.unconsumed_tail
            if self._zlib.eof:
                return

    def _append(self, data: bytes) -> None:
        if len(self._buffer) + len(data) > self._limits.max_decoded:
            raise TooLarge(
                "decoded-bytes", self._limits.max_decoded, self.received, len(self._buffer)
            )
        self._buffer += data
