"""The simulator: jobs, queued faults, and the one `Simulator.handle` every transport calls.

Theory of operation: simulated time is ``(clock.monotonic() - t0) * speed``. Each job keeps the
simulated second it was added; its answer is a function of the seconds since then (plus the
little state a real server keeps: the last read that re-arms a sliding TTL, a served flip, a
cancel). A request is routed as Express routes it, authenticated as the real server does, and
answered as JSON with Express's weak ETag, or 304 when ``If-None-Match`` names it. A queued
`Fault` answers in place of all that. All state changes happen under one lock, so the threaded
HTTP server and async clients can share a simulator.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import secrets
import threading
import urllib.parse
import uuid
from collections import defaultdict, deque
from collections.abc import AsyncIterator, Mapping
from typing import TYPE_CHECKING, Any

import attrs
import httpx

from firecrawl_status._clock import Clock, SystemClock

from . import _v2
from ._crawl import CrawlJob
from ._extract import ExtractJob
from ._http import (
    JSON_TYPE,
    Api,
    SimResponse,
    cannot,
    error_answer,
    fault_answer,
    is_fresh,
    json_answer,
    not_modified,
)
from ._notice import Notice, NoticeForm
from ._scenarios import CrawlScenario, ExtractScenario, Fault
from ._v2 import V2Job, V2Scenario

if TYPE_CHECKING:
    from ._server import SimulatorServer

__all__ = ["SimRequest", "SimStats", "Simulator"]  # re-exported by firecrawl_status.testing

_ROUTES: tuple[tuple[Api, re.Pattern[str]], ...] = (
    # Express routes are case-insensitive and allow one trailing slash; ``[^/]+`` means an
    # empty id falls through to the HTML 404 (docs/server-facts.md).
    ("v0", re.compile(r"/v0/crawl/status/([^/]+)/?", re.IGNORECASE)),
    ("v1", re.compile(r"/v1/extract/([^/]+)/?", re.IGNORECASE)),
)
_BAD_ESCAPE = re.compile(r"%(?![0-9A-Fa-f]{2})")
_MALFORMED = {"success": False, "code": "UNKNOWN_ERROR", "error": "URIError: URI malformed"}


@attrs.frozen
class SimRequest:
    """One request the simulator answered. The API key itself is never stored.

    Attributes:
        method: The HTTP method.
        path: The request target as sent (percent-escapes and query kept).
        if_none_match: The ``If-None-Match`` header, if any.
        had_auth: Whether an ``Authorization`` header was sent.
        at: Simulated seconds (`Simulator.now`) when it was answered.
        status: The HTTP status answered.
        job_id: The decoded job id in the path, or None.
    """

    method: str
    path: str
    if_none_match: str | None
    had_auth: bool
    at: float
    status: int
    job_id: str | None


@attrs.frozen
class SimStats:
    """Totals over every answer: ``requests``, body ``bytes_sent``, ``not_modified`` (304s)."""

    requests: int = 0
    bytes_sent: int = 0
    not_modified: int = 0


def _route(path: str) -> tuple[Api, str] | None:
    bare = path.split("?", 1)[0]
    for api, pattern in _ROUTES:
        if match := pattern.fullmatch(bare):
            return api, match.group(1)
    return None


def _decode_component(raw: str) -> str:
    """JavaScript's ``decodeURIComponent``: ValueError on a bad escape or invalid UTF-8."""
    if _BAD_ESCAPE.search(raw):
        raise ValueError(f"malformed percent-escape in {raw!r}")
    return urllib.parse.unquote(raw, errors="strict")


def _job_id_of(path: str) -> str | None:
    route = _route(path)
    v2 = _v2.route(path)
    if route is None and v2 is None:
        return None
    try:
        return _decode_component(route[1] if route is not None else v2[2])  # type: ignore[index]
    except ValueError:
        return None


def _truncated(response: SimResponse) -> SimResponse:
    half = response.size // 2
    headers = response.headers | {"Content-Length": str(half)}
    stream = response.stream.cut(half) if response.stream is not None else None
    return SimResponse(200, headers, response.body[:half], stream)


