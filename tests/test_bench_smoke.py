"""A seconds-long run of ``scripts/bench --smoke``: the benchmark still works end to end.

Benchmarks are not tests: nothing here looks at a timing, only at the report's shape.
"""

from __future__ import annotations

import dataclasses
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from scripts import ROOT
from scripts.benchmark import run
from scripts.benchmark.host import Contender
from scripts.benchmark.report import SUMMARY_END, SUMMARY_START, TARGETS, summary, with_summary

SECTIONS = [
    "## Targets (facade)",
    "## 1. Bytes downloaded while polling",
    "## 2. Document delivery latency",
    "## 3. Completion detection latency",
    "## 4. Requests per job",
    "## 5. Documents lost and duplicated",
    "## 6. CPU",
    "## 7. Peak RSS while streaming",
    "## 8. ",
    "## 9. Completion detection on",
    "## 10. A ",
    "## Gaps",
    "## Contenders",
]
LABELS = [
    "facade (defaults)",
    "generated client, 2 s loop",
    "firecrawl-py 0.0.20",
    "firecrawl-py 1.17.0",
]


@pytest.fixture(scope="module")
def smoke(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, dict[str, object]]:
    tmp = tmp_path_factory.mktemp("bench")
    report = tmp / "BENCHMARKS.md"
    command = [
        sys.executable,
        "-m",
        "scripts.benchmark",
        "--smoke",
        "--work",
        str(tmp / "work"),
        "--report",
        str(report),
        "--chart",
        str(tmp / "chart.png"),
    ]
    done = subprocess.run(
        command, cwd=ROOT, capture_output=True, text=True, timeout=300, check=False
    )
    assert done.returncode == 0, done.stderr[-2000:]
    results = json.loads((tmp / "work" / "results.json").read_text())
    return report.read_text(), results


def test_report_has_every_section_in_order(smoke: tuple[str, dict[str, object]]) -> None:
    """The report has the command, the machine, and every figure's section, in order."""
    text, _ = smoke
    assert text.startswith("# Benchmarks")
    assert "- Command: `" in text
    assert "- Machine: " in text
    positions = [text.index(section) for section in SECTIONS]
    assert positions == sorted(positions)


def test_every_contender_has_a_row_or_a_reason(smoke: tuple[str, dict[str, object]]) -> None:
    """Each table row names a contender and holds numbers or a stated reason it did not run."""
    text, _ = smoke
    for label in LABELS:
        rows = [line for line in text.splitlines() if line.startswith(f"| {label} |")]
        assert rows, label
        for row in rows:
            cells = [cell.strip() for cell in row.strip("|").split("|")][1:]
            assert cells[0], row
            if label.startswith("firecrawl-py"):
                # --smoke installs no throwaway venvs: the reason must say so.
                assert "not run" in " ".join(cells) or "Not run" in " ".join(cells), row


def test_targets_table_covers_every_target(smoke: tuple[str, dict[str, object]]) -> None:
    """Every target is listed with a verdict."""
    text, _ = smoke
    table = text.split("## Targets (facade)")[1].split("## 1.")[0]
    verdicts = re.findall(r"\| (met|\*\*missed\*\*|not measured|met on paper[^|]*) \|", table)
    assert len(verdicts) == len(TARGETS)


def test_results_json_holds_every_figure(smoke: tuple[str, dict[str, object]]) -> None:
    """The raw figures are written next to the report's inputs for the chart and for diffs."""
    _, results = smoke
    assert set(results) >= {
        "crawl",
        "rss",
        "extract",
        "detect",
        "parse",
        "machine",
        "command",
        "sizes",
    }
    crawl = results["crawl"]
    assert isinstance(crawl, dict)
    for behaviour in ("growing", "window"):
        figures = crawl[behaviour]["facade"]
        assert {"bytes_ratio", "delivery_p50", "requests", "lost", "duplicated"} <= set(figures)


def test_huge_answer_figure_writes_every_document(smoke: tuple[str, dict[str, object]]) -> None:
    """The huge-answer figure at a tiny size: each contender that ran wrote one line per
    document, from an answer of about the size asked, read whole (no peer was scaled)."""
    _, results = smoke
    huge = results["huge"]
    sizes = results["sizes"]
    assert isinstance(huge, dict)
    assert isinstance(sizes, dict)
    answer = huge["answer"]
    assert answer["documents"] == sizes["huge_pages"]
    assert abs(answer["bytes"] - sizes["huge_bytes"]) < 0.05 * sizes["huge_bytes"]
    for key in ("facade", "naive"):
        figures = huge[key]
        assert figures["errors"] == []
        assert figures["lines"] == figures["documents"] == answer["documents"]
        assert figures["largest_response"] == answer["bytes"]
        assert not figures["scaled"]
        assert figures["peak_rss"] >= figures["baseline_rss"] > 0


def test_parse_is_measured_against_the_commit_before_streaming(
    smoke: tuple[str, dict[str, object]],
) -> None:
    """The parse figure times the facade of the earlier commit in the same run (or says why
    not), and the report names it."""
    text, results = smoke
    parse = results["parse"]
    assert isinstance(parse, dict)
    baseline = parse["baseline"]
    assert baseline["commit"] == "f063ae5"
    assert "seconds" in baseline or baseline["reason"]
    assert "at f063ae5, before issue 16" in text


def test_summary_names_its_run_and_replaces_only_its_block(
    smoke: tuple[str, dict[str, object]],
) -> None:
    """The README summary quotes the run it comes from and rewrites only between its markers."""
    _, results = smoke
    text = summary(results, "BENCHMARKS.md")
    machine = results["machine"]
    assert isinstance(machine, dict)
    assert machine["date"] in text
    assert machine["commit"] in text
    assert re.search(r"\d+ of \d+ targets met", text)
    readme = f"intro\n{SUMMARY_START}\nold figures\n{SUMMARY_END}\nrest\n"
    updated = with_summary(readme, text)
    assert updated == f"intro\n{SUMMARY_START}\n{text}\n{SUMMARY_END}\nrest\n"
    assert with_summary("no markers here\n", text) is None


def test_peers_without_the_memory_read_a_smaller_answer_marked_extrapolated(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """When the full answer would not fit a peer, the peer reads a smaller answer of as many
    documents and its peak is extrapolated to the full one (and marked so); this client still
    reads the full answer."""
    monkeypatch.setattr(run, "PEER_MEMORY", 10**9)  # no machine has that much
    sizes = dataclasses.replace(
        run.SMOKE, huge_pages=20, huge_bytes=512 << 10, huge_peer_bytes=128 << 10
    )
    python = Path(sys.executable)
    crawlers = [
        Contender("facade", "facade", python, "facade_driver"),
        Contender("naive", "naive", python, "naive_driver"),
    ]
    results = run.huge_runs(sizes, crawlers, tmp_path)
    answer = results["answer"]
    assert answer["peer_bytes"] < answer["bytes"]
    ours, peer = results["facade"], results["naive"]
    assert (ours["scaled"], ours["largest_response"]) == (False, answer["bytes"])
    assert (peer["scaled"], peer["largest_response"]) == (True, answer["peer_bytes"])
    for figures in (ours, peer):
        assert figures["lines"] == figures["documents"] == 20
    growth = peer["peak_rss"] - peer["baseline_rss"]
    assert growth == pytest.approx(peer["growth_ratio"] * answer["bytes"])
