"""The public names of `firecrawl_status`, imported from the private modules that define them.

`firecrawl_status/__init__.py` loads this module on the first use of a public name, so that
importing the package (as pytest does for its plugin in every run) costs nothing until then.
"""

from __future__ import annotations

from ._async import AsyncCrawlStream, AsyncStatusClient
from ._body import BodyLimits
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
    Traffic,
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
    EndpointRetiredError,
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
    ResponseTooLargeError,
    ServerError,
    StoreError,
)

__all__ = [  # re-exported by firecrawl_status
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

# Reprs and tracebacks name the public path (firecrawl_status.StatusClient), as httpx does.
for _name in __all__:
    _obj = globals()[_name]
    if getattr(_obj, "__module__", "").startswith("firecrawl_status._"):
        _obj.__module__ = "firecrawl_status"
del _name, _obj
