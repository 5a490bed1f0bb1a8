"""The identities of the documents a v1/v2 page walk delivered, in about 8 bytes each.

A walk remembers every document it delivered, so that a server ignoring ``skip`` (which
resends the job from its start on every page) costs bytes but never a duplicate. Kept as
strings in a Python set, that memory grows by some 360 bytes a document; a crawl of 10,000
pages would hold more identities than one page of documents. Here each identity is a 64-bit
BLAKE2b digest (`digest`) kept in a `DigestSet`: sorted ``array('Q')`` chunks of a bounded
size, looked up by bisection. No buffer ever grows with the whole set: a long walk does not
reallocate one large array over and over, which would leave the freed copies behind as holes
in the heap (fragmentation that grows the process's memory as surely as the data).

Collisions: two different identities share a digest with probability 2^-64. A walk of ``n``
documents looks each one up by at most two identities (`_pages`), so the chance that any
lookup meets a false match is about n^2 / 2^64: 5e-12 for 10,000 documents, 5e-8 for a million. A
collision would cost one document: taken for one already delivered, it is dropped (counted as
repeated) instead of delivered. 128 bits would make that 2^-64 times smaller for twice the
memory; at these odds, far below those of the server losing a result, 64 bits is enough. The
identities come from the server (``scrapeId``) and from crawled sites (URLs); no one can aim
a digest at a given document's without a 2^64 search, so a hostile site can at most hide one
of its own pages.
"""

from __future__ import annotations

import hashlib
from array import array
from bisect import bisect_left
from collections.abc import Iterable

_CHUNK = 1024
"""A chunk holding more than ``2 * _CHUNK`` digests is split into two (of about ``_CHUNK``)."""


def digest(identity: str) -> int:
    """The 64-bit digest an identity is kept as (any text, lone surrogates included)."""
    data = identity.encode("utf-8", "surrogatepass")
    return int.from_bytes(hashlib.blake2b(data, digest_size=8).digest(), "little")


class DigestSet:
    """A set of 64-bit unsigned integers: `add`, ``in`` and ``len`` only, in a little over 8
    bytes an entry (the arrays' slack).

    The entries are kept sorted in chunks (each an ``array('Q')`` of at most ``2 * _CHUNK + 1``),
    with the largest entry of each chunk in a plain list: a lookup bisects that list, then the
    one chunk it names; an addition inserts into that chunk and splits it in two when full.
    """

    def __init__(self, values: Iterable[int] = ()) -> None:
        self._chunks: list[array[int]] = []
        self._maxes: list[int] = []  # the largest entry of each chunk
        self._count = 0
        for value in values:
            self.add(value)

    def __len__(self) -> int:
        return self._count

    def __contains__(self, value: int) -> bool:
        at = bisect_left(self._maxes, value)
        if at == len(self._maxes):
            return False
        chunk = self._chunks[at]
        return chunk[bisect_left(chunk, value)] == value

    def add(self, value: int) -> None:
        """Add ``value`` (0 <= value < 2^64); adding one already held changes nothing."""
        if not 0 <= value < 1 << 64:
            raise OverflowError(f"{value} is not a 64-bit unsigned integer")
        if not self._chunks:
            self._chunks.append(array("Q", [value]))
            self._maxes.append(value)
            self._count = 1
            return
        at = min(bisect_left(self._maxes, value), len(self._maxes) - 1)
        chunk = self._chunks[at]
        place = bisect_left(chunk, value)
        if place < len(chunk) and chunk[place] == value:
            return
        chunk.insert(place, value)
        self._count += 1
        if len(chunk) > 2 * _CHUNK:
            upper = chunk[_CHUNK:]
            del chunk[_CHUNK:]
            self._chunks.insert(at + 1, upper)
            self._maxes.insert(at + 1, upper[-1])
        self._maxes[at] = chunk[-1]
