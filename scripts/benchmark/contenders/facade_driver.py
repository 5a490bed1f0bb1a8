"""Contender: this project's facade with its default policies, driven as its README shows.

Crawls are streamed with `StatusClient.iter_crawl` (each document reaches the caller as soon as
a poll shows it); extract jobs are awaited together with one `AsyncStatusClient`. Mode ``cli``
runs the command line's ``main`` in this process, as ``firecrawl-status crawl ID --wait -o FILE
--no-store --max-body-bytes N`` would: the process holds only the CLI, so its RSS is the
command's. The only
change from the defaults is time compression: the client's clock runs ``speed`` times faster,
exactly like the simulator's, so every interval the policy picks is the same in server seconds.
The jitter's random source is seeded, so runs differ only by the machine's timing.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import random
import time
from collections.abc import Mapping
from typing import Any

import httpx

from firecrawl_status import AsyncStatusClient, FirecrawlError, StatusClient
from firecrawl_status._cli import main as cli_main
from scripts.benchmark.contenders.protocol import Recorder, handshake, recorder_for

SEED = 20240801


class ScaledClock:
    """`firecrawl_status.Clock` whose seconds are the simulator's: ``speed`` times the real ones.

    Wall-clock time stays real: the simulator's ``Date`` and ``expiresAt`` are real times.
    """

    def __init__(self, speed: float) -> None:
        self.speed = speed

    def monotonic(self) -> float:
        return time.monotonic() * self.speed

    def utcnow(self) -> dt.datetime:
        return dt.datetime.now(dt.UTC)

    def sleep(self, seconds: float) -> None:
        time.sleep(max(0.0, seconds) / self.speed)

    async def asleep(self, seconds: float) -> None:
        await asyncio.sleep(max(0.0, seconds) / self.speed)


def identity(document: Mapping[str, Any]) -> str:
    metadata = document.get("metadata")
    url = metadata.get("sourceURL") if isinstance(metadata, dict) else None
    return str(url or document.get("url"))


def crawl(spec: dict[str, Any], job_id: str, recorder: Recorder) -> None:
    jsonl = spec.get("jsonl")
    sink = open(jsonl, "w", encoding="utf-8") if jsonl else None  # noqa: SIM115
    try:
        clock, rng = ScaledClock(spec["speed"]), random.Random(SEED)
        # Built here rather than on the first request, so the baseline is taken after it as for
        # every contender (`Recorder.client_built`).
        http_client = httpx.Client()
        recorder.client_built()
        with (
            http_client,
            StatusClient(
                base_url=spec["base_url"], clock=clock, rng=rng, http_client=http_client
            ) as client,
        ):
            stream = client.iter_crawl(job_id)
            try:
                for document in stream:
                    if sink is not None:
                        sink.write(json.dumps(document) + "\n")
                    recorder.document(identity(document))
            except FirecrawlError as exc:
                recorder.error(job_id, exc)
                return
            recorder.done(job_id)
            result = stream.result
            recorder.extra["gaps"] = result.figures.gaps
            recorder.extra["from_final_only"] = result.figures.from_final_only
            recorder.extra["not_modified"] = result.traffic.not_modified
    finally:
        if sink is not None:
            sink.close()


def cli(spec: dict[str, Any], job_id: str, recorder: Recorder) -> None:
    argv = ["crawl", job_id, "--wait", "--no-store", "--quiet", "--base-url", spec["base_url"]]
    argv += ["--output", spec["jsonl"], "--max-body-bytes", str(spec["max_body_bytes"])]
    code = cli_main(argv)
    if code != 0:
        recorder.errors.append(f"{job_id}: firecrawl-status exited {code}")
    recorder.done(job_id)


async def extracts(spec: dict[str, Any], job_ids: list[str], recorder: Recorder) -> None:
    clock = ScaledClock(spec["speed"])
    rng = random.Random(SEED)
    async with AsyncStatusClient(base_url=spec["base_url"], clock=clock, rng=rng) as client:

        async def one(job_id: str) -> None:
            try:
                await client.wait_for_extract(job_id)
            except FirecrawlError as exc:
                recorder.error(job_id, exc)
                return
            recorder.done(job_id)

        await asyncio.gather(*(one(job_id) for job_id in job_ids))


def main() -> None:
    spec, job_ids = handshake()
    recorder = recorder_for(spec)
    if spec["mode"] == "crawl":
        crawl(spec, job_ids[0], recorder)
    elif spec["mode"] == "cli":
        cli(spec, job_ids[0], recorder)
    else:
        asyncio.run(extracts(spec, job_ids, recorder))
    recorder.write(spec["out"])


if __name__ == "__main__":
    main()
