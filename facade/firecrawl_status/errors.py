"""Every error firecrawl-status raises, in one tree rooted at `FirecrawlError`.

    FirecrawlError
    ├── APIError                    the server could not be used for this request
    │   ├── APIConnectionError      no answer at all (DNS, refused, reset), after retries
    │   │   └── APITimeoutError     the per-request timeout ran out, after retries
    │   ├── APIStatusError          an HTTP error status; .status_code, .message, .body
    │   │   ├── BadRequestError         400
    │   │   ├── AuthenticationError     401
    │   │   ├── PaymentRequiredError    402
    │   │   ├── PermissionDeniedError   403
    │   │   ├── JobNotFoundError        404 for a job this client has never seen
    │   │   ├── EndpointRetiredError    410, or an HTML 404 after a deprecation notice: the
    │   │   │                           endpoint is gone; .successor names its replacement
    │   │   ├── RateLimitError          429, after retries; .retry_after
    │   │   └── ServerError             408, 500, 502, 503, 504, after retries
    │   └── ProtocolError           an answer that does not decode or does not fit openapi.yaml
    │       └── ResponseTooLargeError   an answer over the body size limits (`BodyLimits`)
    ├── JobError                    waiting ended without a completed job; .job_id, .documents,
    │   │                           .snapshot: everything collected so far
    │   ├── JobFailedError          the server reports the job failed; .error_text
    │   │   └── JobCancelledError   the job was cancelled
    │   ├── JobExpiredError         the server forgot a job it had: 404 after we saw it, a silent
    │   │                           empty "completed", or "processing" with a past expiresAt
    │   │                           on two reads at least 5 s apart
    │   └── PollTimeoutError        the caller's deadline came first
    └── StoreError                  the local job store cannot be opened or used

Catch `FirecrawlError` for everything, `APIError` for "the request did not work", `JobError`
for "the job did not produce its result" (its `.documents` still hold what was received).

Messages are one line of bounded length. A server `error` that is a large object (real ones
reach 9 KB of prompts and page text) is summarised in the message and kept whole only on
`.body`. No message, repr or attribute holds the API key: errors are built from status codes
and response bodies, never from request headers, and a body that echoes the key (a 401
repeating the ``Authorization`` header) has it redacted before it is decoded.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Mapping, Sequence
from http import HTTPStatus
from typing import TYPE_CHECKING, Any

from ._policy import retry_hint

if TYPE_CHECKING:
    import httpx

    from ._documents import CrawlDocument
    from ._snapshot import CrawlSnapshot, ExtractSnapshot

__all__ = [
    "APIConnectionError",
    "APIError",
    "APIStatusError",
    "APITimeoutError",
    "AuthenticationError",
    "BadRequestError",
    "EndpointRetiredError",
    "FirecrawlError",
    "JobCancelledError",
    "JobError",
    "JobExpiredError",
    "JobFailedError",
    "JobNotFoundError",
    "PaymentRequiredError",
    "PermissionDeniedError",
    "PollTimeoutError",
    "ProtocolError",
    "RateLimitError",
    "ResponseTooLargeError",
    "ServerError",
    "StoreError",
]  # re-exported by firecrawl_status; status_error and summarize are internal helpers

MESSAGE_LIMIT = 300
"""Longest server text quoted in a message; the rest is on `.body`."""


def summarize(value: object, limit: int = MESSAGE_LIMIT) -> str:
    """One readable line describing a server-sent value, at most about ``limit`` characters.

    Strings are shown (cut with an ellipsis); an object is named by its keys and size, with its
    ``message`` when it has one, so a 9 KB LLM-client error becomes a short line.
    """
    if value is None:
        return "no error text"
    if isinstance(value, str):
        text = " ".join(value.split())
    elif isinstance(value, Mapping):
        size = len(json.dumps(value, default=str))
        message = value.get("message")
        keys = ", ".join(str(key) for key in list(value)[:6])
        more = ", ..." if len(value) > 6 else ""
        text = f"{{{keys}{more}}} ({size:,} bytes of JSON)"
        if isinstance(message, str) and message.strip():
            text = f"{' '.join(message.split())} {text}"
    elif isinstance(value, Sequence) and not isinstance(value, bytes | bytearray):
        size = len(json.dumps(value, default=str))
        text = f"a list of {len(value)} item(s) ({size:,} bytes of JSON)"
    else:
        text = json.dumps(value, default=str)
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


class FirecrawlError(Exception):
    """Base of every error raised by firecrawl-status."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message
        """The one-line, bounded message."""

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.message!r})"


