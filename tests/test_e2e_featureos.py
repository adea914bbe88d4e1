"""End-to-end tests of the generated featureOS client against a real HTTP server.

Every operation of specs/featureos.yaml is called once (sync); the tests check the
request on the wire (method, exact path, query, the ``API-KEY`` header, the per-call
``Authorization: Bearer <jwt>`` user token, the JSON body) and the typed result. Then
page/per_page pagination that stops on a short page, the HTTPS-only rule, and the
mapping of error statuses and ``{message, error}`` bodies onto the exception tree.
"""

from __future__ import annotations

import asyncio
import datetime
import pickle
import traceback
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest
from featureos_api import (
    APIStatusError,
    AsyncFeatureOS,
    AuthenticationError,
    BadRequestError,
    Customer,
    FeatureOS,
    InternalServerError,
    NotFoundError,
    Page,
    PermissionDeniedError,
    RateLimitError,
    RequestOptions,
    UnprocessableEntityError,
    models,
)

from tests.apiserver import APIServer, Recorded, Reply
from tests.surface import documented_codes, documented_operations, exception_classes, generated_operations

API_KEY = "hn_7f3a9c2e5b8d4f1a6c0e9b2d7a4f8c1e"
USER_JWT = "eyJhbGciOiJIUzI1NiJ9.eyJlbWFpbCI6ImFkYUBleGFtcGxlLmNvbSIsIm5hbWUiOiJBZGEifQ.c2lnbmF0dXJlLW9mLXRoZS1qd3Q"
ACCESS_TOKEN = "foot_4b1d8e2f6a9c3e7b0d5f"
NO_BODY = object()
ABSENT = None

CUSTOMER = {
    "id": 9116912321,
    "name": "Ada Lovelace",
    "email": "ada@example.com",
    "blocked": False,
    "post_count": 3,
    "votes_count": 12,
    "comments_count": 4,
    "member_since": "about 1 year",
    "created_at": "2023-05-04T10:20:30.000Z",
    "starred": True,
    "labels": ["enterprise", "beta"],
    "custom_fields": {"kind": "Vendor", "seats": 25},
    "profile_picture": None,
}
BUCKET = {"id": 1, "name": "Feature Requests", "display_name": "Feature Requests", "slug": "feature-requests"}
POST = {
    "id": 4242,
    "title": "Dark mode",
    "object": "post",
    "description": "Please add a dark theme",
    "description_html": "<p>Please add a dark theme</p>",
    "preview": "Please add a dark theme",
    "status": {"label": "In Progress", "value": "in_progress"},
    "assignee": None,
    "approval_status": "approved",
    "hidden": False,
    "pinned": False,
    "votes_count": 57,
    "upvotes_count": 60,
    "downvotes_count": 3,
    "etc_date": None,
    "parent_id": None,
    "created_at": 1714816830,
    "updated_at": "2024-05-05T08:00:00Z",
    "submitter": {"name": "Ada Lovelace", "email": "ada@example.com"},
    "url": "https://acme.featureos.app/p/dark-mode",
    "sentiment_type": "positive",
    "resource_keywords": [{"name": "theme", "slug": "theme"}],
    "ai_summary": None,
    "nice_to_have_ratings_count": 1,
    "important_ratings_count": 2,
    "critical_ratings_count": 0,
    "total_ratings_count": 3,
    "bucket": BUCKET,
}
COMMENT = {"id": 777, "feature_request_id": 4242, "comment": "Yes please!", "internal": False, "pinned": False}
SESSION = {
    "success": True,
    "user": {"id": 31, "name": "Acme bot", "email": "bot@acme.test", "profile_picture": None},
    "actor": "app",
    "organization": {"id": 5, "subdomain": "acme", "name": "Acme"},
}
TOKENS = {
    "access_token": ACCESS_TOKEN,
    "refresh_token": "foor_9e8d7c6b5a4f3e2d1c0b",
    "token_type": "Bearer",
    "expires_in": 86400,
    "scope": "posts:read posts:write",
}
APP_SECRET = "fosec_8c1f0e2d4b6a"
OAUTH_APP = {"client_id": "foapp_123", "client_secret": APP_SECRET, "name": "My Integration"}
CONSENT = {
    "app": {"name": "My Integration"},
    "scopes": ["posts:read", "posts:write"],
    "organizations": [{"subdomain": "target-org"}],
}


@pytest.fixture
def client(server: APIServer) -> Iterator[FeatureOS]:
    with FeatureOS(API_KEY, base_url=server.url, max_retries=0) as featureos:
        yield featureos



# --------------------------------------------------------------------------- operations


@dataclass
class Case:
    operation: str
    method: str
    path: str
    reply: Reply
    call: Callable[[FeatureOS], Any]
    check: Callable[[Any], None]
    query: dict[str, list[str]] = field(default_factory=dict)
    body: Any = NO_BODY
    authorization: str | None = ABSENT  # the per-call Authorization header, if any
    sends_key: bool = True  # False: the operation never sends the API key (auth: none)
    headers: dict[str, str] = field(default_factory=dict)  # other per-call headers, as sent


def _is(kind: type, **attributes: Any) -> Callable[[Any], None]:
    def check(result: Any) -> None:
        assert isinstance(result, kind), result
        for name, value in attributes.items():
            assert getattr(result, name) == value, (name, getattr(result, name))

    return check


def _is_none(result: Any) -> None:
    assert result is None


def _check_customer(result: Any) -> None:
    assert isinstance(result, Customer)
    assert result.id == 9116912321
    assert result.email == "ada@example.com"
    assert result.labels == ["enterprise", "beta"]
    assert result.custom_fields == {"kind": "Vendor", "seats": 25}
    assert result.created_at == datetime.datetime(2023, 5, 4, 10, 20, 30, tzinfo=datetime.timezone.utc)
    assert result.profile_picture is None


def _check_post(result: Any) -> None:
    assert isinstance(result, models.Post)
    assert result.id == 4242
    assert isinstance(result.status, models.PostStatus) and result.status.value == "in_progress"
    assert result.created_at == 1714816830
    assert result.updated_at == "2024-05-05T08:00:00Z"
    assert isinstance(result.bucket, models.Bucket) and result.bucket.slug == "feature-requests"
    assert result.submitter.email == "ada@example.com"
    assert result.resource_keywords[0].name == "theme"


