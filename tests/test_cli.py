"""The ``firecrawl-status`` command, run as a subprocess against the simulator over loopback:
every command, every exit code, stdout/stderr separation, JSON Lines output, and interruption.

The CLI runs in its own process on the real clock, so scenarios here finish in a second or two of
real time (a fast `Simulator` speed) and polls are quick (``--poll-interval``). Each test gets its
own ``FIRECRAWL_STATUS_HOME``, so the user's job store is never touched.
"""

from __future__ import annotations

import contextlib
import json
import os
import pty
import select
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from firecrawl_status._cli import main
from firecrawl_status.testing import CrawlScenario, ExtractScenario, Fault, Simulator

SPEED = 20.0
"""Simulated seconds per real second in these tests."""
KEY = "fc-TEST-SECRET-7f3a9c2e5b1d"
"""A recognisable fake API key: it must never appear in any output."""
FAST = ("--poll-interval", "0.05")
ERROR_PREFIX = "firecrawl-status: error: "


class Result:
    """One finished run of the CLI."""

    def __init__(self, process: subprocess.CompletedProcess[bytes]) -> None:
        self.code = process.returncode
        self.stdout = process.stdout.decode()
        self.stderr = process.stderr.decode()

    def json_lines(self) -> list[dict[str, Any]]:
        return [json.loads(line) for line in self.stdout.splitlines()]

    def one_error_line(self) -> str:
        """The run's single stderr error line (asserting there is exactly one, no traceback)."""
        errors = [line for line in self.stderr.splitlines() if line.startswith(ERROR_PREFIX)]
        assert len(errors) == 1, self.stderr
        assert "Traceback" not in self.stderr
        return errors[0]


class CLI:
    """Runs ``python -m firecrawl_status`` with a private job store and no inherited settings."""

    def __init__(self, home: Path, base_url: str | None = None) -> None:
        self.home = home
        self.base_url = base_url

    def env(self, **extra: str) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("FIRECRAWL_")}
        env["FIRECRAWL_STATUS_HOME"] = str(self.home)
        if self.base_url is not None:
            env["FIRECRAWL_API_URL"] = self.base_url
        env.update(extra)
        return env

    def command(self, *args: str) -> list[str]:
        return [sys.executable, "-m", "firecrawl_status", *args]

    def run(self, *args: str, timeout: float = 30, **env: str) -> Result:
        process = subprocess.run(
            self.command(*args),
            env=self.env(**env),
            capture_output=True,
            stdin=subprocess.DEVNULL,
            timeout=timeout,
            check=False,
        )
        return Result(process)

    def start(self, *args: str, **env: str) -> subprocess.Popen[bytes]:
        with _sigint_deliverable():
            return subprocess.Popen(
                self.command(*args),
                env=self.env(**env),
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
            )


@contextlib.contextmanager
def _sigint_deliverable() -> Iterator[None]:
    """A child inherits an ignored SIGINT (a background CI shell); a handled one resets to the
    default on exec, so the child's Python turns SIGINT into KeyboardInterrupt."""
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


@pytest.fixture
def sim() -> Iterator[tuple[Simulator, str]]:
    """A real-time simulator without auth, served on 127.0.0.1."""
    simulator = Simulator(speed=SPEED)
    with simulator.serve() as server:
        yield simulator, server.base_url


@pytest.fixture
def cli(tmp_path: Path, sim: tuple[Simulator, str]) -> CLI:
    return CLI(tmp_path / "home", sim[1])


def urls(documents: list[dict[str, Any]]) -> list[str]:
    return [doc["metadata"]["sourceURL"] for doc in documents]


def wait_for_lines(path: Path, count: int, deadline: float = 15.0) -> None:
    end = time.monotonic() + deadline
    while time.monotonic() < end:
        if path.exists() and path.read_bytes().count(b"\n") >= count:
            return
        time.sleep(0.02)
    raise AssertionError(f"{path} did not reach {count} lines")


# -- usage and help ----------------------------------------------------------------------------


