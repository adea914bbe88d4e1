"""End-to-end tests of the generated FeatBit client against a real HTTP server.

Every operation of specs/featbit.yaml is called once (sync) against tests/apiserver.py
with a realistic enveloped answer; the tests check what went over the wire (method,
exact path, query, the raw ``Authorization: <token>`` header, the JSON body with its
camelCase names) and what came back (typed ``data``). Then page-number pagination
(0-based ``pageIndex``/``pageSize`` with ``{totalCount, items}``), the envelope's
``success: false`` errors and the base-URL requirement.
"""

from __future__ import annotations

import asyncio
import datetime
import gc
import importlib
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from featbit_api import (
    APIResponseValidationError,
    APIStatusError,
    AsyncFeatBit,
    AuthenticationError,
    BadRequestError,
    ConflictError,
    EnvironmentSettings,
    FeatBit,
    FeatureFlag,
    FeatureFlagSummary,
    JsonPatchOperation,
    Page,
    PermissionDeniedError,
    PolicyStatement,
    UnprocessableEntityError,
    Variation,
    models,
)

from tests.apiserver import APIServer, Recorded, Reply
from tests.surface import documented_codes, documented_operations, exception_classes, generated_operations

TOKEN = "api-MjAyNC0wMS0xOVQwODozNTozNy4zNDNaX2FjY2Vzcy10b2tlbg"
ENV = "3ae1a6a1-4b4e-4c5e-8d51-90f1c2b6a001"
ENV2 = "3ae1a6a1-4b4e-4c5e-8d51-90f1c2b6a002"
PROJECT = "0b7f4c22-1c7e-4f43-9d1a-5e2d7a9c1001"
SEGMENT = "6c0d2f55-8b7a-4e1f-a2c3-d4e5f6a7b801"
SEGMENT2 = "6c0d2f55-8b7a-4e1f-a2c3-d4e5f6a7b802"
GROUP = "9d8c7b6a-5f4e-4d3c-8b2a-1f0e9d8c7001"
MEMBER = "1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4001"
POLICY = "7e6d5c4b-3a29-4180-9f8e-7d6c5b4a3001"
USER = "5b5c6d7e-8f90-4a1b-9c2d-3e4f5a6b7001"
REVISION = "c1d2e3f4-a5b6-4c7d-8e9f-0a1b2c3d4e01"
NEW_REVISION = "c1d2e3f4-a5b6-4c7d-8e9f-0a1b2c3d4e02"
NO_BODY = object()


def ok(data: Any) -> dict[str, Any]:
    """FeatBit's success envelope."""
    return {"success": True, "errors": [], "data": data}


def failed(*errors: str) -> dict[str, Any]:
    """FeatBit's failure envelope."""
    return {"success": False, "errors": list(errors), "data": None}


VARIATIONS = [
    {"id": "a8f3e0c1-0001-4d2b-9b1e-000000000001", "name": "On", "value": "true"},
    {"id": "a8f3e0c1-0001-4d2b-9b1e-000000000002", "name": "Off", "value": "false"},
]
ON, OFF = VARIATIONS[0]["id"], VARIATIONS[1]["id"]

FLAG_SUMMARY = {
    "id": "f1a2b3c4-d5e6-4f70-8a9b-0c1d2e3f4a01",
    "name": "Dark mode",
    "description": "Dark theme for the dashboard",
    "key": "dark-mode",
    "isEnabled": True,
    "variationType": "boolean",
    "variations": VARIATIONS,
    "createdAt": "2024-01-19T08:35:37.343Z",
    "updatedAt": "2024-02-01T10:00:00Z",
    "creator": {"id": USER, "name": "Ada", "email": "ada@example.com"},
    "serves": {"enabledVariations": ["true"], "disabledVariation": "false"},
    "tags": ["web", "beta"],
    "lastChange": {
        "operator": {"id": USER, "name": "Ada", "email": "ada@example.com"},
        "happenedAt": "2024-02-01T10:00:00Z",
        "comment": "turn on for beta",
    },
}

FLAG = {
    "id": "f1a2b3c4-d5e6-4f70-8a9b-0c1d2e3f4a01",
    "envId": ENV,
    "revision": REVISION,
    "name": "Dark mode",
    "description": "Dark theme for the dashboard",
    "key": "dark-mode",
    "variationType": "boolean",
    "variations": VARIATIONS,
    "targetUsers": [{"keyIds": ["user-1", "user-2"], "variationId": ON}],
    "rules": [
        {
            "id": "b0b0b0b0-0000-4000-8000-000000000001",
            "name": "Pro plan",
            "dispatchKey": None,
            "includedInExpt": False,
            "conditions": [{"id": "c-1", "property": "plan", "op": "Equal", "value": "pro"}],
            "variations": [{"id": ON, "rollout": [0, 1], "exptRollout": 1}],
        }
    ],
    "isEnabled": True,
    "disabledVariationId": OFF,
    "fallthrough": {
        "dispatchKey": None,
        "includedInExpt": True,
        "variations": [{"id": ON, "rollout": [0, 0.5], "exptRollout": 1}, {"id": OFF, "rollout": [0.5, 1], "exptRollout": 1}],
    },
    "exptIncludeAllTargets": True,
    "tags": ["web", "beta"],
    "isArchived": False,
    "creatorId": USER,
    "updatorId": USER,
    "createdAt": "2024-01-19T08:35:37.343Z",
    "updatedAt": "2024-02-01T10:00:00Z",
}

PENDING_CHANGE = {
    "id": "sched-0001",
    "flagId": FLAG["id"],
    "dataChange": {"previous": '{"isEnabled":false}', "current": '{"isEnabled":true}'},
    "creatorId": USER,
    "creatorName": "Ada",
    "createdAt": "2024-02-02T09:00:00Z",
    "instructions": [{"kind": "TurnFlagOn", "value": None}],
    "type": "Schedule",
    "status": "PendingExecution",
    "scheduleTitle": "Launch",
    "scheduledTime": "2024-03-01T00:00:00Z",
    "changeRequestId": None,
    "changeRequestReason": None,
    "reviewers": [],
}

SEGMENT_FULL = {
    "id": SEGMENT,
    "workspaceId": "2f2f2f2f-0000-4000-8000-000000000001",
    "envId": ENV,
    "name": "Beta testers",
    "key": "beta-testers",
    "type": "environment-specific",
    "scopes": ["project/web:env/prod"],
    "description": "Users in the beta programme",
    "included": ["user-1"],
    "excluded": ["user-9"],
    "rules": [{"id": "r-1", "name": "Staff", "conditions": [{"property": "email", "op": "EndsWith", "value": "@example.com"}]}],
    "tags": ["beta"],
    "isArchived": False,
    "isEnvironmentSpecific": True,
    "createdAt": "2024-01-10T12:00:00Z",
    "updatedAt": "2024-01-11T12:00:00Z",
}

SEGMENT_SUMMARY = {
    "id": SEGMENT,
    "name": "Beta testers",
    "key": "beta-testers",
    "type": "environment-specific",
    "scopes": ["project/web:env/prod"],
    "tags": ["beta"],
    "description": "Users in the beta programme",
    "createdAt": "2024-01-10T12:00:00Z",
    "updatedAt": "2024-01-11T12:00:00Z",
}

AUDIT_LOG = {
    "id": "al-0001",
    "refId": FLAG["id"],
    "refType": "FeatureFlag",
    "operation": "Update",
    "dataChange": {"previous": '{"isEnabled":false}', "current": '{"isEnabled":true}'},
    "comment": "launch",
    "creatorId": USER,
    "creatorName": "Ada",
    "creatorEmail": "ada@example.com",
    "createdAt": "2024-02-01T10:00:00Z",
    "instructions": [{"kind": "TurnFlagOn", "value": None}],
}