class Simulator:
    """A local Firecrawl for tests, demos and benchmarks: both status endpoints, in-process.

    Add jobs with `add_crawl`/`add_extract`, queue bad answers with `inject`, then reach it
    through `transport()` (an `httpx.MockTransport` for `httpx.Client` and `httpx.AsyncClient`),
    `serve()` (a real HTTP server on 127.0.0.1), or `handle()` directly.

    Args:
        clock: Where time comes from; share a `FakeClock` with the client under test so jobs
            advance exactly as fast as it waits. Defaults to the system clock.
        speed: Simulated seconds per clock second (e.g. 60 runs a minute-long crawl in a second).
        api_key: None behaves like a self-hosted server without auth (no 401, API key optional).
            With a key, a missing ``Authorization`` gets 401 ``Unauthorized: Token missing`` and
            a wrong one 401 ``Unauthorized: Invalid token``.
        deprecation: The 2026 notice (docs/server-facts.md): ``"date"`` (the default, what the
            cloud server sends since Sept 2026: ``Deprecation: @1778025600``), ``"true"`` (its
            May 2026 form), or None for a server without it (the 2025 code, self-hosted). With a
            notice every answer of the two routes carries ``Deprecation``, ``Link`` to the
            successor and ``Warning: 299``, and their JSON bodies end with ``warnings`` and
            ``replacement``; v1's 401 and 429 (answered by authentication) do not.
        sunset: With a notice, also send this as the ``Sunset`` HTTP-date (no server does yet).

    Raises:
        ValueError: If ``speed`` is not positive.

    Attributes:
        clock: The clock given (or the system clock).
        requests: Every request answered, in order (`SimRequest`).
    """

    def __init__(
        self,
        clock: Clock | None = None,
        *,
        speed: float = 1.0,
        api_key: str | None = None,
        deprecation: NoticeForm | None = "date",
        sunset: dt.datetime | None = None,
    ) -> None:
        if speed <= 0:
            raise ValueError("speed must be > 0")
        if deprecation not in ("date", "true", None):
            raise ValueError(f"deprecation must be 'date', 'true' or None, got {deprecation!r}")
        self._notice = Notice(deprecation, sunset) if deprecation is not None else None
        self.clock: Clock = clock if clock is not None else SystemClock()
        self.speed = speed
        self.requests: list[SimRequest] = []
        self._api_key = api_key
        self._t0 = self.clock.monotonic()
        self._wall0 = self.clock.utcnow()
        self._lock = threading.Lock()
        self._crawls: dict[str, CrawlJob] = {}
        self._extracts: dict[str, ExtractJob] = {}
        self._jobs: dict[str, V2Job] = {}
        self._faults: defaultdict[str | None, deque[Fault]] = defaultdict(deque)
        self._ids_made = 0
        self._stats = SimStats()

    def __repr__(self) -> str:
        auth = "off" if self._api_key is None else "on"
        jobs = len(self._crawls) + len(self._extracts) + len(self._jobs)
        return f"Simulator(clock={self.clock!r}, speed={self.speed}, jobs={jobs}, auth={auth})"

    def now(self) -> float:
        """Simulated seconds since the simulator was made."""
        return (self.clock.monotonic() - self._t0) * self.speed

    def _wall(self, at: float) -> dt.datetime:
        return self._wall0 + dt.timedelta(seconds=at / self.speed)

    def add_crawl(self, scenario: CrawlScenario | None = None, *, job_id: str | None = None) -> str:
        """Start a crawl now.

        Args:
            scenario: How it unfolds; the default `CrawlScenario()` when None.
            job_id: Its id; by default a UUID-shaped id derived from a counter (deterministic).

        Returns:
            The job id.

        Raises:
            ValueError: If ``job_id`` is empty or already used.
        """
        with self._lock:
            job_id = self._claim(job_id)
            self._crawls[job_id] = CrawlJob.create(scenario or CrawlScenario(), self.now())
        return job_id

    def add_extract(
        self, scenario: ExtractScenario | None = None, *, job_id: str | None = None
    ) -> str:
        """Start an extract job now. Arguments and errors as for `add_crawl`."""
        with self._lock:
            job_id = self._claim(job_id)
            self._extracts[job_id] = ExtractJob(scenario or ExtractScenario(), self.now())
        return job_id

    def add_job(self, scenario: V2Scenario | None = None, *, job_id: str | None = None) -> str:
        """Start a v1/v2 crawl or batch scrape now (`V2Scenario`). Arguments as for `add_crawl`.

        Raises:
            ValueError: Also for a ``job_id`` that is not a UUID (the real server answers 400).
        """
        with self._lock:
            job_id = self._claim(job_id)
            uuid.UUID(job_id)
            self._jobs[job_id] = V2Job(job_id, scenario or V2Scenario(), self.now())
        return job_id

    def _claim(self, job_id: str | None) -> str:
        if job_id is None:
            self._ids_made += 1
            digest = hashlib.sha256(f"firecrawl-simulator-{self._ids_made}".encode()).digest()
            job_id = str(uuid.UUID(bytes=digest[:16], version=4))
        if not job_id or job_id in self._crawls or job_id in self._extracts or job_id in self._jobs:
            raise ValueError(f"job id {job_id!r} is empty or already used")
        return job_id

    def inject(self, *faults: Fault, job_id: str | None = None) -> None:
        """Queue faults: each answers the next one request, in order.

        Args:
            faults: The bad answers, first one first.
            job_id: Only requests for this job id (either endpoint) take them; None: any
                request. A job's own queue is used before the global one.
        """
        with self._lock:
            self._faults[job_id].extend(faults)

    def cancel(self, job_id: str) -> None:
        """Cancel a job now (no effect once it ended).

        A crawl reports ``failed`` while up to three in-flight pages still land; an extract
        reports ``cancelled``.

        Raises:
            KeyError: For an unknown job id.
        """
        with self._lock:
            if job_id in self._jobs:
                job = self._jobs[job_id]
                job.cancel(self.now() - job.added_at)
            elif job_id in self._crawls:
                crawl = self._crawls[job_id]
                crawl.cancel(self.now() - crawl.added_at)
            else:
                extract = self._extracts[job_id]
                extract.cancel(self.now() - extract.added_at)

    def job_pages_available_at(self, job_id: str) -> list[tuple[float, str]]:
        """When each page of a crawl can first be read, for benchmarks.

        Returns:
            ``(simulated second, sourceURL)`` per page a client can receive (growing behaviour
            leaves out failed pages), in landing order; seconds are on the `now()` scale.

        Raises:
            KeyError: For an id that is not a crawl.
        """
        with self._lock:
            return self._crawls[job_id].available_at()

    @property
    def stats(self) -> SimStats:
        """Totals so far (a snapshot)."""
        with self._lock:
            return self._stats

    def handle(self, method: str, path: str, headers: Mapping[str, str]) -> SimResponse:
        """Answer one request as the real server would (or as the next queued fault says).

        Args:
            method: The HTTP method.
            path: The request target, percent-escapes as sent, query allowed.
            headers: Request headers (any case).

        Returns:
            The answer; a ``slow`` fault first sleeps on the simulator's clock.
        """
        fault = self._take_fault(path)
        if fault is not None and fault.kind == "slow":
            self.clock.sleep(fault.seconds)
            fault = None
        return self._respond(method, path, headers, fault)

    async def ahandle(self, method: str, path: str, headers: Mapping[str, str]) -> SimResponse:
        """`handle` for async callers: a ``slow`` fault awaits ``clock.asleep``."""
        fault = self._take_fault(path)
        if fault is not None and fault.kind == "slow":
            await self.clock.asleep(fault.seconds)
            fault = None
        return self._respond(method, path, headers, fault)

    def transport(self) -> httpx.MockTransport:
        """An httpx transport answering from this simulator, for sync and async clients alike.

        Use with any base URL, e.g. ``httpx.Client(transport=sim.transport(),
        base_url="http://firecrawl.test")``.
        """
        return _SimTransport(self)

    def serve(self, host: str = "127.0.0.1", port: int = 0) -> SimulatorServer:
        """Serve this simulator over real HTTP in a daemon thread (a free port by default).

        Returns:
            The running server; use it as a context manager, or call ``close()``.
        """
        from ._server import SimulatorServer

        return SimulatorServer(self, host=host, port=port)

    def _take_fault(self, path: str) -> Fault | None:
        with self._lock:
            for key in (_job_id_of(path), None):
                queue = self._faults.get(key)
                if queue:
                    return queue.popleft()
        return None

    def _respond(
        self, method: str, path: str, headers: Mapping[str, str], fault: Fault | None
    ) -> SimResponse:
        method = method.upper()
        lowered = {name.lower(): value for name, value in headers.items()}
        with self._lock:
            now, utc = self.now(), self.clock.utcnow()
            if fault is not None and fault.kind != "truncated":
                api: Api = "v0" if path.lower().startswith("/v0/") else "v1"
                successor = _v2.is_job_path(path)  # carries no deprecation notice
                v2_fault = _v2.fault_answer(fault, utc) if successor else None
                response = v2_fault or fault_answer(fault, api, path, utc)
                canned = fault.body is None and response.headers.get("Content-Type") == JSON_TYPE
                if canned and not successor:
                    response = self._noticed(api, response)  # the route's own canned error
            else:
                response = self._answer(method, path, lowered, now, utc, conditional=fault is None)
                if fault is not None:
                    response = _truncated(response)
            if method == "HEAD":
                response = attrs.evolve(response, body=b"", stream=None)
            self.requests.append(
                SimRequest(
                    method=method,
                    path=path,
                    if_none_match=lowered.get("if-none-match"),
                    had_auth=bool(lowered.get("authorization")),
                    at=now,
                    status=response.status,
                    job_id=_job_id_of(path),
                )
            )
            self._stats = SimStats(
                requests=self._stats.requests + 1,
                bytes_sent=self._stats.bytes_sent + response.size,
                not_modified=self._stats.not_modified + (response.status == 304),
            )
        return response

    def _answer(
        self,
        method: str,
        path: str,
        headers: Mapping[str, str],
        now: float,
        utc: dt.datetime,
        *,
        conditional: bool,
    ) -> SimResponse:
        route = _route(path)
        v2 = _v2.route(path)
        if method not in ("GET", "HEAD") or (route is None and v2 is None):
            return cannot(method, path, utc)
        api, raw_id = route or ("v1", v2[2])  # type: ignore[index]
        try:
            job_id = _decode_component(raw_id)
        except ValueError:
            # Express decodes route params before any handler: the global handler answers.
            return json_answer(500, _MALFORMED, utc)
        denied = self._check_auth(api, headers.get("authorization"), utc)
        if denied is not None:
            return denied if v2 is not None else self._noticed(api, denied)
        if v2 is not None:
            body = _v2.answer(
                self._jobs,
                path,
                job_id,
                headers.get("host"),
                lambda job: now - job.added_at,
                lambda job: lambda at: self._wall(job.added_at + at),
                utc,
            )
            if isinstance(body, SimResponse):
                return body  # the successor routes carry no deprecation notice
            response = json_answer(200, body, utc)
            return _revalidated(response, headers, conditional, utc) or response
        body = self._read(api, job_id, now, utc)
        if isinstance(body, SimResponse):
            return self._noticed(api, body)
        response = self._noticed(api, json_answer(200, body, utc))
        fresh = _revalidated(response, headers, conditional, utc)
        return response if fresh is None else self._noticed(api, fresh)

    def _noticed(self, api: Api, response: SimResponse) -> SimResponse:
        return response if self._notice is None else self._notice.add(api, response)

    def _check_auth(
        self, api: Api, authorization: str | None, utc: dt.datetime
    ) -> SimResponse | None:
        if self._api_key is None:
            return None  # self-hosted without database auth (docs/server-facts.md)
        if not authorization:
            return error_answer(api, 401, "Unauthorized: Token missing", utc)
        scheme, _, token = authorization.partition(" ")
        if scheme.lower() == "bearer" and secrets.compare_digest(
            token.strip().encode(), self._api_key.encode()
        ):
            return None
        return error_answer(api, 401, "Unauthorized: Invalid token", utc)

    def _read(
        self, api: Api, job_id: str, now: float, utc: dt.datetime
    ) -> SimResponse | dict[str, Any]:
        if api == "v0":
            crawl = self._crawls.get(job_id)
            if crawl is None:
                return error_answer(api, 404, "Job not found", utc)
            if crawl.scenario.team == "other":
                return error_answer(api, 403, "Forbidden", utc)
            body = crawl.read(now - crawl.added_at)
            return error_answer(api, 404, "Job not found", utc) if body is None else body
        extract = self._extracts.get(job_id)
        # v1 answers another team's job like an unknown one (docs/server-facts.md).
        if extract is not None and extract.scenario.team == "own":
            added = extract.added_at
            body = extract.read(now - added, lambda at: self._wall(added + at))
            if body is not None:
                return body
        return error_answer(api, 404, "Extract job not found", utc)


