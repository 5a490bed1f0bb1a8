"""Hostile servers, generated: hypothesis draws status codes, headers, encodings, body shapes,
sizes, timings and byte-level corruption, and every answer must keep the client's promises:

* the call returns, or raises a `FirecrawlError` subclass (never a raw Python error);
* it ends by its deadline (on the injected `FakeClock`; over loopback, on real time kept tiny);
* peak memory stays bounded by the body limits;
* documents received before the failure are kept on the error;
* the API key appears in no message, repr, log line or file;
* the CLI exits with a documented code and its stdout stays strict JSON Lines.

Examples per test come from a hypothesis profile: ``hostile-ci`` (the default, small enough for
``scripts/test``) or ``hostile-nightly`` (``HOSTILE_PROFILE=hostile-nightly``, docs/testing.md).
"""

from __future__ import annotations

import asyncio
import gzip
import json
import logging
import math
import os
import time
import tracemalloc
import zlib
from pathlib import Path
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from firecrawl_status import (
    AsyncStatusClient,
    BodyLimits,
    FirecrawlError,
    JobStore,
    RetryPolicy,
    StatusClient,
)
from firecrawl_status._cli import main
from tests.loopback import http_head, run_both_mocked, serving, streamed

settings.register_profile(
    "hostile-ci",
    max_examples=12,
    # scripts/test stays deterministic: the same examples every run; the nightly explores.
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
settings.register_profile(
    "hostile-nightly",
    max_examples=400,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
PROFILE = settings.get_profile(os.environ.get("HOSTILE_PROFILE", "hostile-ci"))

KEY = "fc-HOSTILE-7c1e9a0d44b2"
LIMITS = BodyLimits(max_received=256 * 1024, max_decoded=1024 * 1024)
PEAK_BOUND = 40 * 1024 * 1024
"""Peak traced memory of one call: the limits (1 MiB decoded) times the copies a decode makes,
with a wide margin; an unbounded reader takes 100 MiB on the bombs drawn here."""
EXIT_CODES = {0, 1, 3, 4, 5, 6}
"""The CLI's documented exit codes for a job that ends (README, `--help`)."""
KEPT = [
    {"markdown": "one", "metadata": {"sourceURL": "https://a.test/1"}},
    {"markdown": "two", "metadata": {"sourceURL": "https://a.test/2"}},
]
FIRST = {"status": "scraping", "current": 2, "total": 9, "partial_data": KEPT}

# -- strategies ----------------------------------------------------------------------------

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**30), max_value=10**30)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)
documents = st.fixed_dictionaries(
    {"markdown": st.text(max_size=30)},
    optional={
        "metadata": st.dictionaries(st.sampled_from(["sourceURL", "title", "score"]), json_values),
        "index": st.integers(min_value=-5, max_value=10**25),
    },
)
crawl_bodies = st.fixed_dictionaries(
    {
        "status": st.sampled_from(["scraping", "completed", "failed", "paused", "", "??"]),
    },
    optional={
        "current": st.integers(min_value=-1, max_value=10**400) | st.floats() | st.none(),
        "total": st.integers(min_value=-1, max_value=10**400) | st.none() | st.text(max_size=3),
        "data": st.lists(documents, max_size=3) | json_values,
        "partial_data": st.lists(documents, max_size=3) | json_values,
        "error": json_values | st.just(f"Bearer {KEY}"),
    },
)
body_shapes = st.one_of(
    crawl_bodies.map(lambda body: json.dumps(body).encode()),
    json_values.map(lambda value: json.dumps(value).encode()),
    st.integers(min_value=1, max_value=50_000).map(lambda depth: b"[" * depth + b"]" * depth),
    st.binary(max_size=200),
    st.just(b"<html><body>502 Bad Gateway</body></html>"),
    st.just(json.dumps({"error": "Unauthorized", "echo": f"Authorization: Bearer {KEY}"}).encode()),
    st.just(b""),
)
statuses = st.sampled_from([200, 200, 200, 304, 400, 401, 402, 403, 404, 408, 429, 500, 502, 503])
statuses |= st.integers(min_value=100, max_value=599)
header_values = st.sampled_from(
    [
        "0",
        "1",
        "-5",
        "nan",
        "inf",
        "1e308",
        "99999999999999999999",
        "Fri, 31 Dec 9999 23:59:59 GMT",
        "Mon, 01 Jan 0001 00:00:00 GMT",
        "Sun, 06 Nov 1994 08:49:37 GMT",
        "garbage",
        "",
    ]
)
headers = st.fixed_dictionaries(
    {},
    optional={
        "date": header_values,
        "retry-after": header_values,
        "retry-after-ms": header_values,
        "etag": st.sampled_from(['W/"abc"', '"x"', "", "caf\xe9", "\u2603"]),
        "content-type": st.sampled_from(["application/json", "text/html", "x/y; charset=zzz"]),
        "location": st.just("http://elsewhere.test/steal"),
    },
)
encodings = st.sampled_from(["identity", "gzip", "deflate", "raw-deflate", "fake-gzip", "br"])


