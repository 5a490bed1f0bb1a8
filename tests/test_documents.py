"""The document shapes (firecrawl_status.CrawlDocument, DocumentMetadata, ExtractBody) say what
openapi.yaml says: the same keys, the same required ones, the same types."""

from __future__ import annotations

import types
import typing
from pathlib import Path
from typing import Any

import pytest
import yaml

from firecrawl_status import CrawlDocument, DocumentMetadata, ExtractBody
from firecrawl_status._documents import crawl_documents

SPEC = yaml.safe_load((Path(__file__).parent.parent / "openapi.yaml").read_text("utf-8"))
SCHEMAS = SPEC["components"]["schemas"]
SHAPES = {
    "CrawlDocument": CrawlDocument,
    "DocumentMetadata": DocumentMetadata,
    "ExtractStatusResponse": ExtractBody,
}
SCALARS = {"string": str, "integer": int, "number": float, "boolean": bool, "null": type(None)}


def python_type(schema: dict[str, Any]) -> object:
    """The Python type a JSON schema describes, as the shapes spell it (Any: any JSON)."""
    if "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[1]
        if name in SHAPES:
            return SHAPES[name]
        return python_type(SCHEMAS[name])  # e.g. an enum of strings (ExtractStatus) is a str
    options = schema.get("anyOf") or schema.get("oneOf")
    if options is None and isinstance(schema.get("type"), list):
        options = [{**schema, "type": one} for one in schema["type"]]
    if options is not None:
        union = frozenset(python_type(option) for option in options)
        return next(iter(union)) if len(union) == 1 else union  # an open enum is a plain str
    kind = schema.get("type")
    if kind is None:
        return Any
    if kind == "array":
        return list[python_type(schema["items"])]  # type: ignore[misc]
    if kind == "object":
        extra = schema.get("additionalProperties", True)
        value = python_type(extra) if isinstance(extra, dict) else Any
        return dict[str, value]  # type: ignore[valid-type]
    return SCALARS[kind]


def normalised(annotation: object) -> object:
    """An annotation with unions as frozensets and Required[...] unwrapped."""
    if typing.get_origin(annotation) is typing.Required:
        return normalised(typing.get_args(annotation)[0])
    if isinstance(annotation, types.UnionType) or typing.get_origin(annotation) is typing.Union:
        return frozenset(normalised(arg) for arg in typing.get_args(annotation))
    return annotation


@pytest.mark.parametrize("name", sorted(SHAPES))
def test_shape_matches_the_contract(name: str) -> None:
    schema, shape = SCHEMAS[name], SHAPES[name]
    hints = typing.get_type_hints(shape, include_extras=True)
    assert set(hints) == set(schema["properties"])
    assert shape.__required_keys__ == frozenset(schema.get("required", ()))
    assert schema.get("additionalProperties") is True  # open to extra keys, as documented
    for key, property_schema in schema["properties"].items():
        expected = python_type(property_schema)
        if property_schema.get("format") == "date-time":
            expected = str  # JSON carries the text; ExtractSnapshot.expires_at parses it
        assert normalised(hints[key]) == expected, key


def test_crawl_documents_keeps_objects_only() -> None:
    """Only the JSON objects of a list count as documents; anything else gives none."""
    page = {"url": "https://example.com", "extra": [1]}
    assert crawl_documents([page, "x", None, 3, [page]]) == [page]
    assert crawl_documents(None) == []
    assert crawl_documents({"url": "x"}) == []
    assert crawl_documents([page])[0] is page  # the server's object, not a copy
