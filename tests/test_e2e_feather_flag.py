"""End-to-end tests of the generated Feather Flag client against real HTTP servers.

Two servers stand in for the Management API (``base_url=``) and the Delivery API
(``delivery_base_url=``). Every operation of specs/feather_flag.yaml is called once
(sync); the tests check the request on the wire (which server, method, exact path,
query, ``Authorization: Bearer <key>``, the camelCase JSON body) and the typed result.
Then cursor pagination (``{items, nextCursor, hasMore}``, ``limit`` 1..100), the
``{"error": {code, message, details}}`` errors and every documented code, and the 207
partial success with ``syncWarning``.
"""

from __future__ import annotations

import asyncio
import datetime
import functools
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from feather_flag_api import (
    APIResponseValidationError,
    APIStatusError,
    AsyncFeatherFlag,
    ConflictError,
    FeatherFlag,
    InternalServerError,
    NotFoundError,
    Page,
    PartialSuccessWarning,
    RequestOptions,
    models,
)

from tests.apiserver import APIServer, Recorded, Reply
from tests.surface import documented_codes, documented_operations, exception_classes, generated_operations

API_KEY = "sk_live_8f2c4a9e1b7d3f6a0c5e9b2d"
PROJECT = "proj_01HV4Z7Q9K2M"
ENV = "env_01HV4Z8A1B2C"
NO_BODY = object()


def same_json(actual: Any, expected: Any) -> bool:
    """JSON equality that does not let True pass for 1 (Python's == does)."""
    if isinstance(expected, bool) or isinstance(actual, bool):
        return type(actual) is type(expected) and actual == expected
    if isinstance(expected, dict):
        return isinstance(actual, dict) and actual.keys() == expected.keys() and all(
            same_json(actual[key], expected[key]) for key in expected
        )
    if isinstance(expected, list):
        return isinstance(actual, list) and len(actual) == len(expected) and all(
            same_json(a, e) for a, e in zip(actual, expected)
        )
    return actual == expected


ORG = {
    "id": "org_01HV4Z6",
    "name": "Acme",
    "slug": "acme",
    "plan": "pro",
    "billingCycleStart": "2024-05-01",
    "monthlyEvalCount": 123456,
    "createdAt": "2024-01-02T03:04:05Z",
}
PROJECT_FULL = {
    "id": PROJECT,
    "orgId": "org_01HV4Z6",
    "name": "Web app",
    "slug": "web-app",
    "createdAt": "2024-05-01T09:00:00Z",
    "environments": [
        {"id": "env_prod", "name": "Production", "slug": "production", "color": "#ef4444", "protected": False},
        {"id": "env_stag", "name": "Staging", "slug": "staging", "color": "#f59e0b", "protected": False},
        {"id": "env_dev", "name": "Development", "slug": "development", "color": "#22c55e", "protected": False},
    ],
}
RULE = {
    "id": "rule_pro",
    "name": "Pro users",
    "enabled": True,
    "conditions": [
        {"attribute": "plan", "operator": "in", "value": ["pro", "enterprise"]},
        {"attribute": "email", "operator": "is_set"},
    ],
    "conditionOperator": "AND",
    "value": True,
    "rolloutPercentage": 50,
}
CONFIG = {"version": 3, "enabled": True, "defaultValue": False, "rules": [RULE]}
FLAG_VERSION = {
    "id": "fv_01HV5A",
    "flagId": "flag_01HV4Z9",
    "environmentId": ENV,
    "version": 3,
    "config": CONFIG,
    "createdAt": "2024-05-02T10:00:00Z",
}
FLAG = {
    "id": "flag_01HV4Z9",
    "orgId": "org_01HV4Z6",
    "projectId": PROJECT,
    "key": "dark-mode",
    "name": "Dark mode",
    "description": "Dark theme for the dashboard",
    "type": "boolean",
    "clientSafe": True,
    "archivedAt": None,
    "createdAt": "2024-05-01T09:30:00Z",
    "versions": {ENV: {k: v for k, v in FLAG_VERSION.items() if k not in ("flagId", "environmentId")}},
}
ENVIRONMENT = {
    "id": ENV,
    "orgId": "org_01HV4Z6",
    "projectId": PROJECT,
    "name": "QA",
    "slug": "qa",
    "color": "#6366f1",
    "protected": True,
    "createdAt": "2024-05-03T11:00:00Z",
}
API_KEY_ROW = {
    "id": "key_01HV6",
    "orgId": "org_01HV4Z6",
    "environmentId": ENV,
    "type": "server",
    "keyPrefix": "sk_live_8f2c",
    "description": "CI deploys",
    "revokedAt": None,
    "createdAt": "2024-05-04T12:00:00Z",
}
PROPOSAL = {
    "id": "prop_01HV7",
    "flagId": "flag_01HV4Z9",
    "environmentId": ENV,
    "status": "pending",
    "proposedConfig": {**CONFIG, "version": 4},
    "createdBy": "key_01HV6",
    "createdAt": "2024-05-05T13:00:00Z",
}
USAGE = {
    "flagKey": "dark-mode",
    "environmentId": ENV,
    "from": "2024-05-01",
    "to": "2024-05-07",
    "clampedFrom": True,
    "rows": [
        {
            "date": "2024-05-01",
            "totalEvaluations": 1200,
            "valueDistribution": {"true": 700, "false": 500},
            "ruleMatchCount": 700,
            "defaultCount": 500,
            "errorCount": 0,
        }
    ],
}
EVALUATION = {
    "flagKey": "dark-mode",
    "value": True,
    "reason": "RULE_MATCH",
    "ruleId": "rule_pro",
    "variant": "on",
    "requestId": "0f8fad5b-d9cb-469f-a165-70867728950e",
}


