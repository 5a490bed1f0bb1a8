# GENERATED CODE, DO NOT EDIT. Made by openapi-python-client (version pinned in pyproject.toml)
# from openapi.yaml. To change it, edit the spec or scripts/codegen/ and run scripts/regenerate.
from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="JobErrorsResponse")


@_attrs_define
class JobErrorsResponse:
    """Body of a 200 answer from the `/errors` routes. No `success` key.

    Attributes:
        errors (list[JobErrorEntry]): The pages that failed.
        robots_blocked (list[str]): URLs not fetched because robots.txt disallowed them.
    """

    errors: list[JobErrorEntry]
    robots_blocked: list[str]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        errors = []
        for errors_item_data in self.errors:
            errors_item = errors_item_data.to_dict()
            errors.append(errors_item)

        robots_blocked = self.robots_blocked

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "errors": errors,
                "robotsBlocked": robots_blocked,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        errors = []
        _errors = d.pop("errors")
        for errors_item_data in _errors:
            errors_item = JobErrorEntry.from_dict(errors_item_data)

            errors.append(errors_item)

        robots_blocked = cast("list[str]", d.pop("robotsBlocked"))

        job_errors_response = cls(
            errors=errors,
            robots_blocked=robots_blocked,
        )

        job_errors_response.additional_properties = d
        return job_errors_response

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
from ..models.job_error_entry import JobErrorEntry
