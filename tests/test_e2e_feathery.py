"""End-to-end tests of the generated Feathery client against a real HTTP server.

Every one of the 26 operations is called (sync) and a representative set async; each
test checks what the server received (method, exact path, query, auth header, body)
and what the client handed back (typed models, parsed datetimes).
"""

from __future__ import annotations

import asyncio
import datetime
import email.parser
import email.policy
import io
from pathlib import Path
from typing import Any

import feathery_api
import httpx
import pytest
from feathery_api import (
    AccountInfo,
    APIError,
    APIStatusError,
    AsyncFeathery,
    AuthenticationError,
    BadRequestError,
    ButtonEdit,
    Condition,
    ConflictError,
    Envelope,
    ExtractionResult,
    ExtractionRun,
    Feathery,
    FieldEdit,
    FieldElement,
    FieldValue,
    FilledDocument,
    FormSchema,
    FormSession,
    FormSubmission,
    FormSummary,
    FormUpdate,
    InternalServerError,
    Invite,
    NavigationRule,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    RequestOptions,
    RotatedKeys,
    Rule,
    Step,
    StepElement,
    StepSpec,
    SubmissionPdf,
    SubmissionUpsert,
    TeamAccount,
    Uninvite,
    UnprocessableEntityError,
    User,
    UserSession,
    UserWithSdkKey,
    Workspace,
    WorkspaceAccount,
    WorkspaceFeatures,
    WorkspaceLoginToken,
    WorkspaceWithKeys,
)

from tests.apiserver import APIServer, Recorded, Reply

KEY = "fthry_test_5ecr3tKEY_0123456789"
UTC = datetime.timezone.utc
WS_ID = "5f1c7a2e-9d4b-4c1a-8e2f-0a1b2c3d4e5f"
ACCOUNT_ID = "0b7e6f4a-1c2d-4e3f-9a8b-7c6d5e4f3a2b"


# ----------------------------------------------------------------------------- helpers


def client_for(server: APIServer, **kwargs: Any) -> Feathery:
    return Feathery(api_key=KEY, base_url=server.url, **kwargs)



def check_request(request: Recorded, method: str, path: str, key: str = KEY) -> None:
    assert request.method == method
    assert request.raw_path == path
    assert request.header("Authorization") == f"Token {key}"


def check_json_body(request: Recorded, expected: Any) -> None:
    assert (request.header("Content-Type") or "").startswith("application/json")
    assert request.json() == expected


def multipart_parts(request: Recorded) -> tuple[str, list[dict[str, Any]]]:
    """The boundary and the parts of a multipart/form-data body, parsed by the email package."""
    content_type = request.header("Content-Type") or ""
    assert content_type.startswith("multipart/form-data"), content_type
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
        b"Content-Type: " + content_type.encode() + b"\r\n\r\n" + request.body
    )
    assert message.is_multipart()
    boundary = message.get_boundary()
    assert boundary
    parts = []
    for part in message.iter_parts():
        assert part.get_content_disposition() == "form-data"
        parts.append(
            {
                "name": part.get_param("name", header="content-disposition"),
                "filename": part.get_filename(),
                "content_type": part.get_content_type(),
                "content": part.get_payload(decode=True),
            }
        )
    return boundary, parts


def utc(*args: int) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=UTC)


# ------------------------------------------------------------------- realistic bodies

ACCOUNT = {
    "team": "Acme Insurance",
    "accounts": [
        {"id": "acc-1", "email": "owner@acme.example", "role": "admin"},
        {"id": "acc-2", "email": "editor@acme.example", "role": "editor"},
    ],
}

FORM_SCHEMA = {
    "form_id": "Onboarding",
    "form_name": "Customer Onboarding",
    "steps": [
        {
            "id": "Step 1",
            "origin": True,
            "images": [{"id": "logo", "source_url": "https://cdn.example/logo.png"}],
            "videos": [],
            "progress_bars": [{"id": "progress"}],
            "texts": [{"id": "heading", "text": "Welcome"}],
            "buttons": [{"id": "next", "text": "Next"}],
            "fields": [
                {
                    "id": "email",
                    "internal_id": "1a2b3c4d-0000-4000-8000-000000000001",
                    "icon_url": "",
                    "placeholder": "you@example.com",
                    "tooltipText": "We never share it",
                    "submit_trigger": "none",
                    "metadata": {"options": []},
                    "display_text": "Email",
                    "format": "",
                    "repeated": False,
                    "repeat_trigger": "",
                    "required": True,
                    "type": "email",
                    "max_length": None,
                    "min_length": 3,
                    "has_data": True,
                }
            ],
            "previous_conditions": [],
            "next_conditions": [{"next_step": "Step 2", "rules": []}],
            "created_at": "2024-01-15T09:30:00Z",
            "updated_at": "2024-02-01T10:00:00.123456Z",
        }
    ],
    "rules": [
        {
            "name": "Notify",
            "description": "Send a notification",
            "trigger_event": "form_complete",
            "index": 1.0,
            "steps": ["Step 1"],
            "code": "console.log('done')",
            "elements": ["next"],
            "enabled": True,
            "valid": True,
            "mode": "code_editor",
            "created_at": "2024-01-15T09:30:00Z",
            "updated_at": "2024-01-16T09:30:00+02:00",
        }
    ],
}

WORKSPACE = {
    "id": WS_ID,
    "name": "Company 1",
    "logo": "https://cdn.example/c1.png",
    "brand_url": "https://company1.example",
    "brand_favicon": "https://company1.example/favicon.ico",
    "brand_name": "Company One",
    "brand_primary_color": "FFFFFF",
    "brand_secondary_color": "000000",
    "features": {"live_forms": 5, "submissions": 1000},
    "metadata": {"tier": "gold"},
    "accounts": [{"email": "admin@company1.example", "role": "admin"}],
    "test": False,
    "created_at": "2024-03-01T12:00:00Z",
    "monthly_submissions": 42,
    "submission_cycle_start": "2024-05-01",
}

WORKSPACE_KEYS = {
    **WORKSPACE,
    "live_api_key": "live-api-SECRET-aaaa",
    "test_api_key": "test-api-SECRET-bbbb",
    "live_sdk_key": "live-sdk-SECRET-cccc",
    "test_sdk_key": "test-sdk-SECRET-dddd",
}


# ---------------------------------------------------------------------- construction


def test_explicit_api_key_is_sent_as_token_header(server: APIServer) -> None:
    server.route("GET", "/api/form/", json=[])
    with client_for(server) as client:
        assert client.base_url == server.url
        assert client.forms.list() == []
    request = server.only_request()
    check_request(request, "GET", "/api/form/")
    assert request.header("Accept") == "application/json"


