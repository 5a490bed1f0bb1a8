"""The local Firecrawl simulator: every quirk of docs/server-facts.md it promises, on a FakeClock.

Every 200 body read through `read` is also parsed with the generated models, so the simulator
never answers something openapi.yaml does not allow.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import email.utils
import json
import re
import threading
import uuid
from typing import Any, Literal

import attrs
import httpx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from firecrawl_status._deprecation import parse_deprecation
from firecrawl_status._generated.models import CrawlStatusResponse, ExtractStatusResponse
from firecrawl_status.testing import (
    CrawlScenario,
    ExtractScenario,
    FakeClock,
    Fault,
    SimResponse,
    Simulator,
    SimulatorServer,
    serve_forever,
)

ETAG = re.compile(r'W/"[0-9a-f]+-[A-Za-z0-9+/]{27}"')
SILENT = b'{"status":"completed","current":0,"total":0,"data":[],"partial_data":[]}'


def at(clock: FakeClock, t: float) -> None:
    """Move the clock to ``t`` seconds after it started (sorted times; equal ones stay put)."""
    # now + (t - now) can land an ulp past t, and the next equal t would then step back.
    clock.advance(max(0.0, t - clock.monotonic()))


def get(sim: Simulator, path: str, **headers: str) -> SimResponse:
    """A GET, with every 200 JSON body checked against the generated models."""
    response = sim.handle("GET", path, headers)
    if response.status == 200 and response.headers["Content-Type"].startswith("application/json"):
        model = CrawlStatusResponse if path.lower().startswith("/v0/") else ExtractStatusResponse
        model.from_dict(response.json())
    return response


def crawl(sim: Simulator, job_id: str, **headers: str) -> dict[str, Any]:
    response = get(sim, f"/v0/crawl/status/{job_id}", **headers)
    assert response.status == 200, response.body
    body: dict[str, Any] = response.json()
    return body


def extract(sim: Simulator, job_id: str) -> dict[str, Any]:
    response = get(sim, f"/v1/extract/{job_id}")
    assert response.status == 200, response.body
    body: dict[str, Any] = response.json()
    return body


def urls(documents: list[dict[str, Any]]) -> list[str]:
    return [doc["metadata"]["sourceURL"] for doc in documents]


def page(n: int) -> str:
    return "https://example.com/" if n == 1 else f"https://example.com/page-{n}"


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def sim(clock: FakeClock) -> Simulator:
    """The shapes of the 2025 server: the 2026 notice is tested on its own below."""
    return Simulator(clock, deprecation=None)


# --- current server: the growing list ---------------------------------------------------------


def test_growing_list_is_in_enqueue_order_so_a_page_appears_before_one_already_seen(
    sim: Simulator, clock: FakeClock
) -> None:
    """partial_data holds every page so far, sorted by enqueue position, without index."""
    job = sim.add_crawl(CrawlScenario(pages=5, pages_per_second=1, discovery=False))
    seen = []
    for t in (0.5, 1.5, 2.5, 3.5):
        at(clock, t)
        body = crawl(sim, job)
        assert body["status"] == "active"
        assert body["data"] is None
        assert body["total"] == 5
        seen.append(urls(body["partial_data"]))
        assert all("index" not in doc for doc in body["partial_data"])
    assert seen == [[], [page(1)], [page(1), page(3)], [page(1), page(2), page(3)]]
    assert "current_url" not in body


def test_growing_failed_pages_vanish_and_total_shrinks(sim: Simulator, clock: FakeClock) -> None:
    """A failing page never shows; total drops by one when it fails."""
    job = sim.add_crawl(
        CrawlScenario(pages=4, failing_pages={3}, pages_per_second=1, discovery=False)
    )
    at(clock, 1.5)
    assert (crawl(sim, job)["current"], crawl(sim, job)["total"]) == (1, 5)
    at(clock, 2.5)  # position 3 lands second, and fails
    body = crawl(sim, job)
    assert (body["current"], body["total"]) == (1, 4)
    assert urls(body["partial_data"]) == [page(1)]
    at(clock, 10)
    body = crawl(sim, job)
    assert body["status"] == "completed"
    assert (body["current"], body["total"]) == (4, 4)
    assert urls(body["data"]) == [page(1), page(2), page(4), page(5)]
    assert body["partial_data"] == []


def test_growing_total_grows_as_links_are_discovered(sim: Simulator, clock: FakeClock) -> None:
    """With discovery, total starts at the start URL and grows by three per landed page."""
    job = sim.add_crawl(CrawlScenario(pages=8, pages_per_second=1))
    totals = []
    for t in (0.5, 1.5, 2.5, 3.5):
        at(clock, t)
        totals.append(crawl(sim, job)["total"])
    assert totals == [1, 4, 7, 8]


def test_growing_before_start_is_active_with_nothing(sim: Simulator, clock: FakeClock) -> None:
    """The current server has no waiting state: active, 0 pages, partial_data present."""
    job = sim.add_crawl(CrawlScenario(start_delay=5))
    at(clock, 4.9)
    assert crawl(sim, job) == {
        "status": "active",
        "current": 0,
        "total": 1,
        "data": None,
        "partial_data": [],
    }


# --- early server: the window ----------------------------------------------------------------


def test_window_waits_then_shows_placeholder_then_a_capped_indexed_window(
    sim: Simulator, clock: FakeClock
) -> None:
    """Exactly {status: waiting, data: null}; then 1/100 with no partial_data; then 50 pages."""
    job = sim.add_crawl(
        CrawlScenario(behaviour="window", pages=60, pages_per_second=10, start_delay=2)
    )
    at(clock, 1.9)
    assert get(sim, f"/v0/crawl/status/{job}").body == b'{"status":"waiting","data":null}'
    at(clock, 2.05)
    body = crawl(sim, job)
    assert body == {
        "status": "active",
        "current": 1,
        "current_url": page(1),
        "current_step": "SCRAPING",
        "total": 100,
        "data": None,
    }
    at(clock, 7.55)  # 55 pages landed
    body = crawl(sim, job)
    assert (body["current"], body["total"]) == (55, 60)
    assert [doc["index"] for doc in body["partial_data"]] == list(range(6, 56))
    # Completion order: ..., 54, 53 (pairs swap), oldest first.
    assert urls(body["partial_data"])[-2:] == [page(55), page(54)]
    at(clock, 30)
    body = crawl(sim, job)
    assert body["status"] == "completed"
    assert body["partial_data"] == []
    assert len(body["data"]) == 60
    assert body["current_step"] == ""


def test_window_without_discovery_has_no_partial_data_key_until_the_first_page(
    sim: Simulator, clock: FakeClock
) -> None:
    """The key is absent (not empty) before the first page; total is known up front."""
    job = sim.add_crawl(
        CrawlScenario(behaviour="window", pages=3, pages_per_second=1, discovery=False)
    )
    at(clock, 0.5)
    body = crawl(sim, job)
    assert "partial_data" not in body
    assert (body["current"], body["total"]) == (0, 3)
    at(clock, 1.5)
    assert [doc["index"] for doc in crawl(sim, job)["partial_data"]] == [1]


def test_window_failing_pages_are_normal_documents_with_status_codes(
    sim: Simulator, clock: FakeClock
) -> None:
    """Early server: 404/500 pages stay, with pageStatusCode; only the 500 has pageError."""
    job = sim.add_crawl(CrawlScenario(behaviour="window", pages=2, failing_pages={2, 3}))
    at(clock, 10)
    body = crawl(sim, job)
    assert (body["current"], body["total"]) == (4, 4)
    meta = {doc["metadata"]["sourceURL"]: doc["metadata"] for doc in body["data"]}
    assert meta[page(2)]["pageStatusCode"] == 404
    assert "pageError" not in meta[page(2)]
    assert meta[page(3)]["pageStatusCode"] == 500
    assert meta[page(3)]["pageError"] == "Internal Server Error"
    assert meta[page(1)]["pageStatusCode"] == 200


def test_window_raw_statuses_replace_active_while_running(sim: Simulator, clock: FakeClock) -> None:
    """A raw queue state such as stuck shows from its second on; growing refuses them."""
    job = sim.add_crawl(
        CrawlScenario(
            behaviour="window",
            pages=20,
            pages_per_second=5,
            raw_statuses=[(1, "stuck"), (2, "active")],
        )
    )
    states = []
    for t in (0.5, 1.5, 2.5, 10):
        at(clock, t)
        states.append(crawl(sim, job)["status"])
    assert states == ["active", "stuck", "active", "completed"]
    with pytest.raises(ValueError, match="window"):
        CrawlScenario(raw_statuses=[(1, "stuck")])


# --- completion, documents --------------------------------------------------------------------


@pytest.mark.parametrize("behaviour", ["growing", "window"])
def test_a_crawl_that_finds_nothing_completes_as_zero_of_zero(
    sim: Simulator, clock: FakeClock, behaviour: Literal["growing", "window"]
) -> None:
    """0/0 with data [] and partial_data []."""
    job = sim.add_crawl(CrawlScenario(pages=0, behaviour=behaviour))
    body = crawl(sim, job)
    assert body["status"] == "completed"
    assert (body["current"], body["total"], body["data"], body["partial_data"]) == (0, 0, [], [])


@pytest.mark.parametrize(
    ("completed_data", "expected"),
    [
        ("null", None),
        ("legacy", {"success": True, "result": {"links": []}, "error": "No pages found"}),
    ],
)
def test_completed_data_can_be_null_or_the_legacy_object(
    sim: Simulator,
    clock: FakeClock,
    completed_data: Literal["list", "null", "legacy"],
    expected: object,
) -> None:
    """data on completion can be null or the old self-hosted object instead of a list."""
    job = sim.add_crawl(CrawlScenario(pages=2, completed_data=completed_data))
    at(clock, 5)
    body = crawl(sim, job)
    assert body["status"] == "completed"
    assert body["data"] == expected


def test_final_documents_are_the_partial_pages_with_more_content(
    sim: Simulator, clock: FakeClock
) -> None:
    """Same pages by sourceURL, but final data carries linksOnPage the partial ones lack."""
    job = sim.add_crawl(CrawlScenario(pages=4, pages_per_second=1, discovery=False))
    at(clock, 3.5)
    partial = crawl(sim, job)["partial_data"]
    at(clock, 10)
    final = crawl(sim, job)["data"]
    assert urls(final)[:3] == urls(partial)
    assert all("linksOnPage" not in doc for doc in partial)
    assert final[0]["linksOnPage"] == [page(2), page(3), page(4)]
    assert {k: v for k, v in final[0].items() if k != "linksOnPage"} == partial[0]


def test_documents_look_like_real_ones(sim: Simulator, clock: FakeClock) -> None:
    """markdown == content of the asked size; metadata mixes numbers, nulls, lists, og:image."""
    job = sim.add_crawl(CrawlScenario(pages=6, markdown_bytes=1000))
    at(clock, 10)
    docs = crawl(sim, job)["data"]
    assert all(len(doc["markdown"].encode()) == 1000 == len(doc["content"]) for doc in docs)
    assert all(doc["markdown"] == doc["content"] for doc in docs)
    metadata = [doc["metadata"] for doc in docs]
    assert len({m["sourceURL"] for m in metadata}) == 6
    assert {m["language"] for m in metadata} == {"en", None}
    assert any("og:image" in m for m in metadata)
    assert any(isinstance(m.get("og:locale:alternate"), list) for m in metadata)
    assert all(m["pageStatusCode"] == 200 for m in metadata)


@pytest.mark.parametrize("behaviour", ["growing", "window"])
def test_url_only_documents(
    sim: Simulator, clock: FakeClock, behaviour: Literal["growing", "window"]
) -> None:
    """ "Only URLs" documents are just {"url": ...} (plus index in the window)."""
    job = sim.add_crawl(
        CrawlScenario(pages=3, pages_per_second=1, url_only=True, behaviour=behaviour)
    )
    at(clock, 1.5)
    [doc] = crawl(sim, job)["partial_data"]
    assert doc == ({"url": page(1)} if behaviour == "growing" else {"url": page(1), "index": 1})
    at(clock, 5)
    assert crawl(sim, job)["data"] == [{"url": page(n)} for n in (1, 2, 3)]


# --- failure and cancellation ------------------------------------------------------------------


def test_fail_at_fails_with_null_data_and_freezes(sim: Simulator, clock: FakeClock) -> None:
    """After k pages: failed, data null, the k pages kept, nothing more ever lands."""
    job = sim.add_crawl(CrawlScenario(pages=10, pages_per_second=1, fail_at=3, discovery=False))
    at(clock, 2.5)
    assert crawl(sim, job)["status"] == "active"
    at(clock, 3)
    failed = crawl(sim, job)
    assert (failed["status"], failed["data"], failed["current"]) == ("failed", None, 3)
    at(clock, 100)
    assert crawl(sim, job) == failed


def test_cancelled_crawl_reports_failed_but_in_flight_pages_still_land(
    sim: Simulator, clock: FakeClock
) -> None:
    """current grows after failed, one page a second; a failing in-flight page shrinks total."""
    # Completion order 1, 3, 2, 5, 4, ...; cancelled after 2, so 2, 5, 4 are in flight.
    scenario = CrawlScenario(
        pages=10, failing_pages={4}, pages_per_second=10, cancel_at=2, discovery=False
    )
    job = sim.add_crawl(scenario)
    rows = []
    for t in (0.25, 1.25, 2.25, 3.25, 60):
        at(clock, t)
        body = crawl(sim, job)
        rows.append((body["status"], body["current"], body["total"], body["data"]))
    assert rows == [
        ("failed", 2, 11, None),
        ("failed", 3, 11, None),
        ("failed", 4, 11, None),
        ("failed", 4, 10, None),
        ("failed", 4, 10, None),
    ]
    assert urls(body["partial_data"]) == [page(1), page(2), page(3), page(5)]
    assert [url for _, url in sim.job_pages_available_at(job)] == [
        page(1),
        page(3),
        page(2),
        page(5),
    ]


def test_cancel_by_hand(sim: Simulator, clock: FakeClock) -> None:
    """Simulator.cancel fails a running crawl at once; up to three pages land later; no-op after."""
    job = sim.add_crawl(CrawlScenario(pages=20, pages_per_second=1, discovery=False))
    done = sim.add_crawl(CrawlScenario(pages=1))
    at(clock, 4.5)
    sim.cancel(job)
    sim.cancel(done)
    assert (crawl(sim, job)["status"], crawl(sim, job)["current"]) == ("failed", 4)
    at(clock, 20)
    assert crawl(sim, job)["current"] == 7
    assert crawl(sim, done)["status"] == "completed"
    with pytest.raises(KeyError):
        sim.cancel("nope")


def test_pages_available_at_matches_what_a_reader_sees(sim: Simulator, clock: FakeClock) -> None:
    """Each page is readable from the second job_pages_available_at names, and not before."""
    clock.advance(100)
    job = sim.add_crawl(CrawlScenario(pages=4, pages_per_second=2, failing_pages={2}))
    schedule = sim.job_pages_available_at(job)
    assert [url for _, url in schedule] == [page(1), page(3), page(5), page(4)]
    for when, url in schedule:
        at(clock, when - 0.01)
        assert url not in urls(crawl(sim, job)["partial_data"])
        at(clock, when)
        body = crawl(sim, job)
        assert url in urls(body["partial_data"] or body["data"])


# --- expiry ------------------------------------------------------------------------------------


def test_growing_ttl_slides_with_every_read(sim: Simulator, clock: FakeClock) -> None:
    """Reads re-arm the record; only a gap longer than ttl expires it, then 404 for good."""
    job = sim.add_crawl(CrawlScenario(pages=1, expire="404", ttl=100))
    for t in (0, 90, 180, 270):
        at(clock, t)
        assert get(sim, f"/v0/crawl/status/{job}").status == 200
    at(clock, 370)
    gone = get(sim, f"/v0/crawl/status/{job}")
    assert (gone.status, gone.json()) == (404, {"error": "Job not found"})
    at(clock, 371)
    assert get(sim, f"/v0/crawl/status/{job}").status == 404


def test_window_ttl_is_fixed_from_creation(sim: Simulator, clock: FakeClock) -> None:
    """Early server: reads do not extend the record's life."""
    job = sim.add_crawl(CrawlScenario(pages=1, behaviour="window", expire="404", ttl=100))
    at(clock, 90)
    assert crawl(sim, job)["status"] == "completed"
    at(clock, 100)
    assert get(sim, f"/v0/crawl/status/{job}").json() == {"error": "Job not found"}