@pytest.fixture
def delivery() -> Iterator[APIServer]:
    """The Delivery API: a second server."""
    running = APIServer().start()
    try:
        yield running
    finally:
        running.stop()


@pytest.fixture
def client(server: APIServer, delivery: APIServer) -> Iterator[FeatherFlag]:
    with FeatherFlag(API_KEY, base_url=server.url, delivery_base_url=delivery.url, max_retries=0) as feather:
        yield feather



# --------------------------------------------------------------------------- operations


@dataclass
class Case:
    operation: str
    method: str
    path: str
    reply: Reply
    call: Callable[[FeatherFlag], Any]
    check: Callable[[Any], None]
    query: dict[str, list[str]] = field(default_factory=dict)
    body: Any = NO_BODY
    on: str = "management"


def _check_org(result: Any) -> None:
    assert isinstance(result, models.Org)
    assert result.plan == "pro"
    assert result.monthly_eval_count == 123456
    assert result.billing_cycle_start == "2024-05-01"
    assert result.created_at == datetime.datetime(2024, 1, 2, 3, 4, 5, tzinfo=datetime.timezone.utc)


def _check_project(result: Any) -> None:
    assert isinstance(result, models.Project)
    assert result.org_id == "org_01HV4Z6"
    assert [environment.slug for environment in result.environments] == ["production", "staging", "development"]
    assert isinstance(result.environments[0], models.ProjectEnvironment)
    assert result.sync_warning is None


def _check_rule(rule: Any) -> None:
    assert isinstance(rule, models.Rule)
    assert rule.condition_operator == "AND"
    assert rule.value is True
    assert rule.rollout_percentage == 50
    assert rule.conditions[0].value == ["pro", "enterprise"]
    assert rule.conditions[1].value is None


def _check_flag(result: Any) -> None:
    assert isinstance(result, models.Flag)
    assert result.key == "dark-mode"
    assert result.client_safe is True
    assert result.archived_at is None
    version = result.versions[ENV]
    assert isinstance(version, models.FlagVersion)
    assert version.version == 3
    assert version.config.default_value is False
    _check_rule(version.config.rules[0])


def _check_flag_version(result: Any) -> None:
    assert isinstance(result, models.FlagVersion)
    assert result.id == "fv_01HV5A"
    assert result.environment_id == ENV
    assert result.version == 3
    assert result.config.enabled is True
    _check_rule(result.config.rules[0])
    assert result.sync_warning is None


def _check_environment(result: Any) -> None:
    assert isinstance(result, models.Environment)
    assert result.project_id == PROJECT
    assert result.protected is True
    assert result.color == "#6366f1"


def _check_usage(result: Any) -> None:
    assert isinstance(result, models.UsageReport)
    assert result.from_ == datetime.date(2024, 5, 1)
    assert result.to == datetime.date(2024, 5, 7)
    assert result.clamped_from is True
    day = result.rows[0]
    assert isinstance(day, models.UsageDay)
    assert day.date == datetime.date(2024, 5, 1)
    assert day.value_distribution == {"true": 700, "false": 500}


def _check_evaluation(result: Any) -> None:
    assert isinstance(result, models.EvaluationResult)
    assert result.flag_key == "dark-mode"
    assert result.value is True
    assert result.reason == "RULE_MATCH"
    assert result.rule_id == "rule_pro"
    assert result.request_id == "0f8fad5b-d9cb-469f-a165-70867728950e"


def _page_of(kind: type, then: Callable[[Any], None] | None = None) -> Callable[[Any], None]:
    def check(result: Any) -> None:
        assert isinstance(result, Page)
        assert len(result.items) == 1 and isinstance(result.items[0], kind)
        assert result.has_more is False
        if then is not None:
            then(result.items[0])

    return check


RULE_ARGUMENT = models.Rule(
    id="rule_pro",
    name="Pro users",
    enabled=True,
    conditions=[
        models.Condition(attribute="plan", operator="in", value=["pro", "enterprise"]),
        models.Condition(attribute="email", operator="is_set"),
    ],
    condition_operator="AND",
    value=True,
    rollout_percentage=50,
)
FLAGS = f"/v1/projects/{PROJECT}/flags"

