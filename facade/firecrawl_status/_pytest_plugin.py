"""pytest fixtures for code that uses firecrawl-status: a fake clock and a Firecrawl simulator.

Registered as the ``firecrawl_status`` pytest plugin (entry point ``pytest11``), so installing
the package is enough; ``pytest -p no:firecrawl_status`` (or ``addopts`` in a config file)
switches it off. ``firecrawl_simulator`` runs on ``firecrawl_clock``: give the same clock
to the client under test and jobs advance exactly as fast as the client waits, with no real
sleep. Use ``firecrawl_simulator.transport()`` in-process, or ``firecrawl_server`` for real HTTP
on 127.0.0.1 (stopped after the test).

pytest loads this module in every run of every environment the package is installed in, so it
imports nothing of its own at module level: each fixture imports `firecrawl_status.testing`
(the simulator and its HTTP server) when a test first asks for it.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from firecrawl_status.testing import FakeClock, Simulator, SimulatorServer

__all__ = ["firecrawl_clock", "firecrawl_server", "firecrawl_simulator"]


@pytest.fixture
def firecrawl_clock() -> FakeClock:
    """A fresh `FakeClock` at 2025-08-01 12:00:00 UTC."""
    from firecrawl_status.testing import FakeClock

    return FakeClock()


@pytest.fixture
def firecrawl_simulator(firecrawl_clock: FakeClock) -> Simulator:
    """A `Simulator` without auth on ``firecrawl_clock``, with no jobs yet."""
    from firecrawl_status.testing import Simulator

    return Simulator(firecrawl_clock)


@pytest.fixture
def firecrawl_server(firecrawl_simulator: Simulator) -> Iterator[SimulatorServer]:
    """``firecrawl_simulator`` served on 127.0.0.1 (free port); closed after the test."""
    with firecrawl_simulator.serve() as server:
        yield server
