# GENERATED CODE, DO NOT EDIT. Made by openapi-python-client (version pinned in pyproject.toml)
# from openapi.yaml. To change it, edit the spec or scripts/codegen/ and run scripts/regenerate.
from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="JobDocument")


@_attrs_define
class JobDocument:
    """One scraped page of a v1/v2 crawl or batch scrape; which formats appear depends on what the job asked for.

    Attributes:
        markdown (None | str | Unset): The page as markdown.
        html (None | str | Unset): Cleaned HTML.
        raw_html (None | str | Unset): Raw HTML as fetched.
        links (list[str] | Unset): Links found on the page.
        screenshot (None | str | Unset): URL (or data URL) of a screenshot.
        json (Any | Unset): Structured data extracted by an LLM; any JSON value.
        warning (None | str | Unset): A warning about this page.
        metadata (JobDocumentMetadata | Unset): Page metadata. `scrapeId` is unique per page (the identity to de-
            duplicate by, else the URL). Arbitrary meta-tag keys appear, with string, number or list values.
    """

    markdown: None | str | Unset = UNSET
    html: None | str | Unset = UNSET
    raw_html: None | str | Unset = UNSET
    links: list[str] | Unset = UNSET
    screenshot: None | str | Unset = UNSET
    json: Any | Unset = UNSET
    warning: None | str | Unset = UNSET
    metadata: JobDocumentMetadata | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        markdown: None | str | Unset
        if isinstance(self.markdown, Unset):
            markdown = UNSET
        else:
            markdown = self.markdown

        html: None | str | Unset
        if isinstance(self.html, Unset):
            html = UNSET
        else:
            html = self.html

        raw_html: None | str | Unset
        if isinstance(self.raw_html, Unset):
            raw_html = UNSET
        else:
            raw_html = self.raw_html

        links: list[str] | Unset = UNSET
        if not isinstance(self.links, Unset):
            links = self.links

        screenshot: None | str | Unset
        if isinstance(self.screenshot, Unset):
            screenshot = UNSET
        else:
            screenshot = self.screenshot

        json = self.json

        warning: None | str | Unset
        if isinstance(self.warning, Unset):
            warning = UNSET
        else:
            warning = self.warning

        metadata: dict[str, Any] | Unset = UNSET
        if not isinstance(self.metadata, Unset):
            metadata = self.metadata.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if markdown is not UNSET:
            field_dict["markdown"] = markdown
        if html is not UNSET:
            field_dict["html"] = html
        if raw_html is not UNSET:
            field_dict["rawHtml"] = raw_html
        if links is not UNSET:
            field_dict["links"] = links
        if screenshot is not UNSET:
            field_dict["screenshot"] = screenshot
        if json is not UNSET:
            field_dict["json"] = json
        if warning is not UNSET:
            field_dict["warning"] = warning
        if metadata is not UNSET:
            field_dict["metadata"] = metadata

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        markdown = cast("None | str | Unset", d.pop("markdown", UNSET))

        html = cast("None | str | Unset", d.pop("html", UNSET))

        raw_html = cast("None | str | Unset", d.pop("rawHtml", UNSET))

        links = cast("list[str]", d.pop("links", UNSET))

        screenshot = cast("None | str | Unset", d.pop("screenshot", UNSET))

        json = d.pop("json", UNSET)

        warning = cast("None | str | Unset", d.pop("warning", UNSET))

        _metadata = d.pop("metadata", UNSET)
        metadata: JobDocumentMetadata | Unset
        if isinstance(_metadata, Unset):
            metadata = UNSET
        else:
            metadata = JobDocumentMetadata.from_dict(_metadata)

        job_document = cls(
            markdown=markdown,
            html=html,
            raw_html=raw_html,
            links=links,
            screenshot=screenshot,
            json=json,
            warning=warning,
            metadata=metadata,
        )

        job_document.additional_properties = d
        return job_document

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
from ..models.job_document_metadata import JobDocumentMetadata
