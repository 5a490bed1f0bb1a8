"""BENCHMARKS.md from the figures `scripts/bench` gathered: pure text, no measuring here."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

__all__ = ["TARGETS", "render", "summary", "targets", "v2_targets", "with_summary"]

CRAWLERS = ("facade", "naive", "sdk-v0")
WAITERS = ("facade", "naive", "sdk-v1")

Row = list[str]


def _num(value: Any, spec: str = ".2f", suffix: str = "") -> str:
    if value is None:
        return "n/a"
    return f"{value:{spec}}{suffix}"


def _table(header: Iterable[str], rows: Iterable[Row]) -> str:
    head = list(header)
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    lines += ["| " + " | ".join(row + [""] * (len(head) - len(row))) + " |" for row in rows]
    return "\n".join(lines)


def _label(results: dict[str, Any], key: str) -> str:
    return str(results["contenders"][key]["label"])


def _rows(
    results: dict[str, Any],
    keys: Iterable[str],
    sources: list[dict[str, Any]],
    cells: Callable[[list[dict[str, Any]]], Row],
) -> list[Row]:
    """One row per contender; a contender skipped anywhere gets its reason instead of numbers."""
    rows = []
    for key in keys:
        figures = [source.get(key, {"skipped": "not run"}) for source in sources]
        reasons = sorted({f["skipped"] for f in figures if "skipped" in f})
        if reasons:
            rows.append([_label(results, key), "not run: " + "; ".join(reasons)])
        else:
            rows.append([_label(results, key), *cells(figures)])
    return rows


# -- targets -------------------------------------------------------------------------------

PARSE_NOISE = 1.05
""""No slower" allows this ratio: best-of runs of the same code differ by a few percent."""
RSS_TARGET = 0.5
HUGE_TARGET = 100 * 1024 * 1024

TARGETS: dict[str, tuple[str, str]] = {
    "bytes": ("bytes ratio <= 3 (growing list)", "1"),
    "window": ("0 evicted unseen, 0 lost, 0 duplicated (50-window, 100 pages/s)", "5"),
    "latency": ("delivery latency p50 within one poll interval", "2"),
    "parse": ("parse overhead <= 1.3x the generated from_dict", "6"),
    "parse_before": (
        "parsing one completed {parse_pages:,}-document answer no slower than before issue 16 "
        f"(facade `wait_for_crawl`; ratio <= {PARSE_NOISE:g}, the noise between runs)",
        "6",
    ),
    "cpu": (
        "CPU per request on the growing-list crawl no higher than firecrawl-py's (which only "
        "calls `json.loads`)",
        "6",
    ),
    "rss": (
        "peak RSS growth streaming the {rss_pages:,}-document crawl to JSON Lines "
        f"<= {RSS_TARGET:g}x the largest single answer",
        "7",
    ),
    "huge": (
        "a {huge} final answer streamed to JSON Lines by the CLI: peak RSS under "
        f"{HUGE_TARGET >> 20} MiB, every document written",
        "10",
    ),
    "async": ("1,000 async extract jobs within 1.2x the ideal", "8"),
    "v2_bytes": ("v2 crawl: bytes downloaded <= 1.2x the bytes of its documents", "v2"),
    "v2_rss": ("v2 crawl: peak RSS growth bounded by one page, not by the crawl", "v2"),
    "v2_latency": ("v2 crawl: delivery latency p50 within one poll interval", "v2"),
    "v2_completion": ("v2 crawl: completion noticed within 2 s", "v2"),
    "v2_once": ("v2 crawl: 0 lost, 0 duplicated in every server behaviour", "v2"),
    "detect": (
        "completion of 304-answering jobs of 5-60 s: median lag <= 1 s, max <= 2 s, requests "
        "<= a fixed 2 s loop",
        "9",
    ),
}
"""Target id: (what is promised, with the run's sizes filled in; the figure that measures it)."""

MIB = 1024 * 1024

Target = tuple[str, str, str, bool | None]


def _facade(results: dict[str, Any], *path: str) -> dict[str, Any] | None:
    node: Any = results
    for step in path:
        node = node.get(step) if isinstance(node, dict) else None
    return node if isinstance(node, dict) and "skipped" not in node else None


def _target(results: dict[str, Any], key: str) -> str:
    sizes = results["sizes"]
    return TARGETS[key][0].format(**sizes, huge=_size(sizes.get("huge_bytes", 0)))


def _size(value: float) -> str:
    return f"{value / 1024**3:.3g} GiB" if value >= 1000 * MIB else f"{value / MIB:.3g} MiB"


def _parse_before(results: dict[str, Any]) -> tuple[str, bool | None]:
    parse = results["parse"]
    if "skipped" in parse:
        return "n/a", None
    now = parse["seconds"]["facade"]
    baseline = parse.get("baseline", {})
    commit = baseline.get("commit", "?")
    if "seconds" in baseline:
        before, how = baseline["seconds"], f"at {commit}, measured in this run"
    else:
        before = baseline["stored"]
        how = f"stored for {commit}, not re-measured: {baseline.get('reason', 'unknown')}"
    ratio = now / before
    text = f"{now * 1000:.1f} ms against {before * 1000:.1f} ms ({how}): {ratio:.2f}x"
    return text, ratio <= PARSE_NOISE


def _cpu(results: dict[str, Any]) -> tuple[str, bool | None]:
    ours = _facade(results, "crawl", "growing", "facade")
    sdk = _facade(results, "crawl", "growing", "sdk-v0")
    if not ours or not sdk or ours["cpu_per_poll_ms"] is None or sdk["cpu_per_poll_ms"] is None:
        return "n/a", None
    text = (
        f"{ours['cpu_per_poll_ms']:.1f} ms against {sdk['cpu_per_poll_ms']:.1f} ms per request "
        f"({ours['cpu_seconds'] * 1000:.0f} ms in {ours['requests']} requests against "
        f"{sdk['cpu_seconds'] * 1000:.0f} ms in {sdk['requests']})"
    )
    return text, ours["cpu_per_poll_ms"] <= sdk["cpu_per_poll_ms"]


def _rss(results: dict[str, Any]) -> tuple[str, bool | None]:
    rss = _facade(results, "rss", "facade")
    if rss is None or rss["growth_ratio"] is None:
        return "n/a", None
    growth = rss["peak_rss"] - rss["baseline_rss"]
    text = (
        f"{rss['growth_ratio']:.2f}x ({growth / MIB:.1f} MiB over the baseline of "
        f"{rss['baseline_rss'] / MIB:.0f} MiB with its client built; answer "
        f"{rss['largest_response'] / MIB:.1f} MiB)"
    )
    document = results["rss"].get("largest_document")
    if document:
        text += f"; floor: the largest document, {document / 1024:.1f} KiB, plus buffers"
    return text, rss["growth_ratio"] <= RSS_TARGET


def _huge(results: dict[str, Any]) -> tuple[str, bool | None]:
    huge = results.get("huge", {})
    ours = _facade(results, "huge", "facade")
    if ours is None:
        return "n/a", None
    text = (
        f"{_size(ours['peak_rss'])} peak ({_size(ours['peak_rss'] - ours['baseline_rss'])} "
        f"growth) for a {_size(ours['largest_response'])} answer, {ours['lines']:,} of "
        f"{ours['documents']:,} documents written"
    )
    peers = []
    for key in ("sdk-v0", "naive"):
        peer = _facade(results, "huge", key)
        if peer is not None:
            scaled = ", extrapolated from a smaller answer" if peer["scaled"] else ""
            peers.append(f"{_label(results, key)} {_size(peer['peak_rss'])}{scaled}")
    if peers:
        text += "; " + ", ".join(peers)
    met = ours["peak_rss"] < HUGE_TARGET and ours["lines"] == ours["documents"]
    return text, met and not ours["errors"] and "answer" in huge


def targets(results: dict[str, Any]) -> list[Target]:
    """(id, target, measured, met) for the facade; met is None when it could not be measured."""
    interval = results["policy"]["initial_interval"]
    out: list[Target] = []

    def add(key: str, measured: str, met: bool | None, target: str | None = None) -> None:
        out.append((key, target or _target(results, key), measured, met))

    growing = _facade(results, "crawl", "growing", "facade")
    ratio = growing["bytes_ratio"] if growing else None
    add("bytes", _num(ratio, ".2f", "x"), None if ratio is None else ratio <= 3)
    window = _facade(results, "crawl", "window", "facade")
    if window:
        bad = (window["evicted_unseen"] or 0) + window["lost"] + window["duplicated"]
        text = (
            f"{window['evicted_unseen']} evicted unseen, {window['lost']} lost, "
            f"{window['duplicated']} duplicated"
        )
        add("window", text, bad == 0)
    else:
        add("window", "n/a", None)
    measured = [f for f in (growing, window) if f and f["delivery_p50"] is not None]
    worst = max(measured, key=lambda f: f["delivery_p50"]) if measured else None
    text = "n/a"
    if worst is not None:
        text = (
            f"{worst['delivery_p50']:.2f} s (worse behaviour; its median gap between polls "
            f"{_num(worst['poll_gap_p50'], '.2f', ' s')})"
        )
    add(
        "latency",
        text,
        None if worst is None else worst["delivery_p50"] <= interval,
        f"{_target(results, 'latency')} (the default {interval:g} s)",
    )
    seconds = results["parse"].get("seconds", {})
    parse = seconds["facade"] / seconds["generated"] if seconds.get("generated") else None
    add("parse", _num(parse, ".2f", "x"), None if parse is None else parse <= 1.3)
    add("parse_before", *_parse_before(results))
    add("cpu", *_cpu(results))
    add("rss", *_rss(results))
    add("huge", *_huge(results))
    many = _facade(results, "extract", "facade")
    wall = many["wall_ratio"] if many else None
    text = _num(wall, ".2f", "x")
    if many and many["first_read_after_end"]:
        text += (
            f"; but {many['first_read_after_end']} of {many['jobs']} jobs were first read only "
            f"after they had ended (first read up to {_num(many['first_read_max'], '.1f', ' s')} "
            "after the start)"
        )
    add("async", text, None if wall is None else wall <= 1.2)
    detect = _facade(results, "detect", "facade")
    if detect and detect["detection_p50"] is not None:
        sdk = _facade(results, "detect", "sdk-v1")
        loop = sdk["requests_per_job"] if sdk else detect["loop_requests_per_job"]
        text = (
            f"median {detect['detection_p50']:.2f} s, max {detect['detection_max']:.2f} s, "
            f"{detect['requests_per_job']:.1f} requests per job (a 2 s loop: {loop:.1f}"
            + (", firecrawl-py measured)" if sdk else ", computed)")
        )
        met = (
            detect["detection_p50"] <= 1.0
            and detect["detection_max"] <= 2.0
            and detect["requests_per_job"] <= loop
        )
        add("detect", text, met)
    else:
        add("detect", "n/a", None)
    out += v2_targets(results, interval)
    return out


def _v2_large(results: dict[str, Any], key: str) -> dict[str, Any] | None:
    """A contender's figures on the large v2 crawl, when it ran there."""
    large = results.get("v2", {}).get("large", {}).get(key)
    return large if isinstance(large, dict) and "skipped" not in large else None


def v2_targets(results: dict[str, Any], interval: float) -> list[Target]:
    """Issue 15's targets, from the v2 part (all unmeasured when it did not run)."""
    v2 = results.get("v2", {})
    large = _v2_large(results, "facade-v2")
    sdk = _v2_large(results, "sdk-v4") or {}

    def beside(key: str, fmt: str, suffix: str = "") -> str:
        value = sdk.get(key)
        return f" ({_label(results, 'sdk-v4')}: {value:{fmt}}{suffix})" if value is not None else ""

    if large is None:
        keys = ("v2_bytes", "v2_rss", "v2_latency", "v2_completion", "v2_once")
        return [(key, TARGETS[key][0], "n/a", None) for key in keys]
    rows: list[Target] = []
    latency_target = f"{TARGETS['v2_latency'][0]} (the default {interval:g} s)"
    ratio = large["bytes_ratio"]
    rows.append(
        (
            "v2_bytes",
            TARGETS["v2_bytes"][0],
            f"{ratio:.2f}x" + beside("bytes_ratio", ".2f", "x"),
            ratio <= 1.2,
        )
    )
    runs = v2.get("growth", {}).get("runs", [])
    if len(runs) == 2 and not any("skipped" in run for run in runs):
        small, big = runs
        more = big["rss_growth_kib"] - small["rss_growth_kib"]
        text = (
            f"{small['pages']:,} pages {small['rss_growth_kib'] / 1024:.1f} MiB, {big['pages']:,} "
            f"pages {big['rss_growth_kib'] / 1024:.1f} MiB (a page: "
            f"{big['largest_page_kib'] / 1024:.2f} MiB; the crawl: "
            f"{big['all_documents_kib'] / 1024:.1f} MiB)"
        )
        rows.append(("v2_rss", TARGETS["v2_rss"][0], text, more <= big["largest_page_kib"]))
    else:
        rows.append(("v2_rss", TARGETS["v2_rss"][0], "n/a", None))
    p50 = large.get("latency_p50")
    rows.append(
        (
            "v2_latency",
            latency_target,
            "n/a" if p50 is None else f"{p50:.2f} s" + beside("latency_p50", ".2f", " s"),
            None if p50 is None else p50 <= interval,
        )
    )
    noticed = large.get("completion_noticed")
    rows.append(
        (
            "v2_completion",
            TARGETS["v2_completion"][0],
            "n/a" if noticed is None else f"{noticed:.2f} s",
            None if noticed is None else noticed <= 2.0,
        )
    )
    mine = [large, *(row.get("facade-v2", {}) for row in v2.get("behaviours", {}).values())]
    mine += [run for run in runs if "skipped" not in run]
    ran = [figures for figures in mine if "lost" in figures]
    lost = sum(figures["lost"] for figures in ran)
    duplicated = sum(figures["duplicated"] for figures in ran)
    complete = len(ran) == len(mine)  # a run that did not finish measured nothing
    rows.append(
        (
            "v2_once",
            TARGETS["v2_once"][0],
            f"{lost} lost, {duplicated} duplicated in {len(ran)} of {len(mine)} runs",
            (lost == 0 and duplicated == 0) if complete else None,
        )
    )
    return rows


# -- sections ------------------------------------------------------------------------------


def _header(results: dict[str, Any], report: Path, chart: Path) -> str:
    m = results["machine"]
    sizes = results["sizes"]
    packages = results.get("sdk_packages", {})
    sdk = ", ".join(
        f"{name}: " + " ".join(f"{p}=={v}" for p, v in sorted(pkgs.items()) if p in WANTED)
        for name, pkgs in sorted(packages.items())
    )
    chart_line = (
        f"![main figures]({os.path.relpath(chart, report.parent)})"
        if results["chart"]["reason"] is None
        else f"Chart not drawn: {results['chart']['reason']}"
    )
    smoke = (
        "\n**Smoke run (tiny sizes): these numbers only show that the benchmark works.**\n"
        if results["smoke"]
        else ""
    )
    return f"""# Benchmarks

Generated by `scripts/bench`; do not edit by hand: run it again.
{smoke}
- Command: `{results["command"]}`
- Machine: {m["cpu"]}, {m["cores"]} cores, {m["memory"]}; {m["os"]}; Python {m["python"]}, \
httpx {m["httpx"]}; commit {m["commit"]}; {m["date"]}
- Run time: {results["elapsed_seconds"]:.0f} s{_part_times(results)}
- Throwaway venvs: {sdk or "none"}
- Sizes: crawls of {sizes["crawl_pages"]:,} pages at {sizes["crawl_rate"]:g} pages/s; a \
{sizes["rss_pages"]:,}-page stream for RSS; {sizes["extract_jobs"]:,} extract jobs of \
{sizes["extract_min"]:g}-{sizes["extract_max"]:g} s; {sizes.get("detect_jobs", 0):,} extract \
jobs of {sizes.get("detect_min", 0):g}-{sizes.get("detect_max", 0):g} s for completion \
detection; a {sizes["parse_pages"]:,}-document answer for parsing; a \
{_size(sizes.get("huge_bytes", 0))} final answer of {sizes.get("huge_pages", 0):,} documents.
- Time compression: the simulator runs {sizes["crawl_speed"]:g}x real time for the crawls, \
{sizes["rss_speed"]:g}x for the RSS stream, {sizes["extract_speed"]:g}x for the extract jobs and \
{sizes.get("detect_speed", 1):g}x for completion detection; \
every client's waits are divided by the same factor (the facade through an injected clock, the \
naive loop by its sleep, firecrawl-py by patching `time.sleep` in its process). All times below \
are server seconds.

{chart_line}
"""


WANTED = {"firecrawl-py", "requests", "pydantic", "matplotlib"}


def _part_times(results: dict[str, Any]) -> str:
    parts = results.get("part_seconds", {})
    if not parts:
        return ""
    return " (" + ", ".join(f"{part} {seconds:.0f} s" for part, seconds in parts.items()) + ")"


def _herd(results: dict[str, Any]) -> bool:
    """Whether most of the facade's extract jobs were first read only after they had ended."""
    many = _facade(results, "extract", "facade")
    return bool(many and many["first_read_after_end"] > many["jobs"] // 20)


def _targets_section(results: dict[str, Any]) -> str:
    rows = []
    for key, target, measured, met in targets(results):
        verdict = "not measured" if met is None else ("met" if met else "**missed**")
        if key == "async" and met and _herd(results):
            verdict = "met on paper only (see Gaps)"
        rows.append([target, measured, verdict])
    return "## Targets (facade)\n\n" + _table(["target", "measured", ""], rows)


def _crawl_sections(results: dict[str, Any]) -> str:
    crawl = results["crawl"]
    sources = [crawl["growing"], crawl["window"]]
    parts = []
    rows = _rows(
        results,
        CRAWLERS,
        sources,
        lambda f: [
            f"{_num(f[0]['bytes_ratio'], '.2f', 'x')} ({f[0]['bytes'] / 1e6:.1f} MB)",
            f"{_num(f[1]['bytes_ratio'], '.2f', 'x')} ({f[1]['bytes'] / 1e6:.1f} MB)",
        ],
    )
    final = crawl["growing"].get("facade", {}).get("final_bytes")
    note = f" (final answer: {final / 1e6:.2f} MB)" if final else ""
    parts.append(
        "## 1. Bytes downloaded while polling ÷ bytes of the final result\n\n"
        f"Whole bodies received over the wait, over the completed answer's body{note}.\n\n"
        + _table(["contender", "growing list", "50-page window"], rows)
    )
    rows = _rows(
        results,
        CRAWLERS,
        sources,
        lambda f: [
            _num(f[0]["delivery_p50"], ".2f", " s"),
            _num(f[0]["delivery_p95"], ".2f", " s"),
            _num(f[1]["delivery_p50"], ".2f", " s"),
            _num(f[1]["delivery_p95"], ".2f", " s"),
        ],
    )
    parts.append(
        "## 2. Document delivery latency\n\n"
        "From the moment a page is readable on the server to the moment the caller has it.\n\n"
        + _table(["contender", "growing p50", "growing p95", "window p50", "window p95"], rows)
    )
    rows = _rows(
        results,
        CRAWLERS,
        sources,
        lambda f: [_num(f[0]["detection"], ".2f", " s"), _num(f[1]["detection"], ".2f", " s")],
    )
    extract_rows = _rows(
        results,
        WAITERS,
        [results["extract"]],
        lambda f: [
            _num(f[0]["detection_p50"], ".2f", " s"),
            _num(f[0]["detection_p95"], ".2f", " s"),
        ],
    )
    parts.append(
        "## 3. Completion detection latency\n\n"
        "From the terminal status on the server to the call returning.\n\n"
        + _table(["contender", "growing crawl", "window crawl"], rows)
        + "\n\n"
        + _table(["contender", "extract jobs p50", "extract jobs p95"], extract_rows)
    )
    rows = _rows(
        results,
        CRAWLERS,
        sources,
        lambda f: [
            f"{f[0]['requests']} ({f[0]['not_modified']} x 304)",
            _num(f[0]["poll_gap_p50"], ".2f", " s"),
            str(f[1]["requests"]),
            _num(f[1]["poll_gap_p50"], ".2f", " s"),
        ],
    )
    extract_rows = _rows(
        results,
        WAITERS,
        [results["extract"]],
        lambda f: [_num(f[0]["requests_per_job"], ".1f")],
    )
    parts.append(
        "## 4. Requests per job\n\n"
        "With the median gap between two polls while the crawl ran.\n\n"
        + _table(["contender", "growing crawl", "median gap", "window crawl", "median gap"], rows)
        + "\n\n"
        + _table(["contender", "per extract job (mean)"], extract_rows)
    )
    rows = _rows(
        results,
        CRAWLERS,
        sources,
        lambda f: [
            str(f[1]["evicted_unseen"]),
            str(f[1]["lost"]),
            str(f[1]["duplicated"]),
            str(f[0]["lost"]),
            str(f[0]["duplicated"]),
        ],
    )
    parts.append(
        "## 5. Documents lost and duplicated\n\n"
        "*Evicted unseen*: pages that entered and left the 50-page window between two reads "
        "(recovered only from the final `data`, if the caller reads it); *lost*: never handed "
        "to the caller; *duplicated*: handed over more than once. firecrawl-py ignores "
        "`partial_data` and returns the final `data` only, so its evictions cost it nothing but "
        "latency.\n\n"
        + _table(
            [
                "contender",
                "window: evicted unseen",
                "window: lost",
                "window: duplicated",
                "growing: lost",
                "growing: duplicated",
            ],
            rows,
        )
    )
    return "\n\n".join(parts)


def _cpu_section(results: dict[str, Any]) -> str:
    crawl = results["crawl"]
    rows = _rows(
        results,
        CRAWLERS,
        [crawl["growing"], crawl["window"]],
        lambda f: [
            f"{_num(f[0]['cpu_per_poll_ms'], '.1f', ' ms')} ({f[0]['cpu_seconds'] * 1000:.0f} ms)",
            f"{_num(f[1]['cpu_per_poll_ms'], '.1f', ' ms')} ({f[1]['cpu_seconds'] * 1000:.0f} ms)",
        ],
    )
    parse = results["parse"]
    cpu_part = (
        "## 6. CPU\n\n"
        "CPU time of the contender's process over the wait, per request it sent, counted from the "
        "moment its client is built (imports and client set-up excluded, the same rule for every "
        "crawling contender).\n\n" + _table(["contender", "growing crawl", "window crawl"], rows)
    )
    if "skipped" in parse:
        return cpu_part + f"\n\nParse cost: not run: {parse['skipped']}"
    seconds = parse["seconds"]
    base, generated = seconds["json_loads"], seconds["generated"]
    labels = {
        "json_loads": "`json.loads` of the bytes",
        "httpx_json": "httpx, then `.json()`",
        "from_dict": "`json.loads` + generated `from_dict`",
        "generated": "generated client `sync_detailed`",
        "facade": "facade `wait_for_crawl` (parse, merge, result)",
        "scanned": "a poll's streamed read: a document at a time, each hashed, kept",
        "scanned_checked": "the same, each document through `from_dict`: no merge, no result",
    }

    def row(label: str, value: float) -> Row:
        return [
            label,
            f"{value * 1000:.1f} ms",
            f"{value / base:.2f}x",
            f"{value / generated:.2f}x",
        ]

    parse_rows = [row(label, seconds[key]) for key, label in labels.items() if key in seconds]
    baseline = parse.get("baseline", {})
    before = f"facade `wait_for_crawl` at {baseline.get('commit')}, before issue 16"
    if "seconds" in baseline:
        parse_rows.append(row(before, baseline["seconds"]))
    elif baseline:
        parse_rows.append([before, f"not measured: {baseline.get('reason')}"])
    sdk = parse.get("sdk", {})
    sdk_label = "firecrawl-py 0.0.20 (`requests` `.json()`)"
    if "skipped" in sdk:
        parse_rows.append([sdk_label, "not run: " + sdk["skipped"]])
    else:
        parse_rows.append(row(sdk_label, sdk["seconds"]))
    return (
        cpu_part + f"\n\nParsing one completed answer of {parse['documents']:,} documents "
        f"({parse['body_bytes'] / 1e6:.1f} MB), all through the same in-memory transport, best "
        f"of {results['sizes']['parse_repeat']} runs in each of "
        f"{results['sizes'].get('parse_rounds', 1)} fresh processes; the earlier commit's "
        "package runs in processes of its own, alternating with this one's. A completed answer "
        "read first is the last one, and nothing delivered is compared with it: the facade "
        "decodes its documents several at a time and hashes none. The two streamed rows read "
        "it as every poll of a running crawl is read (`BodyScanner`): a document at a time, "
        "each hashed so that the next poll can skip it undecoded.\n\n"
        + _table(["path", "time", "vs json.loads", "vs generated"], parse_rows)
    )


def _rss_section(results: dict[str, Any]) -> str:
    mib = 1024 * 1024
    rows = _rows(
        results,
        CRAWLERS,
        [results["rss"]],
        lambda f: [
            f"{f[0]['peak_rss'] / mib:.0f} MiB",
            f"{f[0]['baseline_rss'] / mib:.0f} MiB",
            f"{f[0]['largest_response'] / mib:.1f} MiB",
            _num(f[0]["growth_ratio"], ".2f", "x"),
            _num(f[0]["peak_ratio"], ".2f", "x"),
            str(f[0]["lines"]),
        ],
    )
    floor = results["rss"].get("floor")
    if floor is not None:
        label = "reference: one answer's bytes + `json.loads`"
        if "skipped" in floor:
            rows.append([label, "not run: " + floor["skipped"]])
        else:
            rows.append(
                [
                    label,
                    f"{floor['peak_rss'] / mib:.0f} MiB",
                    f"{floor['baseline_rss'] / mib:.0f} MiB",
                    f"{floor['largest_response'] / mib:.1f} MiB",
                    _num(floor["growth_ratio"], ".2f", "x"),
                    _num(floor["peak_ratio"], ".2f", "x"),
                    "n/a",
                ]
            )
    pages = results["sizes"]["rss_pages"]
    document = results["rss"].get("largest_document")
    answers = [f["largest_response"] for f in results["rss"].values() if _ran(f)]
    floor = (
        f" The floor for a client that decodes one document at a time is the largest document "
        f"({document / 1024:.1f} KiB here, {document / max(answers):.4f}x the answer) plus its "
        "read buffers."
        if document and answers
        else ""
    )
    return (
        f"## 7. Peak RSS while streaming a {pages:,}-document crawl to JSON Lines\n\n"
        "Growing-list server. *Baseline*: RSS once the contender has built its client (its "
        "httpx client, the generated `Client`'s httpx client, firecrawl-py's app object), before "
        "its first request, the same rule for every contender: building a client is not reading "
        f"answers ({_peak_from(results['rss'].values())}). Each contender records its deliveries "
        "as 16-byte digests, so the record is not counted as its memory; *growth*: peak minus "
        "baseline, over the largest single answer (the completed one: every earlier answer "
        "holds fewer documents, without "
        f"`linksOnPage`).{floor}\n\n"
        + _table(
            [
                "contender",
                "peak RSS",
                "baseline",
                "largest answer",
                "growth ÷ answer",
                "peak ÷ answer",
                "lines",
            ],
            rows,
        )
    )


def _extract_section(results: dict[str, Any]) -> str:
    rows = _rows(
        results,
        WAITERS,
        [results["extract"]],
        lambda f: [
            _num(f[0]["wall"], ".1f", " s"),
            f"{_num(f[0]['ideal'], '.1f', ' s')} ({f[0]['interval']:g} s interval)",
            _num(f[0]["wall_ratio"], ".2f", "x"),
            _num(f[0]["cpu_seconds"], ".1f", " s"),
            f"{_num(f[0]['first_read_p50'], '.1f', ' s')} / "
            f"{_num(f[0]['first_read_max'], '.1f', ' s')}",
            str(f[0]["first_read_after_end"]),
            f"{f[0]['completed']}/{f[0]['jobs']}",
        ],
    )
    sizes = results["sizes"]
    return (
        f"## 8. {sizes['extract_jobs']:,} extract jobs at once\n\n"
        "One client for all jobs (facade: one `AsyncStatusClient`; naive: one generated "
        "`Client`, one task per job; firecrawl-py 1.x is synchronous: one thread per job). "
        "*Ideal*: the slowest job plus one of the contender's poll intervals. *First read*: "
        "from a job's start to its first answer (p50 / max); *read late*: jobs whose first "
        "answer came only after they had ended, so the wall time measures the client's first "
        "round of requests rather than its poll cadence.\n\n"
        + _table(
            [
                "contender",
                "wall",
                "ideal",
                "wall ÷ ideal",
                "CPU",
                "first read",
                "read late",
                "completed",
            ],
            rows,
        )
    )


def _detect_section(results: dict[str, Any]) -> str:
    sizes = results["sizes"]
    rows = _rows(
        results,
        WAITERS,
        [results.get("detect", {})],
        lambda f: [
            _num(f[0]["detection_p50"], ".2f", " s"),
            _num(f[0]["detection_p95"], ".2f", " s"),
            _num(f[0]["detection_max"], ".2f", " s"),
            _num(f[0]["requests_per_job"], ".1f"),
            _num(f[0]["not_modified_per_job"], ".1f"),
            f"{f[0]['completed']}/{f[0]['jobs']}",
        ],
    )
    return (
        f"## 9. Completion detection on {sizes.get('detect_jobs', 0)} extract jobs of "
        f"{sizes.get('detect_min', 0):g}-{sizes.get('detect_max', 0):g} s answering 304\n\n"
        "As on the real server, a running job's body stays the same between the worker's "
        "writes, so a read that sends the last `ETag` gets `304 Not Modified`. *Lag*: from the "
        "job's end on the server to the wait returning. A fixed 2 s loop notices an end 1 s "
        "late on average and at most 2 s late; the facade polls every `steady_interval` (2 s) "
        "from the start of one read to the next, whatever the answers, with the jitter used "
        "only to set the phase once.\n\n"
        + _table(
            [
                "contender",
                "lag p50",
                "lag p95",
                "lag max",
                "requests per job",
                "304 per job",
                "completed",
            ],
            rows,
        )
    )


def _ran(figures: Any) -> bool:
    return isinstance(figures, dict) and "largest_response" in figures


def _peak_from(figures: Iterable[Any]) -> str:
    """How the peaks were taken: from the baseline, unless Linux could not restart them."""
    ran = [f for f in figures if _ran(f) and "peak_reset" in f]
    if all(f["peak_reset"] for f in ran):
        return "the peak, `VmHWM`, is restarted there"
    return "the peak, `VmHWM`, could not be restarted there, so it counts from the process start"


def _huge_section(results: dict[str, Any]) -> str:
    huge = results.get("huge", {})
    answer = huge.get("answer")
    size = _size(results["sizes"].get("huge_bytes", 0))
    title = f"## 10. A {size} final answer streamed to JSON Lines"
    if answer is None:
        reasons = sorted({f["skipped"] for f in huge.values() if "skipped" in f})
        return f"{title}\n\nNot run: {'; '.join(reasons) or 'no results'}."

    def cells(f: list[dict[str, Any]]) -> Row:
        figures = f[0]
        growth = figures["peak_rss"] - figures["baseline_rss"]
        mark = " (extrapolated)" if figures["scaled"] else ""
        return [
            _size(figures["largest_response"]),
            _size(figures["peak_rss"]) + mark,
            _size(figures["baseline_rss"]),
            _size(growth) + mark,
            _num(figures["growth_ratio"], ".2f", "x"),
            f"{figures['lines']:,} / {figures['documents']:,}",
            f"{figures['wall_seconds']:.1f} s",
            f"{figures['cpu_seconds']:.1f} s",
            "; ".join(figures["errors"]) or "none",
        ]

    rows = _rows(results, CRAWLERS, [huge], cells)
    scaled = answer["peer_bytes"] != answer["bytes"]
    available = answer.get("memory_available")
    memory = f"{_size(available)} available" if available else "memory unknown"
    how = (
        f"The peers need several times the answer and did not fit ({memory}): they read an "
        f"answer of {_size(answer['peer_bytes'])} with as many documents, and their peak and "
        "growth are *extrapolated*, not measured: baseline plus their growth times the ratio "
        "of the answers' sizes."
        if scaled
        else f"Every contender read the full answer ({memory}; each process's address space "
        f"capped at {_size(answer['memory_limit'])})."
    )
    return (
        f"{title}\n\n"
        f"One completed crawl of {answer['documents']:,} documents whose final answer is "
        f"{_size(answer['bytes'])} ({answer['bytes']:,} bytes), made by the simulator while it "
        "is sent (`CrawlScenario(streamed=True)`), read once by each contender in a process of "
        "its own and written to JSON Lines. This client: the CLI, `firecrawl-status crawl ID "
        "--wait --no-store --max-body-bytes N -o FILE`, run by its `main` in the process; "
        "firecrawl-py and the plain loop decode the whole body, as they always do. "
        "*Baseline*: RSS once the contender has built its client, before its first request, "
        "except for the CLI, which builds its client inside its `main` and so is measured from "
        f"before that, its client counted against it ({_peak_from(huge.values())}). {how}\n\n"
        + _table(
            [
                "contender",
                "answer read",
                "peak RSS",
                "baseline",
                "growth",
                "growth ÷ answer",
                "lines / documents",
                "wall",
                "CPU",
                "errors",
            ],
            rows,
        )
    )


def _contenders_section(results: dict[str, Any]) -> str:
    how = {
        "facade": "`StatusClient.iter_crawl` (streaming) and `AsyncStatusClient.wait_for_extract`, "
        "default `PollPolicy`/`RetryPolicy`; its clock is scaled by the compression factor.",
        "naive": "`get_crawl_status.sync` every 2 s, handing out `partial_data` documents not "
        "handed out before (by `sourceURL`), then the final `data`; extract: "
        "`get_extract_status.asyncio` every 2 s per job.",
        "sdk-v0": "`FirecrawlApp._monitor_job_status(job_id, headers, 2)`, the loop "
        "`crawl_url(wait_until_done=True)` runs after its POST (the simulator has no POST).",
        "sdk-v1": "the polling loop of `FirecrawlApp.extract()` on `get_extract_status`, "
        "`time.sleep(2)` between reads (the simulator has no POST).",
    }
    rows = []
    for key, text in how.items():
        reason = results["contenders"][key]["reason"]
        rows.append([_label(results, key), text + (f" **Not run: {reason}**" if reason else "")])
    return "## Contenders\n\n" + _table(["contender", "driven as"], rows)


def _gaps_section(results: dict[str, Any]) -> str:
    """Every missed target with why; the memory targets also when met, with what is still above
    their floor (the issue asks for both)."""
    herd = _herd(results)
    notes = GAP_NOTES | _measured_notes(results)
    lines = []
    for key, target, measured, met in targets(results):
        if met is False or (key == "async" and herd):
            lines.append(f"- **{target}**: measured {measured}. {notes.get(key, '')}".rstrip())
        elif met and key in ("rss", "huge"):
            lines.append(f"- {target} (met, above the floor): {notes[key]}")
    if not lines:
        return "## Gaps\n\nEvery measured target is met."
    return "## Gaps\n\n" + "\n".join(lines)


def _measured_notes(results: dict[str, Any]) -> dict[str, str]:
    """The diagnoses that depend on the figures: what is held above the floor, by target id."""
    notes: dict[str, str] = {}
    rss = _facade(results, "rss", "facade")
    reference = _facade(results, "rss", "floor")
    document = results["rss"].get("largest_document")
    if rss is not None and document:
        growth = rss["peak_rss"] - rss["baseline_rss"]
        whole = reference is not None and growth >= 0.8 * (
            reference["peak_rss"] - reference["baseline_rss"]
        )
        notes["rss"] = (
            f"The growth, {growth / MIB:.1f} MiB, is as much as the whole answer's bytes plus "
            "its decoded tree (the reference row): the answer is still read whole and decoded "
            "at once."
            if whole
            else f"The growth, {growth / MIB:.1f} MiB, is less than one decoded answer: what "
            "remains above the floor is per-run state, 8-byte digests of the identity and the "
            f"text of each of the {rss['lines']:,} documents delivered (kept for exactly-once; "
            "the latest 2,048 of each in a plain set, some 100 bytes each) "
            "and the size and hash of each element of the last answer (16 bytes each, so the "
            "next poll skips them undecoded); the documents of one read piece, decoded at once; "
            "the HTTP reader's buffers; modules the first request imports (idna); and memory "
            "the allocator keeps after use (a tracemalloc run of this crawl at a1e5d3e saw "
            "1.2 MiB of Python objects live at the peak, against 2.1 MiB of RSS growth)."
        )
    huge = _facade(results, "huge", "facade")
    if huge is not None:
        growth = huge["peak_rss"] - huge["baseline_rss"]
        answer = huge["largest_response"]
        document = answer / max(1, huge["documents"])
        why = (
            "the command held the answer whole (its bytes and decoded documents): its wait "
            "does not stream the body"
            if growth >= answer / 2
            else "the answer is not held whole; the rest is per-run state (8-byte digests of "
            "each document delivered), the decoder's and reader's buffers and the JSON Lines "
            "writer's"
        )
        notes["huge"] = (
            f"Growth {_size(growth)} for a {_size(answer)} answer whose documents are about "
            f"{document / 1024:.0f} KiB each (the floor: one document plus buffers): {why}."
        )
    notes.update(_cpu_notes(results))
    return notes


def _cpu_notes(results: dict[str, Any]) -> dict[str, str]:
    """The CPU diagnoses, with this run's parse figures (figure 6) as the yardstick."""
    notes: dict[str, str] = {}
    parse = results["parse"]
    check_us: float | None = None
    if "skipped" not in parse:
        notes |= _parse_notes(parse)
        check_us = (
            (parse["seconds"]["from_dict"] - parse["seconds"]["json_loads"])
            / max(1, parse["documents"])
            * 1e6
        )
    ours = _facade(results, "crawl", "growing", "facade")
    sdk = _facade(results, "crawl", "growing", "sdk-v0")
    if ours is not None and sdk is not None:
        pages = results["sizes"]["crawl_pages"]
        fewer = ours["requests"] < sdk["requests"]
        check = (
            f" (about {check_us:.1f} µs each by figure 6's `from_dict` row, "
            f"{pages * check_us / 1e6:.3f} s in all, "
            f"{pages * check_us / 1e3 / max(1, ours['requests']):.1f} ms per request)"
            if check_us is not None
            else ""
        )
        unchecked = None if check_us is None else ours["cpu_seconds"] - pages * check_us / 1e6
        notes["cpu"] = (
            f"In all, the facade spent {ours['cpu_seconds'] * 1000:.0f} ms and firecrawl-py "
            f"{sdk['cpu_seconds'] * 1000:.0f} ms ({ours['cpu_seconds'] / pages * 1e6:.0f} µs "
            f"against {sdk['cpu_seconds'] / pages * 1e6:.0f} µs a page of the crawl), in "
            f"{ours['requests']} requests against {sdk['requests']}"
            + (
                ": it polls when the list should have grown (figure 4), so it reads fewer, "
                "larger answers, and per request it does what firecrawl-py never does."
                if fewer
                else "; per request it does what firecrawl-py never does."
            )
            + f" It checks each of the {pages:,} new documents against the contract through "
            f"the generated models{check} and merges it exactly once"
            + (
                f"; without that check it would spend about {unchecked * 1000:.0f} ms, "
                f"{unchecked * 1000 / max(1, ours['requests']):.1f} ms per request."
                if unchecked is not None
                else "."
            )
            + " Documents delivered before are recognised by the hash of their text and not "
            "decoded again; the final `data` re-sends each page with `linksOnPage` added, so its "
            "text is new and it is decoded once more (several documents at a time, unhashed: "
            "no answer follows it) to find the pages it alone holds."
        )
    return notes


def _parse_notes(parse: dict[str, Any]) -> dict[str, str]:
    """Why the parse targets miss, from figure 6's rows."""
    notes: dict[str, str] = {}
    seconds, documents = parse["seconds"], max(1, parse["documents"])
    extra = seconds["facade"] - seconds["from_dict"]
    streamed = (
        f"The `from_dict` row decodes the body with one `json.loads` (C, "
        f"{seconds['json_loads'] * 1000:.0f} ms here) and then builds the models. The facade "
        "decodes the same text one document at a time as it arrives, so that it never holds "
        f"the answer (figures 7 and 10); in all that costs {extra * 1000:.0f} ms more for "
        f"{documents:,} documents, {extra / documents * 1e6:.1f} µs each."
    )
    scanned, checked = seconds.get("scanned"), seconds.get("scanned_checked")
    if scanned is not None and checked is not None:
        streamed += (
            " A completed answer read first is decoded several documents at a time, without "
            "hashes; a poll of a running crawl cannot be."
            f" Decoding a document at a time alone takes {scanned * 1000:.0f} ms (a call of "
            "the C decoder per document, and a hash of its text: the fingerprint that lets the "
            "next poll skip it undecoded); checking each through the generated "
            f"`CrawlDocument.from_dict` as it comes brings that to {checked * 1000:.0f} ms, "
            f"{checked / seconds['from_dict']:.2f}x the `from_dict` row, before any merging. "
            "The rest, "
            f"{(seconds['facade'] - checked) * 1000:.0f} ms "
            f"({(seconds['facade'] - checked) / documents * 1e6:.1f} µs a document), is the "
            "stream's bookkeeping (offer, exactly-once sets, the result list) and what every "
            "read does once (the HTTP exchange, the envelope's check, the snapshot: the "
            "generated client's row minus the `from_dict` row, "
            f"{(seconds['generated'] - seconds['from_dict']) * 1000:.1f} ms here, is that "
            "exchange)."
        )
    streamed += (
        " A Python loop over ijson's C-backend events measured twice `json.loads` when the "
        "scanner was chosen. Reading a document at a time is what bounds memory (figures 7 "
        "and 10); what a stream adds on top of it per document is a few dict and set "
        "operations in Python (its identity, the exactly-once sets, its place in the result), "
        "in the one loop that checks it as it arrives."
    )
    notes["parse"] = streamed
    before = parse.get("baseline", {}).get("seconds")
    floor = (
        f" Streamed, the floor above is {checked / before:.2f}x the earlier commit's whole wait "
        "before a single document is merged."
        if checked is not None and before
        else ""
    )
    notes["parse_before"] = (
        "Same answer, same transport: the earlier commit decoded the whole body with one "
        "`json.loads` and checked it with one `CrawlStatusResponse.from_dict`, holding the "
        "answer, its decoded tree and its models at once. " + streamed + floor
    )
    return notes


GAP_NOTES: dict[str, str] = {
    "bytes": "The growing-list rule (`PollPolicy.body_growth`, from `growing_list_bytes`) is "
    "what bounds it: check that the body-rate estimate engaged (figure 4 shows the polls).",
    "window": "The window rule polls a full window before `window_fill` of it can turn over at "
    "the observed page rate; pages evicted before the first rate estimate point at the first "
    "interval (`initial_interval`) being longer than one window's fill time.",
    "latency": "Growing list: the growing-list rule (`body_growth` 2.5 from `growing_list_bytes` "
    "256 KiB) waits until the body should have grown 2.5 times, about 1.5 times the crawl's "
    "elapsed time, capped at `max_interval` (15 s) and cut to just after the predicted finish. "
    "That is what keeps the bytes ratio under 3, and it delays the median page by seconds. The "
    "two targets conflict on a list re-sent whole: polling every T seconds through a crawl of D "
    "seconds downloads about D / 2T final answers, so a ratio <= 3 needs T >= D / 6 (3.3 s for "
    "this 20 s crawl) and a median delay of about T / 2. We keep the bytes target, which the "
    "issue states for this behaviour; a caller who prefers latency sets "
    "`PollPolicy(growing_list_bytes=...)` higher or `fixed_interval`. In the window behaviour "
    "the median delay is a fraction of the interval (figure 2).",
    "async": "Every wait sends its first read at once, so 1,000 requests queue in httpx's "
    "connection pool (100 connections). httpcore 1.0 re-scans every queued request against "
    "every connection each time a request starts or ends, so that first round is CPU-bound "
    "for tens of seconds (figure 8: CPU close to wall time) and most jobs have ended before "
    "their first answer arrives; any ratio near 1 then only says the first round took about "
    "as long as the slowest job. The naive loop on the generated client "
    "shows the same herd; firecrawl-py's thread per job does not. Bounding the requests in "
    "flight per `AsyncStatusClient` (a semaphore of about 20) and jittering the first read "
    "fixes it: with a plain httpx client on this machine, a semaphore of 20 took 1,000 "
    "simultaneous reads from 35 s to 3.5 s.",
}
GAP_NOTES["detect"] = (
    "A fixed period T notices an end T/2 late on average and at most T late, and sends one "
    "request per T: the three limits meet exactly at T = 2 s, so the figures sit at the edge "
    "and a few milliseconds of round trip, or the draw of job lengths, can tip one over."
)
"""Why a missed target is missed, by target id: the diagnosis printed under Gaps."""


SUMMARY_START = "<!-- scripts/bench writes this summary from its last full run; do not edit -->"
SUMMARY_END = "<!-- end of the scripts/bench summary -->"


def summary(results: dict[str, Any], report_link: str) -> str:
    """The README's performance summary: this run's headline figures, and where they come from."""
    m = results["machine"]
    rows = targets(results)
    measured = [row for row in rows if row[3] is not None]
    missed = [row[1] for row in measured if not row[3]]
    head = (
        f"From the `scripts/bench` run of {m['date']} (commit {m['commit']}, {m['cores']} cores; "
        f"[BENCHMARKS.md]({report_link}) has every figure): {len(measured) - len(missed)} of "
        f"{len(measured)} targets met"
        + (f"; missed (see its Gaps): {'; '.join(missed)}." if missed else ".")
    )
    sdk = _label(results, "sdk-v0")
    lines = [head, ""]
    rss = _facade(results, "rss", "facade")
    rss_sdk = _facade(results, "rss", "sdk-v0")
    huge = _facade(results, "huge", "facade")
    huge_sdk = _facade(results, "huge", "sdk-v0")
    memory = []
    if rss is not None:
        memory.append(
            f"streaming a {results['sizes']['rss_pages']:,}-document crawl to JSON Lines grows "
            f"peak RSS by {_num(rss['growth_ratio'], '.2f', 'x')} the largest answer"
            + (f" ({sdk}: {_num(rss_sdk['growth_ratio'], '.2f', 'x')})" if rss_sdk else "")
        )
    if huge is not None:
        memory.append(
            f"a {_size(huge['largest_response'])} final answer streams through the CLI in "
            f"{_size(huge['peak_rss'])} peak RSS"
            + (
                f" ({sdk}: {_size(huge_sdk['peak_rss'])}"
                + (", extrapolated from a smaller answer)" if huge_sdk["scaled"] else ")")
                if huge_sdk
                else ""
            )
        )
    if memory:
        lines.append("- Memory: " + "; ".join(memory) + ".")
    cpu = []
    growing = _facade(results, "crawl", "growing", "facade")
    growing_sdk = _facade(results, "crawl", "growing", "sdk-v0")
    if growing is not None:
        cpu.append(
            f"{_num(growing['cpu_per_poll_ms'], '.1f', ' ms')} per request on the growing list, "
            f"{growing['cpu_seconds'] * 1000:.0f} ms in all"
            + (
                f" ({sdk}: {_num(growing_sdk['cpu_per_poll_ms'], '.1f', ' ms')}, "
                f"{growing_sdk['cpu_seconds'] * 1000:.0f} ms)"
                if growing_sdk
                else ""
            )
        )
    parse = results["parse"]
    if "skipped" not in parse:
        before = parse.get("baseline", {})
        then = before.get("seconds", before.get("stored"))
        cpu.append(
            f"{parse['seconds']['facade'] * 1000:.0f} ms to take in a completed "
            f"{parse['documents']:,}-document answer"
            + (f" ({then * 1000:.0f} ms at {before['commit']}, before issue 16)" if then else "")
        )
    if cpu:
        lines.append("- CPU: " + "; ".join(cpu) + ".")
    window = _facade(results, "crawl", "window", "facade")
    window_sdk = _facade(results, "crawl", "window", "sdk-v0")
    if window is not None and growing is not None:
        lines.append(
            f"- Every document once: {window['lost']} lost and {window['duplicated']} duplicated "
            f"with the early server's 50-page window"
            + (
                f", where {sdk}'s 2 s loop lets {window_sdk['evicted_unseen']:,} pages pass unseen"
                if window_sdk
                else ""
            )
            + f"; {_num(growing['bytes_ratio'], '.2f', 'x')} the final answer's bytes "
            "downloaded on the growing list"
            + (f" ({sdk}: {_num(growing_sdk['bytes_ratio'], '.2f', 'x')})" if growing_sdk else "")
            + "."
        )
    v2 = _v2_large(results, "facade-v2")
    if v2 is not None:
        v2_sdk = _v2_large(results, "sdk-v4")
        compare = (
            f" ({_label(results, 'sdk-v4')}: {v2_sdk['bytes_ratio']:.2f}x, "
            f"{_num(v2_sdk.get('latency_p50'), '.2f', ' s')}, "
            f"{v2_sdk['rss_growth_kib'] / 1024:.1f} MiB)"
            if v2_sdk is not None
            else ""
        )
        lines.append(
            f"- v2: a {v2['documents']:,}-page v2 crawl streamed with "
            f"{v2['bytes_ratio']:.2f}x its documents' bytes downloaded, pages delivered "
            f"{_num(v2.get('latency_p50'), '.2f', ' s')} after they finished (median), "
            f"{v2['rss_growth_kib'] / 1024:.1f} MiB peak RSS growth{compare}; "
            f"{v2['lost']} lost and {v2['duplicated']} duplicated."
        )
    return "\n".join(lines)


def with_summary(readme: str, text: str) -> str | None:
    """``readme`` with the text between the summary markers replaced; None without markers."""
    start, end = readme.find(SUMMARY_START), readme.find(SUMMARY_END)
    if start < 0 or end < start:
        return None
    return readme[: start + len(SUMMARY_START)] + "\n" + text + "\n" + readme[end:]


def render(results: dict[str, Any], *, report: Path, chart: Path) -> str:
    """The whole BENCHMARKS.md."""
    sections = [
        _header(results, report, chart),
        _targets_section(results),
        _crawl_sections(results),
        _cpu_section(results),
        _rss_section(results),
        _extract_section(results),
        _detect_section(results),
        _huge_section(results),
        _gaps_section(results),
        _contenders_section(results),
    ]
    return "\n\n".join(section.strip() for section in sections) + "\n"
