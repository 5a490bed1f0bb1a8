"""Type-checked by ``mypy --strict`` (scripts/test), never run: the README's "v0 or v2?"
example, and a v1/v2 snapshot's model, the generated v1/v2 `JobStatusResponse` (not the v0
`CrawlStatusResponse`)."""

from __future__ import annotations

from typing import assert_type

from firecrawl_status import (
    CrawlDocument,
    JobErrorEntry,
    JobErrors,
    JobResult,
    JobSnapshot,
    StatusClient,
)
from firecrawl_status._generated.models import CrawlStatusResponse, JobStatusResponse
from firecrawl_status._generated.types import Unset


def read_v2_jobs() -> None:
    with StatusClient(crawl_api="v2") as client:
        batch = client.batch_scrape_status("<batch id>")
        assert_type(batch, JobSnapshot)
        assert_type(batch.model, JobStatusResponse)
        assert_type(batch.model.next_, None | str | Unset)
        assert_type(client.wait_for_batch_scrape("<batch id>"), JobResult)
        crawl = client.crawl_status("<crawl id>")
        if isinstance(crawl, JobSnapshot):  # crawl_status is typed for every crawl_api
            assert_type(crawl.model, JobStatusResponse)
        else:
            assert_type(crawl.model, CrawlStatusResponse)


def wait_for_a_v2_crawl() -> None:
    with StatusClient(crawl_api="v2") as client:
        result = client.wait_for_batch_scrape("<batch id>")
        assert_type(result.snapshot, JobSnapshot)
        assert_type(result.snapshot.model, JobStatusResponse)
        assert_type(result.credits_used, int | None)


def readme_v0_or_v2() -> None:
    """The README's "v0 or v2?" example."""
    with StatusClient(crawl_api="v2") as client:
        result = client.wait_for_crawl("<crawl id>", timeout=600)
        if isinstance(result, JobResult):
            print(len(result.documents), "pages;", result.failed_pages, "failed")
        for page in client.iter_batch_scrape("<batch id>"):
            assert_type(page, CrawlDocument)
        errors = client.crawl_errors("<crawl id>")
        assert_type(errors, JobErrors)
        assert_type(errors.errors, list[JobErrorEntry])
        assert_type(errors.robots_blocked, list[str])