SECRETS = [
    {"id": "sec-1", "name": "Server Key", "type": "server", "value": "c2VydmVyLWtleQ"},
    {"id": "sec-2", "name": "Client Key", "type": "client", "value": "Y2xpZW50LWtleQ"},
]
ENVIRONMENT = {
    "id": ENV,
    "name": "Prod",
    "description": "Production",
    "secrets": SECRETS,
    "settings": {"requireChangeComment": True},
}
PROJECT_FULL = {
    "id": PROJECT,
    "name": "Web app",
    "key": "web",
    "environments": [
        {
            "id": ENV,
            "projectId": PROJECT,
            "name": "Prod",
            "key": "prod",
            "description": "Production",
            "secrets": SECRETS,
            "settings": {"requireChangeComment": False},
            "createdAt": "2024-01-01T00:00:00Z",
            "updatedAt": "2024-01-01T00:00:00Z",
        }
    ],
}
WORKSPACE = {
    "id": "ws-0001",
    "name": "Acme",
    "key": "acme",
    "license": None,
    "sso": {
        "oidc": {
            "clientId": "featbit",
            "clientSecret": "s3cr3t",
            "tokenEndpoint": "https://sso.acme.test/token",
            "clientAuthenticationMethod": "client_secret_post",
            "authorizationEndpoint": "https://sso.acme.test/authorize",
            "scope": "openid email",
            "userEmailClaim": "email",
        }
    },
}
GROUP_FULL = {"id": GROUP, "name": "Developers", "description": "All developers", "updatedAt": "2024-01-05T00:00:00Z"}
POLICY_FULL = {
    "id": POLICY,
    "name": "Developer",
    "key": "developer",
    "type": "CustomerManaged",
    "description": "Can edit flags",
    "statements": [
        {
            "id": "st-1",
            "resourceType": "flag",
            "effect": "allow",
            "actions": ["UpdateFlagTargeting"],
            "resources": ["project/*:env/*:flag/*"],
        }
    ],
    "updatedAt": "2024-01-06T00:00:00Z",
}
MEMBER_FULL = {
    "id": MEMBER,
    "email": "bob@example.com",
    "name": "Bob",
    "invitorId": USER,
    "initialPassword": None,
    "groups": [{"id": GROUP, "name": "Developers", "description": "All developers", "memberId": MEMBER, "isGroupMember": True}],
}


def page(items: list[Any], total: int | None = None) -> dict[str, Any]:
    return ok({"totalCount": len(items) if total is None else total, "items": items})


@pytest.fixture
def client(server: APIServer) -> Iterator[FeatBit]:
    with FeatBit(TOKEN, base_url=server.url, max_retries=0) as featbit:
        yield featbit



def assert_auth(request: Recorded) -> None:
    # Raw token, no scheme word.
    assert request.header("Authorization") == TOKEN
    assert not request.header("Authorization").startswith("Bearer")


# --------------------------------------------------------------------------- operations


@dataclass
class Case:
    operation: str  # resource.method
    method: str
    path: str
    data: Any
    call: Callable[[FeatBit], Any]
    check: Callable[[Any], None]
    query: dict[str, list[str]] = field(default_factory=dict)
    body: Any = NO_BODY


def _is(kind: type, **attributes: Any) -> Callable[[Any], None]:
    def check(result: Any) -> None:
        assert isinstance(result, kind), result
        for name, value in attributes.items():
            assert getattr(result, name) == value, (name, getattr(result, name))

    return check


def _equals(expected: Any) -> Callable[[Any], None]:
    def check(result: Any) -> None:
        assert result == expected
        assert type(result) is type(expected)

    return check


def _check_list(result: Any, kind: type, then: Callable[[Any], None] | None = None, **attributes: Any) -> None:
    assert isinstance(result, list) and len(result) == 1, result
    _is(kind, **attributes)(result[0])
    if then is not None:
        then(result[0])


def _page_of(kind: type, total: int, count: int = 1) -> Callable[[Any], None]:
    def check(result: Any) -> None:
        assert isinstance(result, Page)
        assert result.total == total
        assert len(result.items) == count
        assert all(isinstance(item, kind) for item in result.items)

    return check


def _check_flag(result: Any) -> None:
    assert isinstance(result, FeatureFlag)
    assert result.key == "dark-mode"
    assert result.revision == REVISION
    assert result.variation_type == "boolean"
    assert result.is_enabled is True
    assert result.disabled_variation_id == OFF
    assert result.created_at == datetime.datetime(2024, 1, 19, 8, 35, 37, 343000, tzinfo=datetime.timezone.utc)
    assert isinstance(result.variations[0], models.Variation) and result.variations[0].value == "true"
    assert result.target_users[0].key_ids == ["user-1", "user-2"]
    assert result.rules[0].conditions[0].op == "Equal"
    assert result.rules[0].variations[0].rollout == [0.0, 1.0]
    assert result.fallthrough.included_in_expt is True
    assert result.fallthrough.dispatch_key is None


def _check_flag_page(result: Any) -> None:
    _page_of(FeatureFlagSummary, 1)(result)
    flag = result.items[0]
    assert flag.key == "dark-mode"
    assert flag.serves.enabled_variations == ["true"]
    assert flag.last_change.operator.email == "ada@example.com"
    assert flag.last_change.happened_at == datetime.datetime(2024, 2, 1, 10, tzinfo=datetime.timezone.utc)


def _check_pending(result: Any) -> None:
    assert isinstance(result, list) and len(result) == 1
    change = result[0]
    assert isinstance(change, models.PendingChange)
    assert change.type == "Schedule"
    assert change.scheduled_time == datetime.datetime(2024, 3, 1, tzinfo=datetime.timezone.utc)
    assert change.data_change.current == '{"isEnabled":true}'


def _check_segment(result: Any) -> None:
    assert isinstance(result, models.Segment)
    assert result.key == "beta-testers"
    assert result.type == "environment-specific"
    assert result.is_environment_specific is True
    assert result.rules[0].conditions[0].op == "EndsWith"


def _check_segments(result: Any) -> None:
    assert isinstance(result, list) and len(result) == 2
    assert all(isinstance(item, models.Segment) for item in result)
    assert [item.id for item in result] == [SEGMENT, SEGMENT2]


def _check_project(result: Any) -> None:
    assert isinstance(result, models.Project)
    assert result.key == "web"
    environment = result.environments[0]
    assert isinstance(environment, models.ProjectEnvironment)
    assert environment.project_id == PROJECT
    assert environment.secrets[1].type == "client"
    assert environment.settings.require_change_comment is False


def _check_environment(result: Any) -> None:
    assert isinstance(result, models.Environment)
    assert result.id == ENV
    assert result.settings.require_change_comment is True
    assert [secret.name for secret in result.secrets] == ["Server Key", "Client Key"]
    # A secret field never shows in repr().
    assert "c2VydmVyLWtleQ" not in repr(result)


def _check_workspace(result: Any) -> None:
    assert isinstance(result, models.Workspace)
    assert result.key == "acme"
    assert result.sso.oidc.client_id == "featbit"
    assert result.sso.oidc.user_email_claim == "email"
    assert "s3cr3t" not in repr(result)


def _check_policy(result: Any) -> None:
    assert isinstance(result, models.Policy)
    assert result.key == "developer"
    assert result.type == "CustomerManaged"
    assert result.statements[0].resource_type == "flag"
    assert result.statements[0].effect == "allow"


def _check_member(result: Any) -> None:
    assert isinstance(result, models.Member)
    assert result.email == "bob@example.com"
    assert result.invitor_id == USER
    assert result.groups[0].is_group_member is True


FLAGS = f"/api/v1/envs/{ENV}/feature-flags"
SEGMENTS = f"/api/v1/envs/{ENV}/segments"

TARGETING = {
    "targetUsers": [{"keyIds": ["user-1"], "variationId": ON}],
    "rules": [
        {
            "id": "b0b0b0b0-0000-4000-8000-000000000001",
            "name": "Pro plan",
            "dispatchKey": None,
            "includedInExpt": False,
            "conditions": [{"property": "plan", "op": "Equal", "value": "pro"}],
            "variations": [{"id": ON, "rollout": [0, 1], "exptRollout": 1}],
        }
    ],
    "fallthrough": {"dispatchKey": "email", "includedInExpt": True, "variations": [{"id": OFF, "rollout": [0, 1]}]},
    "exptIncludeAllTargets": False,
}

