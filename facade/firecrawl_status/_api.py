"""The one module that imports ``generated``: requests built and answers parsed by generated code.

Requests come from the generated endpoint modules' ``_get_kwargs`` (path quoting, the
``If-None-Match`` header) and go out on the generated client's httpx client. Each answer is
decoded here once, into the core's plain `Answer`: JSON by `json.loads`, checked against the
spec by the generated models' ``from_dict``, and, for a 200 that fits, the snapshot with its
document lists picked out of the body (``partial_data`` and the final ``data``). The decoded
dicts are what the facade passes on, so crawl documents reach the caller exactly as the server
sent them. A crawl answer is checked document by document and its model tree dropped at once:
a 10,000-page answer would otherwise sit in memory twice (dicts and models) on every poll.
`CrawlSnapshot.model` builds the whole model on demand.

We call ``_get_kwargs`` rather than ``sync_detailed`` because the facade needs the
`httpx.Response` itself and must tell "no answer" apart from "an answer that does not fit
the spec", which ``sync_detailed`` folds into one exception. A rename in a future generator
version breaks this file only.
"""

from __future__ import annotations

import datetime as dt
import importlib.metadata
import json
from collections.abc import Callable
from typing import Any, Final

import attrs
import httpx

from ._clock import server_time
from ._core import Answer, NoAnswer, Route
from ._documents import CrawlDocument
from ._generated import Client
from ._generated.api.crawl import get_crawl_status
from ._generated.api.extract import get_extract_status
from ._generated.api.jobs import (
    get_batch_scrape_errors_v1,
    get_batch_scrape_errors_v2,
    get_batch_scrape_status_v1,
    get_batch_scrape_status_v2,
    get_crawl_errors_v1,
    get_crawl_errors_v2,
    get_crawl_status_v1,
    get_crawl_status_v2,
)
from ._generated.models import CrawlDocument as CrawlDocumentModel
from ._generated.models import (
    CrawlStatusResponse,
    ExtractStatusResponse,
    JobDocument,
    JobErrorsResponse,
    JobStatusResponse,
)
from ._generated.types import UNSET
from ._jobs import JobErrors, JobSnapshot
from ._outcome import Api, Kind
from ._snapshot import CrawlSnapshot, ExtractSnapshot

__all__ = ["USER_AGENT", "Transport", "job_path"]

_JOB_STATUS: Final = {
    ("crawl", "v1"): get_crawl_status_v1,
    ("crawl", "v2"): get_crawl_status_v2,
    ("batch_scrape", "v1"): get_batch_scrape_status_v1,
    ("batch_scrape", "v2"): get_batch_scrape_status_v2,
}
"""The generated modules of the v1/v2 status routes, by (kind, api)."""

_JOB_ERRORS: Final = {
    ("crawl", "v1"): get_crawl_errors_v1,
    ("crawl", "v2"): get_crawl_errors_v2,
    ("batch_scrape", "v1"): get_batch_scrape_errors_v1,
    ("batch_scrape", "v2"): get_batch_scrape_errors_v2,
}
"""The generated modules of the v1/v2 ``/errors`` routes, by (kind, api)."""

_CORE_HEADERS = ("etag", "retry-after", "retry-after-ms")
"""The answer headers the core reads (the ``Date`` is read here, into ``read_at``)."""


def _version() -> str:
    try:
        return importlib.metadata.version("firecrawl-status")
    except importlib.metadata.PackageNotFoundError:  # run from a source tree, not installed
        return "0+unknown"


USER_AGENT: Final = f"firecrawl-status/{_version()} python-httpx/{httpx.__version__}"
"""Sent with every request (unless the caller's own httpx client chose another)."""