def test_missing_api_key_is_a_value_error_naming_the_env_var(monkeypatch: pytest.MonkeyPatch, server: APIServer) -> None:
    monkeypatch.delenv("FEATHERY_API_KEY", raising=False)
    with pytest.raises(ValueError, match="FEATHERY_API_KEY"):
        Feathery(base_url=server.url)
    with pytest.raises(ValueError, match="FEATHERY_API_KEY"):
        AsyncFeathery(base_url=server.url)
    with pytest.raises(ValueError, match="FEATHERY_API_KEY"):
        Feathery(api_key="", base_url=server.url)
    assert server.requests == []


def test_api_key_from_the_environment(monkeypatch: pytest.MonkeyPatch, server: APIServer) -> None:
    monkeypatch.setenv("FEATHERY_API_KEY", "env-key-777")
    server.route("GET", "/api/account/", json=ACCOUNT)
    with Feathery(base_url=server.url) as client:
        client.account.retrieve()
    check_request(server.only_request(), "GET", "/api/account/", key="env-key-777")


def test_explicit_key_wins_over_environment(monkeypatch: pytest.MonkeyPatch, server: APIServer) -> None:
    monkeypatch.setenv("FEATHERY_API_KEY", "env-key-777")
    server.route("GET", "/api/account/", json=ACCOUNT)
    with client_for(server) as client:
        client.account.retrieve()
    check_request(server.only_request(), "GET", "/api/account/")


def test_repr_never_contains_the_key(server: APIServer) -> None:
    with client_for(server) as client:
        text = repr(client)
        assert KEY not in text and KEY not in str(client)
        assert server.url in text
    async_client = AsyncFeathery(api_key=KEY, base_url=server.url)
    assert KEY not in repr(async_client)
    asyncio.run(async_client.close())


def test_context_manager_closes_its_own_connection_pool(server: APIServer) -> None:
    server.route("GET", "/api/form/", json=[])
    with client_for(server) as client:
        assert isinstance(client, Feathery)
        client.forms.list()
        assert not client._http.is_closed
    assert client._http.is_closed


def test_context_manager_leaves_a_borrowed_http_client_open(server: APIServer) -> None:
    server.route("GET", "/api/form/", json=[])
    borrowed = httpx.Client()
    try:
        with Feathery(api_key=KEY, base_url=server.url, http_client=borrowed) as client:
            client.forms.list()
        assert not borrowed.is_closed
    finally:
        borrowed.close()
    check_request(server.only_request(), "GET", "/api/form/")


def test_async_context_manager_closes(server: APIServer) -> None:
    server.route("GET", "/api/form/", json=[])

    async def main() -> AsyncFeathery:
        async with AsyncFeathery(api_key=KEY, base_url=server.url) as client:
            assert isinstance(client, AsyncFeathery)
            assert await client.forms.list() == []
        return client

    client = asyncio.run(main())
    assert client._http.is_closed
    check_request(server.only_request(), "GET", "/api/form/")


# --------------------------------------------------------------------------- account


def test_account_retrieve(server: APIServer) -> None:
    server.route("GET", "/api/account/", json=ACCOUNT)
    with client_for(server) as client:
        info = client.account.retrieve()
    request = server.only_request()
    check_request(request, "GET", "/api/account/")
    assert request.query == {} and request.body == b""
    assert isinstance(info, AccountInfo)
    assert info.team == "Acme Insurance"
    assert all(isinstance(account, TeamAccount) for account in info.accounts)
    assert [(a.id, a.email, a.role) for a in info.accounts] == [
        ("acc-1", "owner@acme.example", "admin"),
        ("acc-2", "editor@acme.example", "editor"),
    ]


def test_account_rotate_key_and_secret_repr(server: APIServer) -> None:
    server.route(
        "PATCH",
        "/api/account/rotate_key/",
        json={"old_api_key": KEY, "new_api_key": "fthry_NEW_rotated_secret_999"},
    )
    with client_for(server) as client:
        keys = client.account.rotate_key()
    request = server.only_request()
    check_request(request, "PATCH", "/api/account/rotate_key/")
    assert request.body == b""
    assert isinstance(keys, RotatedKeys)
    assert keys.old_api_key == KEY
    assert keys.new_api_key == "fthry_NEW_rotated_secret_999"
    for text in (repr(keys), str(keys)):
        assert "fthry_NEW_rotated_secret_999" not in text
        assert KEY not in text


def test_account_invite_sends_a_bare_json_array(server: APIServer) -> None:
    server.route("POST", "/api/account/invite/", handler=lambda r: Reply(200, json=ACCOUNT))
    with client_for(server) as client:
        info = client.account.invite(
            [
                Invite(
                    email="new.editor@acme.example",
                    role="editor",
                    permission_edit_logic=False,
                    user_groups=["Sales", "EMEA"],
                ),
                {"email": "viewer@acme.example", "role": "viewer"},
                Invite(email="plain@acme.example"),
            ]
        )
    request = server.only_request()
    check_request(request, "POST", "/api/account/invite/")
    check_json_body(
        request,
        [
            {
                "email": "new.editor@acme.example",
                "role": "editor",
                "permission_edit_logic": False,
                "user_groups": ["Sales", "EMEA"],
            },
            {"email": "viewer@acme.example", "role": "viewer"},
            {"email": "plain@acme.example"},
        ],
    )
    assert isinstance(info, AccountInfo) and info.team == "Acme Insurance"


def test_account_uninvite_sends_a_bare_json_array(server: APIServer) -> None:
    server.route("PATCH", "/api/account/uninvite/", json={"team": "Acme Insurance", "accounts": ACCOUNT["accounts"][:1]})
    with client_for(server) as client:
        info = client.account.uninvite([Uninvite(email="editor@acme.example"), {"email": "gone@acme.example"}])
    request = server.only_request()
    check_request(request, "PATCH", "/api/account/uninvite/")
    check_json_body(request, [{"email": "editor@acme.example"}, {"email": "gone@acme.example"}])
    assert isinstance(info, AccountInfo)
    assert [a.email for a in info.accounts] == ["owner@acme.example"]


# ----------------------------------------------------------------------- extractions


