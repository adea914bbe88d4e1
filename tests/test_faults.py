"""Fault injection against a generated client (Feathery), end to end over real sockets.

Every fault is exercised with the sync client and the async client (``asyncio.run``).
Each test checks what the caller gets (result or exception type), how many requests
the server saw, and that the call took a bounded time. Upper bounds are generous (slow,
noisy machines); lower bounds are never tighter than a wait the runtime was told to do.

The API key must never leak: every exception raised here is checked for it (see
``call``), and one test checks the client's repr and the debug log.
"""

from __future__ import annotations

import asyncio
import copy
import email.utils
import gc
import importlib
import io
import json
import logging
import os
import pickle
import socket
import sys
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from typing import Any

import feathery_api._runtime as runtime
import httpx
import pytest
from feathery_api import (
    APIConnectionError,
    APIError,
    APIResponseValidationError,
    APIStatusError,
    APITimeoutError,
    AsyncFeathery,
    AuthenticationError,
    Feathery,
    InternalServerError,
    NotFoundError,
    RateLimitError,
    RequestOptions,
)

from tests.apiserver import APIServer, Reply
from tests.forking import in_forked_child

API_KEY = "sk_live_FAULTS-6c1f0e9a3b7d4e21"
FORMS = "/api/form/"
PDF = "/api/form/submission/pdf/"
FORM_LIST = [{"id": "f1", "name": "Onboarding", "active": True}]
PDF_BODY = {"pdf_url": "https://files.example/f1-u1.pdf"}

# Generous upper bound for calls whose retries wait only the (patched) backoff.
QUICK = 5.0


# Helpers ------------------------------------------------------------------------


@dataclass
class Outcome:
    """What one call did: its result or the exception it raised, and how long it took."""

    result: Any
    error: BaseException | None
    elapsed: float


Action = Callable[[Any], Any]
"""``lambda client: client.forms.list()``; the same lambda serves both clients."""


def call(mode: str, base_url: str, action: Action, **client_options: Any) -> Outcome:
    """Build a client of ``mode``, run ``action`` with it, and report what happened."""
    client_options.setdefault("timeout", 10.0)
    client_options.setdefault("max_retries", 2)
    started = time.monotonic()
    try:
        if mode == "sync":
            with Feathery(
                api_key=API_KEY, base_url=base_url, **client_options
            ) as client:
                result = action(client)
        else:

            async def main() -> Any:
                async with AsyncFeathery(
                    api_key=API_KEY, base_url=base_url, **client_options
                ) as client:
                    return await action(client)

            result = asyncio.run(main())
    except Exception as error:  # noqa: BLE001 - the tests assert the exact type
        elapsed = time.monotonic() - started
        # Whatever went wrong, the message must never carry the credential.
        assert API_KEY not in str(
            error
        ), f"API key leaked in str({type(error).__name__})"
        assert API_KEY not in repr(
            error
        ), f"API key leaked in repr({type(error).__name__})"
        return Outcome(None, error, elapsed)
    return Outcome(result, None, time.monotonic() - started)


def raised(outcome: Outcome, kind: type[BaseException]) -> Any:
    """The exception of ``outcome``, which must be exactly ``kind``."""
    assert (
        outcome.error is not None
    ), f"expected {kind.__name__}, got result {outcome.result!r}"
    assert (
        type(outcome.error) is kind
    ), f"expected {kind.__name__}, got {type(outcome.error).__name__}: {outcome.error}"
    return outcome.error


def succeeded(outcome: Outcome) -> Any:
    if outcome.error is not None:
        raise AssertionError(
            f"expected success, got {type(outcome.error).__name__}: {outcome.error}"
        ) from outcome.error
    return outcome.result


def list_forms(client: Any) -> Any:
    return client.forms.list()


def export_pdf(client: Any) -> Any:
    return client.submissions.export_pdf(form_id="f1", user_id="u1")


def closed_port_url() -> str:
    """An origin on 127.0.0.1 where nothing listens: connection refused."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}"


def count(server: APIServer, method: str, path: str) -> int:
    return sum(
        1
        for request in server.requests
        if (request.method, request.path) == (method, path)
    )


# Fixtures -----------------------------------------------------------------------


@pytest.fixture(params=["sync", "async"])
def mode(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture(autouse=True)
def fast_backoff(monkeypatch: pytest.MonkeyPatch) -> None:
    """Backoff of ~10 ms, so that retry tests are quick; Retry-After is untouched."""
    monkeypatch.setattr(runtime, "INITIAL_RETRY_DELAY", 0.01)


@pytest.fixture
def attempts(monkeypatch: pytest.MonkeyPatch) -> list[httpx.Request]:
    """Every request the client's transport was asked to send (even if nothing listens)."""
    seen: list[httpx.Request] = []
    sync_send = httpx.HTTPTransport.handle_request
    async_send = httpx.AsyncHTTPTransport.handle_async_request

    def handle_request(
        self: httpx.HTTPTransport, request: httpx.Request
    ) -> httpx.Response:
        seen.append(request)
        return sync_send(self, request)

    async def handle_async_request(
        self: httpx.AsyncHTTPTransport, request: httpx.Request
    ) -> httpx.Response:
        seen.append(request)
        return await async_send(self, request)

    monkeypatch.setattr(httpx.HTTPTransport, "handle_request", handle_request)
    monkeypatch.setattr(
        httpx.AsyncHTTPTransport, "handle_async_request", handle_async_request
    )
    return seen


