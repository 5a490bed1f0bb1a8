"""openapi.yaml is valid, its examples fit it, generated/ is fresh, and the generated models
take every shape the real server sends (docs/server-facts.md) without raising."""

from __future__ import annotations

import datetime as dt
import importlib
import json
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st
from openapi_schema_validator import OAS31Validator
from openapi_spec_validator import validate

from firecrawl_status._generated.models import (
    ApiErrorBody,
    CrawlDocument,
    CrawlErrorBody,
    CrawlStatusResponse,
    ExtractNotFoundBody,
    ExtractStatusResponse,
    KnownCrawlStatus,
    KnownExtractStatus,
    LegacyCrawlResult,
)
from scripts.codegen.regenerate import generate

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).parent / "fixtures"
SPEC: dict[str, Any] = yaml.safe_load((ROOT / "openapi.yaml").read_text())


def fixture(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((FIXTURES / f"{name}.json").read_text())
    return data


def test_spec_is_valid_openapi_31() -> None:
    """openapi-spec-validator accepts the document."""
    assert SPEC["openapi"].startswith("3.1")
    validate(SPEC)


def _examples() -> Iterator[tuple[str, dict[str, Any], Any]]:
    """(where, schema, example) for every example in the spec."""
    for path, item in SPEC["paths"].items():
        for method, operation in item.items():
            for code, response in operation["responses"].items():
                for media, content in response.get("content", {}).items():
                    where = f"{method.upper()} {path} {code} {media}"
                    if "example" in content:
                        yield where, content["schema"], content["example"]
                    for name, example in content.get("examples", {}).items():
                        yield f"{where} ({name})", content["schema"], example["value"]
    for name, schema in SPEC["components"]["schemas"].items():
        if "example" in schema:
            yield f"components/schemas/{name}", schema, schema["example"]
    for name, response in SPEC["components"]["responses"].items():
        for media, content in response.get("content", {}).items():
            if "example" in content:
                yield f"components/responses/{name} {media}", content["schema"], content["example"]


EXAMPLES = list(_examples())


def _validator(schema: dict[str, Any]) -> OAS31Validator:
    # Local refs (#/components/...) resolve against the root: give it the spec's components.
    return OAS31Validator(
        {**schema, "components": SPEC["components"]},
        format_checker=OAS31Validator.FORMAT_CHECKER,
    )


def test_spec_has_examples_for_every_operation() -> None:
    """Both operations carry examples, so the example check below checks something."""
    operations = {where.split(" ")[1] for where, _, _ in EXAMPLES if where.startswith("GET")}
    assert operations == {"/v0/crawl/status/{jobId}", "/v1/extract/{id}"}
    assert len(EXAMPLES) >= 15


@pytest.mark.parametrize(("where", "schema", "example"), EXAMPLES, ids=[e[0] for e in EXAMPLES])
def test_every_example_validates_against_its_schema(
    where: str, schema: dict[str, Any], example: Any
) -> None:
    """Each example in openapi.yaml fits the schema it illustrates."""
    errors = sorted(_validator(schema).iter_errors(example), key=str)
    assert not errors, f"{where}: {errors[0].message}"


def test_example_check_catches_a_wrong_example() -> None:
    """The example check fails on an example that contradicts its schema."""
    schema = {"$ref": "#/components/schemas/CrawlStatusResponse"}
    assert list(_validator(schema).iter_errors({"status": "active", "current": "three"}))


def test_operations_declare_every_status_the_server_sends() -> None:
    """Documented and observed codes, and 304 for conditional reads, are all declared."""
    crawl = SPEC["paths"]["/v0/crawl/status/{jobId}"]["get"]
    extract = SPEC["paths"]["/v1/extract/{id}"]["get"]
    assert crawl["operationId"] == "getCrawlStatus"
    assert extract["operationId"] == "getExtractStatus"
    for operation, extra in ((crawl, {"402"}), (extract, set())):
        codes = set(operation["responses"])
        assert {"200", "304", "400", "401", "403", "404", "429", "500"} | extra <= codes
        names = {
            p.get("name") or p.get("$ref", "").rsplit("/", 1)[-1] for p in operation["parameters"]
        }
        assert "IfNoneMatch" in names


# -- the generated models against the real shapes -------------------------------------------


CRAWL_FIXTURES = sorted(p.stem for p in FIXTURES.glob("crawl_*.json") if "_error_" not in p.stem)
EXTRACT_FIXTURES = sorted(
    p.stem for p in FIXTURES.glob("extract_*.json") if "_error_" not in p.stem
)


@pytest.mark.parametrize("name", CRAWL_FIXTURES)
def test_crawl_bodies_parse_and_round_trip(name: str) -> None:
    """Every crawl status shape parses, and to_dict gives back exactly what was sent."""
    body = fixture(name)
    model = CrawlStatusResponse.from_dict(body)
    assert model.to_dict() == body


def test_crawl_status_is_an_open_enum() -> None:
    """Known statuses become enum members; any other string is kept as sent."""
    assert (
        CrawlStatusResponse.from_dict(fixture("crawl_waiting")).status is KnownCrawlStatus.WAITING
    )
    assert CrawlStatusResponse.from_dict(fixture("crawl_stuck")).status is KnownCrawlStatus.STUCK
    odd = CrawlStatusResponse.from_dict(fixture("crawl_unknown_status"))
    assert odd.status == "waiting-children-v2"
    assert odd.additional_properties == {"brand_new_key": {"nested": [1, 2]}}


def test_crawl_values_survive_parsing() -> None:
    """Window index, early-server keys, non-string metadata and extra keys are kept."""
    window = CrawlStatusResponse.from_dict(fixture("crawl_active_window"))
    assert window.current_url == "https://example.com/p/51"
    assert window.current_step == "SCRAPING"
    assert isinstance(window.partial_data, list)
    assert [doc.index for doc in window.partial_data] == list(range(2, 52))
    completed = CrawlStatusResponse.from_dict(fixture("crawl_completed"))
    assert isinstance(completed.data, list)
    missing = completed.data[2].metadata
    assert not isinstance(missing, type(None))
    assert missing.page_status_code == 404  # type: ignore[union-attr]
    assert missing.language is None  # type: ignore[union-attr]
    assert missing.additional_properties == {  # type: ignore[union-attr]
        "og:image": "https://example.com/i.png",
        "keywords": ["a", "b"],
    }
    assert completed.data[1].warning == "Page was truncated"


def test_crawl_data_shapes() -> None:
    """data is None while running, a list when completed, the legacy object when sent."""
    assert CrawlStatusResponse.from_dict(fixture("crawl_active_null")).data is None
    assert CrawlStatusResponse.from_dict(fixture("crawl_completed_empty")).data == []
    legacy = CrawlStatusResponse.from_dict(fixture("crawl_completed_legacy_object")).data
    assert isinstance(legacy, LegacyCrawlResult)
    assert legacy.error == "No pages found"
    urls = CrawlStatusResponse.from_dict(fixture("crawl_completed_url_only")).data
    assert isinstance(urls, list)
    assert [doc.url for doc in urls] == ["https://example.com/", "https://example.com/about"]


@pytest.mark.parametrize("name", EXTRACT_FIXTURES)
def test_extract_bodies_parse_and_round_trip(name: str) -> None:
    """Every extract shape parses; all values but expiresAt round-trip exactly."""
    body = fixture(name)
    model = ExtractStatusResponse.from_dict(body)
    again = model.to_dict()
    expires = again.pop("expiresAt")
    original = dict(body)
    assert dt.datetime.fromisoformat(expires) == dt.datetime.fromisoformat(
        original.pop("expiresAt")
    )
    assert again == original


def test_extract_open_enum_and_any_json_data() -> None:
    """data: [] while processing, any JSON when completed, non-string error, unknown status."""
    processing = ExtractStatusResponse.from_dict(fixture("extract_processing"))
    assert processing.status is KnownExtractStatus.PROCESSING
    assert processing.data == []
    assert ExtractStatusResponse.from_dict(fixture("extract_completed_scalar")).data == 42
    failed = ExtractStatusResponse.from_dict(fixture("extract_failed"))
    assert failed.success is False
    assert isinstance(failed.error, dict)
    assert failed.error["name"] == "APICallError"
    assert ExtractStatusResponse.from_dict(fixture("extract_unknown_status")).status == "queued"
    completed = ExtractStatusResponse.from_dict(fixture("extract_completed"))
    assert completed.expires_at == dt.datetime(2025, 8, 1, 18, 5, tzinfo=dt.UTC)
    assert completed.additional_properties == {"someFutureKey": True}


@pytest.mark.parametrize(
    "name", sorted(p.stem for p in FIXTURES.glob("crawl_error_*.json") if "global" not in p.stem)
)
def test_v0_error_bodies_parse(name: str) -> None:
    """v0 error bodies are {"error": message}."""
    body = fixture(name)
    assert CrawlErrorBody.from_dict(body).error == body["error"]


@pytest.mark.parametrize(
    "name", ["crawl_error_500_global", "extract_error_404", "extract_error_500"]
)
def test_v1_and_global_error_bodies_parse(name: str) -> None:
    """v1 and global-handler error bodies carry success false, error and maybe code."""
    body = fixture(name)
    parsed = ApiErrorBody.from_dict(body)
    assert parsed.success is False
    assert parsed.error == body["error"]
    assert parsed.to_dict() == body


NOTICE_HEADERS = {"Deprecation", "Link", "Warning", "Sunset"}


def _response(operation: dict[str, Any], code: str) -> dict[str, Any]:
    response: dict[str, Any] = operation["responses"][code]
    if "$ref" in response:
        response = SPEC["components"]["responses"][response["$ref"].rsplit("/", 1)[-1]]
    return response


def test_both_operations_are_deprecated_and_name_their_successor() -> None:
    """deprecated: true, and the description names the v2 successor."""
    crawl = SPEC["paths"]["/v0/crawl/status/{jobId}"]["get"]
    extract = SPEC["paths"]["/v1/extract/{id}"]["get"]
    assert crawl["deprecated"] is True
    assert extract["deprecated"] is True
    assert "GET /v2/crawl/{id}" in crawl["description"]
    assert "POST /v2/scrape" in extract["description"]


def test_notice_headers_are_declared_where_the_server_sends_them() -> None:
    """v0: every JSON answer; extract: 200 and 404, not the 401/429 of authentication."""
    crawl = SPEC["paths"]["/v0/crawl/status/{jobId}"]["get"]
    extract = SPEC["paths"]["/v1/extract/{id}"]["get"]
    for code in ("200", "400", "401", "402", "403", "404", "429", "500"):
        assert set(_response(crawl, code).get("headers", {})) >= NOTICE_HEADERS, code
    for code in ("200", "404"):
        assert set(_response(extract, code)["headers"]) >= NOTICE_HEADERS, code
    for code in ("401", "429"):
        assert not set(_response(extract, code).get("headers", {})) & NOTICE_HEADERS, code
    for operation in (crawl, extract):
        assert "Retry-After" in _response(operation, "429")["headers"]


@pytest.mark.parametrize(
    ("name", "schema"),
    [
        ("crawl_active_notice", "CrawlStatusResponse"),
        ("crawl_error_404_notice", "CrawlErrorBody"),
        ("crawl_error_401_notice", "CrawlErrorBody"),
        ("extract_completed_notice", "ExtractStatusResponse"),
        ("extract_processing_race", "ExtractStatusResponse"),
        ("extract_error_404_notice", "ExtractNotFoundBody"),
    ],
)
def test_bodies_with_the_notice_validate(name: str, schema: str) -> None:
    """The 2026 bodies fit the schema of the answer that carries them."""
    validator = _validator({"$ref": f"#/components/schemas/{schema}"})
    assert not list(validator.iter_errors(fixture(name)))
    bad = {**fixture(name), "warnings": "not a list"}
    assert list(validator.iter_errors(bad))


def test_notice_keys_and_credits_reach_the_generated_models() -> None:
    """warnings, replacement and creditsUsed are typed fields, not additional_properties."""
    crawl = CrawlStatusResponse.from_dict(fixture("crawl_active_notice"))
    assert crawl.replacement == "/v2/crawl/:jobId"
    assert crawl.warnings == [
        "/v0/crawl/status/:jobId is deprecated. Use /v2/crawl/:jobId instead."
    ]
    assert crawl.additional_properties == {}
    error = CrawlErrorBody.from_dict(fixture("crawl_error_404_notice"))
    assert error.replacement == "/v2/crawl/:jobId"
    extract = ExtractStatusResponse.from_dict(fixture("extract_completed_notice"))
    assert extract.credits_used == 5
    assert extract.replacement == "/v2/scrape"
    assert extract.additional_properties == {}
    gone = ExtractNotFoundBody.from_dict(fixture("extract_error_404_notice"))
    assert gone.error == "Extract job not found"
    assert gone.warnings == ["/v1/extract/:id is deprecated. Use /v2/scrape instead."]
    assert gone.to_dict() == fixture("extract_error_404_notice")


def test_shared_published_examples_parse() -> None:
    """The bodies Firecrawl published (shared/examples) parse through the generated models."""
    examples = ROOT.parent / "shared" / "examples"
    if not examples.is_dir():
        pytest.skip("shared/examples is not beside this checkout")
    for path in sorted(examples.glob("*.json")):
        body = json.loads(path.read_text())
        model_class = (
            CrawlStatusResponse if path.name.startswith("crawl") else ExtractStatusResponse
        )
        assert model_class.from_dict(body).status == body["status"], path.name


# Any JSON value: the union fields below are parsed as a cast, so whatever the server sends
# there must come through untouched.
_json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(), children, max_size=3)
    ),
    max_leaves=8,
)
_strings_or_null = st.none() | st.text()
_metadata = st.fixed_dictionaries(
    {},
    optional={
        "sourceURL": st.text(),
        "url": st.text(),
        "title": st.text() | st.lists(st.text(), max_size=3) | _json_values,
        "description": st.text() | st.lists(st.text(), max_size=3) | st.none(),
        "language": st.text() | st.lists(st.text(), max_size=3) | st.none(),
        "pageStatusCode": st.integers(100, 599),
        "pageError": _strings_or_null,
        "og:locale:alternate": st.lists(st.text(), max_size=3),
        "og:image": _json_values,
    },
)
_documents = st.fixed_dictionaries(
    {},
    optional={
        "url": st.text(),
        "markdown": _strings_or_null,
        "content": _strings_or_null,
        "html": _strings_or_null,
        "rawHtml": _strings_or_null,
        "linksOnPage": st.lists(st.text(), max_size=3),
        "llm_extraction": _json_values,
        "warning": _strings_or_null,
        "provider": st.text(),
        "index": st.integers(0, 10**6),
        "metadata": _metadata,
        "extra": _json_values,
    },
)