def test_extraction_run_is_multipart_with_repeated_files_parts(server: APIServer) -> None:
    server.route("POST", "/api/ai/run/ext-42/", json={"user_id": "extracted-user-1"})
    pdf = b"%PDF-1.4\n% first document\n\x00\x01\x02binary"
    png = b"\x89PNG\r\n\x1a\n second document"
    with client_for(server) as client:
        result = client.extractions.run(
            "ext-42",
            files=[("invoice.pdf", pdf, "application/pdf"), ("scan.png", png, "image/png")],
        )
    request = server.only_request()
    check_request(request, "POST", "/api/ai/run/ext-42/")
    boundary, parts = multipart_parts(request)
    assert request.body.startswith(b"--" + boundary.encode() + b"\r\n")
    assert request.body.rstrip(b"\r\n").endswith(b"--" + boundary.encode() + b"--")
    assert parts == [
        {"name": "files", "filename": "invoice.pdf", "content_type": "application/pdf", "content": pdf},
        {"name": "files", "filename": "scan.png", "content_type": "image/png", "content": png},
    ]
    assert isinstance(result, ExtractionResult)
    assert result.user_id == "extracted-user-1"


@pytest.mark.parametrize("shared", [False, True], ids=["own httpx client", "shared httpx client"])
def test_a_default_content_type_does_not_replace_the_multipart_one(server: APIServer, shared: bool) -> None:
    # httpx lets the client's headers win over the body's own type: the upload went out
    # as application/json, without its boundary, and no server could read it.
    server.route("POST", "/api/ai/run/ext-42/", json={"user_id": "u-1"})
    http_client = httpx.Client(headers={"Content-Type": "application/json"}) if shared else None
    with Feathery(
        api_key=KEY, base_url=server.url, http_client=http_client, default_headers={"content-type": "application/json"}
    ) as client:
        client.extractions.run("ext-42", files=[("a.pdf", b"%PDF-1.4", "application/pdf")])
    if http_client is not None:
        http_client.close()

    request = server.only_request()
    assert request.header_values("Content-Type") == [f"multipart/form-data; boundary={multipart_parts(request)[0]}"]
    assert multipart_parts(request)[1] == [{"name": "files", "filename": "a.pdf", "content_type": "application/pdf", "content": b"%PDF-1.4"}]


def test_extraction_run_accepts_open_binary_files(server: APIServer, tmp_path: Path) -> None:
    # FileInput documents "a file opened in binary mode" as a valid upload.
    path = tmp_path / "statement.pdf"
    path.write_bytes(b"%PDF-1.7 statement")
    server.route("POST", "/api/ai/run/ext-42/", json={"user_id": "u-9"})
    with client_for(server) as client, path.open("rb") as handle:
        result = client.extractions.run(
            "ext-42", files=[("statement.pdf", handle), ("memo.txt", io.BytesIO(b"memo text"))]
        )
    assert result.user_id == "u-9"
    _, parts = multipart_parts(server.only_request())
    assert [(p["name"], p["filename"], p["content"]) for p in parts] == [
        ("files", "statement.pdf", b"%PDF-1.7 statement"),
        ("files", "memo.txt", b"memo text"),
    ]


def test_extraction_list_runs(server: APIServer) -> None:
    runs = [
        {
            "id": "run-1",
            "user_id": "user-1",
            "file_name": "invoice.pdf",
            "success": True,
            "approved": True,
            "approver": "reviewer@acme.example",
            "email_extracted_at": None,
            "document_extracted_at": "2024-04-02T08:15:30Z",
            "created_at": "2024-04-02T08:15:00Z",
            "updated_at": "2024-04-02T08:16:00.500000+00:00",
        },
        {"id": "run-2", "success": False},
    ]
    server.route("GET", "/api/ai/run/batch/ext-42/", json=runs)
    with client_for(server) as client:
        result = client.extractions.list_runs(
            "ext-42", start_time=utc(2024, 4, 1, 0, 0, 0), end_time=utc(2024, 4, 30, 23, 59, 59)
        )
    request = server.only_request()
    check_request(request, "GET", "/api/ai/run/batch/ext-42/")
    assert request.query == {
        "start_time": ["2024-04-01T00:00:00+00:00"],
        "end_time": ["2024-04-30T23:59:59+00:00"],
    }
    assert all(isinstance(run, ExtractionRun) for run in result)
    first, second = result
    assert first.id == "run-1" and first.file_name == "invoice.pdf" and first.success is True
    assert first.email_extracted_at is None
    assert first.document_extracted_at == utc(2024, 4, 2, 8, 15, 30)
    assert isinstance(first.created_at, datetime.datetime)
    assert first.updated_at == datetime.datetime(2024, 4, 2, 8, 16, 0, 500000, tzinfo=UTC)
    assert second.id == "run-2" and second.success is False and second.user_id is None


def test_extraction_list_runs_without_optional_query(server: APIServer) -> None:
    server.route("GET", "/api/ai/run/batch/ext-1/", json=[])
    with client_for(server) as client:
        assert client.extractions.list_runs("ext-1") == []
    assert server.only_request().query == {}


# ------------------------------------------------------------------------- documents


def test_documents_fill_leaves_out_optional_arguments(server: APIServer) -> None:
    document = "3f2c1b0a-1111-4222-8333-444455556666"
    server.route("POST", "/api/document/fill/", json={"file_url": "https://files.example/filled.pdf"})
    with client_for(server) as client:
        result = client.documents.fill(document=document, field_values={"full_name": "Ada Lovelace", "age": 36})
    request = server.only_request()
    check_request(request, "POST", "/api/document/fill/")
    check_json_body(request, {"document": document, "field_values": {"full_name": "Ada Lovelace", "age": 36}})
    assert isinstance(result, FilledDocument)
    assert result.file_url == "https://files.example/filled.pdf"


def test_documents_fill_with_signer(server: APIServer) -> None:
    server.route("POST", "/api/document/fill/", json={"file_url": "https://files.example/f.pdf"})
    with client_for(server) as client:
        client.documents.fill(document="doc-1", signer_email="signer@acme.example")
    check_json_body(server.only_request(), {"document": "doc-1", "signer_email": "signer@acme.example"})


def test_documents_list_envelopes(server: APIServer) -> None:
    envelopes = [
        {
            "id": "env-1",
            "document": "doc-1",
            "user": "user-1",
            "signer": "signer@acme.example",
            "sender": "sender@acme.example",
            "file": "https://files.example/env-1.pdf",
            "type": "pdf",
            "viewed": True,
            "signed": False,
            "tags": ["q2", "priority"],
            "created_at": "2024-06-01T09:00:00Z",
        }
    ]
    server.route("GET", "/api/document/envelope/list/", json=envelopes)
    with client_for(server) as client:
        result = client.documents.list_envelopes(type="document", id="doc-1")
    request = server.only_request()
    check_request(request, "GET", "/api/document/envelope/list/")
    assert request.query == {"type": ["document"], "id": ["doc-1"]}
    assert len(result) == 1 and isinstance(result[0], Envelope)
    envelope = result[0]
    assert (envelope.id, envelope.type, envelope.viewed, envelope.signed) == ("env-1", "pdf", True, False)
    assert envelope.tags == ["q2", "priority"]
    assert envelope.created_at == utc(2024, 6, 1, 9, 0, 0)


