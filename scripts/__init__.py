"""The project's developer tools: one package per tool, run by the commands beside it.

A command is a kebab-case shell file in ``scripts/`` (``scripts/bench``); it prepares ``.venv``
and runs its tool as ``python -m scripts.<package>`` with the repository root on the path. See
``scripts/README.md`` for the map.
"""

from __future__ import annotations

from pathlib import Path

__all__ = ["ROOT"]

ROOT = Path(__file__).resolve().parent.parent
"""The repository root: every tool finds openapi.yaml, generated/ and tests/ from here."""
