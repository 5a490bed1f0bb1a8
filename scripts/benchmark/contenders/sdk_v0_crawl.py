"""Contender: the official SDK, firecrawl-py 0.0.20, waiting on a v0 crawl as its users do.

``FirecrawlApp.crawl_url(url, wait_until_done=True)`` POSTs the crawl, then calls
``_monitor_job_status(job_id, headers, poll_interval=2)``: a GET every 2 s (``time.sleep``) until
``completed``, returning ``data``. The simulator has no POST endpoint, so this driver makes the
second call itself, with the SDK's own headers. Runs in a throwaway venv holding only the SDK.

Time compression: ``time.sleep`` is patched to sleep ``seconds / speed`` (see `_protocol`).
Mode ``parse`` times the SDK's parse of a completed answer (``requests.Response.json``).
"""

from __future__ import annotations

import importlib
import importlib.metadata
import json
import time
from typing import Any

from scripts.benchmark.contenders.protocol import (
    Recorder,
    compress_time_sleep,
    handshake,
    recorder_for,
)

# Imported by name: firecrawl-py lives only in the benchmark's throwaway venv, never in the
# project's, so the type checker sees it as Any by design.
firecrawl: Any = importlib.import_module("firecrawl")
requests: Any = importlib.import_module("requests")


def identity(document: dict[str, Any]) -> str:
    metadata = document.get("metadata")
    url = metadata.get("sourceURL") if isinstance(metadata, dict) else None
    return str(url or document.get("url"))


def crawl(spec: dict[str, Any], job_id: str, recorder: Recorder) -> None:
    app = firecrawl.FirecrawlApp(api_key="fc-bench", api_url=spec["base_url"])
    compress_time_sleep(spec["speed"])
    recorder.client_built()
    try:
        data = app._monitor_job_status(job_id, app._prepare_headers(), 2)
    except Exception as exc:  # the SDK raises bare Exception
        recorder.error(job_id, exc)
        return
    if spec.get("jsonl"):
        with open(spec["jsonl"], "w", encoding="utf-8") as sink:
            for document in data:
                sink.write(json.dumps(document) + "\n")
    for document in data:
        recorder.document(identity(document))
    recorder.done(job_id)


def parse(spec: dict[str, Any], recorder: Recorder) -> None:
    with open(spec["body"], "rb") as handle:
        body = handle.read()
    timings = []
    for _ in range(spec["repeat"]):
        response = requests.models.Response()
        response._content = body
        response.status_code = 200
        response.encoding = "utf-8"
        started = time.perf_counter()
        response.json()
        timings.append(time.perf_counter() - started)
    recorder.extra["parse_seconds"] = timings


def main() -> None:
    spec, job_ids = handshake()
    recorder = recorder_for(spec)
    if spec["mode"] == "crawl":
        crawl(spec, job_ids[0], recorder)
    else:
        parse(spec, recorder)
    recorder.extra["sdk_version"] = importlib.metadata.version("firecrawl-py")
    recorder.write(spec["out"])


if __name__ == "__main__":
    main()
