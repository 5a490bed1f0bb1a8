"""The ``firecrawl-status`` command, in process: every command, every exit code, stdout/stderr
separation, JSON Lines output, and the local store commands.

`main` runs with a `FakeClock` shared with the simulator and an httpx client on the
simulator's transport, so a poll loop of minutes runs in milliseconds and nothing sleeps for
real. What needs a real process (signals, a terminal, the exit status of ``python -m``, the
console script) is in `test_cli_process.py`. Each test gets its own ``FIRECRAWL_STATUS_HOME``,
so the user's job store is never touched.
"""

from __future__ import annotations

import datetime as dt
import json
import socket
from pathlib import Path
from typing import Any, Literal

import httpx
import pytest
from hypothesis import given
from hypothesis import strategies as st

from firecrawl_status._cli import main
from firecrawl_status._cli._parser import build_parser
from firecrawl_status.testing import CrawlScenario, ExtractScenario, FakeClock, Fault, Simulator

SPEED = 20.0
"""Simulated seconds per clock second in these tests."""
KEY = "fc-TEST-SECRET-7f3a9c2e5b1d"
"""A recognisable fake API key: it must never appear in any output."""
FAST = ("--poll-interval", "0.05")
ERROR_PREFIX = "firecrawl-status: error: "
BASE_URL = "http://firecrawl.test"

# The CLI turns the deprecation warning into its one stderr line; the project's pytest config
# ignores that warning elsewhere.
pytestmark = pytest.mark.filterwarnings("default::firecrawl_status.FirecrawlDeprecationWarning")


class Result:
    """One finished run of the CLI."""

    def __init__(self, code: int, stdout: str, stderr: str) -> None:
        self.code = code
        self.stdout = stdout
        self.stderr = stderr

    def json_lines(self) -> list[dict[str, Any]]:
        return [json.loads(line) for line in self.stdout.splitlines()]

    def one_error_line(self) -> str:
        """The run's single stderr error line (asserting there is exactly one, no traceback)."""
        errors = [line for line in self.stderr.splitlines() if line.startswith(ERROR_PREFIX)]
        assert len(errors) == 1, self.stderr
        assert "Traceback" not in self.stderr
        return errors[0]


class CLI:
    """Runs `main` in this process with a private job store, on the simulator and its clock."""

    def __init__(
        self,
        simulator: Simulator,
        home: Path,
        capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch,
    ) -> None:
        self.simulator = simulator
        self.clock = simulator.clock
        self.home = home
        self._capsys = capsys
        self._monkeypatch = monkeypatch
        for name in ("FIRECRAWL_API_KEY", "FIRECRAWL_API_URL"):
            monkeypatch.delenv(name, raising=False)
        monkeypatch.setenv("FIRECRAWL_STATUS_HOME", str(home))

    def run(self, *args: str, transport: bool = True, **env: str) -> Result:
        """Run with ``args``; ``transport=False`` lets the CLI open its own client."""
        self._capsys.readouterr()
        with self._monkeypatch.context() as patch:
            for name, value in env.items():
                patch.setenv(name, value)
            if not transport:
                code = main(list(args), clock=self.clock)
            else:
                patch.setenv("FIRECRAWL_API_URL", BASE_URL)
                with httpx.Client(transport=self.simulator.transport(), base_url=BASE_URL) as http:
                    code = main(list(args), clock=self.clock, http_client=http)
        out, err = self._capsys.readouterr()
        return Result(code, out, err)


@pytest.fixture
def sim() -> Simulator:
    """A simulator without auth on a fake clock, as the 2025 server (the 2026 deprecation
    notice has its own tests below)."""
    return Simulator(FakeClock(), speed=SPEED, deprecation=None)


