"""``python -m scripts.cassettes``: what ``scripts/record-cassettes`` runs."""

import sys

from scripts.cassettes.record import main

sys.exit(main())