def test_silent_expiry_looks_like_an_empty_success_despite_reads(
    sim: Simulator, clock: FakeClock
) -> None:
    """The un-refreshed record runs out ttl after creation: completed, 0/0, data []."""
    job = sim.add_crawl(CrawlScenario(pages=3, expire="silent", ttl=100))
    for t in (50, 99):
        at(clock, t)
        assert crawl(sim, job)["total"] == 3
    at(clock, 100)
    assert get(sim, f"/v0/crawl/status/{job}").body == SILENT


# --- extract -----------------------------------------------------------------------------------


def test_extract_timeline_processing_then_completed_then_gone(
    sim: Simulator, clock: FakeClock
) -> None:
    """expiresAt moves while processing, is completion + ttl after, then 404."""
    job = sim.add_extract(ExtractScenario(duration=5))
    body = extract(sim, job)
    assert body["status"] == "processing"
    assert (body["success"], body["data"]) == (True, [])
    assert body["expiresAt"] == "2025-08-01T18:00:00.000Z"
    assert [step["step"] for step in body["steps"]] == ["initial"]
    at(clock, 2.5)
    body = extract(sim, job)
    assert body["expiresAt"] == "2025-08-01T18:00:02.000Z"
    assert len(body["steps"]) == 3
    at(clock, 5)
    body = extract(sim, job)
    assert body["status"] == "completed"
    assert body["data"] == ExtractScenario().data
    assert body["expiresAt"] == "2025-08-01T18:00:05.000Z"
    assert "steps" not in body
    assert set(body) >= {"llmUsage", "sources", "tokensUsed", "costTracking"}
    assert body["sources"]["company_mission"] == ["https://example.com/about"]
    at(clock, 5 + 6 * 3600)
    gone = get(sim, f"/v1/extract/{job}")
    assert (gone.status, gone.json()) == (404, {"success": False, "error": "Extract job not found"})