class Transport:
    """Builds requests with generated code and sends them on the generated client's httpx client.

    The API key travels as a per-request header, so a caller's own httpx client is used
    unchanged (only its ``base_url`` is filled in when empty) and the key sits in no
    client-wide header that a repr or log could show.
    """

    def __init__(
        self,
        base_url: str,
        api_key: str | None,
        *,
        http_client: httpx.Client | None = None,
        async_http_client: httpx.AsyncClient | None = None,
        timeout: httpx.Timeout,
    ) -> None:
        self._api_key = api_key
        self.base_url = base_url
        self.limits = timeout
        self.client = Client(base_url=base_url, timeout=timeout)
        # A caller's client without a base_url gets absolute URLs; it is never modified.
        given = http_client or async_http_client
        self._prefix = "" if given is None or str(given.base_url) else base_url
        # A caller's own client keeps a User-Agent it chose; httpx's default names only httpx.
        self._user_agent = (
            USER_AGENT
            if given is None or given.headers.get("User-Agent", "").startswith("python-httpx/")
            else None
        )
        if http_client is not None:
            self.client.set_httpx_client(http_client)
        if async_http_client is not None:
            self.client.set_async_httpx_client(async_http_client)
        self._opened: set[str] = set()
        """The httpx clients the generated client made for us ("sync", "async"): ours to close."""

    def __repr__(self) -> str:
        return f"Transport(base_url={self.base_url!r})"

    def request_kwargs(
        self,
        kind: Kind,
        job_id: str,
        etag: str | None,
        timeout: float | None,
        limits: httpx.Timeout | None = None,
        route: Route | None = None,
    ) -> dict[str, Any]:
        """The httpx request arguments for one status read: ``limits`` (else the client's) per
        request, none of them longer than ``timeout``, the time left before a deadline;
        ``route`` picks a v1/v2 route."""
        if_none_match = etag if etag is not None else UNSET
        kwargs: dict[str, Any]
        if route is not None and route.errors:
            kwargs = _JOB_ERRORS[kind, route.api]._get_kwargs(job_id)
        elif route is not None:
            kwargs = _JOB_STATUS[kind, route.api]._get_kwargs(
                job_id,
                skip=UNSET if route.skip is None else route.skip,
                limit=UNSET if route.limit is None else route.limit,
                if_none_match=if_none_match,
            )
        elif kind == "crawl":
            kwargs = get_crawl_status._get_kwargs(job_id, if_none_match=if_none_match)
        else:
            kwargs = get_extract_status._get_kwargs(job_id, if_none_match=if_none_match)
        kwargs["url"] = self._prefix + kwargs["url"]
        headers = kwargs.setdefault("headers", {})
        if self._api_key:
            headers["Authorization"] = f"Bearer {self._api_key}"
        if self._user_agent is not None:
            headers["User-Agent"] = self._user_agent
        kwargs["timeout"] = _capped(limits or self.limits, timeout)
        return kwargs

    def send(
        self,
        kind: Kind,
        job_id: str,
        etag: str | None,
        timeout: float | None,
        utcnow: Callable[[], dt.datetime],
        limits: httpx.Timeout | None = None,
        route: Route | None = None,
    ) -> Answer | NoAnswer:
        """Send one status read on the sync httpx client; ``utcnow`` dates an undated answer."""
        self._opened.add("sync")
        try:
            response = self.client.get_httpx_client().request(
                **self.request_kwargs(kind, job_id, etag, timeout, limits, route)
            )
        except httpx.TimeoutException as exc:
            return NoAnswer(exc, timeout=True)
        except httpx.TransportError as exc:
            return NoAnswer(exc, timeout=False)
        return decode(kind, job_id, response, server_time(response.headers, utcnow()), route)

    async def asend(
        self,
        kind: Kind,
        job_id: str,
        etag: str | None,
        timeout: float | None,
        utcnow: Callable[[], dt.datetime],
        limits: httpx.Timeout | None = None,
        route: Route | None = None,
    ) -> Answer | NoAnswer:
        """Send one status read on the async httpx client; ``utcnow`` dates an undated answer."""
        self._opened.add("async")
        try:
            response = await self.client.get_async_httpx_client().request(
                **self.request_kwargs(kind, job_id, etag, timeout, limits, route)
            )
        except httpx.TimeoutException as exc:
            return NoAnswer(exc, timeout=True)
        except httpx.TransportError as exc:
            return NoAnswer(exc, timeout=False)
        return decode(kind, job_id, response, server_time(response.headers, utcnow()), route)

    def close(self) -> None:
        """Close the sync httpx client, if one was opened (the caller closes their own)."""
        if "sync" in self._opened:
            self.client.get_httpx_client().close()

    async def aclose(self) -> None:
        """Close the async httpx client, if one was opened (the caller closes their own)."""
        if "async" in self._opened:
            await self.client.get_async_httpx_client().aclose()


def job_path(kind: Kind, job_id: str, api: Api) -> str:
    """The status path of a v1/v2 job (``/v2/crawl/ID``), as the generated client builds it."""
    return str(_JOB_STATUS[kind, api]._get_kwargs(job_id)["url"])


def _capped(limits: httpx.Timeout, cap: float | None) -> httpx.Timeout:
    """``limits`` with no part longer than ``cap`` seconds (None: no cap)."""
    if cap is None:
        return limits
    parts = {
        name: cap if value is None else min(value, cap) for name, value in limits.as_dict().items()
    }
    return httpx.Timeout(**parts)


