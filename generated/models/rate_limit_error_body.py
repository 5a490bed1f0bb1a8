# GENERATED CODE, DO NOT EDIT. Made by openapi-python-client (version pinned in pyproject.toml)
# from openapi.yaml. To change it, edit the spec or scripts/codegen/ and run scripts/regenerate.
from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="RateLimitErrorBody")


@_attrs_define
class RateLimitErrorBody:
    """Error body of a v1/v2 429: `{"success": false, "error": "...", "retry_after_seconds"?: N}`.

    Attributes:
        success (bool): Always false on an error.
        error (str): The server's message (may say "retry after Ns").
        retry_after_seconds (float | Unset): Seconds to wait before the next request.
    """

    success: bool
    error: str
    retry_after_seconds: float | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        success = self.success

        error = self.error

        retry_after_seconds = self.retry_after_seconds

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "success": success,
                "error": error,
            }
        )
        if retry_after_seconds is not UNSET:
            field_dict["retry_after_seconds"] = retry_after_seconds

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        success = d.pop("success")

        error = d.pop("error")

        retry_after_seconds = d.pop("retry_after_seconds", UNSET)

        rate_limit_error_body = cls(
            success=success,
            error=error,
            retry_after_seconds=retry_after_seconds,
        )

        rate_limit_error_body.additional_properties = d
        return rate_limit_error_body

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
