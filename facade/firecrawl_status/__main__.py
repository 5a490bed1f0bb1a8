"""``python -m firecrawl_status``: the ``firecrawl-status`` command."""

from ._cli import main

if __name__ == "__main__":  # importing this module (pkgutil, doc tools) must not run the CLI
    raise SystemExit(main())