def test_extract_without_extras_is_the_documented_shape(sim: Simulator, clock: FakeClock) -> None:
    """extras=False: exactly success, data, status, expiresAt."""
    job = sim.add_extract(ExtractScenario(extras=False, data=[1, 2]))
    assert set(extract(sim, job)) == {"success", "data", "status", "expiresAt"}
    at(clock, 5)
    assert extract(sim, job) == {
        "success": True,
        "data": [1, 2],
        "status": "completed",
        "expiresAt": "2025-08-01T18:00:05.000Z",
    }


def test_extract_flip_answers_processing_once_after_completing(
    sim: Simulator, clock: FakeClock
) -> None:
    """The first read after completion says processing; every later one completed."""
    job = sim.add_extract(ExtractScenario(duration=1, flip=True))
    at(clock, 2)
    assert [extract(sim, job)["status"] for _ in range(3)] == [
        "processing",
        "completed",
        "completed",
    ]


def test_failed_extract_is_http_200_then_lost_as_processing_then_404(
    sim: Simulator, clock: FakeClock
) -> None:
    """success false with a large error; after ttl: processing with a past expiresAt; then 404."""
    error = {"name": "APIError", "details": {"prompt": "x" * 9000, "pages": ["a", "b"]}}
    scenario = ExtractScenario(duration=1, outcome="failed", error=error, ttl=60, lost_after=3600)
    job = sim.add_extract(scenario)
    at(clock, 1)
    body = extract(sim, job)
    assert body == {
        "success": False,
        "data": [],
        "status": "failed",
        "error": error,
        "expiresAt": "2025-08-01T12:01:01Z",
    }
    at(clock, 61 + 100)
    response = get(sim, f"/v1/extract/{job}")
    lost = response.json()
    assert (lost["status"], lost["success"], lost["data"]) == ("processing", True, [])
    expires = dt.datetime.fromisoformat(lost["expiresAt"])
    assert expires < email.utils.parsedate_to_datetime(response.headers["Date"])
    assert "steps" not in lost
    at(clock, 61 + 3600)
    assert get(sim, f"/v1/extract/{job}").status == 404