@pytest.fixture
def other_server() -> Iterator[APIServer]:
    """A second origin (another port), for cross-origin redirects."""
    other = APIServer().start()
    try:
        yield other
    finally:
        other.stop()


# Connection failures -------------------------------------------------------------


def test_connection_refused_is_retried_then_raises(
    mode: str, attempts: list[httpx.Request]
) -> None:
    outcome = call(mode, closed_port_url(), list_forms, max_retries=2)

    error = raised(outcome, APIConnectionError)
    assert "GET /api/form/" in str(error)
    assert len(attempts) == 3  # max_retries + 1
    assert outcome.elapsed < QUICK


def test_connection_refused_on_post_is_retried_too(
    mode: str, attempts: list[httpx.Request]
) -> None:
    # Nothing was sent, so even a POST may be repeated safely.
    outcome = call(mode, closed_port_url(), export_pdf, max_retries=2)

    raised(outcome, APIConnectionError)
    assert len(attempts) == 3
    assert outcome.elapsed < QUICK


def test_reset_before_response_on_get_is_retried(mode: str, server: APIServer) -> None:
    server.queue("GET", FORMS, Reply(fault="reset"))
    server.route("GET", FORMS, json=FORM_LIST)

    outcome = call(mode, server.url, list_forms)

    forms = succeeded(outcome)
    assert [form.id for form in forms] == ["f1"]
    assert count(server, "GET", FORMS) == 2
    assert outcome.elapsed < QUICK


def test_reset_every_time_on_get_gives_up(mode: str, server: APIServer) -> None:
    server.route("GET", FORMS, fault="reset")

    outcome = call(mode, server.url, list_forms, max_retries=2)

    raised(outcome, APIConnectionError)
    assert count(server, "GET", FORMS) == 3
    assert outcome.elapsed < QUICK


def test_truncated_body_on_get_is_retried(mode: str, server: APIServer) -> None:
    server.queue("GET", FORMS, Reply(json=FORM_LIST, fault="truncate"))
    server.route("GET", FORMS, json=FORM_LIST)

    outcome = call(mode, server.url, list_forms)

    assert [form.id for form in succeeded(outcome)] == ["f1"]
    assert count(server, "GET", FORMS) == 2
    assert outcome.elapsed < QUICK


def test_reset_after_post_was_sent_is_not_retried(mode: str, server: APIServer) -> None:
    # The server may have acted on it: repeating it could do it twice.
    server.queue("POST", PDF, Reply(fault="reset"))
    server.route("POST", PDF, json=PDF_BODY)

    outcome = call(mode, server.url, export_pdf, max_retries=2)

    raised(outcome, APIConnectionError)
    assert count(server, "POST", PDF) == 1
    assert server.requests[0].json() == {"form_id": "f1", "user_id": "u1"}
    assert outcome.elapsed < QUICK


def test_truncated_body_on_post_is_not_retried(mode: str, server: APIServer) -> None:
    server.queue("POST", PDF, Reply(json=PDF_BODY, fault="truncate"))
    server.route("POST", PDF, json=PDF_BODY)

    outcome = call(mode, server.url, export_pdf, max_retries=2)

    raised(outcome, APIConnectionError)
    assert count(server, "POST", PDF) == 1
    assert outcome.elapsed < QUICK


# Timeouts ------------------------------------------------------------------------


def test_response_slower_than_timeout_raises_timeout(
    mode: str, server: APIServer
) -> None:
    server.route("GET", FORMS, json=FORM_LIST, delay=2.0)

    outcome = call(mode, server.url, list_forms, timeout=0.2, max_retries=0)

    error = raised(outcome, APITimeoutError)
    assert isinstance(error, APIConnectionError)
    assert count(server, "GET", FORMS) == 1
    assert outcome.elapsed < 1.5  # gave up well before the 2 s answer


def test_timeout_on_get_is_retried(mode: str, server: APIServer) -> None:
    server.queue("GET", FORMS, Reply(json=FORM_LIST, delay=2.0))
    server.route("GET", FORMS, json=FORM_LIST)

    outcome = call(mode, server.url, list_forms, timeout=0.3, max_retries=2)

    assert [form.id for form in succeeded(outcome)] == ["f1"]
    assert count(server, "GET", FORMS) == 2
    assert outcome.elapsed < QUICK


def test_timeout_on_post_is_not_retried(mode: str, server: APIServer) -> None:
    server.queue("POST", PDF, Reply(json=PDF_BODY, delay=2.0))
    server.route("POST", PDF, json=PDF_BODY)

    outcome = call(mode, server.url, export_pdf, timeout=0.2, max_retries=2)

    raised(outcome, APITimeoutError)
    assert count(server, "POST", PDF) == 1
    assert outcome.elapsed < 1.5


def test_per_call_timeout_overrides_the_client(mode: str, server: APIServer) -> None:
    server.route("GET", FORMS, json=FORM_LIST, delay=2.0)

    outcome = call(
        mode,
        server.url,
        lambda client: client.forms.list(
            options=RequestOptions(timeout=0.2, max_retries=0)
        ),
        timeout=30.0,
        max_retries=2,
    )

    raised(outcome, APITimeoutError)
    assert count(server, "GET", FORMS) == 1
    assert outcome.elapsed < 1.5


