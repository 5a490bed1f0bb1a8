"""The v2 crawl benchmark (issue 15): this client, a plain loop over the generated client and
firecrawl-py 4.x on one large v2 crawl, then on every server behaviour of docs/server-facts.md (v2).

Figures per contender, from the simulator (requests, bytes) and the contender's own record
(when each document reached the caller, CPU, peak RSS):

* bytes downloaded / the bytes of every document (compact JSON): 1.0 is the floor;
* peak RSS growth against the largest page and the whole crawl, and (this client only) how it
  changes with the crawl's size: two crawls, ten times apart, at the same rate;
* delivery latency (a page's finish to its arrival at the caller), p50 and p95;
* completion noticed: the job's end to the call's return;
* lost and duplicated documents; requests; CPU per document.
"""

from __future__ import annotations

import functools
import json
import statistics
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from firecrawl_status import PollPolicy
from firecrawl_status.testing import Simulator, V2Scenario
from scripts.benchmark.contenders.protocol import key_digest
from scripts.benchmark.host import Contender, Host, run_contender

__all__ = ["BEHAVIOURS", "V2Sizes", "render_v2", "v2_runs"]

BEHAVIOURS: dict[str, dict[str, Any]] = {
    "skip honoured": {},
    "skip ignored (mid-2025 self-host)": {"skip": "ignored"},
    "next forever after cancel": {"end": "cancelled", "next_on_terminal": True},
    "foreign host in next": {"next_origin": "https://localhost:3002"},
    "missing result + duplicate": {"missing_results": {7}, "duplicates": {11}},
}
"""Server behaviours (V2Scenario fields) each contender meets; the first is the large run."""


@dataclass(frozen=True)
class V2Sizes:
    """The large crawl and the smaller per-behaviour crawls."""

    pages: int = 3000
    rate: float = 100.0
    markdown_bytes: int = 2000
    behaviour_pages: int = 400
    speed: float = 2.0
    growth_pages: tuple[int, int] = (1000, 10000)
    growth_rate: float = 200.0


V2_SMOKE = V2Sizes(pages=120, behaviour_pages=60, speed=20.0, growth_pages=(60, 600))


def _add(simulator: Simulator, scenario: V2Scenario, added: dict[str, float]) -> list[str]:
    at = simulator.now()
    job_id = simulator.add_job(scenario)
    added[job_id] = at
    return [job_id]


def _position(url: str) -> int:
    tail = url.rstrip("/").rsplit("/", 1)[-1]
    return int(tail.removeprefix("page-")) if tail.startswith("page-") else 1


def _server_view(simulator: Simulator, job_id: str) -> tuple[set[str], int, int]:
    """The URLs the finished job holds, their total compact-JSON bytes, its largest page's."""
    urls: dict[str, int] = {}
    largest = 0
    skip = 0
    while True:
        answer = simulator.handle("GET", f"/v2/crawl/{job_id}?skip={skip}", {})
        largest = max(largest, len(answer.body))
        page = json.loads(answer.body).get("data") or []
        fresh = {
            d["metadata"]["sourceURL"]: len(json.dumps(d, separators=(",", ":")))
            for d in page
            if d["metadata"]["sourceURL"] not in urls
        }
        if not fresh:
            return set(urls), sum(urls.values()), largest
        urls |= fresh
        skip += len(page)


def _figures(
    run: Any, host: Host, scenario: V2Scenario, added: float, end: float, expected: set[str]
) -> dict[str, Any]:
    record = run.record
    # The contenders keep digests of what they received (`DigestRecorder`): named back by
    # the digests of the URLs the server holds.
    received: list[int] = record["received_digests"]
    url_of = {key_digest(url): url for url in expected}
    counts = Counter(received)
    figures: dict[str, Any] = {
        "documents": len(counts),
        "lost": len(url_of.keys() - counts.keys()),
        "duplicated": sum(n - 1 for n in counts.values()),
        "requests": len(run.requests),
        "bytes": run.bytes_sent,
        "errors": record["errors"],
        "cpu_ms_per_document": 1000 * record["cpu_seconds"] / max(1, len(received)),
        "rss_growth_kib": max(0, record["peak_rss_kib"] - record["baseline_rss_kib"]),
    }
    latencies = [
        host.sim_seconds(at)
        - (added + scenario.start_delay + _position(url_of[key]) / scenario.pages_per_second)
        for key, at in zip(received, record["received_at"], strict=True)
        if key in url_of
    ]
    if latencies:
        figures["latency_p50"] = statistics.median(latencies)
        figures["latency_p95"] = statistics.quantiles(latencies, n=20)[-1]
    if record["finished"]:
        figures["completion_noticed"] = host.sim_seconds(record["finished"][-1][1]) - (added + end)
    return figures


