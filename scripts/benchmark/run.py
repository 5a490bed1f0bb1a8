"""Benchmarks: every contender against the simulator over loopback, one run, one report.

Usage: ``scripts/bench`` (full, a few minutes on 2 cores) or ``scripts/bench --smoke`` (tiny
sizes, seconds, no throwaway venvs unless ``--with-venvs``); ``--only PART`` (repeatable) runs
some parts, e.g. ``--only huge`` the 1 GiB answer alone. Writes ``BENCHMARKS.md``, the chart
``docs/benchmarks.png`` and the raw figures ``bench-out/results.json``; a full run also rewrites
the README's performance summary (between its markers) from the same figures.

Contenders: this facade with its default policies; a naive 2 s loop over the generated client;
the official SDK, firecrawl-py 0.0.20 (v0 crawl) and 1.17.0 (v1 extract), each installed into
a throwaway venv under ``bench-out/venvs`` and run as a subprocess. Each run starts one fresh
simulator, served on 127.0.0.1, and one contender process; the server-side figures (requests,
bytes, page availability) come from the simulator, the client-side ones (when each document
reached the caller, CPU, RSS) from the contender. The parse figure also times the facade of
`BASELINE` (main before issue 16), extracted from git, in processes of its own.
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import importlib.metadata
import json
import os
import platform
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import attrs

from firecrawl_status import PollPolicy
from firecrawl_status.testing import CrawlScenario, ExtractScenario, Simulator
from scripts import ROOT
from scripts.benchmark.host import (
    Contender,
    Host,
    contender_command,
    run_contender,
    run_driver,
)
from scripts.benchmark.metrics import crawl_figures, extract_figures, rss_figures
from scripts.benchmark.parse import BASELINE, baseline_tree, completed_answer, completed_body
from scripts.benchmark.report import render, summary, with_summary
from scripts.benchmark.v2 import V2_SMOKE, V2Sizes, render_v2, v2_runs
from scripts.benchmark.venvs import Venv, ensure_venv

PARTS = ("crawl", "rss", "extract", "detect", "parse", "huge", "v2")
WINDOW = 50
BENCHMARKS_URL = "https://github.com/firecrawl-status/firecrawl-status/blob/main/BENCHMARKS.md"
"""How the README links BENCHMARKS.md (absolute: the README is also the package's page)."""
EXTRACT_TTL = 6 * 3600.0


@dataclass(frozen=True)
class Sizes:
    """How big each benchmark is, and how much each is time-compressed."""

    crawl_pages: int = 2000
    crawl_rate: float = 100.0
    crawl_speed: float = 2.0
    rss_pages: int = 10_000
    rss_rate: float = 1000.0
    rss_speed: float = 2.0  # peak RSS depends on answer sizes, not on timing
    extract_jobs: int = 1000
    extract_min: float = 10.0
    extract_max: float = 30.0
    extract_speed: float = 1.0
    detect_jobs: int = 56
    detect_min: float = 5.0
    detect_max: float = 60.0
    detect_speed: float = 1.0
    parse_pages: int = 10_000
    parse_repeat: int = 9
    parse_rounds: int = 3
    huge_bytes: int = 1 << 30
    huge_pages: int = 10_000
    huge_peer_bytes: int = 256 << 20
    """The peers' answer when the full one would not fit in memory (their figures scaled up)."""


SMOKE = Sizes(
    crawl_pages=60,
    crawl_speed=20.0,
    rss_pages=150,
    rss_speed=20.0,
    extract_jobs=8,
    extract_min=1.0,
    extract_max=3.0,
    extract_speed=20.0,
    detect_jobs=6,
    detect_min=5.0,
    detect_max=10.0,
    detect_speed=10.0,
    parse_pages=200,
    parse_repeat=1,
    parse_rounds=1,
    huge_bytes=1 << 20,
    huge_pages=30,
    huge_peer_bytes=256 << 10,
)


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="scripts/bench", description=__doc__.split("\n\n")[0])
    parser.add_argument("--smoke", action="store_true", help="tiny sizes; seconds, not minutes")
    parser.add_argument(
        "--with-venvs",
        action="store_true",
        help="with --smoke: still install and run the firecrawl-py contenders and the chart",
    )
    parser.add_argument("--report", type=Path, default=ROOT / "BENCHMARKS.md")
    parser.add_argument(
        "--readme",
        type=Path,
        default=ROOT / "README.md",
        help="whose performance summary a full run (no --smoke, no --only) rewrites",
    )
    parser.add_argument("--chart", type=Path, default=ROOT / "docs" / "benchmarks.png")
    parser.add_argument("--work", type=Path, default=ROOT / "bench-out", help="scratch folder")
    parser.add_argument("--speed", type=float, help="override every time-compression factor")
    parser.add_argument(
        "--only",
        action="append",
        choices=PARTS,
        help="run only these parts (repeatable); the report marks the rest as not run",
    )
    return parser.parse_args(argv)


