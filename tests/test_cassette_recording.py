"""scripts/record-cassettes: deterministic recording, scrubbing, and live recording."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import attrs
import pytest
import vcr.request
import yaml

from firecrawl_status import StatusClient
from firecrawl_status.testing import ExtractScenario, FakeClock, Simulator, V2Scenario
from scripts import ROOT
from scripts.cassettes import record as recorder

DETERMINISM_SAMPLE = (
    "crawl-growing",
    "extract-completed",
    "v2-crawl-skip-ignored",
    "v2-crawl-etag",
)


def test_recording_twice_gives_the_committed_bytes(tmp_path: Path) -> None:
    """Two recordings of the same scenarios are byte-identical, and equal to the committed ones."""
    first, second = tmp_path / "first", tmp_path / "second"
    for out in (first, second):
        for name in DETERMINISM_SAMPLE:
            recorder.record_scenario(recorder.BY_NAME[name], out)
    for name in DETERMINISM_SAMPLE:
        fresh = (first / f"{name}.yaml").read_bytes()
        assert fresh == (second / f"{name}.yaml").read_bytes(), f"{name} is not deterministic"
        committed = recorder.CASSETTES / f"{name}.yaml"
        assert fresh == committed.read_bytes(), (
            f"tests/cassettes/{name}.yaml is stale: run scripts/record-cassettes {name}"
        )


def test_check_flag_reports_a_stale_cassette(tmp_path: Path) -> None:
    """--check exits 0 on fresh cassettes and 1, naming it, on a stale one; it writes nothing."""
    name = "crawl-not-found"
    recorder.record_scenario(recorder.BY_NAME[name], tmp_path)
    command = [sys.executable, "-m", "scripts.cassettes", "--check", "--out", str(tmp_path), name]
    ok = subprocess.run(command, capture_output=True, text=True, cwd=ROOT)
    assert ok.returncode == 0, ok.stderr
    (tmp_path / f"{name}.yaml").write_text("interactions: []\nversion: 1\n")
    stale = subprocess.run(command, capture_output=True, text=True, cwd=ROOT)
    assert stale.returncode == 1
    assert f"{name}: stale" in stale.stderr
    assert (tmp_path / f"{name}.yaml").read_text() == "interactions: []\nversion: 1\n"


def test_a_failed_recording_leaves_the_committed_file_alone(tmp_path: Path) -> None:
    """A scenario whose outcome is not the expected one fails and writes nothing."""
    scenario = recorder.BY_NAME["crawl-forbidden"]
    wrong = attrs.evolve(scenario, expect="CrawlResult")
    target = tmp_path / "crawl-forbidden.yaml"
    target.write_text("previous\n")
    with pytest.raises(SystemExit, match="expected CrawlResult, got"):
        recorder.record_scenario(wrong, tmp_path)
    assert target.read_text() == "previous\n"


def test_live_recording_scrubs_the_key_and_host_and_replays(tmp_path: Path) -> None:
    """--base-url records a real server's job: production host, no key, and it replays."""
    key = "fc-live-secret-0123456789"
    sim = Simulator(api_key=key)  # real clock: an extract that is already done reads once
    job_id = sim.add_extract(ExtractScenario(duration=0))
    with sim.serve() as server:
        outcome = recorder.record_live(
            base_url=server.base_url,
            api_key=key,
            kind="extract",
            job_id=job_id,
            name="live-extract",
            timeout=30.0,
            out_dir=tmp_path,
        )
    assert outcome["outcome"] == "ExtractResult"
    path = tmp_path / "live-extract.yaml"
    text = path.read_text()
    assert key not in text
    assert "127.0.0.1" not in text
    cassette = yaml.safe_load(text)
    assert cassette["metadata"]["source"] == "live"
    assert [i["request"]["uri"] for i in cassette["interactions"]] == [
        f"https://api.firecrawl.dev/v1/extract/{job_id}"
    ]
    call = recorder.Call.from_dict(cassette["metadata"]["call"])
    options = recorder.client_options(call, FakeClock())
    with recorder.use_cassette(path), StatusClient(base_url=recorder.PRODUCTION, **options) as c:
        assert recorder.summarize(recorder.run_sync(c, call)) == outcome


