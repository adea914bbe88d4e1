"""validate + check + build on a small inline spec: plain data in, IR out."""

from pathlib import Path

import pytest

from generator.build import build
from generator.build_models import strongly_connected
from generator.checks import check
from generator.imports import export_order, import_order
from generator.load import loads
from generator.validate import validate
from tests.minispec import MINI_SPEC

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def api():  # type: ignore[no-untyped-def]
    document = loads(MINI_SPEC, "specs/petstore.yaml")
    assert validate(document) == []
    assert check(document) == []
    return build(document)


def test_api_level_names(api) -> None:  # type: ignore[no-untyped-def]
    assert (api.package, api.distribution, api.client_class, api.async_client_class) == (
        "petstore_api", "petstore-api", "PetStore", "AsyncPetStore")
    assert api.auth.env == "PETSTORE_API_KEY"
    assert api.servers[0].argument == "base_url"
    assert api.source == "specs/petstore.yaml"


def test_models_use_snake_case_aliases_and_lenient_enums(api) -> None:  # type: ignore[no-untyped-def]
    pet = next(model for model in api.models if model.name == "Pet")
    fields = {field.name: field for field in pet.fields}
    assert fields["birth_date"].wire_name == "birthDate"
    assert fields["birth_date"].annotation == "datetime.date | None"
    assert fields["birth_date"].field_arguments == ("default=None", 'validation_alias="birthDate"', 'serialization_alias="birthDate"')
    assert fields["species"].annotation == "Species | str | None"  # a newer server's value is kept
    assert fields["owner_token"].field_arguments[-1] == "repr=False"
    assert fields["id"].required and fields["id"].field_arguments == ()


def test_own_identifier_is_positional_and_parent_ids_keyword(api) -> None:  # type: ignore[no-untyped-def]
    operations = {operation.name: operation for operation in api.resources[0].operations}
    assert [a.name for a in operations["retrieve"].positional] == ["pet_id"]
    assert operations["list"].positional == ()
    assert [a.name for a in operations["list"].keyword_only] == ["owner_id", "page_size"]


def test_an_argument_the_spec_does_not_describe_says_where_it_goes(api) -> None:  # type: ignore[no-untyped-def]
    operations = {operation.name: operation for operation in api.resources[0].operations}
    described = {argument.name: argument.description for operation in operations.values() for argument in operation.arguments}
    assert described["owner_id"] == "The ``{owner_id}`` segment of the path."
    assert described["page_size"] == "The ``pageSize`` query parameter."
    assert described["species"] == "The ``species`` field of the request body."


def test_limits_and_names_that_fit_are_accepted() -> None:
    # A map's and a list alias's size, and an operation named datetime where nothing uses datetime.
    extra = (
        "      datetime:\n        summary: The server's clock\n        method: GET\n        path: /v1/clock\n"
        "        params:\n          labels: {in: query, type: Tags, min_items: 1, max_items: 3}\n"
        "        body:\n          properties:\n            meta: {type: map, values: string, max_items: 2}\n"
    )
    spec = MINI_SPEC.replace("models:\n", "models:\n  Tags: {type: \"string[]\"}\n") + extra
    document = loads(spec, "specs/petstore.yaml")
    assert validate(document) == [] and check(document) == []


def test_an_action_on_an_item_takes_the_items_id_positionally() -> None:
    # /v1/pets/{pet_id} is an item of this resource, so /v1/pets/{pet_id}/adopt acts on it;
    # /v1/owners/{owner_id}/pets has no owner operation here: owner_id stays a keyword.
    action = (
        "      adopt:\n        summary: Adopt a pet\n        method: POST\n        path: /v1/pets/{pet_id}/adopt/\n"
        "        params:\n          pet_id: {in: path, type: string}\n"
    )
    document = loads(MINI_SPEC + action, "specs/petstore.yaml")
    assert validate(document) == [] and check(document) == []
    operations = {operation.name: operation for operation in build(document).resources[0].operations}
    assert [argument.name for argument in operations["adopt"].positional] == ["pet_id"]
    assert [argument.name for argument in operations["list"].keyword_only] == ["owner_id", "page_size"]
    without_item = MINI_SPEC.replace("/v1/pets/{pet_id}\n", "/v1/pets/{pet_id}/profile\n") + action
    operations = {operation.name: operation for operation in build(loads(without_item, "specs/petstore.yaml")).resources[0].operations}
    assert operations["adopt"].positional == () and operations["retrieve"].positional == ()


