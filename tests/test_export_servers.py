"""`firecrawl-status export ID` with the store keyed by server: it finds the job's server by
itself when one server holds the id, and asks for --base-url only when several do. In-process."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from firecrawl_status import JobStore
from firecrawl_status._cli import main

T0 = dt.datetime(2025, 8, 1, 12, 0, 0, tzinfo=dt.UTC)
PRODUCTION = "https://api.firecrawl.dev"
STAGING = "http://127.0.0.1:3002"


@pytest.fixture
def store_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A store with crawl "shared" on both servers and "solo" on staging only."""
    monkeypatch.delenv("FIRECRAWL_API_URL", raising=False)
    monkeypatch.setenv("FIRECRAWL_STATUS_HOME", str(tmp_path / "home"))
    path = tmp_path / "jobs.sqlite3"
    with JobStore(path) as store:
        for server, job_id in ((PRODUCTION, "shared"), (STAGING, "shared"), (STAGING, "solo")):
            store.record_job(
                job_id=job_id, kind="crawl", base_url=server, status="completed", seen_at=T0
            )
            page = {"url": f"{server}/{job_id}"}
            store.add_documents(job_id, [(page["url"], None, page)], base_url=server)
    return path


def export(
    store_path: Path, capsys: pytest.CaptureFixture[str], *args: str
) -> tuple[int, list[str], str]:
    code = main(["export", *args, "--store", str(store_path)])
    out, err = capsys.readouterr()
    return code, [json.loads(line)["url"] for line in out.splitlines()], err


def test_the_only_server_holding_the_id_is_found(
    store_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, urls, _ = export(store_path, capsys, "solo")  # FIRECRAWL_API_URL unset: production
    assert (code, urls) == (0, [f"{STAGING}/solo"])


def test_several_servers_prefer_the_configured_one(
    store_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    assert export(store_path, capsys, "shared")[:2] == (0, [f"{PRODUCTION}/shared"])
    monkeypatch.setenv("FIRECRAWL_API_URL", STAGING + "/")
    assert export(store_path, capsys, "shared")[:2] == (0, [f"{STAGING}/shared"])
    code, urls, _ = export(store_path, capsys, "shared", "--base-url", PRODUCTION)
    assert (code, urls) == (0, [f"{PRODUCTION}/shared"])


def test_several_servers_and_none_configured_asks_for_base_url(
    store_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FIRECRAWL_API_URL", "http://127.0.0.1:9")
    code, urls, err = export(store_path, capsys, "shared")
    assert (code, urls) == (2, [])
    assert PRODUCTION in err
    assert STAGING in err
    assert "--base-url" in err


def test_an_explicit_server_without_the_job_is_not_kept(
    store_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, urls, err = export(store_path, capsys, "solo", "--base-url", PRODUCTION)
    assert (code, urls) == (3, [])
    assert "solo" in err
    assert "api.firecrawl.dev" in err
