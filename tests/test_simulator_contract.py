"""The simulator against openapi.yaml, by property-based API testing (schemathesis).

Schemathesis generates requests from the spec (job ids with odd characters, percent-escapes,
``If-None-Match`` values); most are then pointed at seeded jobs, so both known and unknown ids
are hit, with the right key, a wrong one or none, at a random moment of each job's life, some
revalidating with the job's real ETag, some meeting a queued fault the spec describes (429,
500, Express's HTML 404). Every answer must have a declared status, content type and headers,
and a body that fits its schema. Each example builds a fresh simulator, so a failure replays
and shrinks exactly; requests go in-process through ``Simulator.transport()`` (no socket).
"""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path
from typing import Any

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from firecrawl_status.testing import CrawlScenario, ExtractScenario, FakeClock, Fault, Simulator

SPEC = Path(__file__).resolve().parent.parent / "openapi.yaml"
KEY = "fc-contract-key"
BASE = "http://firecrawl.test"
CHECKS = [
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]
"""Conformance only: schemathesis's ``not_a_server_error`` would flag the 500 the spec
documents for an id the server cannot percent-decode."""

schema = schemathesis.openapi.from_path(str(SPEC))
CRAWL = schema["/v0/crawl/status/{jobId}"]["GET"]
EXTRACT = schema["/v1/extract/{id}"]["GET"]

CRAWLS: dict[str, CrawlScenario] = {
    # The spec's example id, so schemathesis's own examples reach a real job.
    "8f2f6c8a-6c3a-4b7e-9a53-0d2a6c1f9b11": CrawlScenario(pages=8, pages_per_second=0.5),
    "crawl-growing-failing": CrawlScenario(pages=6, pages_per_second=0.2, failing_pages={2, 5}),
    "crawl-window": CrawlScenario(pages=60, pages_per_second=1, behaviour="window", start_delay=5),
    "crawl-window-raw": CrawlScenario(
        pages=5, pages_per_second=0.05, behaviour="window", raw_statuses=((10, "stuck"),)
    ),
    "crawl-failed": CrawlScenario(pages=10, pages_per_second=0.5, fail_at=3),
    "crawl-cancelled": CrawlScenario(pages=10, pages_per_second=0.5, cancel_at=2),
    "crawl-legacy": CrawlScenario(pages=2, completed_data="legacy", behaviour="window"),
    "crawl-null-data": CrawlScenario(pages=2, completed_data="null"),
    "crawl-url-only": CrawlScenario(pages=4, url_only=True, pages_per_second=0.2),
    "crawl-empty": CrawlScenario(pages=0),
    "crawl-silent": CrawlScenario(pages=5, pages_per_second=0.1, expire="silent", ttl=40),
    "crawl-expires": CrawlScenario(pages=5, pages_per_second=0.1, expire="404", ttl=60),
    "crawl-other-team": CrawlScenario(pages=2, team="other"),
}
EXTRACTS: dict[str, ExtractScenario] = {
    "5b8a4e0c-1f3d-4d1e-8a9b-2c7d6e5f4a3b": ExtractScenario(duration=30),
    "extract-flip": ExtractScenario(duration=20, flip=True),
    "extract-failed": ExtractScenario(duration=10, outcome="failed"),
    "extract-failed-object": ExtractScenario(
        duration=10, outcome="failed", error={"name": "APIError", "status": 500, "detail": [1, 2]}
    ),
    "extract-lost": ExtractScenario(duration=5, outcome="failed", ttl=30, lost_after=60),
    "extract-cancelled": ExtractScenario(duration=10, outcome="cancelled"),
    "extract-list-data": ExtractScenario(duration=5, data=[{"a": 1}, "b"], extras=False),
    "extract-short-ttl": ExtractScenario(duration=5, ttl=20),
    "extract-other-team": ExtractScenario(team="other"),
    "extract-race": ExtractScenario(duration=200, race_every=2),
}
FAULTS = [Fault.status(429, retry_after=2), Fault.status(500), Fault.html_404()]
"""Faults whose answers the spec declares (proxy 502/503/504 pages are not; see below)."""


