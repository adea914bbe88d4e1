"""sdkforge diff: two specs in, changes judged for a client's users out; exit 1 when one breaks."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from generator.checks import check
from generator.cli import main
from generator.diff import Change, compare, read_spec, report
from generator.errors import InvalidSpec
from generator.load import Document, loads
from generator.validate import validate
from tests.conftest import SPECS

BASE = """\
title: Pet Store API
package: petstore_api
client: PetStore
servers:
  default:
    url: https://api.petstore.example
  uploads:
    url: https://uploads.petstore.example
auth:
  name: Authorization
  format: "Token {key}"
errors:
  message: error.message
  code: error.code
pagination:
  style: cursor
  items: items
  cursor_param: cursor
  next_cursor: nextCursor
models:
  Species:
    enum: [dog, cat, bird]
  Label:
    one_of: [string, integer]
  Tag:
    properties:
      label: {type: Label, required: true}
  Pet:
    description: A pet in the store.
    properties:
      id: {type: string, required: true}
      name: {type: string, required: true}
      species: Species
      birthDate: {type: string, format: date}
      weight: {type: number}
      tags: Tag[]
  NewPet:
    properties:
      name: {type: string, required: true}
      nickname: string
resources:
  pets:
    operations:
      list:
        summary: List pets
        method: GET
        path: /v1/owners/{ownerId}/pets
        params:
          ownerId: {in: path, type: string}
          pageSize: {in: query, type: integer, minimum: 1, maximum: 100}
          sort: {in: query, type: string, enum: [name, age]}
          tag: {in: query, type: string}
        paginate: true
        response: Pet
      retrieve:
        summary: Retrieve a pet
        method: GET
        path: /v1/pets/{pet_id}
        params:
          pet_id: {in: path, type: string}
        response: Pet
      create:
        summary: Add a pet
        method: POST
        path: /v1/pets
        body:
          properties:
            name: {type: string, required: true, max_length: 64}
            nickname: {type: string, nullable: true, pattern: "^[a-z]+$"}
            species: Species
        response: {type: Pet, status: 201}
      import_many:
        summary: Import pets
        method: POST
        path: /v1/pets/import
        body: {type: "NewPet[]", name: pets}
  photos:
    operations:
      upload:
        summary: Upload a photo
        method: POST
        path: /v1/photos
        server: uploads
        body:
          encoding: multipart
          properties:
            file: {type: file, required: true}
"""

RETRIEVE = "path: /v1/pets/{pet_id}\n        params:\n          pet_id: {in: path, type: string}"
ALTERNATIVE = '  alternatives:\n    access_token: {name: Authorization, format: "Bearer {key}", env: PETSTORE_TOKEN}\n'
PAGE_SIZE = "pageSize: {in: query, type: integer, minimum: 1, maximum: 100}"
NICKNAME = 'nickname: {type: string, nullable: true, pattern: "^[a-z]+$"}'
PHOTOS = BASE[BASE.index("  photos:") :]
IMPORT_MANY = BASE[BASE.index("      import_many:") : BASE.index("  photos:")]
NEW_OPERATION = """\
      archive:
        summary: Archive a pet
        method: POST
        path: /v1/pets/{pet_id}/archive
        params:
          pet_id: {in: path, type: string}
