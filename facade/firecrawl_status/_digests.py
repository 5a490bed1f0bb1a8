"""The identities of the documents a v1/v2 page walk delivered, in about 8 bytes each.

A walk remembers every document it delivered, so that a server ignoring ``skip`` (which
resends the job from its start on every page) costs bytes but never a duplicate. Kept as
strings in a Python set, that memory grows by some 360 bytes a document; a crawl of 10,000
pages would hold more identities than one page of documents. Here each identity is a 64-bit
BLAKE2b digest (`digest`) kept in a `DigestSet`: a sorted ``array('Q')`` looked up by bisection,
plus a small set of recent additions merged into it in batches.

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

_MIN_BATCH = 1024
"""Recent additions kept as a plain set before a merge; the batch grows with the set (1/16)."""


def digest(identity: str) -> int:
    """The 64-bit digest an identity is kept as (any text, lone surrogates included)."""
    data = identity.encode("utf-8", "surrogatepass")
    return int.from_bytes(hashlib.blake2b(data, digest_size=8).digest(), "little")


class DigestSet:
    """A set of 64-bit unsigned integers: `add`, ``in`` and ``len`` only, 8 bytes an entry.

    Lookups bisect the sorted array (O(log n)) after a look in the recent additions; an
    addition is O(1) until the batch is full, then merged in one pass (amortised O(1) copies
    per entry, since the batch grows with the set).
    """

    def __init__(self, values: Iterable[int] = ()) -> None:
        self._sorted = array("Q")
        self._recent: set[int] = set()
        for value in values:
            self.add(value)

    def __len__(self) -> int:
        return len(self._sorted) + len(self._recent)

    def __contains__(self, value: int) -> bool:
        if value in self._recent:
            return True
        at = bisect_left(self._sorted, value)
        return at < len(self._sorted) and self._sorted[at] == value

    def add(self, value: int) -> None:
        """Add ``value`` (0 <= value < 2^64); adding one already held changes nothing."""
        if value in self:
            return
        if not 0 <= value < 1 << 64:
            raise OverflowError(f"{value} is not a 64-bit unsigned integer")
        self._recent.add(value)
        if len(self._recent) >= max(_MIN_BATCH, len(self._sorted) >> 4):
            self._merge()

    def _merge(self) -> None:
        """Fold the recent additions into the sorted array: slices are copied at C speed, only
        the additions themselves are placed one by one."""
        old, merged, start = self._sorted, array("Q"), 0
        for value in sorted(self._recent):
            at = bisect_left(old, value, start)
            merged += old[start:at]
            merged.append(value)
            start = at
        merged += old[start:]
        self._sorted = merged
        self._recent.clear()
