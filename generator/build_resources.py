"""The resources and operations of a spec -> ir.Resource: arguments, paths, imports."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from generator import ir, naming
from generator.imports import import_name_order, import_sections
from generator.shapes import documented_status
from generator.types import FORMATS, Mode, PyType, TypeResolver

# The methods HTTP defines as safe to repeat (RFC 9110 9.2.2): retried on any retryable failure.
IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "PUT", "DELETE", "OPTIONS"})

PLACEHOLDER = re.compile(r"\{([^{}]+)\}")
# Every resource module defines with_raw_response as a cached_property.
RESOURCE_BASE_NEEDS = frozenset({"cached_property"})


def text(value: Any) -> str:
    """Spec prose, trimmed."""
    return str(value or "").strip()


def describe(details: dict[str, Any]) -> str:
    """The description, plus the documented default and allowed values a reader needs."""
    parts = [text(details.get("description"))]
    if "default" in details and "default" not in parts[0].lower():
        parts.append(f"Defaults to {details['default']!r} on the server.".replace("True", "true").replace("False", "false"))
    return " ".join(part for part in parts if part)


def resource(name: str, spec: dict[str, Any], resolver: TypeResolver, servers: tuple[ir.Server, ...], error_codes: dict[str, int]) -> ir.Resource:
    """One resource of the spec, its operations and the imports its module needs.

    ``error_codes`` maps each code of the spec's ``errors.codes`` to its status.
    """
    items = _item_paths(spec["operations"].values())
    operations = tuple(_operation(verb, operation, resolver, servers, error_codes, items) for verb, operation in spec["operations"].items())
    needs: set[str] = set()
    for operation in spec["operations"].values():
        needs |= _operation_needs(operation, resolver)
    if _has_raw_responses(operations):
        needs.add("Final")  # the raw-response methods are declared Final, not left to inference
    params = sorted(((naming.param_name(model), model) for model in resolver.params if naming.param_name(model) in needs), key=lambda pair: import_name_order(pair[0]))
    if params:
        needs.add("TYPE_CHECKING")
    return ir.Resource(
        name=name,
        class_name=naming.resource_class_name(name, resolver.models),
        async_class_name=naming.async_class_name(naming.resource_class_name(name, resolver.models)),
        description=text(spec.get("description")),
        operations=operations,
        imports=import_sections(frozenset(needs) | RESOURCE_BASE_NEEDS, set(resolver.models), _runtime_names(operations)),
        params=tuple(params),
    )


def argument_models(resources: dict[str, Any], resolver: TypeResolver) -> set[str]:
    """The models named in the type of some operation's argument (lists and maps included)."""
    names: set[str] = set()
    for spec in resources.values():
        for operation in spec["operations"].values():
            for argument, mode in _argument_specs(operation):
                names |= resolver.constrained(argument, mode).needs
    return names & resolver.models.keys()


def _runtime_names(operations: tuple[ir.Operation, ...]) -> dict[str, set[str]]:
    """What a resource module takes from the package's runtime modules."""
    types = {"Endpoint", "RequestOptions"}
    checks = {"validate_arguments"}
    arguments = [argument for operation in operations for argument in operation.arguments]
    if any(not argument.required for argument in arguments):
        types |= {"NOT_GIVEN", "NotGiven"}
    if any("FileInput" in argument.annotation for argument in arguments):
        checks.add("FileInput")
    if any(re.search(r"\bNumber\b", argument.annotation) for argument in arguments):
        checks.add("Number")
    if any(re.search(r"\bHeaderText\b", argument.annotation) for argument in arguments):
        checks.add("HeaderText")
    if any(argument.prefix for argument in arguments):
        checks.add("prefixed")
    names = {
        ".._arguments": checks,
        ".._types": types,
        ".._runtime": {"AsyncResource", "SyncResource"},
    }
    if _has_raw_responses(operations):
        names[".._response"] = {"async_to_raw_response", "to_raw_response"}
    if any(operation.paginate for operation in operations):
        names[".._pagination"] = {"AsyncPager", "Pager"}
    return names


def _has_raw_responses(operations: tuple[ir.Operation, ...]) -> bool:
    """Whether the resource's with_raw_response has methods: paginated lists have no raw form."""
    return not all(operation.paginate for operation in operations)


