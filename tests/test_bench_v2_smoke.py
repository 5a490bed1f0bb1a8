"""The v2 figure of the benchmark (scripts/benchmark/v2.py) at a tiny size, end to end.

Each contender runs as its own process against the simulator over loopback, as in
``scripts/bench``. Sizes are chosen so that every poll walks several 100-document pages: a
crawl smaller than one page would never exercise ``next``. Benchmarks are not tests: nothing
here looks at a timing; what is asserted is what the issue sets as a hard line, 0 lost and 0
duplicated for this client in every server behaviour, and the report's shape.
"""

from __future__ import annotations

from typing import Any

import pytest

from scripts.benchmark.report import TARGETS, v2_targets
from scripts.benchmark.run import contenders
from scripts.benchmark.v2 import BEHAVIOURS, V2Sizes, render_v2, v2_runs
from scripts.benchmark.venvs import Venv

SIZES = V2Sizes(pages=250, rate=100.0, markdown_bytes=200, behaviour_pages=230, speed=20.0)
"""Three pages of 100 documents on the last poll of every run, seconds in all."""
NOT_INSTALLED = "not installed in this test"
V2_CONTENDERS = ("facade-v2", "naive-v2", "sdk-v4")


@pytest.fixture(scope="module")
def bench(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, Any], str, dict[str, str]]:
    venvs = {
        name: Venv(name, None, NOT_INSTALLED, {})
        for name in ("sdk-v0", "sdk-v1", "sdk-v4", "chart")
    }
    everyone = contenders(venvs)
    work = tmp_path_factory.mktemp("bench-v2")
    results = v2_runs(SIZES, [everyone[key] for key in V2_CONTENDERS], work)
    labels = {key: contender.label for key, contender in everyone.items()}
    return results, render_v2(results, labels), labels


def _runs(results: dict[str, Any], key: str) -> dict[str, dict[str, Any]]:
    """``{run name: figures}`` of one contender: the large crawl, then each behaviour."""
    runs = {"large": results["large"][key]}
    runs |= {name: row[key] for name, row in results["behaviours"].items()}
    return runs


def test_this_client_loses_and_duplicates_nothing_in_every_behaviour(
    bench: tuple[dict[str, Any], str, dict[str, str]],
) -> None:
    """The large crawl and every server behaviour: 0 lost, 0 duplicated, every page read."""
    results, _, _ = bench
    assert list(results["behaviours"]) == list(BEHAVIOURS)
    for name, figures in _runs(results, "facade-v2").items():
        assert "skipped" not in figures, (name, figures)
        assert (figures["lost"], figures["duplicated"]) == (0, 0), (name, figures)
        pages = SIZES.pages if name == "large" else SIZES.behaviour_pages
        # A cancel ends the job half way; every other run delivers every page of the crawl.
        expected = pages // 2 if BEHAVIOURS.get(name, {}).get("end") else pages
        # A missing stored result is a page the server never sends: one fewer to deliver.
        expected -= len(BEHAVIOURS.get(name, {}).get("missing_results", ()))
        assert figures["documents"] == expected, (name, figures)
        assert figures["bytes_ratio"] >= 1.0, (name, figures)


def test_only_the_cancelled_behaviour_ends_in_an_error(
    bench: tuple[dict[str, Any], str, dict[str, str]],
) -> None:
    """A cancelled crawl ends the call with JobCancelledError; every other run ends cleanly."""
    results, _, _ = bench
    for name, figures in _runs(results, "facade-v2").items():
        cancelled = bool(BEHAVIOURS.get(name, {}).get("end"))
        assert figures["status"] == ("cancelled" if cancelled else "completed"), (name, figures)
        if cancelled:
            assert len(figures["errors"]) == 1, figures
            assert "JobCancelledError" in figures["errors"][0], figures
        else:
            assert figures["errors"] == [], (name, figures)


def test_the_plain_loop_ran_and_the_sdk_says_why_not(
    bench: tuple[dict[str, Any], str, dict[str, str]],
) -> None:
    """The other contenders have figures or the reason they did not run, in every run."""
    results, _, _ = bench
    for figures in _runs(results, "naive-v2").values():
        assert {"lost", "duplicated", "requests", "bytes_ratio"} <= set(figures), figures
    for figures in _runs(results, "sdk-v4").values():
        assert figures == {"skipped": NOT_INSTALLED}


def test_report_tables_list_every_contender_and_behaviour(
    bench: tuple[dict[str, Any], str, dict[str, str]],
) -> None:
    """The v2 section has a row per contender and a row per behaviour with a cell for each."""
    _, report, labels = bench
    assert report.startswith("## v2 crawl (issue 15)")
    lines = report.splitlines()
    large, behaviours = report.split("Every v2 server behaviour")
    for key in V2_CONTENDERS:
        assert any(line.startswith(f"| {labels[key]} |") for line in large.splitlines()), key
    header = next(line for line in lines if line.startswith("| server behaviour |"))
    assert [cell.strip() for cell in header.strip("|").split("|")][1:] == [
        labels[key] for key in V2_CONTENDERS
    ]
    facade = "| " + labels["facade-v2"] + " |"
    assert next(line for line in lines if line.startswith(facade)).count("| 0 / 0 |") == 1
    for name in BEHAVIOURS:
        [row] = [line for line in behaviours.splitlines() if line.startswith(f"| {name} |")]
        cells = [cell.strip() for cell in row.strip().strip("|").split("|")][1:]
        assert len(cells) == len(V2_CONTENDERS), row
        assert cells[0].startswith("0 / 0, x"), row  # this client: lost / duplicated
        assert cells[2] == f"not run: {NOT_INSTALLED}", row


def test_thev2_targets_are_measured_from_the_v2_part(
    bench: tuple[dict[str, Any], str, dict[str, str]],
) -> None:
    """Issue 15's targets reach the report's Targets table (and so the README's summary), each
    with a verdict; the hard line, every page once in every run, is met."""
    results, _, labels = bench
    contenders_ = {key: {"label": label} for key, label in labels.items()}
    rows = {
        key: (measured, met)
        for key, _, measured, met in v2_targets({"v2": results, "contenders": contenders_}, 1.0)
    }
    assert set(rows) == {key for key in TARGETS if key.startswith("v2_")}
    assert all(met is not None for _, met in rows.values()), rows
    assert rows["v2_once"][1] is True, rows
    assert rows["v2_once"][0].startswith("0 lost, 0 duplicated in 8 of 8 runs"), rows
    assert rows["v2_bytes"][0].endswith("x"), rows
    # Without the part (--only left it out), nothing is claimed.
    unmeasured = v2_targets({"v2": {"skipped": "not selected"}, "contenders": contenders_}, 1.0)
    assert [met for *_, met in unmeasured] == [None] * len(rows)
