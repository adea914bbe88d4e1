"""with_raw_response: status, headers and raw body next to the parsed result, sync and async."""

from __future__ import annotations

import asyncio

import pytest
from feathery_api import APIResponse, AsyncFeathery, Feathery, FormSchema, NotFoundError

from tests.apiserver import APIServer

SCHEMA = {"form_id": "abc", "form_name": "Signup", "steps": [], "rules": []}


def test_raw_response_exposes_status_headers_and_parse(server: APIServer) -> None:
    server.route("GET", "/api/form/abc/", json=SCHEMA, headers={"X-Request-Id": "r-1"})
    with Feathery(api_key="key", base_url=server.url) as client:
        raw = client.forms.with_raw_response.retrieve("abc")
    assert isinstance(raw, APIResponse)
    assert raw.status_code == 200
    assert raw.headers["x-request-id"] == "r-1"
    assert raw.json() == SCHEMA
    parsed = raw.parse()
    assert isinstance(parsed, FormSchema) and parsed.form_name == "Signup"
    assert raw.parse() is parsed


def test_raw_response_still_raises_for_error_statuses(server: APIServer) -> None:
    server.route("DELETE", "/api/user/u1/", status=404, json={"detail": "nope"})
    with Feathery(api_key="key", base_url=server.url) as client, pytest.raises(NotFoundError):
        client.users.with_raw_response.delete("u1")


def test_async_raw_response(server: APIServer) -> None:
    server.route("GET", "/api/form/abc/", json=SCHEMA)

    async def call() -> APIResponse[FormSchema]:
        async with AsyncFeathery(api_key="key", base_url=server.url) as client:
            return await client.forms.with_raw_response.retrieve("abc")

    raw = asyncio.run(call())
    assert raw.status_code == 200 and raw.parse().form_id == "abc"
    # A normal call after a raw one returns the parsed value again.
    with Feathery(api_key="key", base_url=server.url) as client:
        assert isinstance(client.forms.retrieve("abc"), FormSchema)
