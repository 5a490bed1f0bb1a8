"""The vcrpy cassettes in ``tests/cassettes/``.

``record`` writes them (``scripts/record-cassettes``); ``contract`` checks every recorded
interaction against openapi.yaml (for the tests and the contract review).
"""

from __future__ import annotations

from scripts import ROOT

__all__ = ["CASSETTES"]

CASSETTES = ROOT / "tests" / "cassettes"
"""Where the committed cassettes live."""