def test_a_boolean_path_parameter_is_never_positional() -> None:
    toggle = """\
      toggle:
        summary: Turn a pet's tracker on or off
        method: PUT
        path: /v1/pets/{pet_id}/tracker/{enabled}
        params:
          pet_id: {in: path, type: string}
          enabled: {in: path, type: boolean}
"""
    spec = MINI_SPEC.replace("      retrieve:\n", toggle + "      retrieve:\n", 1)
    document = loads(spec, "specs/petstore.yaml")
    assert validate(document) == [] and check(document) == []
    operations = {operation.name: operation for operation in build(document).resources[0].operations}
    assert operations["toggle"].positional == ()
    assert [a.name for a in operations["toggle"].keyword_only] == ["pet_id", "enabled"]


def test_arguments_are_strict_and_constrained(api) -> None:  # type: ignore[no-untyped-def]
    operations = {operation.name: operation for operation in api.resources[0].operations}
    create = {argument.name: argument for argument in operations["create"].arguments}
    assert create["species"].annotation == "Species"
    assert create["name"].annotation == "Annotated[str, Field(max_length=64)]"
    assert create["from_"].wire_name == "from" and create["from_"].location == "json"
    listing = {argument.name: argument for argument in operations["list"].arguments}
    assert listing["page_size"].annotation == "Annotated[int, Field(ge=1, le=100)]"
    assert listing["owner_id"].annotation == "Annotated[str, Field(min_length=1)]"
    assert operations["list"].response_type == "builtins.list[Pet]"
    assert operations["create"].status == 201


def test_resource_imports_are_exactly_what_is_used(api) -> None:  # type: ignore[no-untyped-def]
    standard, third_party, own = api.resources[0].imports
    # Final: the raw-response class declares its methods' types (some operation is not a list).
    assert standard == ("import builtins", "from functools import cached_property", "from typing import Annotated, Final")
    assert third_party == ("from pydantic import Field",)
    assert own[-1] == "from ..models import Pet, Species"
    assert "from .._response import async_to_raw_response, to_raw_response" in own  # some operation is not a list


def test_integer_path_parameters_import_no_field_constraints() -> None:
    # Only a string path parameter gets Field(min_length=1); an integer one imported
    # Annotated and Field for nothing (ruff F401 in the generated module).
    spec = MINI_SPEC.replace("pet_id: {in: path, type: string}", "pet_id: {in: path, type: integer}")
    spec = spec.replace("owner_id: {in: path, type: string}", "owner_id: {in: path, type: integer}")
    spec = spec.replace("name: {type: string, required: true, max_length: 64}", "name: {type: string, required: true}")
    spec = spec.replace("pageSize: {in: query, type: integer, minimum: 1, maximum: 100}", "pageSize: {in: query, type: integer}")
    document = loads(spec, "specs/petstore.yaml")
    assert validate(document) == [] and check(document) == []
    resource = build(document).resources[0]
    retrieve = next(operation for operation in resource.operations if operation.name == "retrieve")
    assert retrieve.arguments[0].annotation == "int"
    imports = [line for section in resource.imports for line in section]
    assert "from typing import Annotated" not in imports
    assert "from pydantic import Field" not in imports


def test_each_model_has_its_own_module_and_plain_types_share_one(api) -> None:  # type: ignore[no-untyped-def]
    modules = {module.name: module for module in api.model_modules}
    assert {name: [model.name for model in module.models] for name, module in modules.items()} == {
        "types": ["Species"], "pet": ["Pet"]}
    # isort's sections, so that ruff finds nothing to move: standard library, pydantic, the package.
    assert modules["pet"].imports == (
        ("import datetime",), ("from pydantic import Field",), ("from .._models_base import BaseModel", "from .types import Species"))
    assert modules["types"].imports == (("from typing import Literal",),)


# Entry, Folder and File refer to each other (a cycle); Listing refers into the cycle;
# ABTest and AbTest would both be named ab_test.
CYCLIC_MODELS = """\
models:
  Entry:
    one_of: [Folder, File]
  Folder:
    properties:
      name: {type: string, required: true}
      children: {type: "Entry[]"}
      parent: {type: Folder}
  File:
    properties:
      name: {type: string, required: true}
      folder: {type: Folder}
  Listing:
    properties:
      entries: {type: "Entry[]"}
  ABTest:
    properties:
      arm: {type: string}
  AbTest:
    properties:
      arm: {type: string}
  Species:
"""


def cyclic_api():  # type: ignore[no-untyped-def]
    document = loads(MINI_SPEC.replace("models:\n  Species:\n", CYCLIC_MODELS), "specs/petstore.yaml")
    assert validate(document) == [] and check(document) == []
    return build(document)


