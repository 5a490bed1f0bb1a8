"""The sans-IO poll core, fed plain answers and timestamps: no transport, no clock, no sleep."""

from __future__ import annotations

import ast
import datetime as dt
import json
import random
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import firecrawl_status
from firecrawl_status import PollPolicy, RetryPolicy
from firecrawl_status._core import (
    ETA_CUTS,
    REPLACE_BATCH,
    Action,
    Answer,
    Emit,
    Expire,
    Fail,
    Fetch,
    Finish,
    NoAnswer,
    Poller,
    Replace,
    Report,
    Sleep,
    Taken,
    outcome_error,
)
from firecrawl_status._generated.models import ExtractStatusResponse
from firecrawl_status._outcome import (
    CRAWL_OUTCOMES,
    EXTRACT_OUTCOMES,
    LOST_CONFIRMATION,
    outcome,
)
from firecrawl_status._snapshot import CrawlSnapshot, ExtractSnapshot
from firecrawl_status.errors import (
    APITimeoutError,
    JobExpiredError,
    JobNotFoundError,
    PollTimeoutError,
    RateLimitError,
)

WALL = dt.datetime(2025, 8, 1, 12, 0, tzinfo=dt.UTC)


def answer(body: dict[str, Any], status: int = 200, etag: str | None = None) -> Answer:
    """A plain answer as the transport would hand it over, built without the transport."""
    headers = {"etag": etag} if etag else {}
    size = len(json.dumps(body).encode())
    if status != 200:
        return Answer(status_code=status, headers=headers, size=size, read_at=WALL, body=body)
    partial = body.get("partial_data")
    final = body.get("data")
    partial = partial if isinstance(partial, list) else []
    final = final if isinstance(final, list) else None
    snapshot = CrawlSnapshot.from_body("j", body, WALL, partial=partial, final=final)
    return Answer(
        status_code=200,
        headers=headers,
        size=size,
        read_at=WALL,
        body=body,
        snapshot=snapshot,
        partial=partial,
        final=final,
    )


NOT_MODIFIED = Answer(status_code=304, headers={}, size=0, read_at=WALL)


def poller(mode: str = "wait", timeout: float | None = None, **poll: Any) -> Poller:
    return Poller(
        kind="crawl",
        job_id="j",
        mode=mode,  # type: ignore[arg-type]
        retry=RetryPolicy(max_retries=2),
        poll=PollPolicy(**poll),
        now=0.0,
        timeout=timeout,
        request_timeout=30.0,
        rng=random.Random(0),
    )


def drain(p: Poller, now: float) -> list[Action]:
    """Every action up to and including the next Fetch, Sleep or end."""
    actions: list[Action] = []
    while True:
        action = p.next_action(now)
        actions.append(action)
        if isinstance(action, Fetch | Sleep | Finish | Fail):
            return actions


def page(n: int, **extra: Any) -> dict[str, Any]:
    return {"markdown": "x" * 200, "metadata": {"sourceURL": f"https://e.com/{n}"}, **extra}


def test_first_action_is_a_fetch_without_etag_then_report_emit_sleep() -> None:
    """A poll answer yields Report, then Emit of the new pages, then a Sleep."""
    p = poller()
    first = p.next_action(0.0)
    assert first == Fetch(etag=None, timeout=30.0)
    p.receive(
        0.1,
        answer(
            {"status": "active", "current": 1, "total": 3, "partial_data": [page(1)]}, etag='W/"1"'
        ),
    )
    actions = drain(p, 0.1)
    assert [type(a) for a in actions] == [Report, Emit, Sleep]
    emit = actions[1]
    assert isinstance(emit, Emit)
    assert [i.key for i in emit.items] == ["url:https://e.com/1"]
    assert p.next_action(1.5) == Fetch(etag='W/"1"', timeout=30.0)


def test_deadline_cuts_sleep_and_request_timeout_then_fails() -> None:
    """Rule 1: never sleep past the deadline; the request timeout shrinks to the time left."""
    p = poller(timeout=5.0, min_interval=10.0, initial_interval=10.0, max_interval=10.0, jitter=0.0)
    assert p.next_action(0.0) == Fetch(etag=None, timeout=5.0)
    p.receive(1.0, answer({"status": "active", "current": 0, "total": 1}))
    actions = drain(p, 1.0)
    assert actions[-1] == Sleep(4.0, "first read, learning the pace; cut to the deadline")
    end = p.next_action(5.0)
    assert isinstance(end, Fail)
    assert isinstance(end.error, PollTimeoutError)
    with pytest.raises(RuntimeError):
        p.next_action(5.0)