SEEN: set[tuple[str, int]] = set()
"""(job id, status) of every answer the property tests got, for the coverage test."""
NOTICED: set[tuple[int, str]] = set()
"""(status, Deprecation header or "off") of every answer, for the coverage test."""


NOTICES: list[Any] = ["date", "true", None]
"""The simulator's deprecation notice forms, and off: each example draws one."""
SUNSET = dt.datetime(2027, 5, 1, tzinfo=dt.UTC)


class World:
    """A fresh simulator holding every seeded job, on its own `FakeClock`."""

    def __init__(self, notice: Any = "date", sunset: dt.datetime | None = None) -> None:
        self.clock = FakeClock()
        self.sim = Simulator(self.clock, api_key=KEY, deprecation=notice, sunset=sunset)
        for job_id, crawl in CRAWLS.items():
            self.sim.add_crawl(crawl, job_id=job_id)
        for job_id, extract in EXTRACTS.items():
            self.sim.add_extract(extract, job_id=job_id)
        self.client = httpx.Client(transport=self.sim.transport(), base_url=BASE)


def _timed(response: httpx.Response) -> httpx.Response:
    """Schemathesis reads ``.elapsed``, which httpx never sets on a MockTransport answer."""
    try:
        response.elapsed  # noqa: B018
    except RuntimeError:
        response.elapsed = dt.timedelta(0)
    return response


def _exchange(data: st.DataObject, operation: Any, parameter: str, known: list[str]) -> None:
    """One example: a fresh world at a random moment, one generated request, validated.

    Each example builds its own world, so a failure replays and shrinks exactly.
    """
    case = data.draw(operation.as_strategy(), label="case")
    # The world's choices come from a seeded uniform source, not from hypothesis values (which
    # favour edge cases): mostly a seeded job and the right key, now and then a fault or a
    # revalidation.
    rnd = random.Random(data.draw(st.integers(0, 2**32 - 1), label="world seed"))
    use_known, job = rnd.random() < 0.6, rnd.choice(known)
    moment, later = rnd.uniform(0, 300), rnd.uniform(0, 3)
    auth = rnd.choices(["right", "wrong", "none"], weights=[8, 1, 1])[0]
    revalidate, fault = rnd.random() < 0.3, rnd.choice([None] * 9 + FAULTS)
    notice, sunset = rnd.choice(NOTICES), rnd.choice([None, SUNSET])
    if use_known:
        case.path_parameters[parameter] = job
    kwargs = case.as_transport_kwargs(base_url=BASE)
    headers = {
        name: value
        for name, value in kwargs["headers"].items()
        if name.lower() not in ("authorization", "x-schemathesis-testcaseid")
    }
    if auth != "none":
        headers["Authorization"] = f"Bearer {KEY if auth == 'right' else 'fc-wrong'}"
    world = World(notice, sunset)
    with world.client as client:
        world.clock.advance(moment)
        if revalidate:
            first = client.request(kwargs["method"], kwargs["url"], headers=headers)
            if "etag" in first.headers:
                headers["If-None-Match"] = first.headers["etag"]
            world.clock.advance(later)
        if fault is not None:
            world.sim.inject(fault)
        response = client.request(kwargs["method"], kwargs["url"], headers=headers)
    SEEN.add((case.path_parameters[parameter], response.status_code))
    NOTICED.add((response.status_code, response.headers.get("deprecation", "off")))
    case.validate_response(_timed(response), checks=CHECKS)


EXAMPLES = settings(
    max_examples=200,
    # The same examples every run: the coverage check below must not depend on luck.
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)


@EXAMPLES
@given(data=st.data())
def test_crawl_status_answers_fit_the_spec(data: st.DataObject) -> None:
    """Every simulated GET /v0/crawl/status/{jobId} answer is one openapi.yaml declares."""
    _exchange(data, CRAWL, "jobId", list(CRAWLS))