def test_models_in_a_cycle_share_a_module_with_aliases_after_classes() -> None:
    modules = {module.name: module for module in cyclic_api().model_modules}
    assert [model.name for model in modules["entry"].models] == ["Folder", "File", "Entry"]
    assert "from .entry import Entry" in modules["listing"].imports[-1]
    assert not any(line.startswith("from .entry") for section in modules["entry"].imports for line in section)
    assert [model.name for model in modules["ab_test"].models] == ["ABTest"]
    assert [model.name for model in modules["ab_test_2"].models] == ["AbTest"]


def test_strongly_connected_groups_follow_their_dependencies() -> None:
    graph = {"a": ["b"], "b": ["c"], "c": ["b", "d"], "d": [], "e": ["e"]}
    assert strongly_connected(graph) == [["d"], ["b", "c"], ["a"], ["e"]]
    chain = {f"n{index}": [f"n{index + 1}"] for index in range(5000)} | {"n5000": []}
    assert len(strongly_connected(chain)) == 5001  # deep, yet no RecursionError


def test_names_are_ordered_as_ruff_orders_them() -> None:
    """The expected orders are what ruff 0.17 asks for (I001 in an import, RUF022 in __all__)."""
    names = ["ABD", "Abc", "Thing10", "Thing2", "AB_C", "aB", "Ab_c", "Apikey", "APIError", "ApiKey"]
    assert import_order(names) == ["AB_C", "ABD", "Ab_c", "Abc", "APIError", "ApiKey", "Apikey", "Thing2", "Thing10", "aB"]
    assert export_order(names) == ["ABD", "AB_C", "APIError", "Ab_c", "Abc", "ApiKey", "Apikey", "Thing2", "Thing10", "aB"]
    assert import_order(["B", "Ab", "A", "AB"]) == export_order(["B", "Ab", "A", "AB"]) == ["AB", "A", "Ab", "B"]


def test_every_public_name_of_the_client_classes_is_reserved_for_resources() -> None:
    # A resource named like a client method (send, log, parse ...) would replace it, and
    # every call would fail: checks.py refuses RESERVED_RESOURCES, which must keep up with
    # the runtime template.
    import featbit_api._runtime as runtime

    from generator.naming import RESERVED_RESOURCES

    public = {
        name
        for client in (runtime.SyncAPIClient, runtime.AsyncAPIClient)
        for name in dir(client)
        if not name.startswith("_")
    }
    instance = {"timeout", "max_retries"}  # set in __init__, not on the class
    assert public | instance <= RESERVED_RESOURCES, sorted(public - RESERVED_RESOURCES)


@pytest.mark.parametrize("version", ["1!2.0", "1.0.0rc1", "2.0.post1", "1.0.0a1.post2.dev3", "2024.1.15"])
def test_every_normal_form_pep_440_version_is_valid(version: str) -> None:
    document = loads(MINI_SPEC.replace("client: PetStore\n", f'client: PetStore\nversion: "{version}"\n'), "specs/petstore.yaml")
    assert validate(document) == [] and check(document) == []
    assert build(document).version == version


def test_documented_errors_name_the_exception_the_client_raises() -> None:
    codes = '  codes:\n    PET_TAKEN: {status: 409}\n    DB_DOWN: {status: 503}\n    "1001": {status: 409}\n'
    spec = MINI_SPEC.replace("  code: error.code\n", "  code: error.code\n" + codes)
    errors = '        errors: {"404": No such pet., "402": Pay first., PET_TAKEN: Sold., DB_DOWN: Later., "1001": Taken., PET_GONE: Adopted.}\n'
    document = loads(spec.replace("        response: Pet\n", "        response: Pet\n" + errors), "specs/petstore.yaml")
    assert validate(document) == [] and check(document) == []
    retrieve = next(op for op in build(document).resources[0].operations if op.name == "retrieve")
    assert [(error.exception, error.label, error.description) for error in retrieve.errors] == [
        ("NotFoundError", "404", "No such pet."),
        ("APIStatusError", "402", "Pay first."),
        ("ConflictError", "PET_TAKEN 409", "Sold."),
        ("InternalServerError", "DB_DOWN 503", "Later."),
        ("ConflictError", "1001 409", "Taken."),  # a numeric code, not the status 1001
        ("APIStatusError", "PET_GONE", "Adopted."),  # not in errors.codes: lint warns
    ]


