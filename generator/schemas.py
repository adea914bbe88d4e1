"""Spec types -> JSON Schema (draft 2020-12, the dialect of OpenAPI 3.1).

One conversion, shared by the OpenAPI export and the mock server, so the document
a tool reads and the checks the mock makes can never disagree. Model names become
``{"$ref": "#/components/schemas/<Name>"}``; ``validation_schema`` embeds the
components so that jsonschema resolves those references on its own.
"""

from __future__ import annotations

from typing import Any

Schema = dict[str, Any]

REF_PREFIX = "#/components/schemas/"
FILE: Schema = {"type": "string", "format": "binary", "contentMediaType": "application/octet-stream"}
_PRIMITIVES: dict[str, Schema] = {
    "string": {"type": "string"},
    "integer": {"type": "integer"},
    "number": {"type": "number"},
    "boolean": {"type": "boolean"},
    "any": {},
    "file": FILE,
}
# Constraints on the innermost value (a string or number) and on the array around it.
_SCALAR_KEYWORDS = {"min_length": "minLength", "max_length": "maxLength", "pattern": "pattern", "minimum": "minimum", "maximum": "maximum"}
_ARRAY_KEYWORDS = {"min_items": "minItems", "max_items": "maxItems"}
# JSON kinds of the primitive type names; integer and number overlap, so they share one.
_KINDS = {"string": "string", "file": "string", "integer": "number", "number": "number", "boolean": "boolean", "map": "object"}


def type_schema(expression: str, values: str | None = None) -> Schema:
    """``Step[]`` -> an array of ``$ref`` Step; ``map`` -> an object whose values are ``values``."""
    base, depth = split_arrays(expression)
    schema = _base_schema(base, values)
    for _ in range(depth):
        schema = {"type": "array", "items": schema}
    return schema


def split_arrays(expression: str) -> tuple[str, int]:
    """``Step[][]`` -> ``("Step", 2)``."""
    depth = 0
    while expression.endswith("[]"):
        expression, depth = expression[:-2], depth + 1
    return expression, depth


def _base_schema(name: str, values: str | None) -> Schema:
    if name == "map":
        return {"type": "object", "additionalProperties": type_schema(values or "any")}
    if name in _PRIMITIVES:
        return dict(_PRIMITIVES[name])
    return {"$ref": REF_PREFIX + name}


def union_schema(members: list[str]) -> Schema:
    """``oneOf`` when the members can never match the same value, else ``anyOf``."""
    schemas = [type_schema(member) for member in members]
    kinds = [_kind(member) for member in members]
    # A model may be anything (an enum of strings, an object ...), so it never proves disjointness.
    disjoint = None not in kinds and len(set(kinds)) == len(kinds)
    return {"oneOf" if disjoint else "anyOf": schemas}


def _kind(expression: str) -> str | None:
    base, depth = split_arrays(expression)
    return "array" if depth else _KINDS.get(base)


def field_schema(field: Any, *, writing: bool = False) -> Schema:
    """A field or parameter (type expression or mapping): format, enum, constraints, nullability and docs."""
    if isinstance(field, str):
        return type_schema(field)
    base, depth = split_arrays(field.get("type", "any"))
    scalar = union_schema(field["one_of"]) if "one_of" in field else _base_schema(base, field.get("values"))
    if "format" in field and base == "string":
        scalar["format"] = field["format"]
    if "enum" in field:
        scalar["enum"] = list(field["enum"])
    scalar.update({keyword: field[key] for key, keyword in _SCALAR_KEYWORDS.items() if key in field})
    schema = scalar
    for _ in range(depth):
        schema = {"type": "array", "items": schema}
    if depth:
        schema.update({keyword: field[key] for key, keyword in _ARRAY_KEYWORDS.items() if key in field})
    if field.get("nullable"):
        schema = nullable(schema)
    return {**schema, **_annotations(field, writing)}


