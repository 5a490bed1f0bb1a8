"""The CLI on v1/v2 jobs, in-process on the simulator: `crawl --api v2`, `batch`, `errors`, with
the same JSON Lines, exit codes and resume as v0."""

from __future__ import annotations

from typing import Any

from firecrawl_status.testing import V2Scenario
from tests.test_cli import CLI, FAST, Simulator, cli, sim

__all__ = ["cli", "sim"]  # the fixtures, imported to be used here


def scrape_ids(documents: list[dict[str, Any]]) -> list[str]:
    return [d["metadata"]["scrapeId"] for d in documents]


def test_crawl_api_v2_wait_streams_every_page_once(cli: CLI, sim: Simulator) -> None:
    job = sim.add_job(
        V2Scenario(
            pages=230, pages_per_second=40, skip="ignored", duplicates={3}, failing_pages={4}
        )
    )
    result = cli.run("crawl", job, "--api", "v2", "--wait", *FAST)
    assert result.code == 0, result.stderr
    ids = scrape_ids(result.json_lines())
    assert len(ids) == len(set(ids)) == 230
    assert "pages failed: 1" in result.stderr
    assert all(r.path.startswith("/v2/crawl/") for r in sim.requests)
    # The summary speaks v2: pages read and duplicates dropped, no v0 lists nor window gaps.
    merge = next(line for line in result.stderr.splitlines() if "merge:" in line)
    assert "230 from the pages read" in merge
    assert "partial_data" not in merge
    assert "gaps" not in merge


def test_batch_resumes_from_the_store(cli: CLI, sim: Simulator) -> None:
    job = sim.add_job(V2Scenario(kind="batch", pages=300, pages_per_second=2))
    first = cli.run("batch", job, "--wait", "--timeout", "1", "-q", *FAST)
    assert first.code == 5
    kept = scrape_ids(first.json_lines())
    assert 0 < len(kept) < 300
    before = len(sim.requests)
    resumed = cli.run("batch", job, "--wait", *FAST)
    assert resumed.code == 0, resumed.stderr
    assert f"resuming batch scrape {job}: writing the {len(kept)} documents kept" in resumed.stderr
    assert f"batch scrape {job}: completed" in resumed.stderr  # progress names the job's kind
    assert f"crawl {job}" not in resumed.stderr
    ids = scrape_ids(resumed.json_lines())
    assert ids[: len(kept)] == kept
    assert len(ids) == len(set(ids)) == 300
    # The resumed run asked from the stored cursor: never the first page again.
    assert "skip=" in sim.requests[before].path
    jobs = cli.run("jobs", "--json").json_lines()
    assert [(j["id"], j["kind"]) for j in jobs] == [(job, "batch_scrape")]


def test_batch_status_and_exit_codes(cli: CLI, sim: Simulator) -> None:
    running = sim.add_job(
        V2Scenario(kind="batch", pages=500, pages_per_second=1, credits="unknown")
    )
    sim.clock.advance(1)
    [snapshot] = cli.run("batch", running).json_lines()
    assert snapshot["status"] == "scraping"
    assert snapshot["creditsUsed"] is None
    cancelled = sim.add_job(V2Scenario(kind="batch", pages=50, end="cancelled", end_after=10))
    result = cli.run("batch", cancelled, "--wait", *FAST)
    assert result.code == 1
    assert len(result.json_lines()) == 10
    assert "cancelled" in result.one_error_line()
    failed = sim.add_job(V2Scenario(kickoff_failure="URL is not allowed"))
    assert cli.run("crawl", failed, "--api", "v2").code == 1
    assert cli.run("crawl", "00000000-0000-4000-8000-00000000abcd", "--api", "v2").code == 3


def test_errors_prints_the_failed_pages(cli: CLI, sim: Simulator) -> None:
    job = sim.add_job(
        V2Scenario(pages=5, failing_pages={2, 3}, robots_blocked=("https://example.com/x",))
    )
    sim.clock.advance(5)
    result = cli.run("errors", job)
    assert result.code == 0, result.stderr
    [body] = result.json_lines()
    assert body["id"] == job
    assert len(body["errors"]) == 2
    assert set(body["errors"][0]) == {"id", "timestamp", "url", "code", "error"}
    assert body["robotsBlocked"] == ["https://example.com/x"]
    batch = sim.add_job(V2Scenario(kind="batch", pages=2, failing_pages={1}))
    sim.clock.advance(5)
    [errors] = cli.run("errors", batch, "--batch", "--api", "v1").json_lines()
    assert len(errors["errors"]) == 1
    assert sim.requests[-1].path.startswith("/v1/batch/scrape/")
