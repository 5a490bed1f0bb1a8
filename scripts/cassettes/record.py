"""Record the vcrpy cassettes in ``tests/cassettes/``: real HTTP traffic of the facade, replayable.

Two sources:

* **the simulator** (default): each named `Scenario` sets up a `Simulator` on a `FakeClock`
  (jobs, injected faults), serves it on 127.0.0.1, and drives one facade call through it with
  the same clock and a seeded random source. Nothing sleeps, and recording the same scenario
  twice writes the same bytes. The v0 crawl and extract scenarios come first, then one per
  v1/v2 server behaviour of docs/server-facts.md (``v2-*``, ``v1-*``), read through
  ``crawl_api="v2"`` (or ``"v1"``).
* **a live server** (``--base-url``): the real API or a self-hosted one, for one chosen crawl,
  batch scrape or extract id (``--api`` picks the crawl API), on the system clock.

Either way the cassette reads like production traffic and holds no secret: request headers
are reduced to ``If-None-Match`` (so ``Authorization`` never reaches the file), the host is
written as ``https://api.firecrawl.dev``, compressed bodies are decoded and only the response
headers the client reads are kept (``date`` and ``etag`` stay: on the simulator they come from
the `FakeClock`). Each cassette's ``metadata`` says which call to replay (``call``) and what it
returned when recorded (``outcome``); ``tests/test_cassette_replay.py`` replays every cassette
through `StatusClient` and `AsyncStatusClient` with `use_cassette` (``record_mode="none"``).

    scripts/record-cassettes                      # every scenario into tests/cassettes/
    scripts/record-cassettes crawl-growing        # only these
    scripts/record-cassettes --check              # exit 1 when a committed cassette is stale
    scripts/record-cassettes --list
    scripts/record-cassettes --base-url https://api.firecrawl.dev --crawl-id ID --name live-crawl
    scripts/record-cassettes --base-url https://api.firecrawl.dev --crawl-id ID --api v2
    scripts/record-cassettes --base-url https://api.firecrawl.dev --batch-id ID --how errors
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import sys
import tempfile
import urllib.parse
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Literal

import attrs
import httpx
import vcr

from firecrawl_status import (
    APIStatusError,
    AsyncStatusClient,
    CrawlResult,
    CrawlSnapshot,
    ExtractResult,
    ExtractSnapshot,
    FirecrawlError,
    JobErrors,
    JobResult,
    JobSnapshot,
    RateLimitError,
    RetryPolicy,
    StatusClient,
    SystemClock,
)
from firecrawl_status._clock import Clock
from firecrawl_status.testing import (
    CrawlScenario,
    ExtractScenario,
    FakeClock,
    Fault,
    Simulator,
    V2Scenario,
)
from scripts.cassettes import CASSETTES

PRODUCTION = "https://api.firecrawl.dev"
SIMULATOR_KEY = "fc-simulator-recording-key"
"""The key the simulator demands while recording (scrubbed like any other)."""
REPLAY_KEY = "fc-replay"
"""The key replay clients send; never compared, since ``Authorization`` is never recorded."""

KEPT_REQUEST_HEADERS = frozenset({"if-none-match"})
"""Everything else a client sends is either secret (authorization) or varies by machine
(host port, user-agent, accept-encoding)."""
KEPT_RESPONSE_HEADERS = frozenset(
    {
        "content-length",
        "content-type",
        "date",
        "deprecation",
        "etag",
        "link",
        "retry-after",
        "retry-after-ms",
        "sunset",
        "warning",
        "x-powered-by",
    }
)
"""What the client reads, and what makes a cassette look like Express; cookies, CDN ids and
request ids of a live server are dropped."""
MATCH_ON = ("method", "scheme", "host", "port", "path", "query", "if_none_match")
"""A replayed request must be the same GET, and revalidate with the same ETag, as recorded."""

Kind = Literal["crawl", "extract", "batch_scrape"]
How = Literal["wait", "read", "stream", "errors"]
"""``errors`` reads a v1/v2 job's ``/errors`` (`StatusClient.crawl_errors`)."""
CrawlApi = Literal["v0", "v1", "v2"]
Outcome = CrawlResult | ExtractResult | CrawlSnapshot | ExtractSnapshot | JobErrors | FirecrawlError


@attrs.frozen(kw_only=True)
class Call:
    """The facade call a cassette records: stored in its metadata, repeated on replay."""

    kind: Kind
    job_id: str
    how: How = "wait"
    timeout: float | None = 600.0
    max_retries: int = 4
    seed: int = 7
    api: CrawlApi = "v0"
    """The client's ``crawl_api``."""

    def as_dict(self) -> dict[str, Any]:
        """The cassette-metadata form (``api`` only when not v0: the v0 cassettes predate it)."""
        return attrs.asdict(self, filter=lambda field, value: field.name != "api" or value != "v0")

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Call:
        """Read back from cassette metadata."""
        return cls(**data)


