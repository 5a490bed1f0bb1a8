"""Exactly-once merging of a crawl's ``partial_data`` polls and final ``data`` into one stream.

The server shows a crawl's pages in one of two ways (docs/server-facts.md, v0 status):

* early servers: a sliding window of the 50 most recent pages, each with a 1-based ``index``;
  a page that finishes and is pushed out between two polls is never shown again (a gap);
* current servers: every finished page, re-sent whole on every poll, sorted by enqueue time
  (a new page can sit before ones already seen), failed pages removed.

Identity of a document, first match wins:

1. ``metadata.sourceURL``, else the top-level ``url`` (URL-only crawls): stable across polls
   and between ``partial_data`` and the final ``data``;
2. ``index``, when the document has no URL;
3. a SHA-256 of the document's canonical JSON, as a last resort.

Order of the result: by ``index`` where the server gave one, then first-seen order.

The final ``data`` is authoritative for content: its version of a known document replaces the
partial one in the result without being yielded again (the last copy of a document in it
wins); documents only ever seen in ``partial_data`` are kept.

A streamed answer (`_api`) is taken one document at a time: `offer` says whether it is new
or changed (only those are checked against the spec), then `take` merges it into `fresh` or
`updated`, for the caller to `take_out`, and `end_partial` closes the answer. Each comes with a
fingerprint, a hash of its raw JSON text: a document delivered before with the same text is
recognised by it alone and is neither checked nor merged again, and a final document whose
text differs from what was delivered is an update. A completed answer whose fingerprints
nothing would be compared with (nothing delivered before, or no updates wanted) comes without
them: only if it turns out unusable and is read again do its documents count as updates of
themselves, checked again (a cost, nothing lost or repeated).

Memory: a stream keeps no documents, only what it delivered, as 64-bit digests in a
`DigestSet` (`_digests`): the identities and the fingerprints, some 17 bytes a document where
dicts of the keys and fingerprints took about 230 (a 10,000-page crawl: 170 KB, not 2.3 MB),
plus the latest 2,048 additions of each set in a plain one (some 200 KB each at most).
A digest collision (odds in `_digests`) would cost one document, taken for one delivered.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, NamedTuple

from ._digests import U64, DigestSet, digest
from ._documents import CrawlDocument
from ._encoding import storable_text

__all__ = ["UNCHECKED", "Identity", "Item", "Merger", "document_identity"]


WINDOW = 50
"""Size of the early servers' sliding ``partial_data`` window (docs/server-facts.md)."""

Identity = tuple[str, int | None]
"""A crawl document's identity key and ``index`` (or None), as `document_identity` gives them."""

UNCHECKED: Identity = ("", None)
"""`Merger.offer`'s answer for a value that is no JSON object: wanted, so the check rejects it."""


class Item(NamedTuple):
    """A document with its identity and sort order (``index`` or None). A tuple: one is made
    per document delivered, several times cheaper than a frozen attrs class."""

    key: str
    order: int | None
    document: CrawlDocument


# Makes an `Item` directly (C), not through the NamedTuple's Python `__new__`: one per document.
_item = tuple.__new__


def document_identity(document: Mapping[str, Any]) -> Identity:
    """The identity key and the ``index`` (or None) of a crawled document, per the module rule.

    Raises:
        ValueError: A document identified by its content is nested too deeply to serialize.
    """
    # Called for every document a stream offers: the common case (decoded JSON whose metadata
    # has an ASCII sourceURL) takes exact type checks only.
    metadata = document.get("metadata")
    if type(metadata) is dict:
        url = metadata.get("sourceURL")
        if type(url) is str and url and url.isascii():
            index = document.get("index")
            if index is None:
                return "url:" + url, None
            if type(index) is int:
                return "url:" + url, index
    return _any_identity(document)