def _one(
    sizes: V2Sizes, contender: Contender, scenario: V2Scenario, tag: str, work: Path
) -> dict[str, Any]:
    added: dict[str, float] = {}
    timeout = 120 + 20 * scenario.pages / scenario.pages_per_second / sizes.speed
    with Host(sizes.speed) as host:
        simulator = host.simulator
        run = run_contender(
            host,
            contender,
            {"mode": "crawl", "tag": tag},
            functools.partial(_add, simulator, scenario, added),
            work=work,
            timeout=timeout,
        )
        if run.error is not None:
            return {"skipped": run.error}
        job_id = run.job_ids[0]
        expected, document_bytes, largest = _server_view(simulator, job_id)
        job = simulator.handle("GET", f"/v2/crawl/{job_id}", {})
        status = json.loads(job.body)["status"]
        # The job's end in simulator seconds: the last page's finish, or the cancel's.
        last = scenario.end_after if scenario.end != "completed" else scenario.pages
        end = scenario.start_delay + last / scenario.pages_per_second
        figures = _figures(run, host, scenario, added[job_id], end, expected)
        figures |= {
            "status": status,
            "document_bytes": document_bytes,
            "bytes_ratio": run.bytes_sent / max(1, document_bytes),
            "largest_page_kib": largest / 1024,
            "all_documents_kib": document_bytes / 1024,
        }
        return figures


def v2_runs(sizes: V2Sizes, contenders: list[Contender], work: Path) -> dict[str, Any]:
    """Every contender on the large crawl, then on each server behaviour."""
    results: dict[str, Any] = {"sizes": sizes.__dict__, "large": {}, "behaviours": {}}
    large = V2Scenario(
        pages=sizes.pages, pages_per_second=sizes.rate, markdown_bytes=sizes.markdown_bytes
    )
    for contender in contenders:
        if contender.python is None:
            results["large"][contender.key] = {"skipped": contender.reason or "not available"}
            continue
        print(f"bench: v2 crawl of {sizes.pages} pages, {contender.label}", file=sys.stderr)
        results["large"][contender.key] = _one(sizes, contender, large, "v2-large", work)
    results["growth"] = _growth(sizes, contenders[0], work)
    for name, quirks in BEHAVIOURS.items():
        scenario = V2Scenario(
            pages=sizes.behaviour_pages,
            pages_per_second=sizes.rate,
            end_after=sizes.behaviour_pages // 2 if quirks.get("end") else 0,
            **quirks,
        )
        row: dict[str, Any] = {}
        for contender in contenders:
            if contender.python is None:
                row[contender.key] = {"skipped": contender.reason or "not available"}
                continue
            print(f"bench: v2 {name}, {contender.label}", file=sys.stderr)
            tag = "v2-" + "".join(c if c.isalnum() else "-" for c in name)
            row[contender.key] = _one(sizes, contender, scenario, tag, work)
        results["behaviours"][name] = row
    return results


def _growth(sizes: V2Sizes, contender: Contender, work: Path) -> dict[str, Any]:
    """Peak RSS growth of one contender (this client) on two crawl sizes at the same rate."""
    if contender.python is None:
        return {"skipped": contender.reason or "not available"}
    runs = []
    for pages in sizes.growth_pages:
        print(f"bench: v2 RSS growth, {pages} pages, {contender.label}", file=sys.stderr)
        scenario = V2Scenario(
            pages=pages, pages_per_second=sizes.growth_rate, markdown_bytes=sizes.markdown_bytes
        )
        runs.append({"pages": pages} | _one(sizes, contender, scenario, f"v2-rss-{pages}", work))
    return {"contender": contender.key, "rate": sizes.growth_rate, "runs": runs}


