"""The incremental page walk of a v1/v2 crawl or batch scrape: which page to ask for next.

Theory of operation (docs/server-facts.md, v2). ``GET /v2/crawl/{id}?skip=N`` answers the finished
documents from offset ``N`` plus ``next``, the URL of the following page. A poll walks pages
from the cursor: ask for one page, hand its new documents on, follow ``next``, until the walk
for this poll ends. What the server gets wrong, and what the walk does about it:

* ``next`` can name another scheme or host (``https`` forced on a plain-http self-host, an
  internal host behind a proxy): only its query is kept, sent to our own base URL and the
  job's own path, so no request (and no API key) ever leaves our origin. A ``next`` for another
  path is rejected, and the walk falls back to ``skip``.
* ``next`` is present on every answer while the job runs, even on an empty page, and older
  servers keep sending it on ended jobs: an empty page or a cursor already asked for in this
  poll ends the walk. Whether the job is done comes from its status, never from ``next``.
* Servers that ignore ``skip`` resend every document from the start: each document is known by
  its identity (``metadata.scrapeId``, else its URL, else its content), and one already
  delivered is dropped, so such a server costs bytes, never a duplicate. A document is also
  known by the URL identity a v0 read stores it under (`_merge.document_identity`), so a job
  read through v0 and then through v2 delivers nothing twice. A page that brings
  nothing new and replays the first documents delivered, in their order, looks like that
  server; two such pages in a row end the walk. (One is not enough: some storage back ends
  repeat a document on a later page, and with a small ``limit`` that page can look the same.)
* A document whose stored result is missing is skipped while the offset advances: when ``next``
  jumps further than the documents received, the gap is reported, not waited for.

The walker holds no document: `PageWalker.feed` returns the new ones of the page just read, so
a driver holds at most one page per poll. Of each delivered document it keeps a little over 8
bytes, the 64-bit digest of its identity (`_digests`), and the first ones in delivery order.
`PageWalker.cursor` is a plain string (the request target of the next page) that a store
records; a walker made with that cursor and the stored identities continues where the last
process stopped. Nothing here does IO.
"""

from __future__ import annotations

import hashlib
import json
import urllib.parse
from array import array
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import attrs

from ._digests import DigestSet, digest
from ._merge import document_identity

Document = Mapping[str, Any]

_REPLAY_PREFIX = 10_000
"""The first documents delivered, kept in order to recognise a server replaying them. A longer
page (under the 10 MiB cap, only of documents below 1 KiB) is compared on its start."""


def identity(document: Document) -> str:
    """What makes a document the same page across answers.

    ``metadata.scrapeId`` (unique per page), else the page URL (``metadata.sourceURL``,
    ``metadata.url``, the document's ``url``), else a digest of the whole document, so that
    even an anonymous document resent verbatim is recognised.
    """
    metadata = document.get("metadata")
    if isinstance(metadata, Mapping):
        for key, prefix in (("scrapeId", "id:"), ("sourceURL", "url:"), ("url", "url:")):
            value = metadata.get(key)
            if isinstance(value, str) and value:
                return prefix + value
    url = document.get("url")
    if isinstance(url, str) and url:
        return "url:" + url
    canonical = json.dumps(document, sort_keys=True, separators=(",", ":"), default=repr)
    return "sha256:" + hashlib.sha256(canonical.encode()).hexdigest()


def _digests(document: Document) -> tuple[int, int | None]:
    """The digest of a document's `identity`, and of the URL identity a v0 read stores it under
    when that differs (None when it does not, or the document has no URL)."""
    key = identity(document)
    stored = key if key.startswith("sha256:") else document_identity(document)[0]
    other = digest(stored) if stored != key and stored.startswith("url:") else None
    return digest(key), other


def _count(query: Mapping[str, list[str]], name: str) -> int | None:
    """A non-negative integer query parameter, or None when absent or not one."""
    values = query.get(name)
    if not values or not values[-1].isdigit():
        return None
    return int(values[-1])


def _skip_of(target: str) -> int | None:
    return _count(urllib.parse.parse_qs(urllib.parse.urlsplit(target).query), "skip")


@attrs.frozen
class PageRequest:
    """The next page to read.

    Attributes:
        target: Path and query relative to the base URL (``/v2/crawl/ID?skip=100``).
        url: ``target`` on the base URL: the only URL the walk ever asks for.
        skip: The ``skip`` query parameter of ``target`` (None: absent).
        limit: The ``limit`` query parameter of ``target`` (None: absent).
    """

    target: str
    url: str
    skip: int | None
    limit: int | None


