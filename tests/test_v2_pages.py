"""The sans-IO page walker (`firecrawl_status._pages`) over every server behaviour of the facts.

The property test drives a `PageWalker` against the v1/v2 simulator in-process (poll, walk the
pages, sleep one interval), on a job drawn with any mix of quirks: ``skip`` ignored, ``next``
forever or to a foreign origin, missing stored results, duplicates across pages, small pages,
404 grace, 429s, cancelled or failed jobs, and a process restart from the recorded cursor.
Whatever the server does: every document is delivered exactly once, every request stays on the
base URL's origin and the job's path, one page at a time, and the walk ends when the job does.
"""

from __future__ import annotations

import json
import urllib.parse
from array import array
from typing import Any

import attrs
import pytest
from hypothesis import HealthCheck, given, note, settings
from hypothesis import strategies as st

from firecrawl_status import _pages as pages
from firecrawl_status._pages import PageWalker, identity
from firecrawl_status.testing import FakeClock, Fault, Simulator, V2Scenario

BASE = "http://firecrawl.test"
TERMINAL = {"completed", "cancelled", "failed"}
POLL = 1.0


def _expected(sim: Simulator, job: str, version: str, kind: str) -> set[str]:
    """Every document the job ends with: one honest full read at the end of time."""
    prefix = "crawl" if kind == "crawl" else "batch/scrape"
    body = json.loads(
        sim.handle("GET", f"/{version}/{prefix}/{job}?limit=100000", {"host": "x"}).body
    )
    return {identity(document) for document in body["data"]}


def _walk(
    sim: Simulator,
    clock: FakeClock,
    path: str,
    *,
    cursor: str | None,
    restart_at: int | None,
    max_polls: int = 400,
) -> tuple[list[str], PageWalker]:
    """Poll until done; restart from the recorded cursor and identities once if asked."""
    delivered: list[str] = []
    walker = PageWalker(BASE, path, cursor=cursor)
    for poll in range(max_polls):
        if poll == restart_at:
            walker = PageWalker(BASE, path, cursor=walker.cursor, seen=delivered)
        walker.start_poll()
        pages = 0
        while (request := walker.next_request()) is not None:
            with pytest.raises(RuntimeError):
                walker.next_request()  # one page at a time
            url = urllib.parse.urlsplit(request.url)
            assert (url.scheme, url.netloc) == ("http", "firecrawl.test")
            assert url.path == path
            response = sim.handle("GET", request.target, {"host": "internal:3002"})
            if response.status != 200:
                walker.abandon()
                continue
            body: dict[str, Any] = response.json()
            page = body["data"]
            terminal = body["status"] in TERMINAL
            result = walker.feed(
                page, body.get("next"), terminal=terminal, completed=body.get("completed")
            )
            assert len(result.documents) + result.repeated == len(page)
            delivered += [identity(document) for document in result.documents]
            pages += 1
            assert pages <= 1000, "a walk that never ends"
        if walker.done:
            return delivered, walker
        clock.sleep(POLL)
    raise AssertionError(f"not done after {max_polls} polls: {walker!r}")


jobs = st.builds(
    V2Scenario,
    kind=st.sampled_from(["crawl", "batch"]),
    pages=st.integers(0, 40),
    pages_per_second=st.sampled_from([0.3, 1.0, 5.0, 50.0]),
    start_delay=st.sampled_from([0.0, 2.5]),
    end=st.sampled_from(["completed", "completed", "cancelled", "failed"]),
    skip=st.sampled_from(["honoured", "honoured", "ignored"]),
    next_on_terminal=st.booleans(),
    next_origin=st.sampled_from([None, "https://localhost:3002", "http://10.0.0.7:3002"]),
    not_found_for=st.sampled_from([0.0, 1.5]),
    markdown_bytes=st.just(20),
)


