"""Retry hints, backoff maths, policy validation and the status-to-error mapping."""

from __future__ import annotations

import datetime as dt
import random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from firecrawl_status import (
    APIStatusError,
    AuthenticationError,
    BadRequestError,
    JobNotFoundError,
    PaymentRequiredError,
    PermissionDeniedError,
    PollPolicy,
    RateLimitError,
    RetryPolicy,
    ServerError,
)
from firecrawl_status._policy import jittered, retry_delay, retry_hint
from firecrawl_status.errors import error_class, retryable, status_error, summarize

REAL_429 = (
    "Rate limit exceeded. Consumed (req/min): 20, Remaining (req/min): 0. Upgrade your plan at "
    "https://firecrawl.dev/pricing for increased rate limits or please retry after 1s, resets at "
    "Sat Feb 08 2025 16:36:39 GMT+0000 (Coordinated Universal Time)"
)
NOW = dt.datetime(2025, 2, 8, 16, 36, 0, tzinfo=dt.UTC)


@pytest.mark.parametrize(
    ("headers", "message", "expected"),
    [
        ({}, REAL_429, 1.0),
        ({}, "please retry after 12s", 12.0),
        ({}, "retry after 250ms", 0.25),
        ({"Retry-After": "7"}, REAL_429, 7.0),
        ({"retry-after-ms": "1500"}, REAL_429, 1.5),
        ({"Retry-After": "Sat, 08 Feb 2025 16:36:30 GMT"}, None, 30.0),
        ({"Retry-After": "garbage"}, "no hint here", None),
        ({}, None, None),
    ],
)
def test_retry_hint_order_header_then_message(
    headers: dict[str, str], message: str | None, expected: float | None
) -> None:
    """Headers win over the message; the real 429 text yields its 'retry after Ns'."""
    assert retry_hint(headers, message, NOW) == expected


def test_retry_delay_full_jitter_capped_and_hint_capped() -> None:
    """Backoff draws stay within the capped exponential ceiling; hints are capped too."""
    policy = RetryPolicy(initial_delay=0.5, max_delay=4.0, max_retry_after=60.0)
    rng = random.Random(3)
    for attempt in range(12):
        ceiling = min(4.0, 0.5 * 2**attempt)
        draws = [retry_delay(policy, attempt, None, rng) for _ in range(50)]
        assert all(0.0 <= d <= ceiling for d in draws)
        assert max(draws) > ceiling / 2  # it is a spread, not a constant
    assert retry_delay(policy, 0, 3.0, rng) == 3.0
    assert retry_delay(policy, 0, 3600.0, rng) == 60.0
    assert retry_delay(policy, 10_000, None, rng) <= 4.0  # no OverflowError


def test_jittered_stays_within_policy_bounds() -> None:
    """Poll waits are clamped to [min, max] and spread by the jitter fraction."""
    policy = PollPolicy(min_interval=0.5, max_interval=10.0, jitter=0.2)
    rng = random.Random(1)
    waits = [jittered(policy, s, rng) for s in (0.0, 0.1, 5.0, 100.0) for _ in range(100)]
    assert min(waits) >= 0.5 * 0.8
    assert max(waits) <= 10.0 * 1.2
    assert jittered(PollPolicy(fixed_interval=2.0), 99.0, rng) == 2.0


@pytest.mark.parametrize(
    "kwargs",
    [
        {"initial_interval": 0},
        {"min_interval": -1},
        {"min_interval": 5.0, "max_interval": 1.0},
        {"backoff": 0.5},
        {"jitter": 1.0},
        {"fixed_interval": 0},
        {"body_growth": 1.0},
        {"expiry_warning": -1},
    ],
)
def test_poll_policy_rejects_nonsense(kwargs: dict[str, float]) -> None:
    """A policy that could hang or spin is refused at construction."""
    with pytest.raises(ValueError):  # noqa: PT011
        PollPolicy(**kwargs)


def test_retry_policy_rejects_nonsense() -> None:
    """Negative retries or a zero backoff are refused; zero retries is allowed."""
    assert RetryPolicy(max_retries=0).max_retries == 0
    with pytest.raises(ValueError):  # noqa: PT011
        RetryPolicy(max_retries=-1)
    with pytest.raises(ValueError):  # noqa: PT011
        RetryPolicy(initial_delay=0)


@given(st.integers(min_value=400, max_value=599))
def test_one_rule_decides_retryable_and_error_class(status: int) -> None:
    """A status is retried exactly when its error is a RateLimitError or a ServerError, so a
    ServerError ("try again later") is never raised for an answer that was sent only once."""
    error = status_error(status, None, headers={}, response=None, what="crawl j")
    assert retryable(status) == isinstance(error, RateLimitError | ServerError)
    assert type(error) is error_class(status)
    assert ("try again later" in error.message) == isinstance(error, ServerError)


@pytest.mark.parametrize(
    ("status", "error_class"),
    [
        (400, BadRequestError),
        (401, AuthenticationError),
        (402, PaymentRequiredError),
        (403, PermissionDeniedError),
        (404, JobNotFoundError),
        (429, RateLimitError),
        (408, ServerError),
        (500, ServerError),
        (502, ServerError),
        (503, ServerError),
        (504, ServerError),
        (501, APIStatusError),
        (599, APIStatusError),
        (418, APIStatusError),
    ],
)
def test_status_error_maps_each_status_to_its_class(
    status: int, error_class: type[APIStatusError]
) -> None:
    """One function maps a status to the most specific class, keeping code and body."""
    body = {"error": "boom"}
    error = status_error(status, body, headers={}, response=None, what="crawl j1")
    assert type(error) is error_class
    assert error.status_code == status
    assert error.body == body
    assert error.message.startswith(f"crawl j1: {status} ")
    assert "boom" in error.message


def test_rate_limit_error_carries_the_hint_from_the_message() -> None:
    """A 429 with the real server's text has retry_after parsed from it."""
    error = status_error(429, {"error": REAL_429}, headers={}, response=None, what="crawl j")
    assert isinstance(error, RateLimitError)
    assert error.retry_after == 1.0


def test_html_error_body_becomes_readable_text() -> None:
    """A proxy's HTML 502 is stripped to its text in the message, kept whole on .body."""
    html = "<html><head><title>502</title></head><body><h1>Bad Gateway</h1></body></html>"
    error = status_error(502, html, headers={}, response=None, what="extract x")
    assert "Bad Gateway" in error.message
    assert "<h1>" not in error.message
    assert error.body == html


def test_huge_object_error_is_summarised_in_the_message() -> None:
    """A 9 KB nested error never lands whole in a message; it stays whole on .body."""
    big = {"name": "APICallError", "requestBodyValues": {"prompt": "x" * 9000}, "status": 400}
    error = status_error(500, {"success": False, "error": big}, headers={}, response=None, what="e")
    assert len(error.message) < 400
    assert "APICallError" not in error.message or len(error.message) < 400
    assert "bytes of JSON" in error.message
    assert error.body == {"success": False, "error": big}


def test_summarize_is_one_bounded_line() -> None:
    """Strings are folded to one line and cut; objects show keys and size; messages first."""
    assert summarize("a\n  b\tc") == "a b c"
    long = summarize("word " * 500)
    assert len(long) <= 300
    assert long.endswith("…")
    assert summarize({"message": "Model overloaded", "detail": "x" * 5000}).startswith(
        "Model overloaded {message, detail}"
    )
    assert summarize([1, 2, 3]).startswith("a list of 3 item(s)")
    assert summarize(None) == "no error text"
    assert summarize(42) == "42"
