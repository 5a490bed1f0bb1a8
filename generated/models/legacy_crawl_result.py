# GENERATED CODE, DO NOT EDIT. Made by openapi-python-client (version pinned in pyproject.toml)
# from openapi.yaml. To change it, edit the spec or scripts/codegen/ and run scripts/regenerate.
from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="LegacyCrawlResult")


@_attrs_define
class LegacyCrawlResult:
    """What one old self-hosted code path put in `data` instead of an array. Carries no documents.

    Attributes:
        success (bool | Unset): Whether the crawl ran.
        result (LegacyCrawlResultResult | Unset): The crawler's raw result, for example `{"links": []}`.
        error (str | Unset): Why nothing was returned, for example `No pages found`.
    """

    success: bool | Unset = UNSET
    result: LegacyCrawlResultResult | Unset = UNSET
    error: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        success = self.success

        result: dict[str, Any] | Unset = UNSET
        if not isinstance(self.result, Unset):
            result = self.result.to_dict()

        error = self.error

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if success is not UNSET:
            field_dict["success"] = success
        if result is not UNSET:
            field_dict["result"] = result
        if error is not UNSET:
            field_dict["error"] = error

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        success = d.pop("success", UNSET)

        _result = d.pop("result", UNSET)
        result: LegacyCrawlResultResult | Unset
        if isinstance(_result, Unset):
            result = UNSET
        else:
            result = LegacyCrawlResultResult.from_dict(_result)

        error = d.pop("error", UNSET)

        legacy_crawl_result = cls(
            success=success,
            result=result,
            error=error,
        )

        legacy_crawl_result.additional_properties = d
        return legacy_crawl_result

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
from ..models.legacy_crawl_result_result import LegacyCrawlResultResult