def _operation_needs(operation: dict[str, Any], resolver: TypeResolver) -> set[str]:
    needs: set[str] = set()
    for spec, mode in _argument_specs(operation):
        needs |= resolver.constrained(spec, mode).needs
    response = _response(operation)
    if response.get("type"):
        needs |= resolver.expression(response["type"], "response").needs
    return needs


def _argument_specs(operation: dict[str, Any]) -> list[tuple[Any, Mode]]:
    """Each argument's spec, with the mode its type is resolved in."""
    body = operation.get("body") or {}
    specs = [(_param_spec(spec), _mode(spec["in"])) for spec in (operation.get("params") or {}).values()]
    specs += [(spec, "argument") for spec in (body.get("properties") or {}).values()]
    if "type" in body:
        specs.append((body["type"], "argument"))
    return specs


def _mode(location: str) -> Mode:
    return "header" if location == "header" else "argument"


def _response(operation: dict[str, Any]) -> dict[str, Any]:
    response = operation.get("response")
    if isinstance(response, str):
        return {"type": response}
    return dict(response or {})


def _operation(
    verb: str, operation: dict[str, Any], resolver: TypeResolver, servers: tuple[ir.Server, ...], error_codes: dict[str, int], items: set[str]
) -> ir.Operation:
    response = _response(operation)
    paginate = bool(operation.get("paginate"))
    response_type = resolver.expression(response["type"], "response").annotation if response.get("type") else ""
    # For readers (README): the builtins. prefix only matters inside resource classes.
    display = response_type.replace("builtins.list[", "list[") or "None"
    arguments = _arguments(operation, resolver, items)
    wire_to_python = {argument.wire_name: argument.name for argument in arguments if argument.location == "path"}
    path = PLACEHOLDER.sub(lambda match: "{" + wire_to_python.get(match.group(1), match.group(1)) + "}", operation["path"])
    server = operation.get("server", servers[0].name)
    return ir.Operation(
        name=verb,
        constant=naming.constant_name(verb),
        summary=text(operation.get("summary")).rstrip(".") or f"{operation['method']} {operation['path']}",
        description=text(operation.get("description")),
        method=operation["method"],
        path=path,
        server=server,
        arguments=arguments,
        response_type=response_type,
        return_annotation=response_type or "None",
        display_type=display,
        returns=text(response.get("description")),
        status=int(response.get("status", 0)),
        paginate=paginate,
        idempotent=_idempotent(operation),
        auth=operation.get("auth", "required"),
        encoding=(operation.get("body") or {}).get("encoding", "json"),
        unverified=text(operation.get("unverified")),
        deprecated=bool(operation.get("deprecated")),
        errors=tuple(_documented_error(str(key), text(value), error_codes) for key, value in (operation.get("errors") or {}).items()),
    )


def _documented_error(key: str, description: str, error_codes: dict[str, int]) -> ir.DocumentedError:
    """An operation's ``errors:`` entry: a code of errors.codes, or a status (404)."""
    status = documented_status(key, error_codes)
    if status is None:
        return ir.DocumentedError("APIStatusError", key, description)  # lint warns: undocumented-error-code
    return ir.DocumentedError(naming.exception_class(status), key if key == str(status) else f"{key} {status}", description)


def _arguments(operation: dict[str, Any], resolver: TypeResolver, items: set[str]) -> tuple[ir.Argument, ...]:
    own_id = _own_identifier(operation["path"], items)
    params = operation.get("params") or {}
    body = operation.get("body") or {}
    encoding = body.get("encoding", "json")
    arguments = [_param_argument(wire, spec, resolver, wire == own_id) for wire, spec in params.items()]
    if "type" in body:
        whole = {"type": body["type"], "required": True, "description": body.get("description", "")}
        arguments.append(_argument(body.get("name", "body"), body.get("name", "body"), whole, "body", resolver, positional=True))
    for wire, spec in (body.get("properties") or {}).items():
        location = "file" if _is_file(spec) else ("form" if encoding in ("form", "multipart") else "json")
        arguments.append(_argument(wire, _python_name(wire, spec), spec, location, resolver, positional=False))
    positional = [argument for argument in arguments if argument.positional]
    keyword = [argument for argument in arguments if not argument.positional]
    keyword.sort(key=lambda argument: not argument.required)  # stable: spec order within each group
    return tuple(positional + keyword)


