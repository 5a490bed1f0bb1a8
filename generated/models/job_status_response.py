# GENERATED CODE, DO NOT EDIT. Made by openapi-python-client (version pinned in pyproject.toml)
# from openapi.yaml. To change it, edit the spec or scripts/codegen/ and run scripts/regenerate.
from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.known_job_status import KnownJobStatus
from ..types import UNSET, Unset

T = TypeVar("T", bound="JobStatusResponse")


@_attrs_define
class JobStatusResponse:
    """Body of a 200 answer from `GET /v2/crawl/{id}`, `GET /v2/batch/scrape/{id}` and their `/v1/` twins. `next`
    misbehaves across server versions (docs/server-facts.md): it is present on every answer while `scraping`, even on an
    empty page, repeating the same `skip`; older 2026 servers keep sending it on `cancelled`/`failed` jobs; its scheme
    can be forced to `https` on a plain-http self-host and its host can be an internal one behind a proxy. Decide "done"
    from `status`, never from a missing `next`; stop following on an empty page or a repeated cursor; keep only the path
    and query of `next`.

        Attributes:
            success (bool): `false` (with HTTP 200) when the job failed at kickoff.
            status (KnownJobStatus | str): Open enum of v1/v2 job statuses; any other string means still going.
            completed (int | Unset): Pages finished so far (failed pages do not count).
            total (int | Unset): Pages finished + in flight + queued (failed pages do not count).
            credits_used (int | Unset): Credits used so far; `-1` when the server has no billing data (self-hosted).
            expires_at (datetime.datetime | Unset): When the server forgets the job (24 h after completion by default).
            next_ (None | str | Unset): Absolute URL of the following page (`.../v2/crawl/{id}?skip=N`, `/v1/` on the v1
                routes), absent when the server thinks there is nothing more. See above for why it can be neither trusted as
                "done" nor followed to its host.
            data (list[JobDocument] | Unset): Finished documents from offset `skip`, ordered by finish time. A document
                whose stored result is missing is skipped silently while offsets still advance; some storage back ends repeat a
                document on a later page.
            warning (None | str | Unset): A warning about this answer, for example that the results were cut short.
            error (None | str | Unset): Why the job failed at kickoff (with `success` false).
            created_at (datetime.datetime | Unset): When the job was created (newer servers).
            completed_at (datetime.datetime | Unset): When the job ended (newer servers, terminal statuses only).
            duration (float | Unset): Seconds since creation, or until the end once terminal (newer servers).
    """

    success: bool
    status: KnownJobStatus | str
    completed: int | Unset = UNSET
    total: int | Unset = UNSET
    credits_used: int | Unset = UNSET
    expires_at: datetime.datetime | Unset = UNSET
    next_: None | str | Unset = UNSET
    data: list[JobDocument] | Unset = UNSET
    warning: None | str | Unset = UNSET
    error: None | str | Unset = UNSET
    created_at: datetime.datetime | Unset = UNSET
    completed_at: datetime.datetime | Unset = UNSET
    duration: float | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        success = self.success

        status: str
        if isinstance(self.status, KnownJobStatus):
            status = self.status.value
        else:
            status = self.status

        completed = self.completed

        total = self.total

        credits_used = self.credits_used

        expires_at: str | Unset = UNSET
        if not isinstance(self.expires_at, Unset):
            expires_at = self.expires_at.isoformat()

        next_: None | str | Unset
        if isinstance(self.next_, Unset):
            next_ = UNSET
        else:
            next_ = self.next_

        data: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.data, Unset):
            data = []
            for data_item_data in self.data:
                data_item = data_item_data.to_dict()
                data.append(data_item)

        warning: None | str | Unset
        if isinstance(self.warning, Unset):
            warning = UNSET
        else:
            warning = self.warning

        error: None | str | Unset
        if isinstance(self.error, Unset):
            error = UNSET
        else:
            error = self.error

        created_at: str | Unset = UNSET
        if not isinstance(self.created_at, Unset):
            created_at = self.created_at.isoformat()

        completed_at: str | Unset = UNSET
        if not isinstance(self.completed_at, Unset):
            completed_at = self.completed_at.isoformat()

        duration = self.duration

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "success": success,
                "status": status,
            }
        )
        if completed is not UNSET:
            field_dict["completed"] = completed
        if total is not UNSET:
            field_dict["total"] = total
        if credits_used is not UNSET:
            field_dict["creditsUsed"] = credits_used
        if expires_at is not UNSET:
            field_dict["expiresAt"] = expires_at
        if next_ is not UNSET:
            field_dict["next"] = next_
        if data is not UNSET:
            field_dict["data"] = data
        if warning is not UNSET:
            field_dict["warning"] = warning
        if error is not UNSET:
            field_dict["error"] = error
        if created_at is not UNSET:
            field_dict["createdAt"] = created_at
        if completed_at is not UNSET:
            field_dict["completedAt"] = completed_at
        if duration is not UNSET:
            field_dict["duration"] = duration

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        success = d.pop("success")

        def _parse_status(data: object) -> KnownJobStatus | str:
            if isinstance(data, str):
                try:
                    componentsschemas_job_status_type_0 = KnownJobStatus(data)

                    return componentsschemas_job_status_type_0
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
            return cast("KnownJobStatus | str", data)

        status = _parse_status(d.pop("status"))

        completed = d.pop("completed", UNSET)

        total = d.pop("total", UNSET)

        credits_used = d.pop("creditsUsed", UNSET)

        _expires_at = d.pop("expiresAt", UNSET)
        expires_at: datetime.datetime | Unset
        if isinstance(_expires_at, Unset):
            expires_at = UNSET
        else:
            expires_at = datetime.datetime.fromisoformat(_expires_at)

        next_ = cast("None | str | Unset", d.pop("next", UNSET))

        _data = d.pop("data", UNSET)
        data: list[JobDocument] | Unset = UNSET
        if _data is not UNSET:
            data = []
            for data_item_data in _data:
                data_item = JobDocument.from_dict(data_item_data)

                data.append(data_item)

        warning = cast("None | str | Unset", d.pop("warning", UNSET))

        error = cast("None | str | Unset", d.pop("error", UNSET))

        _created_at = d.pop("createdAt", UNSET)
        created_at: datetime.datetime | Unset
        if isinstance(_created_at, Unset):
            created_at = UNSET
        else:
            created_at = datetime.datetime.fromisoformat(_created_at)

        _completed_at = d.pop("completedAt", UNSET)
        completed_at: datetime.datetime | Unset
        if isinstance(_completed_at, Unset):
            completed_at = UNSET
        else:
            completed_at = datetime.datetime.fromisoformat(_completed_at)

        duration = d.pop("duration", UNSET)

        job_status_response = cls(
            success=success,
            status=status,
            completed=completed,
            total=total,
            credits_used=credits_used,
            expires_at=expires_at,
            next_=next_,
            data=data,
            warning=warning,
            error=error,
            created_at=created_at,
            completed_at=completed_at,
            duration=duration,
        )

        job_status_response.additional_properties = d
        return job_status_response

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
from ..models.job_document import JobDocument
