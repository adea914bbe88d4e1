"""``sdkforge export-openapi``: every spec becomes a valid OpenAPI 3.1 document that names everything in it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from openapi_spec_validator import validate

from generator.cli import main
from generator.openapi import export
from generator.pipeline import load_valid
from tests.conftest import ROOT, SPECS
from tests.minispec import MINI_SPEC

SPEC_FILES = sorted(SPECS.glob("*.yaml"))


def exported(name: str) -> dict[str, Any]:
    return export(load_valid(SPECS / f"{name}.yaml"))


def operations(document: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """operationId -> operation, with its path and method added."""
    return {
        operation["operationId"]: {**operation, "path": path, "method": method}
        for path, item in document["paths"].items()
        for method, operation in item.items()
    }


@pytest.mark.parametrize("spec", SPEC_FILES, ids=lambda path: path.stem)
def test_every_spec_exports_a_valid_openapi_3_1_document(spec: Path) -> None:
    document = export(load_valid(spec))
    validate(document)
    assert document["openapi"] == "3.1.0"
    json.dumps(document)  # plain data, nothing a JSON writer would choke on


@pytest.mark.parametrize("spec", SPEC_FILES, ids=lambda path: path.stem)
def test_the_export_names_every_operation_parameter_and_model(spec: Path) -> None:
    source = load_valid(spec).data
    document = export(load_valid(spec))
    found = operations(document)
    for resource_name, resource in source["resources"].items():
        for verb, operation in resource["operations"].items():
            exported_operation = found[f"{resource_name}_{verb}"]
            assert (exported_operation["path"], exported_operation["method"]) == (operation["path"], operation["method"].lower())
            assert exported_operation["tags"] == [resource_name]
            assert exported_operation["summary"] == operation["summary"]
            names = {(param["name"], param["in"]) for param in exported_operation.get("parameters", [])}
            for name, param in (operation.get("params") or {}).items():
                assert (name, param["in"]) in names, f"{resource_name}_{verb}: {name}"
            if operation.get("body"):
                assert "requestBody" in exported_operation
    assert len(found) == sum(len(resource["operations"]) for resource in source["resources"].values())
    assert set(document["components"]["schemas"]) >= set(source.get("models") or {})


def test_feathery_token_auth_and_a_path_with_its_parameters() -> None:
    document = exported("feathery")
    assert document["components"]["securitySchemes"] == {
        "apiKeyAuth": {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": document["components"]["securitySchemes"]["apiKeyAuth"]["description"],
        }
    }
    assert 'Sent as "Authorization: Token <key>"' in document["components"]["securitySchemes"]["apiKeyAuth"]["description"]
    assert document["security"] == [{"apiKeyAuth": []}]
    update = document["paths"]["/api/form/{form_id}/"]["patch"]
    assert update["operationId"] == "forms_update"
    assert update["parameters"] == [
        {"name": "form_id", "in": "path", "required": True, "description": "The form's ID.", "schema": {"type": "string"}}
    ]
    body = update["requestBody"]["content"]["application/json"]["schema"]
    assert body["required"] == ["enabled"] and body["properties"]["enabled"]["type"] == "boolean"
    assert update["responses"]["200"]["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/FormUpdate"}
    assert "content" not in update["responses"]["401"]  # Feathery documents no error body


def test_feathery_multipart_upload_204_and_created_statuses() -> None:
    found = operations(exported("feathery"))
    upload = found["extractions_run"]["requestBody"]["content"]["multipart/form-data"]["schema"]
    assert upload["required"] == ["files"]
    assert upload["properties"]["files"]["minItems"] == 1
    assert upload["properties"]["files"]["items"]["format"] == "binary"
    assert found["users_delete"]["responses"]["204"] == {"description": "No content."}
    assert "201" in found["forms_create"]["responses"]


def test_feathery_models_keep_secrets_formats_and_nullability() -> None:
    schemas = exported("feathery")["components"]["schemas"]
    assert schemas["RotatedKeys"]["properties"]["new_api_key"]["x-secret"] is True
    assert schemas["RotatedKeys"]["required"] == ["old_api_key", "new_api_key"]
    assert schemas["FormSession"]["properties"]["completed_at"]["type"] == ["string", "null"]
    assert schemas["FormSession"]["properties"]["completed_at"]["format"] == "date-time"
    assert schemas["AccountRole"] == {"type": "string", "enum": ["admin", "editor", "viewer"], "description": "Role of an invited account."}
    assert schemas["FieldElement"]["properties"]["metadata"]["additionalProperties"] == {}
    progress = schemas["ProgressBarEdit"]["properties"]["progress"]
    assert (progress["minimum"], progress["maximum"]) == (0, 100)


def test_featbit_wraps_success_and_error_bodies_in_the_envelope() -> None:
    document = exported("featbit")
    retrieve = operations(document)["projects_retrieve"]
    success = retrieve["responses"]["200"]["content"]["application/json"]["schema"]
    assert success["properties"] == {
        "success": {"type": "boolean"},
        "errors": {"type": "array", "items": {"type": "string"}},
        "data": {"$ref": "#/components/schemas/Project"},
    }
    error = document["components"]["schemas"]["Error"]
    assert error["properties"]["success"] == {"const": False}
    assert error["properties"]["data"] == {"type": "null"}
    assert document["servers"][0]["url"] == "{base_url}"
    assert "FEATBIT_BASE_URL" in document["servers"][0]["variables"]["base_url"]["description"]
    page = operations(document)["groups_list"]["responses"]["200"]["content"]["application/json"]["schema"]["properties"]["data"]
    assert page == {"$ref": "#/components/schemas/GroupPage"}
    assert set(document["components"]["schemas"]["GroupPage"]["properties"]) == {"items", "totalCount"}


def test_feather_flag_two_servers_bearer_auth_and_a_cursor_page() -> None:
    document = exported("feather_flag")
    assert [server["url"] for server in document["servers"]] == ["https://nest.feather.mupeni.dev", "https://fly.feather.mupeni.dev"]
    found = operations(document)
    assert found["evaluation_evaluate"]["servers"][0]["url"] == "https://fly.feather.mupeni.dev"
    assert found["flags_list"]["servers"][0]["url"] == "https://nest.feather.mupeni.dev"
    assert document["components"]["securitySchemes"]["bearerAuth"]["type"] == "http"
    assert document["components"]["securitySchemes"]["bearerAuth"]["scheme"] == "bearer"
    assert found["flags_list"]["responses"]["200"]["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/FlagPage"}
    page = document["components"]["schemas"]["FlagPage"]
    assert page["properties"]["items"] == {"type": "array", "items": {"$ref": "#/components/schemas/Flag"}}
    assert page["properties"]["nextCursor"]["type"] == ["integer", "null"]
    assert page["properties"]["hasMore"]["type"] == "boolean"
    error = document["components"]["schemas"]["Error"]["properties"]["error"]["properties"]
    assert set(error) == {"code", "message", "details"}
    assert "VALIDATION_ERROR (422)" in error["code"]["description"]
    create = found["flags_create"]["responses"]
    assert {"200", "207", "401", "409", "422", "default"} <= set(create)
    assert document["components"]["schemas"]["FlagValue"] == {
        "oneOf": [{"type": "boolean"}, {"type": "string"}, {"type": "number"}],
        "description": "A flag value: boolean, string or number, matching the flag's type.",
    }


def test_featureos_marks_unverified_operations_and_per_call_tokens() -> None:
    found = operations(exported("featureos"))
    assert "third-party client code" in found["posts_retrieve"]["x-unverified"]
    token = next(param for param in found["posts_create_on_behalf"]["parameters"] if param["name"] == "Authorization")
    assert token["in"] == "header" and token["required"] is True
    assert token["schema"]["pattern"] == "^Bearer " and token["schema"]["x-secret"] is True
    assert found["oauth_exchange_token"]["requestBody"]["content"]["application/json"]["schema"]["properties"]["client_secret"]["writeOnly"] is True
    # The page parameter the client sends is documented even where the spec leaves it implicit.
    assert "page" in {param["name"] for param in found["customers_list"]["parameters"]}
    assert found["posts_update"]["requestBody"]["content"]["application/json"]["schema"]["properties"]["status"]["deprecated"] is True


def test_featureos_takes_the_key_or_an_access_token_and_some_operations_neither() -> None:
    document = exported("featureos")
    found = operations(document)
    assert document["security"] == [{"apiKeyAuth": []}, {"accessToken": []}]  # either one
    schemes = document["components"]["securitySchemes"]
    assert schemes["apiKeyAuth"]["type"] == "apiKey" and schemes["apiKeyAuth"]["name"] == "API-KEY"
    assert schemes["accessToken"]["type"] == "http" and schemes["accessToken"]["scheme"] == "bearer"
    assert "foot_" in schemes["accessToken"]["description"]
    assert found["oauth_exchange_token"]["security"] == [{}]  # no credential at all
    for operation in ("customers_list", "session_retrieve", "votes_create_on_behalf"):
        assert "security" not in found[operation]  # the key or the token, as everywhere else


def test_an_optional_credential_is_no_credential_or_any_of_them(tmp_path: Path) -> None:
    text = (SPECS / "featureos.yaml").read_text(encoding="utf-8")
    listing = "        path: /api/v3/buckets\n"
    assert text.count(listing) == 1
    (tmp_path / "featureos.yaml").write_text(text.replace(listing, listing + "        auth: optional\n"), encoding="utf-8")
    found = operations(export(load_valid(tmp_path / "featureos.yaml")))
    assert found["buckets_list"]["security"] == [{}, {"apiKeyAuth": []}, {"accessToken": []}]


def test_an_alternative_named_like_the_keys_scheme_gets_a_scheme_of_its_own(tmp_path: Path) -> None:
    text = (SPECS / "featureos.yaml").read_text(encoding="utf-8")
    assert text.count("    access_token:\n") == 1
    (tmp_path / "featureos.yaml").write_text(text.replace("    access_token:\n", "    api_key_auth:\n"), encoding="utf-8")
    document = export(load_valid(tmp_path / "featureos.yaml"))
    assert document["security"] == [{"apiKeyAuth": []}, {"apiKeyAuth2": []}]
    schemes = document["components"]["securitySchemes"]
    assert schemes["apiKeyAuth"]["name"] == "API-KEY" and schemes["apiKeyAuth2"]["scheme"] == "bearer"


def test_an_error_key_is_a_documented_code_before_it_is_a_status(tmp_path: Path) -> None:
    # A numeric code (1001) is filed under its status; digits that are no error status go under 4XX.
    text = (SPECS / "featureos.yaml").read_text(encoding="utf-8")
    grant = "    invalid_grant:\n      status: 400\n"
    errors = "          invalid_grant: The code"
    assert text.count(grant) == 1 and text.count(errors) == 1
    text = text.replace(grant, '    "1001":\n      status: 409\n' + grant)
    text = text.replace(errors, '          "1001": Taken.\n          "4041": Typo.\n' + errors)
    (tmp_path / "featureos.yaml").write_text(text, encoding="utf-8")
    responses = operations(export(load_valid(tmp_path / "featureos.yaml")))["oauth_exchange_token"]["responses"]
    assert "1001" not in responses and "4041" not in responses
    assert "1001: Taken." in responses["409"]["description"]
    assert "4041: Typo." in responses["4XX"]["description"]


def test_the_cli_writes_the_document(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    target = tmp_path / "feathery.openapi.json"
    assert main(["export-openapi", "specs/feathery.yaml", "-o", str(target)]) == 0
    document = json.loads(target.read_text(encoding="utf-8"))
    validate(document)
    assert document == exported("feathery")


def test_the_cli_prints_to_stdout_and_refuses_a_bad_spec(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(ROOT)
    assert main(["export-openapi", "specs/featureos.yaml"]) == 0
    info = json.loads(capsys.readouterr().out)["info"]
    assert (info["title"], info["license"]) == ("featureOS API", {"name": "MIT", "identifier": "MIT"})
    bad = tmp_path / "bad.yaml"
    bad.write_text("title: x\n", encoding="utf-8")
    assert main(["export-openapi", str(bad)]) == 1
    assert capsys.readouterr().out == ""


def test_an_error_path_through_an_array_is_an_array_of_error_objects() -> None:
    # JSON:API's {"errors": [{"code": ..., "detail": ...}]}: errors.0.code reads the first one.
    from generator.shapes import error_body, error_schema

    spec = {"errors": {"code": "errors.0.code", "message": "errors.0.detail"}}
    schema = error_schema(spec)
    assert schema is not None
    errors = schema["properties"]["errors"]
    assert errors["type"] == "array"
    assert set(errors["items"]["properties"]) == {"code", "detail"}
    assert error_body(spec, "not_found", "No such thing", {}) == {"errors": [{"code": "not_found", "detail": "No such thing"}]}
    # details naming the list the other two read from: the list is the details.
    spec = {"errors": {"code": "errors.0.code", "message": "errors.0.detail", "details": "errors"}}
    assert error_body(spec, "bad", "No", {"n": ["x"]}) == {"errors": [{"code": "bad", "detail": "No"}]}
    assert error_schema(spec) == schema
    # A list of strings: errors.0 is the message itself.
    strings = {"errors": {"message": "errors.0"}}
    assert error_body(strings, None, "boom", {}) == {"errors": ["boom"]}
    assert error_schema(strings)["properties"]["errors"]["items"]["type"] == "string"  # type: ignore[index]


def test_a_cursor_typed_by_an_alias_exports_its_json_type() -> None:
    from generator.load import loads
    from tests.minispec import MINI_SPEC

    spec = MINI_SPEC.replace(
        "models:\n", "pagination: {style: cursor, cursor_param: after, next_cursor: next, items: data}\nmodels:\n  PageToken: {type: string}\n"
    ).replace("        response: Pet[]\n", "        paginate: true\n        response: Pet\n").replace(
        "          pageSize: {in: query, type: integer, minimum: 1, maximum: 100}\n",
        "          pageSize: {in: query, type: integer, minimum: 1, maximum: 100}\n          after: {in: query, type: PageToken}\n",
    )
    document = export(loads(spec, "specs/petstore.yaml"))
    validate(document)  # "type": ["PageToken", "null"] was no JSON Schema type
    assert document["components"]["schemas"]["PetPage"]["properties"]["next"]["type"] == ["string", "null"]


def test_the_export_does_not_overwrite_its_spec(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    spec = tmp_path / "petstore.yaml"
    spec.write_text(MINI_SPEC)
    assert main(["export-openapi", str(spec), "-o", str(spec)]) == 1
    assert "is the spec itself" in capsys.readouterr().err
    assert spec.read_text() == MINI_SPEC