# ----------------------------------------------------------------------------- forms


def test_forms_list(server: APIServer) -> None:
    server.route(
        "GET",
        "/api/form/",
        json=[
            {"id": "Onboarding", "name": "Customer Onboarding", "active": True,
             "created_at": "2023-11-05T14:48:00Z", "updated_at": "2024-01-02T03:04:05Z"},
            {"id": "Survey", "name": "Survey", "active": False},
        ],
    )
    with client_for(server) as client:
        forms = client.forms.list()
    request = server.only_request()
    check_request(request, "GET", "/api/form/")
    assert request.query == {}
    assert all(isinstance(form, FormSummary) for form in forms)
    assert [(f.id, f.name, f.active) for f in forms] == [("Onboarding", "Customer Onboarding", True), ("Survey", "Survey", False)]
    assert forms[0].created_at == utc(2023, 11, 5, 14, 48, 0)
    assert forms[1].created_at is None


def test_forms_retrieve_parses_the_nested_schema(server: APIServer) -> None:
    server.route("GET", "/api/form/Onboarding/", json=FORM_SCHEMA)
    with client_for(server) as client:
        schema = client.forms.retrieve("Onboarding")
    request = server.only_request()
    check_request(request, "GET", "/api/form/Onboarding/")
    assert isinstance(schema, FormSchema)
    assert schema.form_id == "Onboarding" and schema.form_name == "Customer Onboarding"
    step = schema.steps[0]
    assert isinstance(step, Step) and step.id == "Step 1" and step.origin is True
    assert isinstance(step.images[0], StepElement)
    assert step.images[0].id == "logo"
    assert step.images[0].model_extra == {"source_url": "https://cdn.example/logo.png"}
    assert step.videos == []
    assert step.next_conditions == [{"next_step": "Step 2", "rules": []}]
    assert step.created_at == utc(2024, 1, 15, 9, 30, 0)
    assert step.updated_at == datetime.datetime(2024, 2, 1, 10, 0, 0, 123456, tzinfo=UTC)
    field = step.fields[0]
    assert isinstance(field, FieldElement)
    assert field.tooltip_text == "We never share it"
    assert field.submit_trigger == "none"
    assert field.max_length is None and field.min_length == 3
    assert field.metadata == {"options": []}
    assert field.required is True and field.has_data is True and field.type == "email"
    rule = schema.rules[0]
    assert isinstance(rule, Rule)
    assert rule.index == 1
    assert rule.trigger_event == "form_complete" and rule.mode == "code_editor"
    assert rule.updated_at == datetime.datetime(2024, 1, 16, 7, 30, 0, tzinfo=UTC)


def test_forms_create_maps_nested_models_to_wire_names(server: APIServer) -> None:
    server.route("POST", "/api/form/", json={"form_id": "Onboarding Copy"}, status=201)
    with client_for(server) as client:
        result = client.forms.create(
            form_name="Onboarding Copy",
            template_form_id="Onboarding",
            steps=[
                StepSpec(
                    step_id="Intro",
                    template_step_id="Step 1",
                    origin=True,
                    fields=[
                        FieldEdit(
                            id="email",
                            field_id="customer_email",
                            tooltip_text="Work email please",
                            required=False,
                            submit_trigger="auto",
                            metadata={"options": ["a", "b"]},
                        )
                    ],
                    buttons=[ButtonEdit(id="next", text="Continue")],
                ),
                {
                    "step_id": "Details",
                    "fields": [{"id": "phone", "tooltip_text": "Mobile", "max_length": 15}],
                    "progress_bars": [{"id": "progress", "progress": 50}],
                },
            ],
            navigation_rules=[
                NavigationRule(
                    previous_step_id="Intro",
                    next_step_id="Details",
                    trigger="click",
                    element_type="button",
                    element_id="next",
                    rules=[Condition(comparison="not_equal", field_key="customer_email", value="")],
                )
            ],
        )
    request = server.only_request()
    check_request(request, "POST", "/api/form/")
    check_json_body(
        request,
        {
            "form_name": "Onboarding Copy",
            "template_form_id": "Onboarding",
            "steps": [
                {
                    "step_id": "Intro",
                    "template_step_id": "Step 1",
                    "origin": True,
                    "fields": [
                        {
                            "id": "email",
                            "field_id": "customer_email",
                            "tooltipText": "Work email please",
                            "required": False,
                            "submit_trigger": "auto",
                            "metadata": {"options": ["a", "b"]},
                        }
                    ],
                    "buttons": [{"id": "next", "text": "Continue"}],
                },
                {
                    "step_id": "Details",
                    "fields": [{"id": "phone", "tooltipText": "Mobile", "max_length": 15}],
                    "progress_bars": [{"id": "progress", "progress": 50}],
                },
            ],
            "navigation_rules": [
                {
                    "previous_step_id": "Intro",
                    "next_step_id": "Details",
                    "trigger": "click",
                    "element_type": "button",
                    "element_id": "next",
                    "rules": [{"comparison": "not_equal", "field_key": "customer_email", "value": ""}],
                }
            ],
        },
    )
    assert result == {"form_id": "Onboarding Copy"}


def test_forms_create_sends_enabled_when_given(server: APIServer) -> None:
    server.route("POST", "/api/form/", json={}, status=201)
    with client_for(server) as client:
        client.forms.create(form_name="Blank", template_form_id="T", steps=[], navigation_rules=[], enabled=False)
    check_json_body(
        server.only_request(),
        {"form_name": "Blank", "template_form_id": "T", "steps": [], "navigation_rules": [], "enabled": False},
    )


def test_forms_create_with_an_empty_201_body_returns_none(server: APIServer) -> None:
    # The spec: "whatever JSON the server returns, if any" - the doc only promises a 201.
    server.route("POST", "/api/form/", status=201)
    with client_for(server) as client:
        result = client.forms.create(form_name="Blank", template_form_id="T", steps=[], navigation_rules=[])
    assert result is None
    check_request(server.only_request(), "POST", "/api/form/")


def test_forms_update(server: APIServer) -> None:
    server.route("PATCH", "/api/form/Onboarding/", json={"enabled": False})
    with client_for(server) as client:
        result = client.forms.update("Onboarding", enabled=False)
    request = server.only_request()
    check_request(request, "PATCH", "/api/form/Onboarding/")
    check_json_body(request, {"enabled": False})
    assert isinstance(result, FormUpdate) and result.enabled is False


