"""The contract test of the cassettes: every recorded interaction must be one the spec allows.

Each interaction of a vcrpy cassette (``tests/cassettes/<scenario>.yaml``) is checked with
openapi-core against ``openapi.yaml``:

* the request: the server, path and method name a declared operation, and its parameters
  (path, query, headers) validate;
* the response: its status code is declared for that operation, its content type is declared
  for that status, and its body validates against that content's schema. A 304 must have an
  empty body (the spec's ``NotModified`` response declares none).

Every problem becomes one :class:`Violation` naming the cassette, the interaction (1-based) and the
field, so a reviewer can open the file at the right place. ``scripts/contract-review`` uses
:func:`validate_cassettes` for its cassette section; run alone::

    python -m scripts.cassettes.contract [--spec openapi.yaml] [CASSETTE ...]

checks the given cassettes (default: every ``*.yaml`` under ``tests/cassettes``) and exits 1 when
any interaction violates the contract.
"""

from __future__ import annotations

import argparse
import gzip
import sys
import zlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import yaml
from jsonschema.exceptions import ValidationError as SchemaError
from jsonschema.exceptions import best_match
from openapi_core import OpenAPI
from openapi_core.datatypes import RequestParameters
from openapi_core.templating.media_types.exceptions import MediaTypeNotFound
from openapi_core.templating.paths.exceptions import PathError
from openapi_core.templating.responses.exceptions import ResponseNotFound
from openapi_core.validation.request.exceptions import ParameterValidationError
from openapi_core.validation.response.exceptions import HeaderValidationError
from vcr.serializers import yamlserializer
from werkzeug.datastructures import Headers, ImmutableMultiDict

from scripts import ROOT
from scripts.cassettes import CASSETTES

__all__ = ["Violation", "default_cassettes", "validate_cassettes"]

SPEC = ROOT / "openapi.yaml"
#: Longest message kept on a violation line.
MAX_MESSAGE = 160


@dataclass(frozen=True, order=True)
class Violation:
    """One way a recorded interaction breaks the contract.

    Attributes:
        cassette: The cassette's file name.
        interaction: The interaction's 1-based number in the cassette; 0 for the whole file.
        field: What is wrong, for example ``response.status`` or ``response.body.current``.
        message: Why, in one line.
    """

    cassette: str
    interaction: int
    field: str
    message: str

    def line(self) -> str:
        """The violation as one report line."""
        return f"{self.cassette} #{self.interaction} {self.field}: {self.message}"


@dataclass
class _Request:
    """An openapi-core request (``openapi_core.protocols.Request``) read from a cassette."""

    host_url: str
    path: str
    method: str
    parameters: RequestParameters
    content_type: str
    body: bytes | None


@dataclass
class _Response:
    """An openapi-core response (``openapi_core.protocols.Response``) read from a cassette."""

    status_code: int
    content_type: str
    headers: Headers
    data: bytes | None


def default_cassettes(folder: Path = CASSETTES) -> list[Path]:
    """Every cassette file below ``folder``, sorted; empty when the folder does not exist."""
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.rglob("*") if p.suffix in (".yaml", ".yml") and p.is_file())


def validate_cassettes(spec_path: Path, cassettes: Iterable[Path]) -> list[Violation]:
    """Check every interaction of every cassette against the spec.

    Args:
        spec_path: The OpenAPI document to hold the cassettes to.
        cassettes: vcrpy YAML cassette files.

    Returns:
        The violations found, in cassette and interaction order; empty when all validate.
    """
    api = OpenAPI.from_dict(yaml.safe_load(spec_path.read_text(encoding="utf-8")))
    violations: list[Violation] = []
    for path in cassettes:
        try:
            interactions = _interactions(path)
        except (OSError, ValueError, yaml.YAMLError) as exc:
            violations.append(Violation(path.name, 0, "cassette", _short(f"cannot read: {exc}")))
            continue
        for number, interaction in enumerate(interactions, start=1):
            found = _check(api, interaction)
            violations.extend(Violation(path.name, number, f, m) for f, m in found)
    return violations


def _interactions(path: Path) -> list[Mapping[str, Any]]:
    data = yamlserializer.deserialize(path.read_text(encoding="utf-8"))
    if not isinstance(data, Mapping) or not isinstance(data.get("interactions"), list):
        raise ValueError("not a vcrpy cassette (no 'interactions' list)")
    interactions: list[Mapping[str, Any]] = data["interactions"]
    return interactions


