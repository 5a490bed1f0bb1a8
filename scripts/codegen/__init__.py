"""``scripts/regenerate``: ``generated/`` from openapi.yaml with the pinned openapi-python-client.

``regenerate`` drives the generator with ``config.yaml`` and the template override in
``templates/``; the contract review reuses it to generate any spec into a temporary folder.
"""
