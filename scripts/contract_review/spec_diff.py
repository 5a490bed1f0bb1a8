"""What a change to ``openapi.yaml`` means for clients: a structural diff of two OpenAPI documents.

Theory of operation. No oasdiff-class tool installs from the registries this project may use
(oasdiff and pb33f's openapi-changes are Go binaries whose npm wrappers download them from
GitHub; Atlassian's openapi-diff refuses OpenAPI 3.1; api-smart-diff classifies a narrowed
response type as non-breaking). So this module is a deliberately small diff of our own, limited to
the categories a reviewer of this contract needs, each with a fixed classification:

* operations: removed (breaking), added, operationId changed (breaking: the generated function
  moves);
* request parts: parameters removed, added as required, or made required (breaking); a request
  body that becomes required (breaking);
* responses: status codes and content types removed (breaking) or added; response headers
  removed (breaking);
* schemas, compared field by field through ``$ref``, ``anyOf`` and ``oneOf``: fields removed or
  renamed (breaking), added as required (breaking) or optional, made required (breaking); types
  narrowed or changed (breaking: the spec now rejects values it accepted, so a generated client
  fails on an answer the real server still gives) or widened; enum values removed (breaking) or
  added (breaking in a closed response enum, which old code does not expect); an open enum closed
  (breaking); ``format`` changed (breaking: the generated type follows it); other constraints
  tightened (breaking) or relaxed; ``additionalProperties`` closed (breaking);
* everything else is compared as raw JSON: a change under a documentation key (``description``,
  ``summary``, ``title``, ``example(s)``, ``externalDocs``, ``info``, ``x-*``) is non-breaking; any
  other change the categories above did not explain is listed as unclassified, for a human.

"Breaking" is judged for our clients: code written against the package generated from the old
spec, talking to the same server. Everything here is pure: two parsed documents in, a list of
:class:`Change` out.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

__all__ = ["Change", "diff_specs"]

HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
#: Keys whose value only documents; never descended into.
DOC_KEYS = frozenset(
    {"description", "summary", "title", "example", "examples", "externalDocs", "deprecated"}
)
#: Keys whose value is a map from names (not keywords) to objects.
MAP_KEYS = frozenset(
    {
        "paths",
        "properties",
        "patternProperties",
        "$defs",
        "definitions",
        "dependentSchemas",
        "schemas",
        "responses",
        "parameters",
        "headers",
        "content",
        "securitySchemes",
        "requestBodies",
        "links",
        "callbacks",
        "variables",
        "mapping",
        "encoding",
        "webhooks",
    }
)
#: Constraint keywords: a larger value tightens ("min"), a smaller one tightens ("max"), or any
#: new or changed value tightens ("other").
CONSTRAINTS = {
    "minLength": "min",
    "minimum": "min",
    "exclusiveMinimum": "min",
    "minItems": "min",
    "minProperties": "min",
    "maxLength": "max",
    "maximum": "max",
    "exclusiveMaximum": "max",
    "maxItems": "max",
    "maxProperties": "max",
    "pattern": "other",
    "multipleOf": "other",
    "uniqueItems": "other",
}

Json = Any
Schema = Mapping[str, Any]


@dataclass(frozen=True, order=True)
class Change:
    """One change between two specs, classified for clients.

    Attributes:
        breaking: Whether code written against the old spec's generated client can break.
        kind: A short, stable category name, for example ``field-removed``.
        where: The operation and part it concerns, or a JSON pointer into the new document.
        detail: One line a reviewer reads.
    """

    breaking: bool
    kind: str
    where: str
    detail: str

    def line(self) -> str:
        """The change as one report line."""
        label = "BREAKING" if self.breaking else "non-breaking"
        return f"{label:<12}  {self.kind:<26}  {self.where}: {self.detail}"


def diff_specs(old: Mapping[str, Json], new: Mapping[str, Json]) -> list[Change]:
    """Every change from ``old`` to ``new``: breaking ones first, then by place.

    Args:
        old: The base document, parsed.
        new: The changed document, parsed.

    Returns:
        The classified changes; empty when the documents are equal.
    """
    differ = _Differ(old, new)
    differ.operations()
    structural = bool(differ.changes)
    for pointer, is_doc in _raw_diff(old, new, "", in_map=False):
        if is_doc:
            differ.add(False, "documentation", f"#{pointer}", "changed (documentation only)")
        elif not structural or not pointer.startswith(("/paths", "/components")):
            differ.add(False, "unclassified", f"#{pointer}", "changed; review by hand")
    return sorted(set(differ.changes), key=lambda c: (not c.breaking, c.where, c.kind, c.detail))


class _Differ:
    """Walks two documents side by side, collecting :class:`Change` objects."""

    def __init__(self, old: Mapping[str, Json], new: Mapping[str, Json]) -> None:
        self.old, self.new = old, new
        self.changes: list[Change] = []

    def add(self, breaking: bool, kind: str, where: str, detail: str) -> None:
        self.changes.append(Change(breaking, kind, where, detail))

    # -- operations and their parts --------------------------------------------------------

    def operations(self) -> None:
        old_ops, new_ops = _operations(self.old), _operations(self.new)
        for key in sorted(old_ops.keys() - new_ops.keys()):
            self.add(True, "operation-removed", key, "operation removed")
        for key in sorted(new_ops.keys() - old_ops.keys()):
            self.add(False, "operation-added", key, "operation added")
        for key in sorted(old_ops.keys() & new_ops.keys()):
            (old_op, old_params), (new_op, new_params) = old_ops[key], new_ops[key]
            if old_op.get("operationId") != new_op.get("operationId"):
                self.add(
                    True,
                    "operation-id-changed",
                    key,
                    f"operationId {old_op.get('operationId')} -> {new_op.get('operationId')}"
                    " (the generated function is renamed)",
                )
            self.parameters(key, old_params, new_params)
            self.request_body(key, old_op.get("requestBody"), new_op.get("requestBody"))
            self.responses(key, old_op.get("responses") or {}, new_op.get("responses") or {})

    def parameters(
        self, op: str, old: dict[tuple[str, str], Schema], new: dict[tuple[str, str], Schema]
    ) -> None:
        for where, name in sorted(old.keys() - new.keys()):
            self.add(True, "parameter-removed", op, f"{where} parameter {name} removed")
        for where, name in sorted(new.keys() - old.keys()):
            if new[where, name].get("required"):
                self.add(
                    True, "required-parameter-added", op, f"new required {where} parameter {name}"
                )
            else:
                self.add(
                    False, "optional-parameter-added", op, f"new optional {where} parameter {name}"
                )
        for key in sorted(old.keys() & new.keys()):
            before, after = old[key], new[key]
            label = f"{op} {key[0]} parameter {key[1]}"
            if after.get("required") and not before.get("required"):
                self.add(True, "parameter-became-required", label, "now required")
            elif before.get("required") and not after.get("required"):
                self.add(False, "parameter-became-optional", label, "now optional")
            self.schema(before.get("schema") or {}, after.get("schema") or {}, label, "", False)

    def request_body(self, op: str, old: Json, new: Json) -> None:
        before = self.resolve_old(old) if old else None
        after = self.resolve_new(new) if new else None
        label = f"{op} request body"
        if after is None:
            if before is not None:
                self.add(True, "request-body-removed", label, "request body removed")
            return
        if before is None:
            required = bool(after.get("required"))
            self.add(required, "request-body-added", label, "required" if required else "optional")
            return
        if after.get("required") and not before.get("required"):
            self.add(True, "request-body-became-required", label, "now required")
        self.content(before.get("content") or {}, after.get("content") or {}, label, False)

    def responses(self, op: str, old: Mapping[str, Json], new: Mapping[str, Json]) -> None:
        for code in sorted(set(old) - set(new)):
            self.add(True, "status-removed", op, f"response {code} removed")
        for code in sorted(set(new) - set(old)):
            self.add(False, "status-added", op, f"response {code} added")
        for code in sorted(set(old) & set(new)):
            before, after = self.resolve_old(old[code]), self.resolve_new(new[code])
            label = f"{op} {code}"
            self.content(before.get("content") or {}, after.get("content") or {}, label, True)
            old_headers = {k.lower(): v for k, v in (before.get("headers") or {}).items()}
            new_headers = {k.lower(): v for k, v in (after.get("headers") or {}).items()}
            for name in sorted(old_headers.keys() - new_headers.keys()):
                self.add(True, "response-header-removed", label, f"header {name} removed")
            for name in sorted(new_headers.keys() - old_headers.keys()):
                self.add(False, "response-header-added", label, f"header {name} added")
            for name in sorted(old_headers.keys() & new_headers.keys()):
                self.schema(
                    self.resolve_old(old_headers[name]).get("schema") or {},
                    self.resolve_new(new_headers[name]).get("schema") or {},
                    f"{label} header {name}",
                    "",
                    True,
                )

    def content(
        self, old: Mapping[str, Json], new: Mapping[str, Json], label: str, response: bool
    ) -> None:
        for media in sorted(set(old) - set(new)):
            self.add(True, "content-type-removed", label, f"content type {media} removed")
        for media in sorted(set(new) - set(old)):
            self.add(False, "content-type-added", label, f"content type {media} added")
        for media in sorted(set(old) & set(new)):
            before = (old[media] or {}).get("schema") or {}
            after = (new[media] or {}).get("schema") or {}
            self.schema(before, after, f"{label} {media}", "", response)

    # -- schemas -----------------------------------------------------------------------------

    def resolve_old(self, node: Json) -> Schema:
        return _resolve(self.old, node)

    def resolve_new(self, node: Json) -> Schema:
        return _resolve(self.new, node)

    def schema(
        self,
        old: Json,
        new: Json,
        label: str,
        field: str,
        response: bool,
        stack: frozenset[tuple[int, int]] = frozenset(),
    ) -> None:
        """Compare two schemas at one place; ``field`` is the dotted path inside the body."""
        old_branches = _branches(self.old, old)
        new_branches = _branches(self.new, new)
        key = (id(_resolve(self.old, old)), id(_resolve(self.new, new)))
        if key in stack:  # a recursive schema: this pair is already being compared above
            return
        stack = stack | {key}
        where = f"{label}: {field}" if field else label
        self.types(old_branches, new_branches, where)
        self.enums(old_branches, new_branches, where, response)
        self.constraints(old_branches, new_branches, where)
        self.objects(old_branches, new_branches, label, field, response, stack)
        old_items = [_resolve(self.old, b["items"]) for b in old_branches if "items" in b]
        new_items = [_resolve(self.new, b["items"]) for b in new_branches if "items" in b]
        if len(old_items) == 1 and len(new_items) == 1:
            self.schema(old_items[0], new_items[0], label, f"{field}[]", response, stack)

    def types(self, old: list[Schema], new: list[Schema], where: str) -> None:
        before, after = _kinds(old), _kinds(new)
        lost = sorted(k for k in before if not _covers(after, k))
        gained = sorted(k for k in after if not _covers(before, k))
        detail = f"type {_show(before)} -> {_show(after)}"
        if lost:
            kind = "type-changed" if gained else "type-narrowed"
            self.add(True, kind, where, f"{detail} (no longer accepts {', '.join(lost)})")
        elif gained:
            self.add(False, "type-widened", where, detail)

    def enums(self, old: list[Schema], new: list[Schema], where: str, response: bool) -> None:
        before, after = _enum_values(old), _enum_values(new)
        if before is None and after is None:
            return
        if before is None or after is None:
            restricted = after is not None and not _open_kinds(new) >= _kinds(new) - {"null"}
            detail = "enum added" if after is not None else "enum removed"
            self.add(restricted, "enum-changed", where, detail)
            return
        was_open, now_open = _open_kinds(old), _open_kinds(new)
        if any(not _covers(now_open, kind) for kind in was_open):
            self.add(True, "enum-closed", where, "values outside the enum are now rejected")
        elif any(not _covers(was_open, kind) for kind in now_open):
            self.add(False, "enum-opened", where, "values outside the enum are now accepted")
        removed, added = before - after, after - before
        if removed:
            self.add(True, "enum-value-removed", where, f"enum values removed: {_values(removed)}")
        if added:
            open_kinds = _open_kinds(new)
            closed = response and any(
                not _covers(open_kinds, _kind_of(json.loads(value))) for value in added
            )
            self.add(closed, "enum-value-added", where, f"enum values added: {_values(added)}")

    def constraints(self, old: list[Schema], new: list[Schema], where: str) -> None:
        if len(old) != 1 or len(new) != 1:
            return
        before, after = old[0], new[0]
        if before.get("format") != after.get("format"):  # generated types follow the format
            detail = f"format {before.get('format')!r} -> {after.get('format')!r}"
            self.add(True, "format-changed", where, f"{detail} (the generated type changes)")
        for keyword, sense in CONSTRAINTS.items():
            was, now = before.get(keyword), after.get(keyword)
            if was == now:
                continue
            if now is None:
                tighter = False
            elif was is None:
                tighter = True
            elif sense == "min":
                tighter = now > was
            elif sense == "max":
                tighter = now < was
            else:
                tighter = True
            kind = "constraint-tightened" if tighter else "constraint-relaxed"
            self.add(tighter, kind, where, f"{keyword} {was!r} -> {now!r}")
        if before.get("const", ...) != after.get("const", ...):
            tighter = "const" in after
            kind = "constraint-tightened" if tighter else "constraint-relaxed"
            self.add(tighter, kind, where, "const changed")

    def objects(
        self,
        old: list[Schema],
        new: list[Schema],
        label: str,
        field: str,
        response: bool,
        stack: frozenset[tuple[int, int]],
    ) -> None:
        before, after = _properties(old), _properties(new)
        if before is None or after is None:
            return
        (old_props, old_required, old_closed), (new_props, new_required, new_closed) = before, after
        where = f"{label}: {field}" if field else label
        if new_closed and not old_closed:
            self.add(True, "additional-properties-closed", where, "extra keys are now rejected")
        elif old_closed and not new_closed:
            self.add(False, "additional-properties-opened", where, "extra keys are now allowed")
        removed = sorted(old_props.keys() - new_props.keys())
        added = sorted(new_props.keys() - old_props.keys())
        prefix = f"{field}." if field else ""
        for name in list(removed):
            twin = next(
                (
                    other
                    for other in added
                    if _shape(self.old, old_props[name]) == _shape(self.new, new_props[other])
                ),
                None,
            )
            if twin is not None:
                removed.remove(name)
                added.remove(twin)
                self.add(True, "field-renamed", label, f"field {prefix}{name} renamed to {twin}")
        for name in removed:
            self.add(True, "field-removed", label, f"field {prefix}{name} removed")
        for name in added:
            if name in new_required:
                self.add(True, "required-field-added", label, f"new required field {prefix}{name}")
            else:
                self.add(False, "optional-field-added", label, f"new optional field {prefix}{name}")
        for name in sorted(old_props.keys() & new_props.keys()):
            if name in new_required and name not in old_required:
                self.add(True, "field-became-required", label, f"field {prefix}{name} now required")
            elif name in old_required and name not in new_required:
                self.add(
                    False, "field-became-optional", label, f"field {prefix}{name} now optional"
                )
            self.schema(old_props[name], new_props[name], label, f"{prefix}{name}", response, stack)


# -- helpers on parsed documents ---------------------------------------------------------------


def _resolve(doc: Mapping[str, Json], node: Json) -> Schema:
    """Follow local ``$ref`` pointers until a node without one (or a loop) is reached."""
    seen: set[str] = set()
    while isinstance(node, Mapping) and isinstance(node.get("$ref"), str):
        ref: str = node["$ref"]
        if ref in seen or not ref.startswith("#/"):
            break
        seen.add(ref)
        target: Json = doc
        for part in ref[2:].split("/"):
            part = part.replace("~1", "/").replace("~0", "~")
            target = target.get(part) if isinstance(target, Mapping) else None
        if target is None:
            break
        node = target
    return node if isinstance(node, Mapping) else {}


def _branches(doc: Mapping[str, Json], node: Json) -> list[Schema]:
    """A schema as the list of alternatives it accepts, with ``$ref``/``anyOf``/``oneOf`` flattened
    and ``allOf`` merged."""
    schema = _resolve(doc, node)
    alternatives = schema.get("anyOf") or schema.get("oneOf")
    if isinstance(alternatives, list):
        found: list[Schema] = []
        for alternative in alternatives:
            found.extend(_branches(doc, alternative))
        return found
    parts = schema.get("allOf")
    if isinstance(parts, list):
        merged: dict[str, Json] = {k: v for k, v in schema.items() if k != "allOf"}
        for part in parts:
            for branch in _branches(doc, part):
                for key, value in branch.items():
                    if key == "properties":
                        merged["properties"] = {**merged.get("properties", {}), **value}
                    elif key == "required":
                        merged["required"] = [*merged.get("required", []), *value]
                    else:
                        merged.setdefault(key, value)
        return [merged]
    return [schema]


def _kind_of(value: Json) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    return "array" if isinstance(value, list) else "object"


def _branch_kinds(branch: Schema) -> set[str]:
    declared = branch.get("type")
    if isinstance(declared, str):
        kinds = {declared}
    elif isinstance(declared, list):
        kinds = {str(t) for t in declared}
    elif "const" in branch:
        kinds = {_kind_of(branch["const"])}
    elif isinstance(branch.get("enum"), list):
        kinds = {_kind_of(v) for v in branch["enum"]}
    elif "properties" in branch or "additionalProperties" in branch:
        kinds = {"object"}
    elif "items" in branch:
        kinds = {"array"}
    else:
        kinds = {"any"}
    if branch.get("nullable") is True:
        kinds.add("null")
    return kinds


def _kinds(branches: list[Schema]) -> set[str]:
    kinds: set[str] = set()
    for branch in branches:
        kinds |= _branch_kinds(branch)
    return kinds


def _covers(kinds: set[str], kind: str) -> bool:
    return "any" in kinds or kind in kinds or (kind == "integer" and "number" in kinds)


def _show(kinds: set[str]) -> str:
    return " | ".join(sorted(kinds))


def _enum_values(branches: list[Schema]) -> set[str] | None:
    """Every enum or const value the branches list (as JSON text), or None when none does."""
    values: set[str] | None = None
    for branch in branches:
        listed = branch.get("enum")
        if "const" in branch:
            listed = [branch["const"]]
        if isinstance(listed, list):
            values = (values or set()) | {json.dumps(v, sort_keys=True) for v in listed}
    return values


def _open_kinds(branches: list[Schema]) -> set[str]:
    """Kinds accepted by a branch that lists no enum or const (so any value of them is valid)."""
    kinds: set[str] = set()
    for branch in branches:
        if "enum" not in branch and "const" not in branch:
            kinds |= _branch_kinds(branch)
    return kinds


def _values(values: set[str]) -> str:
    return ", ".join(sorted(values))


def _properties(branches: list[Schema]) -> tuple[dict[str, Json], set[str], bool] | None:
    """Merged properties, required names and closedness of the object branches, if any."""
    objects = [b for b in branches if "object" in _branch_kinds(b) or "properties" in b]
    if not objects:
        return None
    props: dict[str, Json] = {}
    required: set[str] = set()
    for branch in objects:
        props.update(branch.get("properties") or {})
        required.update(branch.get("required") or [])
    closed = all(branch.get("additionalProperties") is False for branch in objects)
    return props, required, closed


def _shape(doc: Mapping[str, Json], node: Json) -> str:
    """A schema without its documentation, as canonical JSON (to spot a renamed field)."""

    def strip(value: Json, in_map: bool) -> Json:
        if isinstance(value, Mapping):
            if "$ref" in value and isinstance(value["$ref"], str):
                return {"$ref": value["$ref"]}
            return {
                k: strip(v, not in_map and k in MAP_KEYS)
                for k, v in value.items()
                if in_map or (k not in DOC_KEYS and not str(k).startswith("x-"))
            }
        if isinstance(value, list):
            return [strip(v, False) for v in value]
        return value

    return json.dumps(strip(node, False), sort_keys=True)


def _operations(doc: Mapping[str, Json]) -> dict[str, tuple[Schema, dict[tuple[str, str], Schema]]]:
    """``"GET /path"`` -> (operation, parameters by (location, name)), path-level ones included."""
    found: dict[str, tuple[Schema, dict[tuple[str, str], Schema]]] = {}
    for path, item in (doc.get("paths") or {}).items():
        item = _resolve(doc, item)
        shared = item.get("parameters") or []
        for method in HTTP_METHODS:
            operation = item.get(method)
            if not isinstance(operation, Mapping):
                continue
            params: dict[tuple[str, str], Schema] = {}
            for raw in [*shared, *(operation.get("parameters") or [])]:
                param = _resolve(doc, raw)
                where, name = str(param.get("in")), str(param.get("name"))
                params[where, name.lower() if where == "header" else name] = param
            found[f"{method.upper()} {path}"] = (operation, params)
    return found


def _escape(key: Json) -> str:
    return str(key).replace("~", "~0").replace("/", "~1")


def _raw_diff(old: Json, new: Json, pointer: str, in_map: bool) -> Iterator[tuple[str, bool]]:
    """JSON pointers where two raw documents differ, each with whether it is documentation."""
    if old == new:
        return
    if isinstance(old, Mapping) and isinstance(new, Mapping):
        for key in sorted(set(old) | set(new), key=str):
            here = f"{pointer}/{_escape(key)}"
            doc_key = (
                key in DOC_KEYS or str(key).startswith("x-") or (pointer == "" and key == "info")
            )
            if not in_map and doc_key:
                if old.get(key) != new.get(key):
                    yield here, True
            elif key not in old or key not in new:
                yield here, False
            else:
                yield from _raw_diff(old[key], new[key], here, not in_map and key in MAP_KEYS)
    elif isinstance(old, list) and isinstance(new, list) and len(old) == len(new):
        for index, (before, after) in enumerate(zip(old, new, strict=True)):
            yield from _raw_diff(before, after, f"{pointer}/{index}", False)
    else:
        yield pointer or "/", False