@given(_documents)
def test_generated_document_models_keep_every_value(document: dict[str, Any]) -> None:
    """A document read through the generated models gives back exactly what it was read from.

    scripts/codegen/templates makes a union of plain JSON types a single cast and tries a union
    member only when the value has its type (issue 16): that must change what from_dict costs,
    never what it returns.
    """
    model = CrawlDocument.from_dict(document)
    assert model.to_dict() == document
    metadata = document.get("metadata")
    if metadata is not None and "title" in metadata:
        assert model.metadata.title is metadata["title"]


_UNIONS_SPEC = {
    "openapi": "3.1.0",
    "info": {"title": "unions", "version": "1"},
    "paths": {},
    "components": {
        "schemas": {
            "Inner": {"type": "object", "properties": {"n": {"type": "integer"}}},
            "Unions": {
                "type": "object",
                "properties": {
                    "plain": {"anyOf": [{"type": "string"}, {"type": "null"}]},
                    "texts": {
                        "anyOf": [
                            {"type": "string"},
                            {"type": "array", "items": {"type": "string"}},
                        ]
                    },
                    "lists": {
                        "anyOf": [
                            {"type": "array", "items": {"type": "string"}},
                            {"type": "array", "items": {"type": "integer"}},
                        ]
                    },
                    "inner": {
                        "anyOf": [{"$ref": "#/components/schemas/Inner"}, {"type": "string"}]
                    },
                },
            },
        }
    },
}


