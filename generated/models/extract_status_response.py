# GENERATED CODE, DO NOT EDIT. Made by openapi-python-client (version pinned in pyproject.toml)
# from openapi.yaml. To change it, edit the spec or scripts/codegen/ and run scripts/regenerate.
from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.known_extract_status import KnownExtractStatus
from ..types import UNSET, Unset

T = TypeVar("T", bound="ExtractStatusResponse")


@_attrs_define
class ExtractStatusResponse:
    """Body of a 200 answer from `GET /v1/extract/{id}`.

    Attributes:
        success (bool): `false` (with HTTP 200) when the job failed. A job whose record expired after failing reads as
            `processing` with `success: true`.
        status (KnownExtractStatus | str): Open enum of extract statuses; any other string means still going.
        data (Any | Unset): The extracted data: `[]` while processing and when failed; when completed, the extracted
            JSON (usually an object, but any JSON value is possible).
        expires_at (datetime.datetime | Unset): When the server forgets the job: request time + the record's remaining
            TTL (6 h, re-armed on every update), whole seconds, UTC. An `expiresAt` already past means the record is gone
            and the answer came from a fallback.
        error (Any | Unset): Why the job failed. Usually a string, but any JSON value is possible, including a large
            nested object (a serialised LLM-client error of about 9 KB).
        steps (list[ExtractStatusResponseStepsItem] | Unset): Progress steps; present only while processing.
        llm_usage (float | Unset): LLM usage figure reported by the server.
        sources (ExtractStatusResponseSources | Unset): For each extracted field, the URLs it came from.
        cost_tracking (Any | Unset): Cost breakdown reported by the server; any JSON value.
        session_ids (list[str] | Unset): Ids of the browser sessions used.
        tokens_used (float | Unset): Tokens consumed by the job.
        credits_used (float | Unset): Credits the job has cost so far (since 2026; `-1` when the server keeps no billing
            data).
        warnings (list[str] | Unset): Since May 2026, on the answers of the two deprecated routes: warnings as plain
            strings, the deprecation notice last (`"/v0/crawl/status/:jobId is deprecated. Use /v2/crawl/:jobId instead."`).
        replacement (str | Unset): Since May 2026, on the answers of the two deprecated routes: the successor path,
            relative, with a literal `:jobId` (`/v2/crawl/:jobId` for v0, `/v2/scrape` for extract).
    """

    success: bool
    status: KnownExtractStatus | str
    data: Any | Unset = UNSET
    expires_at: datetime.datetime | Unset = UNSET
    error: Any | Unset = UNSET
    steps: list[ExtractStatusResponseStepsItem] | Unset = UNSET
    llm_usage: float | Unset = UNSET
    sources: ExtractStatusResponseSources | Unset = UNSET
    cost_tracking: Any | Unset = UNSET
    session_ids: list[str] | Unset = UNSET
    tokens_used: float | Unset = UNSET
    credits_used: float | Unset = UNSET
    warnings: list[str] | Unset = UNSET
    replacement: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        success = self.success

        status: str
        if isinstance(self.status, KnownExtractStatus):
            status = self.status.value
        else:
            status = self.status

        data = self.data

        expires_at: str | Unset = UNSET
        if not isinstance(self.expires_at, Unset):
            expires_at = self.expires_at.isoformat()

        error = self.error

        steps: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.steps, Unset):
            steps = []
            for steps_item_data in self.steps:
                steps_item = steps_item_data.to_dict()
                steps.append(steps_item)

        llm_usage = self.llm_usage

        sources: dict[str, Any] | Unset = UNSET
        if not isinstance(self.sources, Unset):
            sources = self.sources.to_dict()

        cost_tracking = self.cost_tracking

        session_ids: list[str] | Unset = UNSET
        if not isinstance(self.session_ids, Unset):
            session_ids = self.session_ids

        tokens_used = self.tokens_used

        credits_used = self.credits_used

        warnings: list[str] | Unset = UNSET
        if not isinstance(self.warnings, Unset):
            warnings = self.warnings

        replacement = self.replacement

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "success": success,
                "status": status,
            }
        )
        if data is not UNSET:
            field_dict["data"] = data
        if expires_at is not UNSET:
            field_dict["expiresAt"] = expires_at
        if error is not UNSET:
            field_dict["error"] = error
        if steps is not UNSET:
            field_dict["steps"] = steps
        if llm_usage is not UNSET:
            field_dict["llmUsage"] = llm_usage
        if sources is not UNSET:
            field_dict["sources"] = sources
        if cost_tracking is not UNSET:
            field_dict["costTracking"] = cost_tracking
        if session_ids is not UNSET:
            field_dict["sessionIds"] = session_ids
        if tokens_used is not UNSET:
            field_dict["tokensUsed"] = tokens_used
        if credits_used is not UNSET:
            field_dict["creditsUsed"] = credits_used
        if warnings is not UNSET:
            field_dict["warnings"] = warnings
        if replacement is not UNSET:
            field_dict["replacement"] = replacement

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        success = d.pop("success")

        def _parse_status(data: object) -> KnownExtractStatus | str:
            if isinstance(data, str):
                try:
                    componentsschemas_extract_status_type_0 = KnownExtractStatus(data)

                    return componentsschemas_extract_status_type_0
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
            return cast("KnownExtractStatus | str", data)

        status = _parse_status(d.pop("status"))

        data = d.pop("data", UNSET)

        _expires_at = d.pop("expiresAt", UNSET)
        expires_at: datetime.datetime | Unset
        if isinstance(_expires_at, Unset):
            expires_at = UNSET
        else:
            expires_at = datetime.datetime.fromisoformat(_expires_at)

        error = d.pop("error", UNSET)

        _steps = d.pop("steps", UNSET)
        steps: list[ExtractStatusResponseStepsItem] | Unset = UNSET
        if _steps is not UNSET:
            steps = []
            for steps_item_data in _steps:
                steps_item = ExtractStatusResponseStepsItem.from_dict(steps_item_data)

                steps.append(steps_item)

        llm_usage = d.pop("llmUsage", UNSET)

        _sources = d.pop("sources", UNSET)
        sources: ExtractStatusResponseSources | Unset
        if isinstance(_sources, Unset):
            sources = UNSET
        else:
            sources = ExtractStatusResponseSources.from_dict(_sources)

        cost_tracking = d.pop("costTracking", UNSET)

        session_ids = cast("list[str]", d.pop("sessionIds", UNSET))

        tokens_used = d.pop("tokensUsed", UNSET)

        credits_used = d.pop("creditsUsed", UNSET)

        warnings = cast("list[str]", d.pop("warnings", UNSET))

        replacement = d.pop("replacement", UNSET)

        extract_status_response = cls(
            success=success,
            status=status,
            data=data,
            expires_at=expires_at,
            error=error,
            steps=steps,
            llm_usage=llm_usage,
            sources=sources,
            cost_tracking=cost_tracking,
            session_ids=session_ids,
            tokens_used=tokens_used,
            credits_used=credits_used,
            warnings=warnings,
            replacement=replacement,
        )

        extract_status_response.additional_properties = d
        return extract_status_response

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
from ..models.extract_status_response_sources import ExtractStatusResponseSources
from ..models.extract_status_response_steps_item import ExtractStatusResponseStepsItem
