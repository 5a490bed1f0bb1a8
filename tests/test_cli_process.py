"""The ``firecrawl-status`` command as a real process: what in-process tests cannot show.

Signals (SIGINT, SIGTERM), a reader closing stdout, a terminal on stderr, the exit status of
``python -m firecrawl_status`` and the installed console script. The process runs on the real
clock against a simulator served on 127.0.0.1, so scenarios use a fast simulator speed and
quick polls; everything else about the command is tested in process in `test_cli.py`.
"""

from __future__ import annotations

import contextlib
import json
import os
import pty
import select
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from firecrawl_status.testing import CrawlScenario, Simulator

SPEED = 20.0
"""Simulated seconds per real second in these tests."""
FAST = ("--poll-interval", "0.05")


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

    def run(self, *args: str, timeout: float = 30) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            self.command(*args),
            env=self.env(),
            capture_output=True,
            stdin=subprocess.DEVNULL,
            timeout=timeout,
            check=False,
            text=True,
        )

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
    simulator = Simulator(speed=SPEED, deprecation=None)  # the notice: test_cli.py
    with simulator.serve() as server:
        yield simulator, server.base_url


@pytest.fixture
def cli(tmp_path: Path, sim: tuple[Simulator, str]) -> CLI:
    return CLI(tmp_path / "home", sim[1])


def urls(documents: list[dict[str, object]]) -> list[str]:
    return [doc["metadata"]["sourceURL"] for doc in documents]  # type: ignore[index]


def wait_for_lines(path: Path, count: int, deadline: float = 15.0) -> None:
    end = time.monotonic() + deadline
    while time.monotonic() < end:
        if path.exists() and path.read_bytes().count(b"\n") >= count:
            return
        time.sleep(0.02)
    raise AssertionError(f"{path} did not reach {count} lines")


def test_version_from_the_console_script() -> None:
    """The installed console script prints its name and version."""
    script = Path(sys.executable).parent / "firecrawl-status"
    if not script.exists():
        pytest.skip("the console script is not installed next to this Python")
    process = subprocess.run([script, "--version"], capture_output=True, check=False)
    assert process.returncode == 0
    assert process.stdout.decode().strip() == "firecrawl-status 0.1.0"


def test_exit_status_of_python_m(tmp_path: Path) -> None:
    """``python -m firecrawl_status`` exits with the code `main` returns: 2 for a usage error,
    3 for a job the store does not hold, with stdout empty."""
    cli = CLI(tmp_path)
    usage = cli.run("crawl")
    assert usage.returncode == 2
    assert usage.stdout == ""
    assert "error: the following arguments are required: JOB_ID" in usage.stderr
    missing = cli.run("export", "never-seen")
    assert missing.returncode == 3
    assert missing.stdout == ""


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
    assert resumed.returncode == 0, resumed.stderr
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