def test_extract_cancelled(sim: Simulator, clock: FakeClock) -> None:
    """A cancelled outcome, and Simulator.cancel on a processing job, read cancelled."""
    by_scenario = sim.add_extract(ExtractScenario(outcome="cancelled", duration=1))
    by_hand = sim.add_extract(ExtractScenario(duration=10))
    at(clock, 2)
    sim.cancel(by_hand)
    assert extract(sim, by_scenario)["status"] == "cancelled"
    assert extract(sim, by_hand) == {
        "success": True,
        "data": [],
        "status": "cancelled",
        "expiresAt": "2025-08-01T18:00:02.000Z",
    }


def test_extract_scenario_refuses_options_that_would_be_ignored() -> None:
    """lost_after needs a failed outcome, flip a completed one."""
    with pytest.raises(ValueError, match="lost_after"):
        ExtractScenario(lost_after=10)
    with pytest.raises(ValueError, match="flip"):
        ExtractScenario(flip=True, outcome="failed")


# --- HTTP framing: ETag, auth, routing --------------------------------------------------------


def test_etag_and_if_none_match_give_304_until_something_changes(
    sim: Simulator, clock: FakeClock
) -> None:
    """Same body, same weak ETag: 304 with no body; progress changes it."""
    job = sim.add_crawl(CrawlScenario(pages=5, pages_per_second=1))
    at(clock, 1.5)
    first = get(sim, f"/v0/crawl/status/{job}")
    tag = first.headers["ETag"]
    assert ETAG.fullmatch(tag)
    assert first.headers["Content-Type"] == "application/json; charset=utf-8"
    assert first.headers["Date"] == "Fri, 01 Aug 2025 12:00:01 GMT"
    again = get(sim, f"/v0/crawl/status/{job}", **{"If-None-Match": tag})
    assert (again.status, again.body, again.headers["ETag"]) == (304, b"", tag)
    assert "Content-Type" not in again.headers
    listed = get(sim, f"/v0/crawl/status/{job}", **{"if-none-match": f'"zzz", {tag[2:]}'})
    assert listed.status == 304
    at(clock, 2.5)
    changed = get(sim, f"/v0/crawl/status/{job}", **{"If-None-Match": tag})
    assert changed.status == 200
    assert changed.headers["ETag"] != tag
    stats = sim.stats
    assert (stats.requests, stats.not_modified) == (4, 2)
    assert stats.bytes_sent == len(first.body) + len(changed.body)
    assert [r.if_none_match is not None for r in sim.requests] == [False, True, True, True]


def test_auth_when_a_key_is_set(clock: FakeClock) -> None:
    """Missing key: Token missing; wrong key: Invalid token; the key is never logged."""
    sim = Simulator(clock, api_key="fc-secret", deprecation=None)
    crawl_id, extract_id = sim.add_crawl(), sim.add_extract()
    missing = get(sim, f"/v0/crawl/status/{crawl_id}")
    assert (missing.status, missing.json()) == (401, {"error": "Unauthorized: Token missing"})
    wrong = get(sim, f"/v1/extract/{extract_id}", Authorization="Bearer fc-other")
    assert (wrong.status, wrong.json()) == (
        401,
        {"success": False, "error": "Unauthorized: Invalid token"},
    )
    assert get(sim, f"/v1/extract/{extract_id}", authorization="Bearer fc-secret").status == 200
    assert [r.had_auth for r in sim.requests] == [False, True, True]
    assert "fc-secret" not in repr(sim) + repr(sim.requests)


def test_without_a_key_auth_is_optional(sim: Simulator) -> None:
    """A self-hosted server without auth answers with or without a key."""
    job = sim.add_crawl()
    assert get(sim, f"/v0/crawl/status/{job}").status == 200
    assert get(sim, f"/v0/crawl/status/{job}", Authorization="Bearer anything").status == 200


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/v0/crawl/status/"),
        ("GET", "/v1/extract/"),
        ("GET", "/v0/crawl/status/a/b"),
        ("GET", "/v3/crawl/abc"),
        ("POST", "/v0/crawl/status/abc"),
        ("DELETE", "/v1/extract/abc"),
    ],
)
def test_unknown_paths_and_methods_get_express_html_404(
    sim: Simulator, method: str, path: str
) -> None:
    """Express's own page, not JSON: Cannot METHOD /path."""
    response = sim.handle(method, path, {})
    assert response.status == 404
    assert response.headers["Content-Type"] == "text/html; charset=utf-8"
    assert f"<pre>Cannot {method} {path}</pre>".encode() in response.body
    assert "ETag" not in response.headers


def test_routing_details(sim: Simulator) -> None:
    """Trailing slash, any case and a query still route; ids are percent-decoded."""
    job = sim.add_crawl(job_id="a b")
    for path in ("/v0/crawl/status/a%20b/", "/V0/Crawl/Status/a%20b", "/v0/crawl/status/a%20b?x=1"):
        assert get(sim, path).status == 200, path
    malformed = get(sim, "/v0/crawl/status/%E0%A4%A")
    assert (malformed.status, malformed.json()) == (
        500,
        {"success": False, "code": "UNKNOWN_ERROR", "error": "URIError: URI malformed"},
    )
    assert get(sim, "/v1/extract/%E0%A4").status == 500  # escapes valid, UTF-8 not
    assert job == "a b"


def test_unknown_and_foreign_jobs(sim: Simulator) -> None:
    """Unknown ids 404 per API; another team's crawl 403, another team's extract 404."""
    crawl_id = sim.add_crawl()
    extract_id = sim.add_extract()
    other_crawl = sim.add_crawl(CrawlScenario(team="other"))
    other_extract = sim.add_extract(ExtractScenario(team="other"))
    cases = [
        (f"/v0/crawl/status/{extract_id}", 404, {"error": "Job not found"}),
        (f"/v1/extract/{crawl_id}", 404, {"success": False, "error": "Extract job not found"}),
        (f"/v0/crawl/status/{other_crawl}", 403, {"error": "Forbidden"}),
        (f"/v1/extract/{other_extract}", 404, {"success": False, "error": "Extract job not found"}),
    ]
    for path, status, body in cases:
        response = get(sim, path)
        assert (response.status, response.json()) == (status, body), path
        assert ETAG.fullmatch(response.headers["ETag"])


def test_head_answers_headers_only(sim: Simulator) -> None:
    """HEAD routes like GET, with the GET's length and no body."""
    job = sim.add_crawl()
    full = sim.handle("GET", f"/v0/crawl/status/{job}", {})
    head = sim.handle("HEAD", f"/v0/crawl/status/{job}", {})
    assert (head.status, head.body) == (200, b"")
    assert head.headers["Content-Length"] == str(len(full.body))


def test_generated_ids_are_uuid_shaped_deterministic_and_unique(clock: FakeClock) -> None:
    """Two simulators hand out the same ids in the same order; reusing one is refused."""
    first, second = Simulator(clock), Simulator(clock)
    ids = [first.add_crawl(), first.add_extract()]
    assert ids == [second.add_crawl(), second.add_extract()]
    assert len(set(ids)) == 2
    assert all(str(uuid.UUID(job_id)) == job_id for job_id in ids)
    with pytest.raises(ValueError, match="already used"):
        first.add_extract(job_id=ids[0])
    with pytest.raises(ValueError, match="empty"):
        first.add_crawl(job_id="")


