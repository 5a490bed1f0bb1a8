"""scripts/contract-review: lint, classified spec changes, regeneration, cassettes, rendered docs.

The fixture spec pairs live in tests/contract_fixtures/ (``base.yaml`` against each case). Tests
that run Redocly CLI install it into .tools/contract on first use (npm, pinned by the committed
lockfile); the browser test installs Debian's chromium when it is missing and it may, and keeps
its screenshots in artifacts/contract-review/.
"""

from __future__ import annotations

import copy
import json
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from scripts import ROOT
from scripts.contract_review import generated_surface, spec_diff
from scripts.contract_review import review as contract_review
from scripts.contract_review import tools as contract_tools

FIXTURES = ROOT / "tests" / "contract_fixtures"
SPEC = ROOT / "openapi.yaml"
ARTIFACTS = ROOT / "artifacts" / "contract-review"


def load(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(path.read_text())
    return data


def kinds(changes: list[spec_diff.Change]) -> set[tuple[bool, str]]:
    return {(c.breaking, c.kind) for c in changes}


# -- the fixture spec pairs -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("case", "expected", "detail"),
    [
        ("removed_field", {(True, "field-removed")}, "field count removed"),
        ("narrowed_type", {(True, "type-narrowed")}, "label: type null | string -> string"),
        ("removed_status", {(True, "status-removed")}, "response 403 removed"),
        ("added_optional_field", {(False, "optional-field-added")}, "new optional field note"),
        ("description_only", {(False, "documentation")}, "/get/summary"),
        ("changed_enum", {(True, "enum-value-removed")}, 'kind: enum values removed: "large"'),
        ("new_required_parameter", {(True, "required-parameter-added")}, "query parameter fields"),
        ("renamed_field", {(True, "field-renamed")}, "parts[].name renamed to title"),
    ],
)
def test_fixture_pairs_are_classified(
    case: str, expected: set[tuple[bool, str]], detail: str
) -> None:
    """Each fixture pair yields exactly its kind of change, classified breaking or not."""
    changes = spec_diff.diff_specs(load(FIXTURES / "base.yaml"), load(FIXTURES / f"{case}.yaml"))
    assert kinds(changes) == expected
    assert any(detail in c.line() for c in changes), [c.line() for c in changes]


def test_identical_specs_have_no_changes() -> None:
    """A spec compared with itself yields nothing."""
    assert spec_diff.diff_specs(load(SPEC), load(SPEC)) == []


def test_breaking_changes_come_first() -> None:
    """A mixed change lists the breaking lines before the non-breaking ones."""
    new = load(FIXTURES / "added_optional_field.yaml")
    del new["components"]["schemas"]["Thing"]["properties"]["count"]
    changes = spec_diff.diff_specs(load(FIXTURES / "base.yaml"), new)
    assert [c.breaking for c in changes] == [True, False]


def _thing(spec: dict[str, Any]) -> dict[str, Any]:
    thing: dict[str, Any] = spec["components"]["schemas"]["Thing"]
    return thing


def _widen_label(s: dict[str, Any]) -> None:
    _thing(s)["properties"]["label"]["type"] = ["string", "null", "integer"]


def _open_status_value(s: dict[str, Any]) -> None:
    _thing(s)["properties"]["status"]["anyOf"][0]["enum"].append("paused")


def _closed_kind_value(s: dict[str, Any]) -> None:
    _thing(s)["properties"]["kind"]["enum"].append("huge")


def _close_status(s: dict[str, Any]) -> None:
    _thing(s)["properties"]["status"]["anyOf"].pop()  # the plain-string branch


def _uuid_format(s: dict[str, Any]) -> None:
    _thing(s)["properties"]["id"]["format"] = "uuid"


def _min_length(s: dict[str, Any]) -> None:
    _thing(s)["properties"]["id"]["minLength"] = 3


def _close_thing(s: dict[str, Any]) -> None:
    _thing(s)["additionalProperties"] = False


def _require_count(s: dict[str, Any]) -> None:
    _thing(s)["required"].append("count")


def _drop_operation(s: dict[str, Any]) -> None:
    del s["paths"]["/v1/things/{id}"]


def _rename_operation(s: dict[str, Any]) -> None:
    s["paths"]["/v1/things/{id}"]["get"]["operationId"] = "readThing"