@pytest.fixture
def cli(
    tmp_path: Path,
    sim: Simulator,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> CLI:
    return CLI(sim, tmp_path / "home", capsys, monkeypatch)


def urls(documents: list[dict[str, Any]]) -> list[str]:
    return [doc["metadata"]["sourceURL"] for doc in documents]


# -- usage and help ----------------------------------------------------------------------------


def test_help_lists_every_command_and_exit_code(capsys: pytest.CaptureFixture[str]) -> None:
    """--help names every command and documents the exit codes and environment."""
    assert main(["--help"]) == 0
    text = capsys.readouterr().out
    for word in (
        "crawl",
        "extract",
        "jobs",
        "export",
        "forget",
        "prune",
        "simulate",
        "demo",
        "130",
        "FIRECRAWL_API",
    ):
        assert word in text


@pytest.mark.parametrize(
    "args",
    [
        pytest.param([], id="no-command"),
        pytest.param(["crawl"], id="no-job-id"),
        pytest.param(["crawl", "x", "--timeout", "-1"], id="negative-timeout"),
        pytest.param(["crawl", "x", "--max-retries", "many"], id="bad-retries"),
        pytest.param(["crawl", "x", "--output", "f.jsonl"], id="output-without-wait"),
        pytest.param(["extract", "x", "--output", "f.json"], id="extract-output-without-wait"),
        pytest.param(["crawl", "x", "--store", "a", "--no-store"], id="store-and-no-store"),
        pytest.param(["crawl", "x", "--base-url", "ftp://example.com"], id="bad-base-url"),
        pytest.param(["crawl", "x", "--wait", "-o", "/no/such/dir/p.jsonl"], id="bad-output"),
        pytest.param(["crawl", "x", "--wait", "--include-documents"], id="documents-and-wait"),
        pytest.param(["extract", "x", "--include-documents"], id="crawl-only-option"),
        pytest.param(["jobs", "--no-store"], id="jobs-without-store"),
        pytest.param(["forget"], id="forget-without-id"),
        pytest.param(["forget", "x", "--no-store"], id="forget-without-store"),
        pytest.param(["prune"], id="prune-without-duration"),
        pytest.param(["prune", "--older-than", "7"], id="duration-without-unit"),
        pytest.param(["prune", "--older-than", "0d"], id="zero-duration"),
        pytest.param(["prune", "--older-than", "7 days"], id="duration-in-words"),
        pytest.param(["prune", "--older-than", "999999999w"], id="duration-too-long"),
        pytest.param(["simulate", "--port", "70000"], id="bad-port"),
    ],
)
def test_usage_errors_exit_2(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    args: list[str],
) -> None:
    """Every kind of usage error returns 2 with one message on stderr and nothing on stdout."""
    monkeypatch.setenv("FIRECRAWL_STATUS_HOME", str(tmp_path))
    monkeypatch.setenv("FIRECRAWL_API_URL", "http://127.0.0.1:9")
    assert main(args) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert "error:" in err
    assert "Traceback" not in err


_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}


@given(st.lists(st.tuples(st.integers(1, 500), st.sampled_from(sorted(_UNITS))), min_size=1))
def test_durations_add_their_parts(parts: list[tuple[int, str]]) -> None:
    """``--older-than`` reads any run of number-unit pairs (``1d12h``) as their sum."""
    text = "".join(f"{number}{unit}" for number, unit in parts)
    args = build_parser().parse_args(["prune", "--older-than", text])
    expected = sum(number * _UNITS[unit] for number, unit in parts)
    assert args.older_than == dt.timedelta(seconds=expected)


# -- crawl -------------------------------------------------------------------------------------


def test_crawl_prints_one_snapshot(cli: CLI, sim: Simulator) -> None:
    """`crawl ID` prints the current snapshot as one JSON object; stderr stays empty."""
    job = sim.add_crawl(CrawlScenario(pages=500, pages_per_second=5))
    sim.clock.advance(0.2)
    result = cli.run("crawl", job)
    assert result.code == 0, result.stderr
    assert result.stderr == ""
    [snapshot] = result.json_lines()
    assert snapshot["id"] == job
    assert snapshot["status"] == "active"
    assert snapshot["documents"] == snapshot["current"] > 0
    assert snapshot["expiresAt"].endswith("Z")
    assert 86000 < snapshot["timeLeftSeconds"] <= 86400
    assert "data" not in snapshot
    [full] = cli.run("crawl", job, "--include-documents").json_lines()
    assert len(full["data"]) == full["documents"]