def machine() -> dict[str, Any]:
    """What the numbers were measured on."""
    cpu = platform.processor() or platform.machine()
    memory = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                memory = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
                break
    except OSError:
        pass
    commit = subprocess.run(
        ["git", "-C", str(ROOT), "describe", "--always", "--dirty"],
        capture_output=True,
        text=True,
        check=False,
    ).stdout.strip()
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory": memory,
        "os": platform.platform(),
        "python": platform.python_version(),
        "httpx": importlib.metadata.version("httpx"),
        "commit": commit or "unknown",
        "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
    }


def contenders(venvs: dict[str, Venv]) -> dict[str, Contender]:
    python = Path(sys.executable)
    sdk0, sdk1 = venvs["sdk-v0"], venvs["sdk-v1"]
    return {
        "facade": Contender("facade", "facade (defaults)", python, "facade_driver"),
        "naive": Contender("naive", "generated client, 2 s loop", python, "naive_driver"),
        "sdk-v0": Contender(
            "sdk-v0", "firecrawl-py 0.0.20", sdk0.python, "sdk_v0_crawl", sdk0.reason
        ),
        "sdk-v1": Contender(
            "sdk-v1", "firecrawl-py 1.17.0", sdk1.python, "sdk_v1_extract", sdk1.reason
        ),
        "facade-v2": Contender("facade-v2", "facade, crawl_api=v2", python, "facade_v2_driver"),
        "naive-v2": Contender(
            "naive-v2", "generated client, 2 s loop over every page", python, "naive_v2_driver"
        ),
        "sdk-v4": Contender(
            "sdk-v4",
            f"firecrawl-py {venvs['sdk-v4'].packages.get('firecrawl-py', '4.x')}",
            venvs["sdk-v4"].python,
            "sdk_v4_crawl",
            venvs["sdk-v4"].reason,
        ),
    }


def skipped(reason: str) -> dict[str, Any]:
    return {"skipped": reason}


def not_selected(part: str, everyone: dict[str, Contender]) -> Any:
    """What a part left out by ``--only`` leaves in the results, in the part's own shape."""
    not_run = skipped("not selected (--only)")
    if part in ("parse", "v2"):
        return not_run
    by_contender = dict.fromkeys(everyone, not_run)
    return {"growing": by_contender, "window": by_contender} if part == "crawl" else by_contender


def add_crawl(simulator: Simulator, scenario: CrawlScenario) -> list[str]:
    return [simulator.add_crawl(scenario)]


def add_extracts(
    simulator: Simulator,
    durations: list[float],
    added: dict[str, float],
    by_job: dict[str, float],
) -> list[str]:
    """Start one extract job per duration; note when each was added and how long it runs."""
    # A TTL `speed` times 6 h keeps expiresAt 6 real hours ahead, as on the server.
    ttl = EXTRACT_TTL * max(1.0, simulator.speed)
    for duration in durations:
        at = simulator.now()
        job_id = simulator.add_extract(ExtractScenario(duration=duration, ttl=ttl))
        added[job_id], by_job[job_id] = at, duration
    return list(added)


