"""Throwaway virtual environments for what the benchmark needs and the project must not depend on.

Each venv (under ``bench-out/venvs/``, git-ignored) holds one pinned requirement set: an official
SDK version, or matplotlib for the chart. A venv is reused while its requirements are unchanged;
a failed install is reported as the reason that contender could not run, never raised.
"""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

__all__ = ["VENVS", "Venv", "ensure_venv"]

VENVS: dict[str, tuple[str, ...]] = {
    "sdk-v0": ("firecrawl-py==0.0.20",),
    "sdk-v1": ("firecrawl-py==1.17.0",),
    "sdk-v4": ("firecrawl-py>=4,<5",),
    "chart": ("matplotlib>=3.8,<4",),
}
"""Requirement sets by venv name. 1.17.0 is the last 1.x release of firecrawl-py; sdk-v4 takes
the latest 4.x (the v2 client), its version recorded in the report."""


@dataclass(frozen=True)
class Venv:
    """A ready venv (``python`` set) or the reason it is not (``reason`` set)."""

    name: str
    python: Path | None
    reason: str | None
    packages: dict[str, str]


def _python_of(path: Path) -> Path:
    return path / "bin" / "python"


def _freeze(python: Path) -> dict[str, str]:
    listing = subprocess.run(
        [str(python), "-m", "pip", "list", "--format=json", "--disable-pip-version-check"],
        capture_output=True,
        text=True,
        check=True,
    )
    return {item["name"]: item["version"] for item in json.loads(listing.stdout)}


def ensure_venv(root: Path, name: str, log: Path) -> Venv:
    """Create (or reuse) the venv ``name`` under ``root``; log pip's output to ``log``."""
    requirements = VENVS[name]
    path = root / name
    stamp = path / ".bench-requirements"
    python = _python_of(path)
    wanted = "\n".join(requirements)
    try:
        if not python.exists() or not stamp.exists() or stamp.read_text() != wanted:
            log.parent.mkdir(parents=True, exist_ok=True)
            print(f"bench: installing {' '.join(requirements)} into {path} ...", file=sys.stderr)
            with log.open("w") as out:
                subprocess.run(
                    [sys.executable, "-m", "venv", "--clear", str(path)],
                    stdout=out,
                    stderr=subprocess.STDOUT,
                    check=True,
                )
                subprocess.run(
                    [
                        str(python),
                        *("-m", "pip", "install", "--quiet", "--disable-pip-version-check"),
                        *requirements,
                    ],
                    stdout=out,
                    stderr=subprocess.STDOUT,
                    check=True,
                    timeout=600,
                )
            stamp.write_text(wanted)
        return Venv(name, python, None, _freeze(python))
    except (OSError, subprocess.SubprocessError) as exc:
        tail = log.read_text()[-400:].strip() if log.exists() else ""
        reason = f"could not install {' '.join(requirements)}: {exc}"
        if tail:
            reason += f" ({tail.splitlines()[-1]})"
        return Venv(name, None, reason, {})