CASES: list[Case] = [
    # ------------------------------------------------------------ feature flags (17)
    Case(
        "feature_flags.list", "GET", FLAGS, page([FLAG_SUMMARY]),
        lambda c: c.feature_flags.list(
            env_id=ENV, name="dark", tags=["web", "beta"], is_enabled=True, is_archived=False,
            sort_by="key", page_index=0, page_size=20,
        ).first_page(),
        _check_flag_page,
        query={
            "name": ["dark"], "tags": ["web", "beta"], "isEnabled": ["true"], "isArchived": ["false"],
            "sortBy": ["key"], "pageIndex": ["0"], "pageSize": ["20"],
        },
    ),
    Case(
        "feature_flags.retrieve", "GET", f"{FLAGS}/dark-mode", FLAG,
        lambda c: c.feature_flags.retrieve("dark-mode", env_id=ENV), _check_flag,
    ),
    Case(
        "feature_flags.create", "POST", FLAGS, FLAG,
        lambda c: c.feature_flags.create(
            env_id=ENV, name="Dark mode", key="dark-mode", variation_type="boolean",
            variations=[Variation(**VARIATIONS[0]), VARIATIONS[1]],
            enabled_variation_id=ON, disabled_variation_id=OFF, tags=["web"],
        ),
        _check_flag,
        body={
            "name": "Dark mode", "key": "dark-mode", "variationType": "boolean", "variations": VARIATIONS,
            "enabledVariationId": ON, "disabledVariationId": OFF, "tags": ["web"],
        },
    ),
    Case(
        "feature_flags.archive", "PUT", f"{FLAGS}/dark-mode/archive", True,
        lambda c: c.feature_flags.archive("dark-mode", env_id=ENV, comment="retired"),
        _equals(True), body={"comment": "retired"},
    ),
    Case(
        "feature_flags.restore", "PUT", f"{FLAGS}/dark-mode/restore", True,
        lambda c: c.feature_flags.restore(env_id=ENV, key="dark-mode"), _equals(True), body={},
    ),
    Case(
        "feature_flags.delete", "DELETE", f"{FLAGS}/dark-mode", True,
        lambda c: c.feature_flags.delete("dark-mode", env_id=ENV, comment="cleanup"),
        _equals(True), body={"comment": "cleanup"},
    ),
    Case(
        "feature_flags.toggle", "PUT", f"{FLAGS}/dark-mode/toggle/true", NEW_REVISION,
        lambda c: c.feature_flags.toggle(env_id=ENV, key="dark-mode", status=True, comment="launch"),
        _equals(NEW_REVISION), body={"comment": "launch"},
    ),
    Case(
        "feature_flags.update_name", "PUT", f"{FLAGS}/dark-mode/name", NEW_REVISION,
        lambda c: c.feature_flags.update_name(env_id=ENV, key="dark-mode", name="Dark mode v2"),
        _equals(NEW_REVISION), body={"name": "Dark mode v2"},
    ),
    Case(
        "feature_flags.update_description", "PUT", f"{FLAGS}/dark-mode/description", NEW_REVISION,
        lambda c: c.feature_flags.update_description(
            env_id=ENV, key="dark-mode", description="Dark theme", comment="docs"
        ),
        _equals(NEW_REVISION), body={"description": "Dark theme", "comment": "docs"},
    ),
    Case(
        "feature_flags.update_off_variation", "PUT", f"{FLAGS}/dark-mode/off-variation", NEW_REVISION,
        lambda c: c.feature_flags.update_off_variation(
            env_id=ENV, key="dark-mode", revision=REVISION, off_variation_id=OFF
        ),
        _equals(NEW_REVISION), body={"revision": REVISION, "offVariationId": OFF},
    ),
    Case(
        "feature_flags.patch", "PATCH", f"{FLAGS}/dark-mode", True,
        lambda c: c.feature_flags.patch(
            "dark-mode",
            [
                JsonPatchOperation(op="replace", path="/isEnabled", value=True),
                {"op": "move", "from": "/tags/0", "path": "/tags/1"},
                JsonPatchOperation(op="remove", path="/targetUsers/0"),
            ],
            env_id=ENV,
        ),
        _equals(True),
        body=[
            {"op": "replace", "path": "/isEnabled", "value": True},
            {"op": "move", "from": "/tags/0", "path": "/tags/1"},
            {"op": "remove", "path": "/targetUsers/0"},
        ],
    ),
    Case(
        "feature_flags.update_variations", "PUT", f"{FLAGS}/dark-mode/variations", NEW_REVISION,
        lambda c: c.feature_flags.update_variations(
            env_id=ENV, key="dark-mode", variations=VARIATIONS, revision=REVISION
        ),
        _equals(NEW_REVISION), body={"variations": VARIATIONS, "revision": REVISION},
    ),
    Case(
        "feature_flags.list_pending_changes", "GET", f"{FLAGS}/dark-mode/pending-changes", [PENDING_CHANGE],
        lambda c: c.feature_flags.list_pending_changes(env_id=ENV, key="dark-mode"), _check_pending,
    ),
    Case(
        "feature_flags.update_targeting", "PUT", f"{FLAGS}/dark-mode/targeting", NEW_REVISION,
        lambda c: c.feature_flags.update_targeting(
            env_id=ENV, key="dark-mode", revision=REVISION, targeting=TARGETING, comment="beta rule"
        ),
        _equals(NEW_REVISION),
        body={"revision": REVISION, "targeting": TARGETING, "comment": "beta rule"},
    ),
    Case(
        "feature_flags.clone", "POST", f"{FLAGS}/clone/dark-mode", True,
        lambda c: c.feature_flags.clone("dark-mode", env_id=ENV, name="Dark mode copy", key="dark-mode-copy"),
        _equals(True), body={"name": "Dark mode copy", "key": "dark-mode-copy"},
    ),
    Case(
        "feature_flags.list_tags", "GET", f"{FLAGS}/all-tags", ["beta", "web"],
        lambda c: c.feature_flags.list_tags(env_id=ENV), _equals(["beta", "web"]),
    ),
    Case(
        "feature_flags.set_tags", "PUT", f"{FLAGS}/dark-mode/tags", True,
        lambda c: c.feature_flags.set_tags(env_id=ENV, key="dark-mode", tags=["beta"], comment="retag"),
        _equals(True), body={"tags": ["beta"], "comment": "retag"},
    ),
    # ----------------------------------------------------------------- segments (14)
    Case(
        "segments.retrieve", "GET", f"{SEGMENTS}/{SEGMENT}", SEGMENT_FULL,
        lambda c: c.segments.retrieve(SEGMENT, env_id=ENV), _check_segment,
    ),
    Case(
        "segments.list", "GET", SEGMENTS, page([SEGMENT_SUMMARY], total=1),
        lambda c: c.segments.list(env_id=ENV, name="beta", is_archived=True, page_size=5).first_page(),
        _page_of(models.SegmentSummary, 1),
        query={"name": ["beta"], "isArchived": ["true"], "pageSize": ["5"]},
    ),
    Case(
        "segments.list_by_ids", "GET", f"{SEGMENTS}/by-ids", [SEGMENT_FULL, {**SEGMENT_FULL, "id": SEGMENT2, "key": "staff"}],
        lambda c: c.segments.list_by_ids(env_id=ENV, ids=[SEGMENT, SEGMENT2]), _check_segments,
        query={"ids": [SEGMENT, SEGMENT2]},
    ),
    Case(
        "segments.create", "POST", SEGMENTS, SEGMENT_FULL,
        lambda c: c.segments.create(
            env_id=ENV, type="environment-specific", name="Beta testers", key="beta-testers",
            scopes=["project/web:env/prod"],
        ),
        _check_segment,
        body={"type": "environment-specific", "name": "Beta testers", "key": "beta-testers", "scopes": ["project/web:env/prod"]},
    ),
    Case(
        "segments.update_name", "PUT", f"{SEGMENTS}/{SEGMENT}/name", True,
        lambda c: c.segments.update_name(env_id=ENV, segment_id=SEGMENT, name="Beta users", comment="rename"),
        _equals(True), body={"name": "Beta users", "comment": "rename"},
    ),
    Case(
        "segments.update_description", "PUT", f"{SEGMENTS}/{SEGMENT}/description", True,
        lambda c: c.segments.update_description(env_id=ENV, segment_id=SEGMENT, description="Opted-in users"),
        _equals(True), body={"description": "Opted-in users"},
    ),
    Case(
        "segments.update_targeting", "PUT", f"{SEGMENTS}/{SEGMENT}/targeting", True,
        lambda c: c.segments.update_targeting(
            env_id=ENV, segment_id=SEGMENT, included=["user-1", "user-2"], excluded=[],
            rules=[models.MatchRule(id="r-1", name="Staff", conditions=[models.Condition(property="email", op="EndsWith", value="@example.com")])],
        ),
        _equals(True),
        body={
            "included": ["user-1", "user-2"],
            "excluded": [],
            "rules": [{"id": "r-1", "name": "Staff", "conditions": [{"property": "email", "op": "EndsWith", "value": "@example.com"}]}],
        },
    ),
    Case(
        "segments.patch", "PATCH", f"{SEGMENTS}/{SEGMENT}", True,
        lambda c: c.segments.patch(SEGMENT, [{"op": "add", "path": "/included/-", "value": "user-3"}], env_id=ENV),
        _equals(True), body=[{"op": "add", "path": "/included/-", "value": "user-3"}],
    ),
    Case(
        "segments.archive", "PUT", f"{SEGMENTS}/{SEGMENT}/archive", True,
        lambda c: c.segments.archive(env_id=ENV, segment_id=SEGMENT), _equals(True), body={},
    ),
    Case(
        "segments.restore", "PUT", f"{SEGMENTS}/{SEGMENT}/restore", True,
        lambda c: c.segments.restore(env_id=ENV, segment_id=SEGMENT, comment="back"),
        _equals(True), body={"comment": "back"},
    ),
    Case(
        "segments.delete", "DELETE", f"{SEGMENTS}/{SEGMENT}", True,
        lambda c: c.segments.delete(SEGMENT, env_id=ENV, comment="gone"), _equals(True), body={"comment": "gone"},
    ),
    Case(
        "segments.list_flag_references", "GET", f"{SEGMENTS}/{SEGMENT}/flag-references",
        [{"envId": ENV, "id": FLAG["id"], "name": "Dark mode", "key": "dark-mode"}],
        lambda c: c.segments.list_flag_references(env_id=ENV, segment_id=SEGMENT),
        lambda r: _check_list(r, models.FlagReference, key="dark-mode", env_id=ENV),
    ),
    Case(
        "segments.list_tags", "GET", f"{SEGMENTS}/all-tags", ["beta"],
        lambda c: c.segments.list_tags(env_id=ENV), _equals(["beta"]),
    ),
    Case(
        "segments.set_tags", "PUT", f"{SEGMENTS}/{SEGMENT}/tags", True,
        lambda c: c.segments.set_tags(env_id=ENV, segment_id=SEGMENT, tags=["beta", "staff"]),
        _equals(True), body={"tags": ["beta", "staff"]},
    ),
    # --------------------------------------------------------------- audit logs (1)
    Case(
        "audit_logs.list", "GET", f"/api/v1/envs/{ENV}/audit-logs", page([AUDIT_LOG], total=1),
        lambda c: c.audit_logs.list(
            env_id=ENV, query="launch", creator_id=USER, ref_id=FLAG["id"], ref_type="FeatureFlag",
            from_=1704067200000, to=1706745600000, cross_environment=True, page_index=0, page_size=50,
        ).first_page(),
        _page_of(models.AuditLog, 1),
        query={
            "query": ["launch"], "creatorId": [USER], "refId": [FLAG["id"]], "refType": ["FeatureFlag"],
            "from": ["1704067200000"], "to": ["1706745600000"], "crossEnvironment": ["true"],
            "pageIndex": ["0"], "pageSize": ["50"],
        },
    ),
    # ----------------------------------------------------------------- projects (5)
    Case(
        "projects.retrieve", "GET", f"/api/v1/projects/{PROJECT}", PROJECT_FULL,
        lambda c: c.projects.retrieve(PROJECT), _check_project,
    ),
    Case(
        "projects.list", "GET", "/api/v1/projects", [PROJECT_FULL],
        lambda c: c.projects.list(),
        lambda r: _check_list(r, models.Project, then=_check_project),
    ),
    Case(
        "projects.create", "POST", "/api/v1/projects", PROJECT_FULL,
        lambda c: c.projects.create(name="Web app", key="web"), _check_project,
        body={"name": "Web app", "key": "web"},
    ),
    Case(
        "projects.update", "PUT", f"/api/v1/projects/{PROJECT}", {"id": PROJECT, "name": "Web"},
        lambda c: c.projects.update(PROJECT, name="Web"), _is(models.ProjectSummary, id=PROJECT, name="Web"),
        body={"name": "Web"},
    ),
    Case(
        "projects.delete", "DELETE", f"/api/v1/projects/{PROJECT}", True,
        lambda c: c.projects.delete(PROJECT), _equals(True),
    ),
    # ------------------------------------------------------------- environments (4)
    Case(
        "environments.retrieve", "GET", f"/api/v1/projects/{PROJECT}/envs/{ENV}", ENVIRONMENT,
        lambda c: c.environments.retrieve(ENV, project_id=PROJECT), _check_environment,
    ),
    Case(
        "environments.create", "POST", f"/api/v1/projects/{PROJECT}/envs", ENVIRONMENT,
        lambda c: c.environments.create(
            project_id=PROJECT, name="Prod", key="prod", settings=EnvironmentSettings(require_change_comment=True)
        ),
        _check_environment,
        body={"name": "Prod", "key": "prod", "settings": {"requireChangeComment": True}},
    ),
    Case(
        "environments.update", "PUT", f"/api/v1/projects/{PROJECT}/envs/{ENV}", ENVIRONMENT,
        lambda c: c.environments.update(ENV, project_id=PROJECT, name="Prod", description="Production"),
        _check_environment, body={"name": "Prod", "description": "Production"},
    ),
    Case(
        "environments.delete", "DELETE", f"/api/v1/projects/{PROJECT}/envs/{ENV}", True,
        lambda c: c.environments.delete(ENV, project_id=PROJECT), _equals(True),
    ),
    # --------------------------------------------------------------- workspaces (4)
    Case(
        "workspaces.retrieve", "GET", "/api/v1/workspaces", WORKSPACE,
        lambda c: c.workspaces.retrieve(), _check_workspace,
    ),
    Case(
        "workspaces.update", "PUT", "/api/v1/workspaces", WORKSPACE,
        lambda c: c.workspaces.update(name="Acme", key="acme"), _check_workspace, body={"name": "Acme", "key": "acme"},
    ),
    Case(
        "workspaces.update_license", "PUT", "/api/v1/workspaces/license", {**WORKSPACE, "license": "LIC-123"},
        lambda c: c.workspaces.update_license(license="LIC-123"),
        _is(models.Workspace, license="LIC-123"), body={"license": "LIC-123"},
    ),
    Case(
        "workspaces.update_sso_oidc", "PUT", "/api/v1/workspaces/sso-oidc", WORKSPACE,
        lambda c: c.workspaces.update_sso_oidc(
            client_id="featbit", client_secret="s3cr3t", token_endpoint="https://sso.acme.test/token",
            client_authentication_method="client_secret_post",
            authorization_endpoint="https://sso.acme.test/authorize", scope="openid email", user_email_claim="email",
        ),
        _check_workspace,
        body=WORKSPACE["sso"]["oidc"],
    ),
    # ------------------------------------------------------------------- groups (11)
    Case(
        "groups.retrieve", "GET", f"/api/v1/groups/{GROUP}", GROUP_FULL,
        lambda c: c.groups.retrieve(GROUP), _is(models.Group, id=GROUP, name="Developers"),
    ),
    Case(
        "groups.list", "GET", "/api/v1/groups", page([GROUP_FULL]),
        lambda c: c.groups.list(name="Dev", page_size=10).first_page(), _page_of(models.Group, 1),
        query={"name": ["Dev"], "pageSize": ["10"]},
    ),
    Case(
        "groups.create", "POST", "/api/v1/groups", GROUP_FULL,
        lambda c: c.groups.create(name="Developers", description="All developers"),
        _is(models.Group, id=GROUP, description="All developers"),
        body={"name": "Developers", "description": "All developers"},
    ),
    Case(
        "groups.update", "PUT", f"/api/v1/groups/{GROUP}", GROUP_FULL,
        lambda c: c.groups.update(GROUP, name="Developers"), _is(models.Group, id=GROUP), body={"name": "Developers"},
    ),
    Case(
        "groups.delete", "DELETE", f"/api/v1/groups/{GROUP}", True,
        lambda c: c.groups.delete(GROUP), _equals(True),
    ),
    Case(
        "groups.list_members", "GET", f"/api/v1/groups/{GROUP}/members",
        page([{"id": MEMBER, "name": "Bob", "email": "bob@example.com", "isGroupMember": True}]),
        lambda c: c.groups.list_members(GROUP, search_text="bob", get_all_members=True).first_page(),
        _page_of(models.GroupMember, 1),
        query={"searchText": ["bob"], "getAllMembers": ["true"]},
    ),
    Case(
        "groups.add_member", "PUT", f"/api/v1/groups/{GROUP}/add-member/{MEMBER}", True,
        lambda c: c.groups.add_member(MEMBER, group_id=GROUP), _equals(True),
    ),
    Case(
        "groups.remove_member", "PUT", f"/api/v1/groups/{GROUP}/remove-member/{MEMBER}", True,
        lambda c: c.groups.remove_member(MEMBER, group_id=GROUP), _equals(True),
    ),
    Case(
        "groups.list_policies", "GET", f"/api/v1/groups/{GROUP}/policies",
        page([{"id": POLICY, "name": "Developer", "type": "CustomerManaged", "description": "x", "isGroupPolicy": False}]),
        lambda c: c.groups.list_policies(group_id=GROUP, get_all_policies=False, page_size=25).first_page(),
        _page_of(models.GroupPolicy, 1),
        query={"getAllPolicies": ["false"], "pageSize": ["25"]},
    ),
    Case(
        "groups.add_policy", "PUT", f"/api/v1/groups/{GROUP}/add-policy/{POLICY}", True,
        lambda c: c.groups.add_policy(POLICY, group_id=GROUP), _equals(True),
    ),
    Case(
        "groups.remove_policy", "PUT", f"/api/v1/groups/{GROUP}/remove-policy/{POLICY}", True,
        lambda c: c.groups.remove_policy(POLICY, group_id=GROUP), _equals(True),
    ),
    # ------------------------------------------------------------------ members (11)
    Case(
        "members.retrieve", "GET", f"/api/v1/members/{MEMBER}", MEMBER_FULL,
        lambda c: c.members.retrieve(MEMBER), _check_member,
    ),
    Case(
        "members.add", "POST", "/api/v1/members/add", True,
        lambda c: c.members.add(email="bob@example.com", policy_ids=[POLICY]),
        _equals(True), body={"email": "bob@example.com", "policyIds": [POLICY]},
    ),
    Case(
        "members.remove_from_org", "DELETE", f"/api/v1/members/remove-from-org/{MEMBER}", True,
        lambda c: c.members.remove_from_org(MEMBER), _equals(True),
    ),
    Case(
        "members.remove_from_workspace", "DELETE", f"/api/v1/members/remove-from-workspace/{MEMBER}", True,
        lambda c: c.members.remove_from_workspace(MEMBER), _equals(True),
    ),
    Case(
        "members.list", "GET", "/api/v1/members", page([MEMBER_FULL], total=1),
        lambda c: c.members.list(search_text="example.com").first_page(), _page_of(models.Member, 1),
        query={"searchText": ["example.com"]},
    ),
    Case(
        "members.list_groups", "GET", f"/api/v1/members/{MEMBER}/groups",
        page([{"id": GROUP, "name": "Developers", "memberId": MEMBER, "isGroupMember": True}]),
        lambda c: c.members.list_groups(member_id=MEMBER, name="Dev", get_all_groups=True).first_page(),
        _page_of(models.MemberGroup, 1),
        query={"name": ["Dev"], "getAllGroups": ["true"]},
    ),
    Case(
        "members.list_policies", "GET", f"/api/v1/members/{MEMBER}/policies", [POLICY_FULL],
        lambda c: c.members.list_policies(member_id=MEMBER),
        lambda r: _check_list(r, models.Policy, then=_check_policy),
    ),
    Case(
        "members.list_direct_policies", "GET", f"/api/v1/members/{MEMBER}/direct-policies",
        page([{"id": POLICY, "name": "Developer", "type": "SysManaged", "isMemberPolicy": True}]),
        lambda c: c.members.list_direct_policies(member_id=MEMBER, get_all_policies=True).first_page(),
        _page_of(models.MemberPolicy, 1),
        query={"getAllPolicies": ["true"]},
    ),
    Case(
        "members.list_inherited_policies", "GET", f"/api/v1/members/{MEMBER}/inherited-policies",
        page([{"id": POLICY, "name": "Developer", "type": "CustomerManaged", "createdAt": "2024-01-06T00:00:00Z", "groupName": "Developers"}]),
        lambda c: c.members.list_inherited_policies(member_id=MEMBER, name="Dev").first_page(),
        _page_of(models.InheritedMemberPolicy, 1),
        query={"name": ["Dev"]},
    ),
    Case(
        "members.add_policy", "PUT", f"/api/v1/members/{MEMBER}/add-policy/{POLICY}", True,
        lambda c: c.members.add_policy(POLICY, member_id=MEMBER), _equals(True),
    ),
    Case(
        "members.remove_policy", "PUT", f"/api/v1/members/{MEMBER}/remove-policy/{POLICY}", True,
        lambda c: c.members.remove_policy(POLICY, member_id=MEMBER), _equals(True),
    ),
    # ----------------------------------------------------------------- policies (9)
    Case(
        "policies.retrieve", "GET", f"/api/v1/policies/{POLICY}", POLICY_FULL,
        lambda c: c.policies.retrieve(POLICY), _check_policy,
    ),
    Case(
        "policies.list", "GET", "/api/v1/policies", page([POLICY_FULL]),
        lambda c: c.policies.list(name="Dev", page_index=0, page_size=10).first_page(), _page_of(models.Policy, 1),
        query={"name": ["Dev"], "pageIndex": ["0"], "pageSize": ["10"]},
    ),
    Case(
        "policies.create", "POST", "/api/v1/policies", POLICY_FULL,
        lambda c: c.policies.create(name="Developer", key="developer", description="Can edit flags"),
        _check_policy, body={"name": "Developer", "key": "developer", "description": "Can edit flags"},
    ),
    Case(
        "policies.clone", "POST", "/api/v1/policies/clone/developer", {**POLICY_FULL, "key": "developer-2"},
        lambda c: c.policies.clone("developer", origin_policy_type="CustomerManaged", name="Developer 2", key="developer-2"),
        _is(models.Policy, key="developer-2"),
        body={"originPolicyType": "CustomerManaged", "name": "Developer 2", "key": "developer-2"},
    ),
    Case(
        "policies.update_settings", "PUT", f"/api/v1/policies/{POLICY}/settings", POLICY_FULL,
        lambda c: c.policies.update_settings(policy_id=POLICY, name="Developer"), _check_policy,
        body={"name": "Developer"},
    ),
    Case(
        "policies.update_statements", "PUT", f"/api/v1/policies/{POLICY}/statements", POLICY_FULL,
        lambda c: c.policies.update_statements(
            POLICY,
            [PolicyStatement(id="st-1", resource_type="flag", effect="allow", actions=["UpdateFlagTargeting"], resources=["project/*:env/*:flag/*"])],
        ),
        _check_policy,
        body=POLICY_FULL["statements"],
    ),
    Case(
        "policies.delete", "DELETE", f"/api/v1/policies/{POLICY}", True,
        lambda c: c.policies.delete(POLICY), _equals(True),
    ),
    Case(
        "policies.list_groups", "GET", f"/api/v1/policies/{POLICY}/groups",
        page([{"id": GROUP, "name": "Developers", "description": "All developers", "isPolicyGroup": True}]),
        lambda c: c.policies.list_groups(policy_id=POLICY, get_all_groups=True).first_page(),
        _page_of(models.PolicyGroup, 1),
        query={"getAllGroups": ["true"]},
    ),
    Case(
        "policies.list_members", "GET", f"/api/v1/policies/{POLICY}/members",
        page([{"id": MEMBER, "name": "Bob", "email": "bob@example.com", "isPolicyMember": False}]),
        lambda c: c.policies.list_members(policy_id=POLICY, search_text="bob", get_all_members=False).first_page(),
        _page_of(models.PolicyMember, 1),
        query={"searchText": ["bob"], "getAllMembers": ["false"]},
    ),
]


