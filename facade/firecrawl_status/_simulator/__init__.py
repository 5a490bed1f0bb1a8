"""A local Firecrawl: both job-status endpoints, as the real server does (docs/server-facts.md).

Modules, one idea each: `_scenarios` (what a job does, what a fault is), `_crawl`, `_extract`
and `_v2` (a job's answer at any simulated instant), `_http` (Express's framing: ETag, 304,
HTML 404, fault bodies), `_core` (`Simulator`: routing, auth, faults, the transports),
`_server` (real HTTP), `_demo` (the ``simulate`` command). Public names are re-exported by
`firecrawl_status.testing`.
"""

from ._core import SimRequest, SimStats, Simulator
from ._demo import add_demo_jobs, serve_forever
from ._http import SimResponse
from ._scenarios import CrawlScenario, ExtractScenario, Fault
from ._server import SimulatorServer
from ._v2 import V2Scenario

__all__ = [
    "CrawlScenario",
    "ExtractScenario",
    "Fault",
    "SimRequest",
    "SimResponse",
    "SimStats",
    "Simulator",
    "SimulatorServer",
    "V2Scenario",
    "add_demo_jobs",
    "serve_forever",
]