@st.composite
def answers(draw: st.DrawFn) -> tuple[int, bytes, dict[str, str]]:
    """One hostile answer: status, body bytes as sent, headers."""
    status = draw(statuses)
    body = draw(body_shapes)
    if draw(st.integers(0, 9)) == 0:
        body = b"[" + b" " * draw(st.sampled_from([300_000, 3_000_000])) + b"]"  # too large
    head = draw(headers)
    encoding = draw(encodings)
    if encoding == "gzip":
        body = gzip.compress(body, compresslevel=1)
    elif encoding == "deflate":
        body = zlib.compress(body, 1)
    elif encoding == "raw-deflate":
        body = zlib.compress(body, 1)[2:-4]
        encoding = "deflate"
    elif encoding == "fake-gzip":
        encoding = "gzip"
    if encoding != "identity":
        head["content-encoding"] = encoding
    if body and draw(st.booleans()):
        # Byte-level corruption: flip some bytes, or cut the body short.
        data = bytearray(body)
        for position in draw(st.lists(st.integers(0, len(data) - 1), max_size=3)):
            data[position] ^= 0xFF
        body = bytes(data[: draw(st.integers(0, len(data)))])
    return status, body, head


def _handler(script: list[tuple[int, bytes, dict[str, str]]]) -> Any:
    """First a good answer carrying two documents, then the script, repeating its last one."""
    sent = [0]

    def handler(request: httpx.Request) -> httpx.Response:
        assert request.url.host == "firecrawl.test", "a request (and its key) went elsewhere"
        sent[0] += 1
        if sent[0] == 1:
            return streamed(200, json.dumps(FIRST).encode(), {"content-type": "application/json"})
        status, body, head = script[min(sent[0] - 2, len(script) - 1)]
        return streamed(status, body, head)

    return handler


def _urls(docs: list[dict[str, Any]]) -> set[str]:
    return {
        doc["metadata"]["sourceURL"]
        for doc in docs
        if isinstance(doc.get("metadata"), dict) and "sourceURL" in doc["metadata"]
    }


