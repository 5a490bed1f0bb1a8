"""Contender: the official SDK, firecrawl-py 1.x, waiting on v1 extract jobs as its users do.

``FirecrawlApp.extract()`` POSTs the job, then loops: ``GET /v1/extract/{id}``, return on
``completed``, raise on ``failed``/``cancelled``, else ``time.sleep(2)``. The simulator has no
POST endpoint, so this driver runs that same loop on the public ``get_extract_status``. The SDK
is synchronous (1.x has no async client), so many jobs get one thread each, the most favourable
way to wait on them all at once. Runs in a throwaway venv holding only the SDK.

Time compression: ``time.sleep`` is patched to sleep ``seconds / speed`` (see `_protocol`).
"""

from __future__ import annotations

import importlib
import importlib.metadata
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from scripts.benchmark.contenders.protocol import Recorder, compress_time_sleep, handshake

# Imported by name: firecrawl-py lives only in the benchmark's throwaway venv (see sdk_v0_crawl).
firecrawl: Any = importlib.import_module("firecrawl")


def wait(app: Any, job_id: str, recorder: Recorder) -> None:
    try:
        while True:
            status = app.get_extract_status(job_id)
            if status["status"] == "completed":
                if not status["success"]:
                    raise RuntimeError(f"Failed to extract. Error: {status['error']}")
                break
            if status["status"] in ("failed", "cancelled"):
                raise RuntimeError(f"Extract job {status['status']}. Error: {status['error']}")
            time.sleep(2)
    except Exception as exc:  # the SDK raises ValueError for everything
        recorder.error(job_id, exc)
        return
    recorder.done(job_id)


def main() -> None:
    spec, job_ids = handshake()
    recorder = Recorder()
    app = firecrawl.FirecrawlApp(api_key="fc-bench", api_url=spec["base_url"])
    compress_time_sleep(spec["speed"])
    with ThreadPoolExecutor(max_workers=max(1, len(job_ids))) as pool:
        for job_id in job_ids:
            pool.submit(wait, app, job_id, recorder)
    recorder.extra["sdk_version"] = importlib.metadata.version("firecrawl-py")
    recorder.write(spec["out"])


if __name__ == "__main__":
    main()