def test_speed_compresses_time(clock: FakeClock) -> None:
    """speed=60: one clock second is a simulated minute; expiresAt stays in clock time."""
    sim = Simulator(clock, speed=60)
    crawl_id = sim.add_crawl(CrawlScenario(pages=60, pages_per_second=1))
    extract_id = sim.add_extract(ExtractScenario(duration=60))
    clock.advance(0.5)
    assert sim.now() == 30
    assert crawl(sim, crawl_id)["current"] == 30
    clock.advance(0.5)
    # The record lives 6 simulated hours: 6 clock minutes after completion at 12:00:01.
    assert extract(sim, extract_id)["expiresAt"] == "2025-08-01T12:06:01.000Z"


# --- faults --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "path", "body"),
    [
        (401, "/v0/crawl/status/x", {"error": "Unauthorized: Invalid token"}),
        (401, "/v1/extract/x", {"success": False, "error": "Unauthorized: Invalid token"}),
        (403, "/v0/crawl/status/x", {"error": "Forbidden"}),
        (404, "/v0/crawl/status/x", {"error": "Job not found"}),
        (404, "/v1/extract/x", {"success": False, "error": "Extract job not found"}),
        (500, "/v0/crawl/status/x", {"error": "Connection is closed."}),
        (
            500,
            "/v1/extract/x",
            {"success": False, "code": "UNKNOWN_ERROR", "error": "Connection is closed."},
        ),
        (402, "/v0/crawl/status/x", {"error": "Payment Required"}),
    ],
)
def test_status_faults_carry_the_real_json_bodies(
    sim: Simulator, code: int, path: str, body: object
) -> None:
    """Each canned error body matches its API's shape."""
    sim.inject(Fault.status(code))
    response = get(sim, path)
    assert (response.status, response.json()) == (code, body)


def test_rate_limit_fault_hints_only_in_the_message(sim: Simulator) -> None:
    """429: "retry after Ns" and a JS-style reset date in the text; no Retry-After header."""
    sim.inject(Fault.status(429, retry_after=7))
    response = get(sim, "/v0/crawl/status/x")
    message = response.json()["error"]
    assert response.status == 429
    assert "please retry after 7s, resets at Fri Aug 01 2025 12:00:07 GMT+0000" in message
    assert message.startswith("Rate limit exceeded. Consumed (req/min): 20, Remaining")
    assert not {name.lower() for name in response.headers} & {"retry-after", "x-ratelimit-reset"}


@pytest.mark.parametrize("code", [502, 503])
def test_gateway_faults_answer_a_proxy_html_page(sim: Simulator, code: int) -> None:
    """A proxy's HTML, not JSON."""
    sim.inject(Fault.status(code))
    response = get(sim, "/v1/extract/x")
    assert response.status == code
    assert response.headers["Content-Type"].startswith("text/html")
    assert f"<title>{code} ".encode() in response.body


def test_status_fault_with_a_custom_body(sim: Simulator) -> None:
    """bytes go out verbatim, anything else as JSON; below 400 a body is required."""
    sim.inject(Fault.status(200, b"{not json"), Fault.status(400, {"error": "zdr"}))
    assert sim.handle("GET", "/v0/crawl/status/x", {}).body == b"{not json"
    assert get(sim, "/v0/crawl/status/x").json() == {"error": "zdr"}
    with pytest.raises(ValueError, match="body"):
        Fault.status(200)
    with pytest.raises(ValueError, match="400-599"):
        Fault.status(600)


def test_slow_fault_waits_on_the_clock_then_answers_normally(
    sim: Simulator, clock: FakeClock
) -> None:
    """The answer reflects the later time; FakeClock records the wait."""
    job = sim.add_crawl(CrawlScenario(pages=10, pages_per_second=1))
    sim.inject(Fault.slow(3.5), job_id=job)
    assert crawl(sim, job)["current"] == 3
    assert clock.sleeps == [3.5]
    assert sim.requests[-1].at == 3.5


def test_slow_fault_in_an_async_client_uses_asleep(sim: Simulator, clock: FakeClock) -> None:
    """The transport's async path awaits clock.asleep instead of blocking."""
    job = sim.add_extract()
    sim.inject(Fault.slow(6))

    async def main() -> dict[str, Any]:
        async with httpx.AsyncClient(
            transport=sim.transport(), base_url="http://fc.test"
        ) as client:
            response = await client.get(f"/v1/extract/{job}")
            result: dict[str, Any] = response.json()
            return result

    assert asyncio.run(main())["status"] == "completed"
    assert clock.sleeps == [6]