def test_read_mode_finishes_on_the_first_snapshot() -> None:
    """mode='read' answers Finish(snapshot) after one good answer."""
    p = poller(mode="read")
    p.next_action(0.0)
    p.receive(0.0, answer({"status": "active"}))
    action = p.next_action(0.0)
    assert isinstance(action, Finish)


def test_timeouts_are_retried_per_retry_policy_then_fail() -> None:
    """A NoAnswer(timeout) is retried max_retries times, then fails typed."""
    p = poller(mode="read")
    for _ in range(2):
        p.next_action(0.0)
        p.receive(0.0, NoAnswer(TimeoutError("read timed out"), timeout=True))
        assert isinstance(p.next_action(0.0), Sleep)
    p.next_action(0.0)
    p.receive(0.0, NoAnswer(TimeoutError("read timed out"), timeout=True))
    end = p.next_action(0.0)
    assert isinstance(end, Fail)
    assert isinstance(end.error, APITimeoutError)
    assert p.retries == 2


def test_full_window_at_100_pages_per_second_is_polled_before_it_turns_over() -> None:
    """With a saturated 50-window growing 100 pages/s, the wait drops to a quarter second."""
    p = poller(initial_interval=2.0, jitter=0.0)
    now = 0.0
    for top in (50, 150):  # 100 pages in one second
        p.next_action(now)
        window = [page(n, index=n) for n in range(top - 49, top + 1)]
        p.receive(
            now,
            answer({"status": "active", "current": top, "total": 5000, "partial_data": window}),
        )
        sleep = drain(p, now)[-1]
        now += 1.0
    assert isinstance(sleep, Sleep)
    assert sleep.seconds == pytest.approx(0.25)
    assert "50-page window at 100.0 pages/s" in sleep.reason


def test_growing_list_waits_for_the_body_to_grow() -> None:
    """A large growing list is polled when its body should have grown body_growth times."""
    p = poller(initial_interval=1.0, jitter=0.0, growing_list_bytes=10_000, max_interval=60.0)
    now, sleeps = 0.0, []
    for finished in (100, 200, 300):
        p.next_action(now)
        body = {
            "status": "active",
            "current": finished,
            "total": 9999,
            "partial_data": [page(n) for n in range(1, finished + 1)],
        }
        p.receive(now, answer(body))
        sleep = drain(p, now)[-1]
        assert isinstance(sleep, Sleep)
        sleeps.append(sleep.seconds)
        now += sleep.seconds
    # The first wait is the quick one; then each wait lets the body grow 2.5 times at the
    # observed rate: (2.5 - 1) * size / rate, a geometric schedule.
    assert sleeps[0] == 0.25
    assert sleeps[1] == pytest.approx(1.5 * 2 * 0.25, rel=0.01)
    assert sleeps[2] == pytest.approx(1.5 * 3 * sleeps[1], rel=0.01)
    assert p.bytes_received > 0


def test_small_growing_list_keeps_the_plain_cadence() -> None:
    """Below growing_list_bytes, bytes are cheap: quick first wait, then the plain cadence."""
    p = poller(initial_interval=1.0, jitter=0.0)
    for now, finished in ((0.0, 1), (1.0, 2)):
        p.next_action(now)
        p.receive(
            now,
            answer(
                {
                    "status": "active",
                    "current": finished,
                    "partial_data": [page(n) for n in range(1, finished + 1)],
                }
            ),
        )
        sleep = drain(p, now)[-1]
    assert sleep == Sleep(1.0, "progress")


def test_304_without_a_previous_snapshot_is_a_protocol_problem() -> None:
    """A 304 to a request that sent no ETag cannot be used; it is retried like a bad body."""
    p = poller(mode="read")
    p.next_action(0.0)
    p.receive(
        0.0,
        NOT_MODIFIED,
    )
    assert isinstance(p.next_action(0.0), Sleep)


