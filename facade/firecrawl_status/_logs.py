"""The library's logging, and the ``FIRECRAWL_STATUS_LOG`` switch that shows it.

Everything logs to the ``firecrawl_status`` logger; like any library it attaches no handler of
its own, so nothing shows unless the application configures logging or sets
``FIRECRAWL_STATUS_LOG`` (in the style of ``OPENAI_LOG``):

* ``FIRECRAWL_STATUS_LOG=info``: a stderr handler on ``firecrawl_status`` and ``httpx`` at INFO:
  warnings and each request httpx sends (``HTTP Request: GET ... "HTTP/1.1 200 OK"``);
* ``FIRECRAWL_STATUS_LOG=debug``: the same at DEBUG, adding every retry decision and httpx's
  connection details.

What is logged, at which level (docs/logging.md has the table): WARNING when a job will be
forgotten by the server soon; DEBUG for each retry's delay and why. Requests are logged by httpx
itself (logger ``httpx``, INFO). No line holds the API key: it travels only in a request header,
and neither we nor httpx log headers.
"""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Mapping
from typing import Final

__all__ = ["ENVIRONMENT_VARIABLE", "LOGGER_NAME", "setup_logging"]

LOGGER_NAME: Final = "firecrawl_status"
ENVIRONMENT_VARIABLE: Final = "FIRECRAWL_STATUS_LOG"
_LEVELS: Final = {"debug": logging.DEBUG, "info": logging.INFO}
_FORMAT: Final = "[%(asctime)s %(levelname)s %(name)s] %(message)s"


class _SwitchHandler(logging.StreamHandler):  # type: ignore[type-arg]
    """The handler the switch attaches: recognisable, so it is attached once per logger."""


def setup_logging(environ: Mapping[str, str] = os.environ) -> None:
    """Attach a stderr handler to ``firecrawl_status`` and ``httpx`` when
    ``FIRECRAWL_STATUS_LOG`` is ``debug`` or ``info``; anything else leaves logging alone.

    Called by every client's constructor; calling it again changes nothing more.
    """
    level = _LEVELS.get(environ.get(ENVIRONMENT_VARIABLE, "").strip().lower())
    if level is None:
        return
    for name in (LOGGER_NAME, "httpx"):
        logger = logging.getLogger(name)
        if not any(isinstance(handler, _SwitchHandler) for handler in logger.handlers):
            handler = _SwitchHandler(sys.stderr)
            handler.setFormatter(logging.Formatter(_FORMAT))
            logger.addHandler(handler)
        logger.setLevel(level)
