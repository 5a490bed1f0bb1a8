"""The shapes of what the server sends, for type checkers: a crawl document, its metadata, and
an extract job's answer, written from ``openapi.yaml`` (``CrawlDocument``, ``DocumentMetadata``,
``ExtractStatusResponse``; a test keeps them in step with it).

They are `TypedDict`s: at runtime every document is the plain `dict` the server sent, unchanged
and with every key it had. All keys are optional (``total=False``): a crawl run with "only URLs"
sends documents that are just ``{"url": ...}``.

The contract leaves them open to extra keys (arbitrary meta-tag keys such as ``og:image`` in the
metadata). PEP 728's ``extra_items`` would say so, but `typing` has it on none of the Pythons we
support (3.11+), ``typing_extensions`` is not a dependency, and type checkers support it
unevenly; a plain TypedDict is what mypy and pyright both check well. Read a key the shape
does not name through a `Mapping` view, which every TypedDict is assignable to::

    metadata: Mapping[str, object] = document.get("metadata", {})
    image = metadata.get("og:image")

Every key being optional, read them with ``.get`` (``document.get("metadata", {})`` is a
`DocumentMetadata`) or after an ``in`` test: mypy allows a plain ``document["metadata"]`` on
an optional key, pyright reports it (``reportTypedDictNotRequiredAccess``), and at runtime an
"only URLs" document has no metadata.

Fields the contract types as "any JSON value" (``llm_extraction``, an extract's ``data`` and
``error``) are `Any`: the contract does not know their type, so neither can we.
"""

# No ``from __future__ import annotations`` here: TypedDict reads ``Required[...]`` from the
# evaluated annotations (on 3.11 a string one leaves ``__required_keys__`` empty at runtime).
from typing import Any, Required, TypedDict, cast

__all__ = ["CrawlDocument", "DocumentMetadata", "ExtractBody"]  # re-exported by firecrawl_status


class DocumentMetadata(TypedDict, total=False):
    """A crawled page's metadata (``metadata``); other meta-tag keys may appear as well."""

    sourceURL: str
    """The URL the page was fetched from; stable across polls and final data."""
    url: str
    """The final URL after redirects, when the server reports it."""
    title: str | list[str] | None
    """The page title; a list when the page has several."""
    description: str | list[str] | None
    """The meta description; a list when the page has several."""
    language: str | list[str] | None
    """The page language, or None when unknown."""
    pageStatusCode: int
    """The HTTP status the page answered with."""
    pageError: str | None
    """The error text for a page that failed (often absent even then)."""


class CrawlDocument(TypedDict, total=False):
    """One crawled page as the server sent it; other keys may appear as well."""

    url: str
    """The page URL; the only key of an "only URLs" document."""
    markdown: str | None
    """The page as markdown."""
    content: str | None
    """The same text as ``markdown`` (kept for old clients)."""
    html: str | None
    """Cleaned HTML, when requested."""
    rawHtml: str | None
    """Raw HTML, only when requested."""
    linksOnPage: list[str]
    """Links found on the page, when requested."""
    llm_extraction: Any
    """Structured data extracted by an LLM, when requested; any JSON value."""
    warning: str | None
    """A warning about this page, for example a truncated conversion."""
    provider: str
    """The scraper that produced the page."""
    index: int
    """Early servers only, in ``partial_data``: a 1-based completion counter."""
    metadata: DocumentMetadata
    """The page's metadata."""


class ExtractBody(TypedDict, total=False):
    """An extract job's answer as the server sent it (`ExtractSnapshot.to_dict`, and what
    `JobRecord.result` holds for an extract); other keys may appear as well."""

    success: Required[bool]
    """False (with HTTP 200) when the job failed."""
    status: Required[str]
    """``processing``, ``completed``, ``failed``, ``cancelled`` or a status not known yet."""
    data: Any
    """The extracted JSON once completed (any JSON value); ``[]`` before."""
    expiresAt: str
    """When the server forgets the job, ISO-8601 UTC."""
    error: Any
    """Why the job failed: usually a string, but any JSON value."""
    steps: list[dict[str, Any]]
    """Progress steps; present only while processing."""
    llmUsage: float
    """LLM usage figure reported by the server."""
    sources: dict[str, list[str]]
    """For each extracted field, the URLs it came from."""
    costTracking: Any
    """Cost breakdown reported by the server; any JSON value."""
    sessionIds: list[str]
    """Ids of the browser sessions used."""
    tokensUsed: float
    """Tokens consumed by the job."""
    creditsUsed: float
    """Credits the job cost (sent since 2026)."""
    warnings: list[str]
    """The server's notices, the deprecation notice last (since May 2026)."""
    replacement: str
    """The successor route the deprecation notice names (since May 2026)."""


def crawl_documents(value: object) -> list[CrawlDocument]:
    """The JSON objects of a decoded ``data`` or ``partial_data`` list, as crawl documents.

    Anything else in the list is skipped, and a value that is not a list gives none. The typing
    is a promise checked elsewhere: `_api.check_crawl` fits every document to the generated
    ``CrawlDocument`` model before a snapshot is built.
    """
    if not isinstance(value, list):
        return []
    return cast("list[CrawlDocument]", [doc for doc in value if isinstance(doc, dict)])
