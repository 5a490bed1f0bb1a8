"""``scripts/contract-review``: what a reviewer of an openapi.yaml change needs, in one report.

``review`` is the command; ``spec_diff`` classifies the structural changes; ``generated_surface``
regenerates both specs and compares their public names; ``tools`` installs and drives Redocly CLI
(pinned in ``redocly/``, with our lint ruleset). ``validate_spec`` is the plain OpenAPI 3.1 check
``scripts/test`` runs. See docs/contract-review.md.
"""