class APIError(FirecrawlError):
    """The server could not be used for this request (after any retries).

    Attributes:
        documents: When raised from a wait, every crawl document it had collected (else empty):
            an error part-way through a crawl loses nothing already received.
    """

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.documents: list[CrawlDocument] = []


class APIConnectionError(APIError):
    """No HTTP answer: the connection failed or was reset, after the retries allowed."""


class APITimeoutError(APIConnectionError):
    """The per-request timeout ran out, after the retries allowed."""


class APIStatusError(APIError):
    """The server answered with an HTTP error status.

    Attributes:
        status_code: The HTTP status.
        message: One line: the status and the server's message, summarised.
        body: The body, whole: its JSON value, else its text (UTF-8, undecodable bytes
            replaced); None when it was empty. `ProtocolError.body` means the same.
        response: The `httpx.Response`, for headers and anything else.
    """

    def __init__(
        self, message: str, *, status_code: int, body: object, response: httpx.Response | None
    ) -> None:
        super().__init__(message)
        self.status_code = status_code
        self.body = body
        self.response = response


class BadRequestError(APIStatusError):
    """400: the request was refused (for example a zero-data-retention team on v0)."""


class AuthenticationError(APIStatusError):
    """401: the API key is missing or invalid. Never retried."""


class PaymentRequiredError(APIStatusError):
    """402: the plan's credits are used up. Never retried."""


class PermissionDeniedError(APIStatusError):
    """403: the job belongs to another team. Never retried."""


class JobNotFoundError(APIStatusError):
    """404 for a job this client (and its store) has never seen: a wrong id, or another team's.

    The server answers the same 404 for an expired job; when this client saw the job before,
    `JobExpiredError` is raised instead.
    """


class EndpointRetiredError(APIStatusError):
    """The server no longer serves this status endpoint: move to its successor. Never retried.

    Raised for a 410 Gone, and for a 404 that is not the API's own JSON (Express's HTML
    ``Cannot GET``) on an endpoint whose deprecation notice this client has seen: the route
    itself is gone, not the job (docs/server-facts.md, 2026).

    Attributes:
        successor: The endpoint to use instead (``GET /v2/crawl/{id}``, or the notice's own
            path with the job id filled in), or None when neither the notice nor this library
            names one.
    """

    def __init__(
        self,
        message: str,
        *,
        status_code: int,
        body: object,
        response: httpx.Response | None,
        successor: str | None,
    ) -> None:
        super().__init__(message, status_code=status_code, body=body, response=response)
        self.successor = successor


class RateLimitError(APIStatusError):
    """429, still failing after the retries allowed.

    Attributes:
        retry_after: Seconds the server asked to wait (parsed from a header or from the
            "retry after Ns" in its message), or None when it gave no hint.
    """

    def __init__(
        self,
        message: str,
        *,
        status_code: int,
        body: object,
        response: httpx.Response | None,
        retry_after: float | None,
    ) -> None:
        super().__init__(message, status_code=status_code, body=body, response=response)
        self.retry_after = retry_after


class ServerError(APIStatusError):
    """408, 500, 502, 503 or 504, still failing after the retries allowed.

    Other 5xx (501 Not Implemented, 505, ...) say the request can never work: they are not
    retried and raise a plain `APIStatusError`.
    """


class ProtocolError(APIError):
    """An answer that does not decode as JSON or does not fit openapi.yaml.

    Attributes:
        status_code: The HTTP status of the answer, when there was one.
        body: The body, whole, as `APIStatusError.body`: its JSON value, else its text.
    """

    def __init__(
        self, message: str, *, status_code: int | None = None, body: object = None
    ) -> None:
        super().__init__(message)
        self.status_code = status_code
        self.body = body


class ResponseTooLargeError(ProtocolError):
    """An answer larger than the client's `BodyLimits`; reading stopped at the limit.

    Never retried: the same answer would be downloaded again. Raised from a wait, its
    ``.documents`` hold every document received from earlier answers.

    Attributes:
        limit: The limit exceeded, in bytes.
        received: Bytes read from the network before reading stopped.
    """

    def __init__(self, message: str, *, status_code: int | None, limit: int, received: int) -> None:
        super().__init__(message, status_code=status_code)
        self.limit = limit
        self.received = received


class JobError(FirecrawlError):
    """Waiting ended without a completed job. Nothing received is lost: it is all on the error.

    Attributes:
        job_id: The crawl or extract id.
        documents: Every crawl document received so far, each exactly once (empty for extracts).
        snapshot: The last snapshot read from the server, or None if none was.
    """

    def __init__(
        self,
        message: str,
        *,
        job_id: str,
        documents: Sequence[CrawlDocument] = (),
        snapshot: CrawlSnapshot | ExtractSnapshot | None = None,
    ) -> None:
        super().__init__(message)
        self.job_id = job_id
        self.documents: list[CrawlDocument] = list(documents)
        self.snapshot = snapshot