Setup = Callable[[Simulator, FakeClock], str]
"""Adds the scenario's job (and faults) to the simulator; returns the job id to call with."""


@attrs.frozen(kw_only=True)
class Scenario:
    """One recorded situation: the simulator's setup, the call, and the outcome it must give.

    Attributes:
        name: The cassette's file name, without ``.yaml``.
        summary: One line on what the cassette shows (also written into it).
        kind: Which endpoint the call polls.
        setup: Builds the situation on a fresh simulator (auth on, key `SIMULATOR_KEY`).
        expect: The class name of the outcome; recording fails on any other.
        api_key: The key the client sends (a wrong one makes a 401).
        timeout: The wait's overall deadline.
        how: ``wait`` (`wait_for_crawl`/`wait_for_extract`), ``read``, ``stream`` or
            ``errors`` (`crawl_errors`/`batch_scrape_errors`).
        api: The client's ``crawl_api`` (batch scrapes read v2 unless it is ``"v1"``).
    """

    name: str
    summary: str
    kind: Kind
    setup: Setup
    expect: str
    api_key: str = SIMULATOR_KEY
    timeout: float | None = 600.0
    how: How = "wait"
    api: CrawlApi = "v0"


def _crawl(scenario: CrawlScenario, *faults: Fault) -> Setup:
    def setup(sim: Simulator, _clock: FakeClock) -> str:
        job_id = sim.add_crawl(scenario)
        if faults:
            sim.inject(*faults, job_id=job_id)
        return job_id

    return setup


def _extract(scenario: ExtractScenario, *, later: float = 0.0) -> Setup:
    def setup(sim: Simulator, clock: FakeClock) -> str:
        job_id = sim.add_extract(scenario)
        clock.advance(later)  # the caller comes back this long after starting the job
        return job_id

    return setup


def _unknown_crawl(sim: Simulator, _clock: FakeClock) -> str:
    sim.add_crawl(CrawlScenario(pages=1))  # some other job exists; ours does not
    return "0d0e6a1c-7b2f-4c11-9d53-6f1f5e0a2b77"


PAGE_BYTES = 48
"""Markdown size of a page: small pages keep cassettes small; the shapes are the real ones."""

