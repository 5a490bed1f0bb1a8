"""One JSON answer body, scanned as it arrives: top-level fields, and list elements one by one.

A v0 crawl status answer carries every finished page in one body (``data``, and on current
servers ``partial_data`` too): 10,000 pages are tens to hundreds of MB. ``json.loads`` needs the
whole body and then holds its whole decoded tree. Issue 16 asks for memory bounded by one
document: this scanner is fed the body chunk by chunk and hands back the envelope's fields as
they pass and the elements of the named top-level lists one at a time, so the client holds at
most one unfinished element plus one chunk.

Why ``json.JSONDecoder.raw_decode`` on a sliding ``str`` rather than a streaming tokenizer
(ijson): the scanner walks only the envelope (``{``, keys, ``:``, ``,``, ``[``, ``]``) in
Python; each element is decoded whole by the C decoder, as ``json.loads`` would. Measured on
10,000-document answers, scanning costs 1.0x to 1.4x ``json.loads`` of the whole body (the
most for plain ASCII pages, which ``json.loads`` reads fastest; a hash of each element's text
and its event are most of the difference), where a Python loop over ijson's C-backend events
costs 2x; and it adds no dependency. The price is that a truncated element fails to decode
and must be retried: the retry waits until the unfinished text has at least doubled (or the
body ends), so a huge element arriving in tiny chunks costs a bounded multiple of one decode,
not one per chunk.

Work proportional to what is new (issue 16): a growing list re-sends every document on every
poll. Given the sizes and fingerprints of the previous answer's elements, the scanner
recognises a repeated element by hashing its raw text and hands back a `Repeat` instead of
decoding it again.

Equivalence with ``json.loads(body)``: for a valid object body, the `Field` events plus the
lists rebuilt from `ListStart`/`Element` events (and the previous answer's values for
`Repeat` events) equal ``json.loads(body)`` (a repeated key: the last one wins, as there); a
valid body that is not an object gives one `Whole` at `BodyScanner.close`; an invalid body
raises `ScanError` (json's message and position) at the latest at `BodyScanner.close`.
Pure and stdlib-only: no IO, no clock.
"""

from __future__ import annotations

import codecs
import json
import json.decoder
import re
import sys
from collections.abc import Callable, Collection, Mapping, Sequence
from typing import Any, Final, NamedTuple

import attrs

__all__ = [
    "BodyScanner",
    "Element",
    "Event",
    "Field",
    "ListEnd",
    "ListStart",
    "Repeat",
    "ScanError",
    "Whole",
]


@attrs.frozen
class Field:
    """A top-level member whose value is not a streamed list."""

    name: str
    value: Any


class Element(NamedTuple):
    """One element of a streamed top-level list (a tuple: one is made per element, and a
    tuple is several times cheaper to make than a frozen attrs class).

    Attributes:
        list_name: The list's key.
        position: The element's index in its list, from 0.
        value: The decoded element.
        fingerprint: ``hash()`` of the element's raw JSON text: the same text gives the same
            fingerprint within one process (not across processes). None once the scanner's
            `BodyScanner.fingerprints` is off.
        size: The raw text's length in characters; None once fingerprints are off (elements
            are then decoded several at a time where they can be).
    """

    list_name: str
    position: int
    value: Any
    fingerprint: int | None
    size: int | None


class Repeat(NamedTuple):
    """An element whose raw text is that of an element of the caller's previous answer
    (`BodyScanner`'s ``previous``): recognised by its fingerprint and not decoded.

    Attributes:
        list_name: The list's key.
        position: The element's index in its list, from 0.
        fingerprint: The fingerprint of the previous answer's element (the same text).
        size: The raw text's length in characters.
    """

    list_name: str
    position: int
    fingerprint: int
    size: int


@attrs.frozen
class ListStart:
    """A streamed list begins (so ``"data": []`` differs from an absent or null ``data``).

    A key seen twice starts its list again: like ``json.loads``, the last one wins.
    """

    name: str


@attrs.frozen
class ListEnd:
    """A streamed list ended after ``count`` elements."""

    name: str
    count: int


@attrs.frozen
class Whole:
    """The body is valid JSON but not an object (emitted by `BodyScanner.close`)."""

    value: Any