class JobFailedError(JobError):
    """The server reports the job failed.

    Attributes:
        error_text: The server's reason, summarised to one line ("" when it gave none).
        error: The server's reason as sent (any JSON value).
    """

    def __init__(
        self,
        message: str,
        *,
        job_id: str,
        documents: Sequence[CrawlDocument] = (),
        snapshot: CrawlSnapshot | ExtractSnapshot | None = None,
        error: object = None,
    ) -> None:
        super().__init__(message, job_id=job_id, documents=documents, snapshot=snapshot)
        self.error = error
        self.error_text: str = "" if error is None else summarize(error)


class JobCancelledError(JobFailedError):
    """The job was cancelled (extract status ``cancelled``)."""


class JobExpiredError(JobError):
    """The server has forgotten a job this client saw: its results are gone from the server.

    Raised for a 404 on a job seen before (by this client or its store), a crawl that answers
    ``completed`` with nothing after documents were seen (by this call or kept in the store),
    and an extract answering ``processing`` with an ``expiresAt`` already past on two reads at
    least 5 s apart. ``.documents`` holds what was kept; the message counts it.
    """


class PollTimeoutError(JobError):
    """The caller's deadline came before the job finished. The job may still be running."""


class StoreError(FirecrawlError):
    """The local job store cannot be opened or used (locked, corrupt, or a newer schema)."""


_BY_STATUS: dict[int, type[APIStatusError]] = {
    400: BadRequestError,
    401: AuthenticationError,
    402: PaymentRequiredError,
    403: PermissionDeniedError,
    404: JobNotFoundError,
    408: ServerError,
    429: RateLimitError,
    500: ServerError,
    502: ServerError,
    503: ServerError,
    504: ServerError,
}
"""The one rule for an HTTP error status: its error class, and so whether it is retried."""


def error_class(status_code: int) -> type[APIStatusError]:
    """The most specific `APIStatusError` subclass for an HTTP error status."""
    return _BY_STATUS.get(status_code, APIStatusError)


def retryable(status_code: int) -> bool:
    """Whether an answer with this status is worth another try: transient errors only."""
    return issubclass(error_class(status_code), RateLimitError | ServerError)


_NEXT_STEP: dict[type[APIStatusError], str] = {
    AuthenticationError: "check the API key (FIRECRAWL_API_KEY)",
    PaymentRequiredError: "check the plan and credits of the team",
    PermissionDeniedError: "the job belongs to another team; use that team's API key",
    JobNotFoundError: "check the job id and the base URL (FIRECRAWL_API_URL)",
    RateLimitError: "wait, or lower the request rate",
    ServerError: "the server failed; try again later",
}


def status_error(
    status_code: int,
    body: object,
    *,
    headers: Mapping[str, str],
    response: Any,
    what: str,
    now: dt.datetime | None = None,
) -> APIStatusError:
    """The one mapping from an HTTP error answer to the most specific `APIStatusError`.

    Args:
        status_code: The HTTP status.
        body: The body: its JSON value, else its text (see `APIStatusError.body`).
        headers: The answer's headers (for a retry hint).
        response: The `httpx.Response` (opaque here), kept on the error.
        what: What was being read, e.g. ``"crawl 1234"``, for the message.
        now: The answer's time, to turn a ``Retry-After`` date into seconds.
    """
    server_message: object
    if isinstance(body, str):
        server_message = " ".join(_strip_tags(body).split()) or None
    elif isinstance(body, Mapping):
        server_message = body.get("error", body.get("message"))
    else:
        server_message = body
    cls = error_class(status_code)
    try:
        reason = HTTPStatus(status_code).phrase
    except ValueError:
        reason = "HTTP error"
    message = f"{what}: {status_code} {reason}: {summarize(server_message)}"
    step = _NEXT_STEP.get(cls)
    if step:
        message = f"{message} ({step})"
    if cls is RateLimitError:
        hint = retry_hint(headers, server_message if isinstance(server_message, str) else None, now)
        return RateLimitError(
            message, status_code=status_code, body=body, response=response, retry_after=hint
        )
    return cls(message, status_code=status_code, body=body, response=response)


def _strip_tags(text: str) -> str:
    """Text of a small HTML error page (a proxy's 502, Express's 404), for the message only."""
    return _TAG.sub(" ", text)


_TAG = re.compile(r"<[^>]*>")