def test_every_operation_has_a_case() -> None:
    covered = {case.operation for case in CASES}
    assert len(CASES) == len(covered)
    assert covered == documented_operations("featbit") == generated_operations("featbit_api")
    assert len(covered) == 76


@pytest.mark.parametrize("case", CASES, ids=[case.operation for case in CASES])
def test_operation(server: APIServer, client: FeatBit, case: Case) -> None:
    enveloped = isinstance(case.data, dict) and set(case.data) == {"success", "errors", "data"}
    server.route(case.method, case.path, json=case.data if enveloped else ok(case.data))
    result = case.call(client)

    request = server.only_request()
    assert request.method == case.method
    assert request.path == case.path
    assert request.raw_path == case.path
    query = dict(request.query)
    if "pageIndex" not in case.query and query.get("pageIndex") == ["0"]:
        del query["pageIndex"]  # the first page, 0, may be sent or left to the server's default
    assert query == case.query
    assert_auth(request)
    assert request.header("Accept") == "application/json"
    if case.body is NO_BODY:
        assert request.body == b""
    else:
        assert request.header("Content-Type") == "application/json"
        assert request.json() == case.body
    case.check(result)


def test_toggle_off_puts_false_in_the_path(server: APIServer, client: FeatBit) -> None:
    path = f"{FLAGS}/dark-mode/toggle/false"
    server.route("PUT", path, json=ok(NEW_REVISION))
    assert client.feature_flags.toggle(env_id=ENV, key="dark-mode", status=False) == NEW_REVISION
    request = server.only_request()
    assert request.path == path
    assert request.json() == {}


