"""Extract jobs: an `ExtractScenario` and the body of ``GET /v1/extract/{id}`` at any instant.

A job is ``processing`` until its duration (or a cancel), then shows its outcome until the record
runs out ``ttl`` later; after that it is 404, except that a *failed* job with ``lost_after``
first reads as ``processing`` with an ``expiresAt`` already past (docs/server-facts.md).
While processing, the worker writes the record at each step, and only then: between two writes
the body, ``expiresAt`` included, stays byte for byte the same, so revalidations get 304 as on
the real server. Stored state: when it was cancelled, whether the one-read flip was served, and
how many reads came while processing (for ``race_every``).
"""

from __future__ import annotations

import datetime as dt
import json
import math
from collections.abc import Callable
from typing import Any

import attrs

from ._scenarios import ExtractScenario

STEPS = ("initial", "map", "map-rerank", "scrape", "extract")
"""The worker's steps, evenly spread over the job; each start is a write that re-arms the TTL."""
LOST_EXPIRES_OFFSET = 2.0
"""A lost job's ``expiresAt`` is this far before the request: now + Redis's -2 TTL of a gone key."""

Wall = Callable[[float], dt.datetime]
"""Job seconds to the wall-clock time the server would report."""


def iso(when: dt.datetime, *, millis: bool = True) -> str:
    """``expiresAt``: whole seconds, UTC, ``Z``.

    Published examples show both ``.000Z`` and a bare ``Z`` (openapi.yaml), so clients get both.
    """
    text = when.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S")
    return f"{text}.000Z" if millis else f"{text}Z"


def _millis(when: dt.datetime) -> int:
    return math.floor(when.timestamp() * 1000)


@attrs.define
class ExtractJob:
    """An extract job in the simulator. ``t`` arguments are simulated seconds since ``added_at``."""

    scenario: ExtractScenario
    added_at: float
    cancelled_at: float | None = None
    flip_served: bool = False
    processing_reads: int = 0

    @property
    def end_at(self) -> float:
        """When processing stops."""
        if self.cancelled_at is not None:
            return min(self.cancelled_at, self.scenario.duration)
        return self.scenario.duration

    @property
    def outcome(self) -> str:
        """The status the job ends in."""
        if self.cancelled_at is not None and self.cancelled_at < self.scenario.duration:
            return "cancelled"
        return self.scenario.outcome

    def cancel(self, t: float) -> None:
        """Cancel now, unless processing already stopped."""
        if t < self.end_at:
            self.cancelled_at = t

    def read(self, t: float, wall: Wall) -> dict[str, Any] | None:
        """The body at ``t``, or None for 404 ``Extract job not found``."""
        scenario, end = self.scenario, self.end_at
        if t < end:
            self.processing_reads += 1
            race_every = scenario.race_every
            if race_every is not None and self.processing_reads % race_every == 0:
                # Between the server's two writes: the record is set, its expiry not yet.
                return self._processing(wall(t), self._steps(t, wall))
            return self._processing(wall(self._last_write(t) + scenario.ttl), self._steps(t, wall))
        gone = end + scenario.ttl
        if t >= gone:
            lost_after = scenario.lost_after
            if self.outcome == "failed" and lost_after is not None and t < gone + lost_after:
                return self._processing(wall(t - LOST_EXPIRES_OFFSET), steps=None)
            return None
        expires = wall(gone)
        if scenario.flip and not self.flip_served:
            # A race in the server shows processing once after completion (docs/server-facts.md).
            self.flip_served = True
            return self._processing(expires, self._steps(end, wall))
        if self.outcome == "failed":
            return {
                "success": False,
                "data": [],
                "status": "failed",
                "error": scenario.error,
                "expiresAt": iso(expires, millis=False),
            }
        if self.outcome == "cancelled":
            return {"success": True, "data": [], "status": "cancelled", "expiresAt": iso(expires)}
        return {
            "success": True,
            "data": scenario.data,
            "status": "completed",
            "expiresAt": iso(expires),
            **(self._extras() if scenario.extras else {}),
        }

    def _processing(
        self, expires: dt.datetime, steps: list[dict[str, Any]] | None
    ) -> dict[str, Any]:
        body: dict[str, Any] = {
            "success": True,
            "data": [],
            "status": "processing",
            "expiresAt": iso(expires),
        }
        if steps is not None and self.scenario.extras:
            body["steps"] = steps
        return body

    def _last_write(self, t: float) -> float:
        spacing = self.scenario.duration / len(STEPS)
        return min(math.floor(t / spacing), len(STEPS) - 1) * spacing

    def _steps(self, t: float, wall: Wall) -> list[dict[str, Any]]:
        spacing = self.scenario.duration / len(STEPS)
        steps: list[dict[str, Any]] = []
        for i, name in enumerate(STEPS):
            if i * spacing > t:
                break
            at = _millis(wall(i * spacing))
            steps.append({"step": name, "startedAt": at, "finishedAt": at})
        return steps

    def _extras(self) -> dict[str, Any]:
        data = self.scenario.data
        tokens = 250 + len(json.dumps(data)) // 4
        cost = round(tokens * 0.000012, 6)
        fields = data if isinstance(data, dict) else {}
        return {
            "llmUsage": cost,
            "sources": {str(key): ["https://example.com/about"] for key in fields},
            "costTracking": {"totalCost": cost, "calls": [{"type": "extract", "cost": cost}]},
            "tokensUsed": tokens,
            "creditsUsed": 1 + tokens // 100,
        }