def test_live_recording_of_a_v2_batch_scrape_reads_v2_and_replays(tmp_path: Path) -> None:
    """--batch-id reads through v2 by default; the call (api included) replays from metadata."""
    key = "fc-live-secret-batch"
    sim = Simulator(api_key=key)  # real clock: one read, whatever the job holds by then
    job_id = sim.add_job(V2Scenario(kind="batch", pages=3, failing_pages={2}))
    with sim.serve() as server:
        argv = ["--base-url", server.base_url, "--api-key", key, "--batch-id", job_id]
        assert recorder.main([*argv, "--how", "errors", "--out", str(tmp_path)]) == 0
    path = tmp_path / "live-batch-scrape.yaml"
    text = path.read_text()
    assert key not in text
    cassette = yaml.safe_load(text)
    assert cassette["metadata"]["call"]["api"] == "v2"
    assert [i["request"]["uri"] for i in cassette["interactions"]] == [
        f"https://api.firecrawl.dev/v2/batch/scrape/{job_id}/errors"
    ]
    call = recorder.Call.from_dict(cassette["metadata"]["call"])
    options = recorder.client_options(call, FakeClock())
    with recorder.use_cassette(path), StatusClient(base_url=recorder.PRODUCTION, **options) as c:
        replayed = recorder.run_sync(c, call)
    assert recorder.summarize(replayed) == cassette["metadata"]["outcome"]


def test_live_recording_refuses_a_batch_scrape_on_v0(capsys: pytest.CaptureFixture[str]) -> None:
    """A batch scrape has no v0 route: the command says so instead of recording."""
    argv = ["--base-url", "http://127.0.0.1:9", "--batch-id", "x", "--api", "v0"]
    with pytest.raises(SystemExit):
        recorder.main(argv)
    assert "--api v1 or v2" in capsys.readouterr().err


def test_live_recording_refuses_to_write_a_cassette_holding_the_key(tmp_path: Path) -> None:
    """If the key shows up anywhere in the recorded traffic, nothing is written."""
    key = "fc-live-secret-echoed"
    sim = Simulator(api_key=key)
    job_id = sim.add_extract(ExtractScenario(duration=0, data={"echo": key}))
    with sim.serve() as server, pytest.raises(SystemExit, match="API key reached the cassette"):
        recorder.record_live(
            base_url=server.base_url,
            api_key=key,
            kind="extract",
            job_id=job_id,
            name="live-extract",
            timeout=30.0,
            out_dir=tmp_path,
        )
    assert not (tmp_path / "live-extract.yaml").exists()


def test_scrubbing_strips_a_base_path_and_every_header_but_if_none_match() -> None:
    """A self-hosted server behind a path prefix still records as production /v0/... URLs."""
    request = vcr.request.Request(
        "GET",
        "http://localhost:3002/firecrawl/v0/crawl/status/abc?x=1",
        b"",
        {"Authorization": "Bearer fc-x", "If-None-Match": 'W/"1"', "Host": "localhost:3002"},
    )
    scrubbed = recorder.scrub_request("/firecrawl")(request)
    assert scrubbed.uri == "https://api.firecrawl.dev/v0/crawl/status/abc?x=1"
    assert dict(scrubbed.headers) == {"if-none-match": 'W/"1"'}
    response = {
        "headers": {"Set-Cookie": ["s=1"], "ETag": ['W/"1"'], "CF-Ray": ["x"], "Date": ["d"]},
        "body": {"string": b""},
        "status": {"code": 200, "message": "OK"},
    }
    assert recorder.scrub_response(response)["headers"] == {"etag": ['W/"1"'], "date": ["d"]}


def test_list_names_every_scenario() -> None:
    """--list prints one line per scenario."""
    listed = subprocess.run(
        [sys.executable, "-m", "scripts.cassettes", "--list"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert [line.split()[0] for line in listed.splitlines()] == [
        scenario.name for scenario in recorder.SCENARIOS
    ]
