"""Every cassette in tests/cassettes replayed through StatusClient and AsyncStatusClient.

A cassette's metadata names the call it recorded (``call``) and what it returned (``outcome``).
Replay runs on a `FakeClock` (nothing sleeps) with vcrpy in ``record_mode="none"``: a request the
cassette does not hold, a recorded answer asked for twice, or one left unplayed fails the test.
Both clients must return the recorded outcome, sleep the same, and meet the hand-written
expectation below (`EXPECTED`), which says what each scenario is for.
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
    JobExpiredError,
    JobFailedError,
    JobNotFoundError,
    PermissionDeniedError,
    PollTimeoutError,
    StatusClient,
)
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


def url_of(document: dict[str, Any]) -> str:
    metadata = document.get("metadata") or {}
    return str(metadata.get("sourceURL") or document.get("url"))


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
}


def load(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(path.read_text())
    return data


@attrs.frozen
class Replay:
    outcome: Any
    clock: FakeClock


def replay(path: Path, flavour: str) -> Replay:
    """Replay a cassette's call on a fresh client; every recorded answer must be used."""
    call = recorder.Call.from_dict(load(path)["metadata"]["call"])
    clock = FakeClock()
    options = {"base_url": recorder.PRODUCTION, **recorder.client_options(call, clock)}
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
