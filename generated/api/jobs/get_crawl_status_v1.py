# GENERATED CODE, DO NOT EDIT. Made by openapi-python-client (version pinned in pyproject.toml)
# from openapi.yaml. To change it, edit the spec or scripts/codegen/ and run scripts/regenerate.
from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.api_error_body import ApiErrorBody
from ...models.job_status_response import JobStatusResponse
from ...models.rate_limit_error_body import RateLimitErrorBody
from ...types import UNSET, Response, Unset


def _get_kwargs(
    id: str,
    *,
    skip: int | Unset = UNSET,
    limit: int | Unset = UNSET,
    if_none_match: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(if_none_match, Unset):
        headers["If-None-Match"] = if_none_match

    params: dict[str, Any] = {}

    params["skip"] = skip

    params["limit"] = limit

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/crawl/{id}".format(
            id=quote(str(id), safe=""),
        ),
        "params": params,
    }

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Any | ApiErrorBody | JobStatusResponse | RateLimitErrorBody | str | None:
    if response.status_code == 200:
        response_200 = JobStatusResponse.from_dict(response.json())

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

    if response.status_code == 404:
        response_404 = ApiErrorBody.from_dict(response.json())

        return response_404

    if response.status_code == 429:
        response_429 = RateLimitErrorBody.from_dict(response.json())

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
) -> Response[Any | ApiErrorBody | JobStatusResponse | RateLimitErrorBody | str]:
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
    skip: int | Unset = UNSET,
    limit: int | Unset = UNSET,
    if_none_match: str | Unset = UNSET,
) -> Response[Any | ApiErrorBody | JobStatusResponse | RateLimitErrorBody | str]:
    """Read the status and one page of documents of a crawl job.

     One page of finished documents from offset `skip`, at most `limit` and at most 10 MiB of JSON, with
    `next` pointing at the following page (see `JobStatusResponse` for every quirk of `next`). Crawl and
    batch scrape share one server handler. The v1 twin of `/v2/crawl/{id}`: same handler and shapes;
    `next` carries `/v1/`.

    Args:
        id (str):
        skip (int | Unset):
        limit (int | Unset):
        if_none_match (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | ApiErrorBody | JobStatusResponse | RateLimitErrorBody | str]
    """

    kwargs = _get_kwargs(
        id=id,
        skip=skip,
        limit=limit,
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
    skip: int | Unset = UNSET,
    limit: int | Unset = UNSET,
    if_none_match: str | Unset = UNSET,
) -> Any | ApiErrorBody | JobStatusResponse | RateLimitErrorBody | str | None:
    """Read the status and one page of documents of a crawl job.

     One page of finished documents from offset `skip`, at most `limit` and at most 10 MiB of JSON, with
    `next` pointing at the following page (see `JobStatusResponse` for every quirk of `next`). Crawl and
    batch scrape share one server handler. The v1 twin of `/v2/crawl/{id}`: same handler and shapes;
    `next` carries `/v1/`.

    Args:
        id (str):
        skip (int | Unset):
        limit (int | Unset):
        if_none_match (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | ApiErrorBody | JobStatusResponse | RateLimitErrorBody | str
    """

    return sync_detailed(
        id=id,
        client=client,
        skip=skip,
        limit=limit,
        if_none_match=if_none_match,
    ).parsed


async def asyncio_detailed(
    id: str,
    *,
    client: AuthenticatedClient | Client,
    skip: int | Unset = UNSET,
    limit: int | Unset = UNSET,
    if_none_match: str | Unset = UNSET,
) -> Response[Any | ApiErrorBody | JobStatusResponse | RateLimitErrorBody | str]:
    """Read the status and one page of documents of a crawl job.

     One page of finished documents from offset `skip`, at most `limit` and at most 10 MiB of JSON, with
    `next` pointing at the following page (see `JobStatusResponse` for every quirk of `next`). Crawl and
    batch scrape share one server handler. The v1 twin of `/v2/crawl/{id}`: same handler and shapes;
    `next` carries `/v1/`.

    Args:
        id (str):
        skip (int | Unset):
        limit (int | Unset):
        if_none_match (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | ApiErrorBody | JobStatusResponse | RateLimitErrorBody | str]
    """

    kwargs = _get_kwargs(
        id=id,
        skip=skip,
        limit=limit,
        if_none_match=if_none_match,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    id: str,
    *,
    client: AuthenticatedClient | Client,
    skip: int | Unset = UNSET,
    limit: int | Unset = UNSET,
    if_none_match: str | Unset = UNSET,
) -> Any | ApiErrorBody | JobStatusResponse | RateLimitErrorBody | str | None:
    """Read the status and one page of documents of a crawl job.

     One page of finished documents from offset `skip`, at most `limit` and at most 10 MiB of JSON, with
    `next` pointing at the following page (see `JobStatusResponse` for every quirk of `next`). Crawl and
    batch scrape share one server handler. The v1 twin of `/v2/crawl/{id}`: same handler and shapes;
    `next` carries `/v1/`.

    Args:
        id (str):
        skip (int | Unset):
        limit (int | Unset):
        if_none_match (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | ApiErrorBody | JobStatusResponse | RateLimitErrorBody | str
    """

    return (
        await asyncio_detailed(
            id=id,
            client=client,
            skip=skip,
            limit=limit,
            if_none_match=if_none_match,
        )
    ).parsed
