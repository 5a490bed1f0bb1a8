"""Type-checked by ``mypy --strict`` (scripts/test), never run: a v1/v2 snapshot's model is the
generated v1/v2 `JobStatusResponse`, not the v0 `CrawlStatusResponse`."""

from __future__ import annotations

from typing import assert_type

from firecrawl_status import JobResult, JobSnapshot, StatusClient
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
