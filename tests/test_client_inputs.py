"""Bad input to a generated client fails before anything is sent, says where, and shows no secret.

Each client here is wired to an ``httpx.MockTransport`` that records what reaches it: a
check that works is one that leaves that list empty. The mistakes are the ones users make:
a key read from a file with its newline, a URL copied with a password or a query in it,
a string where a number goes, a text-mode file for an upload.
"""

from __future__ import annotations

import asyncio
import datetime
import decimal
import io
import json
import math
import os
from collections.abc import Callable, Iterator
from typing import Any

import featbit_api
import feather_flag_api
import feathery_api
import featureos_api
import httpx
import pytest
from feather_flag_api.models import EvalEvent

SECRET = "sk_live_INPUTS-4f2a9c"


@pytest.fixture
def sent() -> list[httpx.Request]:
    return []


def transport(sent: list[httpx.Request], body: Any = None) -> httpx.MockTransport:
    def answer(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return httpx.Response(200, json={} if body is None else body)

    return httpx.MockTransport(answer)


@pytest.fixture
def featbit(sent: list[httpx.Request]) -> Iterator[featbit_api.FeatBit]:
    with httpx.Client(transport=transport(sent)) as http:
        yield featbit_api.FeatBit(SECRET, base_url="https://featbit.example", http_client=http)


@pytest.fixture
def featureos(sent: list[httpx.Request]) -> Iterator[featureos_api.FeatureOS]:
    with httpx.Client(transport=transport(sent)) as http:
        yield featureos_api.FeatureOS(SECRET, http_client=http)


@pytest.fixture
def feathery(sent: list[httpx.Request]) -> Iterator[feathery_api.Feathery]:
    with httpx.Client(transport=transport(sent)) as http:
        yield feathery_api.Feathery(SECRET, http_client=http)


def error_of(action: Callable[[], Any]) -> Exception:
    """The exception ``action`` raises; its text and chain must not carry the secret."""
    with pytest.raises(Exception) as caught:
        action()
    error = caught.value
    seen: BaseException | None = error
    while seen is not None:
        assert SECRET not in str(seen) and SECRET not in repr(seen), f"secret in {type(seen).__name__}"
        seen = seen.__cause__ or seen.__context__
    return error


# The API key --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("key", "problem"),
    [
        (SECRET + "\n", "a line break at position 21 of 22"),
        (SECRET + "\u200b", "the non-ASCII character U+200B at position 21 of 22"),
        (" " + SECRET, "leading or trailing whitespace"),
        (SECRET[:5] + "\x00" + SECRET[5:], "a control character at position 5 of 22"),
    ],
    ids=["newline", "zero-width space", "leading space", "NUL"],
)
def test_a_key_no_header_can_carry_is_refused_at_construction(key: str, problem: str) -> None:
    error = error_of(lambda: featbit_api.FeatBit(key, base_url="https://featbit.example"))

    assert type(error) is ValueError
    assert str(error) == (
        f"The API key (api_key or FEATBIT_API_KEY) cannot be sent in an HTTP header: it has {problem}."
    )


def test_an_empty_key_passed_in_says_the_environment_was_not_read(monkeypatch: pytest.MonkeyPatch) -> None:
    # api_key=os.environ.get("OTHER", "") with FEATBIT_API_KEY set: "set FEATBIT_API_KEY" alone would puzzle.
    monkeypatch.setenv("FEATBIT_API_KEY", SECRET)
    error = error_of(lambda: featbit_api.FeatBit(api_key="", base_url="https://featbit.example"))

    assert type(error) is ValueError
    assert str(error) == (
        "FeatBit needs an API key: pass api_key=... or set the FEATBIT_API_KEY environment variable."
        " (api_key= was passed empty: the environment is not read.)"
    )


