# GENERATED CODE, DO NOT EDIT. Made by openapi-python-client (version pinned in pyproject.toml)
# from openapi.yaml. To change it, edit the spec or scripts/codegen/ and run scripts/regenerate.
from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.known_crawl_status import KnownCrawlStatus
from ..types import UNSET, Unset

T = TypeVar("T", bound="CrawlStatusResponse")


@_attrs_define
class CrawlStatusResponse:
    """Body of a 200 answer from `GET /v0/crawl/status/{jobId}`.

    Attributes:
        status (KnownCrawlStatus | str): Open enum: one of the known statuses or any other string. Only completed and
            failed are terminal; every other value means the crawl is still going.
        current (int | Unset): Pages finished so far. Early servers showed a placeholder 1 at first; on current servers
            it can grow while links are found and shrink when in-flight pages fail.
        total (int | Unset): Pages known so far. Early servers showed a placeholder 100 at first; it can grow and shrink
            while the crawl runs, and drops to 0 on a silent expiry.
        data (LegacyCrawlResult | list[CrawlDocument] | None | Unset): The crawled documents. `null` (key present) while
            active and when failed; an array when completed, possibly empty. One old self-hosted path sent an object here
            instead (`{"success": true, "result": {"links": []}, "error": "No pages found"}`).
        partial_data (list[CrawlDocument] | Unset): Documents finished so far. Early servers: the 50 most recent, oldest
            first, each with `index`, and the key is absent until the first page finishes. Current servers: every page
            finished so far, no cap, no `index`, sorted by enqueue time, failed pages removed, `[]` once completed.
        current_url (str | Unset): Early servers only. The URL being crawled; sometimes empty.
        current_step (str | Unset): Early servers only. The crawler's current step; sometimes empty.
        warnings (list[str] | Unset): Since May 2026, on the answers of the two deprecated routes: warnings as plain
            strings, the deprecation notice last (`"/v0/crawl/status/:jobId is deprecated. Use /v2/crawl/:jobId instead."`).
        replacement (str | Unset): Since May 2026, on the answers of the two deprecated routes: the successor path,
            relative, with a literal `:jobId` (`/v2/crawl/:jobId` for v0, `/v2/scrape` for extract).
    """

    status: KnownCrawlStatus | str
    current: int | Unset = UNSET
    total: int | Unset = UNSET
    data: LegacyCrawlResult | list[CrawlDocument] | None | Unset = UNSET
    partial_data: list[CrawlDocument] | Unset = UNSET
    current_url: str | Unset = UNSET
    current_step: str | Unset = UNSET
    warnings: list[str] | Unset = UNSET
    replacement: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        status: str
        if isinstance(self.status, KnownCrawlStatus):
            status = self.status.value
        else:
            status = self.status

        current = self.current

        total = self.total

        data: dict[str, Any] | list[dict[str, Any]] | None | Unset
        if isinstance(self.data, Unset):
            data = UNSET
        elif isinstance(self.data, list):
            data = []
            for data_type_0_item_data in self.data:
                data_type_0_item = data_type_0_item_data.to_dict()
                data.append(data_type_0_item)

        elif isinstance(self.data, LegacyCrawlResult):
            data = self.data.to_dict()
        else:
            data = self.data

        partial_data: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.partial_data, Unset):
            partial_data = []
            for partial_data_item_data in self.partial_data:
                partial_data_item = partial_data_item_data.to_dict()
                partial_data.append(partial_data_item)

        current_url = self.current_url

        current_step = self.current_step

        warnings: list[str] | Unset = UNSET
        if not isinstance(self.warnings, Unset):
            warnings = self.warnings

        replacement = self.replacement

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "status": status,
            }
        )
        if current is not UNSET:
            field_dict["current"] = current
        if total is not UNSET:
            field_dict["total"] = total
        if data is not UNSET:
            field_dict["data"] = data
        if partial_data is not UNSET:
            field_dict["partial_data"] = partial_data
        if current_url is not UNSET:
            field_dict["current_url"] = current_url
        if current_step is not UNSET:
            field_dict["current_step"] = current_step
        if warnings is not UNSET:
            field_dict["warnings"] = warnings
        if replacement is not UNSET:
            field_dict["replacement"] = replacement

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)

        def _parse_status(data: object) -> KnownCrawlStatus | str:
            if isinstance(data, str):
                try:
                    componentsschemas_crawl_status_type_0 = KnownCrawlStatus(data)

                    return componentsschemas_crawl_status_type_0
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
            return cast("KnownCrawlStatus | str", data)

        status = _parse_status(d.pop("status"))

        current = d.pop("current", UNSET)

        total = d.pop("total", UNSET)

        def _parse_data(
            data: object,
        ) -> LegacyCrawlResult | list[CrawlDocument] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            if isinstance(data, list):
                try:
                    data_type_0 = []
                    _data_type_0 = data
                    for data_type_0_item_data in _data_type_0:
                        data_type_0_item = CrawlDocument.from_dict(
                            data_type_0_item_data
                        )

                        data_type_0.append(data_type_0_item)

                    return data_type_0
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
            if isinstance(data, dict):
                try:
                    data_type_1 = LegacyCrawlResult.from_dict(data)

                    return data_type_1
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
            return cast("LegacyCrawlResult | list[CrawlDocument] | None | Unset", data)

        data = _parse_data(d.pop("data", UNSET))

        _partial_data = d.pop("partial_data", UNSET)
        partial_data: list[CrawlDocument] | Unset = UNSET
        if _partial_data is not UNSET:
            partial_data = []
            for partial_data_item_data in _partial_data:
                partial_data_item = CrawlDocument.from_dict(partial_data_item_data)

                partial_data.append(partial_data_item)

        current_url = d.pop("current_url", UNSET)

        current_step = d.pop("current_step", UNSET)

        warnings = cast("list[str]", d.pop("warnings", UNSET))

        replacement = d.pop("replacement", UNSET)

        crawl_status_response = cls(
            status=status,
            current=current,
            total=total,
            data=data,
            partial_data=partial_data,
            current_url=current_url,
            current_step=current_step,
            warnings=warnings,
            replacement=replacement,
        )

        crawl_status_response.additional_properties = d
        return crawl_status_response

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties


# Changed from the generator's template, which imports these inside every to_dict, to_multipart
# and from_dict call (a lookup through the import system each time: a tenth of from_dict, run on
# every streamed document). Imported here, below the class, an import cycle between two models
# still resolves: each module's class exists before it imports the other.
from ..models.crawl_document import CrawlDocument
from ..models.legacy_crawl_result import LegacyCrawlResult