def crawl_runs(
    sizes: Sizes, behaviour: str, crawlers: list[Contender], work: Path
) -> dict[str, Any]:
    """Figures 1-6 for one server behaviour: one fresh simulator and one process per contender."""
    results: dict[str, Any] = {}
    scenario = CrawlScenario(
        pages=sizes.crawl_pages,
        pages_per_second=sizes.crawl_rate,
        behaviour="window" if behaviour == "window" else "growing",
        window=WINDOW,
    )
    timeout = 60 + 10 * scenario.pages / scenario.pages_per_second / sizes.crawl_speed
    for contender in crawlers:
        if contender.python is None:
            results[contender.key] = skipped(contender.reason or "not available")
            continue
        print(f"bench: {behaviour} crawl, {contender.label}", file=sys.stderr)
        with Host(sizes.crawl_speed) as host:
            simulator = host.simulator
            run = run_contender(
                host,
                contender,
                {"mode": "crawl", "tag": behaviour},
                functools.partial(add_crawl, simulator, scenario),
                work=work,
                timeout=timeout,
            )
            if run.error is not None:
                results[contender.key] = skipped(run.error)
                continue
            job_id = run.job_ids[0]
            path = f"/v0/crawl/status/{job_id}"
            final_bytes = len(simulator.handle("GET", path, {}).body)
            results[contender.key] = crawl_figures(
                run.record,
                simulator.job_pages_available_at(job_id),
                run.requests,
                run.bytes_sent,
                final_bytes,
                host.sim_seconds,
                window=WINDOW if behaviour == "window" else None,
            )
    return results


def rss_runs(sizes: Sizes, crawlers: list[Contender], work: Path) -> dict[str, Any]:
    """Figure 7: each contender streams a large growing-list crawl to JSON Lines."""
    results: dict[str, Any] = {}
    scenario = CrawlScenario(pages=sizes.rss_pages, pages_per_second=sizes.rss_rate)
    timeout = 120 + 10 * scenario.pages / scenario.pages_per_second / sizes.rss_speed
    for contender in crawlers:
        if contender.python is None:
            results[contender.key] = skipped(contender.reason or "not available")
            continue
        print(f"bench: {sizes.rss_pages}-page stream to JSONL, {contender.label}", file=sys.stderr)
        jsonl = work / f"stream-{contender.key}.jsonl"
        with Host(sizes.rss_speed) as host:
            simulator = host.simulator
            run = run_contender(
                host,
                contender,
                {"mode": "crawl", "tag": "rss", "jsonl": str(jsonl)},
                functools.partial(add_crawl, simulator, scenario),
                work=work,
                timeout=timeout,
            )
            if run.error is not None:
                results[contender.key] = skipped(run.error)
                continue
            path = f"/v0/crawl/status/{run.job_ids[0]}"
            largest = len(simulator.handle("GET", path, {}).body)
        with jsonl.open("rb") as handle:
            lines = sum(1 for _ in handle)
        jsonl.unlink()
        results[contender.key] = rss_figures(run.record, largest, lines)
    return results


def extract_runs(
    sizes: Sizes, waiters: list[Contender], work: Path, *, detect: bool = False
) -> dict[str, Any]:
    """Figure 8: many extract jobs of spread durations, all waited on at once; with ``detect``,
    figure 9: fewer jobs of 5-60 s, for how soon each end is noticed.

    Either way the simulator keeps a running job's body unchanged between the worker's writes,
    so a client that revalidates gets 304 for most reads, as on the real server.
    """
    results: dict[str, Any] = {}
    if detect:
        count, low, high, speed = (
            sizes.detect_jobs,
            sizes.detect_min,
            sizes.detect_max,
            sizes.detect_speed,
        )
    else:
        count, low, high = sizes.extract_jobs, sizes.extract_min, sizes.extract_max
        speed = sizes.extract_speed
    spread = high - low
    if detect:
        # Spread by the golden ratio, not evenly: whole-second lengths would all end in step
        # with a 2 s loop and flatter (or punish) every fixed period alike.
        durations = [low + spread * ((i * 0.6180339887) % 1.0) for i in range(count)]
    else:
        durations = [low + spread * i / max(1, count - 1) for i in range(count)]
    timeout = 120 + 10 * high / speed
    for contender in waiters:
        if contender.python is None:
            results[contender.key] = skipped(contender.reason or "not available")
            continue
        what = "to time their ends" if detect else "at once"
        print(f"bench: {count} extract jobs {what}, {contender.label}", file=sys.stderr)
        with Host(speed) as host:
            simulator = host.simulator
            added: dict[str, float] = {}
            by_job: dict[str, float] = {}
            make_jobs = functools.partial(add_extracts, simulator, durations, added, by_job)
            run = run_contender(
                host,
                contender,
                {"mode": "extract", "tag": "detect" if detect else "jobs"},
                make_jobs,
                work=work,
                timeout=timeout,
            )
            if run.error is not None:
                results[contender.key] = skipped(run.error)
                continue
            interval = PollPolicy().steady_interval if contender.key == "facade" else 2.0
            results[contender.key] = extract_figures(
                run.record, added, by_job, run.requests, host.sim_seconds, interval=interval
            )
    return results