def test_a_key_from_the_environment_is_checked_too(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FEATHERY_API_KEY", SECRET + "\r\n")

    assert "FEATHERY_API_KEY" in str(error_of(feathery_api.Feathery))


def test_a_secret_header_argument_is_checked_before_sending(
    featureos: featureos_api.FeatureOS, sent: list[httpx.Request]
) -> None:
    error = error_of(lambda: featureos.posts.create_on_behalf(user_token=SECRET + "\n", title="Dark mode", bucket_id=1))

    # The argument is named and the position counts what the caller passed, not the "Bearer "
    # the client puts before it; the value itself is never shown.
    assert type(error) is ValueError
    assert str(error) == (
        "Posts.create_on_behalf(): user_token: Value error, cannot be sent in an HTTP header:"
        " it has a line break at position 21 of 22 (got str)"
    )
    assert sent == []


def test_header_arguments_of_the_async_client_are_checked_before_sending(sent: list[httpx.Request]) -> None:
    answer = transport(sent)

    async def call() -> None:
        async with httpx.AsyncClient(transport=answer) as http:
            client = featureos_api.AsyncFeatureOS(SECRET, http_client=http)
            await client.oauth.authorize(user_token=SECRET, organization="acme\u00e9", client_id="c", redirect_uri="https://app.example/cb")

    error = error_of(lambda: asyncio.run(call()))

    assert type(error) is ValueError
    assert sent == []
    assert "organization: Value error, cannot be sent in an HTTP header: it has the non-ASCII character U+00E9 at position 4 of 5" in str(error)


def test_a_key_the_server_echoes_in_its_error_is_cut_out_of_the_message(sent: list[httpx.Request]) -> None:
    def answer(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return httpx.Response(401, json=echo)

    echo = {"error": {"message": f"bad key Bearer {SECRET}", "code": f"KEY_{SECRET}"}}
    with httpx.Client(transport=httpx.MockTransport(answer)) as http:
        error = error_of(lambda: feather_flag_api.FeatherFlag(SECRET, http_client=http).orgs.retrieve_current())

    assert isinstance(error, feather_flag_api.AuthenticationError)
    assert str(error) == "401 Unauthorized: bad key Bearer <redacted> (KEY_<redacted>)"
    assert (error.message, error.code) == ("bad key Bearer <redacted>", "KEY_<redacted>")
    assert error.body == echo  # the server's data, as it came


# The base URL -------------------------------------------------------------------


def test_a_base_url_passed_empty_is_refused_not_replaced_by_the_default(monkeypatch: pytest.MonkeyPatch) -> None:
    # base_url=os.getenv("STAGING_URL", "") went to the production API, with the key.
    monkeypatch.setenv("FEATHERY_BASE_URL", "https://staging.feathery.example")

    error = error_of(lambda: feathery_api.Feathery(SECRET, base_url=""))

    assert type(error) is ValueError
    assert str(error) == (
        "base_url= was passed empty: pass the URL, or leave base_url= out to use FEATHERY_BASE_URL or https://api.feathery.io."
    )
    assert feathery_api.Feathery(SECRET).base_url == "https://staging.feathery.example"


@pytest.mark.parametrize(
    ("url", "message"),
    [
        (f"https://admin:{SECRET}@featbit.example", "must not hold a user name or password"),
        (f"https://featbit.example/?token={SECRET}", "must not have a query (?...) or a fragment (#...)"),
        (f"https://featbit.example/#{SECRET}", "must not have a query (?...) or a fragment (#...)"),
        ("https://featbit.example/ api", "whitespace or a control character"),
        ("https://featbit.example\n", "whitespace or a control character"),
        ("https://featbit.example:notaport", "is not a valid URL"),
    ],
    ids=["password", "query", "fragment", "space", "newline", "bad port"],
)
def test_a_base_url_that_would_corrupt_every_call_is_refused(url: str, message: str) -> None:
    error = error_of(lambda: featbit_api.FeatBit("k", base_url=url))

    assert type(error) is ValueError
    assert message in str(error)
    assert str(error).startswith("base_url")
    assert SECRET not in str(error)  # a query or a password may hold a token


def test_a_path_prefix_in_the_base_url_is_kept(sent: list[httpx.Request]) -> None:
    with httpx.Client(transport=transport(sent, {"success": True, "errors": [], "data": True})) as http:
        client = featbit_api.FeatBit("k", base_url="https://gateway.example/featbit/", http_client=http)
        assert client.feature_flags.archive(env_id="e1", key="f") is True

    assert str(sent[0].url) == "https://gateway.example/featbit/api/v1/envs/e1/feature-flags/f/archive"


# Options of the client and of a call --------------------------------------------


@pytest.mark.parametrize(
    ("options", "kind", "message"),
    [
        ({"max_retries": "2"}, TypeError, "max_retries must be an int; got str"),
        ({"max_retries": -1}, ValueError, "max_retries must be 0 or more"),
        ({"max_retries": True}, TypeError, "max_retries must be an int; got bool"),
        ({"timeout": "5"}, TypeError, "timeout must be seconds, an httpx.Timeout or None; got str"),
        ({"timeout": -1}, ValueError, "timeout must be more than 0 seconds (None for no limit); got -1."),
        ({"timeout": math.nan}, ValueError, "timeout must be more than 0 seconds"),
        # httpx would fail every connection at once, as a ConnectError, not a timeout.
        ({"timeout": 0}, ValueError, "timeout must be more than 0 seconds"),
        ({"default_headers": {"X-Team": 5}}, TypeError, "header names and values must be str"),
        ({"default_headers": {"Bad Name": "x"}}, ValueError, "'Bad Name' is not a valid HTTP header name"),
    ],
)
def test_client_options_are_checked_at_construction(
    options: dict[str, Any], kind: type[Exception], message: str
) -> None:
    error = error_of(lambda: featbit_api.FeatBit("k", base_url="https://featbit.example", **options))

    assert type(error) is kind
    assert message in str(error)


@pytest.mark.parametrize(
    ("options", "kind", "message"),
    [
        ({"max_retries": "3"}, TypeError, "RequestOptions(max_retries=...) must be an int; got str"),
        ({"max_retries": -1}, ValueError, "RequestOptions(max_retries=...) must be 0 or more"),
        ({"timeout": "5"}, TypeError, "RequestOptions(timeout=...) must be seconds"),
        ({"timeout": 0.0}, ValueError, "RequestOptions(timeout=...) must be more than 0 seconds"),
        ({"extra_headers": {"X-Token": SECRET + "\n"}}, ValueError, "the X-Token header cannot be sent"),
        ({"extra_headers": {"X-Count": 5}}, TypeError, "header names and values must be str"),
        ({"extra_query": {1: "x"}}, TypeError, "RequestOptions(extra_query=...) must be a mapping with str keys"),
    ],
)
def test_request_options_are_checked_where_they_are_made(
    options: dict[str, Any], kind: type[Exception], message: str
) -> None:
    error = error_of(lambda: featbit_api.RequestOptions(**options))

    assert type(error) is kind
    assert message in str(error)


# Arguments of a method ----------------------------------------------------------


def test_a_wrong_type_for_an_optional_argument_names_it_once(
    featbit: featbit_api.FeatBit, sent: list[httpx.Request]
) -> None:
    error = error_of(lambda: featbit.groups.list(page_size="10"))  # type: ignore[arg-type]

    assert type(error) is ValueError
    assert str(error) == "Groups.list(): page_size: Input should be a valid integer (got str)"
    assert error.__cause__ is None and error.__context__ is None
    assert sent == []


def test_a_missing_argument_is_a_type_error_without_the_other_values(
    featureos: featureos_api.FeatureOS, sent: list[httpx.Request]
) -> None:
    # The other arguments hold a secret: pydantic's error would show them all.
    error = error_of(
        lambda: featureos.oauth.exchange_token(grant_type="refresh_token", refresh_token=SECRET)  # type: ignore[call-arg]
    )

    assert type(error) is TypeError
    assert "client_id: Missing required keyword only argument" in str(error)
    assert "ArgsKwargs" not in str(error)
    assert sent == []


@pytest.mark.parametrize(
    ("call", "kind", "message"),
    [
        (
            lambda featbit: featbit.feature_flags.retrieve("dark-mode", "env-1"),
            TypeError,
            ("FeatureFlags.retrieve(): takes 1 positional argument (key): pass the others by keyword;"
            " env_id: Missing required keyword only argument (pass env_id=...)"),
        ),
        (
            lambda featbit: featbit.feature_flags.retrieve("dark-mode", env_id="env-1", envid="env-1"),
            TypeError,
            "FeatureFlags.retrieve(): envid: Unexpected keyword argument (did you mean env_id?)",
        ),
        (
            lambda featbit: featbit.feature_flags.list(env_id="env-1", name=None),
            ValueError,
            "FeatureFlags.list(): name: Input should be a valid string (got None): leave the argument out to send nothing",
        ),
    ],
    ids=["a keyword argument passed by position", "a misspelt keyword", "None for an optional argument"],
)
def test_a_usual_mistake_is_told_how_to_fix_it(
    featbit: featbit_api.FeatBit, sent: list[httpx.Request], call: Callable[[Any], Any], kind: type[Exception], message: str
) -> None:
    error = error_of(lambda: call(featbit))

    assert (type(error), str(error)) == (kind, message)
    assert sent == []


def test_a_date_or_date_time_given_as_text_is_told_which_type_to_pass(
    feathery: feathery_api.Feathery, sent: list[httpx.Request]
) -> None:
    with httpx.Client(transport=transport(sent)) as http:
        client = feather_flag_api.FeatherFlag(SECRET, http_client=http)
        date_error = error_of(lambda: client.usage.retrieve(project_id="p", flag_key="f", environment_id="e", from_="2024-01-31"))  # type: ignore[arg-type]
    date_time_error = error_of(lambda: feathery.submissions.list("form-1", start_time="2024-01-31T09:30:00Z"))  # type: ignore[arg-type]

    assert str(date_error) == (
        "Usage.retrieve(): from_: Input should be a valid date (got str):"
        ' pass a datetime.date, such as datetime.date.fromisoformat("2024-01-31")'
    )
    assert str(date_time_error) == (
        "Submissions.list(): start_time: Input should be a valid datetime (got str): pass a datetime.datetime"
        ' with a timezone, such as datetime.datetime.fromisoformat("2024-01-31T09:30:00+00:00")'
    )
    assert sent == []


def test_a_secret_of_the_wrong_type_is_not_shown(
    featureos: featureos_api.FeatureOS, sent: list[httpx.Request]
) -> None:
    error = error_of(
        lambda: featureos.oauth.exchange_token(
            grant_type="refresh_token", client_id="app", client_secret=SECRET.encode(), refresh_token=SECRET  # type: ignore[arg-type]
        )
    )

    assert str(error) == "Oauth.exchange_token(): client_secret: Input should be a valid string (got bytes)"
    assert sent == []


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (decimal.Decimal("1.5"), "Object of type Decimal is not JSON serializable"),
        ({1, 2}, "Object of type set is not JSON serializable"),
        (math.nan, "fields.amount: nan is not a number JSON can hold"),
    ],
    ids=["Decimal", "set", "NaN"],
)
def test_a_value_json_cannot_hold_is_a_value_error(
    feathery: feathery_api.Feathery, sent: list[httpx.Request], value: Any, message: str
) -> None:
    error = error_of(lambda: feathery.submissions.create(user_id="u1", fields={"amount": value}))

    assert type(error) is ValueError
    assert str(error).startswith("POST /api/form/submission/")
    assert message in str(error)
    assert sent == []