def _check_post_list(result: Any) -> None:
    assert isinstance(result, models.PostList)
    assert len(result.feature_requests) == 2
    _check_post(result.feature_requests[0])
    assert result.feature_requests[1].status == "planned"  # the plain-string form


def _check_session(result: Any) -> None:
    assert isinstance(result, models.SessionInfo)
    assert result.actor == "app"
    assert isinstance(result.user, models.SessionUser) and result.user.email == "bot@acme.test"
    assert isinstance(result.organization, models.SessionOrganization) and result.organization.subdomain == "acme"


def _check_tokens(result: Any) -> None:
    assert isinstance(result, models.OAuthToken)
    assert result.access_token == ACCESS_TOKEN
    assert result.refresh_token == "foor_9e8d7c6b5a4f3e2d1c0b"
    assert result.expires_in == 86400
    assert ACCESS_TOKEN not in repr(result)
    assert "foor_9e8d7c6b5a4f3e2d1c0b" not in repr(result)


def _check_app(result: Any) -> None:
    assert isinstance(result, models.OAuthApp)
    assert result.client_id == "foapp_123"
    assert result.client_secret == APP_SECRET
    assert result.model_extra == {"name": "My Integration"}  # undocumented fields are kept
    assert APP_SECRET not in repr(result)


def _check_customer_page(result: Any) -> None:
    assert isinstance(result, Page)
    assert len(result.items) == 1
    _check_customer(result.items[0])