# ----------------------------------------------------------------------- submissions


def test_submissions_list_with_query(server: APIServer) -> None:
    submissions = [
        {
            "user_id": "user-1",
            "submission_start": "2024-05-01T10:00:00Z",
            "last_submitted": "2024-05-01T10:05:00Z",
            "values": [
                {"id": "email", "type": "email", "display_text": "Email", "value": "a@b.example",
                 "hidden": False, "internal_id": "int-1",
                 "created_at": "2024-05-01T10:00:00Z", "updated_at": "2024-05-01T10:05:00Z"},
                {"id": "utm_source", "hidden": True, "value": ["google", "ads"]},
            ],
        }
    ]
    server.route("GET", "/api/form/submission/batch/Onboarding/", json=submissions)
    with client_for(server) as client:
        result = client.submissions.list(
            "Onboarding", start_time=utc(2024, 5, 1, 0, 0, 0), completed=False, no_field_values=True, sort="layout"
        )
    request = server.only_request()
    check_request(request, "GET", "/api/form/submission/batch/Onboarding/")
    assert request.query == {
        "start_time": ["2024-05-01T00:00:00+00:00"],
        "completed": ["false"],
        "no_field_values": ["true"],
        "sort": ["layout"],
    }
    assert len(result) == 1 and isinstance(result[0], FormSubmission)
    submission = result[0]
    assert submission.user_id == "user-1"
    assert submission.submission_start == utc(2024, 5, 1, 10, 0, 0)
    assert submission.last_submitted == utc(2024, 5, 1, 10, 5, 0)
    assert all(isinstance(value, FieldValue) for value in submission.values)
    assert submission.values[0].value == "a@b.example"
    assert submission.values[0].created_at == utc(2024, 5, 1, 10, 0, 0)
    assert submission.values[1].hidden is True and submission.values[1].value == ["google", "ads"]
    assert submission.values[1].type is None


def test_submissions_create(server: APIServer) -> None:
    fields = {"email": "a@b.example", "age": 30, "signature": {"file": "aGVsbG8=", "name": "sig.png"}, "nothing": None}
    server.route(
        "POST",
        "/api/form/submission/",
        handler=lambda r: Reply(200, json={**r.json(), "complete": False}),
    )
    with client_for(server) as client:
        result = client.submissions.create(fields=fields, user_id="user-1", forms=["Onboarding"])
    request = server.only_request()
    check_request(request, "POST", "/api/form/submission/")
    check_json_body(request, {"fields": fields, "user_id": "user-1", "forms": ["Onboarding"]})
    assert isinstance(result, SubmissionUpsert)
    assert result.user_id == "user-1" and result.forms == ["Onboarding"] and result.complete is False
    assert result.fields == fields


def test_submissions_create_only_required(server: APIServer) -> None:
    server.route("POST", "/api/form/submission/", json={"fields": {"x": 1}, "user_id": "generated-123"})
    with client_for(server) as client:
        result = client.submissions.create(fields={"x": 1})
    check_json_body(server.only_request(), {"fields": {"x": 1}})
    assert result.user_id == "generated-123"


def test_submissions_create_answered_with_the_request_echoed(server: APIServer) -> None:
    # "Same as request body": without a user_id in the call there may be none in the answer.
    server.route("POST", "/api/form/submission/", handler=lambda r: Reply(200, json=r.json()))
    with client_for(server) as client:
        result = client.submissions.create(fields={"x": 1})
    assert result.user_id is None and result.fields == {"x": 1}


def test_a_rule_index_may_be_fractional(server: APIServer) -> None:
    # Documented as a Number: a form reordered by drag and drop can hold 0.5.
    rules = [{**FORM_SCHEMA["rules"][0], "index": 0.5}]
    server.route("GET", "/api/form/Onboarding/", json={**FORM_SCHEMA, "rules": rules})
    with client_for(server) as client:
        schema = client.forms.retrieve("Onboarding")
    assert schema.rules is not None and schema.rules[0].index == 0.5


def test_submissions_export_pdf(server: APIServer) -> None:
    server.route("POST", "/api/form/submission/pdf/", json={"pdf_url": "https://files.example/export.pdf"})
    with client_for(server) as client:
        result = client.submissions.export_pdf(form_id="Onboarding", user_id="user-1")
    request = server.only_request()
    check_request(request, "POST", "/api/form/submission/pdf/")
    check_json_body(request, {"form_id": "Onboarding", "user_id": "user-1"})
    assert isinstance(result, SubmissionPdf) and result.pdf_url == "https://files.example/export.pdf"


# ----------------------------------------------------------------------------- users


def test_users_list(server: APIServer) -> None:
    server.route(
        "GET",
        "/api/user/",
        json=[{"id": "user-1", "created_at": "2024-01-01T00:00:00Z", "updated_at": "2024-01-02T00:00:00Z"}, {"id": "user-2"}],
    )
    with client_for(server) as client:
        users = client.users.list(filter_field_id="plan", filter_field_value="pro plan")
        everyone = client.users.list()
    first, second = server.requests
    check_request(first, "GET", "/api/user/")
    assert first.query == {"filter_field_id": ["plan"], "filter_field_value": ["pro plan"]}
    assert second.query == {}
    assert all(isinstance(user, User) for user in users + everyone)
    assert [u.id for u in users] == ["user-1", "user-2"]
    assert users[0].created_at == utc(2024, 1, 1, 0, 0, 0) and users[1].created_at is None


def test_users_list_fields_sends_user_id_as_id(server: APIServer) -> None:
    server.route(
        "GET",
        "/api/field/",
        json=[{"id": "email", "type": "email", "display_text": "Email", "value": "a@b.example",
               "hidden": False, "created_at": "2024-01-01T00:00:00Z", "internal_id": "int-1"}],
    )
    with client_for(server) as client:
        values = client.users.list_fields(user_id="user-1")
    request = server.only_request()
    check_request(request, "GET", "/api/field/")
    assert request.query == {"id": ["user-1"]}
    assert len(values) == 1 and isinstance(values[0], FieldValue)
    assert values[0].value == "a@b.example" and values[0].created_at == utc(2024, 1, 1, 0, 0, 0)


