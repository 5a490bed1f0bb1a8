"""The outside tools ``scripts/contract-review`` drives, installed on first use and pinned.

* Redocly CLI (``@redocly/cli``, exact version in ``redocly/package.json`` beside this file,
  integrity in the committed ``redocly/package-lock.json``) lints the spec with our ruleset
  (``redocly/redocly.yaml``) and renders it into one offline HTML file. It is installed with
  the machine's npm (``npm ci``, no install scripts) into the git-ignored ``.tools/contract/``;
  a stamp of the manifest's hash skips the install on later runs.
* Debian's ``chromium``, only for the test that looks at the rendered page:
  :func:`ensure_chromium` installs it with apt-get when it is missing and this process may.

Redocly's telemetry and update check are switched off for every call: nothing here leaves the
machine except the npm and apt installs themselves.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from scripts import ROOT

__all__ = [
    "LintFinding",
    "ToolError",
    "build_docs",
    "ensure_chromium",
    "ensure_redocly",
    "lint",
    "redocly_version",
]

MANIFEST = Path(__file__).resolve().parent / "redocly"
RULESET = MANIFEST / "redocly.yaml"
TOOLS = ROOT / ".tools" / "contract"
REDOCLY_ENV = {
    "REDOCLY_TELEMETRY": "off",
    "REDOCLY_SUPPRESS_UPDATE_NOTICE": "true",
    "NO_COLOR": "1",
}
#: The Redocly logo that Redoc's footer loads from Redocly's CDN; replaced by an inline image of the
#: word, so that the rendered page makes no request at all when viewed.
CDN_LOGOS = (
    "https://cdn.redoc.ly/redoc/logo-mini-full.svg",
    "https://cdn.redoc.ly/redoc/logo-mini.svg",
)
INLINE_LOGO = "data:image/svg+xml," + quote(
    '<svg xmlns="http://www.w3.org/2000/svg" width="48" height="12">'
    '<text x="0" y="10" font-family="sans-serif" font-size="11" fill="#555">Redocly</text></svg>'
)


class ToolError(RuntimeError):
    """A tool could not be installed or did not answer as expected."""


@dataclass(frozen=True)
class LintFinding:
    """One problem Redocly CLI reports.

    Attributes:
        severity: ``error`` or ``warn``.
        rule: The rule id, for example ``rule/property-description``.
        pointer: JSON pointer of the offending node, for example ``#/paths/...``.
        line: Line in the linted file (0 when unknown).
        message: Redocly's message.
    """

    severity: str
    rule: str
    pointer: str
    line: int
    message: str

    def line_text(self, file_label: str) -> str:
        """The finding as one report line."""
        place = f"{file_label}:{self.line}"
        return f"{self.severity:<5}  {place}  {self.rule}  {self.pointer}: {self.message}"


def _manifest_hash() -> str:
    digest = hashlib.sha256()
    for name in ("package.json", "package-lock.json"):
        digest.update((MANIFEST / name).read_bytes())
    return digest.hexdigest()


def ensure_redocly() -> Path:
    """Install the pinned Redocly CLI into ``.tools/contract`` when needed; return its binary.

    Raises:
        ToolError: npm is missing or the install failed.
    """
    binary = TOOLS / "node_modules" / ".bin" / "redocly"
    stamp = TOOLS / ".installed-manifest"
    want = _manifest_hash()

    def installed() -> bool:
        return binary.exists() and stamp.exists() and stamp.read_text().strip() == want

    if installed():
        return binary
    npm = shutil.which("npm")
    if npm is None:
        raise ToolError(
            "npm is not on PATH: scripts/contract-review needs Node.js 20.19+ with npm "
            "(Debian: apt-get install nodejs npm) to install Redocly CLI"
        )
    TOOLS.mkdir(parents=True, exist_ok=True)
    with (TOOLS.parent / "contract.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # another run may be installing right now
        if installed():
            return binary
        stamp.unlink(missing_ok=True)
        for name in ("package.json", "package-lock.json"):
            shutil.copyfile(MANIFEST / name, TOOLS / name)
        command = [npm, "ci", "--ignore-scripts", "--no-audit", "--no-fund", "--loglevel=error"]
        result = subprocess.run(command, cwd=TOOLS, capture_output=True, text=True)
        if result.returncode != 0 or not binary.exists():
            raise ToolError(f"npm ci in {TOOLS} failed:\n{result.stdout}{result.stderr}")
        stamp.write_text(want + "\n")
    return binary


def _redocly(*args: str) -> subprocess.CompletedProcess[str]:
    binary = ensure_redocly()
    env = {**os.environ, **REDOCLY_ENV}
    return subprocess.run([str(binary), *args], capture_output=True, text=True, env=env)


def redocly_version() -> str:
    """The installed Redocly CLI version, read from its package manifest."""
    ensure_redocly()
    manifest = TOOLS / "node_modules" / "@redocly" / "cli" / "package.json"
    version: str = json.loads(manifest.read_text())["version"]
    return version


def lint(spec: Path, ruleset: Path = RULESET) -> list[LintFinding]:
    """Lint ``spec`` with Redocly CLI and our ruleset.

    Returns:
        The findings, errors first; empty when the spec is clean.

    Raises:
        ToolError: Redocly CLI did not produce its JSON report.
    """
    result = _redocly("lint", str(spec), "--config", str(ruleset), "--format", "json")
    try:
        report = json.loads(result.stdout)
    except json.JSONDecodeError as exc:
        raise ToolError(f"redocly lint gave no JSON report:\n{result.stderr}") from exc
    findings = []
    for problem in report.get("problems", []):
        location = (problem.get("location") or [{}])[0]
        findings.append(
            LintFinding(
                severity=str(problem.get("severity", "error")),
                rule=str(problem.get("ruleId", "?")),
                pointer=str(location.get("pointer", "")),
                line=int((location.get("start") or {}).get("line", 0)),
                message=" ".join(str(problem.get("message", "")).split()),
            )
        )
    return sorted(findings, key=lambda f: (f.severity != "error", f.line, f.rule))


def build_docs(spec: Path, out_dir: Path, title: str = "Firecrawl job status") -> Path:
    """Render ``spec`` into ``out_dir/index.html``: one self-contained file, viewable offline.

    Raises:
        ToolError: Redocly CLI failed.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    page = out_dir / "index.html"
    args = ["build-docs", str(spec), "--inlineBundle", "--title", title, "--output", str(page)]
    result = _redocly(*args)
    if result.returncode != 0 or not page.is_file():
        raise ToolError(f"redocly build-docs failed:\n{result.stdout}{result.stderr}")
    html = page.read_text(encoding="utf-8")
    for logo in CDN_LOGOS:
        html = html.replace(logo, INLINE_LOGO)
    page.write_text(html, encoding="utf-8")
    return page


def ensure_chromium() -> tuple[str | None, str]:
    """Debian's Chromium, installed with apt-get when missing and this process is root.

    Returns:
        ``(path, "")`` when Chromium is there, else ``(None, why it cannot be had)``.
    """
    found = shutil.which("chromium")
    if found:
        return found, ""
    if not shutil.which("apt-get"):
        return None, "Debian's chromium is not installed and there is no apt-get to install it"
    if os.geteuid() != 0:
        return None, "Debian's chromium is not installed and installing it needs root"
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    install = ["apt-get", "install", "-y", "-qq", "chromium"]
    result = subprocess.run(install, capture_output=True, text=True, env=env)
    if result.returncode != 0:  # the package lists may be missing or stale: refresh once
        subprocess.run(["apt-get", "update", "-qq"], capture_output=True, env=env)
        result = subprocess.run(install, capture_output=True, text=True, env=env)
    found = shutil.which("chromium")
    if found:
        return found, ""
    return None, f"apt-get install chromium failed: {result.stderr.strip()[-300:]}"