def _growth_text(growth: dict[str, Any]) -> list[str]:
    """What the growth runs say, in words: KiB per page the peak grows by past the smaller."""
    runs = growth.get("runs", [])
    if len(runs) != 2 or any("skipped" in run for run in runs):
        return []
    small, large = runs
    per_page = (large["rss_growth_kib"] - small["rss_growth_kib"]) / (
        large["pages"] - small["pages"]
    )
    document_kib = large["all_documents_kib"] / max(1, large["documents"])
    return [
        "",
        f"Peak RSS growth against the crawl's size (this client, {growth['rate']:g} pages/s): "
        f"{small['pages']} pages {small['rss_growth_kib'] / 1024:.1f} MiB, {large['pages']} "
        f"pages {large['rss_growth_kib'] / 1024:.1f} MiB, {per_page:+.3f} KiB a page against "
        f"{document_kib:.1f} KiB a document and a largest page of "
        f"{large['largest_page_kib'] / 1024:.2f} MiB (lost / duplicated: {small['lost']} / "
        f"{small['duplicated']} and {large['lost']} / {large['duplicated']}). What the client "
        "keeps grows by a little over 8 bytes a delivered document, the 64-bit digests of their "
        "identities (so that a server ignoring `skip` never causes a duplicate); no document is "
        "held beyond its page. Each contender records its deliveries in 16 bytes a document too (a "
        "digest and a time), so the record weighs little on these figures.",
    ]


def _cell(figures: dict[str, Any], key: str, fmt: str) -> str:
    if "skipped" in figures:
        return "n/a"
    value = figures.get(key)
    return "n/a" if value is None else format(value, fmt)


def render_v2(results: dict[str, Any], labels: dict[str, str]) -> str:
    """The BENCHMARKS.md section of the v2 benchmark."""
    if "large" not in results:
        return "## v2 crawl (issue 15)\n\nNot run."
    sizes = results["sizes"]
    interval = PollPolicy().initial_interval
    lines = [
        "## v2 crawl (issue 15)",
        "",
        f"One v2 crawl of {sizes['pages']} pages ({sizes['markdown_bytes']} bytes of markdown "
        f"each, {sizes['rate']:g} pages/s, time-compressed x{sizes['speed']:g}) read by each "
        'contender: this client (`StatusClient(crawl_api="v2").iter_crawl`), a plain 2 s loop '
        "over the generated client following `next` from the start on every poll, and "
        "firecrawl-py 4.x (`Firecrawl.wait_crawl`, its own waiter over `get_crawl_status`). "
        f"Targets: bytes ratio <= 1.2 (1.0 is the floor), RSS growth bounded by a page, latency "
        f"p50 within one poll interval ({interval:g} s), completion noticed within 2 s, 0 lost "
        "and 0 duplicated in every server behaviour. Peak RSS growth counts from the moment each "
        "contender has built its client, before its first request.",
        "",
        "| contender | documents | bytes / document bytes | requests | peak RSS growth | "
        "latency p50 / p95 | completion noticed | lost / duplicated | CPU per document |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for key, figures in results["large"].items():
        label = labels.get(key, key)
        if "skipped" in figures:
            lines.append(f"| {label} | not run: {figures['skipped']} |||||||| ")
            continue
        lines.append(
            f"| {label} | {figures['documents']} | {_cell(figures, 'bytes_ratio', '.2f')} | "
            f"{figures['requests']} | {figures['rss_growth_kib'] / 1024:.1f} MiB (page "
            f"{figures['largest_page_kib'] / 1024:.2f} MiB, crawl "
            f"{figures['all_documents_kib'] / 1024:.1f} MiB) | "
            f"{_cell(figures, 'latency_p50', '.2f')} s / {_cell(figures, 'latency_p95', '.2f')} s"
            f" | {_cell(figures, 'completion_noticed', '.2f')} s | {figures['lost']} / "
            f"{figures['duplicated']} | {figures['cpu_ms_per_document']:.3f} ms |"
        )
    lines += _growth_text(results.get("growth", {}))
    lines += [
        "",
        f"Every v2 server behaviour (docs/server-facts.md), {sizes['behaviour_pages']} pages "
        "each: lost / "
        "duplicated documents, bytes ratio, requests (errors the call ended with, if any).",
        "",
        "| server behaviour | " + " | ".join(labels.get(k, k) for k in results["large"]) + " |",
        "|---|" + "---|" * len(results["large"]),
    ]
    for name, row in results["behaviours"].items():
        cells = []
        for figures in row.values():
            if "skipped" in figures:
                cells.append(f"not run: {figures['skipped'][:60]}")
                continue
            error = f"; ended: {figures['errors'][0][:60]}" if figures["errors"] else ""
            cells.append(
                f"{figures['lost']} / {figures['duplicated']}, x{figures['bytes_ratio']:.2f}, "
                f"{figures['requests']} req{error}"
            )
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    return "\n".join(lines)