def parse_run(sizes: Sizes, sdk: Contender, work: Path) -> dict[str, Any]:
    """Figure 6b: parse cost of one completed answer.

    Every path with this checkout's package, and the facade with `BASELINE`'s, each in a
    process of its own, alternated over ``parse_rounds`` (the best of all runs counts, so
    another load on the machine hits both alike); plus the SDK's in its venv.
    """
    print(f"bench: parse cost of a {sizes.parse_pages}-document answer", file=sys.stderr)
    job_id, body = completed_body(sizes.parse_pages)
    body_file = work / "completed-body.json"
    body_file.write_bytes(body)
    spec = {"mode": "parse", "body": str(body_file), "repeat": sizes.parse_repeat}
    try:
        result = _parse_processes(sizes.parse_rounds, spec | {"job_id": job_id}, work)
        if sdk.python is None:
            result["sdk"] = skipped(sdk.reason or "not available")
        elif "skipped" not in result:
            try:
                record = run_driver(sdk.python, sdk.driver, spec, work)
                result["sdk"] = {"seconds": min(record["extra"]["parse_seconds"])}
            except RuntimeError as exc:
                result["sdk"] = skipped(str(exc))
        return result
    finally:
        body_file.unlink()


def _parse_processes(rounds: int, spec: dict[str, Any], work: Path) -> dict[str, Any]:
    python = Path(sys.executable)
    commit, stored = BASELINE
    try:
        tree: Path | None = baseline_tree(commit, work)
        baseline: dict[str, Any] = {"commit": commit}
    except RuntimeError as exc:
        tree, baseline = None, {"commit": commit, "stored": stored, "reason": str(exc)}
    now: list[dict[str, Any]] = []
    before: list[float] = []
    try:
        for _ in range(rounds):
            now.append(run_driver(python, "parse_driver", spec, work)["extra"])
            if tree is not None:
                old = run_driver(python, "parse_driver", spec, work, path=tree)["extra"]
                if not old["package"].startswith(str(tree)):
                    raise RuntimeError(f"{commit}'s package was not imported: {old['package']}")
                before.append(old["seconds"]["facade"])
    except RuntimeError as exc:
        return skipped(str(exc))
    return {
        "documents": now[0]["documents"],
        "body_bytes": now[0]["body_bytes"],
        "seconds": {key: min(run["seconds"][key] for run in now) for key in now[0]["seconds"]},
        "baseline": baseline | ({"seconds": min(before)} if before else {}),
    }


HUGE_RATE = 1e6
"""Pages per second of the huge crawl: it has ended before the contender's first read."""
PEER_MEMORY = 5
"""A peer holds an answer's bytes, its text and its decoded tree at once: 3x a 1 GiB answer
measured (5-7x for figure 7's small documents), so it runs on the full answer only with this
many times it available, plus 1 GiB."""
GIB = 1 << 30


def answer_bytes(scenario: CrawlScenario) -> int:
    """The size of the crawl's completed answer (its ``Content-Length``)."""
    return int(completed_answer(scenario, "HEAD")[1].headers["Content-Length"])


def huge_scenario(pages: int, size_wanted: int) -> CrawlScenario:
    """A streamed crawl of ``pages`` documents whose completed answer is about ``size_wanted``."""

    def size(markdown: int) -> int:
        scenario = CrawlScenario(
            pages=pages, pages_per_second=HUGE_RATE, markdown_bytes=markdown, streamed=True
        )
        return answer_bytes(scenario)

    # An answer grows linearly with the markdown (sent three times: markdown, content, html).
    empty = size(0)
    per_byte = (size(1000) - empty) / 1000
    markdown = max(0, round((size_wanted - empty) / per_byte))
    return CrawlScenario(
        pages=pages, pages_per_second=HUGE_RATE, markdown_bytes=markdown, streamed=True
    )


def memory_available() -> int | None:
    """``MemAvailable`` of /proc/meminfo in bytes; None where there is none."""
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemAvailable:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return None


