"""Type-checked by ``mypy --strict`` (scripts/test), never run: the README's examples, with the
types a user's checker must see. `assert_type` fails the check when a type drifts to `Any`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any, assert_type

import httpx

from firecrawl_status import (
    AsyncStatusClient,
    CrawlDocument,
    CrawlResult,
    CrawlSnapshot,
    DocumentMetadata,
    ExtractBody,
    ExtractResult,
    JobExpiredError,
    JobRecord,
    JobStore,
    RetryPolicy,
    StatusClient,
)
from firecrawl_status._generated.models import CrawlStatusResponse, ExtractStatusResponse


def wait_for_a_crawl() -> None:
    with StatusClient() as client:
        result = client.wait_for_crawl("<crawl id>", timeout=600)
        assert_type(result, CrawlResult)
        for page in result.documents:
            assert_type(page, CrawlDocument)
            # Every key may be missing ("only URLs" documents have just a url): .get, or `in`.
            metadata = page.get("metadata", {})
            assert_type(metadata, DocumentMetadata)
            assert_type(metadata.get("sourceURL"), str | None)
            assert_type(metadata.get("pageStatusCode"), int | None)
            assert_type(metadata.get("title"), str | list[str] | None)
            assert_type(page.get("markdown"), str | None)
            if "metadata" in page and "sourceURL" in page["metadata"]:
                assert_type(page["metadata"]["sourceURL"], str)
            # Keys the contract does not name (meta tags) through a Mapping view.
            view: Mapping[str, object] = metadata
            image: object = view.get("og:image")
            print(image)


def stream_with_a_store() -> None:
    with JobStore(JobStore.default_path()) as store, StatusClient(store=store) as client:
        for page in client.iter_crawl("<crawl id>", timeout=3600):
            assert_type(page, CrawlDocument)
        record = store.job("<crawl id>", base_url=client.base_url)
        assert_type(record, JobRecord | None)
        if record is not None:
            assert_type(record.result, ExtractBody | None)
        for kept in store.iter_documents("<crawl id>", base_url=client.base_url):
            assert_type(kept, CrawlDocument)


def one_shot_reads_and_errors() -> None:
    with StatusClient(timeout=httpx.Timeout(10.0, connect=2.0), max_retries=2) as client:
        snapshot = client.crawl_status("<crawl id>")
        assert_type(snapshot, CrawlSnapshot)
        assert_type(snapshot.documents, list[CrawlDocument])
        assert_type(snapshot.model, CrawlStatusResponse)
        assert_type(snapshot.expires_at, dt.datetime | None)
        extract = client.extract_status("<extract id>")
        assert_type(extract.model, ExtractStatusResponse)
        assert_type(extract.to_dict(), ExtractBody)
        assert_type(extract.to_dict()["status"], str)
        assert_type(extract.data, Any)  # the contract: any JSON value
        try:
            client.wait_for_crawl("<crawl id>")
        except JobExpiredError as exc:
            assert_type(exc.documents, list[CrawlDocument])
    StatusClient(retry=RetryPolicy(max_retries=2))


async def the_async_client() -> None:
    async with AsyncStatusClient(timeout=5.0) as client:
        async for page in client.iter_crawl("<crawl id>"):
            assert_type(page, CrawlDocument)
        result = await client.wait_for_extract("<extract id>")
        assert_type(result, ExtractResult)