def unchanged_waits(now_after_fetch: float = 0.0, **poll: Any) -> list[float]:
    """The waits of a crawl sitting unchanged (304 after 304), each answer taking
    ``now_after_fetch`` seconds."""
    p = poller(**poll)
    now = 0.0
    p.next_action(now)
    p.receive(now, answer({"status": "waiting"}, etag='W/"w"'))
    sleeps = [drain(p, now)[-1]]
    for _ in range(5):
        now += sleeps[-1].seconds  # type: ignore[union-attr]
        p.next_action(now)
        now += now_after_fetch
        p.receive(now, NOT_MODIFIED)
        sleeps.append(drain(p, now)[-1])
    return [s.seconds for s in sleeps if isinstance(s, Sleep)]


def test_unchanged_304_polls_stay_steady() -> None:
    """A job that sits unchanged (304 after 304) is polled every steady_interval, start to
    start: a 304 costs no body, and backing away would notice the end late (issue 14)."""
    waits = unchanged_waits(jitter=0.0)
    assert waits == pytest.approx([0.25, 2.0, 2.0, 2.0, 2.0, 2.0])
    # The period runs from the start of a read: a slow answer shortens the sleep after it.
    assert unchanged_waits(0.5, jitter=0.0)[1:] == pytest.approx([1.5] * 5)


def test_jitter_sets_the_phase_once_and_never_polls_faster_than_the_period() -> None:
    waits = unchanged_waits(jitter=0.1)
    assert 2.0 <= waits[1] <= 2.2
    assert waits[2:] == pytest.approx([2.0] * 4)


def test_backoff_above_one_still_backs_away_when_asked() -> None:
    waits = unchanged_waits(backoff=1.5, jitter=0.0, max_interval=60.0)
    assert waits[1:] == pytest.approx([2.0, 3.0, 4.5, 6.75, 10.125])


def test_a_long_wait_is_cut_to_the_predicted_finish() -> None:
    """With current, total and a page rate known, the poller wakes just after the crawl should
    end instead of sleeping through it. An early near prediction (under steady_interval) is
    made again, ETA_CUTS times at most per value of total; far ones do not count."""
    p = poller(initial_interval=30.0, min_interval=0.25, max_interval=60.0, jitter=0.0)

    def read(now: float, current: int, total: int = 1000) -> Action:
        p.next_action(now)
        p.receive(now, answer({"status": "active", "current": current, "total": total}))
        return drain(p, now)[-1]

    def sleep(action: Action) -> tuple[float, str]:
        assert isinstance(action, Sleep)
        return action.seconds, action.reason

    read(0.0, 10)
    assert sleep(read(1.0, 20)) == (30.0, "progress")  # 98 s away at 10 pages/s: no cut
    near = "expected to finish in 0.1s"
    assert sleep(read(2.0, 900)) == (pytest.approx(100 / 880 + 0.25), near)  # near: 1
    assert ETA_CUTS == 3
    # Slower than predicted, pages left each time: predicted again (2, 3)...
    assert sleep(read(3.0, 990)) == (pytest.approx(10 / 90 + 0.25), near)
    assert sleep(read(4.0, 995)) == (pytest.approx(1.25), "expected to finish in 1.0s")
    # ...a far prediction does not count (4 s away at 1 page/s)...
    assert sleep(read(5.0, 996)) == (pytest.approx(4.25), "expected to finish in 4.0s")
    # ...but a fourth near one for the same total is not made.
    assert sleep(read(6.0, 999)) == (30.0, "progress")
    # A new total is predicted anew.
    assert sleep(read(7.0, 1000, 1002)) == (pytest.approx(2.25), "expected to finish in 2.0s")


def test_after_an_early_predicted_finish_the_next_poll_comes_soon() -> None:
    """The poll timed to the predicted finish found the crawl still running: the next one
    comes within initial_interval, not after a whole growing-list wait."""
    p = poller(initial_interval=1.0, max_interval=60.0, jitter=0.0, growing_list_bytes=0)

    def read(now: float, current: int, pad: int) -> Action:
        body = {"status": "active", "current": current, "total": 25, "pad": "x" * pad}
        p.next_action(now)
        p.receive(now, answer(body))
        return drain(p, now)[-1]

    read(0.0, 10, 0)
    first = read(1.0, 20, 10_000)
    assert isinstance(first, Sleep)
    assert first.reason == "expected to finish in 0.5s"
    # The pace dropped: 1 page in 0.75 s, 4 left (3 s away); the list grew little, so the
    # growing-list rule alone would wait some 23 s, cut to 3.25 s by the prediction.
    assert read(1.0 + first.seconds, 21, 10_500) == Sleep(1.0, "predicted finish came early")


