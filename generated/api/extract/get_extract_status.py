# GENERATED CODE, DO NOT EDIT. Made by openapi-python-client (version pinned in pyproject.toml)
# from openapi.yaml. To change it, edit the spec or scripts/codegen/ and run scripts/regenerate.
from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.api_error_body import ApiErrorBody
from ...models.extract_not_found_body import ExtractNotFoundBody
from ...models.extract_status_response import ExtractStatusResponse
from ...types import UNSET, Response, Unset


def _get_kwargs(
    id: str,
    *,
    if_none_match: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(if_none_match, Unset):
        headers["If-None-Match"] = if_none_match

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/extract/{id}".format(
            id=quote(str(id), safe=""),
        ),
    }

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Any | ApiErrorBody | ExtractNotFoundBody | ExtractStatusResponse | str | None:
    if response.status_code == 200:
        response_200 = ExtractStatusResponse.from_dict(response.json())

        return response_200

    if response.status_code == 304:
        response_304 = cast("Any", None)
        return response_304

    if response.status_code == 400:
        response_400 = ApiErrorBody.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = ApiErrorBody.from_dict(response.json())

        return response_401

    if response.status_code == 403:
        response_403 = ApiErrorBody.from_dict(response.json())

        return response_403

    if response.status_code == 404:
        response_404 = ExtractNotFoundBody.from_dict(response.json())

        return response_404

    if response.status_code == 429:
        response_429 = ApiErrorBody.from_dict(response.json())

        return response_429

    if response.status_code == 500:
        response_500 = ApiErrorBody.from_dict(response.json())

        return response_500

    if response.status_code == 502:
        response_502 = response.text
        return response_502

    if response.status_code == 503:
        response_503 = response.text
        return response_503

    if response.status_code == 504:
        response_504 = response.text
        return response_504

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[Any | ApiErrorBody | ExtractNotFoundBody | ExtractStatusResponse | str]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    id: str,
    *,
    client: AuthenticatedClient | Client,
    if_none_match: str | Unset = UNSET,
) -> Response[Any | ApiErrorBody | ExtractNotFoundBody | ExtractStatusResponse | str]:
    """Read the status and result of an extract job.

     **Deprecated since May 2026; successor `POST /v2/scrape`** (with a `json` format; the
    notice names it as `/v2/scrape`). The 200, its 304 and the 404 carry the notice
    headers, and the JSON bodies end with `warnings` and `replacement`; the 401 and 429,
    which authentication answers before the route runs, do not.

    Documented: `{success, data, status, expiresAt}` with status `completed`, `processing`,
    `failed` or `cancelled`.

    Real behaviour (docs/server-facts.md): `success` is `false` with HTTP 200 when the job failed, and
    `error` carries the reason (any JSON value, sometimes a 9 KB object); `data` is `[]`
    while processing and when failed; status can flip from `completed` back to `processing`
    for a moment. `expiresAt` is now + the record's remaining TTL (6 h, re-armed on every
    update). After the record is gone the server may answer 200 from a fallback with
    `expiresAt` about equal to the request time; a job that had failed then reads as
    `processing` with `success: true` for up to a day, then 404. The server writes a job's
    record in two steps (the record, then its expiry): a read between them answers
    `processing` with `expiresAt` equal to the current second for a job that is alive. One
    such answer proves nothing; a later read tells a lost job from a live one.

    Args:
        id (str):
        if_none_match (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | ApiErrorBody | ExtractNotFoundBody | ExtractStatusResponse | str]
    """

    kwargs = _get_kwargs(
        id=id,
        if_none_match=if_none_match,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    id: str,
    *,
    client: AuthenticatedClient | Client,
    if_none_match: str | Unset = UNSET,
) -> Any | ApiErrorBody | ExtractNotFoundBody | ExtractStatusResponse | str | None:
    """Read the status and result of an extract job.

     **Deprecated since May 2026; successor `POST /v2/scrape`** (with a `json` format; the
    notice names it as `/v2/scrape`). The 200, its 304 and the 404 carry the notice
    headers, and the JSON bodies end with `warnings` and `replacement`; the 401 and 429,
    which authentication answers before the route runs, do not.

    Documented: `{success, data, status, expiresAt}` with status `completed`, `processing`,
    `failed` or `cancelled`.

    Real behaviour (docs/server-facts.md): `success` is `false` with HTTP 200 when the job failed, and
    `error` carries the reason (any JSON value, sometimes a 9 KB object); `data` is `[]`
    while processing and when failed; status can flip from `completed` back to `processing`
    for a moment. `expiresAt` is now + the record's remaining TTL (6 h, re-armed on every
    update). After the record is gone the server may answer 200 from a fallback with
    `expiresAt` about equal to the request time; a job that had failed then reads as
    `processing` with `success: true` for up to a day, then 404. The server writes a job's
    record in two steps (the record, then its expiry): a read between them answers
    `processing` with `expiresAt` equal to the current second for a job that is alive. One
    such answer proves nothing; a later read tells a lost job from a live one.

    Args:
        id (str):
        if_none_match (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | ApiErrorBody | ExtractNotFoundBody | ExtractStatusResponse | str
    """

    return sync_detailed(
        id=id,
        client=client,
        if_none_match=if_none_match,
    ).parsed