"""


def edited(*replacements: tuple[str, str], base: str = BASE) -> str:
    """The base spec with targeted edits; each edited text must occur exactly once."""
    text = base
    for old, new in replacements:
        assert text.count(old) == 1, f"{old!r} occurs {text.count(old)} times"
        text = text.replace(old, new)
    return text


def document(text: str, name: str = "spec.yaml") -> Document:
    """A spec that loads, validates and checks, as compare expects."""
    loaded = loads(text, name)
    assert (validate(loaded) or check(loaded)) == []
    return loaded


def changes_after(*replacements: tuple[str, str]) -> list[Change]:
    return compare(document(BASE), document(edited(*replacements)))


# (case, edits, the exact {(kind, breaking)} set, the key change's kind, its message)
CASES = [
    ("resource removed", [(PHOTOS, "")], {("resource-removed", True)},
     "resource-removed", "client.photos was removed"),
    ("resource renamed", [("  photos:\n", "  images:\n")], {("resource-renamed", True)},
     "resource-renamed", "client.photos was renamed to client.images"),
    ("resource added", [(PHOTOS, PHOTOS + "  owners:\n    operations:\n" + NEW_OPERATION)], {("resource-added", False)},
     "resource-added", "client.owners was added"),
    ("operation removed", [(IMPORT_MANY, "")], {("operation-removed", True)},
     "operation-removed", "client.pets.import_many() was removed"),
    ("operation renamed: same method and path", [("      retrieve:\n", "      get:\n")], {("operation-renamed", True)},
     "operation-renamed", "client.pets.retrieve() was renamed to client.pets.get()"),
    ("operation added", [(IMPORT_MANY, IMPORT_MANY + NEW_OPERATION)], {("operation-added", False)},
     "operation-added", "client.pets.archive() was added"),
    ("method changed", [("method: POST\n        path: /v1/pets\n", "method: PUT\n        path: /v1/pets\n")], {("method-changed", True)},
     "method-changed", "client.pets.create() now sends PUT instead of POST"),
    ("path changed", [(RETRIEVE, RETRIEVE.replace("/v1/", "/v2/"))], {("path-changed", True)},
     "path-changed", "client.pets.retrieve() now calls /v2/pets/{pet_id} instead of /v1/pets/{pet_id}"),
    ("placeholder renamed, Python name kept", [(RETRIEVE, RETRIEVE.replace("{pet_id}", "{id}").replace("pet_id: {in: path, type: string}", "id: {in: path, type: string, python_name: pet_id}"))],
     set(), "", ""),
    ("placeholder renamed, Python name too", [(RETRIEVE, RETRIEVE.replace("pet_id", "id"))], {("argument-renamed", True)},
     "argument-renamed", "argument `pet_id` of client.pets.retrieve() was renamed to `id`"),
    ("own identifier no longer positional", [(RETRIEVE, RETRIEVE.replace("{pet_id}", "{pet_id}/profile"))], {("path-changed", True), ("positional-changed", True)},
     "positional-changed", "client.pets.retrieve() now takes () positionally instead of (pet_id)"),
    ("parent placeholder inserted before the own identifier", [(RETRIEVE, "path: /v1/owners/{owner_id}/pets/{pet_id}\n        params:\n          owner_id: {in: path, type: string}\n          pet_id: {in: path, type: string}")],
     {("path-changed", True), ("argument-added-required", True)}, "argument-added-required", "client.pets.retrieve() has a new required argument `owner_id`"),
    ("parameter removed", [("          sort: {in: query, type: string, enum: [name, age]}\n", "")], {("argument-removed", True)},
     "argument-removed", "argument `sort` of client.pets.list() was removed"),
    ("body property removed", [("            species: Species\n", "")], {("argument-removed", True)},
     "argument-removed", "argument `species` of client.pets.create() was removed"),
    ("argument became required", [(NICKNAME, NICKNAME.replace("nullable", "required: true, nullable"))], {("argument-required", True)},
     "argument-required", "argument `nickname` of client.pets.create() is now required"),
    ("new required argument", [("            species: Species\n", "            species: Species\n            ownerId: {type: string, required: true}\n")], {("argument-added-required", True)},
     "argument-added-required", "client.pets.create() has a new required argument `owner_id`"),
    ("new optional argument", [("            species: Species\n", "            species: Species\n            ownerId: string\n")], {("argument-added", False)},
     "argument-added", "client.pets.create() has a new optional argument `owner_id`"),
    ("required argument became optional", [("name: {type: string, required: true, max_length: 64}", "name: {type: string, max_length: 64}")], {("argument-optional", False)},
     "argument-optional", "argument `name` of client.pets.create() is now optional"),
    ("argument renamed by python_name", [(PAGE_SIZE, PAGE_SIZE.replace("}", ", python_name: limit}"))], {("argument-renamed", True)},
     "argument-renamed", "argument `page_size` of client.pets.list() was renamed to `limit`"),
    ("wire name changed, Python name kept", [(PAGE_SIZE, PAGE_SIZE.replace("pageSize", "limit").replace("}", ", python_name: page_size}"))], {("argument-wire-renamed", True)},
     "argument-wire-renamed", "argument `page_size` of client.pets.list() is now sent as 'limit' instead of 'pageSize'"),
    ("whole-value body renamed: it has no wire name", [("name: pets}", "name: new_pets}")], {("argument-renamed", True)},
     "argument-renamed", "argument `pets` of client.pets.import_many() was renamed to `new_pets`"),
    ("argument moved from query to header", [("tag: {in: query", "tag: {in: header")], {("argument-moved", True)},
     "argument-moved", "argument `tag` of client.pets.list() is now sent in a header instead of the query string"),
    ("argument type changed", [("tag: {in: query, type: string}", "tag: {in: query, type: integer}")], {("argument-type-changed", True)},
     "argument-type-changed", "argument `tag` of client.pets.list() changed type from string to integer"),
    ("argument type widened to a union", [("tag: {in: query, type: string}", "tag: {in: query, one_of: [string, integer]}")], {("type-widened", False)},
     "type-widened", "argument `tag` of client.pets.list() changed type from string to string | integer"),
    ("argument enum value removed", [("enum: [name, age]", "enum: [name]")], {("enum-value-removed", True)},
     "enum-value-removed", "argument `sort` of client.pets.list() no longer allows 'age'"),
    ("argument enum value added", [("enum: [name, age]", "enum: [name, age, weight]")], {("enum-value-added", False)},
     "enum-value-added", "argument `sort` of client.pets.list() now also allows 'weight'"),
    ("max_length lowered", [("max_length: 64", "max_length: 32")], {("constraint-tightened", True)},
     "constraint-tightened", "argument `name` of client.pets.create() max_length changed from 64 to 32"),
    ("minimum raised", [("minimum: 1,", "minimum: 5,")], {("constraint-tightened", True)},
     "constraint-tightened", "argument `page_size` of client.pets.list() minimum changed from 1 to 5"),
    ("pattern added", [("tag: {in: query, type: string}", "tag: {in: query, type: string, pattern: '^[a-z]+$'}")], {("constraint-tightened", True)},
     "constraint-tightened", "argument `tag` of client.pets.list() gained pattern '^[a-z]+$'"),
    ("pattern changed", [('"^[a-z]+$"', '"^[a-z]{2,}$"')], {("constraint-tightened", True)},
     "constraint-tightened", "argument `nickname` of client.pets.create() pattern changed from '^[a-z]+$' to '^[a-z]{2,}$'"),
    ("maximum raised and pattern removed", [("maximum: 100", "maximum: 500"), (', pattern: "^[a-z]+$"', "")], {("constraint-loosened", False)},
     "constraint-loosened", "argument `page_size` of client.pets.list() maximum changed from 100 to 500"),
    ("argument no longer nullable", [("nullable: true, ", "")], {("argument-not-nullable", True)},
     "argument-not-nullable", "argument `nickname` of client.pets.create() no longer accepts None"),
    ("response type changed", [(RETRIEVE + "\n        response: Pet", RETRIEVE + "\n        response: NewPet")], {("response-changed", True)},
     "response-changed", "client.pets.retrieve() now returns NewPet instead of Pet"),
    ("response where there was none", [('name: pets}\n', "name: pets}\n        response: Pet[]\n")], {("response-added", False)},
     "response-added", "client.pets.import_many() now returns Pet[] (it returned None)"),
    ("pagination turned off for an operation", [("        paginate: true\n", "")], {("paginate-changed", True)},
     "paginate-changed", "client.pets.list() no longer pages: it returns one response"),
    ("body encoding changed", [("        body:\n          properties:\n            name:", "        body:\n          encoding: form\n          properties:\n            name:")], {("encoding-changed", True)},
     "encoding-changed", "client.pets.create() now sends a form body instead of a json body"),
    ("model removed", [("  Tag:\n    properties:\n      label: {type: Label, required: true}\n", ""), ("      tags: Tag[]\n", ""), ("  Label:\n    one_of: [string, integer]\n", "")], {("model-removed", True), ("field-removed", True)},
     "model-removed", "petstore_api.Tag was removed"),
    ("model added", [("models:\n", "models:\n  Owner:\n    properties:\n      email: {type: string, required: true}\n")], {("model-added", False)},
     "model-added", "petstore_api.Owner was added"),
    ("model field removed", [("      weight: {type: number}\n", "")], {("field-removed", True)},
     "field-removed", "petstore_api.Pet.weight was removed"),
    ("model field renamed", [("birthDate: {type: string, format: date}", "birthDate: {type: string, format: date, python_name: born_on}")], {("field-renamed", True)},
     "field-renamed", "petstore_api.Pet.birth_date was renamed to born_on"),
    ("model field's wire name changed, Python name kept", [("birthDate: {type: string, format: date}", "bornOn: {type: string, format: date, python_name: birth_date}")],
     {("field-wire-renamed", True)}, "field-wire-renamed", "petstore_api.Pet.birth_date is now read from 'bornOn' instead of 'birthDate'"),
    ("model field type changed", [("weight: {type: number}", "weight: {type: string}")], {("field-type-changed", True)},
     "field-type-changed", "petstore_api.Pet.weight changed type from number to string"),
    ("date format dropped changes the Python type", [("birthDate: {type: string, format: date}", "birthDate: {type: string}")], {("field-type-changed", True)},
     "field-type-changed", "petstore_api.Pet.birth_date changed type from string (date) to string"),
    ("response field no longer required", [("      name: {type: string, required: true}\n      species", "      name: {type: string}\n      species")], {("field-optional", True)},
     "field-optional", "petstore_api.Pet.name may now be missing (it was required)"),
    ("response field may now be null", [("weight: {type: number}", "weight: {type: number, nullable: true}")], {("field-nullable", True)},
     "field-nullable", "petstore_api.Pet.weight may now be None"),
    ("response field now always present", [("weight: {type: number}", "weight: {type: number, required: true}")], {("field-required", False)},
     "field-required", "petstore_api.Pet.weight is now required"),
    ("optional field added to a response model", [("      tags: Tag[]\n", "      tags: Tag[]\n      color: string\n")], {("field-added", False)},
     "field-added", "petstore_api.Pet has a new optional field `color`"),
    ("required field added to a model callers build", [("      nickname: string\n", "      nickname: string\n      age: {type: integer, required: true}\n")], {("field-added", True)},
     "field-added", "petstore_api.NewPet has a new required field `age`"),
    ("model enum value removed", [("enum: [dog, cat, bird]", "enum: [dog, cat]")], {("enum-value-removed", True)},
     "enum-value-removed", "petstore_api.Species no longer allows 'bird'"),
    ("model enum value added", [("enum: [dog, cat, bird]", "enum: [dog, cat, bird, fish]")], {("enum-value-added", False)},
     "enum-value-added", "petstore_api.Species now also allows 'fish'"),
    ("auth header renamed", [("  name: Authorization\n", "  name: X-API-Key\n")], {("auth-changed", True)},
     "auth-changed", "PetStore() now sends the API key as 'X-API-Key' instead of 'Authorization'"),
    ("auth format changed", [('"Token {key}"', '"Bearer {key}"')], {("auth-changed", True)},
     "auth-changed", "PetStore() now formats the API key as 'Bearer {key}' instead of 'Token {key}'"),
    ("auth moved to the query", [("  name: Authorization\n", "  in: query\n  name: Authorization\n")], {("auth-changed", True)},
     "auth-changed", "PetStore() now sends the API key in the query instead of the header"),
    ("env prefix changes every default variable", [("client: PetStore\n", "client: PetStore\nenv_prefix: PETS\n")], {("auth-changed", True), ("server-env-changed", True)},
     "auth-changed", "PetStore() now reads the API key from PETS_API_KEY instead of PETSTORE_API_KEY"),
    ("base URL changed", [("https://api.petstore.example", "https://api.pets.example")], {("server-url-changed", True)},
     "server-url-changed", "PetStore() now defaults base_url to https://api.pets.example instead of https://api.petstore.example"),
    ("server removed", [("  uploads:\n    url: https://uploads.petstore.example\n", ""), ("        server: uploads\n", "")], {("server-removed", True), ("server-changed", True)},
     "server-removed", "PetStore(uploads_base_url=...) was removed"),
    ("first server renamed: base_url is unchanged", [("  default:\n", "  main:\n")], set(), "", ""),
    ("package renamed", [("package: petstore_api", "package: pets_api")], {("package-renamed", True)},
     "package-renamed", "the package is now imported as pets_api instead of petstore_api"),
    ("client class renamed", [("client: PetStore", "client: PetShop"), ("  name: Authorization\n", "  name: Authorization\n  env: PETSTORE_API_KEY\n"),
                              ("    url: https://api.petstore.example\n", "    url: https://api.petstore.example\n    env: PETSTORE_BASE_URL\n"),
                              ("    url: https://uploads.petstore.example\n", "    url: https://uploads.petstore.example\n    env: PETSTORE_UPLOADS_BASE_URL\n")],
     {("client-renamed", True)}, "client-renamed", "the client is now PetShop / AsyncPetShop instead of PetStore / AsyncPetStore"),
    ("pagination style changed", [("  style: cursor\n  items: items\n  cursor_param: cursor\n  next_cursor: nextCursor\n", "  style: page\n  items: items\n  page_param: page\n")],
     {("pagination-changed", True)}, "pagination-changed", "client.pets.list(): paging is now by page number instead of by cursor"),
    ("pagination items key changed", [("  items: items\n", "  items: results\n")], {("pagination-changed", True)},
     "pagination-changed", "client.pets.list(): paging now uses items 'results' instead of 'items'"),
    ("auth removed", [('auth:\n  name: Authorization\n  format: "Token {key}"\n', "")], {("auth-removed", True)},
     "auth-removed", "PetStore() no longer takes an API key"),
    ("alternative credential added", [('  format: "Token {key}"\n', '  format: "Token {key}"\n' + ALTERNATIVE)], {("auth-alternative-added", False)},
     "auth-alternative-added", "PetStore() now takes access_token= instead of an API key"),
    ("default base URL removed", [("    url: https://api.petstore.example\n", "    description: Each deployment has its own.\n")], {("server-url-changed", True)},
     "server-url-changed", "PetStore() has no default base_url any more: pass it or set PETSTORE_BASE_URL"),
    ("operation no longer sends the key", [(RETRIEVE, RETRIEVE + "\n        auth: none")], {("auth-relaxed", False)},
     "auth-relaxed", "client.pets.retrieve() now never sends the API key (it needed it)"),
    ("operation works without the key", [(RETRIEVE, RETRIEVE + "\n        auth: optional")], {("auth-relaxed", False)},
     "auth-relaxed", "client.pets.retrieve() now sends the API key when the client has one (it needed it)"),
    ("operation moved to another server", [("        server: uploads\n", "")], {("server-changed", True)},
     "server-changed", "client.photos.upload() now goes to base_url instead of uploads_base_url"),
    ("response removed", [(RETRIEVE + "\n        response: Pet", RETRIEVE)], {("response-changed", True)},
     "response-changed", "client.pets.retrieve() now returns None instead of Pet"),
    ("model kind changed", [("  Species:\n    enum: [dog, cat, bird]\n", "  Species:\n    type: string\n")], {("model-kind-changed", True)},
     "model-kind-changed", "petstore_api.Species is now an alias instead of an enum"),
    ("union model changed", [("one_of: [string, integer]", "one_of: [string, number]")], {("model-type-changed", True)},
     "model-type-changed", "petstore_api.Label changed from string | integer to string | number"),
    ("argument enum newly listed", [("tag: {in: query, type: string}", "tag: {in: query, type: string, enum: [red, blue]}")], {("enum-restricted", True)},
     "enum-restricted", "argument `tag` of client.pets.list() now only allows 'red', 'blue'"),
    ("path changed, placeholders as written", [("/v1/owners/{ownerId}/pets", "/v1/people/{ownerId}/pets")], {("path-changed", True)},
     "path-changed", "client.pets.list() now calls /v1/people/{ownerId}/pets instead of /v1/owners/{ownerId}/pets"),
    ("error shape changed", [("  code: error.code\n", "  code: error.type\n")], {("errors-changed", False)},
     "errors-changed", "APIStatusError.code is now read from 'error.type' instead of 'error.code'"),
    ("envelope added", [("pagination:\n", "envelope: {data: data, success: success}\npagination:\n")], {("envelope-changed", True)},
     "envelope-changed", "every response is now wrapped as {data: data, success: success} instead of unwrapped"),
    ("https only", [("client: PetStore\n", "client: PetStore\nhttps_only: true\n")], {("https-only", True)},
     "https-only", "PetStore() now refuses a plain http:// base URL except on loopback"),
    ("operation deprecated", [("summary: Import pets\n", "summary: Import pets\n        deprecated: true\n")], {("operation-deprecated", False)},
     "operation-deprecated", "client.pets.import_many() is deprecated"),
    ("descriptions and summaries are not changes", [("A pet in the store.", "One pet."), ("summary: List pets", "summary: List every pet")], set(), "", ""),
]


@pytest.mark.parametrize(("edits", "expected", "kind", "message"), [case[1:] for case in CASES], ids=[case[0] for case in CASES])
def test_each_rule(edits: list[tuple[str, str]], expected: set[tuple[str, bool]], kind: str, message: str) -> None:
    changes = changes_after(*edits)
    assert {(change.kind, change.breaking) for change in changes} == expected
    if kind:
        assert message in [change.message for change in changes if change.kind == kind]


@pytest.mark.parametrize(("after", "message"), [
    ("", "PetStore() no longer takes access_token="),
    (ALTERNATIVE.replace("name: Authorization", "name: X-Token"), "PetStore() now sends access_token as 'X-Token' instead of 'Authorization'"),
    (ALTERNATIVE.replace("PETSTORE_TOKEN", "PETSTORE_ACCESS_TOKEN"), "PetStore() now reads access_token from PETSTORE_ACCESS_TOKEN instead of PETSTORE_TOKEN"),
], ids=["removed", "moved", "another variable"])
def test_an_alternative_credential_removed_or_changed_breaks_its_users(after: str, message: str) -> None:
    key = '  format: "Token {key}"\n'
    with_alternative = edited((key, key + ALTERNATIVE))

    changes = compare(document(with_alternative), document(edited((key + ALTERNATIVE, key + after), base=with_alternative)))

    assert [(change.kind, change.breaking, change.message) for change in changes] == [("auth-changed", True, message)]


def test_an_operation_that_starts_to_need_the_key_breaks_callers_without_one() -> None:
    optional = document(edited((RETRIEVE, RETRIEVE + "\n        auth: optional")))

    changes = compare(optional, document(BASE))

    assert [(change.kind, change.breaking, change.message) for change in changes] == [
        ("auth-required", True, "client.pets.retrieve() now needs the API key (it sent it when the client had one)")
    ]


def test_identical_specs_have_no_changes() -> None:
    assert compare(document(BASE), document(BASE)) == []
    assert report([]) == "no changes\n"


@pytest.mark.parametrize("spec", sorted(SPECS.glob("*.yaml")), ids=lambda path: path.stem)
def test_a_real_spec_against_itself_has_no_changes(spec: Path) -> None:
    assert compare(read_spec(str(spec)), read_spec(str(spec))) == []


def test_a_real_spec_with_one_operation_gone_has_one_breaking_change() -> None:
    old = read_spec(str(SPECS / "feathery.yaml"))
    data = json.loads(json.dumps(old.data))
    resource, operations = next((name, resource["operations"]) for name, resource in data["resources"].items() if len(resource["operations"]) > 1)
    verb = next(iter(operations))
    del operations[verb]
    changes = compare(old, document(yaml.safe_dump(data, sort_keys=False)))
    assert [(change.kind, change.where, change.breaking) for change in changes] == [("operation-removed", f"resources.{resource}.operations.{verb}", True)]


def test_breaking_changes_come_first_then_by_where() -> None:
    changes = changes_after(("enum: [dog, cat, bird]", "enum: [dog, cat, bird, fish]"), ("      weight: {type: number}\n", ""), (IMPORT_MANY, ""))
    assert [(change.breaking, change.where) for change in changes] == [
        (True, "models.Pet.properties.weight"),
        (True, "resources.pets.operations.import_many"),
        (False, "models.Species.enum"),
    ]


def test_report_text_and_json() -> None:
    changes = [Change("operation-removed", "resources.pets.operations.retrieve", "client.pets.retrieve() was removed", True),
               Change("operation-added", "resources.pets.operations.get", "client.pets.get() was added", False),
               Change("argument-optional", "resources.pets.operations.create.body.properties.name", "argument `name` of client.pets.create() is now optional", False)]
    assert report(changes) == (
        "BREAKING resources.pets.operations.retrieve: client.pets.retrieve() was removed\n"
        "added    resources.pets.operations.get: client.pets.get() was added\n"
        "changed  resources.pets.operations.create.body.properties.name: argument `name` of client.pets.create() is now optional\n"
        "1 breaking, 2 other changes\n"
    )
    text = report(changes, as_json=True)
    assert text.endswith("}\n") and text.startswith('{\n  "breaking": [\n')
    assert json.loads(text) == {
        "breaking": [{"kind": "operation-removed", "where": "resources.pets.operations.retrieve", "message": "client.pets.retrieve() was removed"}],
        "other": [{"kind": "operation-added", "where": "resources.pets.operations.get", "message": "client.pets.get() was added"},
                  {"kind": "argument-optional", "where": "resources.pets.operations.create.body.properties.name",
                   "message": "argument `name` of client.pets.create() is now optional"}],
    }


# The command -------------------------------------------------------------------------


def write_specs(tmp_path: Path, new_text: str) -> tuple[str, str]:
    (tmp_path / "old.yaml").write_text(BASE, encoding="utf-8")
    (tmp_path / "new.yaml").write_text(new_text, encoding="utf-8")
    return str(tmp_path / "old.yaml"), str(tmp_path / "new.yaml")


def test_cli_exits_1_on_a_breaking_change(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["diff", *write_specs(tmp_path, edited((IMPORT_MANY, "")))]) == 1
    out = capsys.readouterr().out
    assert out == "BREAKING resources.pets.operations.import_many: client.pets.import_many() was removed\n1 breaking, 0 other changes\n"


def test_cli_exits_0_when_nothing_breaks(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["diff", *write_specs(tmp_path, edited((IMPORT_MANY, IMPORT_MANY + NEW_OPERATION)))]) == 0
    assert capsys.readouterr().out.endswith("0 breaking, 1 other changes\n")
    assert main(["diff", *write_specs(tmp_path, BASE)]) == 0
    assert capsys.readouterr().out == "no changes\n"


def test_cli_json_output_parses(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["diff", "--json", *write_specs(tmp_path, edited(("max_length: 64", "max_length: 32"), ("enum: [name, age]", "enum: [name, age, weight]")))]) == 1
    result = json.loads(capsys.readouterr().out)
    assert [item["kind"] for item in result["breaking"]] == ["constraint-tightened"]
    assert [item["kind"] for item in result["other"]] == ["enum-value-added"]


def test_cli_reports_an_invalid_spec_and_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["diff", *write_specs(tmp_path, edited(("method: GET\n        path: /v1/pets/{pet_id}", "method: GET\n        path: /v1/pets/{petId}")))]) == 2
    assert 'path parameter "petId" is not declared' in capsys.readouterr().err


def git(tmp_path: Path, *arguments: str) -> None:
    subprocess.run(["git", *arguments], cwd=tmp_path, check=True, capture_output=True)


@pytest.fixture
def repository(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A git repository in tmp_path with BASE committed as spec.yaml; the working directory."""
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    for variable in ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE"):
        monkeypatch.delenv(variable, raising=False)
    for role in ("AUTHOR", "COMMITTER"):
        monkeypatch.setenv(f"GIT_{role}_NAME", "sdkforge tests")
        monkeypatch.setenv(f"GIT_{role}_EMAIL", "tests@sdkforge.invalid")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", os.devnull)
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    git(tmp_path, "init", "-q")
    (tmp_path / "spec.yaml").write_text(BASE, encoding="utf-8")
    git(tmp_path, "add", "spec.yaml")
    git(tmp_path, "commit", "-q", "-m", "spec")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_cli_reads_the_old_spec_from_git(repository: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (repository / "spec.yaml").write_text(edited(("      retrieve:\n", "      get:\n")), encoding="utf-8")
    assert main(["diff", "HEAD:spec.yaml", "spec.yaml"]) == 1
    assert "client.pets.retrieve() was renamed to client.pets.get()" in capsys.readouterr().out
    assert main(["diff", "HEAD:spec.yaml", "HEAD:spec.yaml"]) == 0


def test_an_unknown_revision_is_a_clear_error(repository: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["diff", "no-such-rev:spec.yaml", "spec.yaml"]) == 2
    error = capsys.readouterr().err
    assert error.startswith("no-such-rev:spec.yaml:1:1: cannot read 'spec.yaml' at revision 'no-such-rev' from git: ")
    assert "check the revision and path" in error
    with pytest.raises(InvalidSpec, match="from git"):
        read_spec("HEAD:missing.yaml")


def test_an_existing_file_with_a_colon_is_a_file_not_a_revision(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "v1:spec.yaml").write_text(BASE, encoding="utf-8")
    assert read_spec("v1:spec.yaml").data["client"] == "PetStore"
    with pytest.raises(InvalidSpec, match="cannot read the spec"):
        read_spec("C:\\specs\\missing.yaml")
