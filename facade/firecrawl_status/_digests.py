"""The identities of the documents a walk or a stream delivered, in about 8 bytes each.

A walk remembers every document it delivered, so that a server ignoring ``skip`` (which
resends the job from its start on every page) costs bytes but never a duplicate; a v0 stream
remembers the identity and the text's fingerprint of each (`_merge`). Kept as strings in a
Python set, that memory grows by some 360 bytes a document; a crawl of 10,000 pages would hold
more identities than one page of documents. Here each identity is a 64-bit digest (`digest`)
kept in a `DigestSet`: sorted ``array('Q')`` chunks of a bounded size, looked up by
bisection, behind a small Python set of the latest additions. No buffer ever grows with the
whole set: a long walk does not reallocate one large array over and over, which would leave
the freed copies behind as holes in the heap (fragmentation that grows the process's memory
as surely as the data).

The digest is Python's own ``hash()`` of the identity, kept unsigned: SipHash, keyed with a
secret drawn at each interpreter start, and cached in the string, so a document's identity,
asked for several times on its way through a stream, is hashed once. Text with a character
outside ASCII is hashed as its UTF-8 bytes: CPython hashes a string's stored bytes, and two
strings stored at different widths can share them (``"ab"`` and ``"\u6261"``), while ASCII text
hashes exactly as its UTF-8 does, so no two identities ever hash the same bytes. Where
``hash()`` is narrower than 64 bits (32-bit builds), BLAKE2b gives the 64 bits instead.
Digests are never written anywhere: one process compares them only with its own.

Collisions: two different identities share a digest with probability 2^-64. A walk of ``n``
documents looks each one up by at most two identities (`_pages`), so the chance that any
lookup meets a false match is about n^2 / 2^64: 5e-12 for 10,000 documents, 5e-8 for a million. A
collision would cost one document: taken for one already delivered, it is dropped (counted as
repeated) instead of delivered. 128 bits would make that 2^-64 times smaller for twice the
memory; at these odds, far below those of the server losing a result, 64 bits is enough. The
identities come from the server (``scrapeId``) and from crawled sites (URLs); without the
process's key no one can aim a digest at a given document's. A process run with
``PYTHONHASHSEED`` fixed makes the key public: SipHash then no longer stops a site from
crafting a URL whose digest matches another page's, and the cost of such an attack is a
document taken for one already delivered, as for a chance collision.
"""

from __future__ import annotations

import hashlib
import sys
from array import array
from bisect import bisect_left
from collections.abc import Iterable

_CHUNK = 1024
"""A chunk holding more than ``2 * _CHUNK`` digests is split into two (of about ``_CHUNK``)."""

_RECENT = 2048
"""The latest additions held in a plain set (about 100 bytes each, some 200 KB when full)
before they are sorted into the chunks: a set of up to this many costs a set lookup, not a
bisection of a chunk."""

U64 = (1 << 64) - 1
"""The mask that keeps a Python ``hash()`` (signed) as the unsigned 64 bits a set holds."""

_WIDE_HASH = sys.hash_info.width >= 64


def digest(identity: str) -> int:
    """The 64-bit digest an identity is kept as (any text, lone surrogates included)."""
    if not _WIDE_HASH:
        data = identity.encode("utf-8", "surrogatepass")
        return int.from_bytes(hashlib.blake2b(data, digest_size=8).digest(), "little")
    if identity.isascii():
        return hash(identity) & U64
    return hash(identity.encode("utf-8", "surrogatepass")) & U64


class DigestSet:
    """A set of 64-bit unsigned integers: `add`, ``in`` and ``len`` only, in a little over 8
    bytes an entry (the arrays' slack) plus the latest additions.

    The entries are kept sorted in chunks (each an ``array('Q')`` of at most ``2 * _CHUNK + 1``),
    with the largest entry of each chunk in a plain list: a lookup bisects that list, then the
    one chunk it names; an entry is inserted into its chunk, which splits in two when full.
    The latest `_RECENT` additions wait in a plain set, sorted into the chunks together.
    """

    def __init__(self, values: Iterable[int] = ()) -> None:
        self._recent: set[int] = set()
        self._chunks: list[array[int]] = []
        self._maxes: list[int] = []  # the largest entry of each chunk
        self._count = 0
        for value in values:
            self.add(value)

    def __len__(self) -> int:
        return self._count

    def __contains__(self, value: int) -> bool:
        return value in self._recent or (bool(self._maxes) and self._chunked(value))

    def _chunked(self, value: int) -> bool:
        """Whether ``value`` is held in a chunk (there is at least one)."""
        maxes = self._maxes
        at = bisect_left(maxes, value)
        if at == len(maxes):
            return False
        chunk = self._chunks[at]
        return chunk[bisect_left(chunk, value)] == value

    def add(self, value: int) -> bool:
        """Add ``value`` (0 <= value < 2^64); False (nothing changes) when it is held already."""
        # Called for every document a stream delivers: the lookups inline, not through `in`.
        recent = self._recent
        if value in recent:
            return False
        if not 0 <= value <= U64:
            raise OverflowError(f"{value} is not a 64-bit unsigned integer")
        if self._maxes and self._chunked(value):
            return False
        recent.add(value)
        self._count += 1
        if len(recent) >= _RECENT:
            for held in sorted(recent):
                self._insert(held)
            recent.clear()
        return True

    def _insert(self, value: int) -> None:
        """Sort ``value``, held in no chunk, into its chunk."""
        if not self._chunks:
            self._chunks.append(array("Q", [value]))
            self._maxes.append(value)
            return
        at = min(bisect_left(self._maxes, value), len(self._maxes) - 1)
        chunk = self._chunks[at]
        chunk.insert(bisect_left(chunk, value), value)
        if len(chunk) > 2 * _CHUNK:
            upper = chunk[_CHUNK:]
            del chunk[_CHUNK:]
            self._chunks.insert(at + 1, upper)
            self._maxes.insert(at + 1, upper[-1])
        self._maxes[at] = chunk[-1]