def test_a_shared_clients_own_timeout_holds_unless_one_is_given(server: APIServer) -> None:
    server.route("GET", FORMS, json=FORM_LIST, delay=1.0)

    with httpx.Client(timeout=0.2) as http_client:
        shared = Feathery(api_key=API_KEY, base_url=server.url, http_client=http_client, max_retries=0)
        started = time.monotonic()
        with pytest.raises(APITimeoutError):
            shared.forms.list()
        assert time.monotonic() - started < 0.9  # the shared client's 0.2 s, not our 60 s
        patient = Feathery(api_key=API_KEY, base_url=server.url, http_client=http_client, timeout=5.0)
        assert [form.id for form in patient.forms.list()] == ["f1"]
    # httpx's own 5 s default was chosen by nobody: the client's 60 s applies.
    with httpx.Client() as unconfigured:
        assert Feathery(api_key=API_KEY, http_client=unconfigured).timeout == runtime.DEFAULT_TIMEOUT


# Retryable statuses --------------------------------------------------------------


def test_503_then_200_succeeds(mode: str, server: APIServer) -> None:
    server.queue("GET", FORMS, Reply(503, json={"detail": "busy"}))
    server.route("GET", FORMS, json=FORM_LIST)

    outcome = call(mode, server.url, list_forms)

    assert [form.id for form in succeeded(outcome)] == ["f1"]
    assert count(server, "GET", FORMS) == 2
    assert outcome.elapsed < QUICK


@pytest.mark.parametrize("status", [408, 429, 500, 502, 503, 504])
def test_every_retryable_status_is_retried_on_get(
    mode: str, server: APIServer, status: int
) -> None:
    server.queue("GET", FORMS, Reply(status, json={"detail": "try again"}))
    server.route("GET", FORMS, json=FORM_LIST)

    outcome = call(mode, server.url, list_forms)

    assert [form.id for form in succeeded(outcome)] == ["f1"]
    assert count(server, "GET", FORMS) == 2
    assert outcome.elapsed < QUICK


def test_429_retry_after_is_honoured(mode: str, server: APIServer) -> None:
    server.queue(
        "GET",
        FORMS,
        Reply(429, json={"detail": "slow down"}, headers={"Retry-After": "1"}),
    )
    server.route("GET", FORMS, json=FORM_LIST)

    outcome = call(mode, server.url, list_forms)

    assert [form.id for form in succeeded(outcome)] == ["f1"]
    assert count(server, "GET", FORMS) == 2
    assert outcome.elapsed >= 0.9  # waited as told, not the (patched, ~10 ms) backoff
    assert outcome.elapsed < QUICK


@pytest.mark.skipif(not hasattr(time, "tzset"), reason="no time.tzset() here")
@pytest.mark.parametrize("zone", ["UTC", "America/New_York", "Asia/Tokyo"])
def test_a_retry_after_date_without_a_zone_is_gmt(zone: str, monkeypatch: pytest.MonkeyPatch) -> None:
    # "-0000" (email.utils.formatdate) and asctime dates carry no zone; they were read as
    # local time, so west of Greenwich the wait looked hours long, east of it already over.
    monkeypatch.setenv("TZ", zone)
    time.tzset()
    try:
        soon = time.time() + 30
        for written in (email.utils.formatdate(soon), time.asctime(time.gmtime(soon)), email.utils.formatdate(soon, usegmt=True)):
            wait = runtime.retry_after(httpx.Headers({"Retry-After": written}))
            assert wait is not None and 25 < wait <= 31, (written, wait)
    finally:
        monkeypatch.undo()
        time.tzset()


def test_429_with_a_long_retry_after_raises_at_once(
    mode: str, server: APIServer
) -> None:
    server.route(
        "GET",
        FORMS,
        status=429,
        json={"detail": "quota"},
        headers={"Retry-After": "3600"},
    )

    outcome = call(mode, server.url, list_forms, max_retries=2)

    error = raised(outcome, RateLimitError)
    assert error.status_code == 429
    assert error.headers["retry-after"] == "3600"
    assert count(server, "GET", FORMS) == 1
    assert outcome.elapsed < 2.0


@pytest.mark.parametrize(
    "value", ["Wed, 32 Oct 2015 07:28:00 GMT", "Wed, 21 Oct 2015 25:28:00 GMT", "soon"]
)
def test_a_retry_after_that_is_no_date_means_the_usual_backoff(
    mode: str, server: APIServer, value: str
) -> None:
    server.queue(
        "GET", FORMS, Reply(503, json={"detail": "busy"}, headers={"Retry-After": value})
    )
    server.route("GET", FORMS, json=FORM_LIST)

    outcome = call(mode, server.url, list_forms)

    assert [form.id for form in succeeded(outcome)] == ["f1"]
    assert count(server, "GET", FORMS) == 2
    assert outcome.elapsed < QUICK


def test_500_forever_raises_after_max_retries(mode: str, server: APIServer) -> None:
    server.route("GET", FORMS, status=500, json={"detail": "boom"})

    outcome = call(mode, server.url, list_forms, max_retries=2)

    error = raised(outcome, InternalServerError)
    assert error.status_code == 500
    assert error.body == {"detail": "boom"}
    assert count(server, "GET", FORMS) == 3
    assert outcome.elapsed < QUICK


