"""Shared by every test module: the repository root on ``sys.path``, and hypothesis's profile.

So tests import the developer tools as the package ``scripts`` (``from scripts.cassettes import
record``), exactly as the commands run them (``python -m scripts.cassettes``), one name per module.

Property tests draw the same examples on every run of ``scripts/test`` (the ``repeatable``
profile), so CI passes or fails on the code, not on the luck of a draw; set
``HYPOTHESIS_PROFILE=explore`` to draw new examples (a nightly job, or after changing a rule).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from hypothesis import settings

ROOT = str(Path(__file__).resolve().parent.parent)
if ROOT not in sys.path:
    sys.path.insert(0, ROOT)

settings.register_profile("repeatable", derandomize=True)
settings.register_profile("explore", derandomize=False)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "repeatable"))
