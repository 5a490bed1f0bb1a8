"""``firecrawl-status simulate``: a simulator with a few demo jobs, served until interrupted."""

from __future__ import annotations

import contextlib
import threading

from ._core import Simulator
from ._scenarios import CrawlScenario, ExtractScenario

__all__ = ["add_demo_jobs", "serve_forever"]  # re-exported by firecrawl_status.testing


def add_demo_jobs(simulator: Simulator) -> list[tuple[str, str, str]]:
    """Add one job of each interesting kind.

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
    jobs = [("/v0/crawl/status/", simulator.add_crawl(s), what) for s, what in crawls]
    jobs += [("/v1/extract/", simulator.add_extract(s), what) for s, what in extracts]
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
        demo_jobs: Preload the jobs of `add_demo_jobs`.
        speed: Simulated seconds per real second.
        api_key: Require this bearer key (None: no auth, like a self-hosted server).
        stop: Also return once this event is set (for embedding and tests).
    """
    simulator = Simulator(speed=speed, api_key=api_key)
    jobs = add_demo_jobs(simulator) if demo_jobs else []
    with simulator.serve(host, port) as server:
        print(f"Firecrawl simulator on {server.base_url} (Ctrl-C to stop)", flush=True)
        for path, job_id, what in jobs:
            print(f"  {server.base_url}{path}{job_id}  {what}", flush=True)
        with contextlib.suppress(KeyboardInterrupt):
            (stop or threading.Event()).wait()
