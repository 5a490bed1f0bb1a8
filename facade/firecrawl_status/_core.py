"""The poll state machine: fed answers and a clock reading, it says what to do next.

Theory of operation
-------------------
One `Poller` serves one job for one call: a single read (``mode="read"``), a wait that
returns a result (``"wait"``) or a wait that streams documents (``"stream"``). The driver
(`_sync.py` or `_async.py`) loops::

    action = poller.next_action(now)       # what to do
    ...perform it...                       # Fetch: send, then poller.receive(now, answer)

The input is a plain value defined here, `Answer` (or `NoAnswer`): the status code, the few
headers the core reads, the body's size and decoded value, and, for a 200 that fits the spec,
the snapshot with its document lists already picked out. `_api` builds it; this module
imports nothing from the IO side (no httpx, no generated code).

A v0 crawl's wait or stream feeds its 200s document by document while they arrive: for each
document of ``partial_data``/``data`` the transport asks the poller's `Merger.offer` (new or
changed? only those are checked against the spec) and merges the checked ones (`Merger.take`);
after each piece of the body that took some it feeds a `Taken` to `Poller.take_documents`
(which returns the `Emit`/`Replace` to perform at once, for a stream, after a provisional
`Report` recording a job never seen), and it ends with `receive` of the `Answer`, whose `Tally`
counts its lists. The status may come after the lists in the body;
`partial_data` pages are finished pages, so handing them over before it is known is safe.

Actions, in the order a driver meets them:

* `Fetch(etag, timeout)`: send one status read (with ``If-None-Match`` when ``etag``) and feed
  the `Answer`/`NoAnswer` back with `receive`;
* `Sleep(seconds)`: wait; never past the deadline (rule 1);
* `Emit(items)`: hand these documents to the caller (each stored as it is handed over): each
  exactly once;
* `Replace(items)`: the final ``data``'s content for documents already emitted (store only);
* `Report(snapshot)`: a poll finished (progress callback, store record);
* `Warn(snapshot, left)`: the server will forget the job soon (once per job);
* `Notice(deprecation)`: the first deprecation notice of this call (the client warns once per
  endpoint);
* `Finish(result)` / `Fail(error, gone)`: the end; ``gone`` means the server forgot the job.

Rule 1, the deadline is exact: a sleep is cut to end at the deadline, a request's timeout is
cut to the time left, and the first action asked for at or after the deadline is
`Fail(PollTimeoutError)` carrying the last snapshot and every document collected.

Rule 2, one request's retries are not the poll cadence: a failed try (no answer, 408, 429,
5xx, an undecodable 200) is retried after `retry_delay`, up to ``RetryPolicy.max_retries``;
the cadence (`PollPolicy`) only runs between successful reads.

Rule 3, what a status means comes from the outcome table (`_outcome`, via
``snapshot.outcome``): ``running`` and ``unconfirmed``, known or not, mean keep polling;
``lost`` (an extract answering ``processing`` with ``expiresAt`` already past, confirmed by a
read `LOST_CONFIRMATION` after the first such read, with no ordinary read between) is an
expiry. The poller carries the first such read (``expired_since``, from the store for a new
call) onto each snapshot, so a one-shot read and a wait judge alike. Server quirks handled
here, all from docs/server-facts.md: a 404 for a job seen before is an expiry; a crawl that answers
``completed`` with ``total`` 0 and no documents after documents were seen (by this call or kept
in the store) has silently expired, on a one-shot read too; an extract flipping back from
``completed`` to ``processing`` is simply polled on.

Rule 4, the cadence stays close to a running job (`PollPolicy`): a 304 costs no body, so an
unchanged answer keeps the period at ``steady_interval``, measured from the start of one read
to the start of the next, instead of backing away; the crawl rules (window, growing list,
predicted finish) shorten or lengthen it from there.

Rule 5, deprecation: every answer is read for the 2026 notice (`_deprecation`); the snapshots
carry it, the first of a call is handed out as `Notice`, and once a notice was seen for the
endpoint (``notice_seen``) an HTML 404 means the route is gone, as does any 410:
`EndpointRetiredError` naming the successor.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import deque
from collections.abc import Mapping, Sequence
from typing import Any, Literal, NamedTuple, cast

import attrs

from ._clock import warning_due
from ._deprecation import ENDPOINTS, Deprecation, parse_deprecation
from ._documents import CrawlDocument
from ._jobs import JobErrors, JobSnapshot, job_error
from ._merge import WINDOW, Item, Merger
from ._outcome import STILL_RUNNING, Api, Kind
from ._policy import (
    PollPolicy,
    RetryPolicy,
    jittered,
    per_second,
    retry_delay,
    steady_period,
    unjittered,
)
from ._snapshot import (
    CrawlFigures,
    CrawlResult,
    CrawlSnapshot,
    ExtractResult,
    ExtractSnapshot,
    Traffic,
)
from .errors import (
    APIConnectionError,
    APIError,
    APITimeoutError,
    EndpointRetiredError,
    FirecrawlError,
    JobCancelledError,
    JobError,
    JobExpiredError,
    JobFailedError,
    PollTimeoutError,
    ProtocolError,
    RateLimitError,
    retryable,
    status_error,
)

Mode = Literal["read", "wait", "stream"]

ETA_CUTS = 3
"""Polls timed to a crawl's near predicted finish (under ``steady_interval`` away) per value
of ``total``: an early one is made again, and the bound keeps a crawl that slows near its
end from being polled in a loop (after the last, the wait is at most ``initial_interval``)."""

REPLACE_BATCH = 32
"""Updated documents of a streamed answer written to the store in one go: a stream holds at
most this many (a few MB of 100 KB pages), a thirty-second of the writes one at a time costs.
A wait stores an answer's documents when it ends."""
Snapshot = CrawlSnapshot | ExtractSnapshot