def test_a_json_body_is_encoded_alike_whichever_httpx_is_installed(
    sent: list[httpx.Request], monkeypatch: pytest.MonkeyPatch
) -> None:
    # httpx 0.27 (which the packages allow) encoded json= with json.dumps' defaults: NaN went out.
    monkeypatch.setattr(httpx._content, "json_dumps", lambda value, **_: json.dumps(value))
    with httpx.Client(transport=transport(sent)) as http:
        feathery = feathery_api.Feathery(SECRET, http_client=http)
        error = error_of(lambda: feathery.submissions.create(user_id="u1", fields={"amount": math.nan}))
        assert type(error) is ValueError and "fields.amount: nan is not a number JSON can hold" in str(error)
        assert sent == []
        feathery.submissions.create(user_id="u1", fields={"name": "Zoë", "amount": 1.5})
    assert sent[0].content == '{"fields":{"name":"Zoë","amount":1.5},"user_id":"u1"}'.encode()
    assert sent[0].headers["Content-Type"] == "application/json"
    assert sent[0].headers["Content-Length"] == str(len(sent[0].content))


def test_a_json_body_keeps_a_content_type_the_caller_chose(sent: list[httpx.Request]) -> None:
    with httpx.Client(transport=transport(sent), headers={"content-type": "application/vnd.shared+json"}) as http:
        feathery_api.Feathery(SECRET, http_client=http).submissions.create(user_id="u1", fields={})
        chosen = feathery_api.Feathery(SECRET, http_client=http, default_headers={"Content-Type": "application/merge-patch+json"})
        chosen.submissions.create(user_id="u1", fields={})
        chosen.submissions.create(user_id="u1", fields={}, options=feathery_api.RequestOptions(extra_headers={"CONTENT-TYPE": "text/json"}))
    assert [request.headers.get_list("Content-Type") for request in sent] == [
        ["application/vnd.shared+json"], ["application/merge-patch+json"], ["text/json"]
    ]


