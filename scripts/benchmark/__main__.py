"""``python -m scripts.benchmark``: what ``scripts/bench`` runs."""

import sys

from scripts.benchmark.run import main

sys.exit(main())
