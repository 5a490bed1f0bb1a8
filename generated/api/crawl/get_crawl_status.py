# GENERATED CODE, DO NOT EDIT. Made by openapi-python-client (version pinned in pyproject.toml)
# from openapi.yaml. To change it, edit the spec or scripts/codegen/ and run scripts/regenerate.
from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.api_error_body import ApiErrorBody
from ...models.crawl_error_body import CrawlErrorBody
from ...models.crawl_status_response import CrawlStatusResponse
from ...types import UNSET, Response, Unset


def _get_kwargs(
    job_id: str,
    *,
    if_none_match: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(if_none_match, Unset):
        headers["If-None-Match"] = if_none_match

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v0/crawl/status/{job_id}".format(
            job_id=quote(str(job_id), safe=""),
        ),
    }

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Any | ApiErrorBody | CrawlErrorBody | CrawlStatusResponse | str | None:
    if response.status_code == 200:
        response_200 = CrawlStatusResponse.from_dict(response.json())

        return response_200

    if response.status_code == 304:
        response_304 = cast("Any", None)
        return response_304

    if response.status_code == 400:
        response_400 = CrawlErrorBody.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = CrawlErrorBody.from_dict(response.json())

        return response_401

    if response.status_code == 402:
        response_402 = CrawlErrorBody.from_dict(response.json())

        return response_402

    if response.status_code == 403:
        response_403 = CrawlErrorBody.from_dict(response.json())

        return response_403

    if response.status_code == 404:
        response_404 = CrawlErrorBody.from_dict(response.json())

        return response_404

    if response.status_code == 429:
        response_429 = CrawlErrorBody.from_dict(response.json())

        return response_429

    if response.status_code == 500:

        def _parse_response_500(data: object) -> ApiErrorBody | CrawlErrorBody:
            if isinstance(data, dict):
                try:
                    response_500_type_0 = ApiErrorBody.from_dict(data)

                    return response_500_type_0
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
            if not isinstance(data, dict):
                raise TypeError()
            response_500_type_1 = CrawlErrorBody.from_dict(data)

            return response_500_type_1

        response_500 = _parse_response_500(response.json())

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
) -> Response[Any | ApiErrorBody | CrawlErrorBody | CrawlStatusResponse | str]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    job_id: str,
    *,
    client: AuthenticatedClient | Client,
    if_none_match: str | Unset = UNSET,
) -> Response[Any | ApiErrorBody | CrawlErrorBody | CrawlStatusResponse | str]:
    """Read the status and results of a crawl job.

     **Deprecated since May 2026; successor `GET /v2/crawl/{id}`** (the notice names it as
    `/v2/crawl/:jobId`). Every answer of this route, errors and 304s included, carries the
    notice headers (the server sets them before it compares tags), and every JSON body ends
    with `warnings` and `replacement`.

    Documented: `{status, current, total, data, partial_data}`; `data` null while running;
    `partial_data` at most 50 documents, emptied on completion; results may expire after
    24 hours.

    Real behaviour depends on the server generation (docs/server-facts.md):

    * early servers (2024-04 to 2024-08) send the queue's raw job state as `status`, a
      sliding window of the 50 most recent pages in `partial_data` (each with a 1-based
      `index`), and `current_url`/`current_step`; `partial_data` is absent until the first
      page finishes;
    * current servers send only `completed`, `active` or `failed` (a cancelled crawl reports
      `failed` and may still grow), and `partial_data` holds every page finished so far,
      sorted by enqueue time, without `index`, re-sent in full on every poll.

    The record lives 24 h; since 2025-03 every read re-arms it. Past expiry the answer is
    404 `Job not found`, or, when only a secondary record expired, a silent
    `completed` with `current: 0, total: 0, data: []`.

    Args:
        job_id (str):
        if_none_match (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | ApiErrorBody | CrawlErrorBody | CrawlErrorBody | CrawlStatusResponse | str]
    """

    kwargs = _get_kwargs(
        job_id=job_id,
        if_none_match=if_none_match,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    job_id: str,
    *,
    client: AuthenticatedClient | Client,
    if_none_match: str | Unset = UNSET,
) -> Any | ApiErrorBody | CrawlErrorBody | CrawlStatusResponse | str | None:
    """Read the status and results of a crawl job.

     **Deprecated since May 2026; successor `GET /v2/crawl/{id}`** (the notice names it as
    `/v2/crawl/:jobId`). Every answer of this route, errors and 304s included, carries the
    notice headers (the server sets them before it compares tags), and every JSON body ends
    with `warnings` and `replacement`.

    Documented: `{status, current, total, data, partial_data}`; `data` null while running;
    `partial_data` at most 50 documents, emptied on completion; results may expire after
    24 hours.

    Real behaviour depends on the server generation (docs/server-facts.md):

    * early servers (2024-04 to 2024-08) send the queue's raw job state as `status`, a
      sliding window of the 50 most recent pages in `partial_data` (each with a 1-based
      `index`), and `current_url`/`current_step`; `partial_data` is absent until the first
      page finishes;
    * current servers send only `completed`, `active` or `failed` (a cancelled crawl reports
      `failed` and may still grow), and `partial_data` holds every page finished so far,
      sorted by enqueue time, without `index`, re-sent in full on every poll.

    The record lives 24 h; since 2025-03 every read re-arms it. Past expiry the answer is
    404 `Job not found`, or, when only a secondary record expired, a silent
    `completed` with `current: 0, total: 0, data: []`.

    Args:
        job_id (str):
        if_none_match (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | ApiErrorBody | CrawlErrorBody | CrawlErrorBody | CrawlStatusResponse | str
    """

    return sync_detailed(
        job_id=job_id,
        client=client,
        if_none_match=if_none_match,
    ).parsed