def test_users_retrieve_session(server: APIServer) -> None:
    server.route(
        "GET",
        "/api/user/user-1/session/",
        json={
            "auth_id": "auth0|abc",
            "internal_id": "internal-1",
            "forms": [
                {"name": "Onboarding", "current_step_id": "Step 2", "completed_at": None, "track_location": True},
                {"id": "Survey", "name": "Survey", "current_step_id": None, "completed_at": "2024-02-03T04:05:06Z"},
            ],
        },
    )
    with client_for(server) as client:
        session = client.users.retrieve_session("user-1")
    check_request(server.only_request(), "GET", "/api/user/user-1/session/")
    assert isinstance(session, UserSession)
    assert session.internal_id == "internal-1" and session.auth_id == "auth0|abc"
    assert all(isinstance(form, FormSession) for form in session.forms)
    assert session.forms[0].completed_at is None and session.forms[0].current_step_id == "Step 2"
    assert session.forms[1].completed_at == utc(2024, 2, 3, 4, 5, 6)
    assert session.forms[1].current_step_id is None


def test_users_create_maps_user_id_to_id_and_hides_sdk_key(server: APIServer) -> None:
    server.route(
        "POST",
        "/api/user/",
        json={"sdk_key": "sdk-SECRET-user-key", "id": "alice", "created_at": "2024-01-01T00:00:00Z",
              "updated_at": "2024-01-01T00:00:01Z"},
    )
    with client_for(server) as client:
        user = client.users.create(user_id="alice")
    request = server.only_request()
    check_request(request, "POST", "/api/user/")
    check_json_body(request, {"id": "alice"})
    assert isinstance(user, UserWithSdkKey)
    assert user.id == "alice" and user.sdk_key == "sdk-SECRET-user-key"
    assert user.updated_at == utc(2024, 1, 1, 0, 0, 1)
    assert "sdk-SECRET-user-key" not in repr(user)


def test_users_delete_returns_none_on_204(server: APIServer) -> None:
    server.route("DELETE", "/api/user/alice/", status=204)
    with client_for(server) as client:
        assert client.users.delete("alice") is None
    request = server.only_request()
    check_request(request, "DELETE", "/api/user/alice/")
    assert request.body == b""


# ------------------------------------------------------------------------ workspaces


def test_workspaces_list(server: APIServer) -> None:
    server.route("GET", "/api/workspace/", json=[WORKSPACE, {"id": "6a6a6a6a-0000-4000-8000-000000000000", "test": True}])
    with client_for(server) as client:
        workspaces = client.workspaces.list(submission_data=True)
    request = server.only_request()
    check_request(request, "GET", "/api/workspace/")
    assert request.query == {"submission_data": ["true"]}
    assert all(isinstance(ws, Workspace) for ws in workspaces)
    first = workspaces[0]
    assert first.id == WS_ID and first.name == "Company 1"
    assert isinstance(first.features, WorkspaceFeatures) and first.features.live_forms == 5
    assert isinstance(first.accounts[0], WorkspaceAccount) and first.accounts[0].role == "admin"
    assert first.created_at == utc(2024, 3, 1, 12, 0, 0)
    assert first.submission_cycle_start == datetime.date(2024, 5, 1)
    assert type(first.submission_cycle_start) is datetime.date
    assert first.monthly_submissions == 42
    assert workspaces[1].test is True and workspaces[1].name is None


def test_workspaces_create_sends_only_given_fields(server: APIServer) -> None:
    server.route("POST", "/api/workspace/", json={**WORKSPACE, "monthly_submissions": None}, status=201)
    with client_for(server) as client:
        workspace = client.workspaces.create(name="Company 1", brand_primary_color="FFFFFF", metadata={"tier": "gold"})
    request = server.only_request()
    check_request(request, "POST", "/api/workspace/")
    check_json_body(request, {"name": "Company 1", "brand_primary_color": "FFFFFF", "metadata": {"tier": "gold"}})
    assert isinstance(workspace, Workspace) and workspace.id == WS_ID and workspace.metadata == {"tier": "gold"}


def test_workspaces_retrieve_hides_keys_in_repr(server: APIServer) -> None:
    server.route("GET", f"/api/workspace/{WS_ID}/", json=WORKSPACE_KEYS)
    with client_for(server) as client:
        workspace = client.workspaces.retrieve(WS_ID, submission_data=False)
    request = server.only_request()
    check_request(request, "GET", f"/api/workspace/{WS_ID}/")
    assert request.query == {"submission_data": ["false"]}
    assert isinstance(workspace, WorkspaceWithKeys)
    assert workspace.live_api_key == "live-api-SECRET-aaaa"
    assert workspace.test_api_key == "test-api-SECRET-bbbb"
    assert workspace.live_sdk_key == "live-sdk-SECRET-cccc"
    assert workspace.test_sdk_key == "test-sdk-SECRET-dddd"
    for text in (repr(workspace), str(workspace)):
        assert "SECRET" not in text
        assert "Company 1" in text  # the rest of the model is still shown


def test_workspaces_update(server: APIServer) -> None:
    server.route("POST", f"/api/workspace/{WS_ID}/", json={**WORKSPACE, "brand_name": "Acme"})
    with client_for(server) as client:
        workspace = client.workspaces.update(WS_ID, brand_name="Acme", brand_secondary_color="00ff00")
    request = server.only_request()
    check_request(request, "POST", f"/api/workspace/{WS_ID}/")
    check_json_body(request, {"brand_name": "Acme", "brand_secondary_color": "00ff00"})
    assert isinstance(workspace, Workspace) and workspace.brand_name == "Acme"


def test_workspaces_delete_returns_none_on_204(server: APIServer) -> None:
    server.route("DELETE", f"/api/workspace/{WS_ID}/", status=204)
    with client_for(server) as client:
        assert client.workspaces.delete(WS_ID) is None
    request = server.only_request()
    check_request(request, "DELETE", f"/api/workspace/{WS_ID}/")
    assert request.body == b""


def test_workspaces_create_login_token(server: APIServer) -> None:
    server.route("POST", f"/api/workspace/{WS_ID}/auth/", json={"account_id": ACCOUNT_ID, "token": "eyJhbGciOiJIUzI1NiJ9.SECRET.sig"})
    with client_for(server) as client:
        token = client.workspaces.create_login_token(workspace_id=WS_ID, account_id=ACCOUNT_ID)
    request = server.only_request()
    check_request(request, "POST", f"/api/workspace/{WS_ID}/auth/")
    check_json_body(request, {"account_id": ACCOUNT_ID})
    assert isinstance(token, WorkspaceLoginToken)
    assert token.account_id == ACCOUNT_ID and token.token == "eyJhbGciOiJIUzI1NiJ9.SECRET.sig"
    assert "SECRET" not in repr(token)


# ----------------------------------------------------------------------------- async


