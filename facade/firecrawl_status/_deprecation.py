"""The server's 2026 deprecation notice, from one answer's headers and body (docs/server-facts.md).

Since May 2026 both status endpoints announce their successor: ``Deprecation`` (``true``, an
RFC 9745 ``@<unix seconds>``, or an HTTP-date), ``Link: <...>; rel="successor-version"`` (relative,
with a literal ``:jobId``), ``Warning: 299 - "..."``, one day ``Sunset`` (RFC 8594), and in the
body ``warnings`` (the notice last) and ``replacement``. `parse_deprecation` turns whatever of
that arrived into one `Deprecation`, or None. It is pure and total: headers are untrusted bytes,
so anything it cannot read is left out rather than raised, and every string it keeps is bounded.
`warning_text` words the one warning a client gives per endpoint; `ENDPOINTS` names each
endpoint the clients read and its successor (one entry per endpoint: add one for a new route).
It imports nothing from the IO side: the poll core reads notices too.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import re
import urllib.parse
from collections.abc import Iterable, Mapping
from typing import Any, Protocol

import attrs

__all__ = ["Deprecation", "FirecrawlDeprecationWarning", "parse_deprecation"]

MAX_MESSAGE = 300
"""Characters kept of the notice's text: it is printed on one line of a warning or stderr."""
MAX_SUCCESSOR = 2048
"""A successor path longer than this is not a path anyone should be sent to."""
_MAX_HEADER = 8192
"""Characters of a header value looked at; the patterns below never see more."""

_UNIX = re.compile(r"@(-?\d{1,15})")
_WARNING_299 = re.compile(r'(?:^|,)\s*299\s+[^\s"]+\s+"((?:[^"\\]|\\.)*)"')
_ESCAPE = re.compile(r"\\(.)", re.DOTALL)
_LINK = re.compile(r"<([^<>]*)>((?:\s*;\s*[^;,<]*)*)")
_REL = re.compile(r"""(?:^|;)\s*rel\s*=\s*(?:"([^"]*)"|([^\s;"]+))""", re.IGNORECASE)
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]+")
_JOB_ID_PLACEHOLDERS = (":jobId", ":id")


class _MultiHeaders(Protocol):
    """`httpx.Headers`, as far as this module reads it: every value of a repeated name."""

    def multi_items(self) -> list[tuple[str, str]]: ...


@attrs.frozen
class Endpoint:
    """An endpoint a client reads, as its warnings name it.

    Attributes:
        route: The route, e.g. ``GET /v0/crawl/status/{id}``.
        successor: The route to move to, as documented by Firecrawl; a notice's own successor
            (with the real id) is named beside it.
        switch: How to move to it with this client, when it reads the successor too.
    """

    route: str
    successor: str
    switch: str | None = None


ENDPOINTS: Mapping[str, Endpoint] = {
    "crawl": Endpoint(
        "GET /v0/crawl/status/{id}",
        "GET /v2/crawl/{id}",
        'StatusClient(crawl_api="v2"), or --api v2 on the command line',
    ),
    "extract": Endpoint("GET /v1/extract/{id}", "GET /v2/scrape"),
}
"""The endpoint behind each job kind's status read, and its successor (docs/server-facts.md)."""


class FirecrawlDeprecationWarning(FutureWarning):
    """Firecrawl announced that an endpoint this client reads is deprecated.

    A `FutureWarning`, not a `DeprecationWarning`: Python hides `DeprecationWarning` unless it is
    attributed to ``__main__``, so a script that waits through a helper module would never see
    it, while the endpoint going away breaks that script all the same. `FutureWarning` is shown
    by default everywhere; silence it with
    ``warnings.filterwarnings("ignore", category=FirecrawlDeprecationWarning)``.
    """


@attrs.frozen
class Deprecation:
    """The deprecation notice one answer carried.

    Attributes:
        deprecated_at: When the endpoint was deprecated (UTC), or None when the server only said
            ``Deprecation: true`` (or sent a date this parser could not read).
        sunset: When the server says the endpoint goes away (UTC), or None when it has not said.
        successor: The path to use instead, with this job's id filled in for ``:jobId`` (e.g.
            ``/v2/crawl/<id>``), relative to the same server; None when no successor was named.
        message: The server's human-readable notice (one line, at most 300 characters), or None.
    """

    deprecated_at: dt.datetime | None
    sunset: dt.datetime | None
    successor: str | None
    message: str | None