@st.composite
def worlds(draw: st.DrawFn) -> dict[str, Any]:
    scenario = draw(jobs)
    positions = st.sets(st.integers(1, max(1, scenario.pages)), max_size=min(3, scenario.pages))
    extra: dict[str, Any] = {
        "missing_results": draw(positions),
        "duplicates": draw(positions),
    }
    if scenario.end != "completed":
        extra["end_after"] = draw(st.integers(0, scenario.pages))
    return {
        "scenario": attrs.evolve(scenario, **extra),
        "version": draw(st.sampled_from(["v1", "v2"])),
        "limit": draw(st.sampled_from([None, 1, 3, 7])),
        "restart_at": draw(st.none() | st.integers(0, 30)),
        "rate_limited": draw(st.integers(0, 3)),
    }


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(world=worlds())
def test_every_document_exactly_once_on_every_server(world: dict[str, Any]) -> None:
    """Exactly once, on our origin, one page at a time, done when the job is, resumable."""
    scenario: V2Scenario = world["scenario"]
    note(repr(world))
    clock = FakeClock()
    sim = Simulator(clock)
    job = sim.add_job(scenario)
    sim.inject(*[Fault.status(429, retry_after=1)] * world["rate_limited"], job_id=job)
    prefix = "crawl" if scenario.kind == "crawl" else "batch/scrape"
    path = f"/{world['version']}/{prefix}/{job}"
    cursor = None if world["limit"] is None else f"{path}?limit={world['limit']}"
    delivered, walker = _walk(sim, clock, path, cursor=cursor, restart_at=world["restart_at"])
    assert len(delivered) == len(set(delivered)), "a document delivered twice"
    assert set(delivered) == _expected(sim, job, world["version"], scenario.kind)
    if world["restart_at"] is None:
        assert walker.skipped == len(scenario.missing_results - _never_finished(scenario))


def _never_finished(scenario: V2Scenario) -> set[int]:
    if scenario.end == "completed":
        return set()
    return set(range(scenario.end_after + 1, scenario.pages + 1))


# -- single behaviours ----------------------------------------------------------------------

JOB = "/v2/crawl/3c90c3cc-0d44-4b50-8888-8dd25736052a"


def _doc(n: int) -> dict[str, Any]:
    return {"markdown": f"# {n}", "metadata": {"scrapeId": f"s{n}", "sourceURL": f"u{n}"}}


def test_identity_prefers_scrape_id_then_url_then_content() -> None:
    assert identity(_doc(1)) == "id:s1"
    assert identity({"metadata": {"url": "https://a/"}}) == "url:https://a/"
    assert identity({"url": "https://b/"}) == "url:https://b/"
    assert identity({"markdown": "x"}) == identity({"markdown": "x"})
    assert identity({"markdown": "x"}) != identity({"markdown": "y"})


def test_next_is_pinned_to_our_origin_and_path_keeping_only_skip_and_limit() -> None:
    walker = PageWalker("https://fc.example/api", JOB)
    walker.start_poll()
    first = walker.next_request()
    assert first is not None
    assert first.url == f"https://fc.example/api{JOB}"
    walker.feed([_doc(1)], f"http://evil.test:9/api{JOB}?skip=1&limit=5&key=x", terminal=False)
    second = walker.next_request()
    assert second is not None
    assert second.url == f"https://fc.example/api{JOB}?skip=1&limit=5"
    assert (second.skip, second.limit) == (1, 5)


def test_next_for_another_path_is_rejected_and_the_walk_falls_back_to_skip() -> None:
    walker = PageWalker(BASE, JOB)
    walker.start_poll()
    walker.next_request()
    result = walker.feed([_doc(1), _doc(2)], "https://x/v2/crawl/other?skip=2", terminal=False)
    assert result.rejected_next == "https://x/v2/crawl/other?skip=2"
    assert result.walk_over
    assert walker.cursor == f"{JOB}?skip=2"


def test_done_comes_from_status_not_from_a_missing_next() -> None:
    walker = PageWalker(BASE, JOB)
    walker.start_poll()
    walker.next_request()
    result = walker.feed([_doc(1)], None, terminal=False)
    assert result.walk_over
    assert not result.done
    walker.start_poll()
    walker.next_request()
    assert walker.feed([], None, terminal=True).done