CASES: list[Case] = [
    # ---------------------------------------------------------------- customers (5)
    Case(
        "customers.list", "GET", "/api/v3/customers", Reply(200, json={"customers": [CUSTOMER]}),
        lambda c: c.customers.list(per_page=50).first_page(), _check_customer_page,
        query={"page": ["1"], "per_page": ["50"]},
    ),
    Case(
        "customers.create", "POST", "/api/v3/customers", Reply(200, json=CUSTOMER),
        lambda c: c.customers.create(email="ada@example.com", name="Ada Lovelace", labels=["enterprise", "beta"], starred=True),
        _check_customer,
        body={"email": "ada@example.com", "name": "Ada Lovelace", "labels": ["enterprise", "beta"], "starred": True},
    ),
    Case(
        "customers.update", "PUT", "/api/v3/customers", Reply(200, json=CUSTOMER),
        lambda c: c.customers.update(
            email="ada@example.com", name="Ada Lovelace", user_token=USER_JWT, blocked=False,
            custom_fields={"kind": "Vendor", "seats": 25},
        ),
        _check_customer,
        body={"email": "ada@example.com", "name": "Ada Lovelace", "blocked": False, "custom_fields": {"kind": "Vendor", "seats": 25}},
        authorization=f"Bearer {USER_JWT}",
    ),
    Case(
        "customers.update_by_id", "PUT", "/api/v3/customers/9116912321", Reply(200, json=CUSTOMER),
        lambda c: c.customers.update_by_id(
            9116912321, name="Ada Lovelace", starred=True,
            profile_picture_url="https://cdn.example.com/ada.png",
        ),
        _check_customer,
        body={"name": "Ada Lovelace", "starred": True, "profile_picture_url": "https://cdn.example.com/ada.png"},
    ),
    Case(
        "customers.delete", "DELETE", "/api/v3/customers", Reply(200, json={"success": True}),
        lambda c: c.customers.delete(email="ada@example.com"), _is_none,
        query={"email": ["ada@example.com"]},
    ),
    # ------------------------------------------------------------------ buckets (1)
    Case(
        "buckets.list", "GET", "/api/v3/buckets",
        Reply(200, json={"buckets": [BUCKET, {"id": 2, "name": "Bugs", "display_name": "Bugs", "slug": "bugs"}]}),
        lambda c: c.buckets.list(),
        lambda r: _is(models.BucketList)(r) or [b.id for b in r.buckets] == [1, 2] or pytest.fail(repr(r)),
    ),
    # -------------------------------------------------------------------- posts (9)
    Case(
        "posts.create_on_behalf", "POST", "/api/v3/feature_requests/post_on_behalf", Reply(200, json={"feature_request": POST}),
        lambda c: c.posts.create_on_behalf(user_token=USER_JWT, title="Dark mode", bucket_id=1),
        lambda r: r == {"feature_request": POST} or pytest.fail(repr(r)),
        body={"title": "Dark mode", "bucket_id": 1},
        authorization=f"Bearer {USER_JWT}",
    ),
    Case(
        "posts.list", "GET", "/api/v3/feature_requests",
        Reply(200, json={"feature_requests": [POST, {**POST, "id": 4243, "status": "planned"}]}),
        lambda c: c.posts.list(
            page=2, per_page=30, approval_status="approved", bucket_id=1, sort="top",
            from_date=datetime.date(2024, 5, 1), to_date=datetime.date(2024, 5, 31), allow_private=True,
        ),
        _check_post_list,
        query={
            "page": ["2"], "per_page": ["30"], "approval_status": ["approved"], "bucket_id": ["1"], "sort": ["top"],
            "from_date": ["2024-05-01"], "to_date": ["2024-05-31"],
        },
        headers={"ALLOW-PRIVATE": "true"},
    ),
    Case(
        "posts.retrieve", "GET", "/api/v3/feature_requests/4242", Reply(200, json=POST),
        lambda c: c.posts.retrieve(4242, allow_private=False), _check_post, headers={"ALLOW-PRIVATE": "false"},
    ),
    Case(
        "posts.create", "POST", "/api/v3/feature_requests", Reply(201, json=POST),
        lambda c: c.posts.create(title="Dark mode", bucket_id=1, description="<p>Please</p>", tag_ids=[3, 4], user_token=USER_JWT),
        _check_post,
        body={"title": "Dark mode", "bucket_id": 1, "description": "<p>Please</p>", "tag_ids": [3, 4]},
        authorization=USER_JWT,  # as the Freshworks app sends it: the bare JWT
    ),
    Case(
        "posts.update", "PUT", "/api/v3/feature_requests/4242", Reply(200, json=POST),
        lambda c: c.posts.update(4242, approval_status="approved", state_id=9), _check_post,
        body={"approval_status": "approved", "state_id": 9},
    ),
    Case(
        "posts.delete", "DELETE", "/api/v3/feature_requests/4242", Reply(204),
        lambda c: c.posts.delete(4242), _is_none,
    ),
    Case(
        "posts.list_merged", "GET", "/api/v3/feature_requests/4242/merge_posts",
        Reply(200, json={"feature_requests": [{**POST, "id": 4243, "parent_id": 4242}]}),
        lambda c: c.posts.list_merged(4242, user_token=USER_JWT),
        lambda r: r["feature_requests"][0]["parent_id"] == 4242 or pytest.fail(repr(r)),
        authorization=f"Bearer {USER_JWT}",
    ),
    Case(
        "posts.merge", "POST", "/api/v3/feature_requests/4242/merge_posts", Reply(200, json={"success": True}),
        lambda c: c.posts.merge(4242, user_token=USER_JWT, child_feature_request_ids=[4243, 4244]),
        lambda r: r == {"success": True} or pytest.fail(repr(r)),
        body={"child_feature_request_ids": [4243, 4244]},
        authorization=f"Bearer {USER_JWT}",
    ),
    Case(
        "posts.unmerge", "DELETE", "/api/v3/feature_requests/unmerge/4243", Reply(200, json={"success": True}),
        lambda c: c.posts.unmerge(4243, user_token=USER_JWT),
        lambda r: r == {"success": True} or pytest.fail(repr(r)),
        authorization=f"Bearer {USER_JWT}",
    ),
    # ----------------------------------------------------------------- comments (5)
    Case(
        "comments.list", "GET", "/api/v3/comments", Reply(200, json={"comments": [COMMENT]}),
        lambda c: c.comments.list(feature_request_id=4242, page=1, per_page=100, from_date=datetime.date(2024, 1, 1)),
        lambda r: _is(models.CommentList)(r) or _is(models.Comment, id=777, comment="Yes please!")(r.comments[0]),
        query={"feature_request_id": ["4242"], "page": ["1"], "per_page": ["100"], "from_date": ["2024-01-01"]},
    ),
    Case(
        "comments.retrieve", "GET", "/api/v3/comments/777", Reply(200, json=COMMENT),
        lambda c: c.comments.retrieve(777), _is(models.Comment, id=777, feature_request_id=4242),
    ),
    Case(
        "comments.create", "POST", "/api/v3/comments", Reply(201, json={**COMMENT, "internal": True}),
        lambda c: c.comments.create(feature_request_id=4242, comment="Yes please!", internal=True),
        _is(models.Comment, internal=True),
        body={"feature_request_id": 4242, "comment": "Yes please!", "internal": True},
    ),
    Case(
        "comments.update", "PUT", "/api/v3/comments/777", Reply(200, json={**COMMENT, "pinned": True}),
        lambda c: c.comments.update(777, pinned=True), _is(models.Comment, pinned=True), body={"pinned": True},
    ),
    Case(
        "comments.delete", "DELETE", "/api/v3/comments/777", Reply(200, json={"success": True}),
        lambda c: c.comments.delete(777), _is_none,
    ),
    # -------------------------------------------------------------------- votes (1)
    Case(
        "votes.create_on_behalf", "POST", "/api/v3/votes_on_behalf", Reply(200, json={"success": True, "votes_count": 58}),
        lambda c: c.votes.create_on_behalf(by_email="ada@example.com", feature_request_id=4242),
        lambda r: r == {"success": True, "votes_count": 58} or pytest.fail(repr(r)),
        body={"by_email": "ada@example.com", "feature_request_id": 4242},
    ),
    # ------------------------------------------------------------------ session (1)
    Case(
        "session.retrieve", "GET", "/api/v3/session_info", Reply(200, json=SESSION),
        lambda c: c.session.retrieve(), _check_session,  # the client's credential (see the access-token tests)
    ),
    # -------------------------------------------------------------------- oauth (3)
    Case(
        "oauth.register_app", "POST", "/oauth/apps", Reply(201, json=OAUTH_APP),
        lambda c: c.oauth.register_app(
            user_token=USER_JWT, organization="acme", name="My Integration",
            redirect_uris=["https://myapp.example.com/callback"], allowed_actor_modes=["app", "self"],
            declared_scopes=["posts:read", "posts:write"],
        ),
        _check_app,
        body={
            "name": "My Integration", "redirect_uris": ["https://myapp.example.com/callback"],
            "allowed_actor_modes": ["app", "self"], "declared_scopes": ["posts:read", "posts:write"],
        },
        authorization=f"Bearer {USER_JWT}", sends_key=False, headers={"X-Organization": "acme"},
    ),
    Case(
        "oauth.authorize", "GET", "/oauth/authorize", Reply(200, json=CONSENT),
        lambda c: c.oauth.authorize(
            user_token=USER_JWT, organization="target-org", client_id="foapp_123",
            redirect_uri="https://myapp.example.com/callback", scope="posts:read posts:write", actor="self",
        ),
        lambda r: r == CONSENT or pytest.fail(repr(r)),
        query={
            "client_id": ["foapp_123"], "redirect_uri": ["https://myapp.example.com/callback"],
            "scope": ["posts:read posts:write"], "actor": ["self"],
        },
        authorization=f"Bearer {USER_JWT}", sends_key=False, headers={"X-Organization": "target-org"},
    ),
    Case(
        "oauth.exchange_token", "POST", "/oauth/token", Reply(200, json=TOKENS),
        lambda c: c.oauth.exchange_token(
            grant_type="authorization_code", client_id="foapp_123", client_secret="fosec_456", code="fooc_789",
            redirect_uri="https://app.example/callback",
        ),
        _check_tokens,
        body={
            "grant_type": "authorization_code", "client_id": "foapp_123", "client_secret": "fosec_456", "code": "fooc_789",
            "redirect_uri": "https://app.example/callback",
        },
        sends_key=False,
    ),
]


def test_every_operation_has_a_case() -> None:
    covered = {case.operation for case in CASES}
    assert len(CASES) == len(covered)
    assert covered == documented_operations("featureos") == generated_operations("featureos_api")