SCENARIOS: tuple[Scenario, ...] = (
    Scenario(
        name="crawl-growing",
        summary="Current server: partial_data grows in enqueue order (a page lands before one "
        "already seen), a failed page vanishes and total shrinks, total grows with discovery.",
        kind="crawl",
        setup=_crawl(
            CrawlScenario(pages=6, pages_per_second=1, failing_pages={5}, markdown_bytes=PAGE_BYTES)
        ),
        expect="CrawlResult",
    ),
    Scenario(
        name="crawl-window",
        summary="Early server, a URL-only crawl of 64 pages: placeholder 1/100, then a 50-page "
        "partial_data window with index that slides (oldest pages evicted, index 11..60), "
        "current_url/current_step, final data; every page once, no gap.",
        kind="crawl",
        setup=_crawl(
            CrawlScenario(pages=64, pages_per_second=10, behaviour="window", url_only=True)
        ),
        expect="CrawlResult",
    ),
    Scenario(
        name="crawl-waiting-then-running",
        summary="Early server: {status: waiting, data: null} before the job starts (re-polled "
        "with If-None-Match, answered 304), then active with raw queue states, then completed.",
        kind="crawl",
        setup=_crawl(
            CrawlScenario(
                pages=3,
                pages_per_second=1,
                start_delay=2,
                behaviour="window",
                raw_statuses=((3.5, "stuck"), (4.5, "active")),
                markdown_bytes=PAGE_BYTES,
            )
        ),
        expect="CrawlResult",
    ),
    Scenario(
        name="crawl-failed",
        summary="Current server: the crawl fails after 3 of 6 pages: status failed, data null; "
        "JobFailedError keeps the 3 pages received.",
        kind="crawl",
        setup=_crawl(
            CrawlScenario(pages=6, pages_per_second=2, fail_at=3, markdown_bytes=PAGE_BYTES)
        ),
        expect="JobFailedError",
    ),
    Scenario(
        name="crawl-cancelled",
        summary="Current server: a cancelled crawl reports failed (v0 cannot say cancelled); "
        "JobFailedError keeps the pages received.",
        kind="crawl",
        setup=_crawl(
            CrawlScenario(pages=8, pages_per_second=2, cancel_at=2, markdown_bytes=PAGE_BYTES)
        ),
        expect="JobFailedError",
    ),
    Scenario(
        name="crawl-expired-404",
        summary="Early server, record fixed 5 s from creation: pages arrive, then 404 Job not "
        "found for a job already seen; JobExpiredError keeps the pages.",
        kind="crawl",
        setup=_crawl(
            CrawlScenario(
                pages=20,
                pages_per_second=1,
                behaviour="window",
                expire="404",
                ttl=5,
                markdown_bytes=PAGE_BYTES,
            )
        ),
        expect="JobExpiredError",
    ),
    Scenario(
        name="crawl-expired-silent",
        summary="Current server, secondary record gone after 3 s: the endpoint answers an empty "
        "completed 0/0 after pages were seen; JobExpiredError keeps the pages.",
        kind="crawl",
        setup=_crawl(
            CrawlScenario(
                pages=10, pages_per_second=1, expire="silent", ttl=3, markdown_bytes=PAGE_BYTES
            )
        ),
        expect="JobExpiredError",
    ),
    Scenario(
        name="crawl-not-found",
        summary="404 Job not found for an id never seen: JobNotFoundError, no retry.",
        kind="crawl",
        setup=_unknown_crawl,
        expect="JobNotFoundError",
    ),
    Scenario(
        name="crawl-unauthorized",
        summary="401 Unauthorized: Invalid token for a wrong key: AuthenticationError, no retry.",
        kind="crawl",
        setup=_crawl(CrawlScenario(pages=2, markdown_bytes=PAGE_BYTES)),
        expect="AuthenticationError",
        api_key="fc-wrong-key",
    ),
    Scenario(
        name="crawl-forbidden",
        summary="403 Forbidden for another team's crawl: PermissionDeniedError, no retry.",
        kind="crawl",
        setup=_crawl(CrawlScenario(pages=2, team="other", markdown_bytes=PAGE_BYTES)),
        expect="PermissionDeniedError",
    ),
    Scenario(
        name="crawl-rate-limited",
        summary="429 whose only hint is 'retry after 3s' in the message, then success: one "
        "retry after exactly 3 s, every page streamed once (iter_crawl).",
        kind="crawl",
        setup=_crawl(
            CrawlScenario(pages=6, pages_per_second=1, markdown_bytes=PAGE_BYTES),
            Fault.status(429, retry_after=3),
        ),
        expect="CrawlResult",
        how="stream",
    ),
    Scenario(
        name="crawl-server-errors",
        summary="Two 500s (the server relays 'Connection is closed.') mid-crawl, then success: "
        "two retries with jittered backoff, every page delivered.",
        kind="crawl",
        setup=_crawl(
            CrawlScenario(pages=3, pages_per_second=2, markdown_bytes=PAGE_BYTES),
            Fault.status(500),
            Fault.status(500),
        ),
        expect="CrawlResult",
    ),
    Scenario(
        name="crawl-poll-timeout",
        summary="A slow crawl and a 4 s deadline: PollTimeoutError at exactly the deadline, "
        "with the pages received so far.",
        kind="crawl",
        setup=_crawl(
            CrawlScenario(pages=30, pages_per_second=1, discovery=False, markdown_bytes=PAGE_BYTES)
        ),
        expect="PollTimeoutError",
        timeout=4.0,
    ),
    Scenario(
        name="extract-completed",
        summary="Extract processing (steps, expiresAt moving forward) then completed with data "
        "and extras (llmUsage, sources, costTracking, tokensUsed).",
        kind="extract",
        setup=_extract(ExtractScenario(duration=4)),
        expect="ExtractResult",
    ),
    Scenario(
        name="extract-flip",
        summary="Extract completes, answers processing once more (a server race), then "
        "completed again: the client polls on.",
        kind="extract",
        setup=_extract(ExtractScenario(duration=2, flip=True)),
        expect="ExtractResult",
    ),
    Scenario(
        name="extract-failed",
        summary="Extract failed, reported as HTTP 200 with success false and an error string: "
        "JobFailedError with the server's reason.",
        kind="extract",
        setup=_extract(ExtractScenario(duration=2, outcome="failed")),
        expect="JobFailedError",
    ),
    Scenario(
        name="extract-lost",
        summary="A failed extract read after its 6 h record is gone: processing, success true, "
        "expiresAt already past; JobExpiredError instead of waiting forever.",
        kind="extract",
        setup=_extract(
            ExtractScenario(duration=2, outcome="failed", lost_after=3600),
            later=2 + 6 * 3600 + 60,
        ),
        expect="JobExpiredError",
    ),
)