def test_toggle_takes_its_flag_by_name_only(server: APIServer, client: FeatBit) -> None:
    with pytest.raises(TypeError, match="toggle"):
        client.feature_flags.toggle(True, env_id=ENV, key="dark-mode")  # type: ignore[misc]
    assert server.requests == []


def test_path_parameters_stay_in_their_segment(server: APIServer, client: FeatBit) -> None:
    server.route("GET", f"{FLAGS}/a%2Fb", json=ok({**FLAG, "key": "a/b"}))
    flag = client.feature_flags.retrieve("a/b", env_id=ENV)
    assert flag.key == "a/b"
    assert server.only_request().raw_path == f"{FLAGS}/a%2Fb"


def test_async_client_calls_an_operation(server: APIServer) -> None:
    server.route("GET", f"{FLAGS}/dark-mode", json=ok(FLAG))

    async def main() -> Any:
        async with AsyncFeatBit(TOKEN, base_url=server.url) as featbit:
            return await featbit.feature_flags.retrieve("dark-mode", env_id=ENV)

    _check_flag(asyncio.run(main()))
    request = server.only_request()
    assert_auth(request)
    assert request.path == f"{FLAGS}/dark-mode"


# --------------------------------------------------------------------------- pagination


def _summary(number: int) -> dict[str, Any]:
    return {**FLAG_SUMMARY, "id": f"f1a2b3c4-d5e6-4f70-8a9b-{number:012d}", "key": f"flag-{number}"}


