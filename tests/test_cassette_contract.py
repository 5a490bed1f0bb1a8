"""The cassette contract (scripts/cassettes/contract.py): every recorded interaction must be one
openapi.yaml allows.

First the checker itself, on hand-made cassettes; then every committed cassette in
tests/cassettes/. A failure names the cassette, the interaction number and the field; the last
test proves that by contradicting the spec with a recorded answer.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from scripts import ROOT
from scripts.cassettes import CASSETTES
from scripts.cassettes import contract as cassette_contract

SPEC = ROOT / "openapi.yaml"
CRAWL = "https://api.firecrawl.dev/v0/crawl/status/job-1"
EXTRACT = "https://api.firecrawl.dev/v1/extract/job-2"


def interaction(
    uri: str,
    status: int,
    body: Any = None,
    content_type: str = "application/json; charset=utf-8",
    request_headers: dict[str, list[str]] | None = None,
) -> dict[str, Any]:
    """One interaction in vcrpy's YAML layout (headers as lists, body under ``string``)."""
    text = "" if body is None else body if isinstance(body, str) else json.dumps(body)
    headers = {"ETag": ['W/"1a-2b"']}
    if text:
        headers["Content-Type"] = [content_type]
    return {
        "request": {
            "body": "",
            "headers": request_headers or {},
            "method": "GET",
            "uri": uri,
        },
        "response": {
            "body": {"string": text},
            "headers": headers,
            "status": {"code": status, "message": "whatever"},
        },
    }


def cassette(folder: Path, name: str, *interactions: dict[str, Any]) -> Path:
    path = folder / name
    path.write_text(yaml.safe_dump({"interactions": list(interactions), "version": 1}))
    return path


ACTIVE = {"status": "active", "current": 1, "total": 3, "data": None, "partial_data": []}


def test_valid_cassettes_pass(tmp_path: Path) -> None:
    """Answers of every declared shape, including a 304 with an empty body, validate."""
    crawl = cassette(
        tmp_path,
        "crawl.yaml",
        interaction(CRAWL, 200, ACTIVE, request_headers={"Authorization": ["Bearer fc-x"]}),
        interaction(CRAWL, 304, request_headers={"If-None-Match": ['W/"1a-2b"']}),
        interaction(CRAWL, 404, {"error": "Job not found"}),
        interaction(CRAWL, 404, "<pre>Cannot GET</pre>", content_type="text/html; charset=utf-8"),
        interaction(CRAWL, 429, {"error": "Rate limit exceeded ... retry after 1s"}),
    )
    extract = cassette(
        tmp_path,
        "extract.yaml",
        interaction(EXTRACT, 200, {"success": True, "status": "processing", "data": []}),
        interaction(EXTRACT, 500, {"success": False, "error": "boom", "code": "UNKNOWN_ERROR"}),
    )
    assert cassette_contract.validate_cassettes(SPEC, [crawl, extract]) == []


V2_CRAWL = "https://api.firecrawl.dev/v2/crawl/54086fa3-361f-4649-8e0e-d3b2cb6a37ab"
V1_BATCH = "https://api.firecrawl.dev/v1/batch/scrape/54086fa3-361f-4649-8e0e-d3b2cb6a37ab"
SCRAPING = {
    "success": True,
    "status": "scraping",
    "completed": 1,
    "total": 3,
    "creditsUsed": -1,
    "expiresAt": "2025-08-02T12:00:01.000Z",
    "next": V2_CRAWL + "?skip=1",
    "data": [{"markdown": "# Home", "metadata": {"sourceURL": "https://example.com/"}}],
}
ERRORS = {
    "errors": [
        {
            "id": "0d0e6a1c-7b2f-4c11-9d53-6f1f5e0a2b77",
            "timestamp": "2025-08-01T12:00:01.000Z",
            "url": "https://example.com/broken",
            "code": "SCRAPE_TIMEOUT",
            "error": "Request timed out",
        }
    ],
    "robotsBlocked": ["https://example.com/private/"],
}


