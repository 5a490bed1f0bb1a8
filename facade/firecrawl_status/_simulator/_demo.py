"""``firecrawl-status simulate``: a simulator with a few demo jobs, served until interrupted."""

from __future__ import annotations

import contextlib
import threading
import uuid

from ._core import Simulator
from ._scenarios import CrawlScenario, ExtractScenario
from ._v2 import V2Scenario

__all__ = ["add_demo_jobs", "serve_forever"]  # re-exported by firecrawl_status.testing


def add_demo_jobs(simulator: Simulator, *, fresh_ids: bool = False) -> list[tuple[str, str, str]]:
    """Add one job of each interesting kind.

    Args:
        simulator: Where to add them.
        fresh_ids: Random ids instead of the simulator's deterministic ones: a job store
            outlives a simulator, and would take a restarted one's jobs for those it kept.

    Returns:
        ``(endpoint path, job id, description)`` per job, in the order added.
    """
    crawls = [
        (
            CrawlScenario(pages=30, pages_per_second=2, failing_pages={7}),
            "current server: 30 pages over 15 s, page 7 fails",
        ),
        (
            CrawlScenario(behaviour="window", pages=120, pages_per_second=4, start_delay=3),
            "early server: 120 pages, 50-page window, waits 3 s",
        ),
        (
            CrawlScenario(pages=20, pages_per_second=1, cancel_at=5),
            "cancelled after 5 pages; 3 more land afterwards",
        ),
    ]
    extracts = [
        (ExtractScenario(duration=10), "extract: completes after 10 s"),
        (ExtractScenario(duration=5, outcome="failed"), "extract: fails after 5 s"),
    ]
    # Read with --api v2 (or crawl_api="v2"); `firecrawl-status errors ID` lists the failures.
    paged = [
        (
            V2Scenario(
                pages=40,
                pages_per_second=2,
                failing_pages={9},
                robots_blocked=("https://example.com/private",),
                next_origin="https://localhost:3002",
            ),
            "v2 crawl (--api v2): 40 pages over 20 s, one fails, `next` names an internal host",
        ),
        (
            V2Scenario(kind="batch", pages=12, pages_per_second=1, skip="ignored"),
            "v2 batch scrape (`batch ID`): 12 pages over 12 s, the server ignores `skip`",
        ),
    ]

    def new_id() -> str | None:
        return str(uuid.uuid4()) if fresh_ids else None

    jobs = [
        ("/v0/crawl/status/", simulator.add_crawl(s, job_id=new_id()), what) for s, what in crawls
    ]
    jobs += [
        ("/v1/extract/", simulator.add_extract(s, job_id=new_id()), what) for s, what in extracts
    ]
    for scenario, what in paged:
        path = "/v2/crawl/" if scenario.kind == "crawl" else "/v2/batch/scrape/"
        jobs.append((path, simulator.add_job(scenario, job_id=new_id()), what))
    return jobs


def serve_forever(
    port: int,
    *,
    host: str = "127.0.0.1",
    demo_jobs: bool = True,
    speed: float = 1.0,
    api_key: str | None = None,
    stop: threading.Event | None = None,
) -> None:
    """Serve a real-time simulator, print its URL and demo jobs, and block until Ctrl-C.

    Args:
        port: TCP port (0 picks a free one).
        host: Interface to bind; keep the loopback default unless you mean to expose it.
        demo_jobs: Preload the jobs of `add_demo_jobs`, with ids new at each start.
        speed: Simulated seconds per real second.
        api_key: Require this bearer key (None: no auth, like a self-hosted server).
        stop: Also return once this event is set (for embedding and tests).
    """
    simulator = Simulator(speed=speed, api_key=api_key)
    jobs = add_demo_jobs(simulator, fresh_ids=True) if demo_jobs else []
    with simulator.serve(host, port) as server:
        print(f"Firecrawl simulator on {server.base_url} (Ctrl-C to stop)", flush=True)
        for path, job_id, what in jobs:
            print(f"  {server.base_url}{path}{job_id}  {what}", flush=True)
        with contextlib.suppress(KeyboardInterrupt):
            (stop or threading.Event()).wait()
