"""Conventions users bring from httpx and the Stainless SDKs: ``timeout`` as a number or an
`httpx.Timeout`, the ``max_retries=`` shortcut, a User-Agent naming this client, and the
``FIRECRAWL_STATUS_LOG`` switch."""

from __future__ import annotations

import asyncio
import importlib.metadata
import json
import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from firecrawl_status import AsyncStatusClient, RetryPolicy, StatusClient
from firecrawl_status._logs import setup_logging
from firecrawl_status.testing import FakeClock

BASE = "https://api.firecrawl.dev"
COMPLETED = json.loads(
    (Path(__file__).parent / "fixtures" / "crawl_completed.json").read_text(encoding="utf-8")
)
USER_AGENT = (
    f"firecrawl-status/{importlib.metadata.version('firecrawl-status')} "
    f"python-httpx/{httpx.__version__}"
)


def sent_by_both(
    client_options: dict[str, Any],
    call_options: dict[str, Any],
    headers: dict[str, str] | None = None,
) -> list[httpx.Request]:
    """The requests one crawl_status sends from each client (sync first, then async)."""
    sent: list[httpx.Request] = []

    def answer(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return httpx.Response(200, json=COMPLETED)

    transport = httpx.MockTransport(answer)
    with StatusClient(
        http_client=httpx.Client(transport=transport, headers=headers),
        clock=FakeClock(),
        **client_options,
    ) as client:
        client.crawl_status("job-1", **call_options)

    async def run_async() -> None:
        http = httpx.AsyncClient(transport=transport, headers=headers)
        async with AsyncStatusClient(http_client=http, clock=FakeClock(), **client_options) as ac:
            await ac.crawl_status("job-1", **call_options)
        await http.aclose()

    asyncio.run(run_async())
    assert len(sent) == 2
    return sent


def limits(request: httpx.Request) -> dict[str, float | None]:
    return dict(request.extensions["timeout"])


def test_every_request_names_this_client_and_httpx() -> None:
    """The User-Agent is firecrawl-status/<version> python-httpx/<version>, from both clients;
    a caller's own client that chose a User-Agent keeps it."""
    for request in sent_by_both({}, {}):
        assert request.headers["User-Agent"] == USER_AGENT
    for request in sent_by_both({}, {}, headers={"User-Agent": "my-crawler/2"}):
        assert request.headers["User-Agent"] == "my-crawler/2"


@pytest.mark.parametrize(
    ("client_timeout", "call_timeout", "expected"),
    [
        pytest.param(30.0, None, (30, 30, 30, 30), id="number-per-request"),
        pytest.param(
            httpx.Timeout(10, connect=2), None, (2, 10, 10, 10), id="httpx-timeout-per-request"
        ),
        pytest.param(
            httpx.Timeout(10, connect=2), 5.0, (2, 5, 5, 5), id="deadline-caps-every-part"
        ),
        pytest.param(None, 7.0, (7, 7, 7, 7), id="no-limits-but-a-deadline"),
        pytest.param(None, None, (None, None, None, None), id="no-limits-at-all"),
        pytest.param(
            30.0, httpx.Timeout(3, pool=1), (3, 3, 3, 1), id="per-call-httpx-timeout-replaces"
        ),
    ],
)
def test_timeout_parts(
    client_timeout: float | httpx.Timeout | None,
    call_timeout: float | httpx.Timeout | None,
    expected: tuple[float | None, ...],
) -> None:
    """The client's timeout limits each request (a number: every part; an httpx.Timeout: part
    by part); a per-call number is the overall deadline and caps every part; a per-call
    httpx.Timeout replaces the client's limits for that call."""
    requests = sent_by_both({"timeout": client_timeout}, {"timeout": call_timeout})
    for request in requests:
        got = limits(request)
        assert (got["connect"], got["read"], got["write"], got["pool"]) == expected


@pytest.mark.parametrize(
    "bad", [0, -1.0, float("nan"), httpx.Timeout(5, connect=0), httpx.Timeout(5, read=-2)]
)
def test_non_positive_timeouts_are_refused(bad: float | httpx.Timeout) -> None:
    with pytest.raises(ValueError, match="timeout must be a positive number"):
        StatusClient(timeout=bad)
    with pytest.raises(ValueError, match="timeout must be a positive number"):
        AsyncStatusClient(timeout=bad)


def test_max_retries_is_a_shortcut_for_the_retry_policy() -> None:
    """max_retries=N is RetryPolicy(max_retries=N); given with a policy, they must agree."""
    for cls in (StatusClient, AsyncStatusClient):
        assert cls(max_retries=0).retry == RetryPolicy(max_retries=0)
        policy = RetryPolicy(max_retries=2, max_delay=1.0)
        assert cls(retry=policy, max_retries=2).retry is policy
        assert cls().retry == RetryPolicy()
        with pytest.raises(ValueError, match="contradicts"):
            cls(retry=RetryPolicy(max_retries=1), max_retries=3)


@pytest.fixture
def clean_loggers() -> Iterator[list[logging.Logger]]:
    loggers = [logging.getLogger("firecrawl_status"), logging.getLogger("httpx")]
    saved = [(logger.level, list(logger.handlers)) for logger in loggers]
    yield loggers
    for logger, (level, handlers) in zip(loggers, saved, strict=True):
        logger.setLevel(level)
        logger.handlers[:] = handlers


def added(logger: logging.Logger, before: list[logging.Handler]) -> list[logging.Handler]:
    return [handler for handler in logger.handlers if handler not in before]


@pytest.mark.parametrize(("value", "level"), [("debug", logging.DEBUG), (" INFO ", logging.INFO)])
def test_log_switch_attaches_one_handler(
    clean_loggers: list[logging.Logger], value: str, level: int
) -> None:
    """FIRECRAWL_STATUS_LOG=debug|info attaches one stderr handler to firecrawl_status and
    httpx at that level, however often it is applied."""
    before = [list(logger.handlers) for logger in clean_loggers]
    for _ in range(3):
        setup_logging({"FIRECRAWL_STATUS_LOG": value})
    for logger, handlers in zip(clean_loggers, before, strict=True):
        assert len(added(logger, handlers)) == 1
        assert logger.level == level


@pytest.mark.parametrize("value", ["", "off", "verbose"])
def test_log_switch_off_leaves_logging_alone(
    clean_loggers: list[logging.Logger], value: str
) -> None:
    before = [(logger.level, list(logger.handlers)) for logger in clean_loggers]
    setup_logging({"FIRECRAWL_STATUS_LOG": value})
    setup_logging({})
    assert [(logger.level, list(logger.handlers)) for logger in clean_loggers] == before


def test_a_client_applies_the_log_switch_and_the_key_stays_out(
    clean_loggers: list[logging.Logger],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """A client made with FIRECRAWL_STATUS_LOG=debug logs its requests and retries to stderr,
    without the API key."""
    monkeypatch.setenv("FIRECRAWL_STATUS_LOG", "debug")
    answers = iter([httpx.Response(502), httpx.Response(200, json=COMPLETED)])
    http = httpx.Client(transport=httpx.MockTransport(lambda request: next(answers)))
    with StatusClient("fc-secret-key-42", http_client=http, clock=FakeClock()) as client:
        client.crawl_status("job-1")
    err = capsys.readouterr().err
    assert "HTTP Request: GET https://api.firecrawl.dev/v0/crawl/status/job-1" in err
    assert "retry 1" in err
    assert "fc-secret-key-42" not in err
