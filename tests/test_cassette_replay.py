"""Every cassette in tests/cassettes replayed through StatusClient and AsyncStatusClient.

A cassette's metadata names the call it recorded (``call``) and what it returned (``outcome``).
Replay runs on a `FakeClock` (nothing sleeps) with vcrpy in ``record_mode="none"``: a request the
cassette does not hold, a recorded answer asked for twice, or one left unplayed fails the test.
Both clients must return the recorded outcome, sleep the same, and meet the hand-written
expectation below (`EXPECTED`), which says what each scenario is for.

The v1/v2 cassettes (``v2-*``, ``v1-*``) are replayed with the client's ``crawl_api`` from
their metadata, and also held to what every server behaviour must give: each page the server
sent delivered exactly once (counted by ``scrapeId`` and by URL), each poll asking only for
what is new, and the job store's cursor left where the walk stopped.
"""

from __future__ import annotations

import asyncio
import itertools
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import attrs
import pytest
import yaml

from firecrawl_status import (
    AsyncStatusClient,
    AuthenticationError,
    CrawlResult,
    ExtractResult,
    JobCancelledError,
    JobErrors,
    JobExpiredError,
    JobFailedError,
    JobNotFoundError,
    JobResult,
    JobSnapshot,
    JobStore,
    PermissionDeniedError,
    PollTimeoutError,
    StatusClient,
)
from firecrawl_status._generated.models import JobStatusResponse
from firecrawl_status.testing import FakeClock
from scripts.cassettes import record as recorder

CASSETTES = sorted(recorder.CASSETTES.glob("*.yaml"))
SITE = "https://example.com"
DEFAULT_EXTRACT_DATA = {
    "company_mission": "Turn websites into LLM-ready data.",
    "is_open_source": True,
    "employee_count": 42,
}


def page(n: int) -> str:
    return f"{SITE}/" if n == 1 else f"{SITE}/page-{n}"


def pages(*numbers: int) -> frozenset[str]:
    return frozenset(page(n) for n in numbers)


def url_of(document: dict[str, Any]) -> str:
    metadata = document.get("metadata") or {}
    return str(metadata.get("sourceURL") or document.get("url"))


def scrape_ids(documents: list[Any]) -> list[str]:
    """The ``metadata.scrapeId`` of each document that has one (v1/v2 documents all do)."""
    return [
        document["metadata"]["scrapeId"]
        for document in documents
        if isinstance(document.get("metadata"), dict) and "scrapeId" in document["metadata"]
    ]


@attrs.frozen(kw_only=True)
class Expect:
    """What a scenario must produce. Unset fields are not checked."""

    outcome: type[object]
    urls: frozenset[str] | None = None
    documents: int | None = None
    figures: dict[str, int] = attrs.Factory(dict)
    traffic: dict[str, int] = attrs.Factory(dict)
    message: str | None = None
    status_code: int | None = None
    sleeps: Callable[[list[float]], bool] | None = None
    check: Callable[[Any], bool] | None = None

    def verify(self, outcome: object, clock: FakeClock) -> None:
        assert isinstance(outcome, self.outcome), outcome
        documents = getattr(outcome, "documents", None)
        if self.urls is not None:
            assert documents is not None
            urls = [url_of(doc) for doc in documents]
            assert len(urls) == len(set(urls)), "a document was delivered twice"
            assert set(urls) == self.urls
            ids = scrape_ids(documents)
            assert len(ids) == len(set(ids)), "a scrapeId was delivered twice"
        if self.documents is not None:
            assert documents is not None
            assert len(documents) == self.documents
        if self.figures:
            figures = attrs.asdict(outcome.figures)  # type: ignore[attr-defined]
            assert {key: figures[key] for key in self.figures} == self.figures
        if self.traffic:
            traffic = attrs.asdict(outcome.traffic)  # type: ignore[attr-defined]
            assert {key: traffic[key] for key in self.traffic} == self.traffic
        if self.message is not None:
            assert self.message in str(outcome)
        if self.status_code is not None:
            assert outcome.status_code == self.status_code  # type: ignore[attr-defined]
        if self.sleeps is not None:
            assert self.sleeps(clock.sleeps), clock.sleeps
        if self.check is not None:
            assert self.check(outcome)