@pytest.mark.parametrize("case", CASES, ids=[case.operation for case in CASES])
def test_operation(server: APIServer, client: FeatureOS, case: Case) -> None:
    server.route(case.method, case.path, handler=lambda _request: case.reply)
    result = case.call(client)

    request = server.only_request()
    assert request.method == case.method
    assert request.path == case.path
    assert request.raw_path == case.path
    assert request.query == case.query
    assert request.header("API-KEY") == (API_KEY if case.sends_key else None)
    assert request.header("Authorization") == case.authorization
    for name, value in case.headers.items():
        assert request.header(name) == value, name
    if case.body is NO_BODY:
        assert request.body == b""
    else:
        assert request.header("Content-Type") == "application/json"
        assert request.json() == case.body
    case.check(result)


def test_user_token_on_an_optional_header(server: APIServer, client: FeatureOS) -> None:
    server.route("DELETE", "/api/v3/customers", status=204)

    client.customers.delete(email="ada@example.com", user_token=USER_JWT)

    request = server.only_request()
    assert request.header("API-KEY") == API_KEY
    assert request.header("Authorization") == f"Bearer {USER_JWT}"
    assert request.query == {"email": ["ada@example.com"]}


def test_user_token_is_not_in_an_error(server: APIServer, client: FeatureOS) -> None:
    server.route("POST", "/api/v3/feature_requests/post_on_behalf", status=401,
                 json={"message": "Invalid SSO token", "error": "ERROR_CODE_INVALID_PARAM"})

    with pytest.raises(AuthenticationError) as caught:
        client.posts.create_on_behalf(user_token=USER_JWT, title="Dark mode", bucket_id=1)

    assert USER_JWT not in str(caught.value)
    assert API_KEY not in str(caught.value)
    assert API_KEY not in repr(client)


@pytest.mark.parametrize("shared", [False, True], ids=["own httpx client", "shared httpx client"])
def test_the_key_shows_nowhere_a_program_prints(server: APIServer, shared: bool) -> None:
    # httpx hides only Authorization in a repr() of headers; the key goes in API-KEY. Also
    # vars(client), which a debugger's variables pane or a structured logger shows. The key
    # is still sent, redirect included.
    server.route("GET", "/api/v3/customers", status=307, headers={"Location": "/api/v3/customers-moved"})
    server.route("GET", "/api/v3/customers-moved", status=404, json={"message": "gone"})
    http_client = httpx.Client() if shared else None

    with FeatureOS(API_KEY, base_url=server.url, http_client=http_client) as featureos, pytest.raises(NotFoundError) as caught:
        featureos.customers.list().first_page()
    if http_client is not None:
        http_client.close()

    printed = [repr(vars(featureos)), repr(caught.value.request.headers), repr(caught.value.response.request.headers)]
    if not shared:
        printed.append(repr(featureos._http.headers))  # our pool sends the key with every request
        assert featureos._http.headers["API-KEY"] == API_KEY
    assert all(API_KEY not in text for text in printed), printed
    assert "'api-key': '[secure]'" in printed[1]
    assert caught.value.request.headers["API-KEY"] == API_KEY
    assert [request.header("API-KEY") for request in server.requests] == [API_KEY, API_KEY]


@pytest.mark.parametrize("shared", [False, True], ids=["own httpx client", "shared httpx client"])
def test_a_refused_argument_leaves_no_key_in_the_tracebacks_variables(server: APIServer, shared: bool) -> None:
    # pytest --showlocals and Sentry print every frame's variables: the credential goes on the
    # request only after every check that can fail.
    http_client = httpx.Client() if shared else None
    with FeatureOS(API_KEY, base_url=server.url, http_client=http_client) as featureos, pytest.raises(ValueError, match="not a number JSON can hold") as caught:
        featureos.customers.update(email="ada@example.com", name="Ada", custom_fields={"score": float("nan")})
    if http_client is not None:
        http_client.close()

    frames = [frame for frame, _ in traceback.walk_tb(caught.tb)]
    assert any(frame.f_code.co_name == "build_request" for frame in frames)
    shown = [f"{name}={value!r}" for frame in frames for name, value in frame.f_locals.items()]
    assert not [text for text in shown if API_KEY in text]
    assert server.requests == []


def test_an_error_that_echoes_a_secret_argument_has_it_redacted(server: APIServer, client: FeatureOS) -> None:
    # The client's key was always cut out of an error's text; a user's token or an app's
    # client secret, arguments the spec marks secret, are cut out too.
    def echo(request: Recorded) -> Reply:
        echoed = request.header("Authorization") or request.body.decode()
        return Reply(401, json={"message": f"rejected: {echoed}", "error": echoed[-40:]})

    server.route("POST", "/api/v3/feature_requests/post_on_behalf", echo)
    server.route("POST", "/oauth/token", echo)
    client_secret, refresh_token = "fosec_9d1c7e3a5b2f4e6d8a0c", "foor_1e5a9c3d7b2f6e0a4c8d"

    with pytest.raises(AuthenticationError) as on_behalf:
        client.posts.create_on_behalf(user_token=USER_JWT, title="Dark mode", bucket_id=1)
    with pytest.raises(AuthenticationError) as exchange:
        client.oauth.exchange_token(grant_type="refresh_token", client_id="foapp_1", client_secret=client_secret, refresh_token=refresh_token)

    assert str(on_behalf.value).startswith("401 Unauthorized: rejected: Bearer <redacted>")
    assert '"client_secret":"<redacted>"' in str(exchange.value)
    assert '"refresh_token":"<redacted>"' in str(exchange.value)
    for error, secrets in ((on_behalf.value, [USER_JWT]), (exchange.value, [client_secret, refresh_token])):
        shown = [str(error), repr(error), error.message, error.code or ""]
        assert not [text for text in shown for secret in secrets if secret in text]
        assert any(secret in str(error.body) for secret in secrets)  # the body is kept as it came


def test_async_user_token(server: APIServer) -> None:
    server.route("POST", "/api/v3/feature_requests/post_on_behalf", json={"success": True})

    async def main() -> Any:
        async with AsyncFeatureOS(API_KEY, base_url=server.url) as featureos:
            return await featureos.posts.create_on_behalf(user_token=USER_JWT, title="Dark mode", bucket_id=1)

    assert asyncio.run(main()) == {"success": True}
    request = server.only_request()
    assert request.header("API-KEY") == API_KEY
    assert request.header("Authorization") == f"Bearer {USER_JWT}"
    assert request.json() == {"title": "Dark mode", "bucket_id": 1}


# --------------------------------------------------------------------------- pagination