def test_async_representative_operations(server: APIServer) -> None:
    server.route("GET", "/api/form/", json=[{"id": "Onboarding", "created_at": "2024-01-01T00:00:00Z"}])
    server.route("GET", f"/api/workspace/{WS_ID}/", json=WORKSPACE_KEYS)
    server.route("POST", "/api/workspace/", json=WORKSPACE, status=201)
    server.route("POST", "/api/account/invite/", json=ACCOUNT)
    server.route("POST", "/api/ai/run/ext-7/", json={"user_id": "async-user"})
    server.route("DELETE", "/api/user/bob/", status=204)
    server.route("GET", "/api/document/envelope/list/", json=[{"id": "env-9", "type": "docx"}])
    server.route("GET", "/api/user/bob/session/", json={"internal_id": "int-bob", "forms": []})

    async def main() -> dict[str, Any]:
        async with AsyncFeathery(api_key=KEY, base_url=server.url) as client:
            return {
                "forms": await client.forms.list(),
                "workspace": await client.workspaces.retrieve(WS_ID, submission_data=True),
                "created": await client.workspaces.create(name="Company 1", brand_name="One"),
                "invite": await client.account.invite([Invite(email="x@acme.example", role="viewer")]),
                "run": await client.extractions.run(
                    "ext-7", files=[("a.pdf", b"AAA", "application/pdf"), ("b.pdf", b"BBB", "application/pdf")]
                ),
                "deleted": await client.users.delete("bob"),
                "envelopes": await client.documents.list_envelopes(type="user", id="bob"),
                "session": await client.users.retrieve_session(user_id="bob"),
            }

    results = asyncio.run(main())
    requests = {(r.method, r.raw_path): r for r in server.requests}
    assert len(server.requests) == 8
    for request in server.requests:
        assert request.header("Authorization") == f"Token {KEY}"

    assert isinstance(results["forms"][0], FormSummary)
    assert results["forms"][0].created_at == utc(2024, 1, 1, 0, 0, 0)

    assert requests[("GET", f"/api/workspace/{WS_ID}/")].query == {"submission_data": ["true"]}
    assert isinstance(results["workspace"], WorkspaceWithKeys)
    assert results["workspace"].live_api_key == "live-api-SECRET-aaaa"
    assert "SECRET" not in repr(results["workspace"])

    check_json_body(requests[("POST", "/api/workspace/")], {"name": "Company 1", "brand_name": "One"})
    assert isinstance(results["created"], Workspace)

    check_json_body(requests[("POST", "/api/account/invite/")], [{"email": "x@acme.example", "role": "viewer"}])
    assert isinstance(results["invite"], AccountInfo)

    _, parts = multipart_parts(requests[("POST", "/api/ai/run/ext-7/")])
    assert [(p["name"], p["filename"], p["content"]) for p in parts] == [
        ("files", "a.pdf", b"AAA"),
        ("files", "b.pdf", b"BBB"),
    ]
    assert isinstance(results["run"], ExtractionResult) and results["run"].user_id == "async-user"

    assert ("DELETE", "/api/user/bob/") in requests and results["deleted"] is None

    assert requests[("GET", "/api/document/envelope/list/")].query == {"type": ["user"], "id": ["bob"]}
    assert isinstance(results["envelopes"][0], Envelope) and results["envelopes"][0].type == "docx"

    assert isinstance(results["session"], UserSession) and results["session"].internal_id == "int-bob"


def test_async_error_status_maps_to_exception(server: APIServer) -> None:
    server.route("DELETE", f"/api/workspace/{WS_ID}/", status=404, json={"detail": "Not found."})

    async def main() -> None:
        async with AsyncFeathery(api_key=KEY, base_url=server.url, max_retries=0) as client:
            await client.workspaces.delete(WS_ID)

    with pytest.raises(NotFoundError) as caught:
        asyncio.run(main())
    assert caught.value.status_code == 404
    assert caught.value.body == {"detail": "Not found."}
    assert len(server.requests) == 1


def test_async_bad_argument_fails_before_sending(server: APIServer) -> None:
    async def main() -> None:
        async with AsyncFeathery(api_key=KEY, base_url=server.url) as client:
            await client.forms.retrieve("")

    with pytest.raises(ValueError, match="form_id"):
        asyncio.run(main())
    assert server.requests == []


# ---------------------------------------------------------------------------- errors

ERROR_CASES = [
    (400, BadRequestError, {"detail": "Missing required parameter: form_id"}),
    (401, AuthenticationError, {"detail": "Invalid token."}),
    (403, PermissionDeniedError, {"detail": "You do not have permission to perform this action."}),
    (404, NotFoundError, {"detail": "Not found."}),
    (409, ConflictError, {"detail": "A form with this name already exists."}),
    (422, UnprocessableEntityError, {"message": "brand_primary_color must be a hex code"}),
    (429, RateLimitError, {"detail": "Request was throttled."}),
    (500, InternalServerError, {"detail": "Server error."}),
]


@pytest.mark.parametrize(("status", "error_class", "body"), ERROR_CASES, ids=[str(case[0]) for case in ERROR_CASES])
def test_error_status_maps_to_exception_class(server: APIServer, status: int, error_class: type, body: dict[str, str]) -> None:
    server.route("GET", "/api/form/Onboarding/", status=status, json=body)
    with client_for(server, max_retries=0) as client, pytest.raises(error_class) as caught:
        client.forms.retrieve("Onboarding")
    error = caught.value
    assert type(error) is error_class
    assert isinstance(error, APIStatusError) and isinstance(error, APIError)
    assert error.status_code == status
    assert error.body == body
    assert str(status) in str(error)
    # .message holds the API's own words (Feathery sends {"detail": ...} or {"message": ...}).
    assert error.message == (body.get("message") or body.get("detail"))
    assert error.message in str(error)
    assert KEY not in error.message
    assert len(server.requests) == 1


@pytest.mark.parametrize("status", [429, 500])
def test_request_options_max_retries_zero_sends_once(server: APIServer, status: int) -> None:
    server.route("GET", "/api/user/", status=status, json={"detail": "nope"})
    # The client itself would retry twice.
    with client_for(server) as client, pytest.raises(APIStatusError) as caught:
        client.users.list(options=RequestOptions(max_retries=0))
    assert caught.value.status_code == status
    assert len(server.requests) == 1


def test_error_on_a_post_with_a_text_body(server: APIServer) -> None:
    server.route("POST", "/api/workspace/", status=502, body=b"Bad Gateway", headers={"Content-Type": "text/plain"})
    with client_for(server, max_retries=0) as client, pytest.raises(InternalServerError) as caught:
        client.workspaces.create(name="X")
    assert caught.value.status_code == 502
    assert caught.value.body == "Bad Gateway"
    assert (str(caught.value), caught.value.message) == ("502 Bad Gateway", "Bad Gateway")
    assert len(server.requests) == 1