EXPECTED: dict[str, Expect] = {
    "crawl-growing": Expect(
        outcome=CrawlResult,
        urls=frozenset(page(n) for n in (1, 2, 3, 4, 6, 7)),  # page 5 failed and vanished
        figures={"gaps": 0},
        traffic={"retries": 0},
    ),
    "crawl-window": Expect(
        outcome=CrawlResult,
        urls=frozenset(page(n) for n in range(1, 65)),
        figures={"gaps": 0},
        traffic={"retries": 0, "not_modified": 0},
    ),
    "crawl-waiting-then-running": Expect(
        outcome=CrawlResult,
        urls=frozenset(page(n) for n in (1, 2, 3)),
        check=lambda result: result.traffic.not_modified > 0,
    ),
    "crawl-failed": Expect(
        outcome=JobFailedError,
        urls=frozenset(page(n) for n in (1, 2, 3)),
        message="failed (or was cancelled) at 3/6",
    ),
    "crawl-cancelled": Expect(
        outcome=JobFailedError,
        urls=frozenset(page(n) for n in (1, 2, 3)),
        message="failed (or was cancelled)",
    ),
    "crawl-expired-404": Expect(
        outcome=JobExpiredError,
        documents=4,
        message="404 after it was seen",
    ),
    "crawl-expired-silent": Expect(
        outcome=JobExpiredError,
        documents=2,
        message="silent expiry",
    ),
    "crawl-not-found": Expect(
        outcome=JobNotFoundError, status_code=404, sleeps=lambda sleeps: sleeps == []
    ),
    "crawl-unauthorized": Expect(
        outcome=AuthenticationError, status_code=401, sleeps=lambda sleeps: sleeps == []
    ),
    "crawl-forbidden": Expect(
        outcome=PermissionDeniedError, status_code=403, sleeps=lambda sleeps: sleeps == []
    ),
    "crawl-rate-limited": Expect(
        outcome=CrawlResult,
        urls=frozenset(page(n) for n in range(1, 7)),
        traffic={"retries": 1},
        sleeps=lambda sleeps: sleeps[0] == 3.0,  # the hint inside the 429 message
    ),
    "crawl-server-errors": Expect(
        outcome=CrawlResult,
        urls=frozenset(page(n) for n in range(1, 4)),
        traffic={"retries": 2},
        sleeps=lambda sleeps: 0 < sleeps[0] <= 0.5 and 0 < sleeps[1] <= 1.0,  # full jitter
    ),
    "crawl-poll-timeout": Expect(
        outcome=PollTimeoutError,
        documents=3,
        message="after 4s",
        sleeps=lambda sleeps: sum(sleeps) == pytest.approx(4.0),  # exactly to the deadline
    ),
    "extract-completed": Expect(
        outcome=ExtractResult,
        check=lambda result: (
            result.data == DEFAULT_EXTRACT_DATA
            and not result.expired
            and {"llmUsage", "sources", "costTracking", "tokensUsed"} <= set(result.extras)
        ),
    ),
    "extract-flip": Expect(
        outcome=ExtractResult,
        check=lambda result: result.data == DEFAULT_EXTRACT_DATA,
    ),
    "extract-failed": Expect(
        outcome=JobFailedError,
        check=lambda error: error.error_text.startswith("An unexpected error occurred"),
    ),
    "extract-lost": Expect(outcome=JobExpiredError, message="already past"),
    "v2-crawl-skip-honoured": Expect(
        outcome=JobResult,
        urls=pages(*range(1, 13)),
        figures={"gaps": 0, "duplicates_dropped": 0},
        traffic={"retries": 0},
        check=lambda result: (result.failed_pages, result.skipped_pages) == (0, 0),
    ),
    "v2-batch-skip-honoured": Expect(
        outcome=JobResult,
        urls=pages(*range(1, 11)),
        check=lambda result: result.snapshot.kind == "batch_scrape",
    ),
    "v2-crawl-skip-ignored": Expect(
        outcome=JobResult,
        urls=pages(*range(1, 13)),
        check=lambda result: result.figures.duplicates_dropped > 0,  # resent, never delivered
    ),
    "v2-crawl-next-forever-cancelled": Expect(
        outcome=JobCancelledError,
        urls=pages(*range(1, 6)),
        message="cancelled at 5/5",
        check=lambda error: error.snapshot.next_url is not None,  # next on a cancelled job
    ),
    "v2-crawl-foreign-next": Expect(
        outcome=JobResult,
        urls=pages(*range(1, 9)),
        traffic={"requests": 8},  # every one to our own host (see below)
    ),
    "v2-batch-missing-duplicate": Expect(
        outcome=JobResult,
        urls=pages(1, 2, 4, 5, 6, 7, 8, 9, 10),  # page 3's stored result is missing
        figures={"duplicates_dropped": 1},
        check=lambda result: result.skipped_pages == 1,
    ),
    "v2-crawl-default-page": Expect(
        outcome=JobResult,
        urls=pages(*range(1, 131)),
        traffic={"requests": 3},  # 100 documents, the last 30, /errors
    ),
    "v2-crawl-page-cap": Expect(
        outcome=JobResult,
        urls=pages(*range(1, 9)),
        traffic={"requests": 5},  # four pages cut short by size, /errors
    ),
    "v2-crawl-not-found-grace": Expect(
        outcome=JobResult,
        urls=pages(1, 2, 3),
        sleeps=lambda sleeps: sum(sleeps) >= 3.0,  # waited out the 3 s of 404s
    ),
    "v2-crawl-kickoff-failure": Expect(
        outcome=JobFailedError,
        documents=0,
        message="failed at kickoff: URL is not allowed",  # no progress figures to give
        sleeps=lambda sleeps: sleeps == [],
        check=lambda error: (
            not isinstance(error, JobCancelledError)
            and error.snapshot.success is False
            and error.error == "URL is not allowed by the crawler's settings"
        ),
    ),
    "v2-crawl-rate-limited": Expect(
        outcome=JobResult,
        urls=pages(*range(1, 7)),
        traffic={"retries": 1},
        sleeps=lambda sleeps: sleeps[0] == 3.0,  # Retry-After
    ),
    "v2-crawl-etag": Expect(
        outcome=JobResult,
        urls=pages(1, 2, 3, 4),
        check=lambda result: result.traffic.not_modified == 1,
    ),
    "v2-crawl-errors": Expect(
        outcome=JobErrors,
        check=lambda errors: (
            [(e.url, e.code) for e in errors.errors]
            == [(f"{SITE}/broken-2", "SCRAPE_TIMEOUT"), (f"{SITE}/broken-5", "SCRAPE_TIMEOUT")]
            and all(e.timestamp is not None and e.error for e in errors.errors)
            and errors.robots_blocked == [f"{SITE}/private/"]
        ),
    ),
    "v2-batch-read": Expect(
        outcome=JobSnapshot,
        urls=pages(1, 2, 3, 4),
        check=lambda snapshot: (
            snapshot.kind == "batch_scrape"
            and snapshot.credits_used is None  # -1: the server has no billing data
            and str(snapshot.next_url).endswith("?skip=4")
            and isinstance(snapshot.model, JobStatusResponse)
            and snapshot.model.credits_used == -1
        ),
    ),
    "v1-crawl": Expect(
        outcome=JobResult,
        urls=pages(*range(1, 9)),
        check=lambda result: result.snapshot.api == "v1" and result.failed_pages == 1,
    ),
    "v1-batch-errors": Expect(
        outcome=JobErrors,
        check=lambda errors: len(errors.errors) == 1 and errors.robots_blocked == [],
    ),
}