def _customer(number: int) -> dict[str, Any]:
    return {**CUSTOMER, "id": 1000 + number, "email": f"user{number}@example.com"}


def _paged(total: int) -> Callable[[Recorded], Reply]:
    """Answers page (1-based) / per_page from `total` customers, as featureOS would."""
    customers = [_customer(number) for number in range(total)]

    def handler(request: Recorded) -> Reply:
        number = int(request.query.get("page", ["1"])[0])
        size = int(request.query.get("per_page", ["20"])[0])
        return Reply(200, json={"customers": customers[(number - 1) * size : number * size]})

    return handler


def _page_params(server: APIServer) -> list[tuple[str | None, str | None]]:
    return [(r.query.get("page", [None])[0], r.query.get("per_page", [None])[0]) for r in server.requests]


def test_iterates_every_page_and_stops_on_a_short_page(server: APIServer, client: FeatureOS) -> None:
    server.route("GET", "/api/v3/customers", handler=_paged(total=5))

    customers = list(client.customers.list(per_page=2))

    assert [customer.id for customer in customers] == [1000, 1001, 1002, 1003, 1004]
    assert all(isinstance(customer, Customer) for customer in customers)
    assert _page_params(server) == [("1", "2"), ("2", "2"), ("3", "2")]
    for request in server.requests:
        assert request.path == "/api/v3/customers"
        assert request.header("API-KEY") == API_KEY


def test_a_list_starts_at_the_page_asked_for(server: APIServer, client: FeatureOS) -> None:
    server.route("GET", "/api/v3/customers", handler=_paged(total=7))

    from_page_3 = [customer.id for customer in client.customers.list(page=3, per_page=2)]
    pages = _page_params(server)
    server.requests.clear()
    # The same through extra_query: where the walk starts, not a page number sent every time.
    via_extra_query = [customer.id for customer in client.customers.list(per_page=2, options=RequestOptions(extra_query={"page": 3, "locale": "en"}))]

    assert from_page_3 == via_extra_query == [1004, 1005, 1006]
    assert pages == _page_params(server) == [("3", "2"), ("4", "2")]
    assert all(request.query["locale"] == ["en"] for request in server.requests)


def test_a_page_survives_pickle_without_the_request_that_carries_the_key(server: APIServer, client: FeatureOS) -> None:
    server.route("GET", "/api/v3/customers", handler=_paged(total=3))
    page = client.customers.list(per_page=2).first_page()
    assert page.response.request.headers["API-KEY"] == API_KEY

    data = pickle.dumps(page)
    copied = pickle.loads(data)

    assert API_KEY.encode() not in data
    assert (copied.items, copied.total, copied.next_cursor, copied.has_more) == (page.items, None, None, None)
    assert (copied.response.status_code, copied.response.json()) == (200, page.response.json())
    assert page.response.request.headers["API-KEY"] == API_KEY  # the page itself keeps it all


def test_iterates_every_page_async(server: APIServer) -> None:
    server.route("GET", "/api/v3/customers", handler=_paged(total=5))

    async def main() -> list[Customer]:
        async with AsyncFeatureOS(API_KEY, base_url=server.url, max_retries=0) as featureos:
            return [customer async for customer in featureos.customers.list(per_page=2)]

    customers = asyncio.run(main())

    assert [customer.id for customer in customers] == [1000, 1001, 1002, 1003, 1004]
    assert _page_params(server) == [("1", "2"), ("2", "2"), ("3", "2")]


def test_stops_on_an_empty_page(server: APIServer, client: FeatureOS) -> None:
    # 6 customers in pages of 2: the third page is full, so a fourth (empty) one is asked for.
    server.route("GET", "/api/v3/customers", handler=_paged(total=6))

    customers = list(client.customers.list(per_page=2))

    assert len(customers) == 6
    assert _page_params(server) == [("1", "2"), ("2", "2"), ("3", "2"), ("4", "2")]


def test_pages_one_at_a_time(server: APIServer, client: FeatureOS) -> None:
    server.route("GET", "/api/v3/customers", handler=_paged(total=3))

    pages = list(client.customers.list(per_page=2).pages())

    assert [[c.id for c in p.items] for p in pages] == [[1000, 1001], [1002]]
    assert all(p.total is None for p in pages)


def test_the_empty_page_that_ends_the_list_is_not_one_of_its_pages(server: APIServer, client: FeatureOS) -> None:
    server.route("GET", "/api/v3/customers", handler=_paged(total=4))

    pages = list(client.customers.list(per_page=2).pages())

    assert [[c.id for c in p.items] for p in pages] == [[1000, 1001], [1002, 1003]]
    assert len(server.requests) == 3  # the third, empty, page was asked for and not yielded


def test_an_empty_list_is_one_empty_page(server: APIServer, client: FeatureOS) -> None:
    server.route("GET", "/api/v3/customers", handler=_paged(total=0))

    assert [p.items for p in client.customers.list(per_page=2).pages()] == [[]]


def test_first_page_fetches_one_page(server: APIServer, client: FeatureOS) -> None:
    server.route("GET", "/api/v3/customers", handler=_paged(total=5))

    first = client.customers.list(per_page=2).first_page()

    assert isinstance(first, Page)
    assert [customer.id for customer in first.items] == [1000, 1001]
    assert _page_params(server) == [("1", "2")]


def test_first_page_async(server: APIServer) -> None:
    server.route("GET", "/api/v3/customers", handler=_paged(total=5))

    async def main() -> Page[Customer]:
        async with AsyncFeatureOS(API_KEY, base_url=server.url) as featureos:
            return await featureos.customers.list(per_page=2).first_page()

    assert [customer.id for customer in asyncio.run(main()).items] == [1000, 1001]
    assert _page_params(server) == [("1", "2")]


def test_a_repeated_page_stops_iteration(server: APIServer, client: FeatureOS) -> None:
    # A server that ignores `page` answers the same full page every time. The pager must
    # notice the repeat; the handler gives up after 20 requests so the test cannot hang.
    def same_page(request: Recorded) -> Reply:
        if len(server.requests) > 20:
            return Reply(200, json={"customers": []})
        return Reply(200, json={"customers": [_customer(0), _customer(1)]})

    server.route("GET", "/api/v3/customers", handler=same_page)

    customers = list(client.customers.list(per_page=2))

    assert [customer.id for customer in customers] == [1000, 1001]
    assert len(server.requests) == 3  # the second repeat in a row ends it


