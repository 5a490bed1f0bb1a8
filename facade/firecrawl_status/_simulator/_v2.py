"""v1/v2 crawl and batch-scrape jobs: `V2Scenario`, and the answers of ``GET /v2/crawl/{id}``,
``/v2/batch/scrape/{id}``, their ``/errors`` routes and the ``/v1/`` twins (docs/server-facts.md).

Theory of operation: pages finish one every ``1 / pages_per_second`` seconds after
``start_delay``, in order. The server's store is a list of slots in finish order: a failed page
takes none (only ``/errors`` lists it), a page with a missing stored result takes an empty slot
(skipped in ``data``, but offsets still advance), a duplicated page takes a second slot when
the next page lands. An answer is the slots from ``skip``, at most ``limit`` and 10 MiB, plus
``next`` as the scenario's server generation writes it. Same reads at the same times, same bytes.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import urllib.parse
import uuid
from collections.abc import Callable, Iterable
from typing import Any, Literal

import attrs

from ._extract import iso
from ._http import RATE_LIMIT_MESSAGE, SimResponse, encode, js_date, json_answer
from ._scenarios import Fault

__all__ = ["V2Scenario"]  # re-exported by firecrawl_status.testing

PAGE_CAP_BYTES = 10 * 1024 * 1024
"""Most JSON bytes of documents in one answer (docs/server-facts.md)."""
DEFAULT_LIMIT = 100
NOT_FOUND = {"success": False, "error": "Job not found"}
ROUTE = re.compile(r"/(v1|v2)/(crawl|batch/scrape)/([^/]+?)(/errors)?/?", re.IGNORECASE)
"""Both API versions, both kinds, status and ``/errors`` (Express: case-insensitive, one
trailing slash)."""

Wall = Callable[[float], dt.datetime]


# Typed converters: with ``converter=frozenset`` a type checker cannot tell what the field takes.
def _positions(values: Iterable[int]) -> frozenset[int]:
    return frozenset(values)


def _urls(values: Iterable[str]) -> tuple[str, ...]:
    return tuple(values)


def _non_negative(_: object, attribute: attrs.Attribute[Any], value: float) -> None:
    if value < 0:
        raise ValueError(f"{attribute.name} must be >= 0, got {value!r}")


@attrs.frozen(kw_only=True)
class V2Scenario:
    """How a simulated v1/v2 crawl or batch scrape unfolds, with the server quirks it shows.

    Pages finish in order, the first ``start_delay`` seconds after the job was added, then one
    every ``1 / pages_per_second`` seconds. The job is reachable under ``/v2/`` and ``/v1/``
    (``next`` names the version asked for) and, by ``kind``, under ``crawl`` or ``batch/scrape``.

    Args:
        kind: ``"crawl"`` or ``"batch"`` (``/batch/scrape/{id}``).
        pages: Pages that finish successfully.
        pages_per_second: Finish rate, in simulated seconds.
        start_delay: Seconds before the first page finishes.
        failing_pages: 1-based finish positions (among ``pages + len(failing_pages)``) that fail:
            never in ``data``, not counted, listed by ``/errors``.
        robots_blocked: URLs ``/errors`` lists as blocked by robots.txt.
        end: How the job ends: ``"completed"``, or ``"cancelled"``/``"failed"`` after
            ``end_after`` pages.
        end_after: Pages finished when a cancel or failure ends the job.
        kickoff_failure: The job failed at kickoff: HTTP 200 with ``success: false``,
            ``status: "failed"``, this ``error``, ``data: []`` and no ``next``.
        skip: ``"honoured"``; ``"ignored"``, as mid-2025 self-hosted servers: every answer
            holds every finished document from the start, whatever ``skip``/``limit`` say.
        next_on_terminal: Older 2026 servers: ``next`` keeps coming on ``cancelled``/``failed``
            jobs, forever. (While scraping, ``next`` is always present, on every generation.)
        next_origin: Scheme and host written into ``next`` (e.g. ``"https://localhost:3002"``
            behind a proxy); None: the origin of the request's ``Host``.
        missing_results: Positions (among successful pages) whose stored result is gone:
            skipped in ``data`` while offsets advance.
        duplicates: Positions stored twice: again right after the next page finishes.
        timestamps: Newer servers: ``createdAt``, ``completedAt`` (terminal) and ``duration``.
        credits: ``"billed"`` (one credit per page) or ``"unknown"`` (``-1``, self-hosted).
        not_found_for: Seconds after creation the job still reads 404 (the grace a client
            must allow).
        ttl: Seconds after the end the job expires (404); ``expiresAt`` says when (while
            running: ``ttl`` after the last page finished, as the server refreshes the record
            at each write, so an answer changes only when the job does and revalidates as 304).
        markdown_bytes: Size of each page's markdown.
        page_cap_bytes: Most JSON bytes of documents in one answer (the server's 10 MiB; a
            small cap shows pages cut short by size with ordinary documents).
        team: ``"other"``: 404 on the status route, 403 on ``/errors``.
        warning: A ``warning`` string added to every status answer, or None.
        base: Root URL of the scraped site.
    """

    kind: Literal["crawl", "batch"] = "crawl"
    pages: int = attrs.field(default=20, validator=_non_negative)
    pages_per_second: float = attrs.field(default=10.0, validator=attrs.validators.gt(0))
    start_delay: float = attrs.field(default=0.0, validator=_non_negative)
    failing_pages: frozenset[int] = attrs.field(default=frozenset(), converter=_positions)
    robots_blocked: tuple[str, ...] = attrs.field(default=(), converter=_urls)
    end: Literal["completed", "cancelled", "failed"] = "completed"
    end_after: int = attrs.field(default=0, validator=_non_negative)
    kickoff_failure: str | None = None
    skip: Literal["honoured", "ignored"] = "honoured"
    next_on_terminal: bool = False
    next_origin: str | None = None
    missing_results: frozenset[int] = attrs.field(default=frozenset(), converter=_positions)
    duplicates: frozenset[int] = attrs.field(default=frozenset(), converter=_positions)
    timestamps: bool = True
    credits: Literal["billed", "unknown"] = "billed"
    not_found_for: float = attrs.field(default=0.0, validator=_non_negative)
    ttl: float = attrs.field(default=86400.0, validator=attrs.validators.gt(0))
    markdown_bytes: int = attrs.field(default=300, validator=_non_negative)
    page_cap_bytes: int = attrs.field(default=PAGE_CAP_BYTES, validator=attrs.validators.gt(0))
    team: Literal["own", "other"] = "own"
    warning: str | None = None
    base: str = "https://example.com"

    def __attrs_post_init__(self) -> None:
        finishing = self.pages + len(self.failing_pages)
        if any(not 1 <= p <= finishing for p in self.failing_pages):
            raise ValueError(f"failing_pages must be positions between 1 and {finishing}")
        if any(not 1 <= p <= self.pages for p in self.missing_results | self.duplicates):
            raise ValueError(f"missing_results/duplicates must be positions 1..{self.pages}")
        if self.end != "completed" and self.end_after > self.pages:
            raise ValueError("end_after must be at most pages")


def route(path: str) -> tuple[str, str, str, bool] | None:
    """``(version, kind, raw id, errors?)`` of a v1/v2 job path, or None."""
    match = ROUTE.fullmatch(path.split("?", 1)[0])
    if match is None:
        return None
    version, kind, raw_id, errors = match.groups()
    return version.lower(), "crawl" if kind.lower() == "crawl" else "batch", raw_id, bool(errors)


def is_job_path(path: str) -> bool:
    """Whether ``path`` is one of the routes this module answers."""
    return route(path) is not None


def _uuid(seed: str) -> str:
    """A UUID-shaped id derived from ``seed``: the same on every read (deterministic)."""
    return str(uuid.UUID(bytes=hashlib.sha256(seed.encode()).digest()[:16]))


def _page_url(scenario: V2Scenario, position: int) -> str:
    return f"{scenario.base}/" if position == 1 else f"{scenario.base}/page-{position}"


def _document(scenario: V2Scenario, job_id: str, position: int) -> dict[str, Any]:
    url = _page_url(scenario, position)
    title = "Home" if position == 1 else f"Page {position}"
    sentence = f"Paragraph text of page {position}. "
    markdown = (f"# {title}\n\n" + sentence * (scenario.markdown_bytes // len(sentence) + 1))[
        : scenario.markdown_bytes
    ]
    metadata: dict[str, Any] = {
        "title": title,
        "sourceURL": url,
        "url": url,
        "statusCode": 200,
        "scrapeId": _uuid(f"{job_id}/{position}"),
        "proxyUsed": "basic",
        "readingTime": position % 7,
    }
    if position % 5 == 2:
        metadata["og:locale:alternate"] = ["en_GB", "de_DE"]
    return {
        "markdown": markdown,
        "links": [_page_url(scenario, position + 1)],
        "metadata": metadata,
    }


@attrs.define
class V2Job:
    """A v1/v2 job in the simulator; ``t`` arguments are simulated seconds since ``added_at``."""

    job_id: str
    scenario: V2Scenario
    added_at: float
    cancelled_at: float | None = None

    def _finish_at(self, rank: int) -> float:
        return self.scenario.start_delay + rank / self.scenario.pages_per_second

    @property
    def _finishing(self) -> int:
        scenario = self.scenario
        total = scenario.pages + len(scenario.failing_pages)
        if scenario.end != "completed":
            # end_after successful pages, and the failing ones among them.
            good = 0
            for rank in range(1, total + 1):
                good += rank not in scenario.failing_pages
                if good == scenario.end_after:
                    return rank
            return 0
        return total

    def end_at(self) -> float:
        """When the job ends (job seconds)."""
        if self.scenario.kickoff_failure is not None:
            return 0.0
        natural = self._finish_at(self._finishing)
        if self.cancelled_at is not None:
            return min(natural, self.cancelled_at)
        return natural

    def end_status(self) -> str:
        """The status the job ends in."""
        if self.scenario.kickoff_failure is not None:
            return "failed"
        if self.cancelled_at is not None and self.cancelled_at < self._finish_at(self._finishing):
            return "cancelled"
        return self.scenario.end

    def cancel(self, t: float) -> None:
        """Cancel now, unless the job already ended."""
        if t < self.end_at():
            self.cancelled_at = t

    def _finished(self, t: float) -> list[int]:
        """Finish ranks (1-based, failing included) of the pages finished by ``t``."""
        end = self.end_at()
        return [
            rank for rank in range(1, self._finishing + 1) if self._finish_at(rank) <= min(t, end)
        ]

    def _slots(self, t: float) -> list[int | None]:
        """The stored results in order: a successful position, or None for a missing result."""
        scenario = self.scenario
        slots: list[int | None] = []
        position = 0
        pending: int | None = None
        for rank in self._finished(t):
            if rank in scenario.failing_pages:
                continue
            position += 1
            stored = None if position in scenario.missing_results else position
            slots.append(stored)
            if pending is not None:
                slots.append(pending)
            pending = stored if position in scenario.duplicates else None  # none of a missing one
        if pending is not None and t >= self.end_at():
            slots.append(pending)
        return slots

    def status(
        self, t: float, *, version: str, skip: int, limit: int | None, origin: str, wall: Wall
    ) -> dict[str, Any] | None:
        """The status body at ``t``, or None for 404."""
        scenario = self.scenario
        end = self.end_at()
        if t < scenario.not_found_for or t >= end + scenario.ttl:
            return None
        if scenario.kickoff_failure is not None:
            return {
                "success": False,
                "status": "failed",
                "error": scenario.kickoff_failure,
                "data": [],
            }
        ended = t >= end
        status = self.end_status() if ended else "scraping"
        slots = self._slots(t)
        good = sum(1 for rank in self._finished(t) if rank not in scenario.failing_pages)
        data: list[dict[str, Any]] = []
        if scenario.skip == "ignored":
            data = [_document(scenario, self.job_id, p) for p in slots if p is not None]
            next_skip = skip + len(data)
        else:
            size, next_skip = 0, skip
            for offset in range(skip, min(skip + (limit or DEFAULT_LIMIT), len(slots))):
                position = slots[offset]
                if position is not None:
                    document = _document(scenario, self.job_id, position)
                    cost = len(encode(document)) + 1
                    if data and size + cost > scenario.page_cap_bytes:
                        break
                    size += cost
                    data.append(document)
                next_skip = offset + 1
        more = next_skip < len(slots)
        body: dict[str, Any] = {
            "success": True,
            "status": status,
            "completed": good,
            "total": good if ended else self._total(good),
            "creditsUsed": -1 if scenario.credits == "unknown" else good,
            "expiresAt": iso(wall((end if ended else self._last_write(t)) + scenario.ttl)),
        }
        keeps_next = status == "scraping" or (scenario.next_on_terminal and status != "completed")
        if keeps_next or more:
            query = {"skip": next_skip} | ({"limit": limit} if limit is not None else {})
            kind = "crawl" if scenario.kind == "crawl" else "batch/scrape"
            body["next"] = (
                f"{scenario.next_origin or origin}/{version}/{kind}/{self.job_id}?"
                + urllib.parse.urlencode(query)
            )
        body["data"] = data
        if scenario.timestamps:
            body["createdAt"] = iso(wall(0.0))
            if ended:
                body["completedAt"] = iso(wall(end))
            body["duration"] = round(min(t, end), 3)
        if scenario.warning is not None:
            body["warning"] = scenario.warning
        return body

    def _last_write(self, t: float) -> float:
        """When the job's record last changed by ``t``: its creation, or the last page's end."""
        finished = self._finished(t)
        return self._finish_at(finished[-1]) if finished else 0.0

    def _total(self, good: int) -> int:
        """Finished + in flight + queued while running (failed pages count in neither)."""
        scenario = self.scenario
        queued = scenario.pages - good if scenario.end == "completed" else scenario.end_after - good
        return good + max(0, queued)

    def errors(self, t: float, wall: Wall) -> dict[str, Any]:
        """The ``/errors`` body at ``t``."""
        failed = [rank for rank in self._finished(t) if rank in self.scenario.failing_pages]
        return {
            "errors": [
                {
                    "id": _uuid(f"{self.job_id}!{rank}"),
                    "timestamp": iso(wall(self._finish_at(rank))),
                    "url": f"{self.scenario.base}/broken-{rank}",
                    "code": "SCRAPE_TIMEOUT",
                    "error": "Request timed out",
                }
                for rank in failed
            ],
            "robotsBlocked": list(self.scenario.robots_blocked),
        }


def _query_int(query: dict[str, list[str]], name: str) -> int | None:
    values = query.get(name)
    if not values:
        return None
    try:
        return max(0, int(values[-1]))
    except ValueError:
        return None


def answer(
    jobs: dict[str, V2Job],
    path: str,
    job_id: str,
    host: str | None,
    t_of: Callable[[V2Job], float],
    wall_of: Callable[[V2Job], Wall],
    utc: dt.datetime,
) -> SimResponse | dict[str, Any]:
    """A v1/v2 route's answer: a JSON body for 200, or an error `SimResponse`."""
    parsed = route(path)
    assert parsed is not None
    version, kind, _, errors = parsed
    try:
        uuid.UUID(job_id)
    except ValueError:
        return json_answer(400, {"success": False, "error": "Invalid job ID"}, utc)
    job = jobs.get(job_id)
    if job is None or job.scenario.kind != kind:
        return json_answer(404, NOT_FOUND, utc)
    if job.scenario.team == "other":
        return json_answer(
            403 if errors else 404,
            {"success": False, "error": "Forbidden"} if errors else NOT_FOUND,
            utc,
        )
    t = t_of(job)
    if errors:
        if t < job.scenario.not_found_for:
            return json_answer(404, NOT_FOUND, utc)
        return job.errors(t, wall_of(job))
    query = urllib.parse.parse_qs(urllib.parse.urlsplit(path).query)
    limit = _query_int(query, "limit")
    body = job.status(
        t,
        version=version,
        skip=_query_int(query, "skip") or 0,
        limit=limit if limit else None,
        origin=f"http://{host or '127.0.0.1'}",
        wall=wall_of(job),
    )
    return json_answer(404, NOT_FOUND, utc) if body is None else body


def fault_answer(fault: Fault, utc: dt.datetime) -> SimResponse | None:
    """A 429 fault on a v1/v2 path: ``Retry-After`` header and ``retry_after_seconds``."""
    if fault.kind != "status" or fault.status_code != 429 or fault.body is not None:
        return None
    resets = js_date(utc + dt.timedelta(seconds=fault.retry_after))
    message = RATE_LIMIT_MESSAGE.format(seconds=fault.retry_after, resets=resets)
    payload = {"success": False, "error": message, "retry_after_seconds": fault.retry_after}
    response = json_answer(429, payload, utc)
    return attrs.evolve(
        response, headers=response.headers | {"Retry-After": str(fault.retry_after)}
    )