def test_crawl_wait_streams_json_lines_to_stdout(cli: CLI, sim: Simulator) -> None:
    """--wait writes every document once as JSON Lines on stdout; progress goes to stderr as
    plain lines (stderr is not a terminal); --no-store writes no store."""
    job = sim.add_crawl(CrawlScenario(pages=60, pages_per_second=3, failing_pages={5, 8}))
    result = cli.run("crawl", job, "--wait", "--no-store", *FAST)
    assert result.code == 0, result.stderr
    documents = result.json_lines()
    assert sorted(urls(documents)) == sorted(set(urls(documents)))
    assert len(documents) == 60
    assert "markdown" not in result.stderr  # no document leaked to stderr
    progress = result.stderr.splitlines()
    assert progress[0].startswith(f"firecrawl-status: crawl {job}: ")
    assert any("completed: 60 documents written to stdout" in line for line in progress)
    assert any("merge:" in line for line in progress)
    assert not (cli.home / "jobs.sqlite3").exists()


def test_crawl_wait_to_a_file_quietly(cli: CLI, sim: Simulator, tmp_path: Path) -> None:
    """--output FILE gets the JSON Lines, stdout and (with --quiet) stderr stay empty; an early
    server's 50-page window still yields every page exactly once."""
    job = sim.add_crawl(CrawlScenario(behaviour="window", pages=120, pages_per_second=8))
    out = tmp_path / "pages.jsonl"
    result = cli.run("crawl", job, "--wait", "--output", str(out), "--quiet", *FAST)
    assert result.code == 0, result.stderr
    assert (result.stdout, result.stderr) == ("", "")
    documents = [json.loads(line) for line in out.read_text().splitlines()]
    assert sorted(urls(documents)) == sorted(
        {f"https://example.com/page-{n}" for n in range(2, 121)} | {"https://example.com/"}
    )


def test_resume_writes_kept_documents_first_then_only_the_rest(
    cli: CLI, sim: Simulator, tmp_path: Path
) -> None:
    """A wait stopped by its deadline resumes from the store: the documents kept are written
    first, in the same order, then only the new ones; each page once in all."""
    job = sim.add_crawl(CrawlScenario(pages=100, pages_per_second=2))
    first = cli.run("crawl", job, "--wait", "--timeout", "1", "-q", *FAST)
    assert first.code == 5
    kept = urls(first.json_lines())
    assert 0 < len(kept) < 100
    resumed = cli.run("crawl", job, "--wait", *FAST)
    assert resumed.code == 0, resumed.stderr
    assert f"resuming crawl {job}: writing the {len(kept)} documents kept" in resumed.stderr
    documents = urls(resumed.json_lines())
    assert documents[: len(kept)] == kept
    assert sorted(documents) == sorted(set(documents))
    assert len(documents) == 100


def test_missing_final_data_is_warned_even_when_quiet(cli: CLI, sim: Simulator) -> None:
    """A completed crawl whose final data is null leaves only what partial_data showed: the run
    exits 0 but warns on stderr, even with --quiet, and counts the pages never seen."""
    scenario = CrawlScenario(
        behaviour="window", pages=300, pages_per_second=20, start_delay=10, completed_data="null"
    )
    job = sim.add_crawl(scenario)
    result = cli.run("crawl", job, "--wait", "-q", "--poll-interval", "0.2")
    assert result.code == 0
    [warning] = result.stderr.splitlines()
    assert warning.startswith("firecrawl-status: warning: the completed crawl's final data")
    assert "page(s) left its window unseen and are missing" in warning
    assert 0 < len(result.json_lines()) < 300