def test_version_from_the_console_script(tmp_path: Path) -> None:
    """The installed console script prints its name and version."""
    script = Path(sys.executable).parent / "firecrawl-status"
    if not script.exists():
        pytest.skip("the console script is not installed next to this Python")
    process = subprocess.run([script, "--version"], capture_output=True, check=False)
    assert process.returncode == 0
    assert process.stdout.decode().strip() == "firecrawl-status 0.1.0"


def test_help_lists_every_command_and_exit_code(capsys: pytest.CaptureFixture[str]) -> None:
    """--help names every command and documents the exit codes and environment."""
    assert main(["--help"]) == 0
    text = capsys.readouterr().out
    for word in ("crawl", "extract", "jobs", "export", "simulate", "demo", "130", "FIRECRAWL_API"):
        assert word in text


def test_usage_error_exits_2(tmp_path: Path) -> None:
    """A usage error exits 2 with a message on stderr and nothing on stdout."""
    result = CLI(tmp_path).run("crawl")
    assert result.code == 2
    assert result.stdout == ""
    assert "error: the following arguments are required: JOB_ID" in result.stderr


@pytest.mark.parametrize(
    "args",
    [
        pytest.param([], id="no-command"),
        pytest.param(["crawl", "x", "--timeout", "-1"], id="negative-timeout"),
        pytest.param(["crawl", "x", "--max-retries", "many"], id="bad-retries"),
        pytest.param(["crawl", "x", "--output", "f.jsonl"], id="output-without-wait"),
        pytest.param(["crawl", "x", "--store", "a", "--no-store"], id="store-and-no-store"),
        pytest.param(["crawl", "x", "--base-url", "ftp://example.com"], id="bad-base-url"),
        pytest.param(["crawl", "x", "--wait", "-o", "/no/such/dir/p.jsonl"], id="bad-output"),
        pytest.param(["extract", "x", "--include-documents"], id="crawl-only-option"),
        pytest.param(["jobs", "--no-store"], id="jobs-without-store"),
        pytest.param(["simulate", "--port", "70000"], id="bad-port"),
    ],
)
def test_usage_errors_exit_2_in_process(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    args: list[str],
) -> None:
    """Every kind of usage error returns 2 with one message on stderr (checked in-process, since
    the subprocess path is the same and `test_usage_error_exits_2` covers it)."""
    monkeypatch.setenv("FIRECRAWL_STATUS_HOME", str(tmp_path))
    monkeypatch.setenv("FIRECRAWL_API_URL", "http://127.0.0.1:9")
    assert main(args) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert "error:" in err
    assert "Traceback" not in err


# -- crawl -------------------------------------------------------------------------------------


def test_crawl_prints_one_snapshot(cli: CLI, sim: tuple[Simulator, str]) -> None:
    """`crawl ID` prints the current snapshot as one JSON object; stderr stays empty."""
    job = sim[0].add_crawl(CrawlScenario(pages=500, pages_per_second=5))
    time.sleep(0.2)
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


def test_crawl_wait_streams_json_lines_to_stdout(cli: CLI, sim: tuple[Simulator, str]) -> None:
    """--wait writes every document once as JSON Lines on stdout; progress goes to stderr as
    plain lines (stderr is not a terminal); --no-store writes no store."""
    job = sim[0].add_crawl(CrawlScenario(pages=60, pages_per_second=3, failing_pages={5, 8}))
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


def test_crawl_wait_to_a_file_quietly(cli: CLI, sim: tuple[Simulator, str], tmp_path: Path) -> None:
    """--output FILE gets the JSON Lines, stdout and (with --quiet) stderr stay empty; an early
    server's 50-page window still yields every page exactly once."""
    job = sim[0].add_crawl(CrawlScenario(behaviour="window", pages=120, pages_per_second=8))
    out = tmp_path / "pages.jsonl"
    result = cli.run("crawl", job, "--wait", "--output", str(out), "--quiet", *FAST)
    assert result.code == 0, result.stderr
    assert (result.stdout, result.stderr) == ("", "")
    documents = [json.loads(line) for line in out.read_text().splitlines()]
    assert sorted(urls(documents)) == sorted(
        {f"https://example.com/page-{n}" for n in range(2, 121)} | {"https://example.com/"}
    )