def test_generated_unions_keep_the_generators_outcomes(tmp_path: Path) -> None:
    """The union template of scripts/codegen makes some unions a single cast (issue 16): only
    those whose generator-made parser returned the value unchanged on every path. A union of
    lists alone still rejects a value that is no list, as the generator's parser did, and a
    model member is still built."""
    spec = tmp_path / "unions.yaml"
    spec.write_text(yaml.safe_dump(_UNIONS_SPEC))
    package = generate(tmp_path, spec)
    source = (package / "models" / "unions.py").read_text()
    assert "def _parse_plain" not in source
    assert "def _parse_texts" not in source
    assert "def _parse_lists" in source
    sys.path.insert(0, str(package.parent))
    try:
        unions = importlib.import_module("generated.models.unions").Unions
        inner = importlib.import_module("generated.models.inner").Inner
        for value in (None, "x", 5, {"a": 1}):
            assert unions.from_dict({"plain": value}).plain == value
        for value in ("x", ["a"], 5, {"a": 1}):
            assert unions.from_dict({"texts": value}).texts == value
        assert unions.from_dict({"lists": [1, 2]}).lists == [1, 2]
        for value in ("x", 5, {"a": 1}):
            with pytest.raises(TypeError):
                unions.from_dict({"lists": value})
        assert unions.from_dict({"inner": {"n": 3}}).inner == inner(n=3)
        assert unions.from_dict({"inner": "x"}).inner == "x"
    finally:
        sys.path.remove(str(package.parent))
        for name in [name for name in sys.modules if name.split(".")[0] == "generated"]:
            del sys.modules[name]