class _SimTransport(httpx.MockTransport):
    """One transport for both clients; async callers get ``clock.asleep`` for slow faults."""

    def __init__(self, simulator: Simulator) -> None:
        self._simulator = simulator
        super().__init__(self._handle)

    def _handle(self, request: httpx.Request) -> httpx.Response:
        answer = self._simulator.handle(request.method, _target(request), request.headers)
        return _to_httpx(answer)

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        await request.aread()
        answer = await self._simulator.ahandle(request.method, _target(request), request.headers)
        if answer.stream is None:
            return _to_httpx(answer)

        async def chunks() -> AsyncIterator[bytes]:
            for chunk in answer.chunks():
                yield chunk

        return httpx.Response(answer.status, headers=list(answer.headers.items()), content=chunks())


def _target(request: httpx.Request) -> str:
    return request.url.raw_path.decode("ascii")


def _to_httpx(answer: SimResponse) -> httpx.Response:
    content = answer.body if answer.stream is None else answer.chunks()
    return httpx.Response(answer.status, headers=list(answer.headers.items()), content=content)


def _revalidated(
    response: SimResponse, headers: Mapping[str, str], conditional: bool, utc: dt.datetime
) -> SimResponse | None:
    """The 304 for a conditional request whose ``If-None-Match`` matches, else None."""
    tag = response.headers["ETag"]
    if conditional and is_fresh(headers.get("if-none-match"), tag):
        return not_modified(tag, utc)
    return None