@given(
    jitter=st.floats(0.0, 0.9),
    rate=st.floats(1.0, 500.0),
    left=st.integers(1, 10_000),
    seed=st.integers(0, 2**32 - 1),
)
def test_a_predicted_finish_is_never_drawn_before_it(
    jitter: float, rate: float, left: int, seed: int
) -> None:
    """The jitter that spreads ordinary waits never pulls a finish-timed poll before the
    predicted end (it did: the poll came early and the next one was a whole wait later)."""
    p = Poller(
        kind="crawl",
        job_id="j",
        mode="wait",
        retry=RetryPolicy(),
        poll=PollPolicy(initial_interval=60.0, max_interval=60.0, jitter=jitter),
        now=0.0,
        timeout=None,
        request_timeout=None,
        rng=random.Random(seed),
    )
    total = 100 + left
    for now, current in ((0.0, 0), (1.0, 100)):
        p.next_action(now)
        p.receive(now, answer({"status": "active", "current": current, "total": total}))
        sleep = drain(p, now)[-1]
    assert isinstance(sleep, Sleep)
    eta = left / 100.0  # 100 pages in the second between the reads
    if sleep.reason.startswith("expected to finish"):
        assert sleep.seconds >= eta + 0.25 - 1e-9
    else:
        assert eta + 0.25 >= 60.0 * (1 - jitter) - 1e-9  # no cut: the wait was not longer


@given(
    hint=st.one_of(
        st.floats(-1e6, 0.3, allow_nan=False),
        st.sampled_from(["0", "-1", "0.001", "Wed, 21 Oct 2015 07:28:00 GMT"]),
    ),
    header=st.sampled_from(["retry-after", "retry-after-ms"]),
    timeout=st.floats(1.0, 120.0),
    fixed=st.sampled_from([None, 5.0]),
)
def test_a_server_repeating_429_with_a_tiny_hint_never_sets_a_faster_pace(
    hint: float | str, header: str, timeout: float, fixed: float | None
) -> None:
    """A wait answered 429 forever, with a hint of no time, a past date or a millisecond,
    polls no faster than min_interval (or the fixed_interval asked for) and ends by its
    deadline. It looped at once before: on a FakeClock forever, on a real one hammering the
    server."""
    p = poller(timeout=timeout, min_interval=0.25, fixed_interval=fixed)
    throttled = Answer(
        status_code=429,
        headers={header: str(hint)},
        size=40,
        read_at=WALL,
        body={"success": False, "error": "Rate limit exceeded"},
    )
    now, fetches, end = 0.0, 0, None
    for _ in range(10_000):
        action = p.next_action(now)
        if isinstance(action, Fetch):
            fetches += 1
            p.receive(now, throttled)
        elif isinstance(action, Sleep):
            now += action.seconds
        elif isinstance(action, Fail | Finish):
            end = action
            break
    assert isinstance(end, Fail), "the wait never ended"
    assert isinstance(end.error, PollTimeoutError | RateLimitError)
    assert fetches <= timeout / (fixed or 0.25) + 3
    assert now <= timeout + 1e-9


def test_between_polls_only_a_light_snapshot_is_kept() -> None:
    """A wait keeps the last snapshot without its documents; a read returns them all."""
    body = {"status": "active", "current": 1, "total": 2, "partial_data": [page(1)]}
    p = poller()
    p.next_action(0.0)
    p.receive(0.0, answer(body))
    report = drain(p, 0.0)[0]
    assert isinstance(report, Report)
    assert len(report.snapshot.documents) == 1  # the caller sees the full answer
    assert p.snapshot is not None
    assert p.snapshot.documents == []
    assert p.snapshot.status == "active"
    read = poller(mode="read")
    read.next_action(0.0)
    read.receive(0.0, answer(body))
    finish = read.next_action(0.0)
    assert isinstance(finish, Finish)
    assert isinstance(finish.result, CrawlSnapshot)
    assert len(finish.result.documents) == 1
    assert finish.result.model.partial_data[0].metadata.source_url == "https://e.com/1"  # type: ignore[index, union-attr]