def test_404_is_not_retried(mode: str, server: APIServer) -> None:
    server.route("GET", "/api/form/missing/", status=404, json={"detail": "Not found."})

    outcome = call(mode, server.url, lambda client: client.forms.retrieve("missing"))

    error = raised(outcome, NotFoundError)
    assert error.body == {"detail": "Not found."}
    assert count(server, "GET", "/api/form/missing/") == 1
    assert outcome.elapsed < QUICK


def test_post_503_then_200_is_retried(mode: str, server: APIServer) -> None:
    # 503 means the request was refused before it was processed: safe to repeat.
    server.queue("POST", PDF, Reply(503, json={"detail": "busy"}))
    server.route("POST", PDF, json=PDF_BODY)

    outcome = call(mode, server.url, export_pdf)

    assert succeeded(outcome).pdf_url == PDF_BODY["pdf_url"]
    assert count(server, "POST", PDF) == 2
    assert [request.json() for request in server.requests] == [
        {"form_id": "f1", "user_id": "u1"}
    ] * 2
    assert outcome.elapsed < QUICK


def test_post_429_then_200_is_retried(mode: str, server: APIServer) -> None:
    server.queue(
        "POST",
        PDF,
        Reply(429, json={"detail": "slow down"}, headers={"Retry-After": "0"}),
    )
    server.route("POST", PDF, json=PDF_BODY)

    outcome = call(mode, server.url, export_pdf)

    assert succeeded(outcome).pdf_url == PDF_BODY["pdf_url"]
    assert count(server, "POST", PDF) == 2
    assert outcome.elapsed < QUICK


@pytest.mark.parametrize("status", [408, 500, 502, 504])
def test_post_is_not_retried_after_it_may_have_been_processed(
    mode: str, server: APIServer, status: int
) -> None:
    server.queue("POST", PDF, Reply(status, json={"detail": "maybe done"}))
    server.route("POST", PDF, json=PDF_BODY)

    outcome = call(mode, server.url, export_pdf, max_retries=2)

    error = outcome.error
    assert isinstance(error, APIStatusError), outcome
    assert error.status_code == status
    assert count(server, "POST", PDF) == 1
    assert outcome.elapsed < QUICK


def test_patch_500_is_not_retried_but_503_is(mode: str, server: APIServer) -> None:
    path = "/api/form/f1/"
    server.queue("PATCH", path, Reply(500, json={"detail": "boom"}))
    server.route("PATCH", path, json={"enabled": True})

    first = call(
        mode, server.url, lambda client: client.forms.update("f1", enabled=True)
    )

    raised(first, InternalServerError)
    assert count(server, "PATCH", path) == 1

    server.queue("PATCH", path, Reply(503, json={"detail": "busy"}))
    second = call(
        mode, server.url, lambda client: client.forms.update("f1", enabled=True)
    )

    assert succeeded(second).enabled is True
    assert count(server, "PATCH", path) == 3
    assert first.elapsed < QUICK and second.elapsed < QUICK


def test_per_call_max_retries_overrides_the_client(
    mode: str, server: APIServer
) -> None:
    server.route("GET", FORMS, status=500, json={"detail": "boom"})

    none = call(
        mode,
        server.url,
        lambda client: client.forms.list(options=RequestOptions(max_retries=0)),
        max_retries=3,
    )
    raised(none, InternalServerError)
    assert count(server, "GET", FORMS) == 1

    more = call(
        mode,
        server.url,
        lambda client: client.forms.list(options=RequestOptions(max_retries=3)),
        max_retries=0,
    )
    raised(more, InternalServerError)
    assert count(server, "GET", FORMS) == 1 + 4
    assert none.elapsed < QUICK and more.elapsed < QUICK


# Bodies that are not what was promised -------------------------------------------


@pytest.mark.parametrize(
    "body",
    [b"this is not json", b'[{"id": "f1", "name": "Onboa'],
    ids=["invalid", "truncated"],
)
def test_invalid_json_with_200_raises_validation_error(
    mode: str, server: APIServer, body: bytes
) -> None:
    server.route("GET", FORMS, body=body, headers={"Content-Type": "application/json"})

    outcome = call(mode, server.url, list_forms)

    error = raised(outcome, APIResponseValidationError)
    assert error.status_code == 200
    assert error.body == body
    assert "JSON" in str(error)
    assert count(server, "GET", FORMS) == 1  # a bad body is not retried
    assert outcome.elapsed < QUICK


def test_json_after_a_byte_order_mark_is_parsed(mode: str, server: APIServer) -> None:
    body = b"\xef\xbb\xbf" + json.dumps(FORM_LIST).encode()  # as some .NET servers send it
    server.route("GET", FORMS, body=body, headers={"Content-Type": "application/json"})

    outcome = call(mode, server.url, list_forms)

    assert [form.id for form in succeeded(outcome)] == ["f1"]


def test_a_huge_error_message_is_shortened_in_str_but_kept_whole(server: APIServer) -> None:
    message = "Something went wrong. " * 10_000  # 220,000 characters: a log line must not be that
    server.route("GET", FORMS, status=404, json={"detail": message})

    error = raised(call("sync", server.url, list_forms), NotFoundError)

    assert error.message == message and error.body == {"detail": message}
    assert len(str(error)) < 1200
    assert str(error).endswith("... (219000 more characters)")


