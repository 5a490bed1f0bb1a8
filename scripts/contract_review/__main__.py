"""``python -m scripts.contract_review``: what ``scripts/contract-review`` runs."""

import sys

from scripts.contract_review.review import main

sys.exit(main())
