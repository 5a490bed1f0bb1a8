"""The benchmark's side of a run: the simulator served on loopback, and one contender process.

`Host` serves a `Simulator` on 127.0.0.1 and converts ``time.monotonic()`` readings (any
process's: CLOCK_MONOTONIC is machine-wide) to simulator seconds. `run_contender` starts a driver
from ``scripts/benchmark/contenders/``, waits for its ``ready``, lets the caller create the jobs,
sends their ids, waits, and returns what the driver recorded with the server's view of the run.
"""

from __future__ import annotations

import json
import os
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import Any, Self

from firecrawl_status.testing import SimRequest, Simulator, SimulatorServer
from scripts import ROOT

__all__ = ["Contender", "Host", "RunResult", "contender_command", "run_contender", "run_driver"]


def contender_command(python: Path, module: str, *args: str) -> list[str]:
    """Start ``contenders/<module>.py`` with ``python``, to be run with the repository root as cwd.

    As a module, so that it imports ``protocol`` beside it by its package name in any venv.
    """
    return [str(python), "-m", f"scripts.benchmark.contenders.{module}", *args]


class Host:
    """A simulator at ``speed`` served on 127.0.0.1 for one benchmark run."""

    def __init__(self, speed: float) -> None:
        self.speed = speed
        self.simulator = Simulator(speed=speed)
        # Simulated seconds are (monotonic - t0) * speed; read t0 back through the public now().
        before = time.monotonic()
        now = self.simulator.now()
        self._t0 = before - now / speed
        self._server: SimulatorServer = self.simulator.serve()
        self.base_url = self._server.base_url

    def sim_seconds(self, monotonic: float) -> float:
        """A ``time.monotonic()`` reading as simulator seconds."""
        return (monotonic - self._t0) * self.speed

    def close(self) -> None:
        """Stop the server."""
        self._server.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


@dataclass(frozen=True)
class Contender:
    """A way of waiting on jobs: a driver module run by a Python (None: cannot run, see reason)."""

    key: str
    label: str
    python: Path | None
    driver: str
    reason: str | None = None


@dataclass
class RunResult:
    """One contender's run: its own record and the server's."""

    record: dict[str, Any]
    requests: list[SimRequest]
    bytes_sent: int
    job_ids: list[str]
    started_sim: float
    wall_seconds: float
    error: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)


def run_contender(
    host: Host,
    contender: Contender,
    spec: dict[str, Any],
    make_jobs: Callable[[], list[str]],
    *,
    work: Path,
    timeout: float,
) -> RunResult:
    """Run one contender against ``host`` on the jobs ``make_jobs`` creates once it is ready."""
    assert contender.python is not None, contender.reason
    out = work / f"{contender.key}-{spec['mode']}-{spec.get('tag', '')}.json"
    log = work / "logs" / f"{contender.key}-{spec['mode']}-{spec.get('tag', '')}.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    out.unlink(missing_ok=True)
    full_spec = spec | {"base_url": host.base_url, "speed": host.speed, "out": str(out)}
    simulator = host.simulator
    with log.open("w") as errors:
        process = subprocess.Popen(
            contender_command(contender.python, contender.driver, json.dumps(full_spec)),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=errors,
            text=True,
            cwd=ROOT,
        )
        assert process.stdin is not None
        assert process.stdout is not None
        try:
            ready = process.stdout.readline().strip()
            if ready != "ready":
                process.wait(timeout=30)
                return _failed(log, f"driver did not start (exit {process.returncode})")
            first_request = len(simulator.requests)
            bytes_before = simulator.stats.bytes_sent
            started = time.monotonic()
            job_ids = make_jobs()
            process.stdin.write(json.dumps(job_ids) + "\n")
            process.stdin.flush()
            process.wait(timeout=timeout)
            wall = time.monotonic() - started
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
            return _failed(log, f"did not finish within {timeout:g}s (killed)")
    if process.returncode != 0 or not out.exists():
        return _failed(log, f"driver exited {process.returncode}")
    record = json.loads(out.read_text())
    return RunResult(
        record=record,
        requests=simulator.requests[first_request:],
        bytes_sent=simulator.stats.bytes_sent - bytes_before,
        job_ids=job_ids,
        started_sim=host.sim_seconds(started),
        wall_seconds=wall,
    )


def _failed(log: Path, why: str) -> RunResult:
    lines = log.read_text().strip().splitlines() if log.exists() else []
    detail = f": {lines[-1][:300]}" if lines else ""
    return RunResult({}, [], 0, [], 0.0, 0.0, error=f"{why}{detail}")


def run_driver(
    python: Path,
    driver: str,
    spec: dict[str, Any],
    work: Path,
    *,
    path: Path | None = None,
) -> dict[str, Any]:
    """Run a driver that needs no simulator (no jobs); return its record.

    Args:
        path: Put first on the driver's import path (``PYTHONPATH``), e.g. an older commit's
            ``facade/`` to import its ``firecrawl_status`` instead of this checkout's.

    Raises:
        RuntimeError: The driver failed (with the end of its stderr).
    """
    out = work / f"{driver}-{spec['mode']}.json"
    out.unlink(missing_ok=True)
    env = None if path is None else os.environ | {"PYTHONPATH": str(path)}
    done = subprocess.run(
        contender_command(python, driver, json.dumps(spec | {"out": str(out)})),
        input="[]\n",
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
        env=env,
    )
    if done.returncode != 0 or not out.exists():
        raise RuntimeError(f"{driver} exited {done.returncode}: {done.stderr.strip()[-300:]}")
    record: dict[str, Any] = json.loads(out.read_text())
    return record
