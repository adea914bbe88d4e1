"""Rules about a spec's meaning that a JSON Schema cannot express. One small check per rule."""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterator
from typing import Any

from generator import naming
from generator.errors import Problem
from generator.load import Document, JsonPath
from generator.types import PRIMITIVES

PLACEHOLDER = re.compile(r"\{([^{}]*)\}")
_BUILTIN_TYPES = {*PRIMITIVES, "map"}


def check(document: Document) -> list[Problem]:
    """Every meaning problem in a schema-valid document."""
    return sorted(problem for rule in RULES for problem in rule(document))


def operations(spec: dict[str, Any]) -> Iterator[tuple[JsonPath, dict[str, Any]]]:
    for resource_name, resource in spec["resources"].items():
        for verb, operation in resource["operations"].items():
            yield ("resources", resource_name, "operations", verb), operation


def fields(spec: dict[str, Any]) -> Iterator[tuple[JsonPath, Any]]:
    """Every field, with where it was written: model properties, parameters, body properties.

    A field is a mapping, or a type expression alone (a str)."""
    for model_name, model in (spec.get("models") or {}).items():
        for name, field in (model.get("properties") or {}).items():
            yield ("models", model_name, "properties", name), field
    for path, operation in operations(spec):
        for name, param in (operation.get("params") or {}).items():
            yield (*path, "params", name), param
        for name, field in ((operation.get("body") or {}).get("properties") or {}).items():
            yield (*path, "body", "properties", name), field


def type_uses(spec: dict[str, Any]) -> Iterator[tuple[JsonPath, str]]:
    """Every type expression written in the spec, with where it was written."""
    for model_name, model in (spec.get("models") or {}).items():
        yield from _field_types(("models", model_name), model)
    for path, field in fields(spec):
        yield from _field_types(path, field)
    for path, operation in operations(spec):
        body = operation.get("body") or {}
        yield from _field_types((*path, "body"), {"type": body["type"]} if "type" in body else {})
        response = operation.get("response")
        if isinstance(response, str):
            yield (*path, "response"), response
        elif isinstance(response, dict) and "type" in response:
            yield (*path, "response", "type"), response["type"]


def _field_types(path: JsonPath, field: Any) -> Iterator[tuple[JsonPath, str]]:
    if isinstance(field, str):
        yield path, field
        return
    for key in ("type", "values"):
        if key in field:
            yield (*path, key), field[key]
    for index, member in enumerate(field.get("one_of", [])):
        yield (*path, "one_of", index), member


def check_type_references(document: Document) -> Iterator[Problem]:
    """Every model name used in a type expression is defined under models."""
    models = document.data.get("models") or {}
    for path, expression in type_uses(document.data):
        name = expression.replace("[]", "")
        if name not in _BUILTIN_TYPES and name not in models:
            close = difflib.get_close_matches(name, [*models, *_BUILTIN_TYPES], n=1, cutoff=0.6)
            hint = f"did you mean {close[0]!r}?" if close else "define it under models, or use a built-in type"
            yield document.problem(path, f"unknown type {name!r}", hint)


def check_path_parameters(document: Document) -> Iterator[Problem]:
    """Every {name} in a path is declared with in: path, and every path parameter is used."""
    for path, operation in operations(document.data):
        placeholders = PLACEHOLDER.findall(operation["path"])
        declared = {name for name, param in (operation.get("params") or {}).items() if param["in"] == "path"}
        for name in placeholders:
            if name not in declared:
                hint = f"add `{name}: {{in: path, type: string}}` under params" if name else "name the placeholder, e.g. {form_id}"
                yield document.problem((*path, "path"), f'path parameter "{name}" is not declared', hint)
        for name in sorted(declared - set(placeholders)):
            yield document.problem((*path, "params", name), f'path parameter "{name}" does not appear in the path', f"add {{{name}}} to the path or change in: to query")


def check_servers(document: Document) -> Iterator[Problem]:
    """An operation's server is one of the declared servers."""
    servers = list(document.data["servers"])
    for path, operation in operations(document.data):
        server = operation.get("server")
        if server is not None and server not in servers:
            yield document.problem((*path, "server"), f"unknown server {server!r}", f"use one of: {', '.join(servers)}")