def _add_server(s: dict[str, Any]) -> None:
    s["servers"] = [{"url": "https://example.org"}]


def _describe_property_named_description(s: dict[str, Any]) -> None:
    _thing(s)["properties"]["description"] = {"description": "A text.", "type": "string"}


@pytest.mark.parametrize(
    ("edit", "expected"),
    [
        (_widen_label, {(False, "type-widened")}),
        (_open_status_value, {(False, "enum-value-added")}),
        (_closed_kind_value, {(True, "enum-value-added")}),
        (_close_status, {(True, "enum-closed")}),
        (_uuid_format, {(True, "format-changed")}),
        (_min_length, {(True, "constraint-tightened")}),
        (_close_thing, {(True, "additional-properties-closed")}),
        (_require_count, {(True, "field-became-required")}),
        (_drop_operation, {(True, "operation-removed")}),
        (_rename_operation, {(True, "operation-id-changed")}),
        (_add_server, {(False, "unclassified")}),
        (_describe_property_named_description, {(False, "optional-field-added")}),
    ],
    ids=lambda value: getattr(value, "__name__", "").lstrip("_") or None,
)
def test_other_categories(edit: Any, expected: set[tuple[bool, str]]) -> None:
    """The rest of the categories: widening, open vs closed enums, constraints, operations."""
    old = load(FIXTURES / "base.yaml")
    new = copy.deepcopy(old)
    edit(new)
    assert kinds(spec_diff.diff_specs(old, new)) == expected


def test_recursive_schemas_terminate() -> None:
    """A self-referencing schema is compared once (its change reported where first met)."""
    old = load(FIXTURES / "base.yaml")
    _thing(old)["properties"]["child"] = {"$ref": "#/components/schemas/Thing"}
    new = copy.deepcopy(old)
    _thing(new)["properties"]["count"]["type"] = "string"
    changes = spec_diff.diff_specs(old, new)
    assert [c.where.rsplit(": ", 1)[-1] for c in changes] == ["count"]


# -- regeneration: public names ---------------------------------------------------------------

MODEL = b"""
from typing import TypeVar
T = TypeVar("T", bound="Thing")

class Thing:
    id: str
    count: int | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        return {}

def _private() -> None: ...
"""


def test_public_names_and_their_changes() -> None:
    """Fields, methods and re-exports are public names; a removed field disappears."""
    old = {
        "models/__init__.py": b'from .thing import Thing\n__all__ = ("Thing",)\n',
        "models/thing.py": MODEL,
    }
    new = {
        "models/__init__.py": old["models/__init__.py"],
        "models/thing.py": MODEL.replace(b"    count: int | Unset = UNSET\n", b"")
        .replace(b"id: str", b"id: str | None")
        .replace(b"def _private", b"def helper"),
    }
    names = generated_surface.public_names(old)
    assert names["generated.models.Thing"] == "re-export"
    assert names["generated.models.thing.Thing.count"] == "int | Unset"
    assert names["generated.models.thing.Thing.to_dict"] == "(self) -> dict[str, Any]"
    assert not any(name.endswith((".T", "._private")) for name in names)
    surface = generated_surface.compare(old, new)
    assert surface.files == [("M", "generated/models/thing.py")]
    assert surface.disappeared == [("generated.models.thing.Thing.count", "int | Unset")]
    assert surface.appeared == [("generated.models.thing.helper", "() -> None")]
    assert surface.changed == [("generated.models.thing.Thing.id", "str", "str | None")]


# -- lint -------------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def redocly() -> Path:
    """Set-up: the pinned Redocly CLI in .tools/contract (npm ci on the first run only)."""
    return contract_tools.ensure_redocly()


@pytest.mark.usefixtures("redocly")
def test_openapi_yaml_passes_the_ruleset() -> None:
    """Our own spec has no lint findings, errors or warnings, under our ruleset."""
    assert [f.line_text("openapi.yaml") for f in contract_tools.lint(SPEC)] == []


