"""Shared by every test module: the repository root on ``sys.path``.

So tests import the developer tools as the package ``scripts`` (``from scripts.cassettes import
record``), exactly as the commands run them (``python -m scripts.cassettes``), one name per module.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = str(Path(__file__).resolve().parent.parent)
if ROOT not in sys.path:
    sys.path.insert(0, ROOT)