Event = Field | Element | Repeat | ListStart | ListEnd | Whole


class ScanError(ValueError):
    """The body is not valid JSON: malformed, truncated, badly encoded or nested too deeply.

    The message reads like ``json``'s ("Expecting ',' delimiter: line 1 column 5 (char 4)") and
    never quotes the body. ``pos`` is the character offset of the fault, when there is one.
    """

    def __init__(self, message: str, pos: int | None = None) -> None:
        super().__init__(message[:300])
        self.pos = pos


_WHITESPACE: Final = " \t\n\r"
_non_whitespace: Final = re.compile(r"[^ \t\n\r]").search
# The characters a number may continue with. A number (or its fraction or exponent, which the
# decoder backtracks over when incomplete) is final only once a character outside this set
# follows it: `12` of `123`, `1` of `1e5` must never be accepted.
_number_end: Final = re.compile(r"[^0-9+\-.eE]").search
_VALUE_STARTS: Final = frozenset('{["-0123456789tfnNI')
_NUMBER_STARTS: Final = frozenset("-0123456789")
_comma: Final = re.compile(r"[ \t\n\r]*,[ \t\n\r]*").match
_BLANK_OR_END: Final = frozenset(("", " ", "\t", "\n", "\r"))
# The longest token the decoder may reject only because its end is missing (`-Infinit`).
_LONGEST_TOKEN: Final = len("-Infinity")
_GROWTH: Final = 2
_TAIL: Final = 4096
"""A value that failed to decode for want of text is retried once its text has grown this
many times: the decode work for one value stays within a constant multiple of one decode."""

# The C scanner behind `JSONDecoder.raw_decode`, called directly: a Python frame less per
# element. It raises StopIteration(index) where raw_decode says "Expecting value".
_decode_value: Final[Callable[[str, int], tuple[Any, int]]] = json.JSONDecoder().scan_once  # type: ignore[attr-defined]
# The decoder's own string reader (C), for keys; typeshed does not declare it.
_decode_string: Final[Callable[[str, int, bool], tuple[str, int]]] = json.decoder.scanstring  # type: ignore[attr-defined]

# Where the scanner stands; each state skips whitespace, then expects a token.
_BEGIN = 0  # the body's first value
_WHOLE = 1  # a body that is not an object: decoded at close
_FIRST_KEY = 2  # after `{`: a key or `}`
_KEY = 3  # after `,` between members: a key
_COLON = 4
_VALUE = 5
_NEXT_MEMBER = 6  # `,` or `}`
_FIRST_ELEMENT = 7  # after `[`: an element or `]`
_ELEMENT = 8  # after `,` in a list
_NEXT_ELEMENT = 9  # `,` or `]`
_END = 10  # only whitespace may follow
_CLOSED = 11

_EXPECTED_AT_END: Final = {
    _BEGIN: "Expecting value",
    _FIRST_KEY: "Expecting property name enclosed in double quotes",
    _KEY: "Expecting property name enclosed in double quotes",
    _COLON: "Expecting ':' delimiter",
    _VALUE: "Expecting value",
    _NEXT_MEMBER: "Expecting ',' delimiter",
    _FIRST_ELEMENT: "Expecting value",
    _ELEMENT: "Expecting value",
    _NEXT_ELEMENT: "Expecting ',' delimiter",
}


def _repeated(buf: str, pos: int, hint: tuple[int, int]) -> int:
    """The end of the text at ``buf[pos]`` if it has the hint's size and fingerprint, else -1.

    JSON text other than a number is complete where it ends: equal to a whole element of the
    previous answer, it is that element, whatever follows.
    """
    end = pos + hint[0]
    return end if end <= len(buf) and hash(buf[pos:end]) == hint[1] else -1