@pytest.mark.usefixtures("redocly")
def test_ruleset_catches_our_rules() -> None:
    """Missing error codes, undocumented properties and invalid examples are errors."""
    findings = contract_tools.lint(FIXTURES / "lint_violations.yaml")
    found = {(f.rule, f.pointer) for f in findings}
    assert found == {
        ("rule/operation-error-codes", "#/paths/~1v1~1things~1{id}/get/responses"),
        ("rule/property-description", "#/components/schemas/Thing/properties/count/description"),
        ("rule/property-description", "#/components/schemas/Part/properties/name/description"),
        (
            "no-invalid-media-type-examples",
            "#/paths/~1v1~1things~1{id}/get/responses/200/content/application~1json/example/count",
        ),
        ("no-invalid-parameter-examples", "#/paths/~1v1~1things~1{id}/get/parameters/0/example"),
    }
    assert {f.severity for f in findings} == {"error"}


# -- the whole command ------------------------------------------------------------------------

CRAWL = "https://api.firecrawl.dev/v0/crawl/status/job-1"


def write_cassette(path: Path, uri: str, body: dict[str, Any]) -> None:
    record = {
        "request": {"body": "", "headers": {}, "method": "GET", "uri": uri},
        "response": {
            "body": {"string": json.dumps(body)},
            "headers": {"Content-Type": ["application/json; charset=utf-8"]},
            "status": {"code": 200, "message": "OK"},
        },
    }
    path.write_text(yaml.safe_dump({"interactions": [record], "version": 1}))


@pytest.fixture
def cassettes(tmp_path: Path) -> Path:
    """A crawl cassette (uses ``current``) and an extract cassette (does not)."""
    folder = tmp_path / "cassettes"
    folder.mkdir()
    write_cassette(
        folder / "crawl.yaml",
        CRAWL,
        {"status": "active", "current": 2, "total": 5, "data": None, "partial_data": []},
    )
    write_cassette(
        folder / "extract.yaml",
        "https://api.firecrawl.dev/v1/extract/job-2",
        {"success": True, "status": "processing", "data": []},
    )
    return folder


def edited_spec(tmp_path: Path, change: str) -> Path:
    spec = load(SPEC)
    current = spec["components"]["schemas"]["CrawlStatusResponse"]["properties"]["current"]
    if change == "type":
        assert current["type"] == "integer"
        current["type"] = "string"
    else:
        current["description"] = "Pages done so far (reworded)."
    path = tmp_path / f"openapi-{change}.yaml"
    path.write_text(yaml.safe_dump(spec, sort_keys=False))
    return path


def review(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str]:
    status = contract_review.main(["--base-spec", str(SPEC), *argv])
    return status, capsys.readouterr().out