def _own_identifier(path: str, items: set[str]) -> str:
    """The operation's own identifier, positional in its method; "" when it has none.

    The path parameter the path ends with (``/flags/{key}``), or the item an action
    acts on (``/flags/{key}/archive``): the last one, when the resource has an
    operation on that item itself. Otherwise the trailing words name another
    collection (``/projects/{project_id}/flags``) and the parameter is its parent's.
    """
    segments = path.rstrip("/").split("/")
    for end in range(len(segments), 0, -1):
        if match := PLACEHOLDER.fullmatch(segments[end - 1]):
            is_item = end == len(segments) or _shape("/".join(segments[:end])) in items
            return match.group(1) if is_item else ""
    return ""


def _item_paths(operations: Iterable[dict[str, Any]]) -> set[str]:
    """The paths (placeholders unnamed) of a resource's operations on one item: they end with a parameter."""
    return {_shape(operation["path"]) for operation in operations if _own_identifier(operation["path"], set())}


def _shape(path: str) -> str:
    """A path with its placeholders unnamed and no trailing slash: ``/flags/{}``."""
    return PLACEHOLDER.sub("{}", path.rstrip("/"))


def _is_file(spec: Any) -> bool:
    expression = spec if isinstance(spec, str) else spec.get("type", "")
    return str(expression).rstrip("[]") == "file"


def _python_name(wire: str, spec: Any) -> str:
    explicit = spec.get("python_name") if isinstance(spec, dict) else None
    return explicit or naming.argument_name(wire)


def _param_argument(wire: str, spec: dict[str, Any], resolver: TypeResolver, own_id: bool) -> ir.Argument:
    # A flag is never positional: toggle(True) says nothing where it is called.
    own_id = own_id and spec.get("type") != "boolean"
    return _argument(wire, _python_name(wire, spec), _param_spec(spec), spec["in"], resolver, positional=own_id)


def _param_spec(spec: dict[str, Any]) -> dict[str, Any]:
    """A path parameter is required, and a string one is never empty (``/items/`` is another URL).

    A date or date-time is a ``datetime`` object as an argument, which has no length."""
    if spec["in"] != "path":
        return spec
    if spec.get("type", "string") == "string" and spec.get("format") not in FORMATS:
        return {**spec, "required": True, "min_length": spec.get("min_length", 1)}
    return {**spec, "required": True}


# Where an argument goes, for an Args: line when the spec has no description of it.
_WHERE = {
    "path": "The ``{{{wire}}}`` segment of the path.",
    "query": "The ``{wire}`` query parameter.",
    "header": "Sent as the ``{wire}`` header.",
    "json": "The ``{wire}`` field of the request body.",
    "form": "The ``{wire}`` form field.",
    "file": "The ``{wire}`` file of the upload.",
    "body": "The request body.",
}


def _undocumented(wire: str, location: str, details: dict[str, Any]) -> str:
    """What can be said of an argument the spec does not describe: where it goes, its default."""
    return " ".join(part for part in (_WHERE[location].format(wire=wire), describe(details)) if part)


def _argument(wire: str, name: str, spec: Any, location: Any, resolver: TypeResolver, *, positional: bool) -> ir.Argument:
    details = spec if isinstance(spec, dict) else {}
    annotation: PyType = resolver.constrained(spec, _mode(location))
    return ir.Argument(
        name=name,
        wire_name=wire,
        location=location,
        annotation=annotation.annotation,
        required=bool(details.get("required")),
        positional=positional,
        description=describe(details) if text(details.get("description")) else _undocumented(wire, location, details),
        prefix=details.get("prefix", ""),
        secret=bool(details.get("secret")),
    )


def _idempotent(operation: dict[str, Any]) -> bool | None:
    """``idempotent:`` where it departs from what the method says, else None (the method decides)."""
    given = operation.get("idempotent")
    return None if given is None or given == (operation["method"] in IDEMPOTENT_METHODS) else bool(given)