class _Logs(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(self.format(record))


# -- through httpx.MockTransport, on a FakeClock ---------------------------------------------


@settings(PROFILE)
@given(script=st.lists(answers(), min_size=1, max_size=4), timeout=st.sampled_from([5.0, 60.0]))
def test_any_answer_keeps_every_promise(
    script: list[tuple[int, bytes, dict[str, str]]], timeout: float, tmp_path_factory: Any
) -> None:
    folder = tmp_path_factory.mktemp("store")
    logs = _Logs()
    logger = logging.getLogger("firecrawl_status")
    logger.addHandler(logs)
    logger.setLevel(logging.DEBUG)
    tracemalloc.start()
    try:
        with JobStore(folder / "jobs.sqlite3") as store:
            results = run_both_mocked(
                lambda: _handler(script),
                lambda client: client.wait_for_crawl("job-1", timeout=timeout),
                api_key=KEY,
                body_limits=LIMITS,
                store=store,
                retry=RetryPolicy(max_retries=2),
            )
        _size, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
        logger.removeHandler(logs)
    assert peak < PEAK_BOUND
    for flavour, outcome, clock in results:
        assert clock.monotonic() <= timeout + 1e-6, flavour
        if isinstance(outcome, BaseException):
            assert isinstance(outcome, FirecrawlError), (flavour, repr(outcome))
            shown = f"{outcome}{outcome!r}{getattr(outcome, 'body', '')!r}"
            assert KEY not in shown
            kept = _urls(getattr(outcome, "documents", []))
            assert _urls(KEPT) <= kept, (flavour, repr(outcome))
        else:
            assert _urls(KEPT) <= _urls(outcome.documents)
    assert not any(KEY in line for line in logs.lines)
    for file in folder.iterdir():
        assert KEY.encode() not in file.read_bytes()


@settings(PROFILE)
@given(
    job_id=st.text(min_size=1, max_size=6).filter(lambda text: text.strip()),
    answer=answers(),
)
def test_any_id_is_one_path_segment_or_a_value_error(
    job_id: str, answer: tuple[int, bytes, dict[str, str]]
) -> None:
    paths: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        paths.append(request.url.raw_path.decode())
        return streamed(*answer)

    results = run_both_mocked(
        lambda: handler, lambda client: client.crawl_status(job_id), api_key=KEY, body_limits=LIMITS
    )
    for flavour, outcome, _clock in results:
        if isinstance(outcome, ValueError):
            assert job_id in (".", ".."), flavour
        elif isinstance(outcome, BaseException):
            assert isinstance(outcome, FirecrawlError), (flavour, repr(outcome))
    for path in paths:
        prefix = "/v0/crawl/status/"
        assert path.startswith(prefix), path
        assert "/" not in path[len(prefix) :].split("?")[0]
        assert path[len(prefix) :] not in ("", ".", "..")


# -- over loopback, on real time -----------------------------------------------------------

DEADLINE = 0.3
SLACK = 1.0


@st.composite
def timed_answers(draw: st.DrawFn) -> tuple[bytes, bytes, float, int, str]:
    """(head, body, pause between chunks, chunk size, what the server does at the end)."""
    status, body, head = draw(answers())
    length = draw(st.sampled_from(["exact", "missing", "longer"]))
    declared = {"exact": len(body), "missing": None, "longer": len(body) + 100}[length]
    raw_head = http_head(status, head, declared)
    pause = draw(st.sampled_from([0.0, 0.0, 0.02, 0.2]))
    chunk = draw(st.sampled_from([1, 7, 4096, 1 << 20]))
    end = draw(st.sampled_from(["close", "stall"]))
    return raw_head, body, pause, chunk, end


def _pace(head: bytes, body: bytes, pause: float, chunk: int, end: str) -> Any:
    def respond(_request: bytes, send: Any) -> None:
        data = head + body
        for start in range(0, len(data), chunk):
            if not send(data[start : start + chunk]):
                return
            if pause:
                time.sleep(pause)
        if end == "stall":
            time.sleep(DEADLINE + SLACK)

    return respond


def _bounded(outcome: object, elapsed: float) -> None:
    assert elapsed < DEADLINE + SLACK
    if isinstance(outcome, BaseException):
        assert isinstance(outcome, FirecrawlError), repr(outcome)
        assert KEY not in f"{outcome}{outcome!r}"


@settings(PROFILE, max_examples=max(4, PROFILE.max_examples // 2))
@given(answer=timed_answers())
def test_loopback_answers_end_by_the_deadline(
    answer: tuple[bytes, bytes, float, int, str],
) -> None:
    with serving(_pace(*answer)) as server:
        started = time.monotonic()
        with StatusClient(KEY, base_url=server.url, body_limits=LIMITS) as client:
            try:
                outcome: object = client.wait_for_crawl("job-1", timeout=DEADLINE)
            except Exception as exc:
                outcome = exc
        _bounded(outcome, time.monotonic() - started)

        async def run() -> tuple[object, float]:
            async with AsyncStatusClient(KEY, base_url=server.url, body_limits=LIMITS) as client:
                started = time.monotonic()
                try:
                    value: object = await client.wait_for_extract("ex-1", timeout=DEADLINE)
                except Exception as exc:
                    value = exc
                return value, time.monotonic() - started

        _bounded(*asyncio.run(run()))


@settings(PROFILE, max_examples=max(4, PROFILE.max_examples // 2))
@given(answer=timed_answers(), command=st.sampled_from(["crawl", "extract"]))
def test_the_cli_exits_with_a_documented_code_and_valid_json_lines(
    answer: tuple[bytes, bytes, float, int, str],
    command: str,
    tmp_path_factory: Any,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    home: Path = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("FIRECRAWL_STATUS_HOME", str(home))
    monkeypatch.setenv("FIRECRAWL_API_KEY", KEY)
    with serving(_pace(*answer)) as server:
        monkeypatch.setenv("FIRECRAWL_API_URL", server.url)
        started = time.monotonic()
        code = main([command, "job-1", "--wait", "--timeout", str(DEADLINE)])
        elapsed = time.monotonic() - started
    out, err = capsys.readouterr()
    assert code in EXIT_CODES, err
    assert elapsed < DEADLINE + SLACK
    for line in out.splitlines():
        json.loads(line, parse_constant=_reject)
    assert KEY not in out + err
    for file in home.rglob("*"):
        if file.is_file():
            assert KEY.encode() not in file.read_bytes()


def _reject(constant: str) -> None:
    raise AssertionError(f"bare {constant} in JSON Lines output")


def test_the_profiles_are_registered() -> None:
    """The nightly profile runs many more examples than the one `scripts/test` uses."""
    nightly = settings.get_profile("hostile-nightly")
    assert nightly.max_examples > settings.get_profile("hostile-ci").max_examples * 10
    assert math.isfinite(PROFILE.max_examples)
