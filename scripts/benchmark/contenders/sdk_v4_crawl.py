"""Contender: the official SDK, firecrawl-py 4.x, waiting on a v2 crawl with its own waiter.

``Firecrawl(...).wait_crawl(job_id, poll_interval=2)`` (what ``crawl()`` runs after its POST):
every 2 s ``get_crawl_status``, which reads ``/v2/crawl/{id}`` and follows ``next`` through every
page, until the status is terminal; the documents reach the caller when it returns. Runs in a
throwaway venv holding only the SDK; ``time.sleep`` is time-compressed (see `protocol`).
"""

from __future__ import annotations

import importlib
import importlib.metadata
from typing import Any

from scripts.benchmark.contenders.protocol import DigestRecorder, compress_time_sleep, handshake

# firecrawl-py lives only in the benchmark's throwaway venv: Any to the type checker by design.
firecrawl: Any = importlib.import_module("firecrawl")


def identity(document: Any) -> str:
    metadata = getattr(document, "metadata", None)
    url = getattr(metadata, "source_url", None) or getattr(metadata, "url", None)
    return str(url)


def main() -> None:
    spec, job_ids = handshake()
    recorder = DigestRecorder()
    job_id = job_ids[0]
    app = firecrawl.Firecrawl(api_key="fc-bench", api_url=spec["base_url"])
    compress_time_sleep(spec["speed"])
    recorder.client_built()
    try:
        job = app.wait_crawl(job_id, poll_interval=2)
    except Exception as exc:  # the SDK raises its own and bare exceptions alike
        recorder.error(job_id, exc)
    else:
        for document in job.data or []:
            recorder.document(identity(document))
        recorder.done(job_id)
        recorder.extra["status"] = job.status
    recorder.extra["sdk_version"] = importlib.metadata.version("firecrawl-py")
    recorder.write(spec["out"])


if __name__ == "__main__":
    main()
