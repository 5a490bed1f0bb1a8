"""The benchmark's chart, drawn in the throwaway matplotlib venv (arguments: RESULTS_JSON PNG).

Four panels of the main figures, one bar per contender that ran: bytes ratio, delivery latency
p50, requests per crawl, and completion detection latency of the concurrent extract jobs.
"""

from __future__ import annotations

import importlib
import json
import sys
from typing import Any

# Imported by name: matplotlib lives only in the benchmark's throwaway venv.
matplotlib: Any = importlib.import_module("matplotlib")
matplotlib.use("Agg")
pyplot: Any = importlib.import_module("matplotlib.pyplot")

CRAWLERS = ("facade", "naive", "sdk-v0")
WAITERS = ("facade", "naive", "sdk-v1")
COLOURS = {"facade": "#1b7837", "naive": "#999999", "sdk-v0": "#d6604d", "sdk-v1": "#b2182b"}


def ran(figures: dict[str, Any], key: str) -> dict[str, Any] | None:
    found = figures.get(key)
    return found if isinstance(found, dict) and "skipped" not in found else None


def grouped(axis: Any, results: dict[str, Any], field: str, title: str, unit: str) -> None:
    behaviours = ("growing", "window")
    width = 0.8 / len(CRAWLERS)
    for offset, key in enumerate(CRAWLERS):
        values = []
        for behaviour in behaviours:
            figures = ran(results["crawl"][behaviour], key)
            values.append(figures[field] if figures and figures[field] is not None else 0.0)
        positions = [i + (offset - 1) * width for i in range(len(behaviours))]
        label = results["contenders"][key]["label"]
        bars = axis.bar(positions, values, width, label=label, color=COLOURS[key])
        axis.bar_label(bars, fmt="%.3g", fontsize=7)
    axis.set_xticks(range(len(behaviours)), ["growing list", "50-page window"])
    axis.set_title(title, fontsize=10)
    axis.set_ylabel(unit)


def main() -> None:
    with open(sys.argv[1], encoding="utf-8") as handle:
        results = json.load(handle)
    figure, axes = pyplot.subplots(2, 2, figsize=(11, 7.5))
    pages = results["sizes"]["crawl_pages"]
    title = f"Bytes downloaded ÷ final answer ({pages:,} pages)"
    grouped(axes[0][0], results, "bytes_ratio", title, "ratio")
    grouped(axes[0][1], results, "delivery_p50", "Document delivery latency, p50", "server seconds")
    grouped(axes[1][0], results, "requests", "Requests per crawl", "requests")
    axes[0][0].legend(fontsize=8)
    axis = axes[1][1]
    width = 0.38
    for offset, field in enumerate(("detection_p50", "detection_p95")):
        values = []
        for key in WAITERS:
            figures = ran(results["extract"], key)
            values.append(figures[field] if figures and figures[field] is not None else 0.0)
        positions = [i + (offset - 0.5) * width for i in range(len(WAITERS))]
        colours = [COLOURS[key] for key in WAITERS]
        bars = axis.bar(positions, values, width, color=colours, alpha=1.0 if offset == 0 else 0.5)
        axis.bar_label(bars, fmt="%.3g", fontsize=7)
    labels = [results["contenders"][key]["label"] for key in WAITERS]
    axis.set_xticks(range(len(WAITERS)), labels)
    axis.set_ylabel("server seconds")
    count = results["sizes"]["extract_jobs"]
    axis.set_title(f"{count:,} extract jobs at once: completion detection p50 / p95", fontsize=10)
    axis.tick_params(axis="x", labelsize=8)
    figure.suptitle("firecrawl-status benchmarks (see BENCHMARKS.md)", fontsize=11)
    figure.tight_layout()
    figure.savefig(sys.argv[2], dpi=110)


if __name__ == "__main__":
    main()
