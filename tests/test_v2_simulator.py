"""The v1/v2 crawl and batch-scrape simulator: every answer fits openapi.yaml, every quirk shows.

The contract test draws a job (any mix of quirks), a moment of its life, a route (v1 or v2,
crawl or batch, status or ``/errors``), ``skip``/``limit``, a revalidation and a fault, and
validates the answer against the operation it belongs to with schemathesis. The behaviour
tests then pin each quirk of docs/server-facts.md (v2 section) one by one.
"""

from __future__ import annotations

import urllib.parse
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from firecrawl_status.testing import FakeClock, Fault, Simulator, V2Scenario
from tests.test_simulator_contract import BASE, CHECKS, schema
from tests.test_simulator_contract import _timed as timed


def _client(sim: Simulator) -> httpx.Client:
    return httpx.Client(transport=sim.transport(), base_url=BASE)


scenarios = st.builds(
    V2Scenario,
    kind=st.sampled_from(["crawl", "batch"]),
    pages=st.integers(3, 12),
    pages_per_second=st.sampled_from([0.5, 2.0]),
    failing_pages=st.sets(st.integers(1, 3), max_size=2),
    robots_blocked=st.lists(st.just("https://example.com/private"), max_size=1),
    end=st.sampled_from(["completed", "cancelled", "failed"]),
    end_after=st.integers(0, 1),
    kickoff_failure=st.none() | st.just("URL is not allowed"),
    skip=st.sampled_from(["honoured", "ignored"]),
    next_on_terminal=st.booleans(),
    next_origin=st.none() | st.just("https://localhost:3002"),
    missing_results=st.sets(st.integers(1, 1), max_size=1),
    duplicates=st.sets(st.integers(1, 1), max_size=1),
    timestamps=st.booleans(),
    credits=st.sampled_from(["billed", "unknown"]),
    not_found_for=st.sampled_from([0.0, 2.0]),
    ttl=st.sampled_from([30.0, 86400.0]),
    team=st.sampled_from(["own", "own", "other"]),
    warning=st.none() | st.just("Results were cut short"),
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    scenario=scenarios,
    moment=st.floats(0, 60),
    version=st.sampled_from(["v1", "v2"]),
    route_kind=st.sampled_from(["crawl", "batch"]),
    errors=st.booleans(),
    skip=st.none() | st.integers(0, 15),
    limit=st.none() | st.integers(1, 5),
    revalidate=st.booleans(),
    fault=st.none() | st.sampled_from([Fault.status(429, retry_after=2), Fault.status(500)]),
    bad_id=st.booleans(),
)
def test_every_answer_fits_the_spec(
    scenario: V2Scenario,
    moment: float,
    version: str,
    route_kind: str,
    errors: bool,
    skip: int | None,
    limit: int | None,
    revalidate: bool,
    fault: Fault | None,
    bad_id: bool,
) -> None:
    """Status and /errors answers of both versions and kinds are ones openapi.yaml declares."""
    clock = FakeClock()
    sim = Simulator(clock)
    job = sim.add_job(scenario)
    clock.advance(moment)
    kind_path = "crawl" if route_kind == "crawl" else "batch/scrape"
    template = f"/{version}/{kind_path}/{{id}}" + ("/errors" if errors else "")
    operation = schema[template]["GET"]
    job_id = "not-a-uuid" if bad_id else job
    query: dict[str, Any] = {}
    if not errors:
        query = {k: v for k, v in {"skip": skip, "limit": limit}.items() if v is not None}
    headers: dict[str, str] = {}
    with _client(sim) as client:
        url = template.format(id=job_id)
        if revalidate:
            first = client.get(url, params=query)
            if "etag" in first.headers:
                headers["If-None-Match"] = first.headers["etag"]
        if fault is not None:
            sim.inject(fault)
        response = client.get(url, params=query, headers=headers)
    case = operation.Case(path_parameters={"id": job_id}, query=query or None, headers=headers)
    case.validate_response(timed(response), checks=CHECKS)


# -- behaviour, quirk by quirk ------------------------------------------------------------