def _paged(total: int, size: int) -> Callable[[Recorded], Reply]:
    """Answers pageIndex/pageSize from a list of `total` flags, like FeatBit."""
    flags = [_summary(number) for number in range(total)]

    def handler(request: Recorded) -> Reply:
        index = int(request.query.get("pageIndex", ["0"])[0])
        page_size = int(request.query.get("pageSize", [str(size)])[0])
        chunk = flags[index * page_size : (index + 1) * page_size]
        return Reply(200, json=ok({"totalCount": total, "items": chunk}))

    return handler


def _page_params(server: APIServer) -> list[tuple[str | None, str | None]]:
    """(pageIndex, pageSize) of each request; the first page may leave pageIndex to its default 0."""
    seen = [(r.query.get("pageIndex", [None])[0], r.query.get("pageSize", [None])[0]) for r in server.requests]
    if seen and seen[0][0] is None:
        seen[0] = ("0", seen[0][1])
    return seen


def test_iterates_every_page(server: APIServer, client: FeatBit) -> None:
    server.route("GET", FLAGS, handler=_paged(total=5, size=2))

    flags = list(client.feature_flags.list(env_id=ENV, page_size=2))

    assert [flag.key for flag in flags] == [f"flag-{n}" for n in range(5)]
    assert all(isinstance(flag, FeatureFlagSummary) for flag in flags)
    assert _page_params(server) == [("0", "2"), ("1", "2"), ("2", "2")]
    for request in server.requests:
        assert request.path == FLAGS
        assert_auth(request)


def test_iterates_every_page_async(server: APIServer) -> None:
    server.route("GET", FLAGS, handler=_paged(total=5, size=2))

    async def main() -> list[FeatureFlagSummary]:
        async with AsyncFeatBit(TOKEN, base_url=server.url, max_retries=0) as featbit:
            return [flag async for flag in featbit.feature_flags.list(env_id=ENV, page_size=2, tags=["web"])]

    flags = asyncio.run(main())

    assert [flag.key for flag in flags] == [f"flag-{n}" for n in range(5)]
    assert _page_params(server) == [("0", "2"), ("1", "2"), ("2", "2")]
    assert all(r.query["tags"] == ["web"] for r in server.requests)


def test_iterates_every_page_with_explicit_start(server: APIServer, client: FeatBit) -> None:
    server.route("GET", FLAGS, handler=_paged(total=5, size=2))

    flags = list(client.feature_flags.list(env_id=ENV, page_index=0, page_size=2))

    assert [flag.key for flag in flags] == [f"flag-{n}" for n in range(5)]
    assert _page_params(server) == [("0", "2"), ("1", "2"), ("2", "2")]


def test_stops_when_total_count_is_reached(server: APIServer, client: FeatBit) -> None:
    # Three full pages and totalCount 6: no fourth request for an empty page.
    server.route("GET", FLAGS, handler=_paged(total=6, size=2))

    keys = [flag.key for flag in client.feature_flags.list(env_id=ENV, page_size=2)]

    assert keys == [f"flag-{n}" for n in range(6)]
    assert _page_params(server) == [("0", "2"), ("1", "2"), ("2", "2")]


def test_stops_on_an_empty_page_without_total(server: APIServer, client: FeatBit) -> None:
    answers = iter([[_summary(0), _summary(1)], [_summary(2), _summary(3)], [_summary(4), _summary(5)], []])
    server.route("GET", "/api/v1/groups", handler=lambda r: Reply(200, json=ok({"items": [
        {"id": item["id"], "name": item["key"]} for item in next(answers)
    ]})))

    groups = list(client.groups.list(page_size=2))

    assert len(groups) == 6 and all(isinstance(group, models.Group) for group in groups)
    assert _page_params(server) == [("0", "2"), ("1", "2"), ("2", "2"), ("3", "2")]


def test_pages_yields_typed_pages(server: APIServer, client: FeatBit) -> None:
    server.route("GET", FLAGS, handler=_paged(total=3, size=2))

    pages = list(client.feature_flags.list(env_id=ENV, page_size=2).pages())

    assert [len(p.items) for p in pages] == [2, 1]
    assert all(isinstance(p, Page) and p.total == 3 for p in pages)
    assert _page_params(server) == [("0", "2"), ("1", "2")]


