"""``sdkforge mock``: the generated clients work against a server made from the spec alone,
and a request that breaks the spec gets the API's own error shape saying what was wrong."""

from __future__ import annotations

import datetime
import json
import re
import select
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import featbit_api
import feather_flag_api
import feathery_api
import featureos_api
import httpx
import jsonschema
import pytest
from featbit_api import FeatBit
from feather_flag_api import EvaluationContext, FeatherFlag
from feathery_api import Feathery
from featureos_api import FeatureOS

from generator.fake import Faker
from generator.mock import MockServer
from generator.openapi import export
from generator.pipeline import load_valid
from generator.schemas import body_schema, model_schemas, param_schema, success_response, validation_schema
from tests.conftest import ROOT, SPECS

SPEC_FILES = sorted(SPECS.glob("*.yaml"))
KEY = "test-key"
ENV = "3ae1a6a1-4b4e-4c5e-8d51-90f1c2b6a001"  # FeatBit ids are GUIDs
GROUP = "9d8c7b6a-5f4e-4d3c-8b2a-1f0e9d8c7001"


@contextmanager
def mock_of(name: str) -> Iterator[MockServer]:
    with MockServer(load_valid(SPECS / f"{name}.yaml")) as mock:
        yield mock


# The generated clients -------------------------------------------------------------


def test_feathery_client_calls_parse_into_models() -> None:
    with mock_of("feathery") as mock, Feathery(api_key=KEY, base_url=mock.url, max_retries=0) as client:
        forms = client.forms.list()
        assert len(forms) == 1 and isinstance(forms[0], feathery_api.FormSummary)
        assert forms[0].created_at == datetime.datetime(2024, 1, 1, tzinfo=datetime.timezone.utc)
        schema = client.forms.retrieve("../account")  # percent-encoded: still one path segment
        assert isinstance(schema, feathery_api.FormSchema) and isinstance(schema.steps[0], feathery_api.Step)
        assert client.forms.update("aSdsa5", enabled=False).enabled is True
        assert client.forms.create(form_name="x", template_form_id="t", steps=[], navigation_rules=[]) == {}
        assert client.users.delete("alice@feathery.io") is None
        keys = client.account.rotate_key()
        assert isinstance(keys, feathery_api.RotatedKeys) and keys.new_api_key not in repr(keys)
        invited = client.account.invite([feathery_api.Invite(email="a@example.com")])
        assert invited.accounts[0].email == "user@example.com"
        assert client.extractions.run("ex1", files=[("a.pdf", b"%PDF-1.4")]).user_id == "string"


def test_featbit_client_unwraps_the_envelope_and_walks_pages() -> None:
    with mock_of("featbit") as mock, FeatBit(api_key=KEY, base_url=mock.url, max_retries=0) as client:
        flag = client.feature_flags.retrieve("my-flag", env_id=ENV)
        assert isinstance(flag, featbit_api.FeatureFlag) and flag.is_enabled is True
        # all-tags is a literal segment: it wins over the {key} placeholder beside it.
        assert client.feature_flags.list_tags(env_id=ENV) == ["string"]
        assert client.feature_flags.archive(env_id=ENV, key="my-flag") is True
        flags = list(client.feature_flags.list(env_id=ENV))
        assert len(flags) == 2 and all(isinstance(item, featbit_api.FeatureFlagSummary) for item in flags)
        assert len(list(client.groups.list_members(group_id=GROUP))) == 2
        projects = client.projects.list()
        assert isinstance(projects[0], featbit_api.Project)


def test_featureos_client_pages_until_an_empty_page() -> None:
    with mock_of("featureos") as mock, FeatureOS(api_key=KEY, base_url=mock.url, max_retries=0) as client:
        customers = list(client.customers.list())  # no total in this style: page 2 comes back empty
        assert len(customers) == 2 and customers[0].email == "user@example.com"
        assert isinstance(client.posts.retrieve(1), featureos_api.Post)
        assert client.customers.delete(email="a@example.com") is None
    with mock_of("featureos") as mock, FeatureOS(access_token="foot_abc", base_url=mock.url, max_retries=0) as client:
        session = client.session.retrieve()
        assert isinstance(session, featureos_api.SessionInfo) and session.actor == "app"