def nullable(schema: Schema) -> Schema:
    """The schema, or null: a type array where it can be, else ``oneOf`` with null."""
    kind = schema.get("type")
    if not schema:
        return schema  # any already admits null
    if isinstance(kind, str) and "$ref" not in schema:
        result = {**schema, "type": [kind, "null"]}
        if "enum" in schema:
            result["enum"] = [*schema["enum"], None]
        return result
    for union in ("oneOf", "anyOf"):
        if set(schema) == {union}:
            return {union: [*schema[union], {"type": "null"}]}
    return {"oneOf": [schema, {"type": "null"}]}


def _annotations(field: dict[str, Any], writing: bool) -> Schema:
    result: Schema = {}
    if field.get("description"):
        result["description"] = str(field["description"]).strip()
    if "default" in field:
        result["default"] = field["default"]
    if "example" in field:
        result["examples"] = [field["example"]]
    if field.get("deprecated"):
        result["deprecated"] = True
    if field.get("secret"):
        # A credential: tools should mask it; in a request it is only ever written.
        result["x-secret"] = True
        if writing:
            result["writeOnly"] = True
    return result


def object_schema(properties: dict[str, Any], *, writing: bool = False) -> Schema:
    """Fields by wire name -> an object schema with its ``required`` list (unknown keys allowed)."""
    schema: Schema = {
        "type": "object",
        "properties": {name: field_schema(field, writing=writing) for name, field in properties.items()},
    }
    required = [name for name, field in properties.items() if isinstance(field, dict) and field.get("required")]
    if required:
        schema["required"] = required
    return schema


def enum_schema(values: list[Any]) -> Schema:
    """An enumeration, typed by its values."""
    kinds = sorted({"integer" if isinstance(value, int) else "string" for value in values})
    return {"type": kinds[0] if len(kinds) == 1 else kinds, "enum": list(values)}


def model_schema(model: dict[str, Any]) -> Schema:
    """One named model: object, enum, union or alias."""
    if "properties" in model:
        schema = object_schema(model["properties"])
    elif "enum" in model:
        schema = enum_schema(model["enum"])
    elif "one_of" in model:
        schema = union_schema(model["one_of"])
    else:
        schema = type_schema(model.get("type", "any"), model.get("values"))
    if model.get("description"):
        schema["description"] = str(model["description"]).strip()
    if model.get("unverified"):
        schema["x-unverified"] = str(model["unverified"]).strip()
    return schema


def model_schemas(spec: dict[str, Any]) -> dict[str, Schema]:
    """Every model of the spec, by name, in spec order."""
    return {name: model_schema(model) for name, model in (spec.get("models") or {}).items()}


def param_schema(param: dict[str, Any]) -> Schema:
    """The schema of a parameter's value (its description belongs to the parameter, not here)."""
    schema = field_schema(param)
    schema.pop("description", None)
    if param.get("prefix"):
        schema["pattern"] = "^" + _escape(param["prefix"])
    return schema


def _escape(text: str) -> str:
    """Escape for a regex that both ECMA-262 and Python read the same way."""
    return "".join("\\" + char if char in "\\^$.|?*+()[]{}/" else char for char in text)


def body_schema(body: dict[str, Any]) -> Schema:
    """The request body: an object of its properties, or the one value of ``type``."""
    if "properties" in body:
        return object_schema(body["properties"], writing=True)
    schema = type_schema(body["type"])
    if body.get("description"):
        schema["description"] = str(body["description"]).strip()
    return schema


def body_required(body: dict[str, Any]) -> bool:
    """A whole-value body, or one with a required property, must be sent."""
    properties = body.get("properties")
    if properties is None:
        return True
    return any(isinstance(field, dict) and field.get("required") for field in properties.values())


def success_response(operation: dict[str, Any]) -> tuple[str | None, int, str]:
    """The operation's documented success: (type or None, status, description)."""
    response = operation.get("response")
    if isinstance(response, str):
        return response, 200, ""
    response = response or {}
    kind = response.get("type")
    return kind, int(response.get("status", 200 if kind else 204)), str(response.get("description") or "").strip()


def validation_schema(schema: Schema, components: dict[str, Schema]) -> Schema:
    """``schema`` with the components embedded, so its ``$ref`` pointers resolve inside it."""
    return {**schema, "components": {"schemas": components}}
