"""What every benchmark contender process shares with `scripts/bench`. Standard library only:
it runs in the project's venv and in the throwaway firecrawl-py venvs alike.

Protocol: the orchestrator starts ``python -m scripts.benchmark.contenders.DRIVER SPEC_JSON``
from the repository root. The driver imports what it needs,
prints ``ready`` and waits for one line on stdin, the JSON list of job ids the orchestrator
created in the meantime (so no job runs while a contender is still importing). It then drives
the jobs and writes its `Recorder` as JSON to ``spec["out"]``.

Times are ``time.monotonic()`` readings: CLOCK_MONOTONIC is one clock for every process on a
Linux machine, so the orchestrator converts them to the simulator's seconds.
"""

from __future__ import annotations

import hashlib
import json
import os
import resource
import sys
import time
from array import array
from typing import Any

__all__ = [
    "DigestRecorder",
    "Recorder",
    "compress_time_sleep",
    "handshake",
    "key_digest",
    "recorder_for",
    "reset_peak_rss",
    "rss_kib",
]


def rss_kib(field: str = "VmRSS") -> int:
    """This process's resident set size now (``VmRSS``) or its peak (``VmHWM``), in KiB.

    From /proc; 0 where there is none. The peak is read from ``VmHWM`` rather than
    ``ru_maxrss``: Linux carries ``ru_maxrss`` over from the parent across fork and exec, so a
    child started by a large orchestrator would report the orchestrator's size.
    """
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith(f"{field}:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def reset_peak_rss() -> bool:
    """Restart this process's ``VmHWM`` from its current RSS; False where Linux cannot.

    Writing ``5`` to /proc/self/clear_refs (Linux 4.0+) does it, so a peak read later is the
    peak since now, not one reached while importing.
    """
    try:
        with open("/proc/self/clear_refs", "w", encoding="ascii") as refs:
            refs.write("5")
    except OSError:
        return False
    return True


def _cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def handshake() -> tuple[dict[str, Any], list[str]]:
    """Read the spec from argv, say ``ready``, and wait for the job ids.

    A spec's ``memory_limit`` (bytes) caps the process's address space, so a contender that
    needs more fails with `MemoryError` instead of pressing the machine.
    """
    spec: dict[str, Any] = json.loads(sys.argv[1])
    if spec.get("memory_limit"):
        limit = int(spec["memory_limit"])
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    print("ready", flush=True)
    line = sys.stdin.readline()
    job_ids: list[str] = json.loads(line)
    return spec, job_ids


def compress_time_sleep(speed: float) -> None:
    """Make ``time.sleep(s)`` sleep ``s / speed``: the SDK's fixed 2 s polls, time-compressed.

    The SDK calls ``time.sleep`` through the ``time`` module, so patching the module attribute
    reaches it; nothing else in the SDK changes.
    """
    if speed == 1.0:
        return
    real_sleep = time.sleep

    def sleep(seconds: float) -> None:
        real_sleep(max(0.0, seconds) / speed)

    time.sleep = sleep  # type: ignore[assignment]


class Recorder:
    """What a contender saw: when each document reached the caller, when the call returned.

    Made after the imports: its RSS then is the baseline, and the peak restarts from it; a
    crawling contender moves both to the moment its client is built (`client_built`).
    """

    def __init__(self) -> None:
        self.received: list[tuple[str, float]] = []
        self.finished: list[tuple[str, float]] = []
        self.errors: list[str] = []
        self.extra: dict[str, Any] = {}
        self.baseline_rss_kib = rss_kib()
        self.peak_reset = reset_peak_rss()
        self._cpu0 = _cpu_seconds()
        self.started = time.monotonic()

    def client_built(self) -> None:
        """The contender built its client (an httpx client loads its certificates, some 3 MiB,
        and imports its transport, httpcore and h11) and sends its first request next: the
        baseline, the peak and the CPU count restart here, the same rule for every contender,
        since importing and building a client is not reading answers."""
        self.baseline_rss_kib = rss_kib()
        self.peak_reset = reset_peak_rss()
        self._cpu0 = _cpu_seconds()

    def document(self, key: str) -> None:
        """A document with this identity reached the caller now."""
        self.received.append((key, time.monotonic()))

    def done(self, job_id: str) -> None:
        """The call for this job returned now."""
        self.finished.append((job_id, time.monotonic()))

    def error(self, job_id: str, error: BaseException) -> None:
        """The call for this job raised."""
        self.errors.append(f"{job_id}: {type(error).__name__}: {str(error)[:200]}")
        self.done(job_id)

    def deliveries(self) -> dict[str, Any]:
        """The record of each delivery, as `write` writes it."""
        return {"received": self.received}

    def write(self, path: str) -> None:
        """Write everything, with CPU seconds and peak RSS since the recorder was made."""
        cpu_seconds, peak_rss_kib = _cpu_seconds() - self._cpu0, rss_kib("VmHWM")
        payload = {
            **self.deliveries(),  # listed after the peak was read
            "finished": self.finished,
            "errors": self.errors,
            "extra": self.extra,
            "started": self.started,
            "cpu_seconds": cpu_seconds,
            "baseline_rss_kib": self.baseline_rss_kib,
            "peak_rss_kib": peak_rss_kib,
            "peak_reset": self.peak_reset,
            "python": sys.version.split()[0],
            "pid": os.getpid(),
        }
        tmp = f"{path}.tmp"
        with open(tmp, "w", encoding="utf-8") as handle:
            json.dump(payload, handle)
        os.replace(tmp, path)


_CHUNK = 8192
"""Deliveries per array of a `DigestRecorder`."""


def key_digest(key: str) -> int:
    """A document identity's 64-bit digest, as a `DigestRecorder` keeps it."""
    data = key.encode("utf-8", "surrogatepass")
    return int.from_bytes(hashlib.blake2b(data, digest_size=8).digest(), "little")


class DigestRecorder(Recorder):
    """A `Recorder` that keeps 16 bytes a document, its identity's `key_digest` and the time,
    instead of the identity: a long crawl's record then barely moves the contender's peak RSS,
    which the v2 benchmark measures. Kept in arrays of a bounded size (one growing array would
    be reallocated over and over, its freed copies left as holes in the heap); written as
    ``received_digests`` and ``received_at``."""

    def __init__(self) -> None:
        super().__init__()
        self._digests: list[array[int]] = []
        self._times: list[array[float]] = []

    def document(self, key: str) -> None:
        """A document with this identity reached the caller now."""
        if not self._digests or len(self._digests[-1]) >= _CHUNK:
            self._digests.append(array("Q"))
            self._times.append(array("d"))
        self._digests[-1].append(key_digest(key))
        self._times[-1].append(time.monotonic())

    def deliveries(self) -> dict[str, Any]:
        """The digests and times, in delivery order."""
        return {
            "received": [],
            "received_digests": [value for chunk in self._digests for value in chunk],
            "received_at": [value for chunk in self._times for value in chunk],
        }


MEMORY_TAGS = frozenset({"rss", "huge"})
"""The runs that measure peak RSS and read no delivery times: recorded by `DigestRecorder`."""


def recorder_for(spec: dict[str, Any]) -> Recorder:
    """The recorder for a run: compact (`DigestRecorder`) where peak RSS is the figure, so the
    driver's own record of 10,000 deliveries (some 1.3 MiB as strings and tuples) is not
    counted as the contender's memory."""
    return DigestRecorder() if spec.get("tag") in MEMORY_TAGS else Recorder()