def test_per_page_is_checked_before_sending(server: APIServer, client: FeatureOS) -> None:
    with pytest.raises(ValueError, match="per_page"):
        client.customers.list(per_page=101)
    with pytest.raises(ValueError, match="per_page"):
        client.customers.list(per_page=0)
    with pytest.raises(ValueError, match="page"):
        client.posts.list(page=0)
    assert server.requests == []


def test_merges_and_app_registrations_are_checked_before_sending(server: APIServer, client: FeatureOS) -> None:
    with pytest.raises(ValueError, match="child_feature_request_ids"):
        client.posts.merge(4242, user_token=USER_JWT, child_feature_request_ids=list(range(31)))  # at most 30
    with pytest.raises(ValueError, match="child_feature_request_ids"):
        client.posts.merge(4242, user_token=USER_JWT, child_feature_request_ids=[])
    with pytest.raises(ValueError, match="declared_scopes"):
        client.oauth.register_app(
            user_token=USER_JWT, organization="acme", name="My Integration",
            redirect_uris=["https://myapp.example.com/callback"], allowed_actor_modes=["app"],
            declared_scopes=["posts:admin"],
        )
    with pytest.raises(TypeError, match="organization"):
        client.oauth.authorize(user_token=USER_JWT, client_id="foapp_123", redirect_uri="https://myapp.example.com/callback")  # type: ignore[call-arg]
    assert server.requests == []


# --------------------------------------------------------------------------- HTTPS only


def test_plain_http_to_a_remote_host_is_refused() -> None:
    with pytest.raises(ValueError, match="HTTPS"):
        FeatureOS(API_KEY, base_url="http://example.com")
    # Not even when the caller opts into insecure HTTP: the API does not honour it.
    with pytest.raises(ValueError, match="HTTPS"):
        FeatureOS(API_KEY, base_url="http://example.com", allow_insecure_http=True)
    with pytest.raises(ValueError, match="HTTPS"):
        AsyncFeatureOS(API_KEY, base_url="http://api.featureos.app")


def test_plain_http_from_the_environment_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FEATUREOS_BASE_URL", "http://example.com")
    with pytest.raises(ValueError, match="HTTPS"):
        FeatureOS(API_KEY)


def test_plain_http_to_loopback_is_allowed(server: APIServer) -> None:
    assert server.url.startswith("http://127.0.0.1:")
    server.route("GET", "/api/v3/buckets", json={"buckets": [BUCKET]})

    with FeatureOS(API_KEY, base_url=server.url) as featureos:
        assert featureos.base_url == server.url
        assert featureos.buckets.list().buckets[0].name == "Feature Requests"
    port = server.url.rsplit(":", 1)[1]
    with FeatureOS(API_KEY, base_url=f"http://localhost:{port}") as featureos:
        assert featureos.base_url == f"http://localhost:{port}"

    assert server.only_request().header("API-KEY") == API_KEY


