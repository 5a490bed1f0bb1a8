# GENERATED CODE, DO NOT EDIT. Made by openapi-python-client (version pinned in pyproject.toml)
# from openapi.yaml. To change it, edit the spec or scripts/codegen/ and run scripts/regenerate.
from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="CrawlErrorBody")


@_attrs_define
class CrawlErrorBody:
    """Error body of the v0 crawl endpoint: always `{"error": "<message>"}`.

    Example:
        {'error': 'Job not found'}

    Attributes:
        error (str): The server's message.
        warnings (list[str] | Unset): Since May 2026, on the answers of the two deprecated routes: warnings as plain
            strings, the deprecation notice last (`"/v0/crawl/status/:jobId is deprecated. Use /v2/crawl/:jobId instead."`).
        replacement (str | Unset): Since May 2026, on the answers of the two deprecated routes: the successor path,
            relative, with a literal `:jobId` (`/v2/crawl/:jobId` for v0, `/v2/scrape` for extract).
    """

    error: str
    warnings: list[str] | Unset = UNSET
    replacement: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        error = self.error

        warnings: list[str] | Unset = UNSET
        if not isinstance(self.warnings, Unset):
            warnings = self.warnings

        replacement = self.replacement

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "error": error,
            }
        )
        if warnings is not UNSET:
            field_dict["warnings"] = warnings
        if replacement is not UNSET:
            field_dict["replacement"] = replacement

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        error = d.pop("error")

        warnings = cast("list[str]", d.pop("warnings", UNSET))

        replacement = d.pop("replacement", UNSET)

        crawl_error_body = cls(
            error=error,
            warnings=warnings,
            replacement=replacement,
        )

        crawl_error_body.additional_properties = d
        return crawl_error_body

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
