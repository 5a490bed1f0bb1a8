"""The one module that imports ``generated``: requests built and answers parsed by generated code.

Requests come from the generated endpoint modules' ``_get_kwargs`` (path quoting, the
``If-None-Match`` header) and go out on the generated client's httpx client. Answers are
decoded once with `json.loads` and checked against the spec by the generated models'
``from_dict``; the decoded dicts are what the facade passes on, so crawl documents reach the
caller exactly as the server sent them. A crawl answer is checked document by document and
its model tree dropped at once: a 10,000-page answer would otherwise sit in memory twice
(dicts and models) on every poll. `CrawlSnapshot.model` builds the whole model on demand.

We call ``_get_kwargs`` rather than ``sync_detailed`` because the facade needs the
`httpx.Response` itself and must tell "no answer" apart from "an answer that does not fit
the spec", which ``sync_detailed`` folds into one exception. A rename in a future generator
version breaks this file only.
"""

from __future__ import annotations

import importlib.metadata
import json
from collections.abc import Mapping
from typing import Any, Final, Literal

import attrs
import httpx

from ._generated import Client
from ._generated.api.crawl import get_crawl_status
from ._generated.api.extract import get_extract_status
from ._generated.models import CrawlDocument, CrawlStatusResponse, ExtractStatusResponse
from ._generated.types import UNSET

__all__ = [
    "USER_AGENT",
    "Answer",
    "CrawlStatusResponse",
    "ExtractStatusResponse",
    "Kind",
    "NoAnswer",
    "Transport",
]

Kind = Literal["crawl", "extract"]


def _version() -> str:
    try:
        return importlib.metadata.version("firecrawl-status")
    except importlib.metadata.PackageNotFoundError:  # run from a source tree, not installed
        return "0+unknown"


USER_AGENT: Final = f"firecrawl-status/{_version()} python-httpx/{httpx.__version__}"
"""Sent with every request (unless the caller's own httpx client chose another)."""


@attrs.frozen
class Answer:
    """An HTTP answer, decoded as far as it goes.

    ``data`` is the decoded JSON (None when the body is empty or not JSON); ``model`` is the
    generated model of an extract 200 (crawl models are built on demand from ``data``);
    ``problem`` says why a 200 could not be used (None: it fits the spec).
    """

    status_code: int
    headers: Mapping[str, str]
    content: bytes
    data: Any
    model: ExtractStatusResponse | None
    problem: str | None
    response: httpx.Response | None = attrs.field(default=None, repr=False, eq=False)


@attrs.frozen
class NoAnswer:
    """The request got no HTTP answer (connection error or timeout)."""

    error: Exception
    timeout: bool


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
        given = http_client or async_http_client
        # A caller's own client keeps a User-Agent it chose; httpx's default names only httpx.
        self._user_agent = (
            USER_AGENT
            if given is None or given.headers.get("User-Agent", "").startswith("python-httpx/")
            else None
        )
        for given in (http_client, async_http_client):
            if given is not None and not str(given.base_url):
                given.base_url = httpx.URL(base_url)
        if http_client is not None:
            self.client.set_httpx_client(http_client)
        if async_http_client is not None:
            self.client.set_async_httpx_client(async_http_client)

    def __repr__(self) -> str:
        return f"Transport(base_url={self.base_url!r})"

    def request_kwargs(
        self,
        kind: Kind,
        job_id: str,
        etag: str | None,
        timeout: float | None,
        limits: httpx.Timeout | None = None,
    ) -> dict[str, Any]:
        """The httpx request arguments for one status read: ``limits`` (else the client's) per
        request, none of them longer than ``timeout``, the time left before a deadline."""
        if_none_match = etag if etag is not None else UNSET
        if kind == "crawl":
            kwargs = get_crawl_status._get_kwargs(job_id, if_none_match=if_none_match)
        else:
            kwargs = get_extract_status._get_kwargs(job_id, if_none_match=if_none_match)
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
        limits: httpx.Timeout | None = None,
    ) -> Answer | NoAnswer:
        """Send one status read on the sync httpx client."""
        try:
            response = self.client.get_httpx_client().request(
                **self.request_kwargs(kind, job_id, etag, timeout, limits)
            )
        except httpx.TimeoutException as exc:
            return NoAnswer(exc, timeout=True)
        except httpx.TransportError as exc:
            return NoAnswer(exc, timeout=False)
        return decode(kind, response)

    async def asend(
        self,
        kind: Kind,
        job_id: str,
        etag: str | None,
        timeout: float | None,
        limits: httpx.Timeout | None = None,
    ) -> Answer | NoAnswer:
        """Send one status read on the async httpx client."""
        try:
            response = await self.client.get_async_httpx_client().request(
                **self.request_kwargs(kind, job_id, etag, timeout, limits)
            )
        except httpx.TimeoutException as exc:
            return NoAnswer(exc, timeout=True)
        except httpx.TransportError as exc:
            return NoAnswer(exc, timeout=False)
        return decode(kind, response)

    def close(self) -> None:
        """Close the sync httpx client (a caller's own client is the caller's to close)."""
        self.client.get_httpx_client().close()

    async def aclose(self) -> None:
        """Close the async httpx client."""
        await self.client.get_async_httpx_client().aclose()


def _capped(limits: httpx.Timeout, cap: float | None) -> httpx.Timeout:
    """``limits`` with no part longer than ``cap`` seconds (None: no cap)."""
    if cap is None:
        return limits
    parts = {
        name: cap if value is None else min(value, cap) for name, value in limits.as_dict().items()
    }
    return httpx.Timeout(**parts)


def decode(kind: Kind, response: httpx.Response) -> Answer:
    """Decode an answer: JSON once, then the generated model for a 200."""
    content = response.content
    data: Any = None
    problem: str | None = None
    if content:
        try:
            data = json.loads(content)
        except ValueError as exc:
            problem = f"the body is not JSON ({exc.__class__.__name__}: {exc})"
    model: ExtractStatusResponse | None = None
    if response.status_code == 200 and problem is None:
        if not isinstance(data, dict):
            problem = f"expected a JSON object, got {type(data).__name__}"
        elif kind == "crawl":
            problem = check_crawl(data)
        else:
            try:
                model = ExtractStatusResponse.from_dict(data)
            except (KeyError, TypeError, ValueError, AttributeError) as exc:
                problem = f"the body does not fit ExtractStatusResponse: {_describe(exc)}"
    return Answer(
        status_code=response.status_code,
        headers=response.headers,
        content=content,
        data=data,
        model=model,
        problem=problem,
        response=response,
    )


CRAWL_DOCUMENT_LISTS = ("data", "partial_data")


def check_crawl(data: dict[str, Any]) -> str | None:
    """Why a crawl answer does not fit the spec, or None; no model is kept."""
    lists = {key: data[key] for key in CRAWL_DOCUMENT_LISTS if isinstance(data.get(key), list)}
    try:
        CrawlStatusResponse.from_dict({**data, **{key: [] for key in lists}})
        for key, documents in lists.items():
            for number, document in enumerate(documents):
                try:
                    CrawlDocument.from_dict(document)
                except (KeyError, TypeError, ValueError, AttributeError) as exc:
                    return f"{key}[{number}] does not fit CrawlDocument: {_describe(exc)}"
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        return f"the body does not fit CrawlStatusResponse: {_describe(exc)}"
    return None


def _describe(exc: Exception) -> str:
    if isinstance(exc, KeyError):
        return f"missing required key {exc.args[0]!r}"
    return f"{exc.__class__.__name__}: {exc}"[:200]