def _job(scenario: V2Scenario, *faults: Fault, later: float = 0.0) -> Setup:
    """A v1/v2 job; its ``next`` names production, as the real API writes it (and as every
    cassette's requests read), unless the scenario names another origin."""
    if scenario.next_origin is None:
        scenario = attrs.evolve(scenario, next_origin=PRODUCTION)

    def setup(sim: Simulator, clock: FakeClock) -> str:
        job_id = sim.add_job(scenario)
        if faults:
            sim.inject(*faults, job_id=job_id)
        clock.advance(later)  # the caller comes back this long after starting the job
        return job_id

    return setup


V2_SCENARIOS: tuple[Scenario, ...] = (
    Scenario(
        name="v2-crawl-skip-honoured",
        summary="v2 crawl of 12 pages, skip honoured: each poll asks only for what is new (the "
        "cursor from next, skip = slots already read), next present on every page while "
        "scraping; then /errors for the failed-page count.",
        kind="crawl",
        setup=_job(V2Scenario(pages=12, pages_per_second=2, markdown_bytes=PAGE_BYTES)),
        expect="JobResult",
        api="v2",
    ),
    Scenario(
        name="v2-batch-skip-honoured",
        summary="v2 batch scrape of 10 pages streamed with iter_batch_scrape: only new pages on "
        "each poll, every page once.",
        kind="batch_scrape",
        setup=_job(
            V2Scenario(kind="batch", pages=10, pages_per_second=2, markdown_bytes=PAGE_BYTES)
        ),
        expect="JobResult",
        how="stream",
        api="v2",
    ),
    Scenario(
        name="v2-crawl-skip-ignored",
        summary="Mid-2025 self-hosted server ignoring skip/limit: every answer re-sends every "
        "finished page from the start; each page is delivered once (by scrapeId), it costs "
        "bytes only.",
        kind="crawl",
        setup=_job(
            V2Scenario(pages=12, pages_per_second=2, skip="ignored", markdown_bytes=PAGE_BYTES)
        ),
        expect="JobResult",
        api="v2",
    ),
    Scenario(
        name="v2-crawl-next-forever-cancelled",
        summary="Older 2026 server: the crawl is cancelled after 5 of 12 pages and next keeps "
        "coming on the cancelled answers; the walk stops on the repeated cursor and "
        "JobCancelledError keeps the 5 pages.",
        kind="crawl",
        setup=_job(
            V2Scenario(
                pages=12,
                pages_per_second=2,
                end="cancelled",
                end_after=5,
                next_on_terminal=True,
                markdown_bytes=PAGE_BYTES,
            )
        ),
        expect="JobCancelledError",
        api="v2",
    ),
    Scenario(
        name="v2-crawl-foreign-next",
        summary="Behind a proxy: next names http://localhost:3002; only its path and query are "
        "followed, on our own base URL (no request, no key, to another host); streamed.",
        kind="crawl",
        setup=_job(
            V2Scenario(
                pages=8,
                pages_per_second=2,
                next_origin="http://localhost:3002",
                markdown_bytes=PAGE_BYTES,
            )
        ),
        expect="JobResult",
        how="stream",
        api="v2",
    ),
    Scenario(
        name="v2-batch-missing-duplicate",
        summary="v2 batch scrape of 10 pages: page 3's stored result is missing (skipped while "
        "the offset advances) and page 5 is stored again on a later page; 9 pages once, one "
        "reported skipped.",
        kind="batch_scrape",
        setup=_job(
            V2Scenario(
                kind="batch",
                pages=10,
                pages_per_second=2,
                missing_results={3},
                duplicates={5},
                markdown_bytes=PAGE_BYTES,
            )
        ),
        expect="JobResult",
        api="v2",
    ),
    Scenario(
        name="v2-crawl-default-page",
        summary="A finished crawl of 130 pages read with no limit: the server's default page of "
        "100 documents, then next for the last 30.",
        kind="crawl",
        setup=_job(V2Scenario(pages=130, pages_per_second=1000, markdown_bytes=16), later=1),
        expect="JobResult",
        api="v2",
    ),
    Scenario(
        name="v2-crawl-page-cap",
        summary="The per-answer byte cap (10 MiB on the real server, 2 KiB here): pages cut "
        "short by size, fewer than limit documents each; next is followed to the end.",
        kind="crawl",
        setup=_job(
            V2Scenario(pages=8, pages_per_second=1000, markdown_bytes=600, page_cap_bytes=2048),
            later=1,
        ),
        expect="JobResult",
        api="v2",
    ),
    Scenario(
        name="v2-crawl-not-found-grace",
        summary="Right after creation the crawl reads 404 Job not found for 3 s; the client "
        "retries through the grace, then reads it to the end.",
        kind="crawl",
        setup=_job(
            V2Scenario(pages=3, pages_per_second=2, not_found_for=3, markdown_bytes=PAGE_BYTES)
        ),
        expect="JobResult",
        api="v2",
    ),
    Scenario(
        name="v2-crawl-kickoff-failure",
        summary="A crawl that failed at kickoff: HTTP 200 with success false, status failed, an "
        "error and no next: JobFailedError with the server's reason.",
        kind="crawl",
        setup=_job(V2Scenario(kickoff_failure="URL is not allowed by the crawler's settings")),
        expect="JobFailedError",
        api="v2",
    ),
    Scenario(
        name="v2-crawl-rate-limited",
        summary="429 with Retry-After: 3 and retry_after_seconds mid-crawl: one retry after "
        "exactly 3 s, every page streamed once.",
        kind="crawl",
        setup=_job(
            V2Scenario(pages=6, pages_per_second=2, markdown_bytes=PAGE_BYTES),
            Fault.status(429, retry_after=3),
        ),
        expect="JobResult",
        how="stream",
        api="v2",
    ),
    Scenario(
        name="v2-crawl-etag",
        summary="A crawl that starts after 3 s (no timestamps): the unchanged first page is "
        "revalidated with If-None-Match and answered 304, then the pages arrive.",
        kind="crawl",
        setup=_job(
            V2Scenario(
                pages=4,
                pages_per_second=2,
                start_delay=3,
                timestamps=False,
                markdown_bytes=PAGE_BYTES,
            )
        ),
        expect="JobResult",
        api="v2",
    ),
    Scenario(
        name="v2-crawl-errors",
        summary="GET /v2/crawl/{id}/errors of a finished crawl: two failed pages (id, "
        "timestamp, url, code, error) and a robots-blocked URL.",
        kind="crawl",
        setup=_job(
            V2Scenario(
                pages=6,
                pages_per_second=2,
                failing_pages={2, 5},
                robots_blocked=("https://example.com/private/",),
            ),
            later=10,
        ),
        expect="JobErrors",
        how="errors",
        api="v2",
    ),
    Scenario(
        name="v2-batch-read",
        summary="One read of a running v2 batch scrape (batch_scrape_status): its first page, "
        "next pointing past it, creditsUsed -1 (self-hosted) read as unknown.",
        kind="batch_scrape",
        setup=_job(
            V2Scenario(
                kind="batch",
                pages=10,
                pages_per_second=2,
                credits="unknown",
                markdown_bytes=PAGE_BYTES,
            ),
            later=2,
        ),
        expect="JobSnapshot",
        how="read",
        api="v2",
    ),
    Scenario(
        name="v1-crawl",
        summary="The v1 twin (crawl_api='v1'): the same crawl on /v1/crawl/{id}, next naming "
        "/v1/, a failed page counted from /v1/crawl/{id}/errors.",
        kind="crawl",
        setup=_job(
            V2Scenario(pages=8, pages_per_second=2, failing_pages={3}, markdown_bytes=PAGE_BYTES)
        ),
        expect="JobResult",
        api="v1",
    ),
    Scenario(
        name="v1-batch-errors",
        summary="GET /v1/batch/scrape/{id}/errors: a failed page and no robots-blocked URL.",
        kind="batch_scrape",
        setup=_job(V2Scenario(kind="batch", pages=4, failing_pages={2}), later=10),
        expect="JobErrors",
        how="errors",
        api="v1",
    ),
)
SCENARIOS += V2_SCENARIOS
BY_NAME = {scenario.name: scenario for scenario in SCENARIOS}