CASES: list[Case] = [
    Case(
        "orgs.retrieve_current", "GET", "/v1/orgs/me", Reply(200, json=ORG),
        lambda c: c.orgs.retrieve_current(), _check_org,
    ),
    Case(
        "projects.create", "POST", "/v1/projects", Reply(201, json=PROJECT_FULL),
        lambda c: c.projects.create(name="Web app", slug="web-app"), _check_project,
        body={"name": "Web app", "slug": "web-app"},
    ),
    Case(
        "flags.list", "GET", FLAGS, Reply(200, json={"items": [FLAG], "nextCursor": None, "hasMore": False}),
        lambda c: c.flags.list(project_id=PROJECT, limit=25).first_page(), _page_of(models.Flag, _check_flag),
        query={"limit": ["25"]},
    ),
    Case(
        "flags.retrieve", "GET", f"{FLAGS}/dark-mode", Reply(200, json=FLAG),
        lambda c: c.flags.retrieve("dark-mode", project_id=PROJECT), _check_flag,
    ),
    Case(
        "flags.create", "POST", FLAGS, Reply(201, json={k: v for k, v in FLAG.items() if k != "versions"}),
        lambda c: c.flags.create(project_id=PROJECT, key="dark-mode", name="Dark mode", type="boolean", client_safe=True),
        lambda r: isinstance(r, models.Flag) and r.versions is None and r.type == "boolean" or pytest.fail(repr(r)),
        body={"key": "dark-mode", "name": "Dark mode", "type": "boolean", "clientSafe": True},
    ),
    Case(
        "flags.update", "PATCH", f"{FLAGS}/dark-mode",
        Reply(200, json={**{k: v for k, v in FLAG.items() if k != "versions"}, "archivedAt": "2024-05-06T00:00:00Z"}),
        lambda c: c.flags.update("dark-mode", project_id=PROJECT, archived=True, description="Retired"),
        lambda r: (
            isinstance(r, models.Flag) and r.archived_at == datetime.datetime(2024, 5, 6, tzinfo=datetime.timezone.utc)
        ) or pytest.fail(repr(r)),
        body={"archived": True, "description": "Retired"},
    ),
    Case(
        "flags.update_config", "PUT", f"/v1/projects/{PROJECT}/environments/{ENV}/flags/dark-mode",
        Reply(200, json=FLAG_VERSION),
        lambda c: c.flags.update_config(
            "dark-mode", project_id=PROJECT, env_id=ENV, version=3, enabled=True, default_value=False, rules=[RULE_ARGUMENT]
        ),
        _check_flag_version,
        body=CONFIG,
    ),
    Case(
        "environments.create", "POST", f"/v1/projects/{PROJECT}/environments", Reply(201, json=ENVIRONMENT),
        lambda c: c.environments.create(project_id=PROJECT, name="QA", slug="qa", color="#6366f1"),
        _check_environment,
        body={"name": "QA", "slug": "qa", "color": "#6366f1"},
    ),
    Case(
        "environments.update", "PATCH", f"/v1/projects/{PROJECT}/environments/{ENV}", Reply(200, json=ENVIRONMENT),
        lambda c: c.environments.update(ENV, project_id=PROJECT, protected=True), _check_environment,
        body={"protected": True},
    ),
    Case(
        "api_keys.list", "GET", f"/v1/projects/{PROJECT}/environments/{ENV}/api-keys",
        Reply(200, json={"items": [API_KEY_ROW], "nextCursor": None, "hasMore": False}),
        lambda c: c.api_keys.list(project_id=PROJECT, env_id=ENV).first_page(),
        _page_of(models.ApiKey, lambda k: k.key_prefix == "sk_live_8f2c" and k.revoked_at is None or pytest.fail(repr(k))),
    ),
    Case(
        "proposals.create", "POST", f"/v1/projects/{PROJECT}/environments/{ENV}/flags/dark-mode/proposals",
        Reply(201, json=PROPOSAL),
        lambda c: c.proposals.create(
            project_id=PROJECT, env_id=ENV, flag_key="dark-mode", version=4, enabled=True, default_value=False,
            rules=[RULE], variants=[{"key": "on", "value": True}, {"key": "off", "value": False}],
        ),
        lambda r: (
            isinstance(r, models.Proposal) and r.status == "pending" and r.proposed_config.version == 4
            and r.created_at == datetime.datetime(2024, 5, 5, 13, tzinfo=datetime.timezone.utc)
        ) or pytest.fail(repr(r)),
        body={**CONFIG, "version": 4, "variants": [{"key": "on", "value": True}, {"key": "off", "value": False}]},
    ),
    Case(
        "usage.retrieve", "GET", f"{FLAGS}/dark-mode/usage", Reply(200, json=USAGE),
        lambda c: c.usage.retrieve(
            project_id=PROJECT, flag_key="dark-mode", environment_id=ENV,
            from_=datetime.date(2024, 5, 1), to=datetime.date(2024, 5, 7),
        ),
        _check_usage,
        query={"environmentId": [ENV], "from": ["2024-05-01"], "to": ["2024-05-07"]},
    ),
    Case(
        "telemetry.ingest", "POST", "/v1/telemetry/events", Reply(202),
        lambda c: c.telemetry.ingest(events=[
            models.EvalEvent(
                flag_key="dark-mode", flag_id="flag_01HV4Z9", environment_id=ENV, org_id="org_01HV4Z6", value=True,
                reason="RULE_MATCH", rule_id="rule_pro", user_id_hash="9f86d081884c7d65", sdk_type="server",
                sdk_version="1.4.0", evaluated_at=datetime.datetime(2024, 5, 6, 7, 8, 9, tzinfo=datetime.timezone.utc),
            )
        ]),
        lambda r: r is None or pytest.fail(repr(r)),
        body={"events": [{
            "flagKey": "dark-mode", "flagId": "flag_01HV4Z9", "environmentId": ENV, "orgId": "org_01HV4Z6", "value": True,
            "reason": "RULE_MATCH", "ruleId": "rule_pro", "userIdHash": "9f86d081884c7d65", "sdkType": "server",
            "sdkVersion": "1.4.0", "evaluatedAt": "2024-05-06T07:08:09Z",
        }]},
    ),
    Case(
        "evaluation.evaluate", "POST", "/v1/evaluate", Reply(200, json=EVALUATION),
        lambda c: c.evaluation.evaluate(
            flag_key="dark-mode", context={"userId": "user-42", "attributes": {"plan": "pro", "beta": True, "seats": 5}}
        ),
        _check_evaluation,
        body={"flagKey": "dark-mode", "context": {"userId": "user-42", "attributes": {"plan": "pro", "beta": True, "seats": 5}}},
        on="delivery",
    ),
]


