"""What a simulated job does over time (`CrawlScenario`, `ExtractScenario`) and what can go wrong
with a single answer (`Fault`). Plain frozen values: the timeline maths lives in `_crawl.py` and
`_extract.py`, the answers in `_core.py`.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Literal

import attrs

__all__ = ["CrawlScenario", "ExtractScenario", "Fault"]  # re-exported by firecrawl_status.testing

DEFAULT_EXTRACT_ERROR = "An unexpected error occurred. Please contact help@firecrawl.com for help."


def _default_extract_data() -> dict[str, Any]:
    return {
        "company_mission": "Turn websites into LLM-ready data.",
        "is_open_source": True,
        "employee_count": 42,
    }


def _positions(values: Iterable[int]) -> frozenset[int]:
    return frozenset(values)


def _schedule(pairs: Iterable[tuple[float, str]]) -> tuple[tuple[float, str], ...]:
    return tuple(sorted((float(at), state) for at, state in pairs))


def _non_negative(_: object, attribute: attrs.Attribute[Any], value: float | None) -> None:
    if value is not None and value < 0:
        raise ValueError(f"{attribute.name} must be >= 0, got {value!r}")


def _positive_count(_: object, attribute: attrs.Attribute[Any], value: int | None) -> None:
    if value is not None and value < 1:
        raise ValueError(f"{attribute.name} must be >= 1, got {value!r}")


def _positive(_: object, attribute: attrs.Attribute[Any], value: float) -> None:
    if value <= 0:
        raise ValueError(f"{attribute.name} must be > 0, got {value!r}")


@attrs.frozen(kw_only=True)
class CrawlScenario:
    """How a simulated crawl unfolds. Every field has a default; change only what a test needs.

    The crawl enqueues ``pages + len(failing_pages)`` pages. The first lands ``start_delay``
    seconds after the job is added, then one every ``1 / pages_per_second`` seconds, in a
    slightly shuffled order (each pair after the home page swaps), so that enqueue order and
    completion order differ as on the real server.

    Args:
        pages: Pages the crawl finishes successfully (failing pages come on top).
        pages_per_second: Landing rate, in simulated seconds.
        start_delay: Seconds before the first page starts. The early server answers exactly
            ``{"status": "waiting", "data": null}`` meanwhile.
        behaviour: ``"growing"``, the current server (2024-08 onwards): status only
            active/completed/failed, ``partial_data`` holds every page finished so far in
            enqueue order without ``index``, failed pages vanish, ``[]`` once completed.
            ``"window"``, the early server (2024-04 to 2024-08): raw queue states, a sliding
            window of the ``window`` most recent pages in completion order with a 1-based
            ``index``, ``current_url``/``current_step``, and no ``partial_data`` key until the
            first page lands (docs/server-facts.md, crawl status table).
        window: Size of the early server's ``partial_data`` window.
        discovery: ``total`` grows as pages discover links (three per landed page) instead of
            being known up front; the early server shows a placeholder 1/100 before the first
            page.
        failing_pages: 1-based enqueue positions of pages that answer 404/500. Growing: they
            never appear and ``total`` shrinks when they fail. Window: normal documents with
            ``metadata.pageStatusCode`` 404 (even positions) or 500 (odd).
        fail_at: The crawl fails after this many pages landed: status ``failed``, data null.
            Ignored when the crawl finishes first.
        cancel_at: The crawl is cancelled after this many pages: status ``failed`` at once,
            but up to three in-flight pages still land, one a second, and ``current`` grows
            (a cancelled crawl is not frozen, docs/server-facts.md). Ignored if it finishes first.
        expire: What happens past the record's lifetime. ``"404"``: ``Job not found``; the
            lifetime slides (every read re-arms it) in growing behaviour and is fixed from
            creation in window behaviour. ``"silent"``: the un-refreshed secondary record runs
            out ``ttl`` after creation, whatever the reads, and the answer becomes
            ``{"status": "completed", "current": 0, "total": 0, "data": [], "partial_data": []}``.
            None: never expires.
        ttl: The record's lifetime in seconds.
        completed_data: What ``data`` holds once completed: ``"list"`` the documents, ``"null"``,
            or ``"legacy"`` the old self-hosted object
            ``{"success": true, "result": {"links": []}, "error": "No pages found"}``.
        url_only: Documents are just ``{"url": ...}`` (a crawl run with "only URLs").
        markdown_bytes: Size of each page's markdown (``content`` repeats it, ``html`` wraps it).
        team: ``"other"`` makes the job another team's: 403 ``Forbidden``.
        base: Root URL of the simulated site; page URLs are ``base + "/"`` and
            ``base + "/page-N"``.
        raw_statuses: Window behaviour only: ``(from_second, state)`` pairs; from that second
            on, while the crawl runs, the status reads ``state`` (e.g. ``"stuck"``) instead of
            ``"active"``.
        streamed: Make each answer's documents one at a time while it is sent, instead of
            preparing them all when the job is added: the same bytes, never held whole, so an
            answer can be larger than memory (``pages=10_000, markdown_bytes=35_000`` gives a
            1 GiB final ``data``). Each answer is made twice: once to measure it (length,
            ETag), once to send it.
    """

    pages: int = attrs.field(default=20, validator=_non_negative)
    pages_per_second: float = attrs.field(default=10.0, validator=_positive)
    start_delay: float = attrs.field(default=0.0, validator=_non_negative)
    behaviour: Literal["window", "growing"] = "growing"
    window: int = attrs.field(default=50, validator=_positive)
    discovery: bool = True
    failing_pages: frozenset[int] = attrs.field(default=frozenset(), converter=_positions)
    fail_at: int | None = attrs.field(default=None, validator=_non_negative)
    cancel_at: int | None = attrs.field(default=None, validator=_non_negative)
    expire: Literal["404", "silent"] | None = None
    ttl: float = attrs.field(default=86400.0, validator=_positive)
    completed_data: Literal["list", "null", "legacy"] = "list"
    url_only: bool = False
    markdown_bytes: int = attrs.field(default=300, validator=_non_negative)
    team: Literal["own", "other"] = "own"
    base: str = "https://example.com"
    raw_statuses: tuple[tuple[float, str], ...] = attrs.field(default=(), converter=_schedule)
    streamed: bool = False

    def __attrs_post_init__(self) -> None:
        enqueued = self.pages + len(self.failing_pages)
        if any(not 1 <= position <= enqueued for position in self.failing_pages):
            raise ValueError(f"failing_pages must be enqueue positions between 1 and {enqueued}")
        if self.raw_statuses and self.behaviour != "window":
            raise ValueError(
                "raw_statuses needs behaviour='window' (current servers never send them)"
            )

    @property
    def enqueued(self) -> int:
        """Pages the crawl enqueues in all: ``pages`` plus the failing ones."""
        return self.pages + len(self.failing_pages)


@attrs.frozen(kw_only=True)
class ExtractScenario:
    """How a simulated extract job unfolds (docs/server-facts.md, GET /v1/extract/{id}).

    Args:
        duration: Seconds of ``processing`` before the outcome.
        outcome: ``"completed"``, ``"failed"`` (HTTP 200 with ``success: false``) or
            ``"cancelled"`` (documented, never written by the real server).
        data: The extracted JSON of a completed job (any JSON value).
        error: The ``error`` of a failed job (any JSON value, e.g. a 9 KB nested object).
        flip: After completing, one read answers ``processing`` again, then ``completed``
            (a race in the real server).
        ttl: The record's lifetime. Re-armed by each of the worker's five step writes while
            processing (evenly spread over ``duration``), so ``expiresAt`` moves forward at
            each step and the body stays the same between them; after the outcome
            ``expiresAt`` is outcome time + ``ttl``, and past it the job reads 404 ``Extract
            job not found``.
        lost_after: Failed jobs only: once the record is gone, the job reads as ``processing``
            with ``success: true`` and ``expiresAt`` equal to the request time for this many
            seconds, then 404. None: 404 at once.
        team: ``"other"`` makes the job another team's; v1 answers 404 ``Extract job not found``
            for it, as for an unknown id (docs/server-facts.md).
        extras: Completed answers carry ``llmUsage``, ``sources``, ``costTracking``,
            ``tokensUsed`` and ``creditsUsed``; processing answers carry ``steps``.
        race_every: The two-step write race ("race" mode): every ``race_every``-th read while
            processing falls between the server's two writes and answers ``processing`` with
            ``expiresAt`` equal to the current second, for a live job (docs/server-facts.md,
            timing facts: about 1 read in 2,300 in a tight loop). None: never.
    """

    duration: float = attrs.field(default=5.0, validator=_non_negative)
    outcome: Literal["completed", "failed", "cancelled"] = "completed"
    data: Any = attrs.field(factory=_default_extract_data)
    error: Any = DEFAULT_EXTRACT_ERROR
    flip: bool = False
    ttl: float = attrs.field(default=6 * 3600.0, validator=_positive)
    lost_after: float | None = attrs.field(default=None, validator=_non_negative)
    team: Literal["own", "other"] = "own"
    extras: bool = True
    race_every: int | None = attrs.field(default=None, validator=_positive_count)

    def __attrs_post_init__(self) -> None:
        if self.lost_after is not None and self.outcome != "failed":
            raise ValueError("lost_after only applies to outcome='failed'")
        if self.flip and self.outcome != "completed":
            raise ValueError("flip only applies to outcome='completed'")


FaultKind = Literal["status", "slow", "truncated", "html_404"]


@attrs.frozen
class Fault:
    """One bad answer, queued with `Simulator.inject`. Build it with a class method.

    Attributes:
        kind: ``"status"``, ``"slow"``, ``"truncated"`` or ``"html_404"``.
        status_code: The HTTP status of a ``"status"`` fault.
        body: A ``"status"`` fault's body: None for the canned one, ``bytes`` sent verbatim,
            anything else sent as JSON.
        seconds: How long a ``"slow"`` fault waits.
        retry_after: The "retry after Ns" of a 429 message.
    """

    kind: FaultKind
    status_code: int = 200
    body: object = None
    seconds: float = 0.0
    retry_after: int = 1

    @classmethod
    def status(cls, code: int, body: object = None, *, retry_after: int = 1) -> Fault:
        """Answer with an HTTP error status and the body the real server (or its proxy) sends.

        Canned bodies: 401 ``Unauthorized: Invalid token``; 403 ``Forbidden``; 404 ``Job not
        found`` / ``Extract job not found``; 429 the real rate-limit text with "retry after
        Ns" (v1 also sends ``Retry-After: N`` and ``retry_after_seconds``; v0 does not); 500 an
        exception message (v1 adds ``code``); 502/503/504 a proxy's HTML page; any other
        4xx/5xx the status phrase. v0 paths get ``{"error": ...}``, v1 paths ``{"success":
        false, "error": ...}`` (docs/server-facts.md). Canned JSON bodies carry the simulator's
        deprecation notice where the route would; a ``body`` given here is sent as it is.

        Args:
            code: The HTTP status (100-599; below 400 only with a ``body``).
            body: Replaces the canned body: ``bytes`` verbatim, anything else as JSON.
            retry_after: Seconds named in a 429 message.

        Raises:
            ValueError: For a status outside 100-599, or below 400 without a body.
        """
        if not 100 <= code <= 599 or (code < 400 and body is None):
            raise ValueError(f"Fault.status needs 400-599, or a body for {code}")
        if retry_after < 0:
            raise ValueError("retry_after must be >= 0")
        return cls("status", status_code=code, body=body, retry_after=retry_after)

    @classmethod
    def slow(cls, seconds: float) -> Fault:
        """Wait ``seconds`` on the simulator's clock, then answer normally.

        In real time the server thread really sleeps; on a `FakeClock` the wait advances it.
        """
        if seconds < 0:
            raise ValueError("Fault.slow needs seconds >= 0")
        return cls("slow", seconds=seconds)

    @classmethod
    def truncated(cls) -> Fault:
        """Answer 200 with the normal JSON body cut in half (Content-Length says half)."""
        return cls("truncated")

    @classmethod
    def html_404(cls) -> Fault:
        """Answer Express's HTML ``Cannot GET ...`` 404, as for an unknown path."""
        return cls("html_404")