def test_html_502_page_raises_internal_server_error_with_the_html(
    mode: str, server: APIServer
) -> None:
    page = "<html><head><title>502 Bad Gateway</title></head><body><h1>Bad Gateway</h1></body></html>"
    server.route(
        "GET",
        FORMS,
        status=502,
        body=page.encode(),
        headers={"Content-Type": "text/html"},
    )

    outcome = call(mode, server.url, list_forms, max_retries=2)

    error = raised(outcome, InternalServerError)
    assert error.status_code == 502
    assert error.body == page
    assert (str(error), error.message) == ("502 Bad Gateway", "Bad Gateway")  # not the markup
    assert count(server, "GET", FORMS) == 3
    assert outcome.elapsed < QUICK


@pytest.mark.parametrize(
    "body, content_type, decoded",
    [
        (b"Invalid API key.\n", "text/plain", "Invalid API key.\n"),
        (b'"Invalid API key."', "application/json", "Invalid API key."),
    ],
    ids=["plain text", "a JSON string"],
)
def test_an_error_body_of_text_is_its_message(
    mode: str, server: APIServer, body: bytes, content_type: str, decoded: str
) -> None:
    server.route(
        "GET", FORMS, status=401, body=body, headers={"Content-Type": content_type}
    )

    error = raised(call(mode, server.url, list_forms), AuthenticationError)

    assert str(error) == "401 Unauthorized: Invalid API key."
    assert error.message == "Invalid API key."
    assert error.body == decoded  # as it came


def test_empty_body_where_json_was_promised(mode: str, server: APIServer) -> None:
    server.route("GET", FORMS, body=b"", headers={"Content-Type": "application/json"})

    outcome = call(mode, server.url, list_forms)

    error = raised(outcome, APIResponseValidationError)
    assert error.status_code == 200
    assert error.body == b""
    assert "empty" in str(error)
    assert count(server, "GET", FORMS) == 1
    assert outcome.elapsed < QUICK


def test_body_not_matching_the_model_names_the_field(
    mode: str, server: APIServer
) -> None:
    server.route("GET", FORMS, json=[{"id": "f1", "created_at": "not a date"}])

    outcome = call(mode, server.url, list_forms)

    error = raised(outcome, APIResponseValidationError)
    assert error.field == "0.created_at"
    assert "created_at" in str(error)
    assert error.status_code == 200
    assert b"not a date" in error.body
    assert count(server, "GET", FORMS) == 1
    assert outcome.elapsed < QUICK


def test_undecodable_content_encoding_is_an_api_error(
    mode: str, server: APIServer
) -> None:
    # A body that claims gzip but is not: the caller must still get an APIError.
    server.route(
        "GET",
        FORMS,
        body=b"definitely not gzip",
        headers={"Content-Type": "application/json", "Content-Encoding": "gzip"},
    )

    outcome = call(mode, server.url, list_forms)

    assert isinstance(
        outcome.error, APIError
    ), f"expected an APIError, got {type(outcome.error).__name__}: {outcome.error}"
    assert outcome.elapsed < QUICK


# Redirects -----------------------------------------------------------------------


def test_same_origin_redirect_is_followed(mode: str, server: APIServer) -> None:
    server.route("GET", FORMS, status=302, headers={"Location": "/api/v2/form/"})
    server.route("GET", "/api/v2/form/", json=FORM_LIST)

    outcome = call(mode, server.url, list_forms)

    assert [form.id for form in succeeded(outcome)] == ["f1"]
    assert [request.path for request in server.requests] == [FORMS, "/api/v2/form/"]
    assert server.requests[1].header("Authorization") == f"Token {API_KEY}"
    assert outcome.elapsed < QUICK


def test_same_origin_307_keeps_the_method_and_body(
    mode: str, server: APIServer
) -> None:
    server.route("POST", PDF, status=307, headers={"Location": "/api/v2/pdf/"})
    server.route("POST", "/api/v2/pdf/", json=PDF_BODY)

    outcome = call(mode, server.url, export_pdf)

    assert succeeded(outcome).pdf_url == PDF_BODY["pdf_url"]
    assert [(r.method, r.path) for r in server.requests] == [
        ("POST", PDF),
        ("POST", "/api/v2/pdf/"),
    ]
    assert server.requests[1].json() == {"form_id": "f1", "user_id": "u1"}
    assert outcome.elapsed < QUICK


def test_same_origin_303_after_post_becomes_a_bodiless_get(
    mode: str, server: APIServer
) -> None:
    server.route("POST", PDF, status=303, headers={"Location": "/api/pdf/result/"})
    server.route("GET", "/api/pdf/result/", json=PDF_BODY)

    outcome = call(mode, server.url, export_pdf, timeout=2.0)

    assert succeeded(outcome).pdf_url == PDF_BODY["pdf_url"]
    assert [(r.method, r.path) for r in server.requests] == [
        ("POST", PDF),
        ("GET", "/api/pdf/result/"),
    ]
    assert server.requests[1].body == b""
    assert server.requests[1].header("Content-Length") in (None, "0")
    assert outcome.elapsed < QUICK


