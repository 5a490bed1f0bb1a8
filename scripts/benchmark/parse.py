"""Figure 6b: what one completed crawl answer costs to parse, off the network.

Every path gets the same bytes from the same in-memory `httpx.MockTransport`, so transport costs
are equal and the differences are parsing: ``json.loads`` alone, httpx then ``.json()``, the
generated client (``get_crawl_status.sync_detailed``: JSON, then ``from_dict``), and the facade
(``StatusClient.wait_for_crawl`` on the completed job: JSON, ``from_dict``, snapshot, exactly-once
merge, the result list). Two rows of a streamed read come with this checkout's package, read
as a poll of a running crawl is (a document at a time, each hashed; the facade reads a
completed answer read first in runs, without hashes): the body scanned, and each document
also run through ``from_dict``, without the bookkeeping of a stream. Best of ``repeat`` runs,
after a garbage collection each.

`parse_costs` runs in a process of its own (``contenders/parse_driver.py``), once with this
checkout's package and once with `BASELINE`'s, extracted by `baseline_tree`: it must keep to
what both have (``StatusClient(base_url=..., http_client=...).wait_for_crawl``).
"""

from __future__ import annotations

import gc
import io
import json
import shutil
import subprocess
import tarfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx

from firecrawl_status import StatusClient
from firecrawl_status._generated import Client
from firecrawl_status._generated.api.crawl import get_crawl_status
from firecrawl_status._generated.models import CrawlDocument, CrawlStatusResponse
from firecrawl_status.testing import CrawlScenario, FakeClock, SimResponse, Simulator
from scripts import ROOT

__all__ = ["BASELINE", "baseline_tree", "completed_answer", "completed_body", "parse_costs"]

BASE = "http://bench.invalid"
BASELINE = ("f063ae5", 0.1171)
"""main before issue 16 streamed the answers, and its stored ``wait_for_crawl`` time (seconds,
BENCHMARKS.md at that commit), used only when the commit cannot be extracted."""


def baseline_tree(commit: str, work: Path) -> Path:
    """``facade/`` of ``commit`` (with its ``generated/``), extracted once under ``work``.

    Raises:
        RuntimeError: git could not produce it (e.g. a shallow clone without the commit).
    """
    target = work / f"baseline-{commit}"
    stamp = target / ".extracted"
    if not stamp.exists():
        shutil.rmtree(target, ignore_errors=True)
        done = subprocess.run(
            ["git", "-C", str(ROOT), "archive", "--format=tar", commit, "facade", "generated"],
            capture_output=True,
            check=False,
        )
        if done.returncode != 0:
            raise RuntimeError(f"git archive {commit}: {done.stderr.decode().strip()[-200:]}")
        with tarfile.open(fileobj=io.BytesIO(done.stdout)) as archive:
            archive.extractall(target, filter="data")
        stamp.write_text(commit)
    return target / "facade"


def completed_answer(scenario: CrawlScenario, method: str = "GET") -> tuple[str, SimResponse]:
    """The answer of a growing-list crawl once completed: (job id, answer)."""
    clock = FakeClock()
    simulator = Simulator(clock)
    job_id = simulator.add_crawl(scenario)
    clock.advance(scenario.enqueued / scenario.pages_per_second + 1.0)
    answer = simulator.handle(method, f"/v0/crawl/status/{job_id}", {})
    assert answer.status == 200
    return job_id, answer


def completed_body(pages: int) -> tuple[str, bytes]:
    """A completed growing-list crawl of ``pages`` documents: (job id, answer body)."""
    job_id, answer = completed_answer(CrawlScenario(pages=pages, pages_per_second=1000.0))
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


def _streamed(body: bytes, check: bool) -> Callable[[], object] | None:
    """A poll's streamed read: ``body`` fed to the scanner a piece at a time, each document
    hashed and kept (and, with ``check``, run through the generated ``from_dict``), with none
    of a stream's bookkeeping. None for a package without the scanner (before issue 16)."""
    try:
        from firecrawl_status._scan import BodyScanner, Element
    except ImportError:
        return None
    piece = 64 * 1024
    check_one = CrawlDocument.from_dict

    def run() -> list[Any]:
        scanner, kept = BodyScanner(), []
        for start in range(0, len(body), piece):
            for event in scanner.feed(body[start : start + piece]):
                if type(event) is Element:
                    if check:
                        check_one(event.value)
                    kept.append(event.value)
        scanner.close()
        return kept

    return run


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
    for name, check in (("scanned", False), ("scanned_checked", True)):
        floor = _streamed(body, check)
        if floor is not None:
            costs[name] = _best(floor, repeat)
    documents = len(json.loads(body)["data"])
    return {"documents": documents, "body_bytes": len(body), "seconds": costs}