@pytest.mark.usefixtures("redocly")
def test_type_change_is_breaking_and_fails(
    tmp_path: Path, cassettes: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Changing a response field's type prints the breaking change, the generated files it
    touches and the cassettes that stop validating, and exits 1."""
    new = edited_spec(tmp_path, "type")
    status, out = review(capsys, "--new-spec", str(new), "--cassettes", str(cassettes))
    assert status == 1
    sections = ["## 1. Lint", "## 2. Breaking changes", "## 3. Regeneration", "## 4. Cassettes"]
    positions = [out.index(heading) for heading in [*sections, "## Result"]]
    assert positions == sorted(positions)
    assert "1 breaking change(s):" in out
    assert "BREAKING      type-changed" in out
    where = "GET /v0/crawl/status/{jobId} 200 application/json: current"
    assert f"{where}: type integer -> string (no longer accepts integer)" in out
    assert "  M generated/models/crawl_status_response.py" in out
    assert (
        "~ generated.models.crawl_status_response.CrawlStatusResponse.current: "
        "int | Unset -> str | Unset" in out
    )
    assert "Stop validating with this change: crawl.yaml\n" in out
    assert "- crawl.yaml #1 response.body.current: 2 is not of type 'string'" in out
    assert "extract.yaml" not in out
    assert "FAIL: 1 breaking change(s), 1 cassette violation(s)" in out


@pytest.mark.usefixtures("redocly")
def test_description_only_change_passes(
    tmp_path: Path, cassettes: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A description-only change exits 0 with "No breaking changes"."""
    new = edited_spec(tmp_path, "description")
    status, out = review(capsys, "--new-spec", str(new), "--cassettes", str(cassettes))
    assert status == 0
    assert "No breaking changes.\n" in out
    assert "non-breaking  documentation" in out
    assert "All 2 cassette(s) validate." in out
    assert "OK: no breaking changes, no cassette violations." in out


@pytest.mark.parametrize(
    ("outcome", "allow", "status", "verdict"),
    [
        (contract_review.Outcome(), False, 0, "OK:"),
        (contract_review.Outcome(breaking=2), False, 1, "FAIL: 2 breaking change(s)"),
        (contract_review.Outcome(violations=1), False, 1, "FAIL: 1 cassette violation(s)"),
        (contract_review.Outcome(breaking=1, violations=3), True, 0, "ACCEPTED with"),
        (contract_review.Outcome(fatal=["generated/ cannot be ..."]), True, 1, "FAIL: generated/"),
    ],
)
def test_exit_status(
    outcome: contract_review.Outcome, allow: bool, status: int, verdict: str
) -> None:
    """Breaking changes and cassette violations fail unless --allow-breaking; a spec that
    does not generate always fails."""
    lines, got = contract_review.result_section(outcome, allow)
    assert got == status
    assert lines[1].startswith(verdict)


def test_runs_on_the_projects_own_history() -> None:
    """``scripts/contract-review HEAD~1 --head HEAD`` reviews the last commit's spec change."""
    if subprocess.run(["git", "rev-parse", "--verify", "--quiet", "HEAD~1"], cwd=ROOT).returncode:
        pytest.skip("HEAD~1 is not in this clone (a single commit or a shallow clone)")
    result = subprocess.run(
        ["bash", "scripts/contract-review", "HEAD~1", "--head", "HEAD", "--allow-breaking"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert out.startswith("# Contract review: openapi.yaml HEAD~1 (")
    assert " -> HEAD (" in out.splitlines()[0]
    unchanged = subprocess.run(
        ["git", "diff", "--quiet", "HEAD~1", "HEAD", "--", "openapi.yaml"], cwd=ROOT
    )
    assert ("The two specs are identical." in out) == (unchanged.returncode == 0)
    for heading in ("## 1. Lint", "## 2. Breaking", "## 3. Regeneration", "## 4. Cassettes"):
        assert heading in out


def test_bad_ref_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    """A ref git does not know is a usage error, not a review result."""
    assert contract_review.main(["no-such-ref-anywhere"]) == 2
    assert "no-such-ref-anywhere" in capsys.readouterr().err


# -- the rendered reference -------------------------------------------------------------------


@pytest.fixture(scope="session")
def reference(redocly: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """openapi.yaml rendered by ``scripts/contract-review --html DIR``."""
    out = tmp_path_factory.mktemp("reference")
    assert contract_review.main(["--html", str(out)]) == 0
    return out / "index.html"


def test_reference_is_one_offline_file(reference: Path) -> None:
    """The page inlines Redoc and loads nothing from a CDN."""
    html = reference.read_text()
    assert "<script src=" not in html
    for host in ("cdn.redoc.ly", "cdn.jsdelivr.net", "unpkg.com", "fonts.googleapis.com"):
        assert host not in html
    assert len(html) > 1_000_000  # the Redoc bundle itself is inlined


@pytest.fixture(scope="session")
def chromium() -> str:
    """Set-up: Debian's chromium, installed with apt-get when missing (skipped if impossible)."""
    path, reason = contract_tools.ensure_chromium()
    if path is None:
        pytest.skip(reason)
    return path


@pytest.fixture
def browser(chromium: str) -> Iterator[Any]:
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=chromium,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        yield launched
        launched.close()


def test_reference_shows_both_operations_and_their_codes(reference: Path, browser: Any) -> None:
    """In headless Chromium, each operation's page shows its summary, path and every declared
    response code, and the page requests nothing from the network."""
    spec = load(SPEC)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page = browser.new_page(viewport={"width": 1280, "height": 1000})
    outside: list[str] = []
    page.route(
        lambda url: not url.startswith("file:"),
        lambda route: (outside.append(route.request.url), route.abort()),
    )
    for path, item in spec["paths"].items():
        operation = item["get"]
        page.goto(f"{reference.as_uri()}#/{operation['tags'][0]}")
        page.get_by_role("heading", name=operation["summary"]).wait_for()
        text = page.inner_text("main")
        assert path in text
        codes = text.split("Responses", 1)[1].split("Expand all", 1)[0].split()
        assert codes == sorted(operation["responses"])
        page.get_by_text("Responses", exact=True).first.scroll_into_view_if_needed()
        page.screenshot(path=str(ARTIFACTS / f"reference-{operation['operationId']}.png"))
    assert outside == []