def test_a_repeated_cursor_ends_the_walk_and_a_jump_is_reported() -> None:
    walker = PageWalker(BASE, JOB)
    walker.start_poll()
    walker.next_request()
    jumped = walker.feed([_doc(1)], f"{BASE}{JOB}?skip=3", terminal=False)
    assert jumped.skipped == 2
    walker.next_request()
    repeated = walker.feed([_doc(4)], f"{BASE}{JOB}?skip=3", terminal=True)
    assert repeated.walk_over
    assert repeated.done
    assert walker.next_request() is None


def test_feed_without_request_and_bad_arguments_raise() -> None:
    with pytest.raises(RuntimeError):
        PageWalker(BASE, JOB).feed([], None, terminal=False)
    with pytest.raises(ValueError, match="base_url"):
        PageWalker("firecrawl.test", JOB)
    with pytest.raises(ValueError, match="job_path"):
        PageWalker(BASE, "v2/crawl/x")
    with pytest.raises(ValueError, match="cursor"):
        PageWalker(BASE, JOB, cursor="/v2/crawl/other?skip=1")


def test_the_walker_holds_digests_not_documents() -> None:
    """Of a page it keeps 64-bit digests of the identities (in arrays), never a document."""
    walker = PageWalker(BASE, JOB)
    walker.start_poll()
    walker.next_request()
    walker.feed([_doc(n) for n in range(50)], f"{BASE}{JOB}?skip=50", terminal=False)
    values = list(vars(walker).values())
    held = [value for value in values if isinstance(value, (list, dict, set))]
    assert all(isinstance(item, (str, int)) for container in held for item in container)
    order = [value for value in values if isinstance(value, array)]
    assert [(len(digests), digests.itemsize) for digests in order] == [(50, 8)]


@pytest.mark.parametrize("prefix", [3, 10_000])
def test_a_replaying_server_is_recognised_on_the_start_of_its_pages(
    monkeypatch: pytest.MonkeyPatch, prefix: int
) -> None:
    """A server resending the job from its start ends the walk after two such pages, whether
    the kept delivery order covers the whole page or only its start; a page of known documents
    that starts elsewhere does not."""
    monkeypatch.setattr(pages, "_REPLAY_PREFIX", prefix)
    walker = PageWalker(BASE, JOB)
    walker.start_poll()
    page = [_doc(n) for n in range(10)]
    results = []
    for skip in (10, 20, 30):
        walker.next_request()
        results.append(walker.feed(page, f"{BASE}{JOB}?skip={skip}", terminal=False))
    assert [len(r.documents) for r in results] == [10, 0, 0]
    assert [r.walk_over for r in results] == [False, False, True]
    walker.start_poll()
    shifted = page[1:] + page[:1]
    for skip in (40, 50):
        walker.next_request()
        result = walker.feed(shifted, f"{BASE}{JOB}?skip={skip}", terminal=False)
        assert not result.walk_over
        assert result.repeated == 10


@pytest.mark.parametrize(
    "scenario",
    [
        V2Scenario(pages=30, skip="ignored", end="cancelled", end_after=20, next_on_terminal=True),
        V2Scenario(pages=30, skip="ignored", missing_results={3, 30}, duplicates={4}),
        V2Scenario(pages=30, pages_per_second=0.5, missing_results={1, 2, 3}, duplicates={5, 6}),
        V2Scenario(pages=5, kickoff_failure="URL is not allowed"),
        V2Scenario(pages=0, end="failed", next_on_terminal=True),
    ],
    ids=["ignored-forever-next", "ignored-missing", "slow-gaps", "kickoff-failure", "empty"],
)
def test_nasty_servers_deliver_everything_once(scenario: V2Scenario) -> None:
    """Fixed combinations the property test may take a while to draw."""
    clock = FakeClock()
    sim = Simulator(clock)
    job = sim.add_job(scenario)
    path = f"/v2/crawl/{job}"
    delivered, walker = _walk(sim, clock, path, cursor=f"{path}?limit=4", restart_at=3)
    assert sorted(delivered) == sorted(_expected(sim, job, "v2", "crawl"))
    assert walker.done
