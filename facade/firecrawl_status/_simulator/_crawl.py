"""Crawl jobs: a `CrawlScenario` turned into a timeline of page landings, and the body of
``GET /v0/crawl/status/{jobId}`` at any instant of it.

Theory of operation: `timeline` lists, once, every page that will ever land (completion order,
time after the job was added, whether it failed) and when and how the crawl ends; a cancel by
hand recomputes it. `CrawlJob.read(t)` keeps the landings up to ``t`` and shapes them as the
scenario's server generation does (docs/server-facts.md, v0 crawl). The only other state is the
last read time that re-arms a sliding TTL, so the same reads at the same times always give the
same bytes.
"""

from __future__ import annotations

from typing import Any, Literal

import attrs

from ._http import LazyArray
from ._scenarios import CrawlScenario

IN_FLIGHT = 3
"""Pages that still land after a cancel (docs/server-facts.md: a cancelled crawl is not frozen)."""
IN_FLIGHT_SPACING = 1.0
"""Seconds between those late landings, so a poller sees them arrive after ``failed``."""
FANOUT = 3
"""Links each landed page discovers, when ``discovery`` is on."""
PLACEHOLDER = (1, 100)
"""The early server's current/total before the first page (docs/server-facts.md)."""
SILENT_EXPIRY: dict[str, Any] = {
    "status": "completed",
    "current": 0,
    "total": 0,
    "data": [],
    "partial_data": [],
}
LEGACY_DATA: dict[str, Any] = {"success": True, "result": {"links": []}, "error": "No pages found"}

Document = dict[str, Any]


@attrs.frozen
class Landing:
    """One page finishing: ``at`` seconds after the job was added."""

    at: float
    position: int
    failed: bool


@attrs.frozen
class Timeline:
    """Every landing in completion order, and when and how the crawl ends."""

    landings: tuple[Landing, ...]
    end_at: float
    end_status: Literal["completed", "failed"]


def completion_order(enqueued: int) -> list[int]:
    """Home page first, then each pair of enqueue positions swapped: 1, 3, 2, 5, 4, ...

    So a growing ``partial_data`` (sorted by enqueue time) inserts a page before one already
    seen, as the current server does.
    """
    order = [1] if enqueued else []
    for first in range(2, enqueued + 1, 2):
        order += [first + 1, first] if first < enqueued else [first]
    return order


def timeline(scenario: CrawlScenario, cancelled_at: float | None = None) -> Timeline:
    """The crawl's whole future; ``cancelled_at`` is a cancel by hand, in job seconds."""
    step = 1.0 / scenario.pages_per_second
    scheduled = [
        Landing(
            scenario.start_delay + (rank + 1) * step, position, position in scenario.failing_pages
        )
        for rank, position in enumerate(completion_order(scenario.enqueued))
    ]

    def after(count: int) -> float:
        return scheduled[count - 1].at if count else scenario.start_delay

    # Candidate ends as (time, how, pages landed by then); the earliest wins, completion on ties.
    ends: list[tuple[float, str, int]] = [(after(len(scheduled)), "completed", len(scheduled))]
    if scenario.fail_at is not None and scenario.fail_at < len(scheduled):
        ends.append((after(scenario.fail_at), "failed", scenario.fail_at))
    if scenario.cancel_at is not None and scenario.cancel_at < len(scheduled):
        ends.append((after(scenario.cancel_at), "cancelled", scenario.cancel_at))
    if cancelled_at is not None:
        landed = sum(1 for landing in scheduled if landing.at <= cancelled_at)
        ends.append((cancelled_at, "cancelled", landed))
    end_at, how, landed = min(ends, key=lambda end: end[0])
    if how == "completed":
        return Timeline(tuple(scheduled), end_at, "completed")
    landings = scheduled[:landed]
    if how == "cancelled":
        late = scheduled[landed : landed + IN_FLIGHT]
        landings += [
            attrs.evolve(landing, at=end_at + (i + 1) * IN_FLIGHT_SPACING)
            for i, landing in enumerate(late)
        ]
    return Timeline(tuple(landings), end_at, "failed")