def load(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(path.read_text())
    return data


@attrs.frozen
class Replay:
    outcome: Any
    clock: FakeClock


def replay(path: Path, flavour: str, store: JobStore | None = None) -> Replay:
    """Replay a cassette's call on a fresh client; every recorded answer must be used."""
    call = recorder.Call.from_dict(load(path)["metadata"]["call"])
    clock = FakeClock()
    options = {
        "base_url": recorder.PRODUCTION,
        "store": store,
        **recorder.client_options(call, clock),
    }
    with recorder.use_cassette(path) as cassette:
        if flavour == "sync":
            with StatusClient(recorder.REPLAY_KEY, **options) as client:
                outcome = recorder.run_sync(client, call)
        else:

            async def main() -> Any:
                async with AsyncStatusClient(recorder.REPLAY_KEY, **options) as client:
                    return await recorder.run_async(client, call)

            outcome = asyncio.run(main())
        assert cassette.all_played, (
            f"{path.name}: {cassette.play_count} of {len(cassette)} answers used"
        )
    return Replay(outcome, clock)


def test_there_are_cassettes() -> None:
    """The cassettes are committed (scripts/record-cassettes writes them)."""
    assert len(CASSETTES) >= len(recorder.SCENARIOS)


@pytest.mark.parametrize("path", CASSETTES, ids=lambda path: path.stem)
def test_cassette_replays_to_its_outcome_on_both_clients(path: Path) -> None:
    """Sync and async replays return the recorded outcome, sleep alike, and meet EXPECTED."""
    recorded = load(path)["metadata"]["outcome"]
    sync, async_ = replay(path, "sync"), replay(path, "async")
    assert recorder.summarize(sync.outcome) == recorded
    assert recorder.summarize(async_.outcome) == recorded
    assert sync.clock.sleeps == async_.clock.sleeps
    expectation = EXPECTED.get(path.stem)
    assert expectation is not None, (
        f"{path.name} has no expectation: add {path.stem!r} to EXPECTED in {__name__} "
        f"(recorded outcome: {recorded})"
    )
    expectation.verify(sync.outcome, sync.clock)
    expectation.verify(async_.outcome, async_.clock)


def test_every_scenario_has_a_committed_cassette() -> None:
    """scripts/record-cassettes and tests/cassettes agree on the scenario list."""
    committed = {path.stem for path in CASSETTES}
    assert {scenario.name for scenario in recorder.SCENARIOS} <= committed


@pytest.mark.parametrize("path", CASSETTES, ids=lambda path: path.stem)
def test_cassette_holds_no_secret_and_reads_like_production(path: Path) -> None:
    """Only production URLs and If-None-Match in requests; no key, no Authorization."""
    text = path.read_text()
    assert recorder.SIMULATOR_KEY not in text
    assert "authorization" not in text.lower()
    assert "127.0.0.1" not in text
    for interaction in load(path)["interactions"]:
        request = interaction["request"]
        assert request["uri"].startswith(f"{recorder.PRODUCTION}/v")
        assert set(request["headers"]) <= recorder.KEPT_REQUEST_HEADERS
        assert set(interaction["response"]["headers"]) <= recorder.KEPT_RESPONSE_HEADERS


def _bodies(name: str) -> list[dict[str, Any]]:
    bodies = []
    for interaction in load(recorder.CASSETTES / f"{name}.yaml")["interactions"]:
        text = interaction["response"]["body"]["string"]
        if interaction["response"]["status"]["code"] == 200:
            bodies.append(json.loads(text))
    return bodies


def test_window_cassette_shows_the_window_sliding() -> None:
    """crawl-window holds a full 50-page window whose first index is past 1 (pages evicted)."""
    windows = [body["partial_data"] for body in _bodies("crawl-window") if body.get("partial_data")]
    slid = [w for w in windows if len(w) == 50 and w[0]["index"] > 1]
    assert slid, [(w[0]["index"], w[-1]["index"]) for w in windows]
    assert all(doc["index"] == slid[0][0]["index"] + i for i, doc in enumerate(slid[0]))


def test_growing_cassette_shows_a_page_landing_before_one_already_seen() -> None:
    """crawl-growing holds two polls where a new page sits before a page seen earlier."""
    lists = [
        [url_of(doc) for doc in body["partial_data"]]
        for body in _bodies("crawl-growing")
        if body.get("partial_data")
    ]

    def lands_before_a_seen_page(earlier: list[str], later: list[str]) -> bool:
        last_seen = max((i for i, url in enumerate(later) if url in earlier), default=-1)
        return any(url not in earlier for url in later[:last_seen])

    assert any(
        lands_before_a_seen_page(earlier, later) for earlier, later in itertools.pairwise(lists)
    ), lists
    totals = [body["total"] for body in _bodies("crawl-growing") if body["status"] == "active"]
    assert any(b < a for a, b in itertools.pairwise(totals)), totals  # total shrinks


# -- the v1/v2 cassettes -----------------------------------------------------------------------

JOB_CASSETTES = [path for path in CASSETTES if path.stem.startswith(("v1-", "v2-"))]
PAGED = [
    path
    for path in JOB_CASSETTES
    if load(path)["metadata"]["call"]["how"] in ("wait", "stream")
    and load(path)["metadata"]["outcome"]["outcome"] != "JobFailedError"
]


def _status_answers(name: str) -> list[tuple[str, dict[str, Any]]]:
    """(request path and query, body) of each 200 status answer (not ``/errors``)."""
    answers = []
    for interaction in load(recorder.CASSETTES / f"{name}.yaml")["interactions"]:
        uri = interaction["request"]["uri"].removeprefix(recorder.PRODUCTION)
        if interaction["response"]["status"]["code"] == 200 and not uri.endswith("/errors"):
            answers.append((uri, json.loads(interaction["response"]["body"]["string"])))
    return answers


def test_there_is_a_cassette_for_every_v2_server_behaviour() -> None:
    """Crawl and batch scrape, v2 and the v1 twin, a cassette per behaviour of the facts."""
    names = {path.stem for path in JOB_CASSETTES}
    assert {
        "v2-crawl-skip-honoured",
        "v2-batch-skip-honoured",
        "v2-crawl-skip-ignored",
        "v2-crawl-next-forever-cancelled",
        "v2-crawl-foreign-next",
        "v2-batch-missing-duplicate",
        "v2-crawl-default-page",
        "v2-crawl-page-cap",
        "v2-crawl-not-found-grace",
        "v2-crawl-kickoff-failure",
        "v2-crawl-rate-limited",
        "v2-crawl-etag",
        "v2-crawl-errors",
        "v1-crawl",
        "v1-batch-errors",
    } <= names


@pytest.mark.parametrize("path", PAGED, ids=lambda path: path.stem)
def test_every_page_the_server_sent_is_delivered_exactly_once(path: Path) -> None:
    """Whatever the server resent or skipped, the caller gets each page it sent once."""
    sent = {
        document["metadata"]["scrapeId"]: url_of(document)
        for _, body in _status_answers(path.stem)
        for document in body["data"]
    }
    outcome = replay(path, "sync").outcome
    delivered = scrape_ids(outcome.documents)
    assert sorted(delivered) == sorted(sent)  # each once, none missing
    assert sorted(url_of(document) for document in outcome.documents) == sorted(sent.values())


@pytest.mark.parametrize(
    ("name", "stored_twice"),
    [
        ("v2-crawl-skip-honoured", 0),
        ("v2-batch-skip-honoured", 0),
        ("v2-crawl-foreign-next", 0),
        ("v2-batch-missing-duplicate", 1),  # the server stores page 5 in a second slot
        ("v1-crawl", 0),
    ],
)
def test_each_poll_asks_only_for_what_is_new(name: str, stored_twice: int) -> None:
    """On a server honouring skip, no slot is downloaded twice: each request's skip is where
    the last answer's next pointed, on our own host (never next's)."""
    answers = _status_answers(name)
    downloaded = [
        document["metadata"]["scrapeId"] for _, body in answers for document in body["data"]
    ]
    assert len(downloaded) - len(set(downloaded)) == stored_twice
    for (_, earlier), (target, _) in itertools.pairwise(answers):
        wanted = earlier["next"].split("/v", 1)[1]
        assert target == "/v" + wanted, (target, earlier["next"])


def test_the_foreign_next_never_leaves_our_host() -> None:
    """next names http://localhost:3002; every request went to the base URL, path kept."""
    answers = _status_answers("v2-crawl-foreign-next")
    assert all(
        body["next"].startswith("http://localhost:3002/v2/crawl/") for _, body in answers[:-1]
    )
    uris = [
        interaction["request"]["uri"]
        for interaction in load(recorder.CASSETTES / "v2-crawl-foreign-next.yaml")["interactions"]
    ]
    assert all(uri.startswith(f"{recorder.PRODUCTION}/v2/crawl/") for uri in uris)


def test_the_default_page_is_100_documents_and_the_page_cap_cuts_pages_short() -> None:
    """Without a limit the server sends 100 documents; the byte cap sends fewer, next follows."""
    assert [len(body["data"]) for _, body in _status_answers("v2-crawl-default-page")] == [100, 30]
    capped = [len(body["data"]) for _, body in _status_answers("v2-crawl-page-cap")]
    assert len(capped) > 1
    assert sum(capped) == 8
    assert max(capped) < 100


def test_the_cancelled_job_keeps_sending_next_and_the_walk_stops() -> None:
    """On the cancelled job every answer still holds next; the walk ends on a page with
    nothing new instead of following it forever."""
    answers = _status_answers("v2-crawl-next-forever-cancelled")
    cancelled = [(target, body) for target, body in answers if body["status"] == "cancelled"]
    assert len(cancelled) >= 2
    assert all("next" in body for _, body in cancelled)
    assert cancelled[-1][1]["data"] == []


@pytest.mark.parametrize("path", PAGED, ids=lambda path: path.stem)
def test_the_store_keeps_the_cursor_and_every_page(path: Path, tmp_path: Path) -> None:
    """Replayed with a job store: it keeps each delivered page once, and the cursor a resumed
    process would start from, past every slot the walk read."""
    call = recorder.Call.from_dict(load(path)["metadata"]["call"])
    with JobStore(tmp_path / "jobs.sqlite3") as store:
        outcome = replay(path, "sync", store=store).outcome
        record = store.job(call.job_id, base_url=recorder.PRODUCTION)
        kept = store.documents(call.job_id, base_url=recorder.PRODUCTION)
    assert record is not None
    assert record.kind == call.kind
    assert scrape_ids(kept) == scrape_ids(outcome.documents)
    last_target, last = _status_answers(path.stem)[-1]
    assert record.cursor is not None
    assert record.cursor.startswith(f"/{call.api}/")
    assert record.cursor.split("?")[0] == last_target.split("?")[0]
    expected_skip = int(last_target.partition("skip=")[2] or 0) + len(last["data"])
    if last.get("next") and "skip=" in last["next"]:
        expected_skip = int(last["next"].rpartition("skip=")[2])
    assert record.cursor.endswith(f"?skip={expected_skip}"), (record.cursor, expected_skip)