def test_truncated_fault_is_a_200_with_half_the_json(sim: Simulator) -> None:
    """Content-Length matches the half body, which does not parse."""
    job = sim.add_crawl()
    whole = sim.handle("GET", f"/v0/crawl/status/{job}", {})
    sim.inject(Fault.truncated())
    cut = sim.handle("GET", f"/v0/crawl/status/{job}", {"If-None-Match": whole.headers["ETag"]})
    assert cut.status == 200
    assert cut.body == whole.body[: len(whole.body) // 2]
    assert cut.headers["Content-Length"] == str(len(cut.body))
    with pytest.raises(json.JSONDecodeError):
        cut.json()


def test_html_404_fault(sim: Simulator) -> None:
    """Express's page even for a good job id."""
    job = sim.add_crawl()
    sim.inject(Fault.html_404())
    response = sim.handle("GET", f"/v0/crawl/status/{job}", {})
    assert response.status == 404
    assert f"Cannot GET /v0/crawl/status/{job}".encode() in response.body


def test_faults_queue_in_order_per_job_before_global(sim: Simulator) -> None:
    """Each fault answers one request; a job's queue only its requests; then the global one."""
    a, b = sim.add_crawl(), sim.add_extract()
    sim.inject(Fault.status(500), Fault.status(503), job_id=a)
    sim.inject(Fault.status(429))
    statuses = [
        get(sim, f"/v1/extract/{b}").status,
        get(sim, f"/v0/crawl/status/{a}").status,
        get(sim, f"/v0/crawl/status/{a}").status,
        get(sim, f"/v0/crawl/status/{a}").status,
        get(sim, f"/v1/extract/{b}").status,
    ]
    assert statuses == [429, 500, 503, 200, 200]
    assert [r.job_id for r in sim.requests] == [b, a, a, a, b]


# --- the 2026 server: write cadence, the two-step race, the deprecation notice -------------------


def test_a_running_extract_answers_304_between_the_workers_writes(
    sim: Simulator, clock: FakeClock
) -> None:
    """The body changes only when the worker writes (each step), as on the real server."""
    job = sim.add_extract(ExtractScenario(duration=10))  # a step write every 2 s
    path = f"/v1/extract/{job}"
    at(clock, 0.1)
    first = get(sim, path)
    tag = first.headers["ETag"]
    for moment in (0.6, 1.2, 1.9):
        at(clock, moment)
        assert get(sim, path, **{"If-None-Match": tag}).status == 304
    at(clock, 2.1)
    written = get(sim, path, **{"If-None-Match": tag})
    assert written.status == 200
    assert written.json()["expiresAt"] == "2025-08-01T18:00:02.000Z"
    assert first.json()["expiresAt"] == "2025-08-01T18:00:00.000Z"


def test_race_mode_answers_processing_expiring_now_and_the_job_lives_on(
    sim: Simulator, clock: FakeClock
) -> None:
    """Every third read while processing falls between the two writes; then all is normal."""
    job = sim.add_extract(ExtractScenario(duration=10, race_every=3))
    expiries = []
    for moment in (1.0, 2.5, 3.2, 4.0, 5.5, 6.1):
        at(clock, moment)
        response = get(sim, f"/v1/extract/{job}")
        body = response.json()
        assert (response.status, body["status"]) == (200, "processing")
        expiries.append(body["expiresAt"])
    date = email.utils.parsedate_to_datetime(response.headers["Date"])
    assert date == dt.datetime(2025, 8, 1, 12, 0, 6, tzinfo=dt.UTC)
    assert expiries[2] == "2025-08-01T12:00:03.000Z"  # read 3 at 3.2 s: the current second
    assert expiries[5] == "2025-08-01T12:00:06.000Z"  # read 6 at 6.1 s
    assert expiries[3] == "2025-08-01T18:00:04.000Z"  # read 4: the re-armed 6 h again
    at(clock, 10)
    assert [extract(sim, job)["status"] for _ in range(3)] == ["completed"] * 3


def test_race_every_must_be_a_positive_count() -> None:
    with pytest.raises(ValueError, match="race_every"):
        ExtractScenario(race_every=0)


def test_the_default_simulator_sends_the_dated_notice_on_v0(clock: FakeClock) -> None:
    """Headers and body keys on the 200, its 304, and v0's own 404 and 401."""
    sim = Simulator(clock, api_key="k")
    job = sim.add_crawl(CrawlScenario(pages=3))
    auth = {"Authorization": "Bearer k"}
    ok = get(sim, f"/v0/crawl/status/{job}", **auth)
    expected_headers = {
        "Deprecation": "@1778025600",
        "Link": '</v2/crawl/:jobId>; rel="successor-version"',
        "Warning": '299 - "/v0/crawl/status/:jobId is deprecated. Use /v2/crawl/:jobId instead."',
    }
    notice = {
        "warnings": ["/v0/crawl/status/:jobId is deprecated. Use /v2/crawl/:jobId instead."],
        "replacement": "/v2/crawl/:jobId",
    }
    assert ok.headers.items() >= expected_headers.items()
    assert "Sunset" not in ok.headers
    body = ok.json()
    assert list(body)[-2:] == ["warnings", "replacement"]
    assert {key: body[key] for key in notice} == notice
    assert ok.headers["Content-Length"] == str(len(ok.body))
    cached = get(sim, f"/v0/crawl/status/{job}", **auth, **{"If-None-Match": ok.headers["ETag"]})
    assert cached.status == 304
    assert cached.headers.items() >= expected_headers.items()
    for status, answer in (
        (404, get(sim, "/v0/crawl/status/unknown", **auth)),
        (401, get(sim, f"/v0/crawl/status/{job}")),
    ):
        assert answer.status == status
        assert answer.headers.items() >= expected_headers.items()
        assert answer.json() == {"error": answer.json()["error"], **notice}


def test_extract_carries_the_notice_except_on_authentication_answers(clock: FakeClock) -> None:
    """200 and 404 carry it; 401 and 429 come before the route and do not."""
    sim = Simulator(clock, api_key="k", deprecation="true")
    job = sim.add_extract()
    auth = {"Authorization": "Bearer k"}
    for response in (get(sim, f"/v1/extract/{job}", **auth), get(sim, "/v1/extract/x", **auth)):
        assert response.headers["Deprecation"] == "true"
        assert response.headers["Link"] == '</v2/scrape>; rel="successor-version"'
        assert response.json()["replacement"] == "/v2/scrape"
    sim.inject(Fault.status(429, retry_after=4))
    limited = get(sim, f"/v1/extract/{job}", **auth)
    for status, response in ((429, limited), (401, get(sim, f"/v1/extract/{job}"))):
        assert response.status == status
        assert "Deprecation" not in response.headers
        assert not {"warnings", "replacement"} & set(response.json())


def test_v1_rate_limit_sends_retry_after_and_v0_does_not(sim: Simulator) -> None:
    sim.inject(Fault.status(429, retry_after=4), Fault.status(429, retry_after=4))
    v1 = get(sim, "/v1/extract/x")
    assert v1.headers["Retry-After"] == "4"
    assert v1.json()["retry_after_seconds"] == 4
    assert "retry after 4s" in v1.json()["error"]
    assert "Retry-After" not in get(sim, "/v0/crawl/status/x").headers


def test_answers_from_outside_the_route_carry_no_notice(clock: FakeClock) -> None:
    """Express's HTML 404, the global handler's 500, proxy pages, and bodies a test gave."""
    sim = Simulator(clock)
    job = sim.add_crawl()
    sim.inject(Fault.html_404(), Fault.status(502), Fault.status(404, {"error": "as given"}))
    answers = [get(sim, f"/v0/crawl/status/{job}") for _ in range(3)]
    answers += [get(sim, "/v0/crawl/status/%E0%A4%A"), get(sim, "/v0/crawl/status/")]
    for answer in answers:
        assert "Deprecation" not in answer.headers
        assert b"replacement" not in answer.body
    assert answers[2].json() == {"error": "as given"}


def test_notice_off_sunset_on_and_bad_forms(clock: FakeClock) -> None:
    job_path = "/v1/extract/x"
    off = Simulator(clock, deprecation=None).handle("GET", job_path, {})
    assert "Deprecation" not in off.headers
    assert off.json() == {"success": False, "error": "Extract job not found"}
    sunset = dt.datetime(2027, 5, 1, tzinfo=dt.UTC)
    on = Simulator(clock, sunset=sunset).handle("GET", job_path, {})
    assert on.headers["Sunset"] == "Sat, 01 May 2027 00:00:00 GMT"
    with pytest.raises(ValueError, match="deprecation"):
        Simulator(clock, deprecation="yes")  # type: ignore[arg-type]


@pytest.mark.parametrize("form", ["date", "true"])
def test_the_clients_parser_reads_the_simulators_notice(clock: FakeClock, form: str) -> None:
    """What the simulator sends is what parse_deprecation understands, id filled in."""
    sim = Simulator(clock, deprecation=form, sunset=dt.datetime(2027, 1, 1, tzinfo=dt.UTC))  # type: ignore[arg-type]
    crawl_id, extract_id = sim.add_crawl(), sim.add_extract()
    read = parse_deprecation(
        httpx.Headers(sim.handle("GET", f"/v0/crawl/status/{crawl_id}", {}).headers),
        crawl(sim, crawl_id),
        crawl_id,
    )
    assert read is not None
    assert read.successor == f"/v2/crawl/{crawl_id}"
    assert read.deprecated_at == (
        dt.datetime(2026, 5, 6, tzinfo=dt.UTC) if form == "date" else None
    )
    assert read.sunset == dt.datetime(2027, 1, 1, tzinfo=dt.UTC)
    assert read.message == "/v0/crawl/status/:jobId is deprecated. Use /v2/crawl/:jobId instead."
    answer = sim.handle("GET", f"/v1/extract/{extract_id}", {})
    read = parse_deprecation(httpx.Headers(answer.headers), answer.json(), extract_id)
    assert read is not None
    assert read.successor == "/v2/scrape"


@settings(max_examples=60, deadline=None)
@given(
    moments=st.lists(st.floats(0, 40), min_size=1, max_size=6),
    form=st.sampled_from(["date", "true"]),
    duration=st.floats(0.5, 30),
)
def test_the_notice_only_appends_two_keys(
    moments: list[float], form: Literal["date", "true"], duration: float
) -> None:
    """At any moment, on any route, the noticed body is the plain one plus the two keys."""
    clock = FakeClock()
    plain, noticed = Simulator(clock, deprecation=None), Simulator(clock, deprecation=form)
    paths = []
    for sim in (plain, noticed):
        crawl_id = sim.add_crawl(CrawlScenario(pages=5, pages_per_second=0.3))
        extract_id = sim.add_extract(ExtractScenario(duration=duration, flip=True))
        paths = [f"/v0/crawl/status/{crawl_id}", f"/v1/extract/{extract_id}", "/v1/extract/x"]
    for moment in sorted(moments):
        at(clock, moment)
        for path in paths:
            before, after = plain.handle("GET", path, {}), noticed.handle("GET", path, {})
            assert after.status == before.status
            added = {key: value for key, value in after.json().items() if key not in before.json()}
            assert after.json() == before.json() | added
            assert set(added) == {"warnings", "replacement"}
            assert list(after.json())[: len(before.json())] == list(before.json())
            assert after.headers["ETag"] != before.headers["ETag"]


def test_completed_extract_reports_credits(sim: Simulator, clock: FakeClock) -> None:
    job = sim.add_extract(ExtractScenario(duration=1))
    at(clock, 1)
    body = extract(sim, job)
    assert isinstance(body["creditsUsed"], int)
    assert body["creditsUsed"] >= 1


# --- determinism, properties, transports ---------------------------------------------------------


def _script(clock: FakeClock) -> list[tuple[int, dict[str, str], bytes]]:
    sim = Simulator(clock, api_key="k")
    jobs = [
        sim.add_crawl(CrawlScenario(pages=30, failing_pages={4, 9}, cancel_at=12)),
        sim.add_crawl(CrawlScenario(behaviour="window", pages=80, start_delay=1, window=10)),
        sim.add_extract(ExtractScenario(duration=2, flip=True)),
    ]
    sim.inject(Fault.status(429, retry_after=3), Fault.truncated(), Fault.slow(0.25))
    paths = [f"/v0/crawl/status/{jobs[0]}", f"/v0/crawl/status/{jobs[1]}", f"/v1/extract/{jobs[2]}"]
    answers = []
    for step in range(40):
        clock.advance(0.3)
        answer = sim.handle("GET", paths[step % 3], {"Authorization": "Bearer k"})
        answers.append((answer.status, answer.headers, answer.body))
    return answers


def test_same_scenarios_and_request_times_give_identical_bytes() -> None:
    """Two simulators on two fake clocks answer the same script byte for byte."""
    first, second = _script(FakeClock()), _script(FakeClock())
    assert first == second
    assert len({body for _, _, body in first}) > 15  # the script really moves


@settings(max_examples=60, deadline=None)
@given(
    behaviour=st.sampled_from(["growing", "window"]),
    pages=st.integers(0, 40),
    failing=st.sets(st.integers(1, 45), max_size=6),
    discovery=st.booleans(),
    stop=st.sampled_from([None, "fail_at", "cancel_at"]),
    k=st.integers(0, 40),
    times=st.lists(st.floats(0, 12, allow_nan=False), min_size=1, max_size=8),
)
def test_crawl_bodies_always_parse_and_keep_their_invariants(
    behaviour: Literal["growing", "window"],
    pages: int,
    failing: set[int],
    discovery: bool,
    stop: str | None,
    k: int,
    times: list[float],
) -> None:
    """Any scenario at any read times: valid per the models, current <= total, right order."""
    failing = {p for p in failing if p <= pages}
    scenario = CrawlScenario(
        behaviour=behaviour,
        pages=pages,
        failing_pages=failing,
        discovery=discovery,
        window=7,
        pages_per_second=5,
        fail_at=k if stop == "fail_at" else None,
        cancel_at=k if stop == "cancel_at" else None,
    )
    clock = FakeClock()
    sim = Simulator(clock)
    job = sim.add_crawl(scenario)
    last_current = 0
    for t in sorted(times):
        at(clock, t)
        body = crawl(sim, job)
        if body["status"] == "waiting":
            continue
        assert 0 <= body["current"] <= body["total"]
        assert body["current"] >= last_current
        last_current = body["current"]
        partial = body.get("partial_data", [])
        if behaviour == "growing":
            order = [
                int(url.removeprefix(page(1)).removeprefix("page-") or 1) for url in urls(partial)
            ]
            assert order == sorted(order)
            assert not set(order) & failing
            assert len(partial) == (0 if body["status"] == "completed" else body["current"])
        else:
            indexes = [doc["index"] for doc in partial]
            assert indexes == list(range(body["current"] - len(partial) + 1, body["current"] + 1))
            assert len(partial) <= 7
        if body["status"] == "completed" and isinstance(body["data"], list):
            assert len(body["data"]) == body["current"]


def test_sync_and_async_clients_see_the_same_bytes(clock: FakeClock) -> None:
    """One transport serves httpx.Client and httpx.AsyncClient identically."""

    def run(use_async: bool) -> list[bytes]:
        sim = Simulator(FakeClock())
        job = sim.add_crawl(CrawlScenario(pages=3, pages_per_second=1))
        paths = [f"/v0/crawl/status/{job}", "/v0/crawl/status/", "/v1/extract/nope"]
        if not use_async:
            with httpx.Client(transport=sim.transport(), base_url="http://fc.test") as client:
                return [client.get(path).content for path in paths]

        async def main() -> list[bytes]:
            transport = sim.transport()
            async with httpx.AsyncClient(transport=transport, base_url="http://fc.test") as client:
                return [(await client.get(path)).content for path in paths]

        return asyncio.run(main())

    assert run(use_async=False) == run(use_async=True)


def test_real_http_round_trip_over_loopback(clock: FakeClock) -> None:
    """httpx over 127.0.0.1: JSON, 304 on the ETag, HTML 404, HEAD; closed afterwards."""
    sim = Simulator(clock, api_key="fc-key")
    job = sim.add_crawl(CrawlScenario(pages=2, pages_per_second=1))
    auth = {"Authorization": "Bearer fc-key"}
    with sim.serve() as server, httpx.Client(base_url=server.base_url, headers=auth) as client:
        assert re.fullmatch(r"http://127\.0\.0\.1:\d+", server.base_url)
        clock.advance(1)
        first = client.get(f"/v0/crawl/status/{job}")
        assert first.status_code == 200
        assert first.content == sim.handle("GET", f"/v0/crawl/status/{job}", auth).body
        assert first.headers["date"] == "Fri, 01 Aug 2025 12:00:01 GMT"
        assert "server" not in first.headers
        cached = client.get(
            f"/v0/crawl/status/{job}", headers={"If-None-Match": first.headers["etag"]}
        )
        assert (cached.status_code, cached.content) == (304, b"")
        missing = client.get("/v0/crawl/status/")
        assert missing.status_code == 404
        assert missing.headers["content-type"] == "text/html; charset=utf-8"
        head = client.head(f"/v0/crawl/status/{job}")
        assert (head.status_code, head.content) == (200, b"")
        bad = client.get("/v0/crawl/status/%E0%A4%A")
        assert bad.json()["error"] == "URIError: URI malformed"
    with pytest.raises(httpx.ConnectError):
        httpx.get(f"{server.base_url}/v0/crawl/status/{job}")
    server.close()  # idempotent


def test_fixtures_share_one_fake_clock(
    firecrawl_clock: FakeClock, firecrawl_simulator: Simulator, firecrawl_server: SimulatorServer
) -> None:
    """The plugin's simulator runs on its clock and is served from it."""
    assert firecrawl_simulator.clock is firecrawl_clock
    assert firecrawl_server.simulator is firecrawl_simulator
    job = firecrawl_simulator.add_crawl(CrawlScenario(pages=1))
    firecrawl_clock.advance(1)
    response = httpx.get(f"{firecrawl_server.base_url}/v0/crawl/status/{job}")
    assert response.json()["status"] == "completed"


def test_serve_forever_prints_the_url_and_demo_jobs(capsys: pytest.CaptureFixture[str]) -> None:
    """The simulate command's loop: URL first, one line per demo job; stops when told."""
    stop = threading.Event()
    stop.set()
    serve_forever(0, stop=stop)
    lines = capsys.readouterr().out.splitlines()
    assert re.fullmatch(
        r"Firecrawl simulator on http://127\.0\.0\.1:\d+ \(Ctrl-C to stop\)", lines[0]
    )
    assert len(lines) == 8
    assert sum("/v0/crawl/status/" in line for line in lines) == 3
    assert sum("/v1/extract/" in line for line in lines) == 2
    assert sum("/v2/crawl/" in line for line in lines) == 1
    assert sum("/v2/batch/scrape/" in line for line in lines) == 1
    # New ids at each start: a job store kept from an earlier run never takes them for its own.
    serve_forever(0, stop=stop)
    again = capsys.readouterr().out.splitlines()
    ids = {line.split()[0].rsplit("/", 1)[1] for line in lines[1:]}
    assert len(ids) == 7
    assert ids.isdisjoint(line.split()[0].rsplit("/", 1)[1] for line in again[1:])


# --- streamed answers (benchmarks of answers larger than memory) -------------------------------


def same_answers(
    scenario: CrawlScenario, deprecation: Literal["date"] | None, reads: list[tuple[float, str]]
) -> None:
    """Reads of ``scenario`` streamed and prepared answer the same bytes, headers and stats."""
    clock = FakeClock()
    sims = [Simulator(clock, deprecation=deprecation) for _ in range(2)]
    prepared, streamed = sims
    job = prepared.add_crawl(scenario)
    assert streamed.add_crawl(attrs.evolve(scenario, streamed=True)) == job
    tag = ""
    for t, how in reads:
        at(clock, t)
        if how == "truncated":
            for one in sims:
                one.inject(Fault.truncated(), job_id=job)
        method = "HEAD" if how == "head" else "GET"
        headers = {"If-None-Match": tag} if how == "revalidate" else {}
        answers = [one.handle(method, f"/v0/crawl/status/{job}", headers) for one in sims]
        whole, made = answers
        assert (made.status, made.headers, made.size) == (whole.status, whole.headers, whole.size)
        assert b"".join(made.chunks()) == whole.body
        tag = whole.headers.get("ETag", tag)
    assert streamed.stats == prepared.stats


@settings(max_examples=40, deadline=None)
@given(
    pages=st.integers(0, 30),
    behaviour=st.sampled_from(["growing", "window"]),
    failing=st.sets(st.integers(1, 30), max_size=3),
    deprecation=st.sampled_from(["date", None]),
    reads=st.lists(
        st.tuples(
            st.floats(0, 5),
            st.sampled_from(["plain", "plain", "head", "truncated", "revalidate"]),
        ),
        max_size=6,
    ).map(sorted),
)
def test_a_streamed_crawl_answers_the_same_bytes(
    pages: int,
    behaviour: Literal["growing", "window"],
    failing: set[int],
    deprecation: Literal["date"] | None,
    reads: list[tuple[float, str]],
) -> None:
    """`CrawlScenario(streamed=True)` changes how answers are made, never what they are."""
    failing = {position for position in failing if position <= pages}
    scenario = CrawlScenario(
        pages=pages, pages_per_second=10, behaviour=behaviour, failing_pages=failing
    )
    same_answers(scenario, deprecation, [*reads, (6.0, "plain")])


def test_a_streamed_answer_is_made_while_sent_over_every_transport(clock: FakeClock) -> None:
    """Over real HTTP and both httpx transports, a streamed answer arrives whole, in pieces."""
    sim = Simulator(clock)
    job = sim.add_crawl(CrawlScenario(pages=60, pages_per_second=100, streamed=True))
    clock.advance(1.0)
    answer = sim.handle("GET", f"/v0/crawl/status/{job}", {})
    assert answer.stream is not None
    assert len(list(answer.chunks())) > 60  # one piece per document at least
    expected = b"".join(answer.chunks())
    assert len(expected) == answer.size == int(answer.headers["Content-Length"])
    assert len(answer.json()["data"]) == 60
    with sim.serve() as server:
        assert httpx.get(f"{server.base_url}/v0/crawl/status/{job}").content == expected
    with httpx.Client(transport=sim.transport(), base_url="http://sim.test") as client:
        assert client.get(f"/v0/crawl/status/{job}").content == expected

    async def read() -> bytes:
        async with httpx.AsyncClient(transport=sim.transport(), base_url="http://sim.test") as c:
            return (await c.get(f"/v0/crawl/status/{job}")).content

    assert asyncio.run(read()) == expected