def page_url(scenario: CrawlScenario, position: int) -> str:
    """The stable URL (and ``sourceURL``) of the page at an enqueue position."""
    return f"{scenario.base}/" if position == 1 else f"{scenario.base}/page-{position}"


def _markdown(title: str, position: int, size: int) -> str:
    head = f"# {title}\n\n"
    sentence = f"Paragraph text of page {position} on the simulated site. "
    repeats = max(0, size - len(head)) // len(sentence) + 1
    return (head + sentence * repeats)[:size]


def document(scenario: CrawlScenario, position: int, *, final: bool) -> Document:
    """A page as the server sends it; ``final`` adds ``linksOnPage`` like the final ``data``.

    Metadata values are of any type (docs/server-facts.md): ``pageStatusCode`` is a number,
    ``language`` is sometimes null, a meta-tag key holds a list, and ``og:image`` appears on some
    pages. Failing pages carry 404/500, and only the 500s have ``pageError``.
    """
    url = page_url(scenario, position)
    if scenario.url_only:
        return {"url": url}
    code = 200
    if position in scenario.failing_pages:
        code = 404 if position % 2 == 0 else 500
    title = {200: "Home" if position == 1 else f"Page {position}", 404: "Not Found"}.get(
        code, "Internal Server Error"
    )
    markdown = _markdown(title, position, scenario.markdown_bytes)
    metadata: dict[str, Any] = {
        "title": title,
        "description": f"{title} of the simulated site",
        "language": None if position % 3 == 0 else "en",
        "sourceURL": url,
        "pageStatusCode": code,
    }
    if position % 4 == 1:
        metadata["og:image"] = f"{scenario.base}/images/{position}.png"
    if position % 5 == 2:
        metadata["og:locale:alternate"] = ["en_GB", "de_DE"]
    if code == 500:
        metadata["pageError"] = "Internal Server Error"
    heading, _, text = markdown.partition("\n\n")
    page_html = f"<h1>{heading.removeprefix('# ')}</h1><p>{text}</p>"
    doc: Document = {"markdown": markdown, "content": markdown, "html": page_html}
    if final:
        first_link = FANOUT * (position - 1) + 2
        doc["linksOnPage"] = [
            page_url(scenario, linked)
            for linked in range(first_link, first_link + FANOUT)
            if linked <= scenario.enqueued
        ]
    doc["metadata"] = metadata
    return doc