def parse_deprecation(
    headers: _MultiHeaders | Mapping[str, str], body: object, job_id: str
) -> Deprecation | None:
    """The notice in one answer, or None when it carried none.

    An answer is a notice when it has a ``Deprecation`` or ``Sunset`` header, or its JSON
    object body has ``replacement``. The successor comes from the ``Link`` header's
    ``successor-version`` (else the body's ``replacement``), the message from ``Warning: 299``
    (else the last of the body's ``warnings``). Never raises.

    Args:
        headers: The answer's headers (several values of one name are all read from
            `httpx.Headers`; a plain mapping holds one value per name).
        body: The decoded JSON body, or None (a 304, or not JSON).
        job_id: The job the answer is about; replaces ``:jobId`` in the successor.
    """
    values = _header_values(headers)
    fields: Mapping[str, Any] = body if isinstance(body, Mapping) else {}
    replacement = fields.get("replacement")
    deprecation, sunset = values.get("deprecation"), values.get("sunset")
    if deprecation is None and sunset is None and not isinstance(replacement, str):
        return None
    successor = _successor(values.get("link", []))
    if successor is None and isinstance(replacement, str):
        successor = replacement
    message = _warning_text(values.get("warning", [])) or _last_warning(fields.get("warnings"))
    return Deprecation(
        deprecated_at=_deprecated_at(deprecation[0]) if deprecation else None,
        sunset=_http_date(sunset[0]) if sunset else None,
        successor=_fill_job_id(successor, job_id) if successor is not None else None,
        message=_one_line(message) if message else None,
    )


def warning_text(kind: str, notice: Deprecation) -> str:
    """The one line a client warns with (and the CLI prints) for ``kind``'s endpoint."""
    endpoint = ENDPOINTS.get(kind)
    route = endpoint.route if endpoint is not None else f"the {kind} status endpoint"
    parts = [f"Firecrawl deprecated {route}"]
    if notice.deprecated_at is not None:
        parts[0] += f" on {notice.deprecated_at:%Y-%m-%d}"
    if notice.sunset is not None:
        parts.append(f"it goes away on {notice.sunset:%Y-%m-%d %H:%M} UTC")
    successor = endpoint.successor if endpoint is not None else notice.successor
    if successor is not None:
        parts.append(f"the successor is {successor}")
        if endpoint is not None and endpoint.switch is not None:
            parts.append(f"this client reads it with {endpoint.switch}")
    elif notice.message is not None:
        parts.append(notice.message)
    return "; ".join(parts)


def _header_values(headers: _MultiHeaders | Mapping[str, str]) -> dict[str, list[str]]:
    # httpx.Headers is a Mapping too, whose items() joins repeated names: prefer multi_items.
    items: Iterable[tuple[str, str]] = (
        headers.multi_items() if hasattr(headers, "multi_items") else headers.items()
    )
    values: dict[str, list[str]] = {}
    for name, value in items:
        values.setdefault(name.lower(), []).append(value[:_MAX_HEADER])
    return values


def _deprecated_at(value: str) -> dt.datetime | None:
    value = value.strip()
    if value.lower() == "true":
        return None
    if match := _UNIX.fullmatch(value):
        try:
            return dt.datetime.fromtimestamp(int(match.group(1)), tz=dt.UTC)
        except (OverflowError, OSError, ValueError):
            return None
    return _http_date(value)


def _http_date(value: str) -> dt.datetime | None:
    try:
        when = email.utils.parsedate_to_datetime(value.strip())
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if when.tzinfo is None:  # "-0000": a time in UTC whose source zone is unknown
        return when.replace(tzinfo=dt.UTC)
    try:
        return when.astimezone(dt.UTC)
    except (OverflowError, ValueError):
        return None


def _successor(links: list[str]) -> str | None:
    for value in links:
        for match in _LINK.finditer(value):
            for rel in _REL.finditer(match.group(2)):
                names = (rel.group(1) if rel.group(1) is not None else rel.group(2)).split()
                if "successor-version" in (name.lower() for name in names):
                    return match.group(1).strip()
    return None


def _fill_job_id(successor: str, job_id: str) -> str | None:
    quoted = urllib.parse.quote(job_id, safe="", errors="replace")
    for placeholder in _JOB_ID_PLACEHOLDERS:
        successor = successor.replace(placeholder, quoted)
    if not successor or len(successor) > MAX_SUCCESSOR or _CONTROL.search(successor):
        return None
    return successor


def _warning_text(warnings: list[str]) -> str | None:
    for value in warnings:
        if match := _WARNING_299.search(value):
            return _ESCAPE.sub(r"\1", match.group(1))
    return None


def _last_warning(warnings: object) -> str | None:
    if isinstance(warnings, list) and warnings and isinstance(warnings[-1], str):
        return warnings[-1]
    return None


def _one_line(text: str) -> str | None:
    text = " ".join(_CONTROL.sub(" ", text[: MAX_MESSAGE * 4]).split())
    if len(text) > MAX_MESSAGE:
        text = text[: MAX_MESSAGE - 1] + "…"
    return text or None
