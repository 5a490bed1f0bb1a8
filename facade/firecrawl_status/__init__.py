"""firecrawl-status: the client for people who wait on Firecrawl jobs.

It reads and waits on the two job-status endpoints, ``GET /v0/crawl/status/{jobId}`` and
``GET /v1/extract/{id}``, through a client generated from ``openapi.yaml``, and adds what the
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

from __future__ import annotations

import importlib.metadata

from ._async import AsyncCrawlStream, AsyncStatusClient
from ._clock import Clock, SystemClock
from ._deprecation import Deprecation, FirecrawlDeprecationWarning
from ._documents import CrawlDocument, DocumentMetadata, ExtractBody
from ._jobs import JobErrorEntry, JobErrors, JobResult, JobSnapshot
from ._policy import PollPolicy, RetryPolicy
from ._snapshot import (
    CrawlFigures,
    CrawlResult,
    CrawlSnapshot,
    ExtractResult,
    ExtractSnapshot,
)
from ._store import JobRecord, JobStore
from ._sync import CrawlStream, StatusClient
from .errors import (
    APIConnectionError,
    APIError,
    APIStatusError,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
    FirecrawlError,
    JobCancelledError,
    JobError,
    JobExpiredError,
    JobFailedError,
    JobNotFoundError,
    PaymentRequiredError,
    PermissionDeniedError,
    PollTimeoutError,
    ProtocolError,
    RateLimitError,
    ServerError,
    StoreError,
)

__all__ = [
    "APIConnectionError",
    "APIError",
    "APIStatusError",
    "APITimeoutError",
    "AsyncCrawlStream",
    "AsyncStatusClient",
    "AuthenticationError",
    "BadRequestError",
    "Clock",
    "CrawlDocument",
    "CrawlFigures",
    "CrawlResult",
    "CrawlSnapshot",
    "CrawlStream",
    "Deprecation",
    "DocumentMetadata",
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
    "RetryPolicy",
    "ServerError",
    "StatusClient",
    "StoreError",
    "SystemClock",
]

try:
    __version__: str = importlib.metadata.version("firecrawl-status")
    """The installed distribution's version, read from its metadata at import."""
except importlib.metadata.PackageNotFoundError:  # a source tree put on sys.path, not installed
    __version__ = "0+unknown"

# Reprs and tracebacks name the public path (firecrawl_status.StatusClient), as httpx does.
for _name in __all__:
    _obj = globals()[_name]
    if getattr(_obj, "__module__", "").startswith("firecrawl_status._"):
        _obj.__module__ = "firecrawl_status"
del _name, _obj
