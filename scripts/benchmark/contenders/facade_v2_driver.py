"""Contender: this project's client reading a v2 crawl, as its README's "v0 or v2?" shows.

``StatusClient(crawl_api="v2").iter_crawl(id)``: each document reaches the caller as soon as a
poll shows it, each poll reading only the new pages. Same time compression and seeded jitter
as `facade_driver`.
"""

from __future__ import annotations

import random

import httpx

from firecrawl_status import FirecrawlError, JobResult, StatusClient
from scripts.benchmark.contenders.facade_driver import (
    SEED,
    ScaledClock,
    identity,
)
from scripts.benchmark.contenders.protocol import DigestRecorder, handshake


def main() -> None:
    spec, job_ids = handshake()
    recorder = DigestRecorder()
    job_id = job_ids[0]
    clock, rng = ScaledClock(spec["speed"]), random.Random(SEED)
    # Built before the baseline, as every contender's client (`Recorder.client_built`).
    http_client = httpx.Client()
    recorder.client_built()
    with (
        http_client,
        StatusClient(
            base_url=spec["base_url"],
            clock=clock,
            rng=rng,
            crawl_api="v2",
            http_client=http_client,
        ) as client,
    ):
        stream = client.iter_crawl(job_id)
        try:
            for document in stream:
                recorder.document(identity(document))
        except FirecrawlError as exc:
            recorder.error(job_id, exc)
        else:
            recorder.done(job_id)
            result = stream.result
            if isinstance(result, JobResult):
                recorder.extra["failed_pages"] = result.failed_pages
                recorder.extra["skipped_pages"] = result.skipped_pages
    recorder.write(spec["out"])


if __name__ == "__main__":
    main()