def test_failed_crawl_exits_1_and_keeps_what_came(cli: CLI, sim: Simulator) -> None:
    """A crawl that fails exits 1 with one line; the documents seen before are written."""
    job = sim.add_crawl(CrawlScenario(pages=50, pages_per_second=4, fail_at=12))
    result = cli.run("crawl", job, "--wait", "--quiet", *FAST)
    assert result.code == 1
    line = result.one_error_line()
    assert f"crawl {job} failed" in line
    documents = result.json_lines()
    assert 0 < len(documents) <= 12
    assert f"{len(documents)} document(s) written to stdout" in line
    assert result.stderr.count("\n") == 1
    snapshot = cli.run("crawl", job)
    assert snapshot.code == 1
    assert snapshot.json_lines()[0]["status"] == "failed"


def test_unknown_crawl_exits_3(cli: CLI) -> None:
    """A 404 for an id never seen exits 3 and names what to check."""
    for args in (("crawl", "no-such-job"), ("crawl", "no-such-job", "--wait")):
        result = cli.run(*args)
        assert result.code == 3
        assert result.stdout == ""
        line = result.one_error_line()
        assert "404" in line
        assert "Job not found" in line
        assert "job id" in line


def test_expired_crawl_exits_3_and_export_still_has_it(
    cli: CLI, sim: Simulator, tmp_path: Path
) -> None:
    """A crawl that 404s after it was seen exits 3 naming `export`; export writes what was kept
    after the server forgot it, and `jobs` shows it gone."""
    scenario = CrawlScenario(
        behaviour="window", pages=2000, pages_per_second=1, expire="404", ttl=50
    )
    job = sim.add_crawl(scenario)
    out = tmp_path / "pages.jsonl"
    result = cli.run("crawl", job, "--wait", "-o", str(out), "-q", "--poll-interval", "0.2")
    assert result.code == 3, result.stderr
    line = result.one_error_line()
    assert "gone from the server" in line
    assert f"firecrawl-status export {job}" in line
    written = out.read_text().splitlines()
    assert written
    exported = cli.run("export", job)
    assert exported.code == 0
    assert sorted(exported.stdout.splitlines()) == sorted(written)
    listed = cli.run("jobs")
    assert job in listed.stdout
    assert "gone" in listed.stdout
    again = cli.run("crawl", job)
    assert again.code == 3
    assert "gone from the server" in again.one_error_line()


@pytest.mark.parametrize("case", ["wrong-key", "other-team", "payment"])
def test_auth_errors_exit_4_without_the_key(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    case: str,
) -> None:
    """401, 403 and 402 exit 4 with one readable line; the API key is never printed."""
    simulator = Simulator(
        FakeClock(), speed=SPEED, api_key=None if case != "wrong-key" else "fc-the-real-one"
    )
    job = simulator.add_crawl(CrawlScenario(team="other" if case == "other-team" else "own"))
    if case == "payment":
        simulator.inject(Fault.status(402), job_id=job)
    cli = CLI(simulator, tmp_path, capsys, monkeypatch)
    runs = [cli.run("crawl", job, "--wait", FIRECRAWL_API_KEY=KEY)]
    if case == "wrong-key":
        runs.append(cli.run("crawl", job, "--api-key", KEY))
    for run in runs:
        assert run.code == 4, run.stderr
        assert KEY not in run.stdout + run.stderr
        line = run.one_error_line()
        assert {"wrong-key": "401", "other-team": "403", "payment": "402"}[case] in line


def test_deadline_exits_5(cli: CLI, sim: Simulator) -> None:
    """--timeout ends a wait with exit 5, saying how to go on, on time; what came is written."""
    job = sim.add_crawl(CrawlScenario(pages=5000, pages_per_second=1))
    started = sim.clock.monotonic()
    result = cli.run("crawl", job, "--wait", "--timeout", "1", "-q", *FAST)
    assert result.code == 5
    assert sim.clock.monotonic() - started <= 1.0
    line = result.one_error_line()
    assert "gave up waiting" in line
    assert "--timeout" in line
    assert "resume" in line
    assert len(result.json_lines()) > 0