@EXAMPLES
@given(data=st.data())
def test_extract_status_answers_fit_the_spec(data: st.DataObject) -> None:
    """Every simulated GET /v1/extract/{id} answer is one openapi.yaml declares."""
    _exchange(data, EXTRACT, "id", list(EXTRACTS))


def test_the_property_tests_reached_known_and_unknown_jobs() -> None:
    """The runs above hit most seeded jobs (200, 304) and unknown ids (404) alike."""
    if not SEEN:
        pytest.skip("meaningful only after the property tests of this module")
    statuses = {status for _, status in SEEN}
    assert {200, 304, 401, 404, 429} <= statuses
    jobs = {job_id for job_id, status in SEEN if status in (200, 304)}
    assert len(jobs) >= (len(CRAWLS) + len(EXTRACTS)) // 2, jobs
    for status in (200, 304, 404):
        assert {(status, "@1778025600"), (status, "true"), (status, "off")} <= NOTICED, status


@pytest.mark.parametrize("notice", NOTICES)
@pytest.mark.parametrize(
    ("path", "code"),
    [
        ("/v0/crawl/status/8f2f6c8a-6c3a-4b7e-9a53-0d2a6c1f9b11", 200),
        ("/v0/crawl/status/unknown", 404),
        ("/v1/extract/5b8a4e0c-1f3d-4d1e-8a9b-2c7d6e5f4a3b", 200),
        ("/v1/extract/extract-race", 200),
        ("/v1/extract/unknown", 404),
    ],
)
def test_noticed_answers_fit_the_spec(notice: Any, path: str, code: int) -> None:
    """Each notice form (and none) on each route's 200, 304 and 404 is a declared answer."""
    world = World(notice, SUNSET)
    operation, parameter = (CRAWL, "jobId") if path.startswith("/v0/") else (EXTRACT, "id")
    case = operation.Case(path_parameters={parameter: path.rsplit("/", 1)[-1]})
    with world.client as client:
        world.clock.advance(30)
        answers = [client.get(path, headers={"Authorization": f"Bearer {KEY}"})]
        tag = answers[0].headers.get("etag")
        answers.append(
            client.get(
                path, headers={"Authorization": f"Bearer {KEY}", "If-None-Match": tag or "x"}
            )
        )
    assert answers[0].status_code == code
    assert (answers[1].status_code == 304) == (code == 200 and "race" not in path)
    for answer in answers:
        assert ("deprecation" in answer.headers) == (notice is not None)
        case.validate_response(_timed(answer), checks=CHECKS)
    if notice is not None:
        assert answers[0].json()["replacement"].startswith("/v2/")


def test_the_race_answer_fits_the_spec() -> None:
    """The read between the two writes: processing, expiresAt the current second, declared."""
    world = World()
    case = EXTRACT.Case(path_parameters={"id": "extract-race"})
    with world.client as client:
        world.clock.advance(30)
        first, second = (
            client.get("/v1/extract/extract-race", headers={"Authorization": f"Bearer {KEY}"})
            for _ in range(2)
        )
    assert second.json()["expiresAt"] == "2025-08-01T12:00:30.000Z" != first.json()["expiresAt"]
    for answer in (first, second):
        assert answer.json()["status"] == "processing"
        case.validate_response(_timed(answer), checks=CHECKS)


@pytest.mark.parametrize("code", [502, 503, 504])
def test_proxy_error_pages_fit_the_spec(code: int) -> None:
    """A gateway error page from the proxy is a declared answer of the crawl endpoint."""
    sim = Simulator(FakeClock())
    job_id = sim.add_crawl(CrawlScenario(pages=1))
    sim.inject(Fault.status(code))
    case = CRAWL.Case(path_parameters={"jobId": job_id})
    with httpx.Client(transport=sim.transport(), base_url=BASE) as client:
        response = client.get(f"/v0/crawl/status/{job_id}")
    assert response.status_code == code
    case.validate_response(_timed(response), checks=CHECKS)