# -- scrubbing and matching --------------------------------------------------------------------


def scrub_request(base_path: str = "") -> Callable[[Any], Any]:
    """A ``before_record_request`` hook: production host, ``base_path`` stripped, only the
    headers in `KEPT_REQUEST_HEADERS`. vcrpy also runs it on replayed requests before matching."""

    def scrub(request: Any) -> Any:
        parts = urllib.parse.urlsplit(request.uri)
        path = parts.path
        if base_path and path.startswith(base_path + "/"):
            path = path[len(base_path) :]
        request.uri = PRODUCTION + path + (f"?{parts.query}" if parts.query else "")
        request.headers = {
            name.lower(): value
            for name, value in request.headers.items()
            if name.lower() in KEPT_REQUEST_HEADERS
        }
        return request

    return scrub


def scrub_response(response: dict[str, Any]) -> dict[str, Any]:
    """A ``before_record_response`` hook: only the headers in `KEPT_RESPONSE_HEADERS`."""
    response["headers"] = {
        name.lower(): values
        for name, values in response["headers"].items()
        if name.lower() in KEPT_RESPONSE_HEADERS
    }
    return response


def if_none_match(first: Any, second: Any) -> None:
    """vcrpy matcher: both requests revalidate with the same ETag, or neither does."""
    a, b = first.headers.get("if-none-match"), second.headers.get("if-none-match")
    if a != b:
        raise AssertionError(f"If-None-Match {a!r} != {b!r}")