async def asyncio_detailed(
    job_id: str,
    *,
    client: AuthenticatedClient | Client,
    if_none_match: str | Unset = UNSET,
) -> Response[Any | ApiErrorBody | CrawlErrorBody | CrawlStatusResponse | str]:
    """Read the status and results of a crawl job.

     **Deprecated since May 2026; successor `GET /v2/crawl/{id}`** (the notice names it as
    `/v2/crawl/:jobId`). Every answer of this route, errors and 304s included, carries the
    notice headers (the server sets them before it compares tags), and every JSON body ends
    with `warnings` and `replacement`.

    Documented: `{status, current, total, data, partial_data}`; `data` null while running;
    `partial_data` at most 50 documents, emptied on completion; results may expire after
    24 hours.

    Real behaviour depends on the server generation (docs/server-facts.md):

    * early servers (2024-04 to 2024-08) send the queue's raw job state as `status`, a
      sliding window of the 50 most recent pages in `partial_data` (each with a 1-based
      `index`), and `current_url`/`current_step`; `partial_data` is absent until the first
      page finishes;
    * current servers send only `completed`, `active` or `failed` (a cancelled crawl reports
      `failed` and may still grow), and `partial_data` holds every page finished so far,
      sorted by enqueue time, without `index`, re-sent in full on every poll.

    The record lives 24 h; since 2025-03 every read re-arms it. Past expiry the answer is
    404 `Job not found`, or, when only a secondary record expired, a silent
    `completed` with `current: 0, total: 0, data: []`.

    Args:
        job_id (str):
        if_none_match (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | ApiErrorBody | CrawlErrorBody | CrawlErrorBody | CrawlStatusResponse | str]
    """

    kwargs = _get_kwargs(
        job_id=job_id,
        if_none_match=if_none_match,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    job_id: str,
    *,
    client: AuthenticatedClient | Client,
    if_none_match: str | Unset = UNSET,
) -> Any | ApiErrorBody | CrawlErrorBody | CrawlStatusResponse | str | None:
    """Read the status and results of a crawl job.

     **Deprecated since May 2026; successor `GET /v2/crawl/{id}`** (the notice names it as
    `/v2/crawl/:jobId`). Every answer of this route, errors and 304s included, carries the
    notice headers (the server sets them before it compares tags), and every JSON body ends
    with `warnings` and `replacement`.

    Documented: `{status, current, total, data, partial_data}`; `data` null while running;
    `partial_data` at most 50 documents, emptied on completion; results may expire after
    24 hours.

    Real behaviour depends on the server generation (docs/server-facts.md):

    * early servers (2024-04 to 2024-08) send the queue's raw job state as `status`, a
      sliding window of the 50 most recent pages in `partial_data` (each with a 1-based
      `index`), and `current_url`/`current_step`; `partial_data` is absent until the first
      page finishes;
    * current servers send only `completed`, `active` or `failed` (a cancelled crawl reports
      `failed` and may still grow), and `partial_data` holds every page finished so far,
      sorted by enqueue time, without `index`, re-sent in full on every poll.

    The record lives 24 h; since 2025-03 every read re-arms it. Past expiry the answer is
    404 `Job not found`, or, when only a secondary record expired, a silent
    `completed` with `current: 0, total: 0, data: []`.

    Args:
        job_id (str):
        if_none_match (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | ApiErrorBody | CrawlErrorBody | CrawlErrorBody | CrawlStatusResponse | str
    """

    return (
        await asyncio_detailed(
            job_id=job_id,
            client=client,
            if_none_match=if_none_match,
        )
    ).parsed