@attrs.frozen
class Answer:
    """An HTTP answer, decoded once by the transport; what the core reads of it.

    Attributes:
        status_code: The HTTP status.
        headers: The headers the core reads (``etag``, ``retry-after``, ``retry-after-ms``, and
            the deprecation notice's ``deprecation``, ``sunset``, ``link``, ``warning``),
            lower-case names.
        size: Body bytes received.
        read_at: When the server answered (its ``Date``, else the driver's clock), UTC.
        body: The body's JSON value, else its text; None when empty.
        snapshot: For a 200 that fits the spec: the snapshot read from it.
        partial: A crawl answer's ``partial_data`` documents (checked against the spec).
        final: A crawl answer's final ``data`` documents, None when not a list.
        problem: Why a 200 cannot be used (None: it fits the spec).
        job_errors: For a 200 from a v1/v2 ``/errors`` route that fits the spec: its value.
        response: The transport's own response object, opaque here, kept on errors.
        tally: For a streamed crawl answer (its documents were merged as they came, see
            `Taken`, so ``partial`` and ``final`` are empty): how many each list held.
    """

    status_code: int
    headers: Mapping[str, str]
    size: int
    read_at: dt.datetime
    body: Any = attrs.field(default=None, repr=False)
    snapshot: Snapshot | None = None
    partial: Sequence[CrawlDocument] = attrs.field(default=(), repr=False)
    final: Sequence[CrawlDocument] | None = attrs.field(default=None, repr=False)
    problem: str | None = None
    job_errors: JobErrors | None = attrs.field(default=None, repr=False)
    response: object = attrs.field(default=None, repr=False, eq=False)
    tally: Tally | None = None


@attrs.frozen
class Tally:
    """How many documents a streamed crawl answer's lists held (None: that key was no list)."""

    partial: int | None
    final: int | None


class Taken(NamedTuple):
    """Documents of a crawl answer still arriving were merged (`Merger.take`): they wait in
    the merger for `Poller.take_documents` to take them out.

    Attributes:
        read_at: When the server answered (as `Answer.read_at`).
        status: The answer's ``status`` when the body sent it before the answer's first
            document taken, else None.
    """

    read_at: dt.datetime
    status: str | None


@attrs.frozen
class NoAnswer:
    """The request got no HTTP answer (connection error or timeout)."""

    error: Exception
    timeout: bool


@attrs.frozen
class Route:
    """Which v1/v2 route a read goes to: the status page at ``skip``/``limit``, or ``/errors``."""

    api: Api
    skip: int | None = None
    limit: int | None = None
    errors: bool = False


@attrs.frozen
class Fetch:
    """Send one status read; ``etag`` goes out as ``If-None-Match`` when set; ``route`` names
    the v1/v2 route (None: the kind's v0 route)."""

    etag: str | None
    timeout: float | None
    route: Route | None = None


@attrs.frozen
class Sleep:
    """Wait this many seconds."""

    seconds: float
    reason: str


@attrs.frozen
class Emit:
    """Store, then hand these new documents to the caller."""

    items: tuple[Item, ...]


@attrs.frozen
class Replace:
    """The final ``data``'s content for documents already handed out (store only)."""

    items: tuple[Item, ...]


@attrs.frozen
class Advance:
    """A v1/v2 page walk moved on: record ``cursor`` (after the page's documents were kept)."""

    cursor: str


@attrs.frozen
class Report:
    """A read finished (``changed`` is False for a 304 or an identical answer).

    ``provisional``: not a finished read but a first record of a new job, made before its
    first document is stored while the answer still arrives (no progress callback).
    """

    snapshot: Snapshot
    changed: bool
    provisional: bool = False