def test_valid_v1_v2_cassettes_pass(tmp_path: Path) -> None:
    """The v1/v2 routes: a page with next (and skip/limit), 304, the kickoff failure, 404,
    400, a 429 with Retry-After and retry_after_seconds, and /errors; the v1 twin too."""
    rate_limited = interaction(
        V2_CRAWL + "?skip=1",
        429,
        {"success": False, "error": "Rate limit exceeded", "retry_after_seconds": 3},
    )
    rate_limited["response"]["headers"]["Retry-After"] = ["3"]
    path = cassette(
        tmp_path,
        "v2.yaml",
        interaction(V2_CRAWL, 200, SCRAPING),
        interaction(V2_CRAWL + "?skip=1&limit=10", 304, request_headers={"If-None-Match": ["x"]}),
        interaction(
            V2_CRAWL, 200, {"success": False, "status": "failed", "error": "no", "data": []}
        ),
        interaction(V2_CRAWL, 404, {"success": False, "error": "Job not found"}),
        interaction(V2_CRAWL, 400, {"success": False, "error": "Invalid job ID"}),
        rate_limited,
        interaction(V2_CRAWL + "/errors", 200, ERRORS),
        interaction(V1_BATCH, 200, {**SCRAPING, "next": V1_BATCH + "?skip=1"}),
        interaction(V1_BATCH + "/errors", 200, {"errors": [], "robotsBlocked": []}),
    )
    assert cassette_contract.validate_cassettes(SPEC, [path]) == []


@pytest.mark.parametrize(
    ("record", "field"),
    [
        (interaction(V2_CRAWL, 200, {**SCRAPING, "completed": "two"}), "response.body.completed"),
        (interaction(V2_CRAWL, 200, {**SCRAPING, "data": None}), "response.body.data"),
        (interaction(V2_CRAWL + "?skip=-1", 200, SCRAPING), "request.query.skip"),
        (interaction(V2_CRAWL + "/errors", 200, {"errors": []}), "response.body"),
        (interaction(V2_CRAWL + "/errors", 304, ERRORS), "response.body"),
    ],
    ids=["completed-not-integer", "data-null", "negative-skip", "errors-missing-key", "304-body"],
)
def test_v1_v2_violations_name_the_field(
    tmp_path: Path, record: dict[str, Any], field: str
) -> None:
    """A v1/v2 answer or request the spec does not allow is named by its field."""
    path = cassette(tmp_path, "v2.yaml", record)
    assert [v.field for v in cassette_contract.validate_cassettes(SPEC, [path])] == [field]


def test_wrong_field_type_names_cassette_interaction_and_field(tmp_path: Path) -> None:
    """A response field of the wrong type is reported with cassette, interaction and field."""
    path = cassette(
        tmp_path,
        "growing.yaml",
        interaction(CRAWL, 200, ACTIVE),
        interaction(CRAWL, 200, {**ACTIVE, "current": "two"}),
    )
    violations = cassette_contract.validate_cassettes(SPEC, [path])
    assert [(v.cassette, v.interaction, v.field) for v in violations] == [
        ("growing.yaml", 2, "response.body.current")
    ]
    line = violations[0].line()
    assert line.startswith("growing.yaml #2 response.body.current: ")
    assert "'two' is not of type 'integer'" in line


def test_nested_field_is_named_through_any_of(tmp_path: Path) -> None:
    """An error inside a document in ``data`` (an anyOf) names the deepest field."""
    bad = {**ACTIVE, "status": "completed", "data": [{"metadata": {"pageStatusCode": "200"}}]}
    path = cassette(tmp_path, "done.yaml", interaction(CRAWL, 200, bad))
    [violation] = cassette_contract.validate_cassettes(SPEC, [path])
    assert violation.field == "response.body.data[0].metadata.pageStatusCode"


