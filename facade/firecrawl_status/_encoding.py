"""Text and JSON as the package stores and writes them, one rule for the store and the CLI.

JSON is compact, with unicode kept as is. The one snag is a lone surrogate (legal in JSON
from the server, ``"\\ud800"``, but not UTF-8): SQLite and a UTF-8 file cannot hold it, so
such text falls back to backslash or ``\\u`` escapes. Keys computed for new documents go
through the same rule as the keys already stored, so they compare equal.
"""

from __future__ import annotations

import json
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


def compact_json(value: object) -> str:
    """Compact JSON. Unicode is kept as is, unless the text holds lone surrogates, which only
    ``\\u`` escapes can carry; either way `json.loads` gives back exactly ``value``."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), default=_plain)
    if not text.isascii():
        try:
            text.encode("utf-8")
        except UnicodeEncodeError:
            text = json.dumps(value, separators=(",", ":"), default=_plain)
    return text


def _plain(value: object) -> object:
    if isinstance(value, Mapping):
        return dict(value)
    raise TypeError(f"a {type(value).__name__} cannot be written as JSON")
