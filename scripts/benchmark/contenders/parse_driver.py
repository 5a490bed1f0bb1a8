"""Parse cost of one completed answer (figure 6), in a process of its own.

Runs `scripts.benchmark.parse.parse_costs` on the body in ``spec["body"]`` with whichever
``firecrawl_status`` the path finds first: this checkout's, or (``PYTHONPATH`` set by the
orchestrator) an older commit's extracted beside it, so "no slower than before" is a ratio
measured in one run on one machine. Records where the package came from.
"""

from __future__ import annotations

import firecrawl_status
from scripts.benchmark.contenders.protocol import Recorder, handshake
from scripts.benchmark.parse import parse_costs


def main() -> None:
    spec, _ = handshake()
    recorder = Recorder()
    with open(spec["body"], "rb") as handle:
        body = handle.read()
    recorder.extra = parse_costs(spec["job_id"], body, spec["repeat"])
    recorder.extra["package"] = firecrawl_status.__file__
    recorder.write(spec["out"])


if __name__ == "__main__":
    main()
