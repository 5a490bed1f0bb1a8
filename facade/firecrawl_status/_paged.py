"""The poll state machine of a v1/v2 crawl or batch scrape: the core's `Poller`, read page by page.

A v1/v2 status answer is one page of the job's documents (docs/server-facts.md). Each poll walks
pages from the cursor with the `PageWalker` (only what is new, ``next`` pinned to our base URL,
each document once), so a poll holds one page at a time. The rest is the core's: retries,
429 hints, the exact deadline, expiry on a 404 after the job was seen, the cadence between
polls. What differs:

* done is decided by ``status`` (the v1/v2 outcome table), once the walk has read every page;
* every page is `Report`-ed (the store records the job before its documents), its new
  documents `Emit`-ted, then the cursor `Advance`-d: a resumed process starts from the last
  cursor recorded and skips what the store holds, so it neither re-reads nor re-delivers;
* a 404 before the job was ever seen is retried for `NOT_FOUND_GRACE` seconds (a job reads
  404 for a moment right after it is created), then it is "not found";
* only the first page of a poll is revalidated (``If-None-Match``): a 304 there means
  nothing moved, and the walk ends for this poll;
* a server that resends known documents (it ignores ``skip``) ends a running job's walk at the
  first page made mostly of them, and is polled with the core's growing-list cadence, as a v0
  crawl re-sent whole is;
* a completed wait reads the job's ``/errors`` once, so its `JobResult` says how many pages
  failed; ``mode="errors"`` reads only that.

Pure, like the core: no IO, no clock of its own.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from typing import cast

import attrs

from ._core import (
    Advance,
    Answer,
    Emit,
    Fail,
    Fetch,
    Finish,
    Mode,
    NoAnswer,
    Poller,
    Report,
    Route,
    Sleep,
    Snapshot,
)
from ._documents import CrawlDocument
from ._jobs import JobErrors, JobResult, JobSnapshot, job_error
from ._merge import Item
from ._outcome import Api, Kind
from ._pages import PageRequest, PageWalker, identity
from ._policy import PollPolicy, RetryPolicy
from ._snapshot import CrawlFigures

NOT_FOUND_GRACE = 10.0
"""Seconds a 404 for a job never seen is retried: right after creation it is not readable yet."""

_GRACE_STEP = 1.0


class PagedPoller(Poller):
    """Decides every step of one read or wait on a v1/v2 job (see the module).

    Args:
        api: ``"v1"`` or ``"v2"``.
        base_url: The server's base URL (the walk's only origin).
        job_path: The job's status path below it (from the generated client).
        cursor: Where an earlier run's walk stopped (from the store), or None.
        errors_only: Read the job's ``/errors`` only (a `JobErrors` result).

    The other arguments are the `Poller`'s; ``known`` items are keyed by `identity` (or by
    URL, stored by a v0 read of the job).
    """

    def __init__(
        self,
        *,
        kind: Kind,
        job_id: str,
        mode: Mode,
        retry: RetryPolicy,
        poll: PollPolicy,
        now: float,
        timeout: float | None,
        request_timeout: float | None,
        rng: random.Random,
        api: Api,
        base_url: str,
        job_path: str,
        seen_before: bool = False,
        known: Sequence[Item] = (),
        cursor: str | None = None,
        errors_only: bool = False,
    ) -> None:
        super().__init__(
            kind=kind,
            job_id=job_id,
            mode=mode,
            retry=retry,
            poll=poll,
            now=now,
            timeout=timeout,
            request_timeout=request_timeout,
            rng=rng,
            seen_before=seen_before or bool(known),
        )
        self.api = api
        keys = [item.key for item in known]
        try:
            self.walker = PageWalker(base_url, job_path, cursor=cursor, seen=keys)
        except ValueError:  # a cursor of another route (v1 then v2): the documents still count
            self.walker = PageWalker(base_url, job_path, seen=keys)
        self._known_before = len(keys)
        self._kept_items: list[Item] = list(known) if mode == "wait" else []
        self._errors_only = errors_only
        self._started = now
        self._request: PageRequest | None = None
        self._walking = False
        self._pages = 0
        self._changed = False
        self._resent = False
        self._poll_start: JobSnapshot | None = None
        self._etags: dict[str, str] = {}
        self._recorded = self.walker.cursor
        self._finishing: JobSnapshot | None = None
        self.repeated = 0
        """Documents resent by the server and dropped (a server ignoring ``skip``)."""

    @property
    def delivered(self) -> int:
        """Documents delivered so far (including those of an earlier run)."""
        return self.walker.delivered

    def kept_documents(self) -> list[CrawlDocument]:
        return [item.document for item in self._kept_items]

    # -- what to send -----------------------------------------------------------------------

    def fetch_action(self, timeout: float | None) -> Fetch:
        if self._errors_only or self._finishing is not None:
            return Fetch(None, timeout, Route(self.api, errors=True))
        if self.mode == "read":
            return Fetch(None, timeout, Route(self.api))
        if self._request is None:
            if not self._walking:
                self.walker.start_poll()
                self._walking, self._pages, self._changed = True, 0, False
                self._resent = False
            request = self.walker.next_request()
            if request is None:
                raise RuntimeError("the page walk ended without ending the poll")
            self._request = request
        request = self._request
        etag = self._etags.get(request.target) if self._pages == 0 else None
        return Fetch(etag, timeout, Route(self.api, skip=request.skip, limit=request.limit))

    # -- what came back ---------------------------------------------------------------------

    def receive(self, now: float, outcome: Answer | NoAnswer) -> None:
        """Feed the outcome of the last `Fetch`."""
        if self._finishing is not None:
            self._receive_errors(outcome)
            return
        if isinstance(outcome, Answer):
            code = outcome.status_code
            if self._errors_only and code == 200 and outcome.job_errors is not None:
                self.requests += 1
                self.bytes_received += outcome.size
                self.seen_before = True
                self.push(Finish(outcome.job_errors))
                return
            if code == 404 and not self.seen_before and now - self._started < NOT_FOUND_GRACE:
                self.requests += 1
                self.bytes_received += outcome.size
                step = min(_GRACE_STEP, NOT_FOUND_GRACE - (now - self._started))
                self.push(Sleep(step, "404 right after creation: not readable yet"))
                return
            if code == 304 and self.snapshot is not None and self._pages == 0:
                # The cursor page is unchanged, so nothing moved: this poll's walk is over.
                self.walker.abandon()
                self._request, self._walking = None, False
        super().receive(now, outcome)

    def take_answer(self, now: float, answer: Answer, snapshot: Snapshot) -> None:
        if not isinstance(snapshot, JobSnapshot):
            raise TypeError("a v1/v2 answer decodes to a JobSnapshot")
        self.seen_before = True
        self.count_read()
        if self.mode == "read":
            self.snapshot = snapshot
            self.push(Finish(snapshot))
            return
        request = self._request
        if request is None:
            raise RuntimeError("an answer with no page asked for")
        etag = answer.headers.get("etag")
        if self._pages == 0 and etag:
            self._etags = {request.target: etag}
        previous = self._poll_start
        light = cast(JobSnapshot, snapshot.without_documents())
        self.snapshot = light
        page_data = snapshot.documents
        page = self.walker.feed(
            page_data,
            snapshot.next_url,
            terminal=snapshot.is_terminal,
            completed=snapshot.current,
        )
        resent = 2 * page.repeated > len(page_data)
        if resent and not page.walk_over and not snapshot.is_terminal:
            # Mostly documents already delivered: the server ignores ``skip``, and every further
            # page would resend the whole list again while it grows. The next poll goes on.
            self.walker.end_walk()
            page = attrs.evolve(page, walk_over=True)
        self._request = None
        self._pages += 1
        self.repeated += page.repeated
        self._resent = self._resent or page.repeated > 0
        items = tuple(
            Item(identity(document), None, cast(CrawlDocument, document))
            for document in page.documents
        )
        if self.mode == "wait":
            self._kept_items.extend(items)
        changed = (
            previous is None
            or bool(items)
            or (previous.status, previous.current, previous.total)
            != (snapshot.status, snapshot.current, snapshot.total)
        )
        self._changed = self._changed or changed
        # Reported (the store records the job) before its documents are stored; the cursor
        # after them, so a crash in between re-reads a page rather than losing one.
        self.push(Report(light, changed))
        if items:
            self.push(Emit(items))
        if self.walker.cursor != self._recorded:
            self._recorded = self.walker.cursor
            self.push(Advance(self._recorded))
        if not page.walk_over:
            return  # the next page at once
        self._walking = False
        self._poll_start = light
        if not page.done:
            # A server resending known documents (ignoring ``skip``) sends a growing list: the
            # core's growing-list cadence keeps its bytes a geometric sum, as on v0.
            size = answer.size if self._resent else None
            self.continue_after(now, light, changed=self._changed, size=size)
        elif snapshot.outcome == "completed":
            self._finishing = light
        else:
            error = job_error(light, documents=self.kept_documents(), received=self.delivered)
            if error is not None:
                self.push(Fail(error))

    def _receive_errors(self, outcome: Answer | NoAnswer) -> None:
        """The completed job's ``/errors``: counted into the result; unreadable, unknown."""
        self.requests += 1
        errors: JobErrors | None = None
        if isinstance(outcome, Answer):
            self.bytes_received += outcome.size
            if outcome.status_code == 200:
                errors = outcome.job_errors
        snapshot = self._finishing
        if snapshot is None:
            raise RuntimeError("no completed job to finish")
        walker = self.walker
        self.push(
            Finish(
                JobResult(
                    job_id=self.job_id,
                    status=snapshot.status,
                    documents=self.kept_documents(),
                    figures=CrawlFigures(
                        from_partial=walker.delivered - self._known_before,
                        known_before=self._known_before,
                        duplicates_dropped=self.repeated,
                        gaps=walker.skipped,
                    ),
                    traffic=self.traffic,
                    used_partial_fallback=False,
                    snapshot=snapshot,
                    failed_pages=None if errors is None else len(errors.errors),
                    robots_blocked=None if errors is None else len(errors.robots_blocked),
                    skipped_pages=walker.skipped,
                )
            )
        )