@attrs.frozen
class Warn:
    """The server will forget the job within ``left``."""

    snapshot: Snapshot
    left: dt.timedelta


@attrs.frozen
class Notice:
    """The server announced the endpoint's deprecation (first notice of this call)."""

    deprecation: Deprecation


@attrs.frozen
class Finish:
    """The call is done."""

    result: CrawlResult | ExtractResult | CrawlSnapshot | ExtractSnapshot | JobErrors


@attrs.frozen
class Fail:
    """The call ends with ``error``."""

    error: FirecrawlError


@attrs.frozen
class Expire:
    """The server has forgotten the job: the call ends with a `JobExpiredError`.

    Built by the driver, which knows the store: a wait's error carries ``documents`` (every
    one it holds, kept ones included); a read's or a stream's carries what the store kept.
    ``message`` says why; the driver adds what the error carries (`kept_phrase`).
    """

    message: str
    snapshot: Snapshot | None
    documents: list[CrawlDocument]


Action = Fetch | Sleep | Emit | Replace | Advance | Report | Warn | Notice | Finish | Fail | Expire


def kept_phrase(kind: Kind, documents: Sequence[CrawlDocument], snapshot: Snapshot | None) -> str:
    """What an expiry error carries, in words: counted from the error's own ``documents``."""
    if kind == "extract":
        return "nothing was kept" if snapshot is None else "its last snapshot is kept"
    count = len(documents)
    return f"{count} document(s) kept" if count else "no documents were kept"


def lost_message(snapshot: Snapshot) -> str:
    """Why a ``lost`` answer cannot be trusted: polling it would wait for an outcome the server
    no longer has (see `_outcome`)."""
    kind = "crawl" if isinstance(snapshot, CrawlSnapshot) else "extract"
    expires = "" if snapshot.expires_at is None else f"{snapshot.expires_at:%Y-%m-%dT%H:%M:%SZ} "
    since = snapshot.expired_since if isinstance(snapshot, ExtractSnapshot) else None
    confirmed = "" if since is None else f" (and did so since {since:%Y-%m-%dT%H:%M:%SZ})"
    return (
        f"{kind} {snapshot.job_id} answers {snapshot.status!r} with expiresAt {expires}already "
        f"past{confirmed}: the server has lost the job's real outcome (its record expired); "
        f"start the {kind} again"
    )


def outcome_error(
    snapshot: Snapshot, *, documents: Sequence[CrawlDocument] = (), received: int = 0
) -> JobError | None:
    """The error a snapshot's outcome ends a wait with; None while running or once completed.

    One place for waits and one-shot reads alike: a read returns the snapshot, and the CLI
    exits with the code of this error. ``received`` counts a crawl's documents so far.
    """
    meaning = snapshot.outcome
    if meaning in STILL_RUNNING or meaning == "completed":
        return None
    if meaning == "lost":
        return JobExpiredError(
            lost_message(snapshot), job_id=snapshot.job_id, documents=documents, snapshot=snapshot
        )
    if isinstance(snapshot, JobSnapshot):
        return job_error(snapshot, documents=documents, received=received)
    if isinstance(snapshot, CrawlSnapshot):
        return JobFailedError(
            f"crawl {snapshot.job_id} failed (or was cancelled) at {snapshot.current}/"
            f"{snapshot.total}; {received} document(s) received",
            job_id=snapshot.job_id,
            documents=documents,
            snapshot=snapshot,
            error=snapshot.body.get("error"),
        )
    error_class = JobCancelledError if meaning == "cancelled" else JobFailedError
    reason = snapshot.error_text or "the server gave no reason"
    return error_class(
        f"extract {snapshot.job_id} {snapshot.status}: {reason}",
        job_id=snapshot.job_id,
        documents=documents,
        snapshot=snapshot,
        error=snapshot.error,
    )


def _extract_progress(snapshot: ExtractSnapshot) -> tuple[object, ...]:
    return (snapshot.status, snapshot.success, snapshot.data, snapshot.extras.get("steps"))


