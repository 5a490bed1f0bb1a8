"""A scripted server for driver tests: one httpx.MockTransport handler serving a fixed list of
answers, used by the sync and the async client alike (so one script checks both)."""

from __future__ import annotations

import asyncio
import hashlib
import json
import random
from collections.abc import Callable
from typing import Any

import httpx

from firecrawl_status import AsyncStatusClient, CrawlStream, PollPolicy, RetryPolicy, StatusClient
from firecrawl_status.testing import FakeClock

Step = tuple[int, Any] | tuple[int, Any, dict[str, str]]


class Script:
    """Answers requests with ``steps`` in order; records each request seen."""

    def __init__(self, steps: list[Step]) -> None:
        self.steps = list(steps)
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        if not self.steps:
            raise AssertionError(f"unexpected extra request {request.method} {request.url}")
        step = self.steps.pop(0)
        status, body = step[0], step[1]
        headers = dict(step[2]) if len(step) > 2 else {}  # type: ignore[misc]
        if isinstance(body, bytes):
            return httpx.Response(status, content=body, headers=headers)
        if isinstance(body, str):
            headers.setdefault("content-type", "text/html")
            return httpx.Response(status, text=body, headers=headers)
        if body is None:
            return httpx.Response(status, headers=headers)
        raw = json.dumps(body).encode()
        headers.setdefault("etag", f'W/"{hashlib.sha1(raw).hexdigest()[:12]}"')
        headers.setdefault("content-type", "application/json; charset=utf-8")
        return httpx.Response(status, content=raw, headers=headers)


def run_both(
    steps: list[Step],
    call: Callable[[Any], Any],
    *,
    retry: RetryPolicy | None = None,
    poll: PollPolicy | None = None,
    api_key: str | None = "fc-test-key-123",
    **client_kwargs: Any,
) -> list[tuple[str, Any, Script, FakeClock]]:
    """Run ``call(client)`` on a fresh sync and a fresh async client over the same script.

    ``call`` returns the value (an awaitable, or a stream that is drained into a list, for the
    async client); exceptions are returned, not raised.
    Returns [(flavour, outcome, script, clock)] for sync then async.
    """
    results: list[tuple[str, Any, Script, FakeClock]] = []
    for flavour in ("sync", "async"):
        script, clock = Script(steps), FakeClock()
        common: dict[str, Any] = {
            "base_url": "http://firecrawl.test",
            "retry": retry,
            "poll": poll,
            "clock": clock,
            "rng": random.Random(7),
            **client_kwargs,
        }
        outcome: Any
        if flavour == "sync":
            http = httpx.Client(transport=httpx.MockTransport(script))
            with StatusClient(api_key, http_client=http, **common) as client:
                try:
                    outcome = call(client)
                    if isinstance(outcome, CrawlStream):
                        outcome = list(outcome)
                except Exception as exc:
                    outcome = exc

        else:

            async def main(script: Script, common: dict[str, Any]) -> Any:
                http = httpx.AsyncClient(transport=httpx.MockTransport(script))
                async with AsyncStatusClient(api_key, http_client=http, **common) as client:
                    try:
                        value = call(client)
                        return await value if asyncio.iscoroutine(value) else await _drain(value)
                    except Exception as exc:
                        return exc

            outcome = asyncio.run(main(script, common))
        results.append((flavour, outcome, script, clock))
    return results


async def _drain(stream: Any) -> Any:
    """Collect an async stream into a list (the async twin of ``list(stream)``)."""
    return [item async for item in stream]