def test_the_exception_named_for_a_status_is_the_one_the_runtime_raises() -> None:
    from featbit_api._exceptions import status_error_class

    from generator.naming import exception_class

    for status in range(400, 600):
        assert exception_class(status) == status_error_class(status).__name__, status


def test_the_names_client_py_imports_are_reserved_for_it() -> None:
    # The client class and every resource class are imported into _client.py beside these.
    import ast

    from generator.naming import CLIENT_MODULE_NAMES

    tree = ast.parse((ROOT / "generated" / "featbit" / "featbit_api" / "_client.py").read_text())
    imported = {
        (alias.asname or alias.name).split(".")[0]
        for node in tree.body
        if isinstance(node, (ast.Import, ast.ImportFrom)) and not (isinstance(node, ast.ImportFrom) and node.module == "__future__")
        for alias in node.names
    }
    assert imported == CLIENT_MODULE_NAMES


def test_resource_module_names_lists_what_every_generated_resource_module_imports() -> None:
    # A resource class of one of these names would hide it in its own module: it takes a suffix.
    import ast

    from generator.naming import RESOURCE_MODULE_NAMES

    imported: set[str] = set()
    for module in sorted((ROOT / "generated").glob("*/*/resources/*.py")):
        for node in ast.parse(module.read_text()).body:
            if isinstance(node, ast.ImportFrom) and node.module in ("__future__", "models"):
                continue
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                imported |= {(alias.asname or alias.name).split(".")[0] for alias in node.names}
    assert imported - {"__all__"} <= RESOURCE_MODULE_NAMES
    assert len(imported) >= 15  # the four packages between them use most of them


def test_a_field_named_like_a_type_in_its_annotations_gets_a_suffix() -> None:
    from generator.naming import attribute_name

    assert [attribute_name(name) for name in ("str", "datetime", "list", "date", "validate")] == [
        "str_", "datetime_", "list_", "date", "validate_"]


@pytest.mark.parametrize(
    ("value", "field", "problem"),
    [
        (5, {"type": "number"}, None),
        (2.5, {"type": "number"}, None),
        (True, {"type": "number"}, "True is not a number"),  # a bool is an int to Python, not to the API
        (1, {"type": "boolean"}, "1 is not a boolean"),
        (None, {"type": "string", "nullable": True}, None),
        (None, {"type": "string"}, "null, and the field is not nullable"),
        ("2024-05-06T07:08:09+02:00", {"type": "string", "format": "date-time"}, None),
        ("2024-05-06", {"type": "string", "format": "date"}, None),
        ([1, 2], {"type": "Ids"}, None),  # an alias of integer[]
        (["x"], {"type": "Ids"}, "'x' is not an integer"),
        ("dog", {"type": "Animal"}, None),  # a union of an enum and an object
        ({"name": "Rex"}, {"type": "Animal"}, None),
        (7, {"type": "Animal"}, "7 fits none of its one_of types"),
        (7, {"one_of": ["string", "Species"]}, "7 fits none of its one_of types"),
        ({"a": 1}, {"type": "map", "values": "integer"}, None),
        ("anything", {"type": "any"}, None),
        (None, {"type": "any"}, None),  # null is a value of any
        (1.0, {"type": "integer"}, None),  # as JSON Schema and pydantic read it
        (1.5, {"type": "integer"}, "1.5 is not an integer"),
        (["open"], {"type": "string[]", "enum": ["open", "closed"]}, None),  # the enum is the items'
        ("open", {"type": "string[]", "enum": ["open", "closed"]}, "'open' is not a list"),
        (["2024-05-06"], {"type": "string[]", "format": "date"}, None),
        ("2024-13-45T07:08:09Z", {"type": "string", "format": "date-time"}, "'2024-13-45T07:08:09Z' is not a date-time (write e.g. 2024-05-06T07:08:09Z)"),
        ("2024-05-06t07:08:09.5z", {"type": "string", "format": "date-time"}, None),
        ("1e+3", {"type": "number"}, "'1e+3' is text to YAML 1.1, not a number (write it with a dot and a signed exponent, 1.0e+3)"),
    ],
)
def test_an_example_fits_its_field_through_aliases_unions_and_enums(value: object, field: dict[str, object], problem: str | None) -> None:
    from generator.examples import misfit

    models = {
        "Ids": {"type": "integer[]"},
        "Species": {"enum": ["dog", "cat"]},
        "Pet": {"properties": {"name": "string"}},
        "Animal": {"one_of": ["Species", "Pet"]},
    }
    assert misfit(value, field, models) == problem
