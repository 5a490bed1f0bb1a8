"""The installed package behaves like a library: it stays out of its users' way.

A user's project with packages of its own named ``facade`` or ``generated`` (this repository's
source folders) runs its tests untouched; the pytest plugin imports nothing heavy until a test
asks for a fixture, and can be switched off; type checkers see real types and `__version__`.
These run Python in a child process on purpose: the point is what a fresh interpreter, a
user's pytest run or a user's type checker sees, with the library installed.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

import firecrawl_status


def _run(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "PYTEST"))}
    return subprocess.run(
        [sys.executable, *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=300
    )


def _write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text))


USER_PROJECT = {
    "pyproject.toml": """\
        [tool.pytest.ini_options]
        testpaths = ["tests"]
    """,
    "facade/__init__.py": 'def greet() -> str:\n    return "the user\'s own facade"\n',
    "facade/_pytest_plugin.py": "raise ImportError('a user module pytest must never load')\n",
    "generated/__init__.py": "ANSWER = 42\n",
    "tests/test_own_packages.py": """\
        import facade
        import generated


        def test_their_facade_is_theirs():
            assert facade.greet() == "the user's own facade"


        def test_their_generated_is_theirs():
            assert generated.ANSWER == 42
    """,
    "tests/test_with_fixtures.py": """\
        import httpx

        from firecrawl_status import StatusClient
        from firecrawl_status.testing import CrawlScenario


        def test_the_plugin_fixtures_work_beside_them(firecrawl_simulator, firecrawl_clock):
            job = firecrawl_simulator.add_crawl(CrawlScenario(pages=7))
            http = httpx.Client(transport=firecrawl_simulator.transport())
            with StatusClient(
                base_url="https://api.firecrawl.dev", http_client=http, clock=firecrawl_clock
            ) as client:
                assert len(client.wait_for_crawl(job, timeout=600).documents) == 7
    """,
}


def test_a_project_with_its_own_facade_and_generated_packages_runs_its_tests(
    tmp_path: Path,
) -> None:
    """The issue-11 failure: a user's `facade` package broke their whole pytest start-up."""
    _write(tmp_path, USER_PROJECT)
    result = _run(["-m", "pytest", "-q", "-p", "no:cacheprovider"], tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "3 passed" in result.stdout


def test_the_plugin_can_be_switched_off(tmp_path: Path) -> None:
    """`-p no:firecrawl_status` (documented in docs/testing.md) removes the fixtures."""
    _write(tmp_path, USER_PROJECT)
    args = ["-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:firecrawl_status"]
    result = _run(args, tmp_path)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "fixture 'firecrawl_simulator' not found" in result.stdout
    assert "2 passed, 1 error" in result.stdout


def test_loading_the_plugin_imports_no_simulator(tmp_path: Path) -> None:
    """pytest loads the plugin in every run: it imports none of the library (not even httpx)
    until a fixture is used."""
    probe = (
        "import sys, pytest, firecrawl_status._pytest_plugin\n"
        "print(sorted(m for m in sys.modules if m.startswith("
        "('firecrawl_status.', 'httpx', 'attrs', 'sqlite3', 'http.server'))"
        " and m != 'firecrawl_status._pytest_plugin'))\n"
    )
    result = _run(["-c", probe], tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


def test_type_checkers_see_real_types_and_reject_misspelt_names(tmp_path: Path) -> None:
    """py.typed covers the generated part; `__version__` is declared; no catch-all names."""
    _write(
        tmp_path,
        {
            "use.py": """\
                import firecrawl_status
                from firecrawl_status import CrawlSnapshot

                def show(snapshot: CrawlSnapshot) -> None:
                    reveal_type(snapshot.model)
                    reveal_type(snapshot.model.data)
                    reveal_type(firecrawl_status.__version__)

                firecrawl_status.StatusClinet
            """
        },
    )
    result = _run(["-m", "mypy", "--strict", "--no-incremental", "use.py"], tmp_path)
    out = result.stdout
    assert 'use.py:5: note: Revealed type is "firecrawl_status._generated.models.' in out, out
    assert "list[firecrawl_status._generated.models.crawl_document.CrawlDocument]" in out, out
    assert 'use.py:7: note: Revealed type is "str"' in out, out
    assert "Any" not in out, out
    assert 'Module has no attribute "StatusClinet"' in out, out
    assert "Found 1 error" in out, out


def test_the_version_is_a_str_and_a_misspelt_name_an_error() -> None:
    """The lazy loader answers `__version__` and the names in `__all__`, nothing else: a
    misspelt attribute is an AttributeError, not a str."""
    assert isinstance(firecrawl_status.__version__, str)
    with pytest.raises(AttributeError, match="StatusClinet"):
        firecrawl_status.StatusClinet  # type: ignore[attr-defined]  # noqa: B018
    assert "StatusClient" in dir(firecrawl_status)
