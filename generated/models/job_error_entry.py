# GENERATED CODE, DO NOT EDIT. Made by openapi-python-client (version pinned in pyproject.toml)
# from openapi.yaml. To change it, edit the spec or scripts/codegen/ and run scripts/regenerate.
from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="JobErrorEntry")


@_attrs_define
class JobErrorEntry:
    """One failed page.

    Attributes:
        id (str): Id of the failed scrape.
        url (str): The page's URL.
        error (str): The error text.
        timestamp (str | Unset): When it failed.
        code (str | Unset): A machine-readable error code, when the server has one.
    """

    id: str
    url: str
    error: str
    timestamp: str | Unset = UNSET
    code: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        url = self.url

        error = self.error

        timestamp = self.timestamp

        code = self.code

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "url": url,
                "error": error,
            }
        )
        if timestamp is not UNSET:
            field_dict["timestamp"] = timestamp
        if code is not UNSET:
            field_dict["code"] = code

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        id = d.pop("id")

        url = d.pop("url")

        error = d.pop("error")

        timestamp = d.pop("timestamp", UNSET)

        code = d.pop("code", UNSET)

        job_error_entry = cls(
            id=id,
            url=url,
            error=error,
            timestamp=timestamp,
            code=code,
        )

        job_error_entry.additional_properties = d
        return job_error_entry

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