def test_undeclared_status_code_fails(tmp_path: Path) -> None:
    """A status the operation does not declare is a violation of ``response.status``."""
    path = cassette(tmp_path, "teapot.yaml", interaction(EXTRACT, 418, {"error": "teapot"}))
    [violation] = cassette_contract.validate_cassettes(SPEC, [path])
    assert (violation.cassette, violation.interaction, violation.field) == (
        "teapot.yaml",
        1,
        "response.status",
    )
    assert "418 is not declared" in violation.message


@pytest.mark.parametrize(
    ("record", "field"),
    [
        (interaction("https://api.firecrawl.dev/v3/crawl/x", 200, ACTIVE), "request.uri"),
        (interaction(CRAWL, 304, {"status": "active"}), "response.body"),
        (interaction(CRAWL, 404, "Not found", content_type="text/plain"), "response.content-type"),
        (interaction(EXTRACT, 200, {"status": "completed"}), "response.body"),
    ],
    ids=["unknown-path", "304-with-body", "undeclared-content-type", "missing-required"],
)
def test_other_violations(tmp_path: Path, record: dict[str, Any], field: str) -> None:
    """Unknown paths, a 304 with a body, undeclared content types, missing required keys."""
    path = cassette(tmp_path, "one.yaml", record)
    assert [v.field for v in cassette_contract.validate_cassettes(SPEC, [path])] == [field]


def test_unreadable_cassette_is_a_violation(tmp_path: Path) -> None:
    """A file that is not a vcrpy cassette is reported as interaction 0."""
    path = tmp_path / "broken.yaml"
    path.write_text("just: a mapping\n")
    [violation] = cassette_contract.validate_cassettes(SPEC, [path])
    assert (violation.cassette, violation.interaction, violation.field) == (
        "broken.yaml",
        0,
        "cassette",
    )


def test_cli_exit_status(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The CLI prints one line per violation and exits 1, or exits 0 when all validate."""
    good = cassette(tmp_path, "good.yaml", interaction(CRAWL, 200, ACTIVE))
    bad = cassette(tmp_path, "bad.yaml", interaction(CRAWL, 200, {"status": 3}))
    assert cassette_contract.main([str(good)]) == 0
    assert cassette_contract.main([str(good), str(bad)]) == 1
    [line] = capsys.readouterr().out.splitlines()
    assert line.startswith("bad.yaml #1 response.body.status: ")


# -- every committed cassette ------------------------------------------------------------------


@pytest.mark.parametrize("path", sorted(CASSETTES.glob("*.yaml")), ids=lambda path: path.stem)
def test_cassette_fits_the_spec(path: Path) -> None:
    """Every request and answer of the cassette is one openapi.yaml declares."""
    violations = cassette_contract.validate_cassettes(SPEC, [path])
    assert not violations, "\n".join(violation.line() for violation in violations)


def test_a_spec_contradicting_a_recorded_answer_fails_precisely(tmp_path: Path) -> None:
    """`current` made a string: the failure names the cassette, interaction number and field."""
    spec = SPEC.read_text()
    current = spec.index("        current:\n")
    integer = spec.index("type: integer", current)
    assert integer - current < 400, "the `current` property moved; update this test"
    broken = tmp_path / "openapi.yaml"
    broken.write_text(spec[:integer] + "type: string" + spec[integer + len("type: integer") :])

    cassette = CASSETTES / "crawl-growing.yaml"
    violations = cassette_contract.validate_cassettes(broken, [cassette])

    assert violations
    first = violations[0]
    # Interaction 1 is the first poll: {"status": "active", "current": 0, ...}.
    assert (first.cassette, first.interaction, first.field) == (
        "crawl-growing.yaml",
        1,
        "response.body.current",
    )
    assert "is not of type 'string'" in first.message
    assert first.line().startswith("crawl-growing.yaml #1 response.body.current: ")
    assert all(v.field == "response.body.current" for v in violations)