class Poller:
    """Decides every step of one read or wait on one job. Pure: no IO, no clock of its own.

    Args:
        kind: ``"crawl"`` or ``"extract"``.
        job_id: The job id.
        mode: ``"read"`` (one snapshot), ``"wait"`` (a result) or ``"stream"`` (documents).
        retry: Per-request retry policy.
        poll: Poll cadence.
        now: The driver's monotonic clock at the start.
        timeout: Overall deadline in seconds from ``now``, or None for no deadline.
        request_timeout: Per-request timeout in seconds, or None.
        rng: Source of jitter.
        seen_before: The job was seen earlier (by this client or in the store).
        known: Documents delivered by an earlier run (from the store).
        kept: How many documents the store keeps for this crawl (a read's evidence of a
            silent expiry; ``known`` counts for a wait or a stream).
        expired_since: When an earlier read (in the store) first answered ``processing`` with
            ``expiresAt`` past, with no ordinary read since; None when none did.
        notice_seen: This client already saw the endpoint's deprecation notice.
        records_updates: A store records updates of delivered documents (`Replace`). A
            stream without one has no use for them: they are neither checked nor merged.

    A subclass reads another route (the paged v1/v2 poller, `_paged`) through a small API,
    public names only: it overrides the hooks `fetch_action` (the read to send),
    `take_answer` (a decoded 200) and `kept_documents` (what an error carries), and calls
    `push` (queue an action), `count_read` and `continue_after` (schedule the next poll).
    Everything else (retries, 429 hints, the deadline, 404s, deprecation) stays the core's.
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
        seen_before: bool = False,
        known: Sequence[Item] = (),
        kept: int = 0,
        expired_since: dt.datetime | None = None,
        notice_seen: bool = False,
        records_updates: bool = True,
    ) -> None:
        if timeout is not None and timeout < 0:
            raise ValueError(f"timeout must be zero or more seconds, not {timeout!r}")
        self.kind = kind
        self.job_id = job_id
        self.mode = mode
        self._retry = retry
        self._poll = poll
        self._timeout = timeout
        self._deadline = None if timeout is None else now + timeout
        self._request_timeout = request_timeout
        self._rng = rng
        self.seen_before: bool = seen_before or bool(known)
        # A stream keeps no documents: an update of a delivered one only goes to the store.
        updates = mode != "stream" or records_updates
        self.merger: Merger = Merger(keep=mode == "wait", known=known, updates=updates)
        self._kept = max(kept, len(known))
        self._expired_since = expired_since
        self._notice_seen = notice_seen
        self.deprecation: Deprecation | None = None
        self._fetch_at: float | None = None
        self._steady = False
        self._queue: deque[Action] = deque()
        self._done = False
        self._attempt = 0
        self._throttled = 0  # hinted 429s in a wait: retried but not counted
        self._last_error: APIError | None = None
        self._etag: str | None = None
        self.snapshot: Snapshot | None = None
        self._interval = poll.initial_interval
        self._warned = False
        self._previous: tuple[float, int | None, int] | None = None  # (time, current, body size)
        self._page_rate = 0.0
        self._eta_cuts: tuple[int | None, int] = (None, 0)  # (total, near cuts made for it)
        self._eta_due = False  # the next answer is that of a poll timed to a predicted finish
        self._body_rate = 0.0
        self._reads = 0
        self.requests: int = 0
        self.not_modified: int = 0
        self.retries: int = 0
        self.bytes_received: int = 0
        self._streaming = False  # documents of the answer arriving now were taken
        # Documents taken from the answer arriving now, not stored yet: a wait's (new,
        # updated), a stream's updated ones (`REPLACE_BATCH`).
        self._pending: tuple[list[Item], list[Item]] = ([], [])

    @property
    def traffic(self) -> Traffic:
        """What this call cost on the wire so far."""
        return Traffic(
            requests=self.requests,
            not_modified=self.not_modified,
            retries=self.retries,
            bytes_received=self.bytes_received,
        )

    @property
    def done(self) -> bool:
        """True once `Finish` or `Fail` has been handed out: nothing more will be asked."""
        return self._done

    # -- the subclass API (see the class docstring) -----------------------------------------

    def push(self, action: Action) -> None:
        """Queue ``action``: `next_action` hands it out after those queued before."""
        self._queue.append(action)

    def count_read(self) -> None:
        """Count a successful read, as the cadence does (its first read is the shortest wait)."""
        self._reads += 1

    # -- what to do next ------------------------------------------------------------------

    def next_action(self, now: float) -> Action:
        """The next thing the driver must do. After `Finish` or `Fail` nothing more is asked."""
        if self._queue:
            action = self._queue.popleft()
            if isinstance(action, Sleep) and self._deadline is not None:
                left = self._deadline - now
                if left <= 0:
                    return self.next_action(now)
                if action.seconds > left:
                    action = Sleep(left, f"{action.reason}; cut to the deadline")
            if isinstance(action, Finish | Fail | Expire):
                self._done = True
                self._queue.clear()
            return action
        if self._done:
            raise RuntimeError("this poller has finished")
        if self._deadline is not None and now >= self._deadline:
            self._done = True
            return Fail(self._timed_out())
        timeout = self._request_timeout
        if self._deadline is not None:
            left = self._deadline - now
            timeout = left if timeout is None else min(timeout, left)
        self._fetch_at = now
        return self.fetch_action(timeout)

    def fetch_action(self, timeout: float | None) -> Fetch:
        """Hook: the read to send now (``timeout`` already cut to the deadline)."""
        return Fetch(etag=None if self.mode == "read" else self._etag, timeout=timeout)

    # -- what came back -------------------------------------------------------------------

    def take_documents(self, taken: Taken) -> list[Action]:
        """Take out the documents of a crawl answer still arriving that the merger took
        (`Merger.take_out`: `Merger.offer` said each is new or changed); return what to do
        now, in order: a
        first record of a job not seen yet, then, for a stream, an `Emit` of the new
        documents, and a `Replace` of delivered ones whenever `REPLACE_BATCH` updates are
        waiting (after the `Emit`: an update never precedes its first delivery).

        A wait keeps its documents anyway: they are stored in one batch when the answer
        ends. The answer itself (status, figures, the end of its lists) comes with `receive`.
        """
        actions: list[Action] = []
        merger = self.merger
        if not self._streaming:
            self._streaming = True
            if not self.seen_before and self.snapshot is None:
                # The store keeps documents of recorded jobs only (a Report before them).
                snapshot = CrawlSnapshot.from_body(
                    self.job_id,
                    {"status": taken.status or "active"},
                    taken.read_at,
                    partial=[],
                    final=None,
                )
                actions.append(Report(snapshot, changed=True, provisional=True))
        fresh, updated = self._pending
        new, changed = merger.take_out()
        stream = self.mode == "stream"
        if not stream:
            fresh += new
        elif new:
            actions.append(Emit(tuple(new)))
        updated += changed
        if stream and len(updated) >= REPLACE_BATCH:
            # Updates go to the store only: a few at a time, in one write each.
            actions.append(Replace(tuple(updated)))
            updated.clear()
        return actions

    def receive(self, now: float, outcome: Answer | NoAnswer) -> None:
        """Feed the outcome of the last `Fetch`."""
        self._end_streamed(outcome)
        self.requests += 1
        if self._attempt:
            self.retries += 1
        if isinstance(outcome, NoAnswer) and isinstance(outcome.error, APIError):
            self._fail(outcome.error)  # typed by the transport (too large): final
            return
        if isinstance(outcome, NoAnswer):
            error_class = APITimeoutError if outcome.timeout else APIConnectionError
            what = "timed out" if outcome.timeout else "failed"
            detail = str(outcome.error) or type(outcome.error).__name__
            self._retry_or_fail(
                error_class(f"request for {self._name} {what}: {detail}"), hint=None, now=now
            )
            return
        self.bytes_received += outcome.size
        self._read_notice(outcome)
        code = outcome.status_code
        if code == 304 and self.snapshot is not None:
            self.not_modified += 1
            self._reads += 1
            self._attempt = self._throttled = 0
            self._queue.append(Report(self.snapshot, False))
            self.continue_after(now, self.snapshot, changed=False, size=None)
            return
        if code == 200 and outcome.snapshot is not None:
            self._attempt = self._throttled = 0
            self._etag = outcome.headers.get("etag")
            self.take_answer(now, outcome, outcome.snapshot)
            return
        if code in (200, 304):
            problem = outcome.problem or "a 304 answer to a request that sent no ETag"
            invalid = ProtocolError(f"{self._name}: {problem}", status_code=code, body=outcome.body)
            self._retry_or_fail(invalid, hint=None, now=now)
            return
        if code == 410 or (code == 404 and self._route_gone(outcome)):
            self._fail(self._retired(outcome))
            return
        if code == 404 and self.seen_before:
            self._expired(
                f"{self._name} is gone from the server (404 after it was seen): its results "
                "expired",
            )
            return
        error = status_error(
            code,
            outcome.body,
            headers=outcome.headers,
            response=outcome.response,
            what=self._name,
            now=outcome.read_at,
        )
        if retryable(code):
            self._retry_or_fail(error, hint=getattr(error, "retry_after", None), now=now)
        else:
            self._fail(error)

    # -- internals --------------------------------------------------------------------------

    @property
    def _name(self) -> str:
        return f"{self.kind} {self.job_id}"

    def _end_streamed(self, outcome: Answer | NoAnswer) -> None:
        """The end of an answer whose documents were taken as they arrived: a wait's batch
        is stored first (whatever the answer turns out to be: they were delivered), and the
        lists of an answer that broke off are closed here (a usable one's by `_take_crawl`)."""
        (new, updated), self._pending = self._pending, ([], [])
        # One write each: a document's update always comes after its first delivery.
        if new:
            self._queue.append(Emit(tuple(new)))
        if updated:
            self._queue.append(Replace(tuple(updated)))
        usable = (
            isinstance(outcome, Answer)
            and outcome.status_code == 200
            and outcome.snapshot is not None
            and outcome.tally is not None
        )
        if self._streaming and not usable:
            self.merger.end_partial(None, None)
        self._streaming = False

    def _read_notice(self, answer: Answer) -> None:
        notice = parse_deprecation(answer.headers, answer.body, self.job_id)
        if notice is None:
            return
        if self.deprecation is None:
            self._queue.append(Notice(notice))
        self.deprecation = notice
        self._notice_seen = True

    def _route_gone(self, answer: Answer) -> bool:
        """A 404 that is not the API's own JSON, once the endpoint announced its deprecation:
        Express's ``Cannot GET`` for a route that no longer exists (docs/server-facts.md, 2026)."""
        return self._notice_seen and not isinstance(answer.body, dict)

    def _retired(self, answer: Answer) -> EndpointRetiredError:
        endpoint = ENDPOINTS.get(self.kind)
        successor = None if self.deprecation is None else self.deprecation.successor
        if successor is None and endpoint is not None:
            successor = endpoint.successor
        route = endpoint.route if endpoint is not None else "its status endpoint"
        why = "410 Gone" if answer.status_code == 410 else "404 with no API answer"
        return EndpointRetiredError(
            f"{self._name}: the server retired {route} ({why}, after Firecrawl deprecated it); "
            f"use {successor or 'its successor'} instead",
            status_code=answer.status_code,
            body=answer.body,
            response=cast(Any, answer.response),  # opaque here (see `Answer.response`)
            successor=successor,
        )

    @property
    def delivered(self) -> int:
        """Crawl documents delivered so far (including those of an earlier run)."""
        return self.merger.count

    def kept_documents(self) -> list[CrawlDocument]:
        """Hook: the documents an error or a result carries (a wait's; none otherwise)."""
        return self.merger.documents() if self.mode == "wait" else []

    def _fail(self, error: FirecrawlError) -> None:
        if isinstance(error, APIError):
            error.documents = self.kept_documents()
        self._queue.append(Fail(error))

    def _expired(self, message: str) -> None:
        self._queue.append(Expire(message, self.snapshot, self.kept_documents()))

    def _retry_or_fail(self, error: APIError, *, hint: float | None, now: float) -> None:
        # Inside a wait with a deadline, a 429 that says how long to wait slows the poll
        # down: the deadline bounds it, not the retry count (one-shot reads keep the count).
        throttled = (
            isinstance(error, RateLimitError)
            and hint is not None
            and self.mode != "read"
            and self._deadline is not None
        )
        if not throttled and self._attempt - self._throttled >= self._retry.max_retries:
            self._fail(error)
            return
        delay = retry_delay(self._retry, self._attempt - self._throttled, hint, self._rng)
        if throttled:
            # Uncounted, so never faster than the poll itself: a server repeating 429 with a
            # hint of no time would otherwise be asked again at once until the deadline.
            poll = self._poll
            floor = poll.min_interval if poll.fixed_interval is None else poll.fixed_interval
            delay = max(delay, floor)
        self._attempt += 1
        self._throttled += throttled
        self._last_error = error
        self._queue.append(Sleep(delay, f"retry {self._attempt} after: {error.message}"))

    def _timed_out(self) -> PollTimeoutError:
        parts = [f"gave up waiting for {self._name} after {self._timeout:g}s"]
        if self.snapshot is not None:
            parts.append(f"last status {self.snapshot.status!r}")
        if self.kind != "extract":
            parts.append(f"{self.delivered} document(s) received")
        if self._last_error is not None and self._attempt:
            parts.append(f"last error: {self._last_error.message}")
        error = PollTimeoutError(
            "; ".join(parts),
            job_id=self.job_id,
            documents=self.kept_documents(),
            snapshot=self.snapshot,
        )
        if self._last_error is not None and self._attempt:
            error.__cause__ = self._last_error
        return error

    def take_answer(self, now: float, answer: Answer, snapshot: Snapshot) -> None:
        """Hook: a 200 that fits the spec, its ``snapshot`` read; push what follows from it."""
        self.seen_before = True
        self._reads += 1
        if self.deprecation is not None:
            snapshot = attrs.evolve(snapshot, deprecation=self.deprecation)
        if isinstance(snapshot, CrawlSnapshot):
            self._take_crawl(now, snapshot, answer)
        else:
            self._take_extract(now, snapshot)

    def _take_crawl(self, now: float, snapshot: CrawlSnapshot, answer: Answer) -> None:
        previous = self.snapshot if isinstance(self.snapshot, CrawlSnapshot) else None
        # Between polls only the light part is kept: holding the last answer's documents while
        # the next one is decoded would double the peak memory of a large crawl.
        partial, final, tally = answer.partial, answer.final, answer.tally
        meaning = snapshot.outcome
        listed = partial or final if tally is None else tally.partial or tally.final
        silent = not (snapshot.total or listed)
        if meaning == "completed" and (self.merger.count or self._kept) and silent:
            # docs/server-facts.md: an un-refreshed secondary record expired first, and the endpoint
            # answers an empty success. Neither the kept documents nor the job's last real
            # state may be overwritten by it, so this answer is not even reported.
            self._expired(
                f"crawl {self.job_id} answered 'completed' with 0 pages after documents were "
                "seen: the server expired its results (a silent expiry); the kept documents are "
                "not overwritten",
            )
            return
        self.snapshot = snapshot if self.mode == "read" else snapshot.without_documents()
        if self.mode == "read":
            self._queue.append(Finish(snapshot))
            return
        growth = None
        if previous is not None and previous.current is not None and snapshot.current is not None:
            growth = snapshot.current - previous.current
        if tally is None:
            new = self.merger.partial(partial, growth)
            fresh = len(new)
        else:  # its documents were taken as they arrived (`take_documents`)
            new = []
            fresh = self.merger.end_partial(tally.partial, growth)
        changed = (
            previous is None
            or bool(fresh)
            or (previous.status, previous.current, previous.total)
            != (snapshot.status, snapshot.current, snapshot.total)
        )
        # Reported (and so recorded in a store) before its documents are stored.
        self._queue.append(Report(snapshot, changed))
        if new:
            self._queue.append(Emit(tuple(new)))
        if meaning == "completed":
            fallback = final is None if tally is None else tally.final is None
            self._complete_crawl(snapshot, final, fallback=fallback)
            return
        error = outcome_error(snapshot, documents=self.kept_documents(), received=self.merger.count)
        if error is not None:
            self._queue.append(Fail(error))
            return
        self.continue_after(now, snapshot, changed=changed, size=answer.size)

    def _complete_crawl(
        self, snapshot: CrawlSnapshot, final: Sequence[CrawlDocument] | None, *, fallback: bool
    ) -> None:
        if final is not None:
            new, updated = self.merger.final(final)
            if new:
                self._queue.append(Emit(tuple(new)))
            if updated:
                self._queue.append(Replace(tuple(updated)))
        merger = self.merger
        self._queue.append(
            Finish(
                CrawlResult(
                    job_id=self.job_id,
                    status=snapshot.status,
                    documents=merger.documents(),
                    figures=CrawlFigures(
                        from_partial=merger.from_partial,
                        from_final_only=merger.from_final_only,
                        known_before=merger.known_before,
                        duplicates_dropped=merger.duplicates_dropped,
                        gaps=merger.gaps,
                    ),
                    traffic=self.traffic,
                    used_partial_fallback=fallback,
                    snapshot=snapshot,
                )
            )
        )

    def _take_extract(self, now: float, snapshot: ExtractSnapshot) -> None:
        previous = self.snapshot if isinstance(self.snapshot, ExtractSnapshot) else None
        if snapshot.outcome == "unconfirmed":
            # One such answer proves nothing (the two-step write race): it is judged against
            # the first such read, and any ordinary read in between starts the count again.
            if self._expired_since is None or self._expired_since > snapshot.read_at:
                self._expired_since = snapshot.read_at
            snapshot = attrs.evolve(snapshot, expired_since=self._expired_since)
        else:
            self._expired_since = None
        self.snapshot = snapshot
        if self.mode == "read":
            self._queue.append(Finish(snapshot))
            return
        # expiresAt moves on every read while processing; only these say the job moved.
        changed = previous is None or _extract_progress(previous) != _extract_progress(snapshot)
        self._queue.append(Report(snapshot, changed))
        meaning = snapshot.outcome
        if meaning == "completed":
            self._queue.append(
                Finish(
                    ExtractResult(
                        job_id=self.job_id,
                        status=snapshot.status,
                        data=snapshot.data,
                        expires_at=snapshot.expires_at,
                        expired=snapshot.expired,
                        extras=snapshot.extras,
                        traffic=self.traffic,
                        snapshot=snapshot,
                    )
                )
            )
        elif meaning == "lost":
            self._expired(lost_message(snapshot))
        elif (error := outcome_error(snapshot)) is not None:
            self._queue.append(Fail(error))
        else:
            self.continue_after(now, snapshot, changed=changed, size=None)

    def continue_after(
        self, now: float, snapshot: Snapshot, *, changed: bool, size: int | None
    ) -> None:
        """The job runs on after ``snapshot``: push the expiry warning (once) and the `Sleep`
        until the next poll. ``size`` is the body's, for the growing-list cadence (or None)."""
        left = warning_due(snapshot.time_left, self._poll.expiry_warning)
        # An unconfirmed loss is not an expiry to warn about: a live job reads so for a moment.
        if left is not None and not self._warned and snapshot.outcome != "unconfirmed":
            self._warned = True
            self._queue.append(Warn(snapshot, left))
        self._schedule(now, changed=changed, snapshot=snapshot, size=size)

    def _schedule(self, now: float, *, changed: bool, snapshot: Snapshot, size: int | None) -> None:
        poll = self._poll
        crawl = isinstance(snapshot, CrawlSnapshot)
        steady = False
        if self._reads == 1 and crawl:
            # The first wait is the shortest allowed: the pace is unknown, and at 100 pages/s
            # a one-second first wait would already overflow a 50-page window.
            self._interval, reason = poll.min_interval, "first read, learning the pace"
        elif changed and crawl:
            self._interval, reason = poll.initial_interval, "progress"
        elif self._steady:
            # An extract's change (a worker step) says nothing about when it ends: steady too.
            self._interval = min(self._interval * poll.backoff, poll.max_interval)
            reason, steady = "steady", True
        else:
            self._interval, reason, steady = poll.steady_interval, "steady", True
        wait = self._interval
        exact = False
        if isinstance(snapshot, CrawlSnapshot) and size is not None:
            wait, reason, exact = self._crawl_cadence(now, snapshot, size, wait, reason)
        if exact:
            # A predicted finish is not jittered: drawn early, the poll would come before the
            # end, and the next one a whole growing-list wait later.
            period = unjittered(poll, wait)
        elif steady:
            # Jitter spreads the phase of many waits once; after that the period is exact, so
            # completion is noticed at most one period after it happens.
            period = steady_period(poll, wait, self._rng, first=not self._steady)
        else:
            period = jittered(poll, wait, self._rng)
        self._steady = steady
        # The period runs from the start of the last read, not from its answer.
        elapsed = 0.0 if self._fetch_at is None else max(0.0, now - self._fetch_at)
        self._queue.append(Sleep(max(0.0, period - elapsed), reason))

    def _crawl_cadence(
        self, now: float, snapshot: CrawlSnapshot, size: int, wait: float, reason: str
    ) -> tuple[float, str, bool]:
        """The wait after a crawl answer, its reason, and whether it is a predicted finish."""
        previous, self._previous = self._previous, (now, snapshot.current, size)
        if previous is not None and now > previous[0]:
            elapsed = now - previous[0]
            if snapshot.current is not None and previous[1] is not None:
                self._page_rate = max(0.0, per_second(snapshot.current - previous[1], elapsed))
            self._body_rate = max(0.0, (size - previous[2]) / elapsed)
        if self.merger.windowed:
            if self._page_rate > 0:
                # Poll before window_fill of the window can turn over: no page evicted unseen.
                turnover = WINDOW * self._poll.window_fill / self._page_rate
                if turnover < wait:
                    wait, reason = turnover, f"50-page window at {self._page_rate:.1f} pages/s"
        elif size >= self._poll.growing_list_bytes and self._body_rate > 0:
            # A growing list is re-sent whole: wait until the body should have grown body_growth
            # times, so the bytes downloaded stay a geometric sum (a small multiple of the result).
            growth_wait = (self._poll.body_growth - 1) * size / self._body_rate
            wait, reason = max(growth_wait, self._poll.min_interval), "growing list"
        early, self._eta_due = self._eta_due, False
        if early and self._poll.initial_interval < wait:
            # The last poll was timed to the predicted finish and the crawl still runs: its
            # end is near, whatever the growing-list rule would wait.
            wait, reason = self._poll.initial_interval, "predicted finish came early"
        if snapshot.current is not None and snapshot.total is not None and self._page_rate > 0:
            # Poll just after the predicted finish instead of sleeping through it. A prediction
            # may come early (the pace slowed), so it is made again; a near one (under the
            # steady interval) at most ETA_CUTS times per value of total, so a crawl that keeps
            # finding pages cannot make it poll in a loop.
            total, cuts = self._eta_cuts
            cuts = cuts if total == snapshot.total else 0
            eta = per_second(max(0, snapshot.total - snapshot.current), self._page_rate)
            near = eta < self._poll.steady_interval
            if (cuts < ETA_CUTS or not near) and eta + self._poll.min_interval < wait:
                self._eta_cuts = (snapshot.total, cuts + near)
                self._eta_due = True
                wait = eta + self._poll.min_interval
                return wait, f"expected to finish in {eta:.1f}s", True
        return wait, reason, False