@pytest.mark.parametrize("status", [302, 303])
def test_per_call_timeout_holds_after_a_redirect(
    mode: str, server: APIServer, status: int
) -> None:
    # The timeout travels with the request: the redirected one must not fall back to 30 s.
    options = RequestOptions(timeout=0.2, max_retries=0)
    if status == 302:
        path, action = FORMS, lambda client: client.forms.list(options=options)
    else:  # a POST answered with 303: the follow-up is a new GET
        path, action = PDF, lambda client: client.submissions.export_pdf(
            form_id="f1", user_id="u1", options=options
        )
    server.route(
        "GET" if status == 302 else "POST",
        path,
        status=status,
        headers={"Location": "/api/slow/"},
    )
    server.route("GET", "/api/slow/", json=FORM_LIST, delay=2.0)

    outcome = call(mode, server.url, action, timeout=30.0)

    raised(outcome, APITimeoutError)
    assert [request.path for request in server.requests] == [path, "/api/slow/"]
    assert outcome.elapsed < 1.5


def test_redirect_without_a_location_is_not_followed(
    mode: str, server: APIServer
) -> None:
    server.route("GET", FORMS, status=302, headers={"Location": ""})

    outcome = call(mode, server.url, list_forms)

    assert raised(outcome, APIStatusError).status_code == 302
    assert count(server, "GET", FORMS) == 1
    assert outcome.elapsed < QUICK


def test_cross_origin_redirect_is_not_followed(
    mode: str, server: APIServer, other_server: APIServer
) -> None:
    other_server.route("GET", FORMS, json=FORM_LIST)
    server.route(
        "GET", FORMS, status=302, headers={"Location": f"{other_server.url}{FORMS}"}
    )

    outcome = call(mode, server.url, list_forms)

    error = raised(outcome, APIStatusError)
    assert error.status_code == 302
    assert other_server.requests == []  # the credential never left for the other origin
    assert count(server, "GET", FORMS) == 1
    assert outcome.elapsed < QUICK


@pytest.mark.parametrize("status", [300, 302, 304, 307])
def test_a_3xx_without_a_location_header_is_a_status_error(
    mode: str, server: APIServer, status: int
) -> None:
    # A 304 from a caching proxy, a 300 Multiple Choices: nothing to follow.
    server.route("GET", FORMS, status=status)

    outcome = call(mode, server.url, list_forms)

    error = raised(outcome, APIStatusError)
    assert error.status_code == status
    assert "not a redirect the client can follow" in str(error)
    assert count(server, "GET", FORMS) == 1


def test_same_origin_307_after_an_upload_sends_the_files_again(
    mode: str, server: APIServer
) -> None:
    # The multipart body is a stream, never read into memory: the redirect resends it.
    server.route("POST", "/api/ai/run/ext-1/", status=307, headers={"Location": "/api/v2/run/"})
    server.route("POST", "/api/v2/run/", json={"user_id": "u-1"})
    upload = [("a.pdf", io.BytesIO(b"%PDF first"), "application/pdf")]

    outcome = call(mode, server.url, lambda client: client.extractions.run("ext-1", files=upload))

    assert succeeded(outcome).user_id == "u-1"
    first, second = server.requests
    assert second.path == "/api/v2/run/"
    assert second.body == first.body and b"%PDF first" in second.body


def test_redirect_loop_stops(mode: str, server: APIServer) -> None:
    server.route("GET", FORMS, status=302, headers={"Location": FORMS})

    outcome = call(mode, server.url, list_forms)

    error = raised(outcome, APIStatusError)
    assert error.status_code == 302
    assert f"gave up after {runtime.MAX_REDIRECTS} redirects" in str(error)
    assert count(server, "GET", FORMS) == runtime.MAX_REDIRECTS
    assert outcome.elapsed < QUICK


def test_redirect_to_an_invalid_url_is_an_api_error(
    mode: str, server: APIServer
) -> None:
    # httpx itself rejects the Location (as a protocol error); the caller still gets an
    # APIError, and nothing is sent anywhere but the original origin.
    server.route(
        "GET", FORMS, status=302, headers={"Location": "http://127.0.0.1:notaport/x"}
    )

    outcome = call(mode, server.url, list_forms, max_retries=2)

    assert isinstance(
        outcome.error, APIError
    ), f"expected an APIError, got {type(outcome.error).__name__}: {outcome.error}"
    assert {(request.method, request.path) for request in server.requests} == {
        ("GET", FORMS)
    }
    assert count(server, "GET", FORMS) <= 3
    assert outcome.elapsed < QUICK


# The credential stays secret -----------------------------------------------------


def test_api_key_is_not_in_repr_or_str_of_the_client() -> None:
    sync_client = Feathery(api_key=API_KEY, base_url="http://127.0.0.1:9")
    try:
        for text in (repr(sync_client), str(sync_client)):
            assert API_KEY not in text
            assert "http://127.0.0.1:9" in text
    finally:
        sync_client.close()

    async def check_async() -> None:
        async with AsyncFeathery(
            api_key=API_KEY, base_url="http://127.0.0.1:9"
        ) as client:
            for text in (repr(client), str(client)):
                assert API_KEY not in text
                assert "http://127.0.0.1:9" in text

    asyncio.run(check_async())


