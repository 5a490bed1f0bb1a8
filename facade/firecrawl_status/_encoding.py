"""Text and JSON as the package stores and writes them, one rule for the store and the CLI.

JSON is compact, with unicode kept as is. The one snag is a lone surrogate (legal in JSON
from the server, ``"\\ud800"``, but not UTF-8): SQLite and a UTF-8 file cannot hold it, so
such text falls back to backslash or ``\\u`` escapes. Keys computed for new documents go
through the same rule as the keys already stored, so they compare equal.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping


def storable_text(value: str) -> str:
    """``value`` as UTF-8 can hold it: lone surrogates become backslash escapes."""
    if value.isascii():
        return value
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return value.encode("utf-8", "backslashreplace").decode("utf-8")
    return value


def compact_json(value: object, *, strict: bool = False) -> str:
    """Compact JSON. Unicode is kept as is, unless the text holds lone surrogates, which only
    ``\\u`` escapes can carry; either way `json.loads` gives back exactly ``value``.

    NaN and infinities (which `json.loads` accepts from a server) round-trip as the bare
    ``NaN``/``Infinity`` that `json.loads` reads back; ``strict`` output, for other programs
    (the CLI's JSON Lines), writes them as ``null``, since strict parsers reject them.
    """
    try:
        text = json.dumps(
            value, ensure_ascii=False, separators=(",", ":"), default=_plain, allow_nan=not strict
        )
    except ValueError:
        value = _finite(value)
        text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), default=_plain)
    if not text.isascii():
        try:
            text.encode("utf-8")
        except UnicodeEncodeError:
            text = json.dumps(value, separators=(",", ":"), default=_plain)
    return text


def _finite(value: object) -> object:
    """``value`` with every NaN or infinity replaced by None."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, Mapping):
        return {key: _finite(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_finite(item) for item in value]
    return value


def _plain(value: object) -> object:
    if isinstance(value, Mapping):
        return dict(value)
    raise TypeError(f"a {type(value).__name__} cannot be written as JSON")