@pytest.mark.parametrize(
    ("fault", "words"),
    [
        pytest.param(Fault.status(500), ["500"], id="server-error"),
        pytest.param(Fault.status(429), ["429", "Rate limit"], id="rate-limited"),
        pytest.param(Fault.truncated(), ["not JSON", "Firecrawl API"], id="protocol"),
        pytest.param(Fault.status(400), ["400"], id="bad-request"),
    ],
)
def test_api_errors_exit_6(cli: CLI, sim: Simulator, fault: Fault, words: list[str]) -> None:
    """Errors that retries did not cure exit 6 with one line."""
    job = sim.add_crawl(CrawlScenario())
    sim.inject(fault, job_id=job)
    result = cli.run("crawl", job, "--max-retries", "0")
    assert result.code == 6
    assert result.stdout == ""
    line = result.one_error_line()
    for word in words:
        assert word in line


def test_unusable_store_exits_6(cli: CLI, tmp_path: Path) -> None:
    """A store file that is not a job store exits 6, leaves the file alone and names the way out."""
    bogus = tmp_path / "notes.txt"
    bogus.write_text("not a database\n")
    result = cli.run("jobs", "--store", str(bogus))
    assert result.code == 6
    assert "not a firecrawl-status job store" in result.one_error_line()
    assert "--no-store" in result.one_error_line()
    assert bogus.read_text() == "not a database\n"


def test_retries_cure_a_passing_outage(cli: CLI, sim: Simulator) -> None:
    """Two 503s, then the answer: --max-retries 2 gets through and exits 0."""
    job = sim.add_crawl(CrawlScenario(pages=5))
    sim.inject(Fault.status(503), Fault.status(503), job_id=job)
    result = cli.run("crawl", job, "--wait", "--max-retries", "2", "-q", *FAST)
    assert result.code == 0, result.stderr
    assert len(result.json_lines()) == 5


def test_unreachable_host_exits_6(cli: CLI) -> None:
    """A closed port on 127.0.0.1 exits 6 with one line naming the address to check."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    result = cli.run(
        "crawl",
        "some-job",
        "--wait",
        "--max-retries",
        "0",
        transport=False,
        FIRECRAWL_API_URL=f"http://127.0.0.1:{port}",
    )
    assert result.code == 6
    line = result.one_error_line()
    assert f"http://127.0.0.1:{port}" in line
    assert "FIRECRAWL_API_URL" in line


# -- extract -----------------------------------------------------------------------------------


def test_extract_snapshot_and_wait(cli: CLI, sim: Simulator, tmp_path: Path) -> None:
    """`extract ID` prints the snapshot; --wait writes the server's final answer as one object
    with status, data, expiresAt and the extras."""
    running = sim.add_extract(ExtractScenario(duration=3600))
    job = sim.add_extract(ExtractScenario(duration=10))
    snapshot = cli.run("extract", running)
    assert snapshot.code == 0
    [body] = snapshot.json_lines()
    assert body["id"] == running
    assert (body["status"], body["success"], body["data"]) == ("processing", True, [])
    assert body["expiresAt"].endswith("Z")
    assert "steps" in body
    out = tmp_path / "result.json"
    result = cli.run("extract", job, "--wait", "-o", str(out), *FAST)
    assert result.code == 0, result.stderr
    assert result.stdout == ""
    final = json.loads(out.read_text())
    assert final["status"] == "completed"
    assert final["data"] == ExtractScenario().data
    assert final["expiresAt"].endswith("Z")
    assert {"llmUsage", "sources", "tokensUsed"} <= set(final)


@pytest.mark.parametrize("outcome", ["failed", "cancelled"])
def test_failed_or_cancelled_extract_exits_1(cli: CLI, sim: Simulator, outcome: str) -> None:
    """A failed or cancelled extract exits 1 with the server's reason on one line."""
    job = sim.add_extract(ExtractScenario(duration=1, outcome=outcome))  # type: ignore[arg-type]
    result = cli.run("extract", job, "--wait", "-q", *FAST)
    assert result.code == 1
    assert result.stdout == ""
    assert f"extract {job} {outcome}" in result.one_error_line()