# ------------------------------------------------------------- newer-server tolerance


def test_unknown_fields_are_kept(server: APIServer) -> None:
    server.route(
        "GET",
        "/api/form/",
        json=[{"id": "Onboarding", "name": "Onboarding", "folder": "Sales", "stats": {"views": 10}}],
    )
    with client_for(server) as client:
        (form,) = client.forms.list()
    assert form.model_extra == {"folder": "Sales", "stats": {"views": 10}}
    assert form.folder == "Sales"  # type: ignore[attr-defined]


def test_unknown_enum_values_are_kept_as_raw_strings(server: APIServer) -> None:
    server.route(
        "GET",
        "/api/document/envelope/list/",
        json=[{"id": "env-1", "type": "pptx"}, {"id": "env-2", "type": "pdf"}],
    )
    server.route(
        "GET",
        "/api/form/F/",
        json={"form_id": "F", "steps": [{"id": "S", "fields": [{"id": "f", "submit_trigger": "on_blur"}]}]},
    )
    with client_for(server) as client:
        envelopes = client.documents.list_envelopes(type="user", id="user-1")
        schema = client.forms.retrieve("F")
    assert envelopes[0].type == "pptx" and type(envelopes[0].type) is str
    assert envelopes[1].type == "pdf"
    assert schema.steps[0].fields[0].submit_trigger == "on_blur"


# ------------------------------------------------------------------- bad arguments


@pytest.mark.parametrize(
    "call",
    [
        lambda c: c.forms.retrieve(""),
        lambda c: c.forms.update("", enabled=True),
        lambda c: c.users.delete(""),
        lambda c: c.users.retrieve_session(user_id=""),
        lambda c: c.submissions.list(""),
        lambda c: c.extractions.run("", files=[("a.pdf", b"x")]),
        lambda c: c.extractions.list_runs(""),
        lambda c: c.workspaces.retrieve(""),
        lambda c: c.workspaces.delete(""),
        lambda c: c.workspaces.create_login_token(workspace_id="", account_id=ACCOUNT_ID),
    ],
    ids=["forms.retrieve", "forms.update", "users.delete", "users.retrieve_session", "submissions.list",
         "extractions.run", "extractions.list_runs", "workspaces.retrieve", "workspaces.delete",
         "workspaces.create_login_token"],
)
def test_empty_path_parameter_fails_before_sending(server: APIServer, call: Any) -> None:
    with client_for(server) as client, pytest.raises(ValueError):
        call(client)
    assert server.requests == []


def test_wrong_type_for_a_bool_is_a_value_error_naming_it(server: APIServer) -> None:
    server.route("PATCH", "/api/form/F/", json={"enabled": True})
    with client_for(server) as client, pytest.raises(ValueError, match="enabled"):
        client.forms.update("F", enabled="yes")  # type: ignore[arg-type]
    assert server.requests == []


def test_wrong_bool_query_parameter_is_rejected(server: APIServer) -> None:
    server.route("GET", "/api/workspace/", json=[])
    with client_for(server) as client, pytest.raises(ValueError, match="submission_data"):
        client.workspaces.list(submission_data="no")  # type: ignore[arg-type]
    assert server.requests == []


@pytest.mark.parametrize(
    ("call", "name"),
    [
        (lambda c: c.workspaces.create(name=123), "name"),
        (lambda c: c.workspaces.create(name="X", brand_primary_color="red"), "brand_primary_color"),
        (lambda c: c.workspaces.update(WS_ID, brand_secondary_color="#FFFFFF"), "brand_secondary_color"),
        (lambda c: c.extractions.run("ext", files=[]), "files"),
        (lambda c: c.account.invite([{"role": "admin"}]), "email"),
        (lambda c: c.documents.list_envelopes(type="folder", id="x"), "type"),
        (lambda c: c.submissions.create(fields=["not", "a", "map"]), "fields"),
        (lambda c: c.users.list(filter_field_id=5), "filter_field_id"),
    ],
    ids=["name-int", "pattern", "pattern-hash", "files-empty", "invite-missing-email", "enum", "fields-list", "query-int"],
)
def test_invalid_arguments_name_the_argument_and_send_nothing(server: APIServer, call: Any, name: str) -> None:
    with client_for(server) as client, pytest.raises(ValueError, match=name):
        call(client)
    assert server.requests == []


@pytest.mark.parametrize(
    "call",
    [
        lambda c: c.documents.fill(),
        lambda c: c.forms.create(form_name="X"),
        lambda c: c.submissions.export_pdf(form_id="F"),
        lambda c: c.forms.update("F"),
        lambda c: c.workspaces.create_login_token(account_id=ACCOUNT_ID),
    ],
    ids=["documents.fill", "forms.create", "submissions.export_pdf", "forms.update", "create_login_token"],
)
def test_missing_required_keyword_is_a_type_error(server: APIServer, call: Any) -> None:
    with client_for(server) as client, pytest.raises(TypeError):
        call(client)
    assert server.requests == []


def test_unexpected_keyword_is_a_type_error(server: APIServer) -> None:
    with client_for(server) as client, pytest.raises(TypeError):
        client.documents.fill(document="d", signer="x@y.example")  # type: ignore[call-arg]
    assert server.requests == []


def test_path_traversal_is_percent_encoded(server: APIServer) -> None:
    server.route("GET", "/api/form/..%2Faccount/", json={"form_id": "../account"})
    server.route("DELETE", "/api/user/a%20b%2Fc%3Fd%23e/", status=204)
    server.route("GET", "/api/form/../", json={"form_id": ".."})  # the server unquotes paths without %2F
    with client_for(server) as client:
        schema = client.forms.retrieve("../account")
        client.users.delete("a b/c?d#e")
        client.forms.retrieve("..")
    traversal, odd, dots = server.requests
    assert traversal.raw_path == "/api/form/..%2Faccount/"
    assert traversal.query == {}
    assert schema.form_id == "../account"
    assert odd.raw_path == "/api/user/a%20b%2Fc%3Fd%23e/"
    assert odd.query == {}
    assert dots.raw_path == "/api/form/%2E%2E/"
    assert not any(r.raw_path.startswith("/api/account") for r in server.requests)


def test_package_exports_every_error_class() -> None:
    for name in ("BadRequestError", "AuthenticationError", "PermissionDeniedError", "NotFoundError",
                 "ConflictError", "UnprocessableEntityError", "RateLimitError", "InternalServerError"):
        cls = getattr(feathery_api, name)
        assert issubclass(cls, APIStatusError) and issubclass(cls, APIError)