def test_feather_flag_client_on_both_servers() -> None:
    with mock_of("feather_flag") as mock:
        client = FeatherFlag(api_key="sk_test", base_url=mock.url, delivery_base_url=mock.url, max_retries=0)
        with client:
            assert client.orgs.retrieve_current().plan == "free"
            flags = list(client.flags.list(project_id="proj_1"))  # hasMore false, nextCursor null: one page
            assert len(flags) == 2 and isinstance(flags[0], feather_flag_api.Flag)
            version = client.flags.update_config("my-flag", project_id="proj_1", env_id="env_1", version=2, enabled=True, default_value=True, rules=[])
            assert isinstance(version, feather_flag_api.FlagVersion) and version.version == 1
            result = client.evaluation.evaluate(flag_key="my-flag", context=EvaluationContext(user_id="u1"))
            assert result.reason == "DISABLED" and str(result.request_id) == "3fa85f64-5717-4562-b3fc-2c963f66afa6"
            assert client.telemetry.ingest(events=[feather_flag_api.EvalEvent(flag_key="my-flag")]) is None


def test_pages_of_one_walk_the_whole_list_in_each_style() -> None:
    with mock_of("feather_flag") as mock, FeatherFlag(api_key="sk_test", base_url=mock.url, delivery_base_url=mock.url, max_retries=0) as flag_client:
        pages = list(flag_client.flags.list(project_id="proj_1", limit=1).pages())  # cursor: nextCursor 1, then null
        assert [(len(page.items), page.next_cursor, page.has_more) for page in pages] == [(1, 1, True), (1, None, False)]
    with mock_of("featbit") as mock, FeatBit(api_key=KEY, base_url=mock.url, max_retries=0) as featbit_client:
        pages = list(featbit_client.groups.list(page_size=1).pages())  # page index 0 and 1, totalCount 2
        assert [(len(page.items), page.total) for page in pages] == [(1, 2), (1, 2)]
    with mock_of("featureos") as mock, FeatureOS(api_key=KEY, base_url=mock.url, max_retries=0) as featureos_client:
        pages = list(featureos_client.customers.list(per_page=1).pages())  # no total: an empty page ends it, unseen
        assert [len(page.items) for page in pages] == [1, 1]