def _any_identity(document: Mapping[str, Any]) -> Identity:
    """`document_identity` of any document (mappings, odd types, no URL)."""
    raw_index = document.get("index")
    index = (
        None
        if raw_index is None or not isinstance(raw_index, int) or isinstance(raw_index, bool)
        else raw_index
    )
    metadata = document.get("metadata")
    if type(metadata) is dict or isinstance(metadata, Mapping):
        url = metadata.get("sourceURL")
        if type(url) is str and url.isascii() and url:
            return "url:" + url, index
    else:
        url = None
    if not isinstance(url, str) or not url:
        url = document.get("url")
    if isinstance(url, str) and url:
        # As the store keeps keys, so a resumed stream compares equal (lone surrogates escaped).
        return f"url:{storable_text(url)}", index
    if index is not None:
        return f"index:{index}", index
    try:
        canonical = json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    except RecursionError:
        # The decoder nests deeper than json.dumps can: a misfit, not a crash.
        raise ValueError(
            "a document without a URL or index nested too deeply to identify"
        ) from None
    return f"sha256:{hashlib.sha256(canonical.encode()).hexdigest()}", index


class Merger:
    """Turns successive ``partial_data`` lists and the final ``data`` into new documents only.

    Args:
        keep: Keep the documents themselves (for a `CrawlResult`); streaming keeps only keys.
        known: Documents delivered before (by an earlier process, from the store): never
            yielded again, and part of the result.
        window: The server's window size (early servers: 50).
        updates: Whether `offer` wants the final ``data``'s changed text of a delivered
            document (False when nobody keeps nor stores it: it is not even checked).
    """

    def __init__(
        self,
        *,
        keep: bool,
        known: Iterable[Item] = (),
        window: int = WINDOW,
        updates: bool = True,
    ) -> None:
        self._keep = keep
        self._updates = updates
        self._window = window
        self._items: dict[str, Item] = {}
        """Kept documents by key, in first-seen order (an update keeps its place)."""
        self._indexes: set[int] = set()
        self._max_index = 0
        self._keys = DigestSet()
        """The `digest` of every key delivered, when the documents are not kept (a stream: some
        17 bytes a document); kept documents are looked up in ``_items`` instead, which holds
        them anyway and is several times faster than digesting and bisecting."""
        self.windowed: bool = False
        """Whether the server numbers pages with ``index`` (the early 50-page window)."""
        self.from_partial: int = 0
        self.from_final_only: int = 0
        self.duplicates_dropped: int = 0
        self.gaps: int = 0
        self.known_before: int = 0
        self._fingerprints: DigestSet | set[int] = set() if keep else DigestSet()
        """Hashes of the raw text of every document delivered by this call (not its content:
        a stream keeps no documents), as unsigned numbers; a document arriving with one of
        them is skipped."""
        for item in known:
            self._remember(item)
            self.known_before += 1
        self._answer_new = 0
        self._answer_max = self._max_index
        self._rewritten = DigestSet()
        """The `digest` of every key the final ``data`` updated: a later copy of its text from
        before that update is an update again, not a repeat (the last copy wins)."""
        self.fresh: list[Item] = []
        """Documents `take` found new, in order, until `take_out`."""
        self.updated: list[Item] = []
        """Final updates of delivered documents `take` merged, until `take_out`."""

    def _remember(self, item: Item) -> None:
        """Record ``item``, known before, as delivered (the first of a key counts)."""
        if self._keep:
            if item.key in self._items:
                return
            self._items[item.key] = item
        elif not self._keys.add(digest(item.key)):
            return
        if item.order is not None:
            self._number(item.order)

    def _number(self, index: int) -> None:
        """Record a delivered document's ``index`` (the early server's numbering)."""
        self._indexes.add(index)
        if index > self._max_index:
            self._max_index = index

    @property
    def count(self) -> int:
        """Documents delivered so far (including those known before)."""
        return len(self._items) if self._keep else len(self._keys)

    @property
    def compares_text(self) -> bool:
        """Whether the fingerprints of a crawl's last (completed) answer would be compared with
        anything: only when a document was delivered before and its final version is wanted
        if changed, and only if changed."""
        return self._updates and self.count > 0

    def offer(self, document: object, fingerprint: int | None, final: bool) -> Identity | None:
        """Whether a document of an answer still arriving is new or, in the final ``data``,
        changed, so that it is checked and then taken: its identity if so. None:
        delivered before with this very text (or, in ``partial_data``, at all).

        Cheap for the documents seen before, which a growing list re-sends on every poll: the
        fingerprint (a hash of the raw text) first, then the identity of the decoded document.
        One call a document, the sets looked up here: it runs for each of them.
        """
        if fingerprint is not None and (fingerprint & U64) in self._fingerprints:
            if not (final and self._updates and len(self._rewritten)) or type(document) is not dict:
                return None
            # A text delivered before; a copy in this final data may have updated it since.
            identity = document_identity(document)
            return identity if digest(identity[0]) in self._rewritten else None
        if type(document) is not dict:
            return UNCHECKED
        identity = document_identity(document)
        if not final and identity[1] is not None:
            self.windowed = True
        key = identity[0]
        if key not in self._items if self._keep else digest(key) not in self._keys:
            return identity
        # Delivered: wanted again only as a final update (the fingerprint is new, see above).
        return identity if final and self._updates else None

    def known_fingerprint(self, fingerprint: int) -> bool:
        """True when a document of exactly this raw text was delivered (cheap: no decoding)."""
        return (fingerprint & U64) in self._fingerprints

    def take(
        self, identity: Identity, document: CrawlDocument, fingerprint: int | None, final: bool
    ) -> None:
        """Merge one document, checked against the spec by now: one `offer` wanted (with its
        ``fingerprint``, None when its answer comes without), or, read whole, any document
        (None). A new one goes to `fresh`; in the final ``data``, a delivered one's other
        version goes to `updated`; a ``partial_data`` document of a delivered identity changes
        nothing.

        One answer's ``partial_data`` is closed by `end_partial`, which counts its gaps.
        """
        key, index = identity
        if fingerprint is not None:
            # Only from `offer`, which wants no partial document of a delivered identity.
            self._fingerprints.add(fingerprint & U64)
        if index is not None and not final:
            self.windowed = True
        item = _item(Item, (key, index, document))
        if self._keep:
            previous = self._items.setdefault(key, item)
            if previous is not item:
                if final:
                    # An update keeps the document's place and order.
                    item = self._items[key] = _item(Item, (key, previous.order, document))
                    self.updated.append(item)
                    self._rewritten.add(digest(key))
                return
        elif not self._keys.add(digest(key)):
            if final:
                self.updated.append(item)
                self._rewritten.add(digest(key))
            return
        if index is not None:
            self._number(index)
        if final:
            self.from_final_only += 1
        else:
            self._answer_new += 1
        self.fresh.append(item)

    @property
    def pending(self) -> bool:
        """Whether `take` merged documents not taken out yet."""
        return bool(self.fresh or self.updated)

    def take_out(self) -> tuple[list[Item], list[Item]]:
        """The documents `take` merged since the last call: (new ones, updated ones)."""
        taken = self.fresh, self.updated
        self.fresh, self.updated = [], []
        return taken

    def end_partial(self, count: int | None, current_growth: int | None) -> int:
        """Close one answer's ``partial_data`` of ``count`` documents (None: the answer broke
        off); return how many were new.

        ``current_growth`` is how much ``current`` grew since the previous poll (None when
        unknown); it is used to count pages evicted unseen from a full window without index.
        """
        new, self._answer_new = self._answer_new, 0
        previous_max, self._answer_max = self._answer_max, self._max_index
        self.from_partial += new
        if count is not None:
            self.duplicates_dropped += count - new
        if self.windowed:
            # With index the gap is exact: numbers below the highest seen that never showed up.
            top = self._max_index
            if top > previous_max:
                self.gaps += sum(
                    1 for n in range(previous_max + 1, top + 1) if n not in self._indexes
                )
        elif count is not None and count >= self._window and current_growth is not None:
            self.gaps += max(0, current_growth - new)
        return new

    def partial(self, documents: Sequence[CrawlDocument], current_growth: int | None) -> list[Item]:
        """Take one poll's whole ``partial_data``; return the documents not delivered before
        (`take` for each, then `end_partial`)."""
        for document in documents:
            self.take(document_identity(document), document, None, False)
        new, _ = self.take_out()
        self.end_partial(len(documents), current_growth)
        return new

    def final(self, documents: Sequence[CrawlDocument]) -> tuple[list[Item], list[Item]]:
        """Take the completed crawl's whole ``data``: return (documents never seen, updated
        ones)."""
        for document in documents:
            self.take(document_identity(document), document, None, True)
        return self.take_out()

    def documents(self) -> list[CrawlDocument]:
        """Every kept document: by ``index`` where known, then in first-seen order."""
        items: Iterable[Item] = self._items.values()
        if self._indexes:
            # Sorted is stable: equal orders stay in first-seen order.
            items = sorted(
                items,
                key=lambda item: (item.order is None, item.order if item.order is not None else 0),
            )
        return [item.document for item in items]