def _read(sim: Simulator, path: str, **params: Any) -> dict[str, Any]:
    with _client(sim) as client:
        response = client.get(path, params=params)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def _urls(body: dict[str, Any]) -> list[str]:
    return [doc["metadata"]["sourceURL"] for doc in body["data"]]


def _job(scenario: V2Scenario, at: float = 1000.0) -> tuple[Simulator, FakeClock, str]:
    clock = FakeClock()
    sim = Simulator(clock)
    job = sim.add_job(scenario)
    clock.advance(at)
    return sim, clock, job


def test_skip_and_limit_page_through_finished_documents() -> None:
    sim, _, job = _job(V2Scenario(pages=7))
    first = _read(sim, f"/v2/crawl/{job}", limit=3)
    assert len(first["data"]) == 3
    assert first["next"].endswith(f"/v2/crawl/{job}?skip=3&limit=3")
    last = _read(sim, f"/v2/crawl/{job}", skip=6, limit=3)
    assert len(last["data"]) == 1
    assert "next" not in last
    assert first["completed"] == first["total"] == 7
    assert first["creditsUsed"] == 7


def test_default_page_is_100_documents() -> None:
    sim, _, job = _job(V2Scenario(pages=150, pages_per_second=100, markdown_bytes=10))
    body = _read(sim, f"/v2/crawl/{job}")
    assert len(body["data"]) == 100
    assert body["next"].endswith("?skip=100")


def test_a_page_stops_at_10_mib() -> None:
    sim, _, job = _job(V2Scenario(pages=12, markdown_bytes=1024 * 1024))
    body = _read(sim, f"/v2/crawl/{job}")
    assert len(body["data"]) == 9
    assert body["next"].endswith("?skip=9")


def test_next_is_present_while_scraping_even_on_an_empty_page() -> None:
    sim, _clock, job = _job(V2Scenario(pages=5, pages_per_second=1), at=2.5)
    body = _read(sim, f"/v2/crawl/{job}", skip=2)
    assert body["status"] == "scraping"
    assert body["data"] == []
    assert body["next"].endswith("?skip=2")


def test_older_servers_send_next_forever_on_cancelled_jobs() -> None:
    for forever in (False, True):
        scenario = V2Scenario(pages=5, end="cancelled", end_after=2, next_on_terminal=forever)
        sim, _, job = _job(scenario)
        body = _read(sim, f"/v2/crawl/{job}", skip=2)
        assert body["status"] == "cancelled"
        assert body["data"] == []
        assert ("next" in body) is forever


def test_next_can_name_a_foreign_origin_and_the_asked_version() -> None:
    scenario = V2Scenario(pages=3, next_origin="https://localhost:3002")
    sim, _, job = _job(scenario)
    assert _read(sim, f"/v1/crawl/{job}", limit=1)["next"] == (
        f"https://localhost:3002/v1/crawl/{job}?skip=1&limit=1"
    )


def test_ignored_skip_resends_everything() -> None:
    sim, _, job = _job(V2Scenario(pages=4, skip="ignored", end="cancelled", end_after=4))
    body = _read(sim, f"/v2/crawl/{job}", skip=3, limit=1)
    assert len(body["data"]) == 4


def test_missing_result_is_skipped_while_the_offset_advances() -> None:
    sim, _, job = _job(V2Scenario(pages=4, missing_results={2}))
    body = _read(sim, f"/v2/crawl/{job}", limit=2)
    assert _urls(body) == ["https://example.com/"]
    assert body["next"].endswith("skip=2&limit=2")


def test_a_duplicate_appears_on_a_later_page() -> None:
    sim, _, job = _job(V2Scenario(pages=4, duplicates={2}))
    pages = [_urls(_read(sim, f"/v2/crawl/{job}", skip=s, limit=2)) for s in (0, 2)]
    assert pages[0][1] == pages[1][1] == "https://example.com/page-2"


def test_404_grace_right_after_creation() -> None:
    sim, clock, job = _job(V2Scenario(not_found_for=2.0), at=1.0)
    with _client(sim) as client:
        assert client.get(f"/v2/crawl/{job}").status_code == 404
        clock.advance(1.5)
        assert client.get(f"/v2/crawl/{job}").status_code == 200


