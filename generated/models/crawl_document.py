# GENERATED CODE, DO NOT EDIT. Made by openapi-python-client (version pinned in pyproject.toml)
# from openapi.yaml. To change it, edit the spec or scripts/codegen/ and run scripts/regenerate.
from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="CrawlDocument")


@_attrs_define
class CrawlDocument:
    """One crawled page. A crawl run with "only URLs" returns documents that are just `{"url": "..."}`. Pages that answered
    404/500 are normal documents with `metadata.pageStatusCode` set (and often no `pageError`).

        Attributes:
            url (str | Unset): The page URL; the only key of an "only URLs" document.
            markdown (None | str | Unset): The page as markdown.
            content (None | str | Unset): The same text as `markdown` (kept for old clients).
            html (None | str | Unset): Cleaned HTML, when requested.
            raw_html (None | str | Unset): Raw HTML, only when requested; dropped by the v0 status endpoint in practice.
            links_on_page (list[str] | Unset): Links found on the page, when requested.
            llm_extraction (Any | Unset): Structured data extracted by an LLM, when requested; any JSON value.
            warning (None | str | Unset): A warning about this page, for example a truncated conversion.
            provider (str | Unset): The scraper that produced the page (docs examples show `web-scraper`).
            index (int | Unset): Early servers only, in `partial_data`: a 1-based completion counter, stable for a page
                across polls.
            metadata (DocumentMetadata | Unset): Page metadata. Values are not only strings: `pageStatusCode` is a number,
                `language` can be null, some keys hold string lists, and arbitrary meta-tag keys appear (`og:image`, ...).
    """

    url: str | Unset = UNSET
    markdown: None | str | Unset = UNSET
    content: None | str | Unset = UNSET
    html: None | str | Unset = UNSET
    raw_html: None | str | Unset = UNSET
    links_on_page: list[str] | Unset = UNSET
    llm_extraction: Any | Unset = UNSET
    warning: None | str | Unset = UNSET
    provider: str | Unset = UNSET
    index: int | Unset = UNSET
    metadata: DocumentMetadata | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        url = self.url

        markdown: None | str | Unset
        if isinstance(self.markdown, Unset):
            markdown = UNSET
        else:
            markdown = self.markdown

        content: None | str | Unset
        if isinstance(self.content, Unset):
            content = UNSET
        else:
            content = self.content

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

        links_on_page: list[str] | Unset = UNSET
        if not isinstance(self.links_on_page, Unset):
            links_on_page = self.links_on_page

        llm_extraction = self.llm_extraction

        warning: None | str | Unset
        if isinstance(self.warning, Unset):
            warning = UNSET
        else:
            warning = self.warning

        provider = self.provider

        index = self.index

        metadata: dict[str, Any] | Unset = UNSET
        if not isinstance(self.metadata, Unset):
            metadata = self.metadata.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if url is not UNSET:
            field_dict["url"] = url
        if markdown is not UNSET:
            field_dict["markdown"] = markdown
        if content is not UNSET:
            field_dict["content"] = content
        if html is not UNSET:
            field_dict["html"] = html
        if raw_html is not UNSET:
            field_dict["rawHtml"] = raw_html
        if links_on_page is not UNSET:
            field_dict["linksOnPage"] = links_on_page
        if llm_extraction is not UNSET:
            field_dict["llm_extraction"] = llm_extraction
        if warning is not UNSET:
            field_dict["warning"] = warning
        if provider is not UNSET:
            field_dict["provider"] = provider
        if index is not UNSET:
            field_dict["index"] = index
        if metadata is not UNSET:
            field_dict["metadata"] = metadata

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        url = d.pop("url", UNSET)

        markdown = cast("None | str | Unset", d.pop("markdown", UNSET))

        content = cast("None | str | Unset", d.pop("content", UNSET))

        html = cast("None | str | Unset", d.pop("html", UNSET))

        raw_html = cast("None | str | Unset", d.pop("rawHtml", UNSET))

        links_on_page = cast("list[str]", d.pop("linksOnPage", UNSET))

        llm_extraction = d.pop("llm_extraction", UNSET)

        warning = cast("None | str | Unset", d.pop("warning", UNSET))

        provider = d.pop("provider", UNSET)

        index = d.pop("index", UNSET)

        _metadata = d.pop("metadata", UNSET)
        metadata: DocumentMetadata | Unset
        if isinstance(_metadata, Unset):
            metadata = UNSET
        else:
            metadata = DocumentMetadata.from_dict(_metadata)

        crawl_document = cls(
            url=url,
            markdown=markdown,
            content=content,
            html=html,
            raw_html=raw_html,
            links_on_page=links_on_page,
            llm_extraction=llm_extraction,
            warning=warning,
            provider=provider,
            index=index,
            metadata=metadata,
        )

        crawl_document.additional_properties = d
        return crawl_document

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
from ..models.document_metadata import DocumentMetadata