def use_cassette(path: Path, record_mode: str = "none", *, base_path: str = "") -> Any:
    """The vcrpy cassette context every cassette is recorded and replayed with.

    Replay with ``record_mode="none"``: a request that was not recorded, or one recorded
    request asked for twice (``allow_playback_repeats=False``), fails with vcrpy's
    ``CannotOverwriteExistingCassetteException``. Record with ``"all"`` into a fresh file.
    """
    config = vcr.VCR(
        record_mode=record_mode,
        match_on=MATCH_ON,
        before_record_request=scrub_request(base_path),
        before_record_response=scrub_response,
        decode_compressed_response=True,
    )
    config.register_matcher("if_none_match", if_none_match)
    return config.use_cassette(str(path), allow_playback_repeats=False)


# -- driving the facade ------------------------------------------------------------------------


def run_sync(client: StatusClient, call: Call) -> Outcome:
    """Make ``call`` on a sync client; a `FirecrawlError` is returned, not raised."""
    try:
        if call.kind == "extract":
            if call.how == "read":
                return client.extract_status(call.job_id)
            return client.wait_for_extract(call.job_id, timeout=call.timeout)
        batch = call.kind == "batch_scrape"
        if call.how == "errors":
            errors = client.batch_scrape_errors if batch else client.crawl_errors
            return errors(call.job_id, timeout=call.timeout)
        if call.how == "read":
            return (client.batch_scrape_status if batch else client.crawl_status)(call.job_id)
        if call.how == "stream":
            stream = (client.iter_batch_scrape if batch else client.iter_crawl)(
                call.job_id, timeout=call.timeout
            )
            documents = list(stream)
            return attrs.evolve(stream.result, documents=documents)
        wait = client.wait_for_batch_scrape if batch else client.wait_for_crawl
        return wait(call.job_id, timeout=call.timeout)
    except FirecrawlError as exc:
        return exc


async def run_async(client: AsyncStatusClient, call: Call) -> Outcome:
    """`run_sync` for the async client."""
    try:
        if call.kind == "extract":
            if call.how == "read":
                return await client.extract_status(call.job_id)
            return await client.wait_for_extract(call.job_id, timeout=call.timeout)
        batch = call.kind == "batch_scrape"
        if call.how == "errors":
            errors = client.batch_scrape_errors if batch else client.crawl_errors
            return await errors(call.job_id, timeout=call.timeout)
        if call.how == "read":
            return await (client.batch_scrape_status if batch else client.crawl_status)(call.job_id)
        if call.how == "stream":
            stream = (client.iter_batch_scrape if batch else client.iter_crawl)(
                call.job_id, timeout=call.timeout
            )
            documents = [document async for document in stream]
            return attrs.evolve(stream.result, documents=documents)
        wait = client.wait_for_batch_scrape if batch else client.wait_for_crawl
        return await wait(call.job_id, timeout=call.timeout)
    except FirecrawlError as exc:
        return exc


def client_options(call: Call, clock: Clock) -> dict[str, Any]:
    """The client arguments recording and replay share (clock, seeded jitter, retries)."""
    return {
        "clock": clock,
        "rng": random.Random(call.seed),
        "retry": RetryPolicy(max_retries=call.max_retries),
        "crawl_api": call.api,
    }