def test_every_operation_has_a_case() -> None:
    covered = {case.operation for case in CASES}
    assert len(CASES) == len(covered) == 14
    assert covered == documented_operations("feather_flag") == generated_operations("feather_flag_api")


@pytest.mark.parametrize("case", CASES, ids=[case.operation for case in CASES])
def test_operation(server: APIServer, delivery: APIServer, client: FeatherFlag, case: Case) -> None:
    target, other = (delivery, server) if case.on == "delivery" else (server, delivery)
    target.route(case.method, case.path, handler=lambda _request: case.reply)

    result = case.call(client)

    request = target.only_request()
    assert other.requests == []
    assert request.method == case.method
    assert request.path == case.path
    assert request.raw_path == case.path
    assert request.query == case.query
    assert request.header("Authorization") == f"Bearer {API_KEY}"
    if case.body is NO_BODY:
        assert request.body == b""
    else:
        assert request.header("Content-Type") == "application/json"
        assert same_json(request.json(), case.body), request.json()
    case.check(result)


def test_delivery_operation_async(server: APIServer, delivery: APIServer) -> None:
    delivery.route("POST", "/v1/evaluate", json=EVALUATION)

    async def main() -> Any:
        async with AsyncFeatherFlag(API_KEY, base_url=server.url, delivery_base_url=delivery.url) as feather:
            return await feather.evaluation.evaluate(flag_key="dark-mode", context={"anonymousId": "anon-1"})

    _check_evaluation(asyncio.run(main()))
    assert server.requests == []
    request = delivery.only_request()
    assert request.header("Authorization") == f"Bearer {API_KEY}"
    assert request.json() == {"flagKey": "dark-mode", "context": {"anonymousId": "anon-1"}}