def test_debug_log_shows_each_attempt_without_the_key(
    mode: str, server: APIServer, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="feathery_api")
    server.queue("GET", FORMS, Reply(503, json={"detail": "busy"}))
    server.route("GET", FORMS, json=FORM_LIST)
    server.route("POST", PDF, status=500, json={"detail": "boom"})

    succeeded(call(mode, server.url, list_forms))
    raised(call(mode, server.url, export_pdf), InternalServerError)
    raised(call(mode, closed_port_url(), list_forms, max_retries=0), APIConnectionError)

    records = [record for record in caplog.records if record.name == "feathery_api"]
    lines = [record.getMessage() for record in records]
    # A retry is worth an INFO line (FEATHERY_LOG=info); every other attempt is DEBUG.
    assert [
        (record.levelname, "retrying in" in record.getMessage()) for record in records
    ] == [("INFO", True), ("DEBUG", False), ("DEBUG", False), ("DEBUG", False)]
    assert any(
        line.startswith(f"GET {server.url}{FORMS} -> 503") for line in lines
    ), lines
    assert any(
        line.startswith(f"GET {server.url}{FORMS} -> 200") for line in lines
    ), lines
    assert any(
        line.startswith(f"POST {server.url}{PDF} -> 500") for line in lines
    ), lines
    assert any("-> ConnectError" in line for line in lines), lines
    assert len(lines) == 4
    assert API_KEY not in caplog.text
    for record in records:
        assert API_KEY not in record.getMessage()
        assert all(API_KEY not in str(argument) for argument in record.args or ())


def test_api_key_is_sent_only_as_the_authorization_header(
    mode: str, server: APIServer
) -> None:
    server.route("GET", FORMS, json=FORM_LIST)

    succeeded(call(mode, server.url, list_forms))

    (request,) = server.requests
    assert request.header("Authorization") == f"Token {API_KEY}"
    assert API_KEY not in request.raw_path
    assert all(
        API_KEY not in value for values in request.query.values() for value in values
    )


# The client's life: closing it, event loops, other async libraries -------------------


def closed_after(mode: str, server: APIServer, seconds: float) -> BaseException:
    """What a list call raises when the client is closed ``seconds`` into it: from another
    thread (sync), as a shutdown would, or from another task (async)."""
    if mode == "sync":
        client = Feathery(api_key=API_KEY, base_url=server.url, max_retries=3)
        threading.Timer(seconds, client.close).start()
        with pytest.raises(APIError) as caught:
            client.forms.list()
        return caught.value

    async def main() -> None:
        client = AsyncFeathery(api_key=API_KEY, base_url=server.url, max_retries=3)
        call = asyncio.ensure_future(client.forms.list())
        await asyncio.sleep(seconds)
        await client.close()
        await call

    with pytest.raises(APIError) as caught:
        asyncio.run(main())
    return caught.value


def test_a_client_closed_during_a_call_raises_at_once_without_retrying(
    mode: str, server: APIServer
) -> None:
    server.route("GET", FORMS, json=FORM_LIST, delay=1.0)
    started = time.monotonic()

    error = closed_after(mode, server, 0.2)

    assert type(error) is APIConnectionError
    assert count(server, "GET", FORMS) == 1  # no retry on a closed client
    assert time.monotonic() - started < 3.0


def test_a_client_closed_while_waiting_to_retry_raises_the_last_failure(
    mode: str, server: APIServer
) -> None:
    server.route("GET", FORMS, status=503, json={"detail": "busy"}, headers={"Retry-After": "1"})
    started = time.monotonic()

    error = closed_after(mode, server, 0.3)

    assert type(error) is InternalServerError  # not a RuntimeError from the closed pool
    assert count(server, "GET", FORMS) == 1
    assert time.monotonic() - started < 3.0


@pytest.fixture
def left_open(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[Any]]:
    """A program that leaves an event loop with the client open leaves that loop's connections
    open too, and asyncio complains when the garbage collector finds them: here, on purpose.
    What it says is kept aside, and collected before the test ends, not in a later one."""
    complaints: list[Any] = []
    monkeypatch.setattr(sys, "unraisablehook", complaints.append)
    yield complaints
    gc.collect()


@pytest.mark.usefixtures("left_open")
def test_an_async_client_of_its_own_serves_one_event_loop_after_another(
    server: APIServer,
) -> None:
    server.route("GET", FORMS, json=FORM_LIST)
    client = AsyncFeathery(api_key=API_KEY, base_url=server.url, max_retries=0)

    async def forms() -> list[str]:
        return [form.id for form in await client.forms.list()]

    # A second asyncio.run() used to send the request on the first loop's connection,
    # then fail with "Event loop is closed", the answer lost.
    assert [asyncio.run(forms()) for _ in range(3)] == [["f1"]] * 3
    assert count(server, "GET", FORMS) == 3
    asyncio.run(client.close())


