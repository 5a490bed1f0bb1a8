"""The v1/v2 snapshot types (facade/firecrawl_status/_jobs.py): `JobSnapshot.model` is the
generated v1/v2 model of the answer, never the v0 one."""

from __future__ import annotations

import random
from typing import Any

import httpx
import pytest

from firecrawl_status import CrawlSnapshot, JobResult, JobSnapshot, StatusClient
from firecrawl_status._generated.models import (
    CrawlStatusResponse,
    JobDocument,
    JobStatusResponse,
    KnownJobStatus,
)
from firecrawl_status.testing import FakeClock, Simulator, V2Scenario

BASE = "http://sim.test"


def client(sim: Simulator, clock: FakeClock, api: Any) -> StatusClient:
    http = httpx.Client(transport=sim.transport(), base_url=BASE)
    return StatusClient(
        base_url=BASE, http_client=http, clock=clock, rng=random.Random(7), crawl_api=api
    )


@pytest.mark.parametrize("api", ["v1", "v2"])
@pytest.mark.parametrize("kind", ["crawl", "batch"])
def test_a_v1_v2_snapshot_model_is_the_job_status_model(api: str, kind: str) -> None:
    """Read while scraping: the model is a `JobStatusResponse` holding this answer's page."""
    clock = FakeClock()
    sim = Simulator(clock=clock)
    job = sim.add_job(V2Scenario(kind=kind, pages=150, pages_per_second=10))  # type: ignore[arg-type]
    clock.advance(12)  # 120 of 150 pages finished: more than one page of 100
    with client(sim, clock, api) as c:
        snapshot = c.crawl_status(job) if kind == "crawl" else c.batch_scrape_status(job)
    assert isinstance(snapshot, JobSnapshot)
    model = snapshot.model
    assert isinstance(model, JobStatusResponse)
    assert model.success is True
    assert model.status == KnownJobStatus.SCRAPING
    assert (model.completed, model.total) == (snapshot.current, snapshot.total) == (120, 150)
    assert model.next_ == snapshot.next_url
    assert isinstance(model.next_, str)
    assert f"/{api}/" in model.next_
    assert isinstance(model.data, list)
    assert all(isinstance(document, JobDocument) for document in model.data)
    assert [d.metadata.source_url for d in model.data] == [  # type: ignore[union-attr]
        document["metadata"]["sourceURL"] for document in snapshot.documents
    ]
    assert len(model.data) == 100
    assert snapshot.model is model  # built once


def test_a_finished_wait_and_a_kickoff_failure_carry_the_job_model() -> None:
    """A completed wait's snapshot, and the HTTP-200 `success: false` answer, read as v1/v2."""
    clock = FakeClock()
    sim = Simulator(clock=clock)
    done = sim.add_job(V2Scenario(pages=3, credits="unknown"))
    failed = sim.add_job(V2Scenario(kickoff_failure="URL is not allowed"))
    with client(sim, clock, "v2") as c:
        result = c.wait_for_crawl(done)
        kickoff = c.crawl_status(failed)
    assert isinstance(result, JobResult)
    assert isinstance(result.snapshot, JobSnapshot)
    finished = result.snapshot.model
    assert isinstance(finished, JobStatusResponse)
    assert (finished.status, finished.credits_used) == (KnownJobStatus.COMPLETED, -1)
    assert result.credits_used is None  # -1 reads as unknown; the model keeps what was sent
    assert isinstance(kickoff, JobSnapshot)
    assert (kickoff.model.success, kickoff.model.error) == (False, "URL is not allowed")


def test_a_v0_snapshot_keeps_the_v0_model() -> None:
    """The default API is unchanged: a v0 read is a plain `CrawlSnapshot` with the v0 model."""
    clock = FakeClock()
    sim = Simulator(clock=clock)
    job = sim.add_crawl()
    with client(sim, clock, "v0") as c:
        snapshot = c.crawl_status(job)
    assert type(snapshot) is CrawlSnapshot
    assert isinstance(snapshot.model, CrawlStatusResponse)
