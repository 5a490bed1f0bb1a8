"""The deprecation notice parser: every form the 2026 server sends, and garbage never raises."""

from __future__ import annotations

import datetime as dt
import email.utils
import subprocess
import sys

import httpx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from firecrawl_status import Deprecation, FirecrawlDeprecationWarning
from firecrawl_status._deprecation import MAX_MESSAGE, MAX_SUCCESSOR, parse_deprecation

JOB = "8f2f6c8a-6c3a-4b7e-9a53-0d2a6c1f9b11"
V0_WARNING = '299 - "/v0/crawl/status/:jobId is deprecated. Use /v2/crawl/:jobId instead."'
V0_HEADERS = {
    "Deprecation": "@1778025600",
    "Link": '</v2/crawl/:jobId>; rel="successor-version"',
    "Warning": V0_WARNING,
}
MAY_6 = dt.datetime(2026, 5, 6, tzinfo=dt.UTC)


def test_the_v0_notice_as_the_server_sends_it() -> None:
    body = {
        "error": "Job not found",
        "warnings": ["/v0/crawl/status/:jobId is deprecated. Use /v2/crawl/:jobId instead."],
        "replacement": "/v2/crawl/:jobId",
    }
    assert parse_deprecation(V0_HEADERS, body, JOB) == Deprecation(
        deprecated_at=MAY_6,
        sunset=None,
        successor=f"/v2/crawl/{JOB}",
        message="/v0/crawl/status/:jobId is deprecated. Use /v2/crawl/:jobId instead.",
    )


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("true", None),
        ("TRUE", None),
        ("@1778025600", MAY_6),
        (" @1778025600 ", MAY_6),
        ("Wed, 06 May 2026 00:00:00 GMT", MAY_6),
        ("Wed, 06 May 2026 02:00:00 +0200", MAY_6),
        ("@99999999999999", None),  # past datetime's range: a notice without a date
        ("yesterday", None),
    ],
)
def test_all_three_deprecation_forms(value: str, expected: dt.datetime | None) -> None:
    notice = parse_deprecation({"Deprecation": value}, None, JOB)
    assert notice is not None
    assert notice.deprecated_at == expected
    assert notice.successor is None
    assert notice.message is None
    assert notice.sunset is None


def test_sunset_is_read_as_an_http_date() -> None:
    notice = parse_deprecation({"Sunset": "Sat, 01 May 2027 00:00:00 GMT"}, None, JOB)
    assert notice is not None
    assert notice.sunset == dt.datetime(2027, 5, 1, tzinfo=dt.UTC)
    assert notice.deprecated_at is None


def test_no_notice_without_deprecation_sunset_or_replacement() -> None:
    plain = {"Content-Type": "application/json", "Link": '</x>; rel="successor-version"'}
    assert parse_deprecation(plain, {"status": "active", "warnings": ["a"]}, JOB) is None
    assert parse_deprecation({}, None, JOB) is None
    assert parse_deprecation({}, ["replacement"], JOB) is None


def test_the_body_alone_is_a_notice_with_its_successor_and_last_warning() -> None:
    body = {
        "success": True,
        "warnings": ["something else", "/v1/extract/:id is deprecated. Use /v2/scrape instead."],
        "replacement": "/v2/scrape",
    }
    assert parse_deprecation({}, body, JOB) == Deprecation(
        deprecated_at=None,
        sunset=None,
        successor="/v2/scrape",
        message="/v1/extract/:id is deprecated. Use /v2/scrape instead.",
    )


def test_headers_win_over_the_body() -> None:
    body = {"warnings": ["from the body"], "replacement": "/v2/other/:jobId"}
    notice = parse_deprecation(V0_HEADERS, body, JOB)
    assert notice is not None
    assert notice.successor == f"/v2/crawl/{JOB}"
    assert notice.message is not None
    assert notice.message.startswith("/v0/crawl/status/")


@pytest.mark.parametrize(
    "link",
    [
        '</v2/crawl/:jobId>; rel="successor-version"',
        "</v2/crawl/:jobId>;rel=successor-version",
        '<https://docs.firecrawl.dev>; rel="help", </v2/crawl/:jobId>; rel="latest '
        'successor-version"',
        '</v2/crawl/:jobId>; title="next"; REL="Successor-Version"',
    ],
)
def test_link_successor_version_forms(link: str) -> None:
    notice = parse_deprecation({"Deprecation": "true", "Link": link}, None, JOB)
    assert notice is not None
    assert notice.successor == f"/v2/crawl/{JOB}"


def test_several_link_headers_are_all_read() -> None:
    headers = httpx.Headers(
        [
            ("Deprecation", "true"),
            ("Link", '<https://docs.firecrawl.dev>; rel="help"'),
            ("Link", '</v2/crawl/:jobId>; rel="successor-version"'),
        ]
    )
    notice = parse_deprecation(headers, None, JOB)
    assert notice is not None
    assert notice.successor == f"/v2/crawl/{JOB}"