@pytest.mark.skipif(not hasattr(os, "fork"), reason="no os.fork() here")
@pytest.mark.parametrize("mode", ["sync", "async"])
def test_a_forked_child_opens_connections_of_its_own(mode: str, server: APIServer) -> None:
    # After os.fork() (gunicorn --preload, multiprocessing) both processes held the parent's
    # pooled connection: each could read the other's answer off it.
    server.route("GET", FORMS, json=FORM_LIST)
    client: Any = (Feathery if mode == "sync" else AsyncFeathery)(api_key=API_KEY, base_url=server.url, max_retries=0)
    loop = asyncio.new_event_loop() if mode == "async" else None

    def forms() -> list[str]:
        result = client.forms.list() if loop is None else loop.run_until_complete(client.forms.list())
        return [form.id for form in result]

    assert forms() == ["f1"]  # the parent's connection, now in the pool

    def forms_in_child() -> list[str]:
        nonlocal loop
        if loop is not None:
            loop = asyncio.new_event_loop()  # a child starts its own loop, as a worker would
        return forms()

    try:
        assert in_forked_child(forms_in_child) == ["f1"]
        assert forms() == ["f1"]  # the parent's pool still works

        first, in_child, again = (request.peer_port for request in server.requests)
        assert in_child != first  # a connection of the child's own
        assert again == first  # the parent kept its own
    finally:
        if loop is None:
            client.close()
        else:
            loop.run_until_complete(client.close())
            loop.close()


def test_an_async_client_once_closed_stays_closed_on_another_event_loop(server: APIServer) -> None:
    server.route("GET", FORMS, json=FORM_LIST)

    async def forms(client: AsyncFeathery) -> Any:
        return await client.forms.list()

    async def used_and_closed() -> AsyncFeathery:
        async with AsyncFeathery(api_key=API_KEY, base_url=server.url) as client:
            await forms(client)
        return client

    client = asyncio.run(used_and_closed())
    # It used to open a new pool there, which nothing would ever close.
    with pytest.raises(RuntimeError, match="client has been closed"):
        asyncio.run(forms(client))
    assert count(server, "GET", FORMS) == 1


@pytest.mark.usefixtures("left_open")
def test_a_shared_async_client_on_another_event_loop_fails_before_sending(
    server: APIServer,
) -> None:
    server.route("GET", FORMS, json=FORM_LIST)
    http_client = httpx.AsyncClient()
    client = AsyncFeathery(api_key=API_KEY, base_url=server.url, http_client=http_client)

    async def forms(client: AsyncFeathery) -> Any:
        return await client.forms.list()

    asyncio.run(forms(client))
    with pytest.raises(RuntimeError, match="one client per event loop"):
        asyncio.run(forms(client))
    assert count(server, "GET", FORMS) == 1


def test_the_async_client_retries_under_trio(server: APIServer) -> None:
    trio = importlib.import_module("trio")  # in the dev extra; httpx runs on it through anyio
    server.queue("GET", FORMS, Reply(503, json={"detail": "busy"}))
    server.route("GET", FORMS, json=FORM_LIST)

    async def main() -> list[str]:
        async with AsyncFeathery(api_key=API_KEY, base_url=server.url) as client:
            return [form.id for form in await client.forms.list()]

    assert trio.run(main) == ["f1"]
    assert count(server, "GET", FORMS) == 2


def test_errors_survive_pickle_without_the_request_that_carries_the_key(
    server: APIServer,
) -> None:
    server.route("GET", FORMS, status=404, json={"detail": "Not found."})
    server.route("POST", PDF, json={"unexpected": True})
    errors = [
        raised(call("sync", server.url, list_forms), NotFoundError),
        raised(call("sync", server.url, export_pdf), APIResponseValidationError),
        raised(call("sync", closed_port_url(), list_forms, max_retries=0), APIConnectionError),
    ]

    for error in errors:
        assert error.request is not None  # every kind says which request failed
        data = pickle.dumps(error)
        assert API_KEY.encode() not in data
        copied = pickle.loads(data)
        assert type(copied) is type(error)
        assert str(copied) == str(error)
        assert copied.request is None
        assert copy.copy(error).request is error.request  # a copy in the process keeps it all
    not_found = pickle.loads(pickle.dumps(errors[0]))
    assert (not_found.status_code, not_found.body) == (404, {"detail": "Not found."})
    # The response goes along without its request: what the server said, not what was sent.
    assert (not_found.response.status_code, not_found.response.json()) == (404, {"detail": "Not found."})
    assert not_found.response.headers["content-type"] == "application/json"
    with pytest.raises(RuntimeError):
        not_found.response.request  # noqa: B018
    invalid = pickle.loads(pickle.dumps(errors[1]))
    assert invalid.response.json() == {"unexpected": True}
    # A worker process's error reaches its parent (it used to break the whole pool).
    with ProcessPoolExecutor(max_workers=1) as pool, pytest.raises(NotFoundError) as caught:
        pool.submit(_raise, errors[0]).result(timeout=60)
    assert caught.value.status_code == 404


def _raise(error: BaseException) -> None:
    raise error


# Headers given twice, spelled differently ------------------------------------------


def test_a_header_given_in_another_case_replaces_the_clients_own(
    mode: str, server: APIServer
) -> None:
    server.route("GET", FORMS, json=FORM_LIST)

    succeeded(call(mode, server.url, list_forms, default_headers={"user-agent": "app/1"}))
    other_key = RequestOptions(extra_headers={"authorization": "Token other"})
    succeeded(call(mode, server.url, lambda client: client.forms.list(options=other_key)))
    # A shared httpx client: the client's headers go with each request, not on the pool.
    with (
        httpx.Client() as http_client,
        Feathery(api_key=API_KEY, base_url=server.url, http_client=http_client) as client,
    ):
        client.forms.list(options=other_key)

    first, second, shared = server.requests
    assert first.header_values("User-Agent") == ["app/1"]
    assert second.header_values("Authorization") == ["Token other"]
    assert shared.header_values("Authorization") == ["Token other"]
