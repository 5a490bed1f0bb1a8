"""``python -m scripts.codegen``: what ``scripts/regenerate`` runs."""

import sys

from scripts.codegen.regenerate import main

sys.exit(main())