# -- the store: jobs, export, forget, prune -----------------------------------------------------


def test_jobs_and_export(cli: CLI, sim: Simulator, tmp_path: Path) -> None:
    """`jobs` lists what the store holds; `export` writes it once the server is gone; an id the
    store lacks exits 3."""
    crawl = sim.add_crawl(CrawlScenario(pages=30, pages_per_second=10))
    extract = sim.add_extract(ExtractScenario(duration=1))
    empty = cli.run("jobs")
    assert (empty.code, empty.stdout) == (0, "")
    assert empty.stderr.startswith("firecrawl-status: no jobs: no job store at ")
    assert not cli.home.exists()  # a read-only command creates no store
    assert cli.run("crawl", crawl, "--wait", "-q", *FAST).code == 0
    assert cli.run("extract", extract, "--wait", "-q", *FAST).code == 0
    table = cli.run("jobs")
    assert table.code == 0
    header, *rows = table.stdout.splitlines()
    assert header.split()[:4] == ["ID", "KIND", "STATUS", "DOCS"]
    assert {row.split()[0]: row.split()[1:4] for row in rows} == {
        crawl: ["crawl", "completed", "30"],
        extract: ["extract", "completed", "-"],
    }
    records = {record["id"]: record for record in cli.run("jobs", "--json").json_lines()}
    assert records[crawl]["documents"] == 30
    assert records[crawl]["timeLeftSeconds"] > 80000
    exported = cli.run("export", crawl, transport=False, FIRECRAWL_API_URL="http://127.0.0.1:9")
    assert exported.code == 0
    assert len(set(urls(exported.json_lines()))) == 30
    assert all("linksOnPage" in doc for doc in exported.json_lines())  # the final versions
    result = cli.run("export", extract, "-o", str(tmp_path / "x.json"))
    assert result.code == 0
    assert json.loads((tmp_path / "x.json").read_text())["status"] == "completed"
    missing = cli.run("export", "never-seen")
    assert missing.code == 3
    assert "firecrawl-status jobs" in missing.one_error_line()


def test_plain_reads_create_no_store(cli: CLI, sim: Simulator) -> None:
    """`crawl ID`, `extract ID`, `jobs`, `export`, `forget` and `prune` without a store file
    answer without creating one; a wait does create it."""
    crawl = sim.add_crawl(CrawlScenario(pages=5))
    extract = sim.add_extract(ExtractScenario(duration=1))
    assert cli.run("crawl", crawl).code == 0
    assert cli.run("extract", extract).code == 0
    assert cli.run("crawl", crawl, "--store", str(cli.home / "named.sqlite3")).code == 0
    assert cli.run("jobs").code == 0
    assert cli.run("export", crawl).code == 3
    assert cli.run("forget", crawl).code == 3
    assert cli.run("prune", "--older-than", "1d").code == 0
    assert not cli.home.exists()
    assert cli.run("crawl", crawl, "--wait", "-q").code == 0
    assert (cli.home / "jobs.sqlite3").exists()


def test_plain_read_records_in_an_existing_store(cli: CLI, sim: Simulator) -> None:
    """A plain read uses a store that exists: the job is listed afterwards."""
    crawl = sim.add_crawl(CrawlScenario(pages=5))
    extract = sim.add_extract(ExtractScenario(duration=1))
    assert cli.run("crawl", crawl, "--wait", "-q").code == 0
    assert cli.run("extract", extract).code == 0
    listed = {record["id"] for record in cli.run("jobs", "--json").json_lines()}
    assert listed == {crawl, extract}


