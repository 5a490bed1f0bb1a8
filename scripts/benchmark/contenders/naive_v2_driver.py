"""Contender: the obvious loop over the generated client on a v2 crawl.

Every 2 s: read ``GET /v2/crawl/{id}`` and follow ``next`` (its path and query, on our own
base URL) through every page, handing on the documents not seen before (by ``scrapeId``);
stop once the status is terminal. No retries, no deadline: what a plain loop does.
"""

from __future__ import annotations

import time
import urllib.parse
from typing import Any

import httpx

from firecrawl_status._generated import Client
from firecrawl_status._generated.api.jobs import get_crawl_status_v2
from firecrawl_status._generated.models import JobStatusResponse
from scripts.benchmark.contenders.facade_driver import identity
from scripts.benchmark.contenders.protocol import DigestRecorder, Recorder, handshake

TERMINAL = ("completed", "failed", "cancelled")


def crawl(spec: dict[str, Any], job_id: str, recorder: Recorder) -> None:
    client = Client(base_url=spec["base_url"], timeout=httpx.Timeout(30.0))
    client.get_httpx_client()  # built on first use: built here, before the baseline
    recorder.client_built()
    seen: set[str] = set()
    while True:
        skip: int | None = None
        status = ""
        asked: set[int | None] = set()
        while skip not in asked:
            asked.add(skip)
            kwargs: dict[str, Any] = {} if skip is None else {"skip": skip}
            body = get_crawl_status_v2.sync_detailed(job_id, client=client, **kwargs).parsed
            raw = body.to_dict() if isinstance(body, JobStatusResponse) else {}
            status = str(raw.get("status", ""))
            page = raw.get("data") or []
            for document in page:
                key = str(document.get("metadata", {}).get("scrapeId") or identity(document))
                if key not in seen:
                    seen.add(key)
                    recorder.document(identity(document))
            following = raw.get("next")
            if not page or not isinstance(following, str):
                break
            query = urllib.parse.parse_qs(urllib.parse.urlsplit(following).query)
            skip = int(query.get("skip", ["0"])[0])
        if status in TERMINAL:
            break
        time.sleep(2.0 / spec["speed"])
    recorder.done(job_id)


def main() -> None:
    spec, job_ids = handshake()
    recorder = DigestRecorder()
    try:
        crawl(spec, job_ids[0], recorder)
    except Exception as exc:  # a plain loop has no error handling: record how it ended
        recorder.error(job_ids[0], exc)
    recorder.write(spec["out"])


if __name__ == "__main__":
    main()