async def asyncio_detailed(
    id: str,
    *,
    client: AuthenticatedClient | Client,
    if_none_match: str | Unset = UNSET,
) -> Response[Any | ApiErrorBody | ExtractNotFoundBody | ExtractStatusResponse | str]:
    """Read the status and result of an extract job.

     **Deprecated since May 2026; successor `POST /v2/scrape`** (with a `json` format; the
    notice names it as `/v2/scrape`). The 200, its 304 and the 404 carry the notice
    headers, and the JSON bodies end with `warnings` and `replacement`; the 401 and 429,
    which authentication answers before the route runs, do not.

    Documented: `{success, data, status, expiresAt}` with status `completed`, `processing`,
    `failed` or `cancelled`.

    Real behaviour (docs/server-facts.md): `success` is `false` with HTTP 200 when the job failed, and
    `error` carries the reason (any JSON value, sometimes a 9 KB object); `data` is `[]`
    while processing and when failed; status can flip from `completed` back to `processing`
    for a moment. `expiresAt` is now + the record's remaining TTL (6 h, re-armed on every
    update). After the record is gone the server may answer 200 from a fallback with
    `expiresAt` about equal to the request time; a job that had failed then reads as
    `processing` with `success: true` for up to a day, then 404. The server writes a job's
    record in two steps (the record, then its expiry): a read between them answers
    `processing` with `expiresAt` equal to the current second for a job that is alive. One
    such answer proves nothing; a later read tells a lost job from a live one.

    Args:
        id (str):
        if_none_match (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | ApiErrorBody | ExtractNotFoundBody | ExtractStatusResponse | str]
    """

    kwargs = _get_kwargs(
        id=id,
        if_none_match=if_none_match,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    id: str,
    *,
    client: AuthenticatedClient | Client,
    if_none_match: str | Unset = UNSET,
) -> Any | ApiErrorBody | ExtractNotFoundBody | ExtractStatusResponse | str | None:
    """Read the status and result of an extract job.

     **Deprecated since May 2026; successor `POST /v2/scrape`** (with a `json` format; the
    notice names it as `/v2/scrape`). The 200, its 304 and the 404 carry the notice
    headers, and the JSON bodies end with `warnings` and `replacement`; the 401 and 429,
    which authentication answers before the route runs, do not.

    Documented: `{success, data, status, expiresAt}` with status `completed`, `processing`,
    `failed` or `cancelled`.

    Real behaviour (docs/server-facts.md): `success` is `false` with HTTP 200 when the job failed, and
    `error` carries the reason (any JSON value, sometimes a 9 KB object); `data` is `[]`
    while processing and when failed; status can flip from `completed` back to `processing`
    for a moment. `expiresAt` is now + the record's remaining TTL (6 h, re-armed on every
    update). After the record is gone the server may answer 200 from a fallback with
    `expiresAt` about equal to the request time; a job that had failed then reads as
    `processing` with `success: true` for up to a day, then 404. The server writes a job's
    record in two steps (the record, then its expiry): a read between them answers
    `processing` with `expiresAt` equal to the current second for a job that is alive. One
    such answer proves nothing; a later read tells a lost job from a live one.

    Args:
        id (str):
        if_none_match (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | ApiErrorBody | ExtractNotFoundBody | ExtractStatusResponse | str
    """

    return (
        await asyncio_detailed(
            id=id,
            client=client,
            if_none_match=if_none_match,
        )
    ).parsed