def test_forget_drops_a_job_and_its_documents(cli: CLI, sim: Simulator) -> None:
    """`forget ID` removes the job from the store (jobs no longer lists it, export exits 3) and
    leaves the others; forgetting it again exits 3."""
    first = sim.add_crawl(CrawlScenario(pages=12))
    second = sim.add_crawl(CrawlScenario(pages=3))
    assert cli.run("crawl", first, "--wait", "-q").code == 0
    assert cli.run("crawl", second, "--wait", "-q").code == 0
    forgot = cli.run("forget", first)
    assert forgot.code == 0, forgot.stderr
    assert forgot.stdout == ""
    assert f"forgot crawl {first} and its 12 document(s)" in forgot.stderr
    assert [record["id"] for record in cli.run("jobs", "--json").json_lines()] == [second]
    assert cli.run("export", first).code == 3
    assert len(cli.run("export", second).json_lines()) == 3
    again = cli.run("forget", first)
    assert again.code == 3
    assert f"job {first} is not in the job store" in again.one_error_line()
    named = cli.run("forget", second, "--store", str(cli.home / "jobs.sqlite3"))
    assert (named.code, named.stdout) == (0, "")


def test_prune_drops_jobs_last_seen_before_the_cutoff(cli: CLI, sim: Simulator) -> None:
    """`prune --older-than 7d` drops the jobs last read more than 7 days ago (on the clock the
    command runs on) with their documents, and keeps the rest."""
    old = sim.add_crawl(CrawlScenario(pages=4))
    assert cli.run("crawl", old, "--wait", "-q").code == 0
    sim.clock.advance(8 * 86400)
    recent = sim.add_extract(ExtractScenario(duration=1))
    assert cli.run("extract", recent, "--wait", "-q").code == 0
    kept = cli.run("prune", "--older-than", "9d")
    assert kept.code == 0
    assert "pruned 0 job(s)" in kept.stderr
    pruned = cli.run("prune", "--older-than", "7d")
    assert pruned.code == 0, pruned.stderr
    assert pruned.stdout == ""
    assert "pruned 1 job(s) last seen before 2025-" in pruned.stderr
    assert [record["id"] for record in cli.run("jobs", "--json").json_lines()] == [recent]
    assert cli.run("export", old).code == 3


# -- simulate and demo -------------------------------------------------------------------------


