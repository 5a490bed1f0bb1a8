"""The deprecation notice the 2026 server adds to both routes' answers (docs/server-facts.md).

Headers go on every answer the route gives (304s too: the server sets them before it compares
tags); the body keys are appended to every JSON object the route answers with, so the ETag
covers them. v0 adds both to its own errors, 401 and 429 included; v1 checks the key before the
route runs, so its 401 and 429 carry no notice. Answers from outside the route (Express's HTML
404, the global handler's 500, a proxy's page) never do.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import json
from typing import Literal

import attrs

from ._http import Api, SimResponse, etag

NoticeForm = Literal["date", "true"]
"""``"date"``: ``Deprecation: @1778025600`` (RFC 9745, sent since Sept 2026); ``"true"``: the
form sent from May 2026."""

DEPRECATED_AT = 1778025600
"""2026-05-06, the date the server announces, in unix seconds."""
_SUCCESSOR = {"v0": "/v2/crawl/:jobId", "v1": "/v2/scrape"}
_ROUTE = {"v0": "/v0/crawl/status/:jobId", "v1": "/v1/extract/:id"}
_BEFORE_ROUTE = {"v0": frozenset[int](), "v1": frozenset({401, 429})}


def text(api: Api) -> str:
    """The notice as the server words it, in ``Warning`` and last in ``warnings``."""
    return f"{_ROUTE[api]} is deprecated. Use {_SUCCESSOR[api]} instead."


@attrs.frozen
class Notice:
    """How the simulated server announces the deprecation.

    Attributes:
        form: The ``Deprecation`` header's form.
        sunset: When set, a ``Sunset`` HTTP-date is sent too (the real server does not yet).
    """

    form: NoticeForm
    sunset: dt.datetime | None = None

    def applies(self, api: Api, status: int) -> bool:
        """Whether the route's answer with this status carries the notice."""
        return status not in _BEFORE_ROUTE[api]

    def headers(self, api: Api) -> dict[str, str]:
        """The notice headers, in the server's order."""
        headers = {
            "Deprecation": "true" if self.form == "true" else f"@{DEPRECATED_AT}",
            "Link": f'<{_SUCCESSOR[api]}>; rel="successor-version"',
            "Warning": f'299 - "{text(api)}"',
        }
        if self.sunset is not None:
            headers["Sunset"] = email.utils.format_datetime(
                self.sunset.astimezone(dt.UTC), usegmt=True
            )
        return headers

    def add(self, api: Api, response: SimResponse) -> SimResponse:
        """``response`` with the notice, when the route's answer of its status carries one.

        A JSON object body gets ``warnings`` and ``replacement`` appended (as the server
        appends them, after every other key) and its ETag and length follow; any other body
        is left as it is.
        """
        if not self.applies(api, response.status):
            return response
        headers = response.headers | self.headers(api)
        body = response.body
        keys = json.dumps(
            {"warnings": [text(api)], "replacement": _SUCCESSOR[api]},
            separators=(",", ":"),
        ).encode()
        if response.stream is not None:  # always a JSON object
            stream = response.stream.with_keys(keys)
            headers |= {"Content-Length": str(stream.length), "ETag": stream.etag()}
            return SimResponse(response.status, headers, body, stream)
        if body.startswith(b"{") and body.endswith(b"}"):
            body = body[:-1] + (b"," if body != b"{}" else b"") + keys[1:]
            headers |= {"Content-Length": str(len(body)), "ETag": etag(body)}
        return SimResponse(response.status, headers, body)