def add_completed_crawl(simulator: Simulator, scenario: CrawlScenario) -> list[str]:
    """Start the crawl and wait (real time) until it has ended, so the first read gets it all."""
    job_id = simulator.add_crawl(scenario)
    time.sleep(scenario.enqueued / scenario.pages_per_second / simulator.speed + 0.05)
    return [job_id]


def huge_runs(sizes: Sizes, crawlers: list[Contender], work: Path) -> dict[str, Any]:
    """Figure 10: a completed crawl's ~1 GiB final answer streamed to JSON Lines.

    The facade streams it through the CLI; the peers read it whole. Each runs in its own
    process with its address space capped below the memory available. When the full answer
    would not fit a peer (`PEER_MEMORY`), the peers read a ``huge_peer_bytes`` answer of as
    many documents instead, and their growth is scaled to the full answer, marked so.
    """
    full = huge_scenario(sizes.huge_pages, sizes.huge_bytes)
    full_bytes = answer_bytes(full)
    available = memory_available()
    fits = available is None or available >= PEER_MEMORY * full_bytes + GIB
    peer = full if fits else huge_scenario(sizes.huge_pages, sizes.huge_peer_bytes)
    peer_bytes = full_bytes if fits else answer_bytes(peer)
    limit = (available or 16 * GIB) - GIB
    results: dict[str, Any] = {
        "answer": {
            "bytes": full_bytes,
            "documents": full.pages,
            "peer_bytes": peer_bytes,
            "memory_available": available,
            "memory_limit": limit,
        }
    }
    for contender in crawlers:
        if contender.python is None:
            results[contender.key] = skipped(contender.reason or "not available")
            continue
        facade = contender.key == "facade"
        scenario, answer = (full, full_bytes) if facade else (peer, peer_bytes)
        print(
            f"bench: {answer / 2**20:,.0f} MiB final answer to JSONL, {contender.label}",
            file=sys.stderr,
        )
        jsonl = work / f"huge-{contender.key}.jsonl"
        spec = {
            "mode": "cli" if facade else "crawl",
            "tag": "huge",
            "jsonl": str(jsonl),
            "max_body_bytes": 2 * answer,
            "memory_limit": limit,
        }
        with Host(1.0) as host:
            run = run_contender(
                host,
                contender,
                spec,
                functools.partial(add_completed_crawl, host.simulator, scenario),
                work=work,
                timeout=120 + answer / (4 << 20),
            )
        lines = 0
        if jsonl.exists():
            with jsonl.open("rb") as handle:
                lines = sum(1 for _ in handle)
            jsonl.unlink()
        if run.error is not None:
            results[contender.key] = skipped(run.error)
            continue
        figures = rss_figures(run.record, answer, lines)
        figures |= {
            "documents": scenario.pages,
            "wall_seconds": run.wall_seconds,
            "cpu_seconds": run.record["cpu_seconds"],
            "scaled": answer != full_bytes,
        }
        if answer != full_bytes:
            growth = figures["peak_rss"] - figures["baseline_rss"]
            figures["peak_rss"] = figures["baseline_rss"] + growth * full_bytes / answer
            figures["peak_ratio"] = figures["peak_rss"] / full_bytes
        results[contender.key] = figures
    return results


def largest_document(pages: int) -> int:
    """Bytes of the largest document in figure 7's largest answer: the floor's unit."""
    _, body = completed_body(pages)
    documents = json.loads(body)["data"]
    return max(
        len(json.dumps(d, ensure_ascii=False, separators=(",", ":")).encode()) for d in documents
    )


def floor_run(pages: int, work: Path) -> dict[str, Any]:
    """Figure 7's reference: RSS growth of one answer's bytes plus its ``json.loads``."""
    _, body = completed_body(pages)
    body_file = work / "floor-body.json"
    body_file.write_bytes(body)
    try:
        spec = {"mode": "floor", "body": str(body_file)}
        record = run_driver(Path(sys.executable), "floor_driver", spec, work)
    except RuntimeError as exc:
        return skipped(str(exc))
    finally:
        body_file.unlink()
    return rss_figures(record, len(body), record["extra"]["documents"])