def _digest(value: object) -> str:
    text = json.dumps(value, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def summarize(outcome: Outcome) -> dict[str, Any]:
    """What a call returned, as plain data: stored as the cassette's ``outcome``, compared on
    replay. Documents and data are reduced to a count and a digest."""
    summary: dict[str, Any] = {"outcome": type(outcome).__name__}
    if isinstance(outcome, FirecrawlError):
        summary["message"] = outcome.message
        documents = getattr(outcome, "documents", None)
        if isinstance(documents, list):
            summary["documents"] = len(documents)
            summary["documents_sha256"] = _digest(documents)
        if isinstance(outcome, APIStatusError):
            summary["status_code"] = outcome.status_code
        if isinstance(outcome, RateLimitError):
            summary["retry_after"] = outcome.retry_after
        return summary
    if isinstance(outcome, JobErrors):
        summary |= {
            "errors": len(outcome.errors),
            "errors_sha256": _digest(outcome.body),
            "robots_blocked": len(outcome.robots_blocked),
        }
    elif isinstance(outcome, CrawlResult):
        summary |= {
            "status": outcome.status,
            "documents": len(outcome.documents),
            "documents_sha256": _digest(outcome.documents),
            "figures": attrs.asdict(outcome.figures),
            "traffic": attrs.asdict(outcome.traffic),
            "used_partial_fallback": outcome.used_partial_fallback,
        }
        if isinstance(outcome, JobResult):
            summary |= {
                "failed_pages": outcome.failed_pages,
                "robots_blocked": outcome.robots_blocked,
                "skipped_pages": outcome.skipped_pages,
                "credits_used": outcome.credits_used,
            }
    elif isinstance(outcome, ExtractResult):
        summary |= {
            "status": outcome.status,
            "data_sha256": _digest(outcome.data),
            "expired": outcome.expired,
            "extras": sorted(outcome.extras),
            "traffic": attrs.asdict(outcome.traffic),
        }
    elif isinstance(outcome, CrawlSnapshot):
        summary |= {
            "status": outcome.status,
            "current": outcome.current,
            "total": outcome.total,
            "documents": len(outcome.documents),
            "documents_sha256": _digest(outcome.documents),
        }
        if isinstance(outcome, JobSnapshot):
            summary |= {
                "api": outcome.api,
                "success": outcome.success,
                "next_url": outcome.next_url,
                "credits_used": outcome.credits_used,
            }
    else:
        summary |= {
            "status": outcome.status,
            "success": outcome.success,
            "data_sha256": _digest(outcome.data),
        }
    return summary


# -- recording ---------------------------------------------------------------------------------


@contextmanager
def _recording(
    path: Path, metadata: dict[str, Any], *, base_path: str = ""
) -> Iterator[dict[str, Any]]:
    """Record into a fresh ``path``; metadata added to the yielded dict is saved with it."""
    path.unlink(missing_ok=True)
    with use_cassette(path, "all", base_path=base_path) as cassette:
        yield metadata
        for key, value in metadata.items():
            cassette.get_metadata(key, value)


def _write(recorded: Path, target: Path, secrets: Sequence[str]) -> None:
    text = recorded.read_text()
    for secret in secrets:
        if secret and secret in text:
            recorded.unlink()
            raise SystemExit(f"{target.name}: an API key reached the cassette; nothing written")
    target.parent.mkdir(parents=True, exist_ok=True)
    os.replace(recorded, target)


def record_scenario(scenario: Scenario, out_dir: Path) -> dict[str, Any]:
    """Record one scenario into ``out_dir/<name>.yaml``; return its outcome summary.

    Raises:
        SystemExit: The outcome was not ``scenario.expect``, or a key reached the file.
    """
    clock = FakeClock()
    sim = Simulator(clock, api_key=SIMULATOR_KEY)
    job_id = scenario.setup(sim, clock)
    call = Call(
        kind=scenario.kind,
        job_id=job_id,
        how=scenario.how,
        timeout=scenario.timeout,
        api=scenario.api,
    )
    metadata: dict[str, Any] = {
        "scenario": scenario.name,
        "summary": scenario.summary,
        "source": "simulator",
        "call": call.as_dict(),
    }
    with tempfile.TemporaryDirectory() as scratch:
        recorded = Path(scratch) / f"{scenario.name}.yaml"
        with sim.serve() as server, _recording(recorded, metadata) as meta:
            client = StatusClient(
                scenario.api_key, base_url=server.base_url, **client_options(call, clock)
            )
            with client:
                outcome = run_sync(client, call)
            meta["outcome"] = summarize(outcome)
        if type(outcome).__name__ != scenario.expect:
            raise SystemExit(f"{scenario.name}: expected {scenario.expect}, got {meta['outcome']}")
        _write(recorded, out_dir / f"{scenario.name}.yaml", [SIMULATOR_KEY, scenario.api_key])
    return meta["outcome"]  # type: ignore[no-any-return]


def record_live(
    *,
    base_url: str,
    api_key: str | None,
    kind: Kind,
    job_id: str,
    name: str,
    timeout: float | None,
    out_dir: Path,
    how: How = "wait",
    api: CrawlApi = "v0",
) -> dict[str, Any]:
    """Record one call against a live server (real clock) into ``out_dir/<name>.yaml``;
    ``api`` is the client's ``crawl_api``.

    Raises:
        SystemExit: The key reached the recorded file (nothing is written then).
    """
    call = Call(kind=kind, job_id=job_id, how=how, timeout=timeout, api=api)
    metadata: dict[str, Any] = {
        "scenario": name,
        "summary": f"Live {kind} {job_id}, recorded from a real server.",
        "source": "live",
        "call": call.as_dict(),
    }
    base_path = httpx.URL(base_url).path.rstrip("/")
    with tempfile.TemporaryDirectory() as scratch:
        recorded = Path(scratch) / f"{name}.yaml"
        options = client_options(call, SystemClock())
        with (
            _recording(recorded, metadata, base_path=base_path) as meta,
            StatusClient(api_key, base_url=base_url, **options) as client,
        ):
            meta["outcome"] = summarize(run_sync(client, call))
        _write(recorded, out_dir / f"{name}.yaml", [api_key or ""])
    return meta["outcome"]  # type: ignore[no-any-return]


def check(names: Sequence[str], against: Path) -> list[str]:
    """Re-record ``names`` into a scratch folder; the names whose bytes differ from ``against``."""
    stale = []
    with tempfile.TemporaryDirectory() as scratch:
        for name in names:
            record_scenario(BY_NAME[name], Path(scratch))
            fresh = (Path(scratch) / f"{name}.yaml").read_bytes()
            committed = against / f"{name}.yaml"
            if not committed.exists() or committed.read_bytes() != fresh:
                stale.append(name)
    return stale


def main(argv: Sequence[str] | None = None) -> int:
    """The ``scripts/record-cassettes`` command."""
    parser = argparse.ArgumentParser(
        prog="scripts/record-cassettes", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument("scenarios", nargs="*", help="scenario names (default: all)")
    parser.add_argument("--out", type=Path, default=CASSETTES, help="folder for the cassettes")
    parser.add_argument("--list", action="store_true", help="list the scenarios and exit")
    parser.add_argument(
        "--check", action="store_true", help="write nothing; exit 1 if a cassette is stale"
    )
    live = parser.add_argument_group("live recording (one job on a real server)")
    live.add_argument("--base-url", help="e.g. https://api.firecrawl.dev or http://localhost:3002")
    live.add_argument("--api-key", help="default: $FIRECRAWL_API_KEY (never written)")
    target = live.add_mutually_exclusive_group()
    target.add_argument("--crawl-id", help="the crawl to record")
    target.add_argument("--extract-id", help="the extract job to record")
    target.add_argument("--batch-id", help="the batch scrape to record")
    live.add_argument(
        "--api",
        choices=["v0", "v1", "v2"],
        help="the client's crawl_api (default: v0 for a crawl, v2 for a batch scrape)",
    )
    live.add_argument(
        "--name", help="cassette name (default: live-crawl, live-extract or live-batch-scrape)"
    )
    live.add_argument("--timeout", type=float, help="overall deadline in seconds (default: none)")
    live.add_argument(
        "--how",
        choices=["wait", "read", "stream", "errors"],
        default="wait",
        help="wait for the result (default), read once, stream the pages, or read a v1/v2 "
        "job's /errors",
    )
    args = parser.parse_args(argv)

    if args.list:
        for scenario in SCENARIOS:
            print(f"{scenario.name:32} {scenario.summary}")
        return 0
    job_id = args.crawl_id or args.extract_id or args.batch_id
    if args.base_url:
        if not job_id:
            parser.error("--base-url needs --crawl-id, --extract-id or --batch-id")
        kind: Kind = "crawl" if args.crawl_id else "extract" if args.extract_id else "batch_scrape"
        api: CrawlApi = args.api or ("v2" if kind == "batch_scrape" else "v0")
        if kind == "batch_scrape" and api == "v0":
            parser.error("a batch scrape is read through --api v1 or v2")
        if kind == "extract" and args.how in ("stream", "errors"):
            parser.error(f"--how {args.how} reads a crawl or a batch scrape")
        name = args.name or f"live-{kind.replace('_', '-')}"
        if name in BY_NAME:
            parser.error(f"{name!r} is a simulator scenario; choose another --name")
        outcome = record_live(
            base_url=args.base_url,
            api_key=args.api_key or os.environ.get("FIRECRAWL_API_KEY"),
            kind=kind,
            job_id=job_id,
            name=name,
            timeout=args.timeout,
            out_dir=args.out,
            how=args.how,
            api=api,
        )
        print(f"{name}: {outcome}", file=sys.stderr)
        print(
            f"Add an entry for {name!r} to EXPECTED in tests/test_cassette_replay.py.",
            file=sys.stderr,
        )
        return 0
    if job_id:
        parser.error("--crawl-id/--extract-id/--batch-id need --base-url")
    unknown = [name for name in args.scenarios if name not in BY_NAME]
    if unknown:
        parser.error(f"unknown scenario(s): {', '.join(unknown)} (see --list)")
    names = args.scenarios or [scenario.name for scenario in SCENARIOS]
    if args.check:
        stale = check(names, args.out)
        for name in stale:
            print(f"{name}: stale or missing; run scripts/record-cassettes {name}", file=sys.stderr)
        return 1 if stale else 0
    for name in names:
        outcome = record_scenario(BY_NAME[name], args.out)
        print(f"{name}: {outcome['outcome']}", file=sys.stderr)
    return 0