def test_the_job_id_is_escaped_into_the_successor_path() -> None:
    notice = parse_deprecation(
        {"Deprecation": "true"}, {"replacement": "/v2/crawl/:jobId"}, "a/b c"
    )
    assert notice is not None
    assert notice.successor == "/v2/crawl/a%2Fb%20c"


def test_warning_text_unescapes_and_ignores_other_codes() -> None:
    headers = {
        "Deprecation": "true",
        "Warning": '199 - "misc", 299 api.firecrawl.dev "say \\"v2\\", please" "Wed, 06 May 2026"',
    }
    notice = parse_deprecation(headers, None, JOB)
    assert notice is not None
    assert notice.message == 'say "v2", please'


def test_the_message_is_one_bounded_line() -> None:
    body = {"replacement": "/v2/scrape", "warnings": ["line one\nline\ttwo " + "x" * 5000]}
    notice = parse_deprecation({}, body, JOB)
    assert notice is not None
    assert notice.message is not None
    assert len(notice.message) == MAX_MESSAGE
    assert notice.message.startswith("line one line two x")
    assert notice.message.endswith("…")


def test_an_oversized_successor_is_dropped() -> None:
    body = {"replacement": "/v2/" + "x" * MAX_SUCCESSOR}
    notice = parse_deprecation({}, body, JOB)
    assert notice is not None
    assert notice.successor is None


def test_the_warning_class_is_shown_by_default_where_deprecation_warning_is_not() -> None:
    """A fresh interpreter's default filters show it even when a library module emits it."""
    script = (
        "import warnings, firecrawl_status\n"
        "for category in (firecrawl_status.FirecrawlDeprecationWarning, DeprecationWarning):\n"
        "    warnings.warn_explicit(category.__name__ + ' seen', category, 'lib.py', 1, 'lib')\n"
    )
    run = subprocess.run(
        [sys.executable, "-I", "-c", script], capture_output=True, text=True, check=True
    )
    assert issubclass(FirecrawlDeprecationWarning, FutureWarning)
    assert "FirecrawlDeprecationWarning seen" in run.stderr
    assert "DeprecationWarning seen" not in run.stderr.replace("FirecrawlDeprecationWarning", "")


header_text = st.text(
    st.characters(codec="latin-1", exclude_characters="\r\n"), max_size=300
) | st.sampled_from(
    ["true", "@1778025600", "@-5", "@" + "9" * 15, "Wed, 06 May 2026 00:00:00 GMT", ""]
)
header_names = st.sampled_from(["Deprecation", "Sunset", "Link", "Warning", "Content-Type"])
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=50),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner),
    max_leaves=10,
)
bodies = (
    st.none()
    | json_values
    | st.fixed_dictionaries({}, optional={"warnings": json_values, "replacement": json_values})
)


@settings(max_examples=300, deadline=None)
@given(
    headers=st.lists(st.tuples(header_names, header_text), max_size=6),
    body=bodies,
    job_id=st.text(st.characters(categories=["Cs", "L", "P"]), max_size=40),
)
def test_garbage_never_raises_and_stays_bounded(
    headers: list[tuple[str, str]], body: object, job_id: str
) -> None:
    raw = [(name.encode(), value.encode("latin-1")) for name, value in headers]
    notice = parse_deprecation(httpx.Headers(raw), body, job_id)
    if notice is None:
        return
    assert notice.message is None or 0 < len(notice.message) <= MAX_MESSAGE
    assert notice.message is None or "\n" not in notice.message
    assert notice.successor is None or len(notice.successor) <= MAX_SUCCESSOR
    for when in (notice.deprecated_at, notice.sunset):
        assert when is None or when.utcoffset() == dt.timedelta(0)


@settings(max_examples=200, deadline=None)
@given(
    when=st.datetimes(
        min_value=dt.datetime(1971, 1, 1),
        max_value=dt.datetime(9999, 1, 1),
        timezones=st.just(dt.UTC),
    ).map(lambda d: d.replace(microsecond=0)),
    form=st.sampled_from(["unix", "http-date"]),
)
def test_dates_round_trip_in_both_forms(when: dt.datetime, form: str) -> None:
    value = (
        f"@{int(when.timestamp())}"
        if form == "unix"
        else email.utils.format_datetime(when, usegmt=True)
    )
    notice = parse_deprecation({"Deprecation": value, "Sunset": value}, None, JOB)
    assert notice is not None
    assert notice.deprecated_at == when
    assert notice.sunset == (when if form == "http-date" else None)


@given(raw=st.binary(max_size=200))
def test_raw_header_bytes_never_raise(raw: bytes) -> None:
    raw = raw.replace(b"\r", b"").replace(b"\n", b"")
    headers = httpx.Headers([(b"Deprecation", raw), (b"Link", raw), (b"Warning", raw)])
    parse_deprecation(headers, None, JOB)
