"""``scripts/regenerate``: ``generated/`` from openapi.yaml with the pinned openapi-python-client.

``regenerate`` drives the generator with ``config.yaml`` and the template overrides in
``templates/`` (``config.yaml`` says what they change); the contract review reuses it to generate
any spec into a temporary folder.
"""