@attrs.define
class CrawlJob:
    """A crawl in the simulator. ``t`` arguments are simulated seconds since ``added_at``."""

    scenario: CrawlScenario
    added_at: float
    timeline: Timeline
    partial: dict[int, Document]
    final: dict[int, Document]
    read_at: float = 0.0
    """Last status read (job seconds): the sliding TTL runs from here."""

    @classmethod
    def create(cls, scenario: CrawlScenario, added_at: float) -> CrawlJob:
        """A crawl starting at ``added_at`` (simulator seconds); a streamed one prepares none
        of its documents."""
        positions = range(1, 0 if scenario.streamed else scenario.enqueued + 1)
        return cls(
            scenario=scenario,
            added_at=added_at,
            timeline=timeline(scenario),
            partial={p: document(scenario, p, final=False) for p in positions},
            final={p: document(scenario, p, final=True) for p in positions},
        )

    def _document(self, position: int, *, final: bool) -> Document:
        if self.scenario.streamed:
            return document(self.scenario, position, final=final)
        return (self.final if final else self.partial)[position]

    def _documents(self, positions: list[int], *, final: bool) -> list[Document] | LazyArray:
        """The documents at these positions; a streamed crawl's are made while they are sent."""
        if self.scenario.streamed:
            return LazyArray(lambda: (self._document(p, final=final) for p in positions))
        return [self._document(p, final=final) for p in positions]

    def cancel(self, t: float) -> None:
        """Cancel now, unless the crawl already ended."""
        if t < self.timeline.end_at:
            self.timeline = timeline(self.scenario, cancelled_at=t)

    def available_at(self) -> list[tuple[float, str]]:
        """(simulator seconds, URL) of every page a client can receive, in landing order."""
        window = self.scenario.behaviour == "window"
        return [
            (self.added_at + landing.at, page_url(self.scenario, landing.position))
            for landing in self.timeline.landings
            if window or not landing.failed
        ]

    def read(self, t: float) -> dict[str, Any] | None:
        """The status body at ``t``, or None for 404 ``Job not found`` (expired)."""
        scenario = self.scenario
        if scenario.expire == "silent" and t >= scenario.ttl:
            return SILENT_EXPIRY
        if scenario.expire == "404":
            # Since 2025-03 each read re-arms the 24 h; before, fixed (docs/server-facts.md).
            armed_at = self.read_at if scenario.behaviour == "growing" else 0.0
            if t >= armed_at + scenario.ttl:
                return None
        self.read_at = t
        return self._growing(t) if scenario.behaviour == "growing" else self._window(t)

    def _known(self, landed: int) -> int:
        enqueued = self.scenario.enqueued
        return min(enqueued, 1 + FANOUT * landed) if self.scenario.discovery else enqueued

    def _data(self, positions: list[int]) -> object:
        if self.scenario.completed_data == "list":
            return self._documents(positions, final=True)
        return LEGACY_DATA if self.scenario.completed_data == "legacy" else None

    def _growing(self, t: float) -> dict[str, Any]:
        landed = [landing for landing in self.timeline.landings if landing.at <= t]
        done = sorted(landing.position for landing in landed if not landing.failed)
        ended = t >= self.timeline.end_at
        if ended and self.timeline.end_status == "completed":
            return {
                "status": "completed",
                "current": len(done),
                "total": len(done),
                "data": self._data(done),
                "partial_data": [],
            }
        # Failed pages vanish and take their place in total with them (docs/server-facts.md).
        return {
            "status": "failed" if ended else "active",
            "current": len(done),
            "total": self._known(len(landed)) - (len(landed) - len(done)),
            "data": None,
            "partial_data": self._documents(done, final=False),
        }

    def _window(self, t: float) -> dict[str, Any]:
        scenario = self.scenario
        if t < scenario.start_delay:
            # Progress still unset: only these two keys exist (docs/server-facts.md).
            return {"status": "waiting", "data": None}
        landings = self.timeline.landings
        landed = [landing for landing in landings if landing.at <= t]
        ended = t >= self.timeline.end_at
        completed = ended and self.timeline.end_status == "completed"
        current, total = len(landed), self._known(len(landed))
        if scenario.discovery and not landed and not ended:
            current, total = PLACEHOLDER
        if not ended and len(landed) < len(landings):
            current_url = page_url(scenario, landings[len(landed)].position)
        else:
            current_url = page_url(scenario, landed[-1].position if landed else 1)
        body: dict[str, Any] = {
            "status": self.timeline.end_status if ended else self._raw_status(t),
            "current": current,
            "current_url": current_url,
            "current_step": "" if ended else "SCRAPING",
            "total": total,
            "data": self._data(list(range(1, scenario.enqueued + 1))) if completed else None,
        }
        if completed:
            body["partial_data"] = []
        elif landed:
            first = max(0, len(landed) - scenario.window)
            body["partial_data"] = [
                {**self._document(landing.position, final=False), "index": rank}
                for rank, landing in enumerate(landed[first:], start=first + 1)
            ]
        return body

    def _raw_status(self, t: float) -> str:
        state = "active"
        for at, raw in self.scenario.raw_statuses:
            if at <= t:
                state = raw
        return state