# -- generation is reproducible and checked ---------------------------------------------------


def _copy_project(into: Path) -> Path:
    for name in ("openapi.yaml", "pyproject.toml"):
        shutil.copy2(ROOT / name, into / name)
    for name in ("generated", "scripts"):
        shutil.copytree(ROOT / name, into / name, ignore=shutil.ignore_patterns("__pycache__"))
    return into


def _check(project: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "scripts.codegen", "--check"],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_generated_is_up_to_date() -> None:
    """scripts/regenerate --check passes on the committed tree."""
    result = _check(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr


def test_stale_generated_fails_with_a_diff_naming_the_file(tmp_path: Path) -> None:
    """Changing one description without regenerating makes the check fail with a diff."""
    project = _copy_project(tmp_path)
    spec = project / "openapi.yaml"
    text = spec.read_text()
    old = "description: Early servers only. The URL being crawled; sometimes empty."
    assert old in text
    spec.write_text(text.replace(old, "description: The URL being crawled right now."))
    result = _check(project)
    assert result.returncode == 1
    assert "generated/models/crawl_status_response.py" in result.stdout
    assert "+        current_url (str | Unset): The URL being crawled right now." in result.stdout
    assert "stale" in result.stderr


def test_generated_contains_only_generator_output() -> None:
    """No caches or stray files in generated/ (it is byte-identical generator output)."""
    names = {p.name for p in (ROOT / "generated").rglob("*") if "__pycache__" not in p.parts}
    assert not {n for n in names if n.startswith(".")}
    assert "__init__.py" in names
    assert "DO NOT EDIT" in (ROOT / "generated" / "__init__.py").read_text()
