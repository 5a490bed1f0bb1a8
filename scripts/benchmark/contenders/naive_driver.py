"""Contender: what a user of the generated client alone writes. A fixed 2 s poll, no ETag.

Crawl: read the status every 2 s with ``get_crawl_status.sync``; hand the caller each
``partial_data`` document whose ``sourceURL`` it has not handed out yet (the by-hand
de-duplication users write), then, on ``completed``, the ``data`` documents not handed out.
Extract: one ``asyncio`` task per job on one generated `Client`, each reading
``get_extract_status.asyncio`` every 2 s until a terminal status.

Time compression: the 2 s sleep is ``2 / speed`` real seconds, like the simulator's clock.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Sequence
from typing import Any

from firecrawl_status._generated import Client
from firecrawl_status._generated.api.crawl import get_crawl_status
from firecrawl_status._generated.api.extract import get_extract_status
from firecrawl_status._generated.models import (
    CrawlDocument,
    CrawlStatusResponse,
    ExtractStatusResponse,
)
from firecrawl_status._generated.types import Unset
from scripts.benchmark.contenders.protocol import Recorder, handshake, recorder_for

POLL_SECONDS = 2.0
CRAWL_TERMINAL = {"completed", "failed"}
EXTRACT_TERMINAL = {"completed", "failed", "cancelled"}


def key_of(document: CrawlDocument) -> str:
    metadata = document.metadata
    if not isinstance(metadata, Unset) and isinstance(metadata.source_url, str):
        return metadata.source_url
    return str(document.url)


def crawl(spec: dict[str, Any], job_id: str, recorder: Recorder) -> None:
    jsonl = spec.get("jsonl")
    sink = open(jsonl, "w", encoding="utf-8") if jsonl else None  # noqa: SIM115
    seen: set[str] = set()

    def hand_out(documents: Sequence[CrawlDocument]) -> None:
        for document in documents:
            key = key_of(document)
            if key in seen:
                continue
            seen.add(key)
            if sink is not None:
                sink.write(json.dumps(document.to_dict()) + "\n")
            recorder.document(key)

    client = Client(base_url=spec["base_url"])
    client.get_httpx_client()  # built on first use: built here, before the baseline
    recorder.client_built()
    try:
        while True:
            answer = get_crawl_status.sync(job_id, client=client)
            if not isinstance(answer, CrawlStatusResponse):
                recorder.errors.append(f"{job_id}: unexpected answer {answer!r}"[:200])
                break
            if not isinstance(answer.partial_data, Unset):
                hand_out(answer.partial_data)
            status = str(answer.status)
            if status == "completed" and isinstance(answer.data, list):
                hand_out(answer.data)
            if status in CRAWL_TERMINAL:
                break
            time.sleep(POLL_SECONDS / spec["speed"])
        recorder.done(job_id)
    finally:
        client.get_httpx_client().close()
        if sink is not None:
            sink.close()


async def extracts(spec: dict[str, Any], job_ids: list[str], recorder: Recorder) -> None:
    client = Client(base_url=spec["base_url"])

    async def one(job_id: str) -> None:
        while True:
            try:
                answer = await get_extract_status.asyncio(job_id, client=client)
            except Exception as exc:  # a naive loop has no error handling
                recorder.error(job_id, exc)
                return
            if isinstance(answer, ExtractStatusResponse) and str(answer.status) in EXTRACT_TERMINAL:
                recorder.done(job_id)
                return
            await asyncio.sleep(POLL_SECONDS / spec["speed"])

    try:
        await asyncio.gather(*(one(job_id) for job_id in job_ids))
    finally:
        await client.get_async_httpx_client().aclose()


def main() -> None:
    spec, job_ids = handshake()
    recorder = recorder_for(spec)
    if spec["mode"] == "crawl":
        crawl(spec, job_ids[0], recorder)
    else:
        asyncio.run(extracts(spec, job_ids, recorder))
    recorder.write(spec["out"])


if __name__ == "__main__":
    main()