def extract_answer(status: str, expires_at: dt.datetime, read_at: dt.datetime = WALL) -> Answer:
    body = {"success": True, "status": status, "data": [], "expiresAt": expires_at.isoformat()}
    model = ExtractStatusResponse.from_dict(body)
    snapshot = ExtractSnapshot.from_model("x", model, body, read_at)
    return Answer(
        status_code=200, headers={}, size=1, read_at=read_at, body=body, snapshot=snapshot
    )


def bare_poller(
    kind: str, mode: str, *, seen: bool = False, expired_since: dt.datetime | None = None
) -> Poller:
    """A poller with no deadline that retries up to three times."""
    return Poller(
        kind=kind,  # type: ignore[arg-type]
        job_id="x" if kind == "extract" else "j",
        mode=mode,  # type: ignore[arg-type]
        retry=RetryPolicy(max_retries=3),
        poll=PollPolicy(),
        now=0.0,
        timeout=None,
        request_timeout=None,
        rng=random.Random(0),
        seen_before=seen,
        expired_since=expired_since,
    )


@given(st.text(max_size=12), st.sampled_from(["crawl", "extract"]), st.booleans())
def test_one_table_says_what_every_status_means(status: str, kind: str, expired: bool) -> None:
    """Known terminal statuses end the job; anything else runs, unless an extract's record
    expired (unconfirmed on one read, lost once confirmed). A crawl never reads as lost."""
    meaning = outcome(kind, status, expired=expired)  # type: ignore[arg-type]
    confirmed = outcome(kind, status, expired=expired, expired_for=LOST_CONFIRMATION)  # type: ignore[arg-type]
    table = CRAWL_OUTCOMES if kind == "crawl" else EXTRACT_OUTCOMES
    if status in table:
        assert meaning == confirmed == table[status]
    elif kind == "extract" and expired:
        assert (meaning, confirmed) == ("unconfirmed", "lost")
    else:
        assert confirmed == "running"
        assert meaning == "running"


def test_a_lost_extract_means_the_same_to_a_read_and_a_wait() -> None:
    """'processing' with expiresAt past: one such read is unconfirmed (a read keeps polling,
    a wait polls on); confirmed LOST_CONFIRMATION later, the read's snapshot says lost, and
    its outcome error is the very expiry a wait ends with."""
    past = WALL - dt.timedelta(seconds=1)
    once = bare_poller("extract", "read")
    once.receive(0.0, extract_answer("processing", past))
    first = once.next_action(0.0)
    assert isinstance(first, Finish)
    assert isinstance(first.result, ExtractSnapshot)
    assert (first.result.outcome, first.result.is_terminal) == ("unconfirmed", False)
    assert outcome_error(first.result) is None

    later = WALL + LOST_CONFIRMATION
    read = bare_poller("extract", "read", expired_since=WALL)
    read.receive(0.0, extract_answer("processing", past, read_at=later))
    finish = read.next_action(0.0)
    assert isinstance(finish, Finish)
    snapshot = finish.result
    assert isinstance(snapshot, ExtractSnapshot)
    assert (snapshot.outcome, snapshot.is_terminal) == ("lost", True)
    error = outcome_error(snapshot)
    assert isinstance(error, JobExpiredError)

    wait = bare_poller("extract", "wait")
    wait.receive(0.0, extract_answer("processing", past))
    assert isinstance(wait.next_action(0.0), Report)
    assert isinstance(wait.next_action(0.0), Sleep)  # one read proves nothing
    wait.next_action(2.0)
    wait.receive(2.0, extract_answer("processing", past, read_at=WALL + dt.timedelta(seconds=2)))
    assert isinstance(wait.next_action(2.0), Report)
    assert isinstance(wait.next_action(2.0), Sleep)  # 2 s on: not yet confirmed
    wait.next_action(5.0)
    wait.receive(5.0, extract_answer("processing", past, read_at=later))
    actions = [wait.next_action(5.0), wait.next_action(5.0)]
    assert isinstance(actions[0], Report)
    assert isinstance(actions[1], Expire)
    assert actions[1].message == error.message

    running = bare_poller("extract", "read")
    running.receive(0.0, extract_answer("processing", WALL + dt.timedelta(hours=1)))
    still = running.next_action(0.0)
    assert isinstance(still, Finish)
    assert isinstance(still.result, ExtractSnapshot)
    assert still.result.outcome == "running"
    assert outcome_error(still.result) is None