class BodyScanner:
    """A push parser for one JSON body: `feed` it bytes, `close` it at the end.

    Each call returns the events completed so far. The streamed lists are the top-level
    members named in ``lists`` whose value is an array; any other member, or one of those
    names with a value that is not an array, is a `Field`.

    Memory: after each `feed`, the scanner holds the unfinished value or element and the text
    received since it was last tried (`buffered`); a body that is not an object is held whole.
    If the body turns out invalid after some events of one `feed` were completed, that call
    returns them and the next `feed` or `close` raises the `ScanError`.

    Args:
        lists: The top-level members streamed element by element.
        previous: Optional, per list, the ``(size, fingerprint)`` of each element of the
            previous answer, in order (from its `Element` and `Repeat` events). An element
            whose raw text has the size and fingerprint of the next one expected there (or of
            the one after: an element inserted, removed or changed) comes as a `Repeat`,
            without being decoded: a growing list that re-sends every document on every poll
            costs a hash per old document instead of a decode. Numbers are always decoded.

    Attributes:
        fingerprints: Whether elements are hashed (`Element.fingerprint`) and compared with
            ``previous``; a caller that will compare no fingerprint of this body turns it off,
            from the next element on. Then no element's own text is needed, so the complete
            elements of each chunk are decoded in one run, by one call of the C decoder
            (whose cache of keys then serves all of them) instead of one call each: with the
            hashes, a third of the scanner's cost.
    """

    def __init__(
        self,
        lists: Collection[str] = ("data", "partial_data"),
        previous: Mapping[str, Sequence[tuple[int, int]]] | None = None,
    ) -> None:
        self._lists = frozenset(lists)
        self._previous = previous or {}
        self.fingerprints = True
        self._hints: Sequence[tuple[int, int]] = ()  # `previous` of the list being streamed
        self._cursor = 0  # the next hint expected to match
        self._positions: dict[int, int] | None = None  # hints by fingerprint, when needed
        self._head = b""  # the first bytes, until the encoding is known
        self._decoder: codecs.IncrementalDecoder | None = None
        self._buf = ""
        self._pos = 0  # the first character of `_buf` not consumed yet
        self._chunks: list[str] = []  # text received but not yet appended to `_buf`
        self._chunks_len = 0
        self._retry_len = 0  # characters needed from `_pos` before the next decode attempt
        self._offset = 0  # the body offset of `_buf[0]`
        self._lines = 0  # newlines before `_buf[0]`, for error locations
        self._line_start = 0  # the body offset where the line holding `_buf[0]` starts
        self._state = _BEGIN
        self._key = ""
        self._count = 0
        self._events: list[Event] = []
        self._error: ScanError | None = None
        self._attempts = 0

    @property
    def buffered(self) -> int:
        """Characters of the body currently held (consumed text is dropped once per feed)."""
        return len(self._buf) - self._pos + self._chunks_len

    @property
    def decode_attempts(self) -> int:
        """How many times a key or value was handed to the decoder; tests use it to show that
        a value arriving in tiny chunks is not decoded again from its start on every chunk."""
        return self._attempts

    def feed(self, data: bytes) -> list[Event]:
        """Take the next chunk of the body (``Content-Encoding`` already undone)."""
        self._raise_pending()
        if self._state == _CLOSED:
            raise RuntimeError("feed() after close()")
        text = self._decode(data, final=False)
        if text:
            self._chunks.append(text)
            self._chunks_len += len(text)
        if self.buffered >= max(self._retry_len, 1):
            self._run(final=False)
        return self._take()

    def close(self) -> list[Event]:
        """End the body: returns the last events, or raises `ScanError` if it is incomplete."""
        self._raise_pending()
        if self._state == _CLOSED:
            return []
        text = self._decode(b"", final=True)
        if text:
            self._chunks.append(text)
            self._chunks_len += len(text)
        self._run(final=True)
        self._raise_pending()
        if self._state != _END:
            raise self._fail(_EXPECTED_AT_END[self._state], len(self._buf))
        self._state = _CLOSED
        self._buf = ""
        self._pos = 0
        return self._take()

    def _raise_pending(self) -> None:
        if self._error is not None:
            raise self._error

    def _take(self) -> list[Event]:
        events, self._events = self._events, []
        return events

    def _decode(self, data: bytes, *, final: bool) -> str:
        try:
            if self._decoder is None:
                self._head += data
                # json.loads(bytes) picks the encoding from the first four bytes (a BOM, or
                # where the zero bytes are); the same choice, and the same error handler.
                if len(self._head) < 4 and not final:
                    return ""
                encoding = json.detect_encoding(self._head)
                self._decoder = codecs.getincrementaldecoder(encoding)("surrogatepass")
                data, self._head = self._head, b""
            return self._decoder.decode(data, final)
        except UnicodeDecodeError as err:
            self._error = ScanError(f"The body is not valid {err.encoding}: {err.reason}")
            self._release()
            raise self._error from None

    def _fail(self, message: str, index: int) -> ScanError:
        """A ScanError at ``_buf[index]``, located as json locates its errors."""
        buf = self._buf
        pos = self._offset + index
        lines = self._lines + buf.count("\n", 0, index)
        newline = buf.rfind("\n", 0, index)
        column = index - newline if newline >= 0 else pos - self._line_start + 1
        self._error = ScanError(f"{message}: line {lines + 1} column {column} (char {pos})", pos)
        return self._error

    def _release(self) -> None:
        """Let go of the text: after an error nothing more is read."""
        self._buf = ""
        self._pos = 0
        self._chunks = []
        self._chunks_len = 0

    def _drop(self, count: int) -> None:
        """Forget the first ``count`` characters of ``_buf``, keeping count of their lines."""
        buf = self._buf
        # find (memchr) first: counting is the slower scan, and most bodies have no newline.
        if buf.find("\n", 0, count) >= 0:
            self._lines += buf.count("\n", 0, count)
            self._line_start = self._offset + buf.rfind("\n", 0, count) + 1
        self._offset += count
        self._buf = buf[count:]
        self._pos -= count

    def _run(self, *, final: bool) -> None:
        """Append the received chunks, walk as far as the text allows, drop what was consumed."""
        if self._chunks:
            self._drop(self._pos)
            self._chunks.insert(0, self._buf)
            self._buf = "".join(self._chunks)
            self._chunks.clear()
            self._chunks_len = 0
        try:
            self._walk(final=final)
        except ScanError:
            self._release()
            if not self._events:
                raise
            return  # the error comes with the next call
        if self._pos:
            self._drop(self._pos)

    def _walk(self, *, final: bool) -> None:
        buf = self._buf
        n = len(buf)
        pos = self._pos
        events = self._events
        try:
            while True:
                if pos < n and buf[pos] in _WHITESPACE:
                    found = _non_whitespace(buf, pos)
                    pos = found.start() if found else n
                if pos >= n:
                    return
                state = self._state
                char = buf[pos]
                if state in (_ELEMENT, _FIRST_ELEMENT):
                    if char == "]" and state == _FIRST_ELEMENT:
                        events.append(ListEnd(self._key, 0))
                        self._state = _NEXT_MEMBER
                        pos += 1
                        continue
                    self._state = _ELEMENT
                    pos = self._elements(pos, final)
                    if self._retry_len:
                        return
                    buf = self._buf  # may have dropped what it consumed
                    n = len(buf)
                elif state == _NEXT_ELEMENT:
                    if char == ",":
                        self._state = _ELEMENT
                    elif char == "]":
                        events.append(ListEnd(self._key, self._count))
                        self._state = _NEXT_MEMBER
                    else:
                        raise self._fail("Expecting ',' delimiter", pos)
                    pos += 1
                elif state in (_FIRST_KEY, _KEY):
                    if char == "}" and state == _FIRST_KEY:
                        self._state = _END
                        pos += 1
                        continue
                    if char != '"':
                        raise self._fail("Expecting property name enclosed in double quotes", pos)
                    key = self._key_at(pos, final)
                    if key is None:
                        return
                    self._key, pos = key
                    self._state = _COLON
                elif state == _COLON:
                    if char != ":":
                        raise self._fail("Expecting ':' delimiter", pos)
                    pos += 1
                    self._state = _VALUE
                elif state == _VALUE:
                    if char == "[" and self._key in self._lists:
                        events.append(ListStart(self._key))
                        self._count = 0
                        self._hints = self._previous.get(self._key, ())
                        self._cursor = 0
                        self._positions = None
                        self._state = _FIRST_ELEMENT
                        pos += 1
                        continue
                    decoded = self._value(pos, final)
                    if decoded is None:
                        return
                    events.append(Field(self._key, decoded[0]))
                    pos = decoded[1]
                    self._state = _NEXT_MEMBER
                elif state == _NEXT_MEMBER:
                    if char == ",":
                        self._state = _KEY
                    elif char == "}":
                        self._state = _END
                    else:
                        raise self._fail("Expecting ',' delimiter", pos)
                    pos += 1
                elif state == _BEGIN:
                    if char == "{":
                        self._state = _FIRST_KEY
                        pos += 1
                    elif char in _VALUE_STARTS:
                        # Not an object: nothing to stream, decoded whole at close.
                        self._state = _WHOLE
                        self._retry_len = sys.maxsize
                    else:
                        raise self._fail("Expecting value", pos)
                elif state == _WHOLE:
                    if not final:
                        return
                    decoded = self._value(pos, final)
                    assert decoded is not None  # final: decoded or raised
                    events.append(Whole(decoded[0]))
                    pos = decoded[1]
                    self._state = _END
                else:
                    raise self._fail("Extra data", pos)
        finally:
            self._pos = pos

    def _elements(self, pos: int, final: bool) -> int:
        """Take the list's elements from ``_buf[pos]`` on while the text allows; the hot loop.
        With fingerprints off, the complete ones first in one run (`_run_of_elements`).

        Returns where it stopped: at the next element when the text ran out (with
        ``_retry_len`` set if that element is incomplete), or after the last element with
        the state `_NEXT_ELEMENT`.
        """
        buf = self._buf
        append = self._events.append
        # The events made directly (C), not through the NamedTuple's Python `__new__`.
        new_tuple = tuple.__new__
        name = self._key
        count = self._count
        hashing = self.fingerprints
        hints = self._hints
        hinted = len(hints) if hashing else 0
        cursor = self._cursor
        attempts = 0
        self._retry_len = 0
        if not hashing:
            ran = self._run_of_elements(pos)
            if ran != pos:
                count = self._count
                # Drop what the run consumed: the rest is the last, maybe incomplete, element.
                self._pos = ran
                self._drop(ran)
                buf = self._buf
                pos = 0
        try:
            while True:
                end = -1
                # The previous answer's next element, or the one after (one was inserted,
                # removed or changed): recognised by its text, not decoded. Never a number:
                # a prefix of a longer one would match.
                if cursor < hinted and buf[pos] not in _NUMBER_STARTS:
                    hint = hints[cursor]
                    end = _repeated(buf, pos, hint)
                    if end < 0 and cursor + 1 < hinted:
                        cursor += 1
                        hint = hints[cursor]
                        end = _repeated(buf, pos, hint)
                        if end < 0:
                            cursor -= 1
                    if end >= 0:
                        append(new_tuple(Repeat, (name, count, hint[1], hint[0])))
                        cursor += 1
                if end < 0:
                    attempts += 1
                    try:
                        value, end = _decode_value(buf, pos)
                    except (ValueError, RecursionError, StopIteration) as err:
                        self._undecodable(err, pos, final)
                        return pos
                    if buf[pos] in _NUMBER_STARTS and self._unfinished_number(pos, end, final):
                        return pos
                    if hashing:
                        fingerprint = hash(buf[pos:end])
                        append(new_tuple(Element, (name, count, value, fingerprint, end - pos)))
                        if cursor < hinted and hints[cursor][1] != fingerprint:
                            # New, or old but out of step (several removed, moved): find it.
                            cursor = self._hint_positions().get(fingerprint, cursor - 1)
                        cursor += 1
                    else:
                        append(new_tuple(Element, (name, count, value, None, None)))
                count += 1
                size = end - pos
                # Compact JSON first (`,` then the next element): no regex call.
                if buf.startswith(",", end) and buf[end + 1 : end + 2] not in _BLANK_OR_END:
                    pos = end + 1
                else:
                    separator = _comma(buf, end)
                    if separator is None:
                        self._state = _NEXT_ELEMENT
                        return end
                    pos = separator.end()
                left = len(buf) - pos
                if not left:
                    return pos
                if left < pos and left < 2 * size + _TAIL:
                    # Likely the last element, maybe incomplete: its decode error would
                    # count the lines of all the text before it (json.JSONDecodeError does).
                    # Drop the consumed text first; the rest is small.
                    self._pos = pos
                    self._drop(pos)
                    buf = self._buf
                    pos = 0
        finally:
            self._count = count
            self._cursor = cursor
            self._attempts += attempts

    def _run_of_elements(self, pos: int) -> int:
        """Decode the complete elements from ``_buf[pos]`` up to the last ``},{`` in one call;
        return where the next element starts, or ``pos`` when that text is no run of whole
        elements (a ``},{`` inside a string, an error: then they are decoded one by one, and
        an error is reported where it is).

        Sound because the text, between ``[`` and ``]``, decodes as one whole list only if it
        is whole elements separated by commas, the last one an object that ends at the cut.
        """
        buf = self._buf
        cut = buf.rfind("},{", pos) + 1
        if cut <= pos:
            return pos
        run = "[" + buf[pos:cut] + "]"
        self._attempts += 1
        try:
            values, end = _decode_value(run, 0)
        except (ValueError, RecursionError, StopIteration):
            return pos
        if end != len(run):  # a `]` closed the list early: the cut is past its end
            return pos
        append, name, count = self._events.append, self._key, self._count
        new_tuple = tuple.__new__
        for value in values:
            append(new_tuple(Element, (name, count, value, None, None)))
            count += 1
        self._count = count
        return cut + 1  # past the comma

    def _hint_positions(self) -> dict[int, int]:
        """Where each fingerprint of the previous answer's list stands, built when first asked."""
        if self._positions is None:
            self._positions = {hint[1]: index for index, hint in enumerate(self._hints)}
        return self._positions

    def _value(self, pos: int, final: bool) -> tuple[Any, int] | None:
        """The value starting at ``_buf[pos]`` and its end, or None while it may be incomplete."""
        self._attempts += 1
        self._retry_len = 0
        try:
            value, end = _decode_value(self._buf, pos)
        except (ValueError, RecursionError, StopIteration) as err:
            self._undecodable(err, pos, final)
            return None
        if self._unfinished_number(pos, end, final):
            return None
        return value, end

    def _unfinished_number(self, pos: int, end: int, final: bool) -> bool:
        """Whether the value decoded from ``_buf[pos:end]`` is a number that may go on."""
        buf = self._buf
        if final or buf[pos] not in _NUMBER_STARTS or _number_end(buf, end):
            return False
        self._retry_len = _GROWTH * (len(buf) - pos)
        return True

    def _undecodable(
        self, err: ValueError | RecursionError | StopIteration, pos: int, final: bool
    ) -> None:
        """Raise the ScanError for a value that failed to decode, or wait for more text."""
        if isinstance(err, RecursionError):
            raise self._fail("Value nested too deeply", pos) from None
        if isinstance(err, StopIteration):  # raw_decode's "Expecting value"
            self._retry_later("Expecting value", err.value, pos, final)
        elif isinstance(err, json.JSONDecodeError):
            self._retry_later(err.msg, err.pos, pos, final)
        else:  # an integer over sys.get_int_max_str_digits()
            raise self._fail(str(err)[:200], pos) from None

    def _key_at(self, pos: int, final: bool) -> tuple[str, int] | None:
        """The key whose quote is at ``_buf[pos]`` and its end, or None while incomplete."""
        self._attempts += 1
        try:
            key, end = _decode_string(self._buf, pos + 1, True)
        except json.JSONDecodeError as err:
            self._retry_later(err.msg, err.pos, pos, final)
            return None
        self._retry_len = 0
        return key, end

    def _retry_later(self, message: str, at: int, pos: int, final: bool) -> None:
        """Wait for more text if the decoder may have failed (``message`` at ``_buf[at]``, in
        the value starting at ``_buf[pos]``) only because the text ended; else raise."""
        n = len(self._buf)
        # Every decoder error caused by missing text is either an unterminated string or lies
        # within the longest token's length of the end; any other is final now.
        truncated = message.startswith("Unterminated string") or at >= n - _LONGEST_TOKEN
        if final or not truncated:
            raise self._fail(message, at) from None
        self._retry_len = _GROWTH * (n - pos)
