# GENERATED CODE, DO NOT EDIT. Made by openapi-python-client (version pinned in pyproject.toml)
# from openapi.yaml. To change it, edit the spec or scripts/codegen/ and run scripts/regenerate.
from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="DocumentMetadata")


@_attrs_define
class DocumentMetadata:
    """Page metadata. Values are not only strings: `pageStatusCode` is a number, `language` can be null, some keys hold
    string lists, and arbitrary meta-tag keys appear (`og:image`, ...).

        Attributes:
            source_url (str | Unset): The URL the page was fetched from; stable across polls and final data.
            url (str | Unset): The final URL after redirects, when the server reports it.
            title (list[str] | None | str | Unset): The page title; a list when the page has several.
            description (list[str] | None | str | Unset): The meta description; a list when the page has several.
            language (list[str] | None | str | Unset): The page language, or null when unknown.
            page_status_code (int | Unset): The HTTP status the page answered with.
            page_error (None | str | Unset): The error text for a page that failed (often absent even then).
    """

    source_url: str | Unset = UNSET
    url: str | Unset = UNSET
    title: list[str] | None | str | Unset = UNSET
    description: list[str] | None | str | Unset = UNSET
    language: list[str] | None | str | Unset = UNSET
    page_status_code: int | Unset = UNSET
    page_error: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        source_url = self.source_url

        url = self.url

        title: list[str] | None | str | Unset
        if isinstance(self.title, Unset):
            title = UNSET
        elif isinstance(self.title, list):
            title = self.title

        else:
            title = self.title

        description: list[str] | None | str | Unset
        if isinstance(self.description, Unset):
            description = UNSET
        elif isinstance(self.description, list):
            description = self.description

        else:
            description = self.description

        language: list[str] | None | str | Unset
        if isinstance(self.language, Unset):
            language = UNSET
        elif isinstance(self.language, list):
            language = self.language

        else:
            language = self.language

        page_status_code = self.page_status_code

        page_error: None | str | Unset
        if isinstance(self.page_error, Unset):
            page_error = UNSET
        else:
            page_error = self.page_error

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if source_url is not UNSET:
            field_dict["sourceURL"] = source_url
        if url is not UNSET:
            field_dict["url"] = url
        if title is not UNSET:
            field_dict["title"] = title
        if description is not UNSET:
            field_dict["description"] = description
        if language is not UNSET:
            field_dict["language"] = language
        if page_status_code is not UNSET:
            field_dict["pageStatusCode"] = page_status_code
        if page_error is not UNSET:
            field_dict["pageError"] = page_error

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        source_url = d.pop("sourceURL", UNSET)

        url = d.pop("url", UNSET)

        title = cast("list[str] | None | str | Unset", d.pop("title", UNSET))

        description = cast(
            "list[str] | None | str | Unset", d.pop("description", UNSET)
        )

        language = cast("list[str] | None | str | Unset", d.pop("language", UNSET))

        page_status_code = d.pop("pageStatusCode", UNSET)

        page_error = cast("None | str | Unset", d.pop("pageError", UNSET))

        document_metadata = cls(
            source_url=source_url,
            url=url,
            title=title,
            description=description,
            language=language,
            page_status_code=page_status_code,
            page_error=page_error,
        )

        document_metadata.additional_properties = d
        return document_metadata

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