def check_operation_auth(document: Document) -> Iterator[Problem]:
    """An operation says whether the API key goes with it only when the API has a key."""
    if document.data.get("auth"):
        return
    for path, operation in operations(document.data):
        if "auth" in operation:
            yield document.problem(
                (*path, "auth"),
                "the operation says how the API key is used, but the API declares no `auth:`",
                "declare the key under the top-level `auth:`, or remove this line",
            )


def check_pagination(document: Document) -> Iterator[Problem]:
    """paginate: true needs a top-level pagination, and each style its keys."""
    pagination = document.data.get("pagination")
    if pagination:
        needed = {"cursor": ("cursor_param", "next_cursor"), "page": ("page_param",)}[pagination["style"]]
        for key in needed:
            if key not in pagination:
                yield document.problem(("pagination",), f"{pagination['style']} pagination needs {key!r}", f"add `{key}:`", key=True)
    for path, operation in operations(document.data):
        if operation.get("paginate") and not pagination:
            yield document.problem((*path, "paginate"), "paginate: true but the spec has no pagination", "describe it under a top-level `pagination:`")
        if operation.get("paginate") and not operation.get("response"):
            yield document.problem((*path, "paginate"), "a paginated operation needs a response: the type of one item", "add `response: <ItemModel>`")


def check_files(document: Document) -> Iterator[Problem]:
    """``file`` is something to upload: a property of a request body, nothing else."""
    for path, expression in type_uses(document.data):
        if str(expression).replace("[]", "") != "file":
            continue
        field_path = path[:-1] if path[-1] == "type" else path
        if len(field_path) >= 3 and field_path[-3:-1] == ("body", "properties"):
            continue  # check_bodies: in a multipart body
        if "response" in path:
            hint = "downloads are not modelled: leave response: out and read the bytes with .with_raw_response"
        else:
            hint = "use string (a URL or base64 text), or move it into `body: {encoding: multipart, properties: ...}`"
        yield document.problem(path, "file is only for uploads: a property of a multipart request body", hint)


def check_patterns(document: Document) -> Iterator[Problem]:
    """Every ``pattern:`` is a regular expression (the clients check arguments against it)."""
    for path, field in fields(document.data):
        pattern = field.get("pattern") if isinstance(field, dict) else None
        if isinstance(pattern, str):
            try:
                re.compile(pattern)
            except re.error as error:
                yield document.problem((*path, "pattern"), f"pattern is not a valid regular expression: {error}", "write it in Python's re syntax")


def check_python_names(document: Document) -> Iterator[Problem]:
    """Resource, operation and python_name: names become Python identifiers as they are."""
    for name, resource in document.data["resources"].items():
        if name in naming.PYTHON_KEYWORDS:
            yield document.problem(("resources", name), f"resource name {name!r} is a Python keyword", f"rename it (e.g. {name}s)", key=True)
        for verb in resource["operations"]:
            if verb in naming.PYTHON_KEYWORDS:
                yield document.problem(("resources", name, "operations", verb), f"operation name {verb!r} is a Python keyword", f"rename it (e.g. {verb}_)", key=True)
    for path, field in fields(document.data):
        explicit = field.get("python_name") if isinstance(field, dict) else None
        if isinstance(explicit, str) and (explicit in naming.PYTHON_KEYWORDS or not explicit.isidentifier()):
            yield document.problem((*path, "python_name"), f"python_name {explicit!r} is not a usable Python name", f"use another (e.g. {explicit}_)")
        python = explicit or naming.attribute_name(str(path[-1]))
        if path[0] == "models" and python.startswith("_"):
            # pydantic takes a leading underscore for a private attribute, not a field.
            where = (*path, "python_name") if explicit else path
            yield document.problem(where, f"attribute name {python!r} starts with an underscore, which pydantic reserves", "set python_name: to a name that starts with a letter", key=not explicit)


def check_model_kinds(document: Document) -> Iterator[Problem]:
    """A model is exactly one of: object (properties), enum, union (one_of), alias (type)."""
    for name, model in (document.data.get("models") or {}).items():
        kinds = [key for key in ("properties", "enum", "one_of", "type") if key in model]
        if len(kinds) != 1:
            found = ", ".join(kinds) or "none of them"
            hint = "keep one of them" if kinds else "add properties: (an object), enum:, one_of: (a union) or type: (an alias)"
            yield document.problem(("models", name), f"a model needs exactly one of properties, enum, one_of or type (found {found})", hint, key=True)