def test_first_page_fetches_one_page(server: APIServer, client: FeatBit) -> None:
    server.route("GET", FLAGS, handler=_paged(total=5, size=2))

    first = client.feature_flags.list(env_id=ENV, page_size=2).first_page()

    assert isinstance(first, Page)
    assert [flag.key for flag in first.items] == ["flag-0", "flag-1"]
    assert first.total == 5
    assert len(server.requests) == 1
    assert server.requests[0].query.get("pageIndex", ["0"]) == ["0"]
    assert server.requests[0].query["pageSize"] == ["2"]


def test_first_page_async(server: APIServer) -> None:
    server.route("GET", FLAGS, handler=_paged(total=5, size=2))

    async def main() -> Page[FeatureFlagSummary]:
        async with AsyncFeatBit(TOKEN, base_url=server.url) as featbit:
            return await featbit.feature_flags.list(env_id=ENV, page_size=2).first_page()

    first = asyncio.run(main())
    assert [flag.key for flag in first.items] == ["flag-0", "flag-1"]
    assert len(server.requests) == 1


def test_a_repeated_page_stops_iteration(server: APIServer, client: FeatBit) -> None:
    # A server that ignores pageIndex answers the same full page forever (totalCount is large).
    # The pager must notice the repeat (the second in a row) instead of walking 50 pages of
    # duplicates; the handler gives up after 20 requests so a broken pager cannot hang the test.
    def same_page(request: Recorded) -> Reply:
        if len(server.requests) > 20:
            return Reply(200, json=page([], total=100))
        return Reply(200, json=page([_summary(0), _summary(1)], total=100))

    server.route("GET", FLAGS, handler=same_page)

    keys = [flag.key for flag in client.feature_flags.list(env_id=ENV, page_index=0, page_size=2)]

    assert keys == ["flag-0", "flag-1"]
    assert len(server.requests) == 3


def test_a_repeated_page_around_a_new_trace_id_stops_iteration(server: APIServer, client: FeatBit) -> None:
    # The same items again, in a body that differs (a trace id per answer): still a repeat.
    def same_items(request: Recorded) -> Reply:
        if len(server.requests) > 20:
            return Reply(200, json=page([], total=100))
        return Reply(200, json={**page([_summary(0), _summary(1)], total=100), "traceId": len(server.requests)})

    server.route("GET", FLAGS, handler=same_items)

    keys = [flag.key for flag in client.feature_flags.list(env_id=ENV, page_size=2)]

    assert keys == ["flag-0", "flag-1"]
    assert len(server.requests) == 3


def test_a_flag_created_while_paging_does_not_end_the_walk(server: APIServer, client: FeatBit) -> None:
    # Newest first, one a page: a flag created after the first page pushes flag-5 into the
    # second. That page repeats the first, but the walk goes on to the end.
    flags = [_summary(number) for number in (5, 4, 3, 2, 1)]

    def shifting(request: Recorded) -> Reply:
        index = int(request.query.get("pageIndex", ["0"])[0])
        if index == 1 and len(flags) == 5:
            flags.insert(0, _summary(6))
        return Reply(200, json=page(flags[index : index + 1], total=len(flags)))

    server.route("GET", FLAGS, handler=shifting)

    keys = [flag.key for flag in client.feature_flags.list(env_id=ENV, page_size=1)]

    assert keys == ["flag-5", "flag-4", "flag-3", "flag-2", "flag-1"]
    assert len(server.requests) == 7  # pages 0-5, and the empty page 6


def test_pages_alike_but_for_a_secret_are_not_a_repeat() -> None:
    # Two pages whose items print the same (repr() leaves secret fields out) but differ.
    class Key:
        def __init__(self, secret: str) -> None:
            self.secret = secret

        def __repr__(self) -> str:
            return "Key(secret=...)"

        def __eq__(self, other: object) -> bool:
            return isinstance(other, Key) and other.secret == self.secret

    pagination = importlib.import_module("featbit_api._pagination")
    walk = pagination.PageWalk({"pageSize": 1})

    def page_of(secret: str) -> Any:
        return pagination.Page(items=[Key(secret)], total=3, next_cursor=None, has_more=None, response=None)

    walk.after(page_of("a"))
    walk.after(page_of("b"))
    assert not walk.repeated
    walk.after(page_of("b"))
    assert walk.repeated


def test_an_async_loop_left_early_under_trio_leaves_nothing_to_finalize(server: APIServer) -> None:
    # trio warns about an async generator dropped before its end; the pagers are none.
    trio = importlib.import_module("trio")
    server.route("GET", FLAGS, handler=_paged(total=6, size=2))

    async def main() -> list[str]:
        keys = []
        async with AsyncFeatBit(TOKEN, base_url=server.url) as featbit:
            async for flag in featbit.feature_flags.list(env_id=ENV, page_size=2):
                keys.append(flag.key)
                break
            async for first_page in featbit.feature_flags.list(env_id=ENV, page_size=2).pages():
                keys.extend(flag.key for flag in first_page.items)
                break
        return keys

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        assert trio.run(main) == ["flag-0", "flag-0", "flag-1"]
        gc.collect()

    assert [str(warning.message) for warning in caught] == []


def test_a_pager_says_what_it_lists(client: FeatBit) -> None:
    assert repr(client.feature_flags.list(env_id=ENV)) == "Pager(GET /api/v1/envs/{env_id}/feature-flags)"


def test_a_server_that_caps_the_page_size_is_walked_to_the_total(server: APIServer, client: FeatBit) -> None:
    # Asked for 5 a page, the server sends at most 2: a short page is not the end while
    # totalCount says more.
    flags = [_summary(number) for number in range(5)]

    def capped(request: Recorded) -> Reply:
        index = int(request.query.get("pageIndex", ["0"])[0])
        return Reply(200, json=page(flags[index * 2 : index * 2 + 2], total=5))

    server.route("GET", FLAGS, handler=capped)

    keys = [flag.key for flag in client.feature_flags.list(env_id=ENV, page_size=5)]

    assert keys == [f"flag-{n}" for n in range(5)]
    assert _page_params(server) == [("0", "5"), ("1", "5"), ("2", "5")]


@pytest.mark.parametrize(
    "body",
    [{}, {"items": []}, ok({"totalCount": 0}), {"success": True, "errors": []}],
    ids=["empty object", "no envelope", "no items", "no data"],
)
def test_a_body_that_is_not_a_page_raises(server: APIServer, client: FeatBit, body: dict[str, Any]) -> None:
    # Not an empty list: the body says nothing about the items.
    server.route("GET", "/api/v1/groups", json=body)

    with pytest.raises(APIResponseValidationError):
        list(client.groups.list())


def test_a_redirect_to_another_origin_on_a_page_request_raises(server: APIServer, client: FeatBit) -> None:
    other = APIServer().start()
    try:
        other.route("GET", "/api/v1/groups", json=page([]))
        server.route("GET", "/api/v1/groups", status=302, headers={"Location": f"{other.url}/api/v1/groups"}, json=page([]))

        with pytest.raises(APIStatusError) as caught:
            list(client.groups.list())

        assert caught.value.status_code == 302
        assert other.requests == []
    finally:
        other.stop()


# --------------------------------------------------------------------------- errors


def test_success_false_with_status_200_raises(server: APIServer, client: FeatBit) -> None:
    server.route("POST", FLAGS, json=failed("KeyHasBeenUsed"))

    with pytest.raises(APIStatusError) as caught:
        client.feature_flags.create(
            env_id=ENV, name="Dark mode", key="dark-mode", variation_type="boolean",
            variations=VARIATIONS, enabled_variation_id=ON, disabled_variation_id=OFF,
        )

    error = caught.value
    assert isinstance(error, UnprocessableEntityError)  # the documented status of KeyHasBeenUsed
    assert error.status_code == 200
    assert error.code == "KeyHasBeenUsed"
    assert "KeyHasBeenUsed" in str(error)
    assert error.body == failed("KeyHasBeenUsed")
    assert error.details == ["KeyHasBeenUsed"]
    assert TOKEN not in str(error)
    assert len(server.requests) == 1


