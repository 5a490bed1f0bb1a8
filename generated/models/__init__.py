# GENERATED CODE, DO NOT EDIT. Made by openapi-python-client (version pinned in pyproject.toml)
# from openapi.yaml. To change it, edit the spec or scripts/codegen/ and run scripts/regenerate.
"""Contains all the data models used in inputs/outputs"""

from .api_error_body import ApiErrorBody
from .crawl_document import CrawlDocument
from .crawl_error_body import CrawlErrorBody
from .crawl_status_response import CrawlStatusResponse
from .document_metadata import DocumentMetadata
from .extract_not_found_body import ExtractNotFoundBody
from .extract_status_response import ExtractStatusResponse
from .extract_status_response_sources import ExtractStatusResponseSources
from .extract_status_response_steps_item import ExtractStatusResponseStepsItem
from .known_crawl_status import KnownCrawlStatus
from .known_extract_status import KnownExtractStatus
from .legacy_crawl_result import LegacyCrawlResult
from .legacy_crawl_result_result import LegacyCrawlResultResult

__all__ = (
    "ApiErrorBody",
    "CrawlDocument",
    "CrawlErrorBody",
    "CrawlStatusResponse",
    "DocumentMetadata",
    "ExtractNotFoundBody",
    "ExtractStatusResponse",
    "ExtractStatusResponseSources",
    "ExtractStatusResponseStepsItem",
    "KnownCrawlStatus",
    "KnownExtractStatus",
    "LegacyCrawlResult",
    "LegacyCrawlResultResult",
)
