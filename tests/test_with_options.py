"""``client.with_options(...)``: a client with another timeout, retry count or more default
headers, sending through the connections of the client it copies."""

from __future__ import annotations

import asyncio
import gc
import os
import sys
from collections.abc import Iterator
from typing import Any

import feathery_api._runtime as runtime
import httpx
import pytest
from feathery_api import AsyncFeathery, Feathery, InternalServerError

from tests.apiserver import APIServer, Reply
from tests.forking import in_forked_child

API_KEY = "sk_live_COPIES-0b7e3c1d9a2f4e65"
FORMS = "/api/form/"
FORM_LIST = [{"id": "f1", "name": "Onboarding", "active": True}]


def test_a_copy_sends_its_own_defaults_through_the_same_connection(server: APIServer) -> None:
    server.route("GET", FORMS, json=FORM_LIST)
    with Feathery(api_key=API_KEY, base_url=server.url, default_headers={"X-Team": "a"}) as client:
        client.forms.list()
        copy = client.with_options(timeout=5, max_retries=0, default_headers={"X-Tenant": "t2", "x-team": "b"})
        assert [form.id for form in copy.forms.list()] == ["f1"]
        client.forms.list()
        assert copy.forms is not client.forms  # the copy's resources call the copy
        assert (copy.timeout, copy.max_retries, client.timeout, client.max_retries) == (5, 0, runtime.DEFAULT_TIMEOUT, 2)
        assert copy._http is client._http
    first, copied, again = server.requests
    assert copied.header_values("X-Tenant") == ["t2"] and copied.header_values("X-Team") == ["b"]
    assert copied.header("Authorization") == f"Token {API_KEY}"
    assert again.header("X-Tenant") is None and again.header_values("X-Team") == ["a"]
    assert first.peer_port == copied.peer_port == again.peer_port  # one pool, one connection
    assert API_KEY not in repr(copy)


def test_a_copys_retry_count_is_its_own(server: APIServer, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(runtime, "INITIAL_RETRY_DELAY", 0.01)
    server.route("GET", FORMS, status=500, json={"detail": "down"})
    with Feathery(api_key=API_KEY, base_url=server.url, max_retries=3) as client:
        with pytest.raises(InternalServerError):
            client.with_options(max_retries=0).forms.list()
        assert len(server.requests) == 1
        with pytest.raises(InternalServerError):
            client.with_options(max_retries=1).forms.list()
        assert len(server.requests) == 3


def test_closing_a_copy_leaves_the_connections_to_the_client_that_opened_them(server: APIServer) -> None:
    server.route("GET", FORMS, json=FORM_LIST)
    client = Feathery(api_key=API_KEY, base_url=server.url)
    with client.with_options(timeout=3) as copy:
        copy.forms.list()
    client.forms.list()  # still open
    client.close()
    with pytest.raises(RuntimeError, match="client has been closed"):
        copy.forms.list()
    assert len(server.requests) == 2


def test_a_copy_of_a_client_with_a_shared_httpx_client_sends_the_credential_itself(server: APIServer) -> None:
    server.route("GET", FORMS, json=FORM_LIST)
    with httpx.Client() as shared:
        client = Feathery(api_key=API_KEY, base_url=server.url, http_client=shared)
        copy = client.with_options(default_headers={"X-Tenant": "t2"})
        copy.forms.list()
        copy.close()
        assert not shared.is_closed  # the caller's, as for the client it copies
    (request,) = server.requests
    assert request.header("Authorization") == f"Token {API_KEY}" and request.header("X-Tenant") == "t2"


@pytest.mark.parametrize(
    ("options", "error", "message"),
    [
        ({"timeout": 0}, ValueError, "timeout"),
        ({"max_retries": "3"}, TypeError, "max_retries must be an int"),
        ({"default_headers": {"X-Tenant": "a\nb"}}, ValueError, "default_headers"),
    ],
)
def test_a_bad_option_fails_when_the_copy_is_made(options: dict[str, Any], error: type[Exception], message: str) -> None:
    client = Feathery(api_key=API_KEY, base_url="http://127.0.0.1:9")
    with pytest.raises(error, match=message):
        client.with_options(**options)
    client.close()


@pytest.mark.skipif(not hasattr(os, "fork"), reason="no os.fork() here")
def test_a_copy_follows_its_client_to_new_connections_in_a_forked_child(server: APIServer) -> None:
    server.route("GET", FORMS, json=FORM_LIST)
    client = Feathery(api_key=API_KEY, base_url=server.url, max_retries=0)
    copy = client.with_options(timeout=5)
    copy.forms.list()  # the parent's connection, now in the pool
    try:
        assert in_forked_child(lambda: [form.id for form in copy.forms.list()]) == ["f1"]
        first, in_child = (request.peer_port for request in server.requests)
        assert in_child != first  # the copy sent through the child's new pool, not the parent's
    finally:
        client.close()


@pytest.fixture
def left_open(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[Any]]:
    """Each asyncio.run() below leaves its loop's connections open (the pool is replaced on
    the next loop, not closed), which asyncio says when they are collected: kept aside here."""
    complaints: list[Any] = []
    monkeypatch.setattr(sys, "unraisablehook", complaints.append)
    yield complaints
    gc.collect()


@pytest.mark.usefixtures("left_open")
def test_an_async_copy_follows_its_client_from_one_event_loop_to_the_next(server: APIServer) -> None:
    server.route("GET", FORMS, json=FORM_LIST)
    client = AsyncFeathery(api_key=API_KEY, base_url=server.url, max_retries=0)
    copy = client.with_options(default_headers={"X-Tenant": "t2"})

    async def forms(which: AsyncFeathery) -> list[str]:
        return [form.id for form in await which.forms.list()]

    # The copy is first on each new loop: it has its client replace the pool for both.
    assert [asyncio.run(forms(copy)) for _ in range(2)] == [["f1"]] * 2
    assert asyncio.run(forms(client)) == ["f1"]
    assert copy._http is client._http
    assert [request.header("X-Tenant") for request in server.requests] == ["t2", "t2", None]

    async def both() -> None:
        await forms(copy)
        await client.close()
        with pytest.raises(RuntimeError, match="client has been closed"):
            await forms(copy)

    asyncio.run(both())


def test_retries_of_a_copy_are_sent_again_with_its_headers(server: APIServer, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(runtime, "INITIAL_RETRY_DELAY", 0.01)
    server.queue("GET", FORMS, Reply(503, json={"detail": "busy"}))
    server.route("GET", FORMS, json=FORM_LIST)
    with Feathery(api_key=API_KEY, base_url=server.url) as client:
        client.with_options(default_headers={"X-Tenant": "t2"}).forms.list()
    assert [request.header("X-Tenant") for request in server.requests] == ["t2", "t2"]
