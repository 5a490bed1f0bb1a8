"""firecrawl-status: the client for people who wait on Firecrawl jobs.

It reads and waits on Firecrawl's job-status endpoints (``GET /v0/crawl/status/{jobId}``,
``GET /v1/extract/{id}``, and the v1/v2 crawl and batch-scrape routes with ``crawl_api="v2"``)
through a client generated from ``openapi.yaml``, and adds what the
generated code cannot: deadline-bounded polling with backoff and retry hints, exactly-once
merging of ``partial_data`` into a document stream, expiry handling, and an optional durable
local record of jobs (`JobStore`) so nothing fetched is lost when the server forgets it.

    >>> from firecrawl_status import StatusClient
    >>> with StatusClient() as client:                      # key from $FIRECRAWL_API_KEY
    ...     result = client.wait_for_crawl(job_id, timeout=600)
    ...     pages = result.documents

Errors are in `firecrawl_status.errors`; test helpers (a fake clock, a local simulator) in
`firecrawl_status.testing`.
"""

# ruff: noqa: F405 (__all__ names what `_exports` defines; type checkers read it star-imported)

from __future__ import annotations

import typing

__all__ = [
    "APIConnectionError",
    "APIError",
    "APIStatusError",
    "APITimeoutError",
    "AsyncCrawlStream",
    "AsyncStatusClient",
    "AuthenticationError",
    "BadRequestError",
    "BodyLimits",
    "Clock",
    "CrawlDocument",
    "CrawlFigures",
    "CrawlResult",
    "CrawlSnapshot",
    "CrawlStream",
    "Deprecation",
    "DocumentMetadata",
    "EndpointRetiredError",
    "ExtractBody",
    "ExtractResult",
    "ExtractSnapshot",
    "FirecrawlDeprecationWarning",
    "FirecrawlError",
    "JobCancelledError",
    "JobError",
    "JobErrorEntry",
    "JobErrors",
    "JobExpiredError",
    "JobFailedError",
    "JobNotFoundError",
    "JobRecord",
    "JobResult",
    "JobSnapshot",
    "JobStore",
    "PaymentRequiredError",
    "PermissionDeniedError",
    "PollPolicy",
    "PollTimeoutError",
    "ProtocolError",
    "RateLimitError",
    "ResponseTooLargeError",
    "RetryPolicy",
    "ServerError",
    "StatusClient",
    "StoreError",
    "SystemClock",
    "Traffic",
]

if typing.TYPE_CHECKING:
    from ._exports import *  # noqa: F403

    __version__: str
    """The installed distribution's version, from its metadata."""
else:
    # Loaded on first use, not at import: pytest imports the package's plugin in every run of
    # every environment it is installed in, and that must cost nothing until a fixture is used.
    def __getattr__(name: str) -> object:
        if name == "__version__":
            import importlib.metadata

            try:
                version = importlib.metadata.version("firecrawl-status")
            except importlib.metadata.PackageNotFoundError:  # a source tree, not installed
                version = "0+unknown"
            globals()["__version__"] = version
            return version
        if name not in __all__:
            raise AttributeError(f"module 'firecrawl_status' has no attribute {name!r}")
        from . import _exports

        globals().update((public, getattr(_exports, public)) for public in __all__)
        return globals()[name]

    def __dir__() -> list[str]:
        return sorted({*globals(), *__all__, "__version__"})