def test_a_mock_page_matches_the_export_when_the_paging_parameters_are_not_declared() -> None:
    # No cursor or limit under params: the export adds `cursor` (string) and `limit` (integer >= 1).
    from generator.load import loads
    from tests.minispec import MINI_SPEC

    spec = MINI_SPEC.replace(
        "models:\n", "pagination: {style: cursor, cursor_param: cursor, size_param: limit, next_cursor: next, items: data}\nmodels:\n"
    ).replace("        response: Pet[]\n", "        paginate: true\n        response: Pet\n")
    document = loads(spec, "specs/petstore.yaml")
    page_schema = export(document)["paths"]["/v1/owners/{owner_id}/pets"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    with MockServer(document) as mock, httpx.Client(base_url=mock.url, headers={"Authorization": "Token k"}) as http:
        first = http.get("/v1/owners/o1/pets", params={"limit": 1})
        following = http.get("/v1/owners/o1/pets", params={"limit": 1, "cursor": first.json()["next"]})
        refused = [http.get("/v1/owners/o1/pets", params={"limit": value}).status_code for value in ("abc", "0")]
    assert first.status_code == 200 and first.json()["next"] == "1"  # a string, as the export says
    schemas = {"components": export(document)["components"], **page_schema}
    jsonschema.validate(first.json(), schemas)
    assert len(following.json()["data"]) == 1 and following.json()["next"] is None  # PAGE_LENGTH is 2
    assert refused == [400, 400]


AUTH_CASES = [
    ("feathery", lambda url: Feathery(api_key=KEY, base_url=url, max_retries=0), "forms", "list", {}, "Authorization", "Bearer abc", feathery_api),
    ("featbit", lambda url: FeatBit(api_key=KEY, base_url=url, max_retries=0), "projects", "list", {}, "Authorization", "", featbit_api),
    ("featureos", lambda url: FeatureOS(api_key=KEY, base_url=url, max_retries=0), "buckets", "list", {}, "API-KEY", "", featureos_api),
    ("feather_flag", lambda url: FeatherFlag(api_key=KEY, base_url=url, delivery_base_url=url, max_retries=0), "orgs", "retrieve_current", {}, "Authorization", "Token abc", feather_flag_api),
]


@pytest.mark.parametrize(("name", "make", "resource", "verb", "arguments", "header", "value", "package"), AUTH_CASES, ids=[case[0] for case in AUTH_CASES])
def test_a_missing_or_wrong_credential_raises_authentication_error(name: str, make: Any, resource: str, verb: str, arguments: dict[str, Any], header: str, value: str, package: Any) -> None:
    with mock_of(name) as mock, make(mock.url) as client:
        call = getattr(getattr(client, resource), verb)
        call(**arguments)  # the client's own credential is in the documented form
        with pytest.raises(package.AuthenticationError) as raised:
            call(**arguments, options=package.RequestOptions(extra_headers={header: value}))
    assert raised.value.status_code == 401
    assert header in str(raised.value)


def test_a_missing_per_call_token_is_an_authentication_error() -> None:
    with mock_of("featureos") as mock:
        response = httpx.post(f"{mock.url}/api/v3/feature_requests/post_on_behalf", headers={"API-KEY": KEY}, json={"title": "x", "bucket_id": 1})
    assert response.status_code == 401
    assert response.json()["message"] == "missing the required header parameter Authorization"


def test_the_key_or_its_alternative_is_needed_and_refused_where_the_spec_takes_none() -> None:
    token = {"Authorization": "Bearer foot_abc"}
    exchange = {"grant_type": "refresh_token", "client_id": "foapp_1", "client_secret": "fosec_1"}
    with mock_of("featureos") as mock:
        leaked = httpx.post(f"{mock.url}/oauth/token", headers={"API-KEY": KEY}, json=exchange)
        with_token = httpx.get(f"{mock.url}/api/v3/buckets", headers=token)
        with_key = httpx.get(f"{mock.url}/api/v3/buckets", headers={"API-KEY": KEY})
        malformed = httpx.get(f"{mock.url}/api/v3/buckets", headers={"Authorization": "foot_abc"})
        neither = httpx.get(f"{mock.url}/api/v3/buckets")
    assert leaked.status_code == 401
    assert leaked.json()["message"] == "this operation takes no API key: do not send the API-KEY header"
    assert with_token.status_code == 200 and with_key.status_code == 200
    assert malformed.status_code == 401
    assert malformed.json()["message"] == 'the Authorization header is not in the documented form: send "Authorization: Bearer <key>"'
    assert neither.status_code == 401
    assert neither.json()["message"] == 'missing the API-KEY header: send "API-KEY: <key>" or "Authorization: Bearer <key>"'


def test_a_client_without_a_key_passes_the_mock_s_checks() -> None:
    with mock_of("featureos") as mock, FeatureOS(base_url=mock.url, max_retries=0) as client:
        token = client.oauth.exchange_token(grant_type="refresh_token", client_id="foapp_1", client_secret="fosec_1")
        with FeatureOS(access_token=token.access_token, base_url=mock.url, max_retries=0) as app:
            session = app.session.retrieve()
    assert session.actor == "app" and token.access_token


# The API's own error shapes ----------------------------------------------------------

MISSING_FIELD_CASES = [
    ("feather_flag", "POST", "/v1/projects", {"name": "x"}, {"Authorization": "Bearer sk_x"}, 422, "slug"),
    ("featbit", "POST", "/api/v1/groups", {"description": "x"}, {"Authorization": "api-x"}, 400, "name"),
    ("featureos", "POST", "/api/v3/comments", {"comment": "x"}, {"API-KEY": "hn_x"}, 400, "feature_request_id"),
    ("feathery", "POST", "/api/user/", {}, {"Authorization": "Token x"}, 400, "id"),
]


def error_message(name: str, body: Any) -> str:
    """The message, read from where each API keeps it."""
    return str({"feather_flag": lambda: body["error"]["message"], "featbit": lambda: body["errors"][-1], "featureos": lambda: body["message"], "feathery": lambda: body["detail"]}[name]())


@pytest.mark.parametrize(("name", "method", "path", "body", "headers", "status", "field"), MISSING_FIELD_CASES, ids=[case[0] for case in MISSING_FIELD_CASES])
def test_a_body_missing_a_required_field_gets_the_api_error_shape(name: str, method: str, path: str, body: Any, headers: dict[str, str], status: int, field: str) -> None:
    with mock_of(name) as mock:
        response = httpx.request(method, mock.url + path, json=body, headers=headers)
    assert response.status_code == status
    assert error_message(name, response.json()) == f"body is missing the required field '{field}'"


def test_every_missing_field_is_named_once() -> None:
    with mock_of("feather_flag") as mock:
        body = httpx.post(f"{mock.url}/v1/projects", json={}, headers={"Authorization": "Bearer sk_x"}).json()
    assert sorted(body["error"]["details"]) == ["body.name", "body.slug"]
    assert body["error"]["message"] == "body is missing the required field 'name'; body is missing the required field 'slug'"


def test_error_shapes_in_full() -> None:
    with mock_of("feather_flag") as mock:
        missing = httpx.post(f"{mock.url}/v1/projects", json={"name": "x"}, headers={"Authorization": "Bearer sk_x"}).json()
        broken = httpx.post(f"{mock.url}/v1/projects", content=b"{not json", headers={"Authorization": "Bearer sk_x"})
    message = "body is missing the required field 'slug'"
    assert missing == {"error": {"code": "VALIDATION_ERROR", "message": message, "details": {"body.slug": [message]}}}
    assert broken.status_code == 400 and broken.json()["error"]["code"] == "INVALID_JSON"
    with mock_of("featbit") as mock:
        failed = httpx.post(f"{mock.url}/api/v1/groups", json={}, headers={"Authorization": "api-x"}).json()
    assert failed == {"success": False, "errors": ["body is missing the required field 'name'"], "data": None}
    with mock_of("featureos") as mock:
        failed = httpx.delete(f"{mock.url}/api/v3/customers", headers={"API-KEY": "hn_x"}).json()
    assert failed["error"] == "ERROR_CODE_MISSING_PARAM" and failed["message"] == "missing the required query parameter email"


def test_wrong_types_enums_and_bounds_are_named() -> None:
    headers = {"Authorization": "Bearer sk_x"}
    with mock_of("feather_flag") as mock:
        too_many = httpx.get(f"{mock.url}/v1/projects/p/flags", params={"limit": 1000}, headers=headers)
        bad_body = httpx.post(f"{mock.url}/v1/projects/p/flags", json={"key": "Bad Key", "name": 3, "type": "json"}, headers=headers)
    assert too_many.status_code == 422
    assert too_many.json()["error"]["message"] == "query parameter limit: 1000 is greater than the maximum of 100"
    problems = bad_body.json()["error"]["details"]
    assert set(problems) == {"body.key", "body.name", "body.type"}
    # As JSON: the client sent JSON, and None, True or 'x' would be Python's words for its values.
    assert problems["body.type"] == ['body.type: "json" is not one of ["boolean", "string", "number"]']
    assert problems["body.name"] == ['body.name: 3 is not of type "string"']


def test_values_in_messages_are_written_as_json() -> None:
    headers = {"Authorization": "Bearer sk_x"}
    with mock_of("feather_flag") as mock:
        answer = httpx.post(f"{mock.url}/v1/projects/p/flags", json={"key": None, "name": True, "type": "boolean"}, headers=headers)
        long_key = httpx.post(f"{mock.url}/v1/projects/p/flags", json={"key": "K" * 300, "name": "n", "type": "boolean"}, headers=headers)
    assert answer.status_code == 422
    problems = answer.json()["error"]["details"]
    assert problems["body.key"] == ['body.key: null is not of type "string"']
    assert problems["body.name"] == ['body.name: true is not of type "string"']
    # A long value is cut short, not repeated whole in every message about it.
    assert long_key.json()["error"]["details"]["body.key"] == ['body.key: "' + "K" * 78 + "… does not match '^[a-z0-9-_]+$'"]


def test_unknown_routes_and_methods() -> None:
    with mock_of("feathery") as mock:
        unknown = httpx.get(f"{mock.url}/api/nothing/", headers={"Authorization": "Token x"})
        wrong = httpx.put(f"{mock.url}/api/form/", headers={"Authorization": "Token x"})
        slashless = httpx.get(f"{mock.url}/api/form", headers={"Authorization": "Token x"})
    assert unknown.status_code == 404 and unknown.json() == {"detail": "no operation has the path /api/nothing/"}
    assert slashless.json() == {"detail": "no operation has the path /api/form (did you mean /api/form/?)"}
    assert wrong.status_code == 405 and wrong.headers["Allow"] == "GET, POST"
    with mock_of("feather_flag") as mock:
        unknown = httpx.get(f"{mock.url}/v2/flags")
    assert unknown.status_code == 404 and unknown.json()["error"]["code"] == "RESOURCE_NOT_FOUND"
    with mock_of("featbit") as mock:
        # /api/v1/projects/ beside /api/v1/projects: a stray slash, not an empty {project_id}.
        stray = httpx.get(f"{mock.url}/api/v1/projects/", headers={"Authorization": KEY})
    assert stray.status_code == 404 and "(did you mean /api/v1/projects?)" in stray.text


# Every operation, from its own schemas --------------------------------------------------


def valid_request(spec: dict[str, Any], operation: dict[str, Any], faker: Faker) -> dict[str, Any]:
    """httpx.request arguments that keep to the spec, made from the same schemas the mock checks."""
    auth = spec.get("auth") or {}
    sends_key = auth and operation.get("auth", "required") != "none"
    headers = {auth["name"]: auth.get("format", "{key}").replace("{key}", KEY)} if sends_key else {}
    path, query = operation["path"], {}
    for name, param in (operation.get("params") or {}).items():
        value = faker.value(param_schema(param))
        text = json.dumps(value) if isinstance(value, bool) else value
        if param["in"] == "path":
            path = path.replace(f"{{{name}}}", str(text))
        elif param["in"] == "query":
            query[name] = text
        else:
            headers[name] = param.get("prefix", "") + str(text)
    request: dict[str, Any] = {"method": operation["method"], "url": path, "params": query, "headers": headers}
    body = operation.get("body")
    if body and body.get("encoding") == "multipart":
        request["files"] = [(name, ("a.pdf", b"%PDF")) for name in body["properties"]]
    elif body:
        request["json"] = faker.value(body_schema(body))
    return request


@pytest.mark.parametrize("spec_file", SPEC_FILES, ids=lambda path: path.stem)
def test_every_operation_answers_its_documented_success_matching_the_openapi_export(spec_file: Path) -> None:
    document = load_valid(spec_file)
    spec, published = document.data, export(document)
    faker = Faker(model_schemas(spec))
    with MockServer(document) as mock, httpx.Client(base_url=mock.url) as http:
        for resource in spec["resources"].values():
            for operation in resource["operations"].values():
                response = http.request(**valid_request(spec, operation, faker))
                kind, status, _ = success_response(operation)
                assert response.status_code == status, (operation["path"], response.text)
                if kind is None:
                    assert response.content == b""
                    continue
                documented = published["paths"][operation["path"]][operation["method"].lower()]["responses"][str(status)]
                schema = documented["content"]["application/json"]["schema"]
                jsonschema.validate(response.json(), validation_schema(schema, published["components"]["schemas"]))


def test_the_same_request_gets_the_same_answer() -> None:
    with mock_of("featbit") as mock:
        answers = [httpx.get(f"{mock.url}/api/v1/projects", headers={"Authorization": "api-x"}).content for _ in range(2)]
    assert answers[0] == answers[1]


# The command -----------------------------------------------------------------------


def test_sdkforge_mock_serves_until_stopped() -> None:
    command = [sys.executable, "-m", "generator", "mock", "specs/feathery.yaml", "--port", "0"]
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert process.stdout is not None
        # Wait for the first line at most 20 s, so a server that never starts fails instead of hanging.
        ready, _, _ = select.select([process.stdout], [], [], 20)
        line = process.stdout.readline() if ready else ""
        found = re.match(r"(http://127\.0\.0\.1:\d+) ", line)
        assert found, f"first line: {line!r}"
        response = httpx.get(f"{found.group(1)}/api/form/", headers={"Authorization": "Token x"}, timeout=5)
        assert response.status_code == 200 and response.json()[0]["id"] == "string"
    finally:
        process.kill()
        process.wait(timeout=10)
        for stream in (process.stdout, process.stderr):
            if stream is not None:
                stream.close()


def test_a_model_that_requires_a_nullable_parent_of_its_own_kind_ends_in_null() -> None:
    # A tree's node: parent is required but may be null. The mock recursed until Python gave up.
    spec = {"Node": {"properties": {"id": {"type": "string", "required": True}, "parent": {"type": "Node", "required": True, "nullable": True}}}}
    faker = Faker(model_schemas({"models": spec}))

    node = faker.value({"$ref": "#/components/schemas/Node"})

    depth = 0
    while node is not None:
        assert set(node) == {"id", "parent"}
        node, depth = node["parent"], depth + 1
    assert 1 < depth <= 10