def chart(results: dict[str, Any], venv: Venv, target: Path, work: Path) -> str | None:
    """Draw the chart in the throwaway matplotlib venv; return why not, or None."""
    if venv.python is None:
        return venv.reason
    data = work / "results.json"
    target.parent.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(
        contender_command(venv.python, "chart", str(data), str(target)),
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        return f"chart.py exited {done.returncode}: {done.stderr.strip()[-300:]}"
    return None


def main(argv: list[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    sizes = SMOKE if args.smoke else Sizes()
    if args.speed is not None:
        speeds = ("crawl_speed", "rss_speed", "extract_speed", "detect_speed")
        sizes = Sizes(**(asdict(sizes) | dict.fromkeys(speeds, args.speed)))
    work: Path = args.work.resolve()
    work.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    install = not args.smoke or args.with_venvs
    venvs: dict[str, Venv] = {}
    for name in ("sdk-v0", "sdk-v1", "sdk-v4", "chart"):
        if install:
            venvs[name] = ensure_venv(work / "venvs", name, work / "logs" / f"venv-{name}.log")
        else:
            venvs[name] = Venv(name, None, "not installed in --smoke (add --with-venvs)", {})
    everyone = contenders(venvs)
    crawlers = [everyone["facade"], everyone["naive"], everyone["sdk-v0"]]
    waiters = [everyone["facade"], everyone["naive"], everyone["sdk-v1"]]
    results: dict[str, Any] = {
        "command": os.environ.get("BENCH_COMMAND") or " ".join(["python", *sys.argv]),
        "smoke": args.smoke,
        "machine": machine(),
        "sizes": asdict(sizes),
        "contenders": {key: {"label": c.label, "reason": c.reason} for key, c in everyone.items()},
        "sdk_packages": {name: venv.packages for name, venv in venvs.items() if venv.packages},
        "policy": attrs.asdict(PollPolicy()),
    }
    parts = set(args.only or PARTS)
    v2_contenders = [everyone["facade-v2"], everyone["naive-v2"], everyone["sdk-v4"]]
    v2_sizes = V2_SMOKE if args.smoke else V2Sizes()
    runs: dict[str, Callable[[], Any]] = {
        "crawl": lambda: {
            behaviour: crawl_runs(sizes, behaviour, crawlers, work)
            for behaviour in ("growing", "window")
        },
        "rss": lambda: (
            rss_runs(sizes, crawlers, work)
            | {
                "floor": floor_run(sizes.rss_pages, work),
                "largest_document": largest_document(sizes.rss_pages),
            }
        ),
        "extract": lambda: extract_runs(sizes, waiters, work),
        "detect": lambda: extract_runs(sizes, waiters, work, detect=True),
        "parse": lambda: parse_run(sizes, everyone["sdk-v0"], work),
        "huge": lambda: huge_runs(sizes, crawlers, work),
        "v2": lambda: v2_runs(v2_sizes, v2_contenders, work),
    }
    results["part_seconds"] = {}
    for part, measure in runs.items():
        if part not in parts:
            results[part] = not_selected(part, everyone)
            continue
        began = time.monotonic()
        results[part] = measure()
        results["part_seconds"][part] = time.monotonic() - began
    results["elapsed_seconds"] = time.monotonic() - started
    (work / "results.json").write_text(json.dumps(results, indent=1, default=str))
    chart_reason = chart(results, venvs["chart"], args.chart, work)
    results["chart"] = {"path": str(args.chart), "reason": chart_reason}
    results["elapsed_seconds"] = time.monotonic() - started
    (work / "results.json").write_text(json.dumps(results, indent=1, default=str))
    args.report.parent.mkdir(parents=True, exist_ok=True)
    labels = {key: contender.label for key, contender in everyone.items()}
    report = render(results, report=args.report, chart=args.chart)
    args.report.write_text(report + "\n" + render_v2(results["v2"], labels) + "\n")
    print(f"bench: wrote {args.report} in {results['elapsed_seconds']:.0f}s", file=sys.stderr)
    if not args.smoke and not args.only:
        write_summary(results, args.readme, args.report)
    return 0


def write_summary(results: dict[str, Any], readme: Path, report: Path) -> None:
    """Rewrite the README's performance summary from this full run's figures."""
    link = (
        BENCHMARKS_URL
        if report == ROOT / "BENCHMARKS.md"
        else os.path.relpath(report, readme.parent)
    )
    updated = with_summary(readme.read_text(), summary(results, link))
    if updated is None:
        print(f"bench: {readme} has no summary markers; not updated", file=sys.stderr)
        return
    readme.write_text(updated)
    print(f"bench: updated the performance summary in {readme}", file=sys.stderr)
