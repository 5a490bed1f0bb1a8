"""Validate an OpenAPI document with openapi-spec-validator (exit 1 with the first error)."""

from __future__ import annotations

import sys
from pathlib import Path

import yaml
from openapi_spec_validator import validate
from openapi_spec_validator.validation.exceptions import OpenAPIValidationError

from scripts import ROOT


def main(argv: list[str]) -> int:
    """Validate each path given (default: openapi.yaml at the repository root)."""
    paths = [Path(arg) for arg in argv] or [ROOT / "openapi.yaml"]
    for path in paths:
        document = yaml.safe_load(path.read_text())
        try:
            validate(document)
        except OpenAPIValidationError as exc:
            print(f"{path}: {exc}", file=sys.stderr)
            return 1
        print(f"{path.name}: valid OpenAPI {document['openapi']}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