def test_a_path_is_uploaded_as_its_file_and_a_missing_one_is_refused(
    feathery: feathery_api.Feathery, sent: list[httpx.Request], tmp_path: Any
) -> None:
    scan = tmp_path / "scan.pdf"
    scan.write_bytes(b"%PDF-1.4 scan")

    with pytest.raises(feathery_api.APIResponseValidationError):  # the transport answers {}
        feathery.extractions.run("ext-1", files=[scan])
    error = error_of(lambda: feathery.extractions.run("ext-1", files=[tmp_path / "missing.pdf"]))

    (request,) = sent
    body = request.read()
    assert b'name="files"; filename="scan.pdf"' in body and b"%PDF-1.4 scan" in body
    assert type(error) is ValueError
    assert "cannot read" in str(error) and "missing.pdf" in str(error) and "No such file or directory" in str(error)


def test_a_file_open_in_text_mode_is_refused(feathery: feathery_api.Feathery, sent: list[httpx.Request]) -> None:
    error = error_of(lambda: feathery.extractions.run("ext-1", files=[("a.txt", io.StringIO("text"))]))  # type: ignore[list-item]

    assert type(error) is ValueError
    assert "the file is open in text mode: open it with mode 'rb'" in str(error)
    assert sent == []


def test_a_file_that_cannot_seek_is_refused_before_it_goes_out_empty(sent: list[httpx.Request]) -> None:
    # httpx measures a file by seeking: a pipe went out as an empty part (the server saw a
    # blank upload), then h11 raised outside the client's exceptions.
    read_end, write_end = os.pipe()
    os.write(write_end, b"%PDF-1.7 " * 500)
    os.close(write_end)
    with os.fdopen(read_end, "rb") as pipe, httpx.Client(transport=transport(sent, {"user_id": "u1"})) as http:
        feathery = feathery_api.Feathery(SECRET, http_client=http)
        error = error_of(lambda: feathery.extractions.run("ext-1", files=[pipe]))

        assert type(error) is ValueError
        assert "the file cannot seek (a pipe?): read it into bytes first" in str(error)
        assert sent == []
        feathery.extractions.run("ext-1", files=[pipe.read()])
    assert b"%PDF-1.7 " * 500 in sent[0].content