def test_missing_final_data_is_warned_even_when_quiet(cli: CLI, sim: tuple[Simulator, str]) -> None:
    """A completed crawl whose final data is null leaves only what partial_data showed: the run
    exits 0 but warns on stderr, even with --quiet, and counts the pages never seen."""
    scenario = CrawlScenario(
        behaviour="window", pages=300, pages_per_second=20, start_delay=10, completed_data="null"
    )
    job = sim[0].add_crawl(scenario)
    result = cli.run("crawl", job, "--wait", "-q", "--poll-interval", "0.2")
    assert result.code == 0
    [warning] = result.stderr.splitlines()
    assert warning.startswith("firecrawl-status: warning: the completed crawl's final data")
    assert "page(s) left its window unseen and are missing" in warning
    assert 0 < len(result.json_lines()) < 300


def test_failed_crawl_exits_1_and_keeps_what_came(cli: CLI, sim: tuple[Simulator, str]) -> None:
    """A crawl that fails exits 1 with one line; the documents seen before are written."""
    job = sim[0].add_crawl(CrawlScenario(pages=50, pages_per_second=4, fail_at=12))
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
    cli: CLI, sim: tuple[Simulator, str], tmp_path: Path
) -> None:
    """A crawl that 404s after it was seen exits 3 naming `export`; export writes what was kept
    after the server forgot it, and `jobs` shows it gone."""
    scenario = CrawlScenario(
        behaviour="window", pages=2000, pages_per_second=1, expire="404", ttl=50
    )
    job = sim[0].add_crawl(scenario)
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
def test_auth_errors_exit_4_without_the_key(tmp_path: Path, case: str) -> None:
    """401, 403 and 402 exit 4 with one readable line; the API key is never printed."""
    simulator = Simulator(speed=SPEED, api_key=None if case != "wrong-key" else "fc-the-real-one")
    job = simulator.add_crawl(CrawlScenario(team="other" if case == "other-team" else "own"))
    if case == "payment":
        simulator.inject(Fault.status(402), job_id=job)
    with simulator.serve() as server:
        cli = CLI(tmp_path, server.base_url)
        runs = [cli.run("crawl", job, "--wait", FIRECRAWL_API_KEY=KEY)]
        if case == "wrong-key":
            runs.append(cli.run("crawl", job, "--api-key", KEY))
    for run in runs:
        assert run.code == 4, run.stderr
        assert KEY not in run.stdout + run.stderr
        line = run.one_error_line()
        assert {"wrong-key": "401", "other-team": "403", "payment": "402"}[case] in line


def test_deadline_exits_5(cli: CLI, sim: tuple[Simulator, str]) -> None:
    """--timeout ends a wait with exit 5, saying how to go on; what came is written."""
    job = sim[0].add_crawl(CrawlScenario(pages=5000, pages_per_second=1))
    started = time.monotonic()
    result = cli.run("crawl", job, "--wait", "--timeout", "1", "-q", *FAST)
    assert result.code == 5
    assert time.monotonic() - started < 10
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
def test_api_errors_exit_6(
    cli: CLI, sim: tuple[Simulator, str], fault: Fault, words: list[str]
) -> None:
    """Errors that retries did not cure exit 6 with one line."""
    job = sim[0].add_crawl(CrawlScenario())
    sim[0].inject(fault, job_id=job)
    result = cli.run("crawl", job, "--max-retries", "0")
    assert result.code == 6
    assert result.stdout == ""
    line = result.one_error_line()
    for word in words:
        assert word in line


def test_unusable_store_exits_6(tmp_path: Path) -> None:
    """A store file that is not a job store exits 6, leaves the file alone and names the way out."""
    bogus = tmp_path / "notes.txt"
    bogus.write_text("not a database\n")
    result = CLI(tmp_path).run("jobs", "--store", str(bogus))
    assert result.code == 6
    assert "not a firecrawl-status job store" in result.one_error_line()
    assert "--no-store" in result.one_error_line()
    assert bogus.read_text() == "not a database\n"


def test_retries_cure_a_passing_outage(cli: CLI, sim: tuple[Simulator, str]) -> None:
    """Two 503s, then the answer: --max-retries 2 gets through and exits 0."""
    job = sim[0].add_crawl(CrawlScenario(pages=5))
    sim[0].inject(Fault.status(503), Fault.status(503), job_id=job)
    result = cli.run("crawl", job, "--wait", "--max-retries", "2", "-q", *FAST)
    assert result.code == 0, result.stderr
    assert len(result.json_lines()) == 5