def decode(
    kind: Kind,
    job_id: str,
    response: httpx.Response,
    read_at: dt.datetime,
    route: Route | None = None,
) -> Answer:
    """Decode an answer once: JSON, then the spec check and the snapshot for a 200."""
    content = response.content
    body: Any = None
    problem: str | None = None
    if content:
        try:
            body = json.loads(content)
        except ValueError as exc:
            problem = f"the body is not JSON ({exc.__class__.__name__}: {exc})"
            body = content.decode("utf-8", "replace")
    answer = Answer(
        status_code=response.status_code,
        headers={key: response.headers[key] for key in _CORE_HEADERS if key in response.headers},
        size=len(content),
        read_at=read_at,
        body=body,
        problem=problem,
        response=response,
    )
    if response.status_code != 200 or problem is not None:
        return answer
    if not isinstance(body, dict):
        problem = f"expected a JSON object, got {type(body).__name__}"
        return attrs.evolve(answer, problem=problem)
    if route is not None:
        return _job_answer(answer, kind, job_id, body, route)
    if kind == "crawl":
        return _crawl_answer(answer, job_id, body, response)
    try:
        model = ExtractStatusResponse.from_dict(body)
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        problem = f"the body does not fit ExtractStatusResponse: {_describe(exc)}"
        return attrs.evolve(answer, problem=problem)
    snapshot = ExtractSnapshot.from_model(job_id, model, body, read_at, response)
    return attrs.evolve(answer, snapshot=snapshot)


def _crawl_answer(
    answer: Answer, job_id: str, body: dict[str, Any], response: httpx.Response
) -> Answer:
    """A crawl 200 with its document lists picked out and checked once, or its problem."""
    partial = _documents(body, "partial_data")
    final = _documents(body, "data")
    lists: dict[str, list[CrawlDocument]] = {
        key: []
        for key, documents in (("partial_data", partial), ("data", final))
        if documents is not None
    }
    try:
        CrawlStatusResponse.from_dict({**body, **lists})
        for key, documents in (("partial_data", partial), ("data", final)):
            for number, document in enumerate(documents or ()):
                try:
                    if not isinstance(document, dict):
                        raise TypeError(f"expected a JSON object, got {type(document).__name__}")
                    CrawlDocumentModel.from_dict(document)
                except (KeyError, TypeError, ValueError, AttributeError) as exc:
                    problem = f"{key}[{number}] does not fit CrawlDocument: {_describe(exc)}"
                    return attrs.evolve(answer, problem=problem)
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        problem = f"the body does not fit CrawlStatusResponse: {_describe(exc)}"
        return attrs.evolve(answer, problem=problem)
    snapshot = CrawlSnapshot.from_body(
        job_id, body, answer.read_at, partial=partial or [], final=final, response=response
    )
    return attrs.evolve(answer, snapshot=snapshot, partial=partial or [], final=final)


def _job_answer(
    answer: Answer, kind: Kind, job_id: str, body: dict[str, Any], route: Route
) -> Answer:
    """A v1/v2 200: the page's snapshot (documents checked one by one) or ``/errors``."""
    try:
        if route.errors:
            JobErrorsResponse.from_dict(body)
            return attrs.evolve(answer, job_errors=JobErrors.from_body(job_id, body))
        documents = _documents(body, "data")
        JobStatusResponse.from_dict({**body, "data": []} if documents is not None else body)
        for number, document in enumerate(documents or ()):
            if not isinstance(document, dict):
                raise TypeError(f"data[{number}] is a {type(document).__name__}, not an object")
            JobDocument.from_dict(document)
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        model = "JobErrorsResponse" if route.errors else "JobStatusResponse"
        return attrs.evolve(answer, problem=f"the body does not fit {model}: {_describe(exc)}")
    snapshot = JobSnapshot.from_page(
        job_id,
        body,
        answer.read_at,
        documents=documents or [],
        kind=kind,
        api=route.api,
        response=answer.response,
    )
    return attrs.evolve(answer, snapshot=snapshot, final=documents)


def _documents(body: dict[str, Any], key: str) -> list[CrawlDocument] | None:
    """The list under ``key`` (None when it is not a list); non-objects fail the spec check."""
    value = body.get(key)
    return value if isinstance(value, list) else None


def _describe(exc: Exception) -> str:
    if isinstance(exc, KeyError):
        return f"missing required key {exc.args[0]!r}"
    return f"{exc.__class__.__name__}: {exc}"[:200]
