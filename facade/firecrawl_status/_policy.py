"""Retry and poll policy: frozen settings with documented defaults, and the pure maths on them.

Three things are kept apart, as google-api-core does: the per-request timeout (a client
option), the per-request retry (`RetryPolicy`: which failures to try again and how long to
wait between tries), and the poll cadence with its overall deadline (`PollPolicy`, plus the
``timeout`` of each wait). Nothing here does IO; randomness comes in as an argument.
"""

from __future__ import annotations

import datetime as dt
import logging
import math
import random
import re
from collections.abc import Mapping
from typing import Any

import attrs

from ._clock import http_date

__all__ = ["PollPolicy", "RetryPolicy"]  # re-exported by firecrawl_status

logger = logging.getLogger("firecrawl_status")

# The real server sends no Retry-After header; its 429 message says "... retry after 1s, ..."
# (docs/server-facts.md, v0 429).
_HINT_IN_MESSAGE = re.compile(r"retry after (\d+(?:\.\d+)?)\s*(ms|s|sec|secs|seconds?)\b", re.I)


def _positive(_instance: object, attribute: attrs.Attribute[Any], value: float | None) -> None:
    if value is not None and (not value > 0 or math.isinf(value)):
        raise ValueError(f"{attribute.name} must be a positive number of seconds, not {value!r}")


def _non_negative(_instance: object, attribute: attrs.Attribute[Any], value: float | None) -> None:
    if value is not None and not value >= 0:
        raise ValueError(f"{attribute.name} must be zero or more, not {value!r}")


@attrs.frozen(kw_only=True)
class RetryPolicy:
    """How one request is retried. Applies to every GET the clients send.

    Connection errors, read timeouts, bodies that do not decode and the statuses whose error
    is a `RateLimitError` or a `ServerError` (408, 429, 500, 502, 503, 504) are retried; no
    other status is. The wait before try ``n`` (from 0) is a full-jitter draw from
    ``[0, min(max_delay, initial_delay * 2**n)]``, unless the server hinted a delay (a
    ``Retry-After``/``retry-after-ms`` header, or "retry after Ns" in a 429 message): then the
    hint is honoured, capped at ``max_retry_after`` (inside a wait, an uncounted hinted retry
    still waits at least the poll's ``min_interval``, or its ``fixed_interval``).

    Attributes:
        max_retries: Extra tries after the first; 0 disables retrying.
        initial_delay: Upper bound of the first backoff draw, in seconds.
        max_delay: Cap of the exponential backoff, in seconds.
        max_retry_after: Cap on a server-hinted delay; a longer hint is waited only this long.
    """

    max_retries: int = attrs.field(default=4, validator=attrs.validators.ge(0))
    initial_delay: float = attrs.field(default=0.5, validator=_positive)
    max_delay: float = attrs.field(default=8.0, validator=_positive)
    max_retry_after: float = attrs.field(default=120.0, validator=_non_negative)


@attrs.frozen(kw_only=True)
class PollPolicy:
    """The cadence of a wait. The overall deadline is the ``timeout`` of each wait call.

    While nothing changes (a ``304``, or an identical answer) polling stays close to the job:
    one read every ``steady_interval`` seconds, measured from the start of one read to the
    start of the next, so a job's end is noticed at most that long after it happens (half of
    it on average). On the real server most reads of a running job are 304s, which cost no
    body, so nothing is gained by backing away from them (``backoff`` stays 1 unless you raise
    it); at the default 2 s this sends no more requests than the official SDK's fixed 2 s loop
    and notices completion no later. ``jitter`` spreads the phase of many waits once (the
    first steady wait is drawn from ``[steady_interval, steady_interval * (1 + jitter)]``);
    after that the period is exact. Every extract wait is steady, from its first read: a
    worker's step says nothing about when the job ends.

    A crawl starts quick (the first wait is ``min_interval``, to learn the pace) and waits
    ``initial_interval`` (with ``jitter`` either way) after a poll that showed progress, so
    documents reach the caller soon. Every wait stays within ``[min_interval,
    max_interval]``. Two crawl-specific rules adapt it to the server (docs/server-facts.md):

    * a 50-page ``partial_data`` window (pages carry ``index``) is polled before
      ``window_fill`` of it can turn over at the observed page rate, so no page is evicted
      unseen;
    * a growing ``partial_data`` list (re-sent whole on every poll) is polled when its body
      should have grown by ``body_growth`` times, so the bytes downloaded stay a small
      multiple of the result.

    A crawl is also polled just after its predicted finish (from the page rate, without
    jitter). A prediction that came early is made again (a near one, under
    ``steady_interval`` away, at most three times per value of ``total``), and the poll after
    it comes within ``initial_interval``.

    Attributes:
        initial_interval: The wait after a crawl poll that showed progress, in seconds.
        steady_interval: The period while nothing changes, and of every extract wait, in
            seconds (start of a read to start of the next).
        min_interval: Shortest wait between polls.
        max_interval: Longest wait between polls.
        backoff: Factor applied to the steady period at each further unchanged answer
            (1, the default, keeps it fixed; above 1 backs away toward ``max_interval``).
        jitter: Random spread, as a fraction of the wait (0 disables).
        fixed_interval: When set, every wait is exactly this (no backoff, adaptation, jitter).
        window_fill: Fraction of a full window allowed to turn over between polls.
        body_growth: Growth factor of a growing list's body between polls (> 1).
        growing_list_bytes: Body size from which the growing-list rule applies; below it,
            bytes are cheap and latency matters more.
        expiry_warning: Warn when the server will forget the job within this many seconds
            (None disables).
    """

    initial_interval: float = attrs.field(default=1.0, validator=_positive)
    steady_interval: float = attrs.field(default=2.0, validator=_positive)
    min_interval: float = attrs.field(default=0.25, validator=_positive)
    max_interval: float = attrs.field(default=15.0, validator=_positive)
    backoff: float = attrs.field(default=1.0, validator=attrs.validators.ge(1.0))
    jitter: float = attrs.field(
        default=0.1, validator=[attrs.validators.ge(0.0), attrs.validators.lt(1.0)]
    )
    fixed_interval: float | None = attrs.field(default=None, validator=_positive)
    window_fill: float = attrs.field(
        default=0.5, validator=[attrs.validators.gt(0.0), attrs.validators.le(1.0)]
    )
    body_growth: float = attrs.field(default=2.5, validator=attrs.validators.gt(1.0))
    growing_list_bytes: int = attrs.field(default=256 * 1024, validator=attrs.validators.ge(0))
    expiry_warning: float | None = attrs.field(default=3600.0, validator=_non_negative)

    @max_interval.validator
    def _check_bounds(self, _attribute: attrs.Attribute[float], value: float) -> None:
        if value < self.min_interval:
            raise ValueError("max_interval must not be below min_interval")