@attrs.frozen
class PageResult:
    """What one page brought.

    Attributes:
        documents: The documents not delivered before, in the server's order.
        repeated: Documents of the page that were already delivered (dropped).
        skipped: Documents the server skipped: ``next`` moved further than the page held.
        rejected_next: A ``next`` that named another path, ignored (None when fine or absent).
        walk_over: Whether this poll's walk has ended (ask `PageWalker.next_request` anyway).
        done: The job ended and every page it has was read: stop polling.
    """

    documents: tuple[Document, ...]
    repeated: int
    skipped: int
    rejected_next: str | None
    walk_over: bool
    done: bool


class PageWalker:
    """Walks the pages of one job, poll after poll, delivering every document once.

    Use: each poll calls `start_poll`, then loops ``request = next_request()`` (None ends the
    poll), fetches ``request.url``, and calls `feed` with the answer's documents, ``next`` and
    whether its status is terminal (the caller's status table decides that).

    Args:
        base_url: The server's base URL (scheme, host, port, optional path prefix).
        job_path: The job's status path below it, e.g. ``/v2/crawl/ID``.
        cursor: A `cursor` recorded earlier (resume); None starts at the first document.
        seen: Identities of documents delivered earlier (resume; `identity`, or the URL
            identity of a v0 read), in the order they were delivered.

    Raises:
        ValueError: For a base URL that is not absolute http(s), a job path not starting with
            ``/`` or holding a query, or a cursor for another path.
    """

    def __init__(
        self,
        base_url: str,
        job_path: str,
        *,
        cursor: str | None = None,
        seen: Iterable[str] = (),
    ) -> None:
        base = urllib.parse.urlsplit(base_url)
        if base.scheme not in ("http", "https") or not base.netloc:
            raise ValueError(f"base_url must be an absolute http(s) URL, not {base_url!r}")
        if not job_path.startswith("/") or "?" in job_path or "#" in job_path:
            raise ValueError(f"job_path must be a path starting with '/', not {job_path!r}")
        self._base = base_url.rstrip("/")
        self._job_path = job_path
        pinned = job_path if cursor is None else self._pinned(cursor)
        if pinned is None:
            raise ValueError(f"cursor {cursor!r} is not a page of {job_path!r}")
        self._cursor: str = pinned
        self._first = array("Q")  # the first delivered, in order: what a server may replay
        self._seen = DigestSet()
        for key in map(digest, seen):
            if key not in self._seen:
                self._deliver(key)
        self._asked: set[str] = set()
        self._pending: str | None = None
        self._walk_over = False
        self._replays = 0  # pages in a row, this poll, that replayed the job from its start
        self._done = False
        self.delivered = len(self._seen)
        """Documents delivered so far (including those of a resumed run)."""
        self.skipped = 0
        """Documents the server skipped so far (missing stored results)."""

    def __repr__(self) -> str:
        return f"PageWalker(cursor={self._cursor!r}, delivered={self.delivered}, done={self._done})"

    @property
    def cursor(self) -> str:
        """The request target of the next page to read: record it to resume from there."""
        return self._cursor

    @property
    def done(self) -> bool:
        """The job ended and all its pages were read."""
        return self._done

    def start_poll(self) -> None:
        """Begin a new poll: the walk starts again from the cursor."""
        self._asked.clear()
        self._walk_over = self._done
        self._replays = 0

    def next_request(self) -> PageRequest | None:
        """The page to read now, or None when this poll's walk is over.

        Raises:
            RuntimeError: If the previous request was not fed yet (one page at a time).
        """
        if self._pending is not None:
            raise RuntimeError("feed() the page already requested before asking for another")
        if self._walk_over or self._done:
            return None
        self._pending = self._cursor
        self._asked.add(self._cursor)
        query = urllib.parse.parse_qs(urllib.parse.urlsplit(self._cursor).query)
        skip, limit = (_count(query, name) for name in ("skip", "limit"))
        return PageRequest(self._cursor, self._base + self._cursor, skip, limit)

    def abandon(self) -> None:
        """The requested page could not be read (an error answer): end this poll's walk.

        The cursor stays, so the next poll asks for the same page again.
        """
        self._pending = None
        self._walk_over = True

    def end_walk(self) -> None:
        """End this poll's walk early (the caller judged nothing beyond worth reading now).

        The cursor stays, so the next poll continues from it.

        Raises:
            RuntimeError: If a requested page was not fed yet.
        """
        if self._pending is not None:
            raise RuntimeError("feed() or abandon() the page already requested first")
        self._walk_over = True

    def feed(
        self,
        documents: Sequence[Document],
        next_url: str | None,
        *,
        terminal: bool,
        completed: int | None = None,
    ) -> PageResult:
        """Take the answer to the last `next_request`.

        Args:
            documents: The answer's ``data``.
            next_url: Its ``next`` (absolute or not), or None when absent.
            terminal: Whether its status says the job ended (the caller's status table).
            completed: Its ``completed`` count, if any: once the walk is done, finished pages
                it counts but the walk never received are reported as skipped too (a missing
                result at the very end moves no cursor).

        Raises:
            RuntimeError: If nothing was requested.
        """
        asked = self._pending
        if asked is None:
            raise RuntimeError("feed() without a pending next_request()")
        self._pending = None
        keys = [_digests(document) for document in documents]
        fresh: list[Document] = []
        for (key, other), document in zip(keys, documents, strict=True):
            if key not in self._seen and (other is None or other not in self._seen):
                self._deliver(key)
                fresh.append(document)
        self.delivered += len(fresh)

        following = None if next_url is None else self._pinned(next_url)
        landed = (_skip_of(asked) or 0) + len(documents)
        skipped = 0
        if following is not None:
            skip = _skip_of(following)
            if skip is not None and skip > landed:
                skipped = skip - landed
        # The walk ends for this poll; "conclusive" means the server has nothing further now.
        # A page emptied by missing results still moves ``next`` on: not the end.
        empty = not documents and not skipped
        conclusive = empty or following is None or following in self._asked
        if following is not None:
            self._cursor = following
        elif documents:
            self._cursor = self._with_skip(asked, landed)  # no usable next: carry on from ours
        # A server ignoring skip replays the job from its start on every page, whatever ``next``
        # says: a page holding nothing new that replays the first documents is that server, and
        # nothing lies beyond. A lone duplicate from another offset is not (it moves on).
        replay = list(dict.fromkeys(keys))  # the same page may repeat a document
        if documents and not fresh and self._replays_first(replay):
            self._replays += 1
        else:
            self._replays = 0
        resent_all = self._replays >= 2
        self._walk_over = conclusive or resent_all
        self._done = terminal and self._walk_over
        if self._done and completed is not None:
            skipped += max(0, completed - self.delivered - self.skipped - skipped)
        self.skipped += skipped
        return PageResult(
            documents=tuple(fresh),
            repeated=len(documents) - len(fresh),
            skipped=skipped,
            rejected_next=next_url if next_url is not None and following is None else None,
            walk_over=self._walk_over,
            done=self._done,
        )

    def _replays_first(self, keys: list[tuple[int, int | None]]) -> bool:
        """Whether a page's ``keys`` (`_digests`) are those of the first documents delivered
        (on its first `_REPLAY_PREFIX`: a page with nothing new has them all delivered)."""
        start = keys[:_REPLAY_PREFIX]
        first = self._first[: len(start)]
        return len(first) == len(start) and all(
            earlier in pair for earlier, pair in zip(first, start, strict=True)
        )

    def _deliver(self, key: int) -> None:
        """Remember a delivered document by its identity's digest."""
        self._seen.add(key)
        if len(self._first) < _REPLAY_PREFIX:
            self._first.append(key)

    def _with_skip(self, asked: str, skip: int) -> str:
        """``asked`` with ``skip`` replaced (its ``limit`` kept)."""
        limit = _count(urllib.parse.parse_qs(urllib.parse.urlsplit(asked).query), "limit")
        query = {"skip": skip} | ({} if limit is None else {"limit": limit})
        return f"{self._job_path}?{urllib.parse.urlencode(query)}"

    def _pinned(self, url: str) -> str | None:
        """``url``'s ``skip`` and ``limit`` on our job path, or None when it names another path.

        Only those two parameters are kept: they are all the request a page read sends.
        """
        parts = urllib.parse.urlsplit(url)
        path = parts.path
        prefix = urllib.parse.urlsplit(self._base).path
        if prefix and path.startswith(prefix + "/"):
            path = path[len(prefix) :]
        if path.rstrip("/") != self._job_path.rstrip("/"):
            return None
        query = urllib.parse.parse_qs(parts.query)
        kept = {
            name: value for name in ("skip", "limit") if (value := _count(query, name)) is not None
        }
        return f"{self._job_path}?{urllib.parse.urlencode(kept)}" if kept else self._job_path