def test_demo_runs_offline(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """`demo` runs a crawl and an extract in-process and prints the figures and a summary;
    progress is on stderr, the summary on stdout, and the user's store is untouched."""
    out = tmp_path / "demo.jsonl"
    home = tmp_path / "home"
    monkeypatch.setenv("FIRECRAWL_STATUS_HOME", str(home))
    monkeypatch.setenv("FIRECRAWL_API_URL", "http://127.0.0.1:9")
    clock = FakeClock()
    assert main(["demo", "--pages", "60", "--output", str(out)], clock=clock) == 0
    stdout, stderr = capsys.readouterr()
    assert "each exactly once" in stdout
    assert "merge:" in stdout
    assert "traffic:" in stdout
    assert "Summary: crawl completed" in stdout
    assert "extract completed" in stdout
    assert "firecrawl-status: crawl " in stderr  # plain progress lines
    documents = [json.loads(line) for line in out.read_text().splitlines()]
    assert len(set(urls(documents))) == len(documents) == 61  # 60 pages + one 404/500 page
    assert not (home / "jobs.sqlite3").exists()
    assert clock.sleeps  # the demo waited on the clock it was given, not in real time
    assert main(["demo", "--pages", "20", "--quiet", "--server", "current"], clock=clock) == 0
    [line] = capsys.readouterr().err.splitlines()  # --quiet: only the 2026 server's notice
    assert line.startswith("firecrawl-status: warning: Firecrawl deprecated GET /v0/crawl/")


# -- the 2026 server: deprecation, silent expiry on a read ----------------------------------------


@pytest.mark.parametrize("form", ["date", "true"])
def test_a_deprecated_endpoint_gives_one_stderr_line_per_run(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    form: Literal["date", "true"],
) -> None:
    noticed = Simulator(FakeClock(), speed=SPEED, deprecation=form)
    cli = CLI(noticed, tmp_path / "home", capsys, monkeypatch)
    job = noticed.add_crawl(CrawlScenario(pages=30, pages_per_second=3))
    result = cli.run("crawl", job, "--wait", *FAST)
    assert result.code == 0, result.stderr
    lines = [line for line in result.stderr.splitlines() if "deprecated" in line]
    assert lines == [
        "firecrawl-status: warning: Firecrawl deprecated GET /v0/crawl/status/{id}"
        + (" on 2026-05-06" if form == "date" else "")
        + "; the successor is GET /v2/crawl/{id}"
        + '; this client reads it with StatusClient(crawl_api="v2"), or --api v2 on the '
        + "command line"
    ]
    extract = noticed.add_extract(ExtractScenario(duration=2))
    result = cli.run("extract", extract, "--wait", *FAST)
    assert result.code == 0, result.stderr
    assert sum("GET /v2/scrape" in line for line in result.stderr.splitlines()) == 1


def test_a_read_with_the_store_sees_a_silent_expiry(cli: CLI, sim: Simulator) -> None:
    """`crawl ID` after the server silently lost the pages: exit 3, the kept count named."""
    job = sim.add_crawl(CrawlScenario(pages=42, pages_per_second=21, expire="silent", ttl=30))
    assert cli.run("crawl", job, "--wait", "-q", *FAST).code == 0
    sim.clock.advance(60 / SPEED)
    result = cli.run("crawl", job)
    assert result.code == 3
    assert "42 document(s) kept" in result.one_error_line()


def test_a_retired_route_exits_7_naming_the_successor(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """After the notice, Express's HTML 404 means the route is gone, not the job: exit 7."""
    noticed = Simulator(FakeClock(), speed=SPEED)
    cli = CLI(noticed, tmp_path / "home", capsys, monkeypatch)
    job = noticed.add_crawl(CrawlScenario(pages=300, pages_per_second=2))
    noticed.inject(Fault.slow(0), Fault.html_404(), job_id=job)
    result = cli.run("crawl", job, "--wait", "-q", *FAST)
    assert result.code == 7
    assert f"/v2/crawl/{job}" in result.one_error_line()


def test_max_body_bytes_lets_a_larger_answer_through(cli: CLI, sim: Simulator) -> None:
    """An answer over --max-body-bytes exits 6 naming the option, after writing the documents
    that arrived whole before the limit; raised, the crawl streams."""
    job = sim.add_crawl(CrawlScenario(pages=40, pages_per_second=1000, streamed=True))
    sim.clock.advance(1.0)
    size = sim.handle("GET", f"/v0/crawl/status/{job}", {}).size
    small = cli.run("crawl", job, "--wait", "--no-store", "--max-body-bytes", str(size // 2))
    assert small.code == 6
    assert 0 < len(small.json_lines()) < 40
    assert "--max-body-bytes" in small.one_error_line()
    result = cli.run("crawl", job, "--wait", "-q", "--max-body-bytes", str(size), *FAST)
    assert result.code == 0, result.stderr
    assert len(result.json_lines()) == 40


@pytest.mark.parametrize("value", ["0", "-5", "1.5", "1GiB"])
def test_max_body_bytes_must_be_a_positive_count(cli: CLI, value: str) -> None:
    """--max-body-bytes takes a whole number of bytes, at least 1: anything else is usage."""
    result = cli.run("crawl", "x", "--max-body-bytes", value)
    assert result.code == 2
    assert "--max-body-bytes" in result.stderr
