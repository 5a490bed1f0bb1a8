"""Regenerate ``generated/`` from ``openapi.yaml`` with the pinned openapi-python-client.

``scripts/regenerate`` is the only writer of ``generated/``. The generator always writes into
a temporary folder first, so its post-hooks run in the same place on every machine; then the
tree is either copied over ``generated/`` or, with ``--check``, compared with it, printing a
unified diff and exiting 1 when they differ.
"""

from __future__ import annotations

import argparse
import difflib
import importlib.metadata
import os
import re
import shutil
import subprocess
import sys
import tempfile
import tomllib
from pathlib import Path

from scripts import ROOT

SPEC = ROOT / "openapi.yaml"
TARGET = ROOT / "generated"
CODEGEN = Path(__file__).resolve().parent
GENERATOR = "openapi-python-client"


def pinned_version(package: str) -> str:
    """The exact version pyproject.toml's dev extra pins for ``package``."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    for requirement in project["optional-dependencies"]["dev"]:
        match = re.fullmatch(rf"{re.escape(package)}==([\w.]+)", requirement)
        if match:
            return match.group(1)
    raise SystemExit(f"pyproject.toml does not pin {package} with '=='")


def check_tools() -> None:
    """Refuse to run with an installed generator or formatter other than the pinned ones."""
    for package in (GENERATOR, "ruff"):
        want, have = pinned_version(package), importlib.metadata.version(package)
        if want != have:
            raise SystemExit(
                f"{package} {have} is installed but pyproject.toml pins {want}; "
                "run scripts/regenerate (it reinstalls .venv) instead of this module directly"
            )


def generate(into: Path, spec: Path = SPEC) -> Path:
    """Run the generator on ``spec``; return the folder holding the new package."""
    out = into / "generated"
    env = dict(os.environ)
    # The post-hooks call `ruff` by name: make it the pinned one from this interpreter's venv.
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    command = [
        sys.executable,
        "-m",
        "openapi_python_client",
        "generate",
        "--path",
        str(spec.resolve()),
        "--config",
        str(CODEGEN / "config.yaml"),
        "--custom-template-path",
        str(CODEGEN / "templates"),
        "--meta",
        "none",
        "--output-path",
        str(out),
    ]
    result = subprocess.run(command, cwd=into, env=env, capture_output=True, text=True)
    if result.returncode != 0 or not (out / "__init__.py").is_file():
        sys.stderr.write(result.stdout + result.stderr)
        raise SystemExit(f"{GENERATOR} failed on {spec.name}")
    # The generator reports spec problems it worked around as warnings but still exits 0.
    if "Warning" in result.stdout or "Warning" in result.stderr:
        sys.stderr.write(result.stdout + result.stderr)
        raise SystemExit(f"{GENERATOR} warned about {spec.name}; fix the spec")
    return out


def tree(folder: Path) -> dict[str, bytes]:
    """Every file below ``folder`` by relative POSIX path, ignoring bytecode caches."""
    if not folder.is_dir():
        return {}
    return {
        path.relative_to(folder).as_posix(): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file() and "__pycache__" not in path.parts
    }


def changed(old: dict[str, bytes], new: dict[str, bytes]) -> list[str]:
    """Names of the files that differ between two trees."""
    return [name for name in sorted(old.keys() | new.keys()) if old.get(name) != new.get(name)]


def diff(old: dict[str, bytes], new: dict[str, bytes]) -> list[str]:
    """A unified diff from ``old`` (committed) to ``new`` (fresh) naming each file."""
    lines: list[str] = []
    for name in changed(old, new):
        before = old.get(name, b"").decode("utf-8", "replace").splitlines(keepends=True)
        after = new.get(name, b"").decode("utf-8", "replace").splitlines(keepends=True)
        lines.extend(
            difflib.unified_diff(before, after, f"a/generated/{name}", f"b/generated/{name}")
        )
        if lines and not lines[-1].endswith("\n"):
            lines[-1] += "\n"
    return lines


def main(argv: list[str] | None = None) -> int:
    """Entry point of ``scripts/regenerate``."""
    parser = argparse.ArgumentParser(prog="scripts/regenerate", description=__doc__)
    parser.add_argument(
        "--check",
        action="store_true",
        help="do not write; exit 1 with a unified diff when generated/ is stale",
    )
    args = parser.parse_args(argv)
    check_tools()
    with tempfile.TemporaryDirectory(prefix="regenerate-") as tmp:
        fresh_dir = generate(Path(tmp))
        fresh, committed = tree(fresh_dir), tree(TARGET)
        names = changed(committed, fresh)
        if args.check:
            if names:
                sys.stdout.writelines(diff(committed, fresh))
                print(
                    "\ngenerated/ is stale: it does not match openapi.yaml. "
                    "Run scripts/regenerate and commit the result.",
                    file=sys.stderr,
                )
                return 1
            print("generated/ is up to date.", file=sys.stderr)
            return 0
        if names:
            shutil.rmtree(TARGET, ignore_errors=True)
            shutil.copytree(fresh_dir, TARGET)
        print(f"generated/: {len(names)} file(s) changed.", file=sys.stderr)
    return 0