def test_unreachable_host_exits_6(tmp_path: Path) -> None:
    """A closed port on 127.0.0.1 exits 6 with one line naming the address to check."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    cli = CLI(tmp_path, f"http://127.0.0.1:{port}")
    result = cli.run("crawl", "some-job", "--wait", "--max-retries", "0")
    assert result.code == 6
    line = result.one_error_line()
    assert f"http://127.0.0.1:{port}" in line
    assert "FIRECRAWL_API_URL" in line


def test_interrupt_exits_130_leaves_valid_json_lines_and_resumes(
    cli: CLI, sim: tuple[Simulator, str], tmp_path: Path
) -> None:
    """SIGINT mid-stream exits 130 saying how many documents were written, every line written is
    whole JSON, and re-running with the same store completes the file with each page once."""
    job = sim[0].add_crawl(CrawlScenario(pages=100, pages_per_second=2))
    out = tmp_path / "pages.jsonl"
    args = ("crawl", job, "--wait", "--output", str(out), *FAST)
    process = cli.start(*args)
    wait_for_lines(out, 10)
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=15)
    assert process.returncode == 130
    lines = out.read_bytes().splitlines(keepends=True)
    assert all(line.endswith(b"\n") for line in lines)
    first = [json.loads(line) for line in lines]
    assert f"interrupted: {len(first)} document(s) written to {out}" in stderr.decode()
    assert "Traceback" not in stderr.decode()
    resumed = cli.run(*args, "-q")
    assert resumed.code == 0, resumed.stderr
    documents = [json.loads(line) for line in out.read_text().splitlines()]
    assert len(documents) == 100
    assert len(set(urls(documents))) == 100
    assert urls(documents)[: len(first)] == urls(first)  # kept ones first, in the same order


def test_sigterm_exits_143_with_whole_lines(cli: CLI, sim: tuple[Simulator, str]) -> None:
    """SIGTERM (a cron timeout) also stops cleanly: exit 143, whole JSON Lines on stdout."""
    job = sim[0].add_crawl(CrawlScenario(pages=500, pages_per_second=1))
    process = cli.start("crawl", job, "--wait", "--no-store", *FAST)
    assert process.stdout is not None
    assert process.stderr is not None
    first = process.stdout.readline()
    process.send_signal(signal.SIGTERM)
    rest = process.stdout.read()  # not communicate(): it would skip what readline() buffered
    stderr = process.stderr.read()
    assert process.wait(timeout=15) == 143
    for line in (first + rest).splitlines():
        json.loads(line)
    assert "terminated" in stderr.decode()


def test_closed_stdout_exits_141_quietly(cli: CLI, sim: tuple[Simulator, str]) -> None:
    """A reader that goes away (`| head -1`) ends the run with 141 and no traceback."""
    job = sim[0].add_crawl(CrawlScenario(pages=300, pages_per_second=2))
    process = cli.start("crawl", job, "--wait", "--no-store", "-q", *FAST)
    assert process.stdout is not None
    assert process.stderr is not None
    json.loads(process.stdout.readline())
    process.stdout.close()
    assert process.wait(timeout=15) == 141
    assert process.stderr.read() == b""


def test_live_bar_on_a_terminal(cli: CLI, sim: tuple[Simulator, str], tmp_path: Path) -> None:
    """With stderr on a terminal the progress is a live bar, and the file still gets every line."""
    job = sim[0].add_crawl(CrawlScenario(pages=40, pages_per_second=4))
    out = tmp_path / "pages.jsonl"
    leader, follower = pty.openpty()
    process = subprocess.Popen(
        cli.command("crawl", job, "--wait", "-o", str(out), *FAST),
        env=cli.env(COLUMNS="120"),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=follower,
    )
    os.close(follower)
    screen = b""
    while True:
        ready, _, _ = select.select([leader], [], [], 15)
        if not ready:
            break
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the terminal closes when the process exits
            break
        if not chunk:
            break
        screen += chunk
    os.close(leader)
    assert process.wait(timeout=15) == 0
    text = screen.decode(errors="replace")
    assert "40/40 pages" in text
    assert "40 docs" in text
    assert "expires in" in text
    assert len(out.read_text().splitlines()) == 40


# -- extract -----------------------------------------------------------------------------------


def test_extract_snapshot_and_wait(cli: CLI, sim: tuple[Simulator, str], tmp_path: Path) -> None:
    """`extract ID` prints the snapshot; --wait writes the server's final answer as one object
    with status, data, expiresAt and the extras."""
    running = sim[0].add_extract(ExtractScenario(duration=3600))
    job = sim[0].add_extract(ExtractScenario(duration=10))
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
def test_failed_or_cancelled_extract_exits_1(
    cli: CLI, sim: tuple[Simulator, str], outcome: str
) -> None:
    """A failed or cancelled extract exits 1 with the server's reason on one line."""
    job = sim[0].add_extract(ExtractScenario(duration=1, outcome=outcome))  # type: ignore[arg-type]
    result = cli.run("extract", job, "--wait", "-q", *FAST)
    assert result.code == 1
    assert result.stdout == ""
    assert f"extract {job} {outcome}" in result.one_error_line()