def test_kickoff_failure_is_http_200_success_false() -> None:
    sim, _, job = _job(V2Scenario(kickoff_failure="URL is not allowed"))
    body = _read(sim, f"/v2/crawl/{job}")
    assert body == {"success": False, "status": "failed", "error": "URL is not allowed", "data": []}


def test_429_carries_retry_after() -> None:
    sim, _, job = _job(V2Scenario())
    sim.inject(Fault.status(429, retry_after=7), job_id=job)
    with _client(sim) as client:
        response = client.get(f"/v2/batch/scrape/{job}")
    assert response.status_code == 429
    assert response.headers["Retry-After"] == "7"
    assert response.json()["retry_after_seconds"] == 7


def test_etags_are_per_url() -> None:
    sim, _, job = _job(V2Scenario(pages=4))
    with _client(sim) as client:
        first = client.get(f"/v2/crawl/{job}", params={"limit": 2})
        other = client.get(f"/v2/crawl/{job}", params={"skip": 2, "limit": 2})
        assert first.headers["etag"] != other.headers["etag"]
        again = client.get(
            f"/v2/crawl/{job}",
            params={"limit": 2},
            headers={"If-None-Match": first.headers["etag"]},
        )
        assert again.status_code == 304


def test_errors_route_lists_failed_pages_and_robots_blocked() -> None:
    scenario = V2Scenario(pages=3, failing_pages={2}, robots_blocked=["https://example.com/x"])
    sim, _, job = _job(scenario)
    body = _read(sim, f"/v2/crawl/{job}/errors")
    assert [e["url"] for e in body["errors"]] == ["https://example.com/broken-2"]
    assert body["robotsBlocked"] == ["https://example.com/x"]
    assert _read(sim, f"/v2/crawl/{job}")["completed"] == 3


def test_other_team_and_wrong_kind_and_bad_id() -> None:
    sim, _, job = _job(V2Scenario(team="other"))
    with _client(sim) as client:
        assert client.get(f"/v2/crawl/{job}").status_code == 404
        assert client.get(f"/v2/crawl/{job}/errors").status_code == 403
        assert client.get(f"/v2/batch/scrape/{job}").status_code == 404
        assert client.get("/v2/crawl/not-a-uuid").status_code == 400


def test_expiry_and_credits_unknown() -> None:
    sim, clock, job = _job(V2Scenario(pages=2, ttl=60, credits="unknown"), at=1.0)
    body = _read(sim, f"/v2/crawl/{job}")
    assert body["creditsUsed"] == -1
    assert body["completedAt"]
    assert body["duration"] == 0.2
    clock.advance(60)
    with _client(sim) as client:
        assert client.get(f"/v2/crawl/{job}").status_code == 404


def test_cancel_by_hand() -> None:
    sim, clock, job = _job(V2Scenario(pages=10, pages_per_second=1), at=3.5)
    sim.cancel(job)
    clock.advance(100)
    body = _read(sim, f"/v2/crawl/{job}")
    assert body["status"] == "cancelled"
    assert body["completed"] == 3


def test_add_job_needs_a_uuid() -> None:
    with pytest.raises(ValueError, match="badly formed"):
        Simulator(FakeClock()).add_job(job_id="crawl-1")


def test_real_http_and_the_transport_answer_alike() -> None:
    """The threaded server runs the same logic: same body, ``next`` naming the server's host."""
    clock = FakeClock()
    sim = Simulator(clock)
    job = sim.add_job(V2Scenario(pages=3))
    clock.advance(10)
    with sim.serve() as server, httpx.Client(base_url=server.base_url) as client:
        real = client.get(f"/v2/crawl/{job}", params={"limit": 2})
    host = urllib.parse.urlsplit(server.base_url).netloc
    assert real.status_code == 200
    assert real.json()["next"] == f"http://{host}/v2/crawl/{job}?skip=2&limit=2"
    with _client(sim) as client:
        mock = client.get(f"/v2/crawl/{job}", params={"limit": 2})
    assert mock.json()["data"] == real.json()["data"]