def check_maps(document: Document) -> Iterator[Problem]:
    """``values`` goes with ``type: map`` and nowhere else."""
    for path, _expression in type_uses(document.data):
        if path[-1] == "values":
            owner = _at(document.data, path[:-1])
            if isinstance(owner, dict) and owner.get("type") != "map":
                yield document.problem(path, "values: only applies to type: map", "set `type: map` or remove values:")


def check_bodies(document: Document) -> Iterator[Problem]:
    """A body is either properties or one type; files only travel in multipart bodies."""
    for path, operation in operations(document.data):
        body = operation.get("body")
        if body is None:
            continue
        if ("properties" in body) == ("type" in body):
            found = "both" if "properties" in body else "neither"
            message = f"a body needs properties: or type: (found {found})"
            yield document.problem((*path, "body"), message, "use properties: for named fields, type: for one value", key=True)
        if "name" in body and "type" not in body:
            yield document.problem((*path, "body", "name"), "name: only applies to a body with type:", "remove name:")
        for field_name, field in (body.get("properties") or {}).items():
            expression = field if isinstance(field, str) else field.get("type", "")
            if str(expression).rstrip("[]") == "file" and body.get("encoding") != "multipart":
                yield document.problem((*path, "body", "properties", field_name), "a file can only be sent in a multipart body", "add `encoding: multipart` to the body")


def check_argument_names(document: Document) -> Iterator[Problem]:
    """The arguments of one method have distinct Python names."""
    for path, operation in operations(document.data):
        seen: dict[str, str] = {}
        body = operation.get("body") or {}
        named: list[tuple[tuple[str, ...], str, Any]] = [(("params", wire), wire, spec) for wire, spec in (operation.get("params") or {}).items()]
        named += [(("body", "properties", wire), wire, spec) for wire, spec in (body.get("properties") or {}).items()]
        if "type" in body:
            named.append((("body",), body.get("name", "body"), {}))
        for where, wire, spec in named:
            explicit = spec.get("python_name") if isinstance(spec, dict) else None
            python = explicit or naming.argument_name(wire)
            if python in seen:
                yield document.problem((*path, *where), f"argument name {python!r} is used twice (also by {seen[python]!r})", "set python_name: on one of them", key=True)
            seen[python] = wire


def check_field_names(document: Document) -> Iterator[Problem]:
    """The fields of one model have distinct Python names."""
    for model_name, model in (document.data.get("models") or {}).items():
        seen: dict[str, str] = {}
        for wire, spec in (model.get("properties") or {}).items():
            explicit = spec.get("python_name") if isinstance(spec, dict) else None
            python = explicit or naming.attribute_name(wire)
            if python in seen:
                where = ("models", model_name, "properties", wire)
                yield document.problem(where, f"attribute name {python!r} is used twice (also by {seen[python]!r})", "set python_name: on one of them", key=True)
            seen[python] = wire


def check_reserved_names(document: Document) -> Iterator[Problem]:
    """Model and resource names do not collide with what the generated package defines."""
    for name in document.data.get("models") or {}:
        if name in naming.RESERVED_MODELS or name in (document.data["client"], naming.async_class_name(document.data["client"])):
            yield document.problem(("models", name), f"model name {name!r} is taken by the generated code", "rename the model", key=True)
    models = document.data.get("models") or {}
    for name in document.data["resources"]:
        if name in naming.RESERVED_RESOURCES:
            yield document.problem(("resources", name), f"resource name {name!r} is taken by the client itself", "rename the resource", key=True)
        for class_name in (naming.class_name(name), naming.async_class_name(naming.class_name(name))):
            if class_name in models:
                message = f"resource {name!r} becomes class {class_name}, which is also a model name"
                yield document.problem(("resources", name), message, "rename the resource or the model", key=True)


def _at(data: Any, path: JsonPath) -> Any:
    for part in path:
        data = data[part]
    return data


RULES: tuple[Callable[[Document], Iterator[Problem]], ...] = (
    check_type_references,
    check_path_parameters,
    check_servers,
    check_operation_auth,
    check_pagination,
    check_files,
    check_patterns,
    check_python_names,
    check_model_kinds,
    check_maps,
    check_bodies,
    check_argument_names,
    check_field_names,
    check_reserved_names,
)