def _check(api: OpenAPI, interaction: Mapping[str, Any]) -> list[tuple[str, str]]:
    """(field, message) for each problem of one interaction."""
    try:
        request = _request(interaction["request"])
        response = _response(interaction["response"])
    except (KeyError, TypeError, ValueError) as exc:
        return [("interaction", _short(f"malformed: {exc!r}"))]
    try:
        api.validate_request(request)
    except PathError as exc:  # no declared operation: the response cannot be judged either
        return [("request.uri", _short(str(exc)))]
    except ParameterValidationError as exc:
        problems = [(f"request.{exc.location}.{exc.name}", _cause(exc))]
    except Exception as exc:
        problems = [("request", _cause(exc))]
    else:
        problems = []
    if response.status_code == 304 and response.data:
        return [*problems, ("response.body", "a 304 answer must have an empty body")]
    try:
        api.validate_response(request, response)
    except ResponseNotFound as exc:
        declared = ", ".join(sorted(str(code) for code in exc.availableresponses))
        problems.append(
            ("response.status", f"{response.status_code} is not declared (declared: {declared})")
        )
    except HeaderValidationError as exc:
        problems.append((f"response.headers.{exc.name}", _cause(exc)))
    except Exception as exc:
        missing = exc if isinstance(exc, MediaTypeNotFound) else exc.__cause__
        if isinstance(missing, MediaTypeNotFound):
            declared = ", ".join(missing.availableMimetypes)
            problems.append(
                (
                    "response.content-type",
                    f"{missing.mimetype!r} is not declared for {response.status_code} "
                    f"(declared: {declared})",
                )
            )
        else:
            problems.extend(_body_problems(exc))
    return problems


def _body_problems(exc: Exception) -> list[tuple[str, str]]:
    """One (field, message) per schema error behind a failed response validation."""
    errors: Iterable[SchemaError] = getattr(exc.__cause__, "schema_errors", None) or ()
    found: list[tuple[str, str]] = []
    for error in errors:
        best = best_match([error])
        field = "response.body" + best.json_path.removeprefix("$")
        found.append((field, _short(best.message)))
    return found or [("response.body", _cause(exc))]


def _cause(exc: BaseException) -> str:
    """The most specific message of an openapi-core error (its schema error when it has one)."""
    errors = getattr(exc.__cause__, "schema_errors", None)
    if errors:
        return _short(best_match(errors).message)
    if exc.__cause__ is not None:
        return _short(f"{exc}: {exc.__cause__}")
    return _short(str(exc))


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= MAX_MESSAGE else text[: MAX_MESSAGE - 3] + "..."


def _headers(raw: Any) -> Headers:
    """vcrpy writes headers as ``{name: [value, ...]}``; accept single values too."""
    headers = Headers()
    for name, values in (raw or {}).items():
        for value in values if isinstance(values, list) else [values]:
            headers.add(str(name), str(value))
    return headers


def _body(raw: Any) -> bytes | None:
    if isinstance(raw, Mapping):  # a response body: {"string": ...}
        raw = raw.get("string")
    if raw is None:
        return None
    if isinstance(raw, str):
        return raw.encode("utf-8")
    if isinstance(raw, bytes):
        return raw
    raise ValueError(f"unexpected body of type {type(raw).__name__}")


def _request(raw: Mapping[str, Any]) -> _Request:
    url = urlsplit(str(raw["uri"]))
    headers = _headers(raw.get("headers"))
    return _Request(
        host_url=f"{url.scheme}://{url.netloc}",
        path=url.path,
        method=str(raw["method"]).lower(),
        parameters=RequestParameters(
            query=ImmutableMultiDict(parse_qsl(url.query, keep_blank_values=True)),
            header=headers,
            cookie=ImmutableMultiDict(),
        ),
        content_type=headers.get("Content-Type", "").lower(),
        body=_body(raw.get("body")),
    )


def _response(raw: Mapping[str, Any]) -> _Response:
    headers = _headers(raw.get("headers"))
    data = _body(raw.get("body"))
    encoding = headers.get("Content-Encoding", "").lower()
    if data and encoding in ("gzip", "deflate"):  # recorded without decode_compressed_response
        data = gzip.decompress(data) if encoding == "gzip" else zlib.decompress(data)
    return _Response(
        status_code=int(raw["status"]["code"]),
        content_type=headers.get("Content-Type", "").lower(),
        headers=headers,
        data=data,
    )


def main(argv: list[str] | None = None) -> int:
    """Entry point: print one line per violation; exit 1 when there is any."""
    parser = argparse.ArgumentParser(
        prog="python -m scripts.cassettes.contract",
        description="Check vcrpy cassettes against openapi.yaml with openapi-core.",
    )
    parser.add_argument("cassettes", nargs="*", type=Path, help="default: tests/cassettes/*.yaml")
    parser.add_argument("--spec", type=Path, default=SPEC, help="default: openapi.yaml")
    args = parser.parse_args(argv)
    cassettes: list[Path] = args.cassettes or default_cassettes()
    if not cassettes:
        print(f"No cassettes under {CASSETTES.relative_to(ROOT)}/.", file=sys.stderr)
        return 0
    violations = validate_cassettes(args.spec, cassettes)
    for violation in violations:
        print(violation.line())
    print(
        f"{len(cassettes)} cassette(s) checked against {args.spec.name}: "
        + (f"{len(violations)} violation(s)." if violations else "all validate."),
        file=sys.stderr,
    )
    return 1 if violations else 0


if __name__ == "__main__":
    sys.exit(main())
