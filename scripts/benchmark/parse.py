"""Figure 6b: what one completed crawl answer costs to parse, in-process and off the network.

Every path gets the same bytes from the same in-memory `httpx.MockTransport`, so transport costs
are equal and the differences are parsing: ``json.loads`` alone, httpx then ``.json()``, the
generated client (``get_crawl_status.sync_detailed``: JSON, then ``from_dict``), and the facade
(``StatusClient.wait_for_crawl`` on the completed job: JSON, ``from_dict``, snapshot, exactly-once
merge, the result list). Best of ``repeat`` runs, after a garbage collection each.
"""

from __future__ import annotations

import gc
import json
import time
from collections.abc import Callable
from typing import Any

import httpx

from firecrawl_status import StatusClient
from firecrawl_status._generated import Client
from firecrawl_status._generated.api.crawl import get_crawl_status
from firecrawl_status._generated.models import CrawlStatusResponse
from firecrawl_status.testing import CrawlScenario, FakeClock, Simulator

__all__ = ["completed_body", "parse_costs"]

BASE = "http://bench.invalid"


def completed_body(pages: int) -> tuple[str, bytes]:
    """A completed growing-list crawl of ``pages`` documents: (job id, answer body)."""
    clock = FakeClock()
    simulator = Simulator(clock)
    job_id = simulator.add_crawl(CrawlScenario(pages=pages, pages_per_second=1000.0))
    clock.advance(pages / 1000.0 + 1.0)
    answer = simulator.handle("GET", f"/v0/crawl/status/{job_id}", {})
    assert answer.status == 200
    assert b'"completed"' in answer.body[:40]
    return job_id, answer.body


def _best(run: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        gc.collect()
        started = time.perf_counter()
        run()
        times.append(time.perf_counter() - started)
    return min(times)


def parse_costs(job_id: str, body: bytes, repeat: int) -> dict[str, Any]:
    """Seconds per parse of ``body`` by each path (best of ``repeat``)."""
    headers = {"content-type": "application/json; charset=utf-8", "etag": 'W/"bench"'}

    def http() -> httpx.Client:
        def answer(_: httpx.Request) -> httpx.Response:
            return httpx.Response(200, headers=headers, content=body)

        transport = httpx.MockTransport(answer)
        return httpx.Client(transport=transport, base_url=BASE)

    path = f"/v0/crawl/status/{job_id}"
    plain = http()
    generated = Client(base_url=BASE).set_httpx_client(http())
    with StatusClient(base_url=BASE, http_client=http()) as facade:
        costs = {
            "json_loads": _best(lambda: json.loads(body), repeat),
            "httpx_json": _best(lambda: plain.get(path).json(), repeat),
            "from_dict": _best(lambda: CrawlStatusResponse.from_dict(json.loads(body)), repeat),
            "generated": _best(
                lambda: get_crawl_status.sync_detailed(job_id, client=generated), repeat
            ),
            "facade": _best(lambda: facade.wait_for_crawl(job_id), repeat),
        }
    documents = len(json.loads(body)["data"])
    return {"documents": documents, "body_bytes": len(body), "seconds": costs}