def test_success_false_with_an_undocumented_message(server: APIServer, client: FeatBit) -> None:
    # A JSON Patch that cannot be applied: HTTP 200, success false, the reason in errors.
    message = "The target location specified by path segment 'nope' was not found."
    server.route("PATCH", f"{FLAGS}/dark-mode", json=failed(message))

    with pytest.raises(APIStatusError) as caught:
        client.feature_flags.patch("dark-mode", [{"op": "remove", "path": "/nope"}], env_id=ENV)

    assert type(caught.value) is APIStatusError
    assert caught.value.code == message
    assert message in str(caught.value)


def test_success_false_with_several_errors(server: APIServer, client: FeatBit) -> None:
    server.route("POST", "/api/v1/projects", json=failed("name_is_required", "key_is_invalid"))

    with pytest.raises(BadRequestError) as caught:
        client.projects.create(name="x", key="x")

    assert caught.value.code == "name_is_required"
    assert "name_is_required" in str(caught.value) and "key_is_invalid" in str(caught.value)


def test_error_message_attribute_is_the_apis_own_message(server: APIServer, client: FeatBit) -> None:
    # docs/spec-format.md: `success: false` raises "with the `errors` strings as its `code` and
    # `message`"; APIStatusError documents `message` as "The API's own message".
    server.route("POST", "/api/v1/projects", json=failed("KeyHasBeenUsed"))

    with pytest.raises(UnprocessableEntityError) as caught:
        client.projects.create(name="Web app", key="web")

    assert caught.value.code == "KeyHasBeenUsed"
    assert caught.value.message == "KeyHasBeenUsed"


VALIDATION_PROBLEM = {
    "type": "https://tools.ietf.org/html/rfc9110#section-15.5.1",
    "title": "One or more validation errors occurred.",
    "status": 400,
    "errors": {"Name": ["The Name field is required."], "Key": ["Too long.", "Bad characters."]},
}


@pytest.mark.parametrize(
    ("body", "message", "code"),
    [
        # ASP.NET Core's own answer to a body it cannot bind: fields and their problems, no code.
        (VALIDATION_PROBLEM, "Name: The Name field is required.; Key: Too long.; Bad characters.", None),
        ({**VALIDATION_PROBLEM, "errors": {}}, "One or more validation errors occurred.", None),
        # Errors as objects, as FeatBit's docs once showed them.
        ({"success": False, "errors": [{"code": "KeyHasBeenUsed", "message": "The key is taken."}], "data": None}, "The key is taken.", "KeyHasBeenUsed"),
    ],
    ids=["validation problem", "a problem without errors", "errors as objects"],
)
def test_an_error_body_of_another_shape_still_gives_message_and_code(
    server: APIServer, client: FeatBit, body: dict[str, Any], message: str, code: str | None
) -> None:
    server.route("POST", "/api/v1/projects", status=400, json=body)

    with pytest.raises(BadRequestError) as caught:
        client.projects.create(name="Web app", key="web")

    assert (caught.value.message, caught.value.code) == (message, code)
    assert str(caught.value) == f"400 Bad Request: {message}" + (f" ({code})" if code else "")
    assert caught.value.body == body


def test_409_is_a_conflict(server: APIServer, client: FeatBit) -> None:
    server.route("PUT", f"{FLAGS}/dark-mode/off-variation", status=409, json=failed("Conflict"))

    with pytest.raises(ConflictError) as caught:
        client.feature_flags.update_off_variation(env_id=ENV, key="dark-mode", revision=REVISION, off_variation_id=OFF)

    assert caught.value.status_code == 409
    assert caught.value.code == "Conflict"
    assert caught.value.body == failed("Conflict")
    assert len(server.requests) == 1  # a 409 is not retried


_CLASS_FOR_STATUS = exception_classes("featbit_api")


@pytest.mark.parametrize(("code", "status"), documented_codes("featbit"), ids=[c for c, _ in documented_codes("featbit")])
def test_documented_code_maps_to_its_class(server: APIServer, client: FeatBit, code: str, status: int) -> None:
    server.route("GET", "/api/v1/workspaces", status=status, json=failed(code))

    with pytest.raises(APIStatusError) as caught:
        client.workspaces.retrieve()

    assert type(caught.value) is _CLASS_FOR_STATUS[status]
    assert caught.value.status_code == status
    assert caught.value.code == code
    assert len(server.requests) == 1


@pytest.mark.parametrize(("code", "status"), documented_codes("featbit"), ids=[c for c, _ in documented_codes("featbit")])
def test_documented_code_in_a_200_envelope_maps_to_its_class(
    server: APIServer, client: FeatBit, code: str, status: int
) -> None:
    server.route("GET", "/api/v1/workspaces", json=failed(code))

    with pytest.raises(APIStatusError) as caught:
        client.workspaces.retrieve()

    assert type(caught.value) is _CLASS_FOR_STATUS[status]
    assert caught.value.code == code


def test_error_with_an_empty_body(server: APIServer, client: FeatBit) -> None:
    # The access-token allow-list rejection may come with an empty body.
    server.route("GET", "/api/v1/workspaces", status=403, body=b"")

    with pytest.raises(PermissionDeniedError) as caught:
        client.workspaces.retrieve()

    assert caught.value.status_code == 403
    assert caught.value.code is None


def test_error_on_a_page_request(server: APIServer, client: FeatBit) -> None:
    server.route("GET", FLAGS, status=401, json=failed("Unauthorized"))

    with pytest.raises(AuthenticationError) as caught:
        list(client.feature_flags.list(env_id=ENV))

    assert caught.value.code == "Unauthorized"


# --------------------------------------------------------------------------- configuration


def test_missing_base_url_names_the_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("FEATBIT_BASE_URL", raising=False)

    with pytest.raises(ValueError, match="FEATBIT_BASE_URL") as caught:
        FeatBit(TOKEN)
    assert "base_url" in str(caught.value)

    with pytest.raises(ValueError, match="FEATBIT_BASE_URL"):
        AsyncFeatBit(TOKEN)


def test_base_url_from_the_environment(server: APIServer, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FEATBIT_BASE_URL", server.url)
    monkeypatch.setenv("FEATBIT_API_KEY", TOKEN)
    server.route("GET", "/api/v1/workspaces", json=ok(WORKSPACE))

    with FeatBit() as featbit:
        assert featbit.base_url == server.url
        _check_workspace(featbit.workspaces.retrieve())

    assert_auth(server.only_request())


def test_base_url_with_a_trailing_slash(server: APIServer) -> None:
    server.route("GET", "/api/v1/workspaces", json=ok(WORKSPACE))
    with FeatBit(TOKEN, base_url=server.url + "/") as featbit:
        featbit.workspaces.retrieve()
    assert server.only_request().path == "/api/v1/workspaces"


def test_missing_token_names_the_variable(server: APIServer, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("FEATBIT_API_KEY", raising=False)
    with pytest.raises(ValueError, match="FEATBIT_API_KEY"):
        FeatBit(base_url=server.url)


def test_token_is_not_in_repr(server: APIServer, client: FeatBit) -> None:
    assert TOKEN not in repr(client)
    assert server.url in repr(client)


def test_invalid_argument_is_refused_before_sending(server: APIServer, client: FeatBit) -> None:
    with pytest.raises(ValueError, match="key"):
        client.feature_flags.create(
            env_id=ENV, name="Bad", key="not a key!", variation_type="boolean",
            variations=VARIATIONS, enabled_variation_id=ON, disabled_variation_id=OFF,
        )
    with pytest.raises(ValueError, match="variations"):
        client.feature_flags.update_variations(env_id=ENV, key="dark-mode", variations=[], revision=REVISION)
    with pytest.raises(TypeError, match="revision: Missing"):  # left out, it reads as the empty GUID: a 409
        client.feature_flags.update_variations(env_id=ENV, key="dark-mode", variations=VARIATIONS)  # type: ignore[call-arg]
    assert server.requests == []