def test_default_base_url_is_https(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("FEATUREOS_BASE_URL", raising=False)
    with FeatureOS(API_KEY) as featureos:
        assert featureos.base_url == "https://api.featureos.app"


# --------------------------------------------------------------------------- without an API key
# A third-party app holds OAuth tokens, not an organization's API key: it exchanges a code
# or refresh token without any credential, then builds a client with access_token=, which
# sends "Authorization: Bearer <token>" and never the API-KEY header.


@pytest.fixture
def no_credentials_in_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("FEATUREOS_API_KEY", raising=False)
    monkeypatch.delenv("FEATUREOS_ACCESS_TOKEN", raising=False)


@pytest.mark.usefixtures("no_credentials_in_the_environment")
def test_an_app_exchanges_a_token_then_calls_with_it(server: APIServer) -> None:
    server.route("POST", "/oauth/token", json=TOKENS)
    server.route("GET", "/api/v3/session_info", json=SESSION)
    server.route("POST", "/api/v3/votes_on_behalf", json={"success": True})
    server.route("GET", "/api/v3/customers", json={"customers": [CUSTOMER]})

    with FeatureOS(base_url=server.url, max_retries=0) as featureos:
        tokens = featureos.oauth.exchange_token(
            grant_type="refresh_token", client_id="foapp_123", client_secret="fosec_456", refresh_token="foor_1"
        )
    with FeatureOS(access_token=tokens.access_token, base_url=server.url, max_retries=0) as featureos:
        session = featureos.session.retrieve()
        featureos.votes.create_on_behalf(feature_request_id=4242)
        customers = featureos.customers.list().first_page().items

    assert session.actor == "app" and customers[0].email == CUSTOMER["email"]
    assert [request.path for request in server.requests] == [
        "/oauth/token", "/api/v3/session_info", "/api/v3/votes_on_behalf", "/api/v3/customers"]
    assert [request.header("API-KEY") for request in server.requests] == [None] * 4
    assert [request.header("Authorization") for request in server.requests] == [None] + [f"Bearer {ACCESS_TOKEN}"] * 3


@pytest.mark.parametrize("shared", [False, True], ids=["own httpx client", "shared httpx client"])
@pytest.mark.usefixtures("no_credentials_in_the_environment")
def test_an_access_token_never_goes_where_the_spec_takes_no_credential(server: APIServer, shared: bool) -> None:
    server.route("POST", "/oauth/token", json=TOKENS)
    http_client = httpx.Client() if shared else None

    with FeatureOS(access_token=ACCESS_TOKEN, base_url=server.url, http_client=http_client) as featureos:
        featureos.oauth.exchange_token(grant_type="refresh_token", client_id="foapp_123", client_secret="fosec_456", refresh_token="foor_1")
    if http_client is not None:
        http_client.close()

    assert server.only_request().header("Authorization") is None


@pytest.mark.parametrize("shared", [False, True], ids=["own httpx client", "shared httpx client"])
@pytest.mark.usefixtures("no_credentials_in_the_environment")
def test_a_user_token_and_an_access_token_both_in_authorization_are_refused(server: APIServer, shared: bool) -> None:
    # One would replace the other; before, the user's token was dropped without a word.
    server.route("DELETE", "/api/v3/customers", status=204)
    http_client = httpx.Client() if shared else None
    with FeatureOS(access_token=ACCESS_TOKEN, base_url=server.url, http_client=http_client) as featureos:
        with pytest.raises(ValueError, match=r"the Authorization header is both this call's own and where the client's access_token goes") as caught:
            featureos.posts.create_on_behalf(user_token=USER_JWT, title="Dark mode", bucket_id=1)
        with pytest.raises(ValueError, match="access_token goes"):
            featureos.customers.delete(email="ada@example.com", user_token=USER_JWT)
        with pytest.raises(ValueError, match="access_token goes"):
            featureos.posts.merge(4242, user_token=USER_JWT, child_feature_request_ids=[4243])
        featureos.customers.delete(email="ada@example.com")  # without the header, the token goes
    if http_client is not None:
        http_client.close()

    assert USER_JWT not in str(caught.value) and ACCESS_TOKEN not in str(caught.value)
    assert server.only_request().header("Authorization") == f"Bearer {ACCESS_TOKEN}"


def test_async_access_token(server: APIServer, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FEATUREOS_API_KEY", "")
    monkeypatch.setenv("FEATUREOS_ACCESS_TOKEN", ACCESS_TOKEN)  # read when no credential is passed
    server.route("GET", "/api/v3/session_info", json=SESSION)

    async def main() -> Any:
        async with AsyncFeatureOS(base_url=server.url) as featureos:
            return await featureos.session.retrieve()

    assert asyncio.run(main()).actor == "app"
    assert server.only_request().header("Authorization") == f"Bearer {ACCESS_TOKEN}"
    assert server.only_request().header("API-KEY") is None


@pytest.mark.parametrize(("environment", "sent"), [
    ({"FEATUREOS_API_KEY": API_KEY, "FEATUREOS_ACCESS_TOKEN": ACCESS_TOKEN}, ("API-KEY", API_KEY)),
    ({"FEATUREOS_ACCESS_TOKEN": ACCESS_TOKEN}, ("Authorization", f"Bearer {ACCESS_TOKEN}")),
], ids=["both set: the key", "only the token"])
@pytest.mark.usefixtures("no_credentials_in_the_environment")
def test_with_no_credential_passed_the_environment_decides_in_order(
    server: APIServer, monkeypatch: pytest.MonkeyPatch, environment: dict[str, str], sent: tuple[str, str]
) -> None:
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    server.route("GET", "/api/v3/buckets", json={"buckets": []})

    with FeatureOS(base_url=server.url) as featureos:
        featureos.buckets.list()

    request = server.only_request()
    assert request.header(sent[0]) == sent[1]
    assert request.header("Authorization" if sent[0] == "API-KEY" else "API-KEY") is None


def test_a_credential_passed_in_beats_the_environment(server: APIServer, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FEATUREOS_API_KEY", API_KEY)
    server.route("GET", "/api/v3/buckets", json={"buckets": []})

    with FeatureOS(access_token=ACCESS_TOKEN, base_url=server.url) as featureos:
        featureos.buckets.list()

    assert server.only_request().header("API-KEY") is None
    assert server.only_request().header("Authorization") == f"Bearer {ACCESS_TOKEN}"


def test_two_credentials_are_refused_without_showing_either() -> None:
    with pytest.raises(ValueError, match=r"FeatureOS takes one credential, not api_key= and access_token=") as caught:
        FeatureOS(API_KEY, access_token=ACCESS_TOKEN)

    assert API_KEY not in str(caught.value) and ACCESS_TOKEN not in str(caught.value)


def test_a_token_that_cannot_be_a_header_is_refused_by_name() -> None:
    with pytest.raises(ValueError, match=r"The access_token \(access_token or FEATUREOS_ACCESS_TOKEN\)") as caught:
        FeatureOS(access_token="foot_abc\nX-Injected: 1")

    assert "foot_abc" not in str(caught.value)


@pytest.mark.parametrize("mode", ["sync", "async"])
@pytest.mark.usefixtures("no_credentials_in_the_environment")
def test_without_a_credential_an_operation_that_needs_one_fails_before_sending(server: APIServer, mode: str) -> None:
    expected = (r"GET /api/v3/customers needs an API key or another credential: pass one of api_key=\.\.\., "
                r"access_token=\.\.\., or set one of FEATUREOS_API_KEY, FEATUREOS_ACCESS_TOKEN\.")
    with pytest.raises(ValueError, match=expected):
        if mode == "sync":
            with FeatureOS(base_url=server.url) as featureos:
                featureos.customers.list().first_page()
        else:

            async def main() -> None:
                async with AsyncFeatureOS(base_url=server.url) as featureos:
                    await featureos.customers.list().first_page()

            asyncio.run(main())

    assert server.requests == []


@pytest.mark.parametrize("shared", [False, True], ids=["own httpx client", "shared httpx client"])
def test_with_a_key_it_never_goes_where_the_spec_takes_none(server: APIServer, shared: bool) -> None:
    server.route("POST", "/oauth/token", json=TOKENS)
    server.route("POST", "/api/v3/votes_on_behalf", json={"success": True})
    http_client = httpx.Client() if shared else None

    with FeatureOS(API_KEY, base_url=server.url, http_client=http_client) as featureos:
        featureos.oauth.exchange_token(grant_type="refresh_token", client_id="foapp_123", client_secret="fosec_456", refresh_token="foor_1")
        featureos.votes.create_on_behalf(by_email="ada@example.com")
    if http_client is not None:
        http_client.close()

    assert [request.header("API-KEY") for request in server.requests] == [None, API_KEY]


def test_an_oauth_error_body_gives_its_description(server: APIServer, client: FeatureOS) -> None:
    # RFC 6749, section 5.2: {"error": code, "error_description": text}, not {"message": ...}.
    body = {"error": "invalid_grant", "error_description": "The refresh token has expired."}
    server.route("POST", "/oauth/token", status=400, json=body)

    with pytest.raises(BadRequestError) as caught:
        client.oauth.exchange_token(grant_type="refresh_token", client_id="foapp_123", client_secret="fosec_456", refresh_token="foor_1")

    assert caught.value.code == "invalid_grant"
    assert caught.value.message == "The refresh token has expired."
    assert str(caught.value) == "400 Bad Request: The refresh token has expired. (invalid_grant)"


def test_an_extra_header_of_the_key_s_name_is_the_caller_s(server: APIServer, client: FeatureOS) -> None:
    server.route("POST", "/oauth/token", json=TOKENS)

    client.oauth.exchange_token(
        grant_type="refresh_token", client_id="foapp_123", client_secret="fosec_456", refresh_token="foor_1",
        options=RequestOptions(extra_headers={"API-KEY": "hn_other"}),
    )

    assert server.only_request().header("API-KEY") == "hn_other"


def test_a_blank_key_counts_as_none(monkeypatch: pytest.MonkeyPatch, server: APIServer) -> None:
    monkeypatch.setenv("FEATUREOS_API_KEY", "")
    monkeypatch.delenv("FEATUREOS_ACCESS_TOKEN", raising=False)
    server.route("POST", "/oauth/token", json=TOKENS)

    with FeatureOS(base_url=server.url) as featureos:
        featureos.oauth.exchange_token(grant_type="refresh_token", client_id="foapp_123", client_secret="fosec_456", refresh_token="foor_1")
        with pytest.raises(ValueError, match="needs an API key"):
            featureos.customers.list().first_page()

    assert server.only_request().header("API-KEY") is None


# --------------------------------------------------------------------------- errors


NO_RETRY = RequestOptions(max_retries=0)

STATUS_CASES = [
    (400, BadRequestError, "ERROR_CODE_INVALID_PARAM", "email is invalid"),
    (401, AuthenticationError, None, "API key is invalid"),
    (403, PermissionDeniedError, None, "Insufficient permissions"),
    (404, NotFoundError, "ERROR_CODE_NOT_FOUND", "Customer not found"),
    (418, APIStatusError, None, "I'm a teapot"),
    (422, UnprocessableEntityError, "ERROR_CODE_CANNOT_DELETE", "Customer cannot be deleted"),
    (429, RateLimitError, "ERROR_CODE_RATE_LIMITED", "Rate limit exceeded"),
    (500, InternalServerError, None, "Something went wrong"),
    (503, InternalServerError, None, "Service unavailable"),
]


@pytest.mark.parametrize(("status", "kind", "code", "message"), STATUS_CASES, ids=[str(s[0]) for s in STATUS_CASES])
def test_status_maps_onto_the_exception_tree(
    server: APIServer, status: int, kind: type, code: str | None, message: str
) -> None:
    body: dict[str, Any] = {"message": message}
    if code:
        body["error"] = code
    server.route("PUT", "/api/v3/customers/1001", status=status, json=body)

    # A client that would retry: the per-call option turns retries off.
    with FeatureOS(API_KEY, base_url=server.url) as featureos, pytest.raises(APIStatusError) as caught:
        featureos.customers.update_by_id(1001, name="Ada", options=NO_RETRY)

    error = caught.value
    assert type(error) is kind
    assert error.status_code == status
    assert error.code == code
    assert message in str(error)
    assert error.body == body
    assert API_KEY not in str(error)
    assert len(server.requests) == 1


def test_validation_details_land_on_the_exception(server: APIServer, client: FeatureOS) -> None:
    body = {"message": "Validation failed", "error": "ERROR_CODE_MISSING_PARAM", "errors": {"title": ["can't be blank"]}}
    server.route("POST", "/api/v3/feature_requests", status=400, json=body)

    with pytest.raises(BadRequestError) as caught:
        client.posts.create(title="", bucket_id=1)

    assert caught.value.code == "ERROR_CODE_MISSING_PARAM"
    assert caught.value.details == {"title": ["can't be blank"]}
    assert "Validation failed" in str(caught.value)


def test_error_message_attribute_is_the_apis_own_message(server: APIServer, client: FeatureOS) -> None:
    # docs/spec-format.md: each exception carries `message` and `code` "read from these paths"
    # (errors.message: message, errors.code: error); APIStatusError.message is documented as
    # "The API's own message".
    server.route("GET", "/api/v3/buckets", status=401, json={"message": "API key is invalid", "error": "ERROR_CODE_INVALID_PARAM"})

    with pytest.raises(AuthenticationError) as caught:
        client.buckets.list()

    assert caught.value.code == "ERROR_CODE_INVALID_PARAM"
    assert caught.value.message == "API key is invalid"


_CLASS_FOR_STATUS = exception_classes("featureos_api")


@pytest.mark.parametrize(("code", "status"), documented_codes("featureos"), ids=[c for c, _ in documented_codes("featureos")])
def test_documented_code_maps_to_its_class(server: APIServer, client: FeatureOS, code: str, status: int) -> None:
    server.route("POST", "/api/v3/customers", status=status, json={"message": "No.", "error": code})

    with pytest.raises(APIStatusError) as caught:
        client.customers.create(email="ada@example.com")

    assert type(caught.value) is _CLASS_FOR_STATUS[status]
    assert caught.value.code == code
    assert len(server.requests) == 1


def test_error_with_a_non_json_body(server: APIServer, client: FeatureOS) -> None:
    server.route("GET", "/api/v3/buckets", status=502, body=b"<html>Bad gateway</html>", headers={"Content-Type": "text/html"})

    with pytest.raises(InternalServerError) as caught:
        client.buckets.list()

    assert caught.value.status_code == 502
    assert caught.value.body == "<html>Bad gateway</html>"
    assert caught.value.code is None


def test_retryable_status_is_retried_by_default(server: APIServer) -> None:
    server.queue("GET", "/api/v3/buckets", Reply(503, json={"message": "Service unavailable"}, headers={"Retry-After": "0"}))
    server.route("GET", "/api/v3/buckets", json={"buckets": [BUCKET]})

    with FeatureOS(API_KEY, base_url=server.url) as featureos:
        buckets = featureos.buckets.list()

    assert buckets.buckets[0].id == 1
    assert len(server.requests) == 2


def test_dir_of_the_package_lists_what_it_offers_once() -> None:
    import featureos_api
    import featureos_api.models

    featureos_api.FeatureOS  # noqa: B018 - loaded now, so a global as well as a name of __all__
    names = dir(featureos_api)

    assert len(names) == len(set(names))
    assert set(featureos_api.__all__) <= set(names)
    assert {"models", "__version__"} <= set(names)
    assert not {"Any", "TYPE_CHECKING", "importlib", "annotations", "_HOMES", "_runtime"} & set(names)
    assert set(dir(featureos_api.models)) >= {"Customer", "Post"}
    assert "Any" not in dir(featureos_api.models)