def test_delivery_base_url_from_the_environment(
    server: APIServer, delivery: APIServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FEATHER_FLAG_BASE_URL", server.url)
    monkeypatch.setenv("FEATHER_FLAG_DELIVERY_BASE_URL", delivery.url)
    monkeypatch.setenv("FEATHER_FLAG_API_KEY", API_KEY)
    server.route("GET", "/v1/orgs/me", json=ORG)
    delivery.route("POST", "/v1/evaluate", json=EVALUATION)

    with FeatherFlag() as feather:
        feather.orgs.retrieve_current()
        feather.evaluation.evaluate(flag_key="dark-mode", context={})

    assert [r.path for r in server.requests] == ["/v1/orgs/me"]
    assert [r.path for r in delivery.requests] == ["/v1/evaluate"]


def test_a_redirect_to_the_other_server_names_that_host(server: APIServer, delivery: APIServer) -> None:
    # The redirected request kept the first server's Host header: a virtual host or a CDN in
    # front of the second would have routed it by the wrong name.
    server.route("GET", "/v1/orgs/me", status=307, headers={"Location": f"{delivery.url}/v1/orgs/me"})
    delivery.route("GET", "/v1/orgs/me", json=ORG)

    with FeatherFlag(API_KEY, base_url=server.url, delivery_base_url=delivery.url) as feather:
        assert feather.orgs.retrieve_current().id == ORG["id"]

    assert server.only_request().header("Host") == server.url.removeprefix("http://")
    assert delivery.only_request().header_values("Host") == [delivery.url.removeprefix("http://")]


def test_choosing_one_server_and_not_the_other_is_warned_about(monkeypatch: pytest.MonkeyPatch) -> None:
    # base_url at a mock, the delivery server left at production: evaluation calls (and the
    # key) would have gone to production without a word.
    monkeypatch.delenv("FEATHER_FLAG_BASE_URL", raising=False)
    monkeypatch.delenv("FEATHER_FLAG_DELIVERY_BASE_URL", raising=False)
    with pytest.warns(UserWarning) as caught:
        FeatherFlag(API_KEY, base_url="http://127.0.0.1:9").close()
    assert [str(warning.message) for warning in caught] == [
        ("FeatherFlag: base_url is set but delivery_base_url is not, so the delivery server's calls still go to"
        " https://fly.feather.mupeni.dev. Pass delivery_base_url as well (the default, if that is meant).")
    ]
    assert caught[0].filename == __file__  # it points at the caller's line

    monkeypatch.setenv("FEATHER_FLAG_DELIVERY_BASE_URL", "http://127.0.0.1:10")  # chosen in the environment
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        FeatherFlag(API_KEY, base_url="http://127.0.0.1:9").close()
        FeatherFlag(API_KEY, base_url="http://127.0.0.1:9", delivery_base_url="https://fly.feather.mupeni.dev").close()
        monkeypatch.delenv("FEATHER_FLAG_DELIVERY_BASE_URL")
        FeatherFlag(API_KEY).close()  # neither chosen: both at their defaults, as documented


def test_default_servers(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("FEATHER_FLAG_BASE_URL", raising=False)
    monkeypatch.delenv("FEATHER_FLAG_DELIVERY_BASE_URL", raising=False)
    with FeatherFlag(API_KEY) as feather:
        assert feather.base_url == "https://nest.feather.mupeni.dev"
    assert API_KEY not in repr(feather)


def test_evaluate_is_retried_as_idempotent(server: APIServer, delivery: APIServer) -> None:
    # POST /v1/evaluate is marked idempotent: a 502 is retried.
    delivery.queue("POST", "/v1/evaluate", Reply(502, json={"error": {"code": "BAD_GATEWAY", "message": "upstream"}}, headers={"Retry-After": "0"}))
    delivery.route("POST", "/v1/evaluate", json=EVALUATION)

    with FeatherFlag(API_KEY, base_url=server.url, delivery_base_url=delivery.url, max_retries=1) as feather:
        _check_evaluation(feather.evaluation.evaluate(flag_key="dark-mode", context={"userId": "u"}))

    assert len(delivery.requests) == 2
    assert delivery.requests[0].body == delivery.requests[1].body


@pytest.mark.parametrize(("status", "attempts"), [(502, 1), (500, 1), (503, 2), (429, 2)])
def test_a_put_marked_not_idempotent_is_retried_only_when_it_was_not_processed(server: APIServer, status: int, attempts: int) -> None:
    # update_config appends a version: sent again after it was saved, it would fail with
    # VERSION_CONFLICT and hide the success. A 429 or a 503 was refused before any work.
    path = f"/v1/projects/{PROJECT}/environments/{ENV}/flags/dark-mode"
    server.queue("PUT", path, Reply(status, json={"error": {"code": "UPSTREAM", "message": "try later"}}, headers={"Retry-After": "0"}))
    server.route("PUT", path, json=FLAG_VERSION)

    with FeatherFlag(API_KEY, base_url=server.url, delivery_base_url=server.url, max_retries=1) as feather:
        call = functools.partial(feather.flags.update_config, "dark-mode", project_id=PROJECT, env_id=ENV, version=3, enabled=True, default_value=False, rules=[])
        if attempts == 1:
            with pytest.raises(APIStatusError) as caught:
                call()
            assert caught.value.status_code == status
        else:
            _check_flag_version(call())

    assert len(server.requests) == attempts


# --------------------------------------------------------------------------- pagination


def _flag(number: int) -> dict[str, Any]:
    return {**FLAG, "id": f"flag_{number:04d}", "key": f"flag-{number}"}


CURSORS = [None, "1717000000001", "1717000000002"]


def _cursor_pages(request: Recorded) -> Reply:
    """Three pages: 2, 2 and 1 flags, chained by timestamp cursors."""
    cursor = request.query.get("cursor", [None])[0]
    index = CURSORS.index(cursor)
    if index == 2:
        return Reply(200, json={"items": [_flag(4)], "nextCursor": None, "hasMore": False})
    return Reply(200, json={
        "items": [_flag(2 * index), _flag(2 * index + 1)],
        "nextCursor": int(CURSORS[index + 1]),
        "hasMore": True,
    })


def _cursor_params(server: APIServer) -> list[dict[str, list[str]]]:
    return [r.query for r in server.requests]


def test_iterates_every_page(server: APIServer, client: FeatherFlag) -> None:
    server.route("GET", FLAGS, handler=_cursor_pages)

    flags = list(client.flags.list(project_id=PROJECT, limit=2))

    assert [flag.key for flag in flags] == [f"flag-{n}" for n in range(5)]
    assert all(isinstance(flag, models.Flag) for flag in flags)
    assert _cursor_params(server) == [
        {"limit": ["2"]},
        {"limit": ["2"], "cursor": ["1717000000001"]},
        {"limit": ["2"], "cursor": ["1717000000002"]},
    ]
    for request in server.requests:
        assert request.path == FLAGS
        assert request.header("Authorization") == f"Bearer {API_KEY}"


def test_iterates_every_page_async(server: APIServer, delivery: APIServer) -> None:
    server.route("GET", FLAGS, handler=_cursor_pages)

    async def main() -> list[models.Flag]:
        async with AsyncFeatherFlag(API_KEY, base_url=server.url, delivery_base_url=delivery.url) as feather:
            return [flag async for flag in feather.flags.list(project_id=PROJECT, limit=2)]

    flags = asyncio.run(main())

    assert [flag.key for flag in flags] == [f"flag-{n}" for n in range(5)]
    assert _cursor_params(server) == [
        {"limit": ["2"]},
        {"limit": ["2"], "cursor": ["1717000000001"]},
        {"limit": ["2"], "cursor": ["1717000000002"]},
    ]
    assert delivery.requests == []


def test_iterates_api_keys_without_a_limit(server: APIServer, client: FeatherFlag) -> None:
    path = f"/v1/projects/{PROJECT}/environments/{ENV}/api-keys"
    pages = {
        None: {"items": [API_KEY_ROW], "nextCursor": 11, "hasMore": True},
        "11": {"items": [{**API_KEY_ROW, "id": "key_2"}], "nextCursor": 22, "hasMore": True},
        "22": {"items": [{**API_KEY_ROW, "id": "key_3", "type": "client"}], "nextCursor": None, "hasMore": False},
    }
    server.route("GET", path, handler=lambda r: Reply(200, json=pages[r.query.get("cursor", [None])[0]]))

    keys = list(client.api_keys.list(project_id=PROJECT, env_id=ENV))

    assert [key.id for key in keys] == ["key_01HV6", "key_2", "key_3"]
    assert keys[2].type == "client"
    assert _cursor_params(server) == [{}, {"cursor": ["11"]}, {"cursor": ["22"]}]


def test_a_server_that_ignores_the_cursor_yields_each_item_once(server: APIServer, client: FeatherFlag) -> None:
    # The first page again and again, each time around a new request id: stop at the second
    # repeat in a row (one alone may be items that moved).
    def first_page_again(request: Recorded) -> Reply:
        return Reply(200, json={
            "items": [_flag(0), _flag(1)],
            "nextCursor": 1717000000001 + len(server.requests) if len(server.requests) < 20 else None,
            "hasMore": len(server.requests) < 20,
            "requestId": f"req-{len(server.requests)}",
        })

    server.route("GET", FLAGS, handler=first_page_again)

    keys = [flag.key for flag in client.flags.list(project_id=PROJECT, limit=2)]

    assert keys == ["flag-0", "flag-1"]
    assert len(server.requests) == 3


def test_an_empty_page_that_says_more_follow_is_not_the_end(server: APIServer, client: FeatherFlag) -> None:
    pages = {
        None: {"items": [_flag(0)], "nextCursor": 11, "hasMore": True},
        "11": {"items": [], "nextCursor": 22, "hasMore": True},
        "22": {"items": [_flag(1)], "nextCursor": None, "hasMore": False},
    }
    server.route("GET", FLAGS, handler=lambda r: Reply(200, json=pages[r.query.get("cursor", [None])[0]]))

    keys = [flag.key for flag in client.flags.list(project_id=PROJECT)]

    assert keys == ["flag-0", "flag-1"]
    assert [r.query.get("cursor") for r in server.requests] == [None, ["11"], ["22"]]


def test_has_more_is_read_as_a_bool(server: APIServer, client: FeatherFlag) -> None:
    # "false" was a truthy str: the walk went on past the last page, for as long as the server answered.
    pages = {
        None: {"items": [_flag(0)], "nextCursor": 11, "hasMore": "true"},
        "11": {"items": [_flag(1)], "nextCursor": 22, "hasMore": "false"},
        "22": {"items": [_flag(2)], "nextCursor": None, "hasMore": "maybe"},
    }
    server.route("GET", FLAGS, handler=lambda r: Reply(200, json=pages[r.query.get("cursor", [None])[0]]))

    keys = [flag.key for flag in client.flags.list(project_id=PROJECT)]

    assert keys == ["flag-0", "flag-1"]
    assert len(server.requests) == 2
    pages[None]["hasMore"] = "maybe"
    with pytest.raises(APIResponseValidationError, match="hasMore"):
        client.flags.list(project_id=PROJECT).first_page()


def test_pages_one_at_a_time(server: APIServer, client: FeatherFlag) -> None:
    server.route("GET", FLAGS, handler=_cursor_pages)

    pages = list(client.flags.list(project_id=PROJECT, limit=2).pages())

    assert [len(p.items) for p in pages] == [2, 2, 1]
    assert [p.next_cursor for p in pages] == [1717000000001, 1717000000002, None]
    assert [p.has_more for p in pages] == [True, True, False]


def test_first_page_fetches_one_page(server: APIServer, client: FeatherFlag) -> None:
    server.route("GET", FLAGS, handler=_cursor_pages)

    first = client.flags.list(project_id=PROJECT, limit=2).first_page()

    assert isinstance(first, Page)
    assert [flag.key for flag in first.items] == ["flag-0", "flag-1"]
    assert first.next_cursor == 1717000000001
    assert first.has_more is True
    assert _cursor_params(server) == [{"limit": ["2"]}]


def test_first_page_async(server: APIServer, delivery: APIServer) -> None:
    server.route("GET", FLAGS, handler=_cursor_pages)

    async def main() -> Page[models.Flag]:
        async with AsyncFeatherFlag(API_KEY, base_url=server.url, delivery_base_url=delivery.url) as feather:
            return await feather.flags.list(project_id=PROJECT, limit=2).first_page()

    assert [flag.key for flag in asyncio.run(main()).items] == ["flag-0", "flag-1"]
    assert len(server.requests) == 1


def test_starting_from_a_cursor(server: APIServer, client: FeatherFlag) -> None:
    server.route("GET", FLAGS, handler=_cursor_pages)

    keys = [flag.key for flag in client.flags.list(project_id=PROJECT, limit=2, cursor=1717000000002)]

    assert keys == ["flag-4"]
    assert _cursor_params(server) == [{"limit": ["2"], "cursor": ["1717000000002"]}]


def test_a_repeated_cursor_stops_iteration(server: APIServer, client: FeatherFlag) -> None:
    # A server stuck on one cursor would loop forever; the handler gives up after 20 requests.
    def stuck(request: Recorded) -> Reply:
        if len(server.requests) > 20:
            return Reply(200, json={"items": [], "nextCursor": None, "hasMore": False})
        return Reply(200, json={"items": [_flag(len(server.requests))], "nextCursor": 1717000000001, "hasMore": True})

    server.route("GET", FLAGS, handler=stuck)

    flags = list(client.flags.list(project_id=PROJECT, limit=1))

    assert [flag.key for flag in flags] == ["flag-1", "flag-2"]
    assert _cursor_params(server) == [{"limit": ["1"]}, {"limit": ["1"], "cursor": ["1717000000001"]}]


def test_has_more_without_a_cursor_stops(server: APIServer, client: FeatherFlag) -> None:
    server.route("GET", FLAGS, json={"items": [_flag(0)], "nextCursor": None, "hasMore": True})

    assert [flag.key for flag in client.flags.list(project_id=PROJECT)] == ["flag-0"]
    assert len(server.requests) == 1


def test_has_more_false_stops_even_with_a_cursor(server: APIServer, client: FeatherFlag) -> None:
    server.route("GET", FLAGS, json={"items": [_flag(0)], "nextCursor": 1717000000009, "hasMore": False})

    assert [flag.key for flag in client.flags.list(project_id=PROJECT)] == ["flag-0"]
    assert len(server.requests) == 1


@pytest.mark.parametrize("limit", [0, 101, -1])
def test_limit_out_of_range_is_refused_before_any_request(
    server: APIServer, delivery: APIServer, client: FeatherFlag, limit: int
) -> None:
    with pytest.raises(ValueError, match="limit"):
        client.flags.list(project_id=PROJECT, limit=limit)
    with pytest.raises(ValueError, match="limit"):
        client.api_keys.list(project_id=PROJECT, env_id=ENV, limit=limit)
    assert server.requests == []
    assert delivery.requests == []


def test_limit_out_of_range_is_refused_async(server: APIServer, delivery: APIServer) -> None:
    async def main() -> None:
        async with AsyncFeatherFlag(API_KEY, base_url=server.url, delivery_base_url=delivery.url) as feather:
            with pytest.raises(ValueError, match="limit"):
                feather.flags.list(project_id=PROJECT, limit=101)
            with pytest.raises(ValueError, match="limit"):
                feather.flags.list(project_id=PROJECT, limit=0)

    asyncio.run(main())
    assert server.requests == []


@pytest.mark.parametrize("limit", [1, 100])
def test_limit_bounds_are_accepted(server: APIServer, client: FeatherFlag, limit: int) -> None:
    server.route("GET", FLAGS, json={"items": [], "nextCursor": None, "hasMore": False})
    assert list(client.flags.list(project_id=PROJECT, limit=limit)) == []
    assert server.only_request().query == {"limit": [str(limit)]}


# --------------------------------------------------------------------------- errors


def _error(code: str, message: str, details: Any = None) -> dict[str, Any]:
    error: dict[str, Any] = {"code": code, "message": message}
    if details is not None:
        error["details"] = details
    return {"error": error}


def test_proposal_already_pending_is_a_conflict(server: APIServer, client: FeatherFlag) -> None:
    details = {"proposalId": "prop_01HV7", "flagKey": "dark-mode", "environmentId": ENV}
    body = _error("PROPOSAL_ALREADY_PENDING", "A pending proposal already exists for this flag and environment", details)
    server.route("POST", f"/v1/projects/{PROJECT}/environments/{ENV}/flags/dark-mode/proposals", status=409, json=body)

    with pytest.raises(ConflictError) as caught:
        client.proposals.create(
            project_id=PROJECT, env_id=ENV, flag_key="dark-mode", version=4, enabled=True, default_value=False, rules=[]
        )

    error = caught.value
    assert error.status_code == 409
    assert error.code == "PROPOSAL_ALREADY_PENDING"
    assert error.details == details
    assert error.body == body
    assert "A pending proposal already exists" in str(error)
    assert API_KEY not in str(error)
    assert len(server.requests) == 1


def test_error_message_attribute_is_the_apis_own_message(server: APIServer, client: FeatherFlag) -> None:
    # docs/spec-format.md: each exception carries `message`, `code` and `details` "read from these
    # paths" (error.message, error.code, error.details).
    server.route("GET", f"{FLAGS}/nope", status=404, json=_error("RESOURCE_NOT_FOUND", "Flag not found"))

    with pytest.raises(NotFoundError) as caught:
        client.flags.retrieve("nope", project_id=PROJECT)

    assert caught.value.code == "RESOURCE_NOT_FOUND"
    assert caught.value.message == "Flag not found"


_CLASS_FOR_STATUS = exception_classes("feather_flag_api")


@pytest.mark.parametrize(("code", "status"), documented_codes("feather_flag"), ids=[c for c, _ in documented_codes("feather_flag")])
def test_documented_code_maps_to_its_class(
    server: APIServer, client: FeatherFlag, code: str, status: int
) -> None:
    details = [{"path": "rules.0.value", "message": "Expected boolean"}] if code == "VALIDATION_ERROR" else None
    server.route("PUT", f"/v1/projects/{PROJECT}/environments/{ENV}/flags/dark-mode", status=status,
                 json=_error(code, f"{code} happened", details))

    with pytest.raises(APIStatusError) as caught:
        client.flags.update_config(
            "dark-mode", project_id=PROJECT, env_id=ENV, version=4, enabled=False, default_value=False, rules=[]
        )

    error = caught.value
    assert type(error) is _CLASS_FOR_STATUS[status]
    assert error.status_code == status
    assert error.code == code
    assert error.details == details
    assert f"{code} happened" in str(error)
    assert len(server.requests) == 1


@pytest.mark.parametrize(("code", "status"), [c for c in documented_codes("feather_flag") if c[0] in ("INVALID_JSON", "RATE_LIMITED", "VALIDATION_ERROR")])
def test_delivery_errors(server: APIServer, delivery: APIServer, code: str, status: int) -> None:
    delivery.route("POST", "/v1/evaluate", status=status, json=_error(code, "no"))

    with (
        FeatherFlag(API_KEY, base_url=server.url, delivery_base_url=delivery.url) as feather,
        pytest.raises(_CLASS_FOR_STATUS[status]) as caught,
    ):
        feather.evaluation.evaluate(flag_key="dark-mode", context={}, options=RequestOptions(max_retries=0))

    assert caught.value.code == code
    assert len(delivery.requests) == 1
    assert server.requests == []


def test_bundle_unavailable_is_a_server_error(server: APIServer, delivery: APIServer, client: FeatherFlag) -> None:
    delivery.route("POST", "/v1/evaluate", status=503, json={**EVALUATION, "value": None, "reason": "ERROR"})

    with pytest.raises(InternalServerError) as caught:
        client.evaluation.evaluate(flag_key="dark-mode", context={"userId": "u"})

    assert caught.value.status_code == 503
    assert caught.value.body["reason"] == "ERROR"


# --------------------------------------------------------------------------- 207 partial success

SYNC_WARNING = "Config saved but edge cache sync failed; evaluations may serve stale data for up to 30s"


def test_207_returns_the_result_and_warns(server: APIServer, client: FeatherFlag) -> None:
    path = f"/v1/projects/{PROJECT}/environments/{ENV}/flags/dark-mode"
    server.route("PUT", path, status=207, json={**FLAG_VERSION, "syncWarning": SYNC_WARNING})

    with pytest.warns(PartialSuccessWarning, match="edge cache sync failed") as record:
        result = client.flags.update_config(
            "dark-mode", project_id=PROJECT, env_id=ENV, version=3, enabled=True, default_value=False, rules=[RULE]
        )

    assert len(record) == 1
    assert str(record[0].message) == SYNC_WARNING
    assert isinstance(result, models.FlagVersion)
    assert result.version == 3
    assert result.sync_warning == SYNC_WARNING
    assert len(server.requests) == 1  # a 207 is a success: not retried


def test_207_warning_points_at_the_caller(server: APIServer, client: FeatherFlag) -> None:
    server.route("PATCH", f"{FLAGS}/dark-mode", status=207, json={**FLAG, "syncWarning": SYNC_WARNING})

    with pytest.warns(PartialSuccessWarning) as record:
        client.flags.update("dark-mode", project_id=PROJECT, name="Dark mode")

    # stacklevel: the warning names the line that made the call, not the client's internals.
    assert record[0].filename == __file__

    raw = client.flags.with_raw_response.update("dark-mode", project_id=PROJECT, name="Dark mode")
    with pytest.warns(PartialSuccessWarning) as record:
        raw.parse()  # through functools.cached_property, which is not the caller either
    assert record[0].filename == __file__


def test_207_on_other_writes(server: APIServer, client: FeatherFlag) -> None:
    server.route("PATCH", f"/v1/projects/{PROJECT}/environments/{ENV}", status=207, json={**ENVIRONMENT, "syncWarning": SYNC_WARNING})
    server.route("POST", FLAGS, status=207, json={**FLAG, "syncWarning": SYNC_WARNING})

    with pytest.warns(PartialSuccessWarning, match="edge cache sync failed"):
        environment = client.environments.update(ENV, project_id=PROJECT, color="#000000")
    with pytest.warns(PartialSuccessWarning, match="edge cache sync failed"):
        flag = client.flags.create(project_id=PROJECT, key="dark-mode", name="Dark mode", type="boolean")

    assert environment.sync_warning == SYNC_WARNING
    assert flag.sync_warning == SYNC_WARNING


def test_207_warns_even_when_its_body_is_not_the_whole_resource(server: APIServer, client: FeatherFlag) -> None:
    # The documented example of a 207 is {id, syncWarning}. The change was made: the warning
    # says so before the error about the body.
    path = f"/v1/projects/{PROJECT}/environments/{ENV}/flags/dark-mode"
    server.route("PUT", path, status=207, json={"id": FLAG_VERSION["id"], "syncWarning": SYNC_WARNING})

    with (
        pytest.warns(PartialSuccessWarning, match="edge cache sync failed"),
        pytest.raises(APIResponseValidationError, match="^207: .* at version: Field required"),
    ):
        client.flags.update_config(
            "dark-mode", project_id=PROJECT, env_id=ENV, version=3, enabled=True, default_value=False, rules=[]
        )

    assert len(server.requests) == 1


def test_207_async(server: APIServer, delivery: APIServer) -> None:
    path = f"/v1/projects/{PROJECT}/environments/{ENV}/flags/dark-mode"
    server.route("PUT", path, status=207, json={**FLAG_VERSION, "syncWarning": SYNC_WARNING})

    async def main() -> models.FlagVersion:
        async with AsyncFeatherFlag(API_KEY, base_url=server.url, delivery_base_url=delivery.url) as feather:
            return await feather.flags.update_config(
                "dark-mode", project_id=PROJECT, env_id=ENV, version=3, enabled=True, default_value=False, rules=[]
            )

    with pytest.warns(PartialSuccessWarning, match="edge cache sync failed"):
        result = asyncio.run(main())

    assert result.sync_warning == SYNC_WARNING


def test_200_does_not_warn(server: APIServer, client: FeatherFlag) -> None:
    # filterwarnings=error: any warning here would fail the test.
    server.route("PUT", f"/v1/projects/{PROJECT}/environments/{ENV}/flags/dark-mode", json=FLAG_VERSION)
    result = client.flags.update_config(
        "dark-mode", project_id=PROJECT, env_id=ENV, version=3, enabled=True, default_value=False, rules=[]
    )
    assert result.sync_warning is None


# --------------------------------------------------------------------------- arguments


def test_invalid_arguments_are_refused_before_sending(server: APIServer, delivery: APIServer, client: FeatherFlag) -> None:
    with pytest.raises(ValueError, match="flag_key"):
        client.flags.retrieve("Dark Mode", project_id=PROJECT)
    with pytest.raises(ValueError, match="slug"):
        client.projects.create(name="Web", slug="Web App")
    with pytest.raises(ValueError, match="version"):
        client.flags.update_config("dark-mode", project_id=PROJECT, env_id=ENV, version=0, enabled=True, default_value=False, rules=[])
    with pytest.raises(ValueError, match="events"):
        client.telemetry.ingest(events=[])
    with pytest.raises(ValueError, match="events"):
        client.telemetry.ingest(events=[{"flagKey": "x"}] * 101)
    assert server.requests == []
    assert delivery.requests == []