# -- the store: jobs and export ----------------------------------------------------------------


def test_jobs_and_export(cli: CLI, sim: tuple[Simulator, str], tmp_path: Path) -> None:
    """`jobs` lists what the store holds; `export` writes it once the server is gone; an id the
    store lacks exits 3."""
    simulator, _ = sim
    crawl = simulator.add_crawl(CrawlScenario(pages=30, pages_per_second=10))
    extract = simulator.add_extract(ExtractScenario(duration=1))
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
    cli.base_url = "http://127.0.0.1:9"  # the server is no longer needed
    exported = cli.run("export", crawl)
    assert exported.code == 0
    assert len(set(urls(exported.json_lines()))) == 30
    assert all("linksOnPage" in doc for doc in exported.json_lines())  # the final versions
    result = cli.run("export", extract, "-o", str(tmp_path / "x.json"))
    assert result.code == 0
    assert json.loads((tmp_path / "x.json").read_text())["status"] == "completed"
    missing = cli.run("export", "never-seen")
    assert missing.code == 3
    assert "firecrawl-status jobs" in missing.one_error_line()


# -- simulate and demo -------------------------------------------------------------------------


def test_simulate_serves_until_interrupted(tmp_path: Path) -> None:
    """`simulate --port 0` prints its URL and demo jobs, answers, and stops with exit 0 on ^C."""
    cli = CLI(tmp_path)
    process = cli.start("simulate", "--port", "0", "--speed", "50")
    assert process.stdout is not None
    banner = process.stdout.readline().decode()
    first_job = process.stdout.readline().decode().split()[0]
    assert banner.startswith("Firecrawl simulator on http://127.0.0.1:")
    assert httpx.get(first_job, timeout=5).json()["status"] in ("active", "completed")
    process.send_signal(signal.SIGINT)
    process.communicate(timeout=10)
    assert process.returncode == 0


def test_demo_runs_offline(tmp_path: Path) -> None:
    """`demo` runs a crawl and an extract in-process and prints the figures and a summary;
    progress is on stderr, the summary on stdout, and the user's store is untouched."""
    out = tmp_path / "demo.jsonl"
    cli = CLI(tmp_path / "home", "http://127.0.0.1:9")
    result = cli.run("demo", "--speed", "40", "--pages", "60", "--output", str(out))
    assert result.code == 0, result.stderr
    assert "each exactly once" in result.stdout
    assert "merge:" in result.stdout
    assert "traffic:" in result.stdout
    assert "Summary: crawl completed" in result.stdout
    assert "extract completed" in result.stdout
    assert "firecrawl-status: crawl " in result.stderr  # plain progress lines
    documents = [json.loads(line) for line in out.read_text().splitlines()]
    assert len(set(urls(documents))) == len(documents) == 61  # 60 pages + one 404/500 page
    assert not (cli.home / "jobs.sqlite3").exists()
    quiet = cli.run("demo", "--speed", "40", "--pages", "20", "--quiet", "--server", "current")
    assert quiet.code == 0
    assert quiet.stderr == ""
