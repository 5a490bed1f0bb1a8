# GENERATED CODE, DO NOT EDIT. Made by openapi-python-client (version pinned in pyproject.toml)
# from openapi.yaml. To change it, edit the spec or scripts/codegen/ and run scripts/regenerate.
from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="JobDocumentMetadata")


@_attrs_define
class JobDocumentMetadata:
    """Page metadata. `scrapeId` is unique per page (the identity to de-duplicate by, else the URL). Arbitrary meta-tag
    keys appear, with string, number or list values.

        Attributes:
            source_url (str | Unset): The URL the page was requested from.
            url (str | Unset): The final URL after redirects.
            status_code (int | Unset): The HTTP status the page answered with.
            scrape_id (str | Unset): Unique id of this page's scrape.
            error (None | str | Unset): An error text for a page that answered with an error status.
    """

    source_url: str | Unset = UNSET
    url: str | Unset = UNSET
    status_code: int | Unset = UNSET
    scrape_id: str | Unset = UNSET
    error: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        source_url = self.source_url

        url = self.url

        status_code = self.status_code

        scrape_id = self.scrape_id

        error: None | str | Unset
        if isinstance(self.error, Unset):
            error = UNSET
        else:
            error = self.error

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if source_url is not UNSET:
            field_dict["sourceURL"] = source_url
        if url is not UNSET:
            field_dict["url"] = url
        if status_code is not UNSET:
            field_dict["statusCode"] = status_code
        if scrape_id is not UNSET:
            field_dict["scrapeId"] = scrape_id
        if error is not UNSET:
            field_dict["error"] = error

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        source_url = d.pop("sourceURL", UNSET)

        url = d.pop("url", UNSET)

        status_code = d.pop("statusCode", UNSET)

        scrape_id = d.pop("scrapeId", UNSET)

        error = cast("None | str | Unset", d.pop("error", UNSET))

        job_document_metadata = cls(
            source_url=source_url,
            url=url,
            status_code=status_code,
            scrape_id=scrape_id,
            error=error,
        )

        job_document_metadata.additional_properties = d
        return job_document_metadata

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
