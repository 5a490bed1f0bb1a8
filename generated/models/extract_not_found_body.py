# GENERATED CODE, DO NOT EDIT. Made by openapi-python-client (version pinned in pyproject.toml)
# from openapi.yaml. To change it, edit the spec or scripts/codegen/ and run scripts/regenerate.
from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="ExtractNotFoundBody")


@_attrs_define
class ExtractNotFoundBody:
    """The 404 of `GET /v1/extract/{id}`: the v1 error body, and since May 2026 the deprecation notice's `warnings` and
    `replacement`.

        Example:
            {'success': False, 'error': 'Extract job not found', 'warnings': ['/v1/extract/:id is deprecated. Use /v2/scrape
                instead.'], 'replacement': '/v2/scrape'}

        Attributes:
            success (bool): Always false on an error.
            error (str): The server's message, `Extract job not found`.
            code (str | Unset): A machine-readable code, when the server adds one.
            warnings (list[str] | Unset): Since May 2026, on the answers of the two deprecated routes: warnings as plain
                strings, the deprecation notice last (`"/v0/crawl/status/:jobId is deprecated. Use /v2/crawl/:jobId instead."`).
            replacement (str | Unset): Since May 2026, on the answers of the two deprecated routes: the successor path,
                relative, with a literal `:jobId` (`/v2/crawl/:jobId` for v0, `/v2/scrape` for extract).
    """

    success: bool
    error: str
    code: str | Unset = UNSET
    warnings: list[str] | Unset = UNSET
    replacement: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        success = self.success

        error = self.error

        code = self.code

        warnings: list[str] | Unset = UNSET
        if not isinstance(self.warnings, Unset):
            warnings = self.warnings

        replacement = self.replacement

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "success": success,
                "error": error,
            }
        )
        if code is not UNSET:
            field_dict["code"] = code
        if warnings is not UNSET:
            field_dict["warnings"] = warnings
        if replacement is not UNSET:
            field_dict["replacement"] = replacement

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        success = d.pop("success")

        error = d.pop("error")

        code = d.pop("code", UNSET)

        warnings = cast("list[str]", d.pop("warnings", UNSET))

        replacement = d.pop("replacement", UNSET)

        extract_not_found_body = cls(
            success=success,
            error=error,
            code=code,
            warnings=warnings,
            replacement=replacement,
        )

        extract_not_found_body.additional_properties = d
        return extract_not_found_body

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