def retry_hint(
    headers: Mapping[str, str], message: str | None, now: dt.datetime | None = None
) -> float | None:
    """Seconds the server asked us to wait, or None when it gave no hint.

    Order: ``retry-after-ms``, ``Retry-After`` (seconds or an HTTP date, relative to ``now``),
    then "retry after Ns" inside the error message. Header names are case-insensitive.
    """
    lowered = {key.lower(): value for key, value in headers.items()}
    try:
        if "retry-after-ms" in lowered:
            return _finite(float(lowered["retry-after-ms"]) / 1000)
    except ValueError:
        pass
    value = lowered.get("retry-after")
    if value is not None:
        try:
            return _finite(float(value))
        except ValueError:
            when = http_date(value)
            if when is not None and now is not None:
                return _finite((when - now).total_seconds())
    if message:
        match = _HINT_IN_MESSAGE.search(message)
        if match:
            amount = float(match.group(1))
            return _finite(amount / 1000 if match.group(2).lower() == "ms" else amount)
    return None


def _finite(seconds: float) -> float | None:
    """A usable delay: never negative; NaN (``Retry-After: nan``) is no hint at all."""
    return None if math.isnan(seconds) else max(0.0, seconds)


def per_second(amount: float, seconds: float) -> float:
    """``amount / seconds``; a count too large for a float (a hostile ``current``) gives inf."""
    try:
        return amount / seconds
    except OverflowError:
        return math.inf if amount > 0 else -math.inf


def retry_delay(policy: RetryPolicy, attempt: int, hint: float | None, rng: random.Random) -> float:
    """The wait before retry number ``attempt`` (0 for the first retry)."""
    if hint is not None:
        delay = min(hint, policy.max_retry_after)
        logger.debug("retry %d: server hinted %.3gs, waiting %.3gs", attempt + 1, hint, delay)
        return delay
    try:
        ceiling = min(policy.max_delay, policy.initial_delay * 2**attempt)
    except OverflowError:
        ceiling = policy.max_delay
    delay = rng.uniform(0.0, ceiling)
    logger.debug("retry %d: backoff draw %.3gs (ceiling %.3gs)", attempt + 1, delay, ceiling)
    return delay


def jittered(policy: PollPolicy, seconds: float, rng: random.Random) -> float:
    """``seconds`` clamped to the policy's bounds, with its jitter applied."""
    if policy.fixed_interval is not None:
        return policy.fixed_interval
    seconds = _clamped(policy, seconds)
    if policy.jitter:
        seconds *= rng.uniform(1.0 - policy.jitter, 1.0 + policy.jitter)
    return max(seconds, policy.min_interval * (1.0 - policy.jitter))


def unjittered(policy: PollPolicy, seconds: float) -> float:
    """``seconds`` clamped to the policy's bounds, without jitter (a predicted finish)."""
    if policy.fixed_interval is not None:
        return policy.fixed_interval
    return _clamped(policy, seconds)


def steady_period(policy: PollPolicy, seconds: float, rng: random.Random, *, first: bool) -> float:
    """A steady period of ``seconds``, clamped; the ``first`` is drawn at or above it (the
    jitter sets the phase once), so the reads are never more frequent than the period."""
    if policy.fixed_interval is not None:
        return policy.fixed_interval
    seconds = _clamped(policy, seconds)
    if first and policy.jitter:
        seconds = min(seconds * rng.uniform(1.0, 1.0 + policy.jitter), policy.max_interval)
    return seconds


def _clamped(policy: PollPolicy, seconds: float) -> float:
    return min(max(seconds, policy.min_interval), policy.max_interval)