@pytest.mark.parametrize("seen", [False, True])
def test_a_404_is_not_found_or_expired_decided_once(seen: bool) -> None:
    """Never seen: JobNotFoundError. Seen before: an Expire, with no JobNotFoundError built."""
    p = bare_poller("crawl", "wait", seen=seen)
    p.receive(0.0, answer({"success": False, "error": "Job not found"}, status=404))
    action = p.next_action(0.0)
    if seen:
        assert isinstance(action, Expire)
        assert "404 after it was seen" in action.message
    else:
        assert isinstance(action, Fail)
        assert isinstance(action.error, JobNotFoundError)
    assert p.requests == 1  # a 404 is never retried


def test_the_core_imports_nothing_from_the_io_side() -> None:
    """_core.py, _outcome.py and the snapshot types load without httpx, the generated package
    or the transport: their imports name none of them (TYPE_CHECKING blocks aside)."""
    package = Path(firecrawl_status.__file__).parent
    forbidden = {"httpx", "_generated", "_api", "_sync", "_async", "_store"}
    for name in ("_core.py", "_outcome.py"):
        tree = ast.parse((package / name).read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names = {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom):
                names = {(node.module or "").split(".")[0]}
            else:
                continue
            assert not names & forbidden, (name, names)


def offered(p: Poller, list_name: str, n: int, content: int) -> None:
    """Document ``n`` (text version ``content``) of ``list_name``, as the transport offers it
    to the merger and takes it when wanted."""
    document = {"url": f"https://e.com/{n}", "markdown": f"v{content}"}
    fingerprint = hash(f"{n}/{content}")
    final = list_name == "data"
    identity = p.merger.offer(document, fingerprint, final)
    if identity is not None:
        p.merger.take(identity, document, fingerprint, final)  # type: ignore[arg-type]


PIECE_TAKEN = Taken(WALL, "active")


def emitted_then_replaced(actions: list[Action]) -> None:
    """Each document is emitted once, and any update of it goes to the store after that."""
    emitted: dict[str, int] = {}
    for at, action in enumerate(actions):
        if isinstance(action, Emit):
            for item in action.items:
                assert item.key not in emitted, "emitted twice"
                emitted[item.key] = at
        elif isinstance(action, Replace):
            for item in action.items:
                assert emitted.get(item.key, at) < at, "replaced before it was emitted"


def test_a_piece_emits_its_new_documents_before_the_updates_that_follow_them() -> None:
    """One piece: a new page, then enough updates (that page's among them) for a Replace."""
    p = poller(mode="stream")
    for n in range(REPLACE_BATCH):
        offered(p, "partial_data", n, 0)
    actions: list[Action] = list(p.take_documents(PIECE_TAKEN))
    offered(p, "partial_data", 99, 0)
    for n in [99, *range(REPLACE_BATCH - 1)]:
        offered(p, "data", n, 1)
    actions += p.take_documents(PIECE_TAKEN)
    assert any(isinstance(action, Replace) for action in actions)
    emitted_then_replaced(actions)


@given(
    st.lists(
        st.lists(
            st.tuples(
                st.sampled_from(["partial_data", "data"]), st.integers(0, 40), st.integers(0, 3)
            ),
            max_size=80,
        ),
        max_size=6,
    )
)
def test_a_stream_emits_each_document_once_and_before_its_updates(
    pieces: list[list[tuple[str, int, int]]],
) -> None:
    """Any pieces of new documents and updates: each is emitted once, updated only after."""
    p = poller(mode="stream")
    actions: list[Action] = []
    for piece in pieces:
        for name, n, content in piece:
            offered(p, name, n, content)
        actions += p.take_documents(PIECE_TAKEN)
    emitted_then_replaced(actions)