@pytest.mark.parametrize(
    ("events", "problem"),
    [
        (
            [{"flagKey": "beta"}, EvalEvent(flag_key="beta", evaluated_at=datetime.datetime(2024, 5, 1, 12))],
            "events[1].evaluatedAt: a datetime without a timezone (RFC 3339 times carry an offset)",
        ),
        ([{"flagKey": "beta", "evaluatedAt": datetime.datetime(2024, 5, 1, 12)}], "events[0].evaluatedAt: a datetime without a timezone"),
        ([EvalEvent(flag_key="beta", latency=math.inf)], "events[0].latency: inf is not a number JSON can hold"),
    ],
    ids=["model", "dict", "unknown field"],
)
def test_what_a_body_model_would_send_otherwise_than_written_is_refused(
    events: list[Any], problem: str, sent: list[httpx.Request]
) -> None:
    # pydantic writes a model's naive datetime without an offset and its infinity as null.
    with httpx.Client(transport=transport(sent)) as http:
        client = feather_flag_api.FeatherFlag(SECRET, http_client=http)
        error = error_of(lambda: client.telemetry.ingest(events=events))

        assert type(error) is ValueError
        assert str(error).startswith(f"POST /v1/telemetry/events: {problem}")
        assert sent == []
        aware = datetime.datetime(2024, 5, 1, 12, tzinfo=datetime.timezone.utc)
        client.telemetry.ingest(events=[EvalEvent(flag_key="beta", evaluated_at=aware)])
    assert json.loads(sent[0].content) == {"events": [{"flagKey": "beta", "evaluatedAt": "2024-05-01T12:00:00Z"}]}


def test_a_date_time_argument_needs_its_offset(feathery: feathery_api.Feathery, sent: list[httpx.Request]) -> None:
    # RFC 3339 (and the mock) want an offset; a naive time would leave the server to guess the zone.
    error = error_of(lambda: feathery.submissions.list("f-1", start_time=datetime.datetime(2024, 5, 6, 7, 8, 9)))

    assert type(error) is ValueError
    assert "start_time" in str(error) and "timezone" in str(error)
    assert sent == []
    aware = datetime.datetime(2024, 5, 6, 7, 8, 9, tzinfo=datetime.timezone(datetime.timedelta(hours=2)))
    error_of(lambda: feathery.submissions.list("f-1", start_time=aware))  # this transport's answer is no list
    assert sent[0].url.params["start_time"] == "2024-05-06T07:08:09+02:00"


def test_the_async_client_checks_the_same(sent: list[httpx.Request]) -> None:
    async def main() -> Exception:
        async with httpx.AsyncClient(transport=transport(sent)) as http:
            client = featbit_api.AsyncFeatBit(SECRET, base_url="https://featbit.example", http_client=http)
            with pytest.raises(ValueError) as caught:
                await client.groups.list(page_size="10").first_page()  # type: ignore[arg-type]
            return caught.value

    assert str(asyncio.run(main())) == "AsyncGroups.list(): page_size: Input should be a valid integer (got str)"
    assert sent == []
