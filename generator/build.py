"""Document -> ir.Api. The only module that knows the spec's shape."""

from __future__ import annotations

import re
from typing import Any

from generator import ir, naming
from generator.load import Document
from generator.types import PyType, TypeResolver, literal_of

DEFAULT_VERSION = "0.1.0"
PLACEHOLDER = re.compile(r"\{([^{}]+)\}")
# Typing and library names a module may need, and the import line that provides each.
IMPORT_SOURCES = {
    "Any": "from typing import Any",
    "Literal": "from typing import Literal",
    "Annotated": "from typing import Annotated",
    "datetime": "import datetime",
    "builtins": "import builtins",
    "Field": "from pydantic import Field",
    "cached_property": "from functools import cached_property",
}
# The exception tree every client has; documented codes are attached by status.
EXCEPTION_TREE = (
    ("BadRequestError", "400", "The request was malformed or missing a required parameter."),
    ("AuthenticationError", "401", "The API key (or token) is missing, wrong or revoked."),
    ("PermissionDeniedError", "403", "The key is valid but not allowed to do this."),
    ("NotFoundError", "404", "The resource does not exist (or is not visible to this key)."),
    ("ConflictError", "409", "The request conflicts with the current state of the resource."),
    ("UnprocessableEntityError", "422", "The request was well-formed but semantically invalid."),
    ("RateLimitError", "429", "Too many requests; retried automatically, raised when retries run out."),
    ("InternalServerError", "5xx", "The server failed; retried automatically, raised when retries run out."),
)


def build(document: Document) -> ir.Api:
    """Turn a valid, checked spec into the IR."""
    spec: dict[str, Any] = document.data
    models: dict[str, Any] = spec.get("models") or {}
    resolver = TypeResolver(models)
    client = spec["client"]
    env_prefix = spec.get("env_prefix") or client.upper()
    built_models = tuple(_model(name, model, resolver) for name, model in _model_order(models))
    servers = tuple(_server(index, name, server, env_prefix) for index, (name, server) in enumerate(spec["servers"].items()))
    return ir.Api(
        source=_spec_path(document.file),
        title=spec["title"],
        description=_text(spec.get("description")),
        version=str(spec.get("version", DEFAULT_VERSION)),
        docs_url=spec.get("docs_url", ""),
        package=spec["package"],
        distribution=naming.distribution_name(spec["package"]),
        client_class=client,
        async_client_class=naming.async_class_name(client),
        env_prefix=env_prefix,
        log_env=f"{env_prefix}_LOG",
        https_only=bool(spec.get("https_only", False)),
        idempotency_header=spec.get("idempotency_header", ""),
        servers=servers,
        auth=_auth(spec.get("auth"), env_prefix),
        **_error_shape(spec),
        **_envelope(spec.get("envelope") or {}),
        **_pagination(spec.get("pagination") or {}),
        partial_success_status=int((spec.get("partial_success") or {}).get("status", 0)),
        partial_success_warning=(spec.get("partial_success") or {}).get("warning", ""),
        exceptions=_exceptions((spec.get("errors") or {}).get("codes") or {}),
        models=built_models,
        model_imports=_model_imports(built_models, models, resolver),
        resources=tuple(_resource(name, resource, TypeResolver(models, "builtins.list"), servers) for name, resource in spec["resources"].items()),
    )


def _spec_path(file: str) -> str:
    """The spec's path as written in headers: ``specs/<api>.yaml`` however it was named."""
    return f"specs/{file.rsplit('/', 1)[-1]}"


def _text(value: Any) -> str:
    return str(value or "").strip()


def _server(index: int, name: str, server: dict[str, Any], env_prefix: str) -> ir.Server:
    argument = "base_url" if index == 0 else f"{name}_base_url"
    default_env = f"{env_prefix}_BASE_URL" if index == 0 else f"{env_prefix}_{name.upper()}_BASE_URL"
    return ir.Server(name, argument, server.get("url", ""), server.get("env", default_env), _text(server.get("description")))


def _auth(auth: dict[str, Any] | None, env_prefix: str) -> ir.Auth | None:
    if not auth:
        return None
    return ir.Auth(
        location=auth.get("in", "header"),
        name=auth["name"],
        format=auth.get("format", "{key}"),
        env=auth.get("env", f"{env_prefix}_API_KEY"),
        description=_text(auth.get("description")),
    )


def _error_shape(spec: dict[str, Any]) -> dict[str, Any]:
    errors = spec.get("errors") or {}
    return {"error_message": errors.get("message", ""), "error_code": errors.get("code", ""), "error_details": errors.get("details", "")}


def _envelope(envelope: dict[str, Any]) -> dict[str, Any]:
    return {
        "envelope_data": envelope.get("data", ""),
        "envelope_success": envelope.get("success", ""),
        "envelope_errors": envelope.get("errors", ""),
    }


def _pagination(pagination: dict[str, Any]) -> dict[str, Any]:
    return {
        "pagination_style": pagination.get("style", ""),
        "pagination_items": pagination.get("items", ""),
        "pagination_cursor_param": pagination.get("cursor_param", ""),
        "pagination_next_cursor": pagination.get("next_cursor", ""),
        "pagination_has_more": pagination.get("has_more", ""),
        "pagination_page_param": pagination.get("page_param", ""),
        "pagination_size_param": pagination.get("size_param", ""),
        "pagination_first_page": int(pagination.get("first_page", 1)),
        "pagination_total": pagination.get("total", ""),
    }


def _exceptions(codes: dict[str, Any]) -> tuple[ir.ExceptionClass, ...]:
    by_status: dict[str, list[ir.ErrorCode]] = {}
    for code, details in codes.items():
        status = int(details["status"])
        key = "5xx" if status >= 500 else str(status)
        by_status.setdefault(key, []).append(ir.ErrorCode(code, status, _text(details.get("description"))))
    classes = [ir.ExceptionClass(name, "APIStatusError", status, text, tuple(by_status.pop(status, []))) for name, status, text in EXCEPTION_TREE]
    leftover = tuple(code for status in sorted(by_status) for code in by_status[status])
    base = ir.ExceptionClass("APIStatusError", "APIError", "", "Any other error status.", leftover)
    return (base, *classes)


# Models -----------------------------------------------------------------------------


def _model_order(models: dict[str, Any]) -> list[tuple[str, Any]]:
    """Aliases of plain types first (objects may use them in annotations evaluated at import)."""
    simple = [(name, model) for name, model in models.items() if "properties" not in model and not _refers_to_models(model, models)]
    rest = [(name, model) for name, model in models.items() if (name, model) not in simple]
    return simple + rest


def _refers_to_models(model: dict[str, Any], models: dict[str, Any]) -> bool:
    names = [model.get("type", ""), model.get("values", ""), *model.get("one_of", [])]
    return any(str(name).rstrip("[]") in models for name in names)


def _model(name: str, model: dict[str, Any], resolver: TypeResolver) -> ir.Model:
    description = _text(model.get("description"))
    unverified = _text(model.get("unverified"))
    if "enum" in model:
        return ir.Model(name, "enum", description, (), literal_of(model["enum"]), unverified)
    if "one_of" in model:
        union = resolver.field({"one_of": model["one_of"]}, "response").annotation
        return ir.Model(name, "union", description, (), union, unverified)
    if "properties" not in model:
        alias = resolver.field({key: model[key] for key in ("type", "values") if key in model}, "response").annotation
        return ir.Model(name, "alias", description, (), alias, unverified)
    fields = tuple(_field(wire, spec, resolver) for wire, spec in model["properties"].items())
    return ir.Model(name, "object", description, fields, "", unverified)


def _field(wire_name: str, spec: Any, resolver: TypeResolver) -> ir.Field:
    details = spec if isinstance(spec, dict) else {}
    required = bool(details.get("required"))
    annotation = resolver.field(spec, "response").annotation
    if not required and not annotation.endswith("| None"):
        annotation = f"{annotation} | None"
    name = details.get("python_name") or naming.attribute_name(wire_name)
    secret = bool(details.get("secret"))
    return ir.Field(
        name=name,
        wire_name=wire_name,
        annotation=annotation,
        required=required,
        description=_describe(details),
        secret=secret,
        deprecated=bool(details.get("deprecated")),
        field_arguments=_field_arguments(name, wire_name, required, secret),
    )


def _field_arguments(name: str, wire_name: str, required: bool, secret: bool) -> tuple[str, ...]:
    arguments = [] if required else ["default=None"]
    if wire_name != name:
        arguments.append(f"alias={wire_name!r}".replace("'", '"'))
    if secret:
        arguments.append("repr=False")
    # ``x: T = None`` reads better than ``x: T = Field(default=None)``.
    return () if arguments == ["default=None"] else tuple(arguments)


def _describe(details: dict[str, Any]) -> str:
    """The description, plus the documented default and allowed values a reader needs."""
    parts = [_text(details.get("description"))]
    if "default" in details and "default" not in parts[0].lower():
        parts.append(f"Defaults to {details['default']!r} on the server.".replace("True", "true").replace("False", "false"))
    return " ".join(part for part in parts if part)


def _model_imports(built: tuple[ir.Model, ...], models: dict[str, Any], resolver: TypeResolver) -> tuple[str, ...]:
    needs = frozenset().union(*(_model_needs(model, resolver) for model in models.values()))
    if any(field.field_arguments for model in built for field in model.fields):
        needs |= {"Field"}
    return _imports(needs - set(models), set())


def _model_needs(model: dict[str, Any], resolver: TypeResolver) -> frozenset[str]:
    specs = list((model.get("properties") or {}).values())
    if "properties" not in model:
        specs.append({key: model[key] for key in ("type", "values", "one_of") if key in model})
    needs = frozenset({"Literal"}) if "enum" in model else frozenset()
    return needs.union(*(resolver.field(spec, "response").needs for spec in specs)) if specs else needs


def _imports(needs: frozenset[str], models: set[str], runtime: dict[str, set[str]] | None = None) -> tuple[str, ...]:
    """Import lines for the names a module uses: standard library, pydantic, then the package."""
    lines = _merged(sorted({IMPORT_SOURCES[name] for name in needs if name in IMPORT_SOURCES}, key=_import_group))
    for module, names in sorted((runtime or {}).items()):
        lines.append(f"from {module} import {', '.join(sorted(names, key=_import_name_order))}")
    used_models = sorted(name for name in needs if name in models)
    if used_models:
        lines.append(f"from ..models import {', '.join(used_models)}")
    return tuple(lines)


RESOURCE_BASE_NEEDS = frozenset({"cached_property"})


def _merged(lines: list[str]) -> list[str]:
    """``from typing import A`` + ``from typing import B`` -> ``from typing import A, B``."""
    merged: dict[str, list[str]] = {}
    for line in lines:
        if line.startswith("from "):
            module, names = line[len("from ") :].split(" import ")
            merged.setdefault(f"from {module} import ", []).append(names)
        else:
            merged[line] = []
    return [head + ", ".join(sorted(names)) if names else head for head, names in merged.items()]


def _import_group(line: str) -> tuple[int, int, str]:
    return (1 if "pydantic" in line else 0, 0 if line.startswith("import ") else 1, line)


def _import_name_order(name: str) -> tuple[bool, str]:
    # isort's order: CONSTANTS, then Classes, then functions.
    return (not name.isupper(), name.lower() if not name[:1].isupper() else name)


# Resources and operations -----------------------------------------------------------


def _resource(name: str, resource: dict[str, Any], resolver: TypeResolver, servers: tuple[ir.Server, ...]) -> ir.Resource:
    operations = tuple(_operation(verb, operation, resolver, servers) for verb, operation in resource["operations"].items())
    needs: set[str] = set()
    for operation in resource["operations"].values():
        needs |= _operation_needs(operation, resolver)
    return ir.Resource(
        name=name,
        class_name=naming.class_name(name),
        async_class_name=naming.async_class_name(naming.class_name(name)),
        description=_text(resource.get("description")),
        operations=operations,
        imports=_imports(frozenset(needs) | RESOURCE_BASE_NEEDS, set(resolver.models), _runtime_names(operations)),
    )


def _runtime_names(operations: tuple[ir.Operation, ...]) -> dict[str, set[str]]:
    """What a resource module takes from the package's runtime modules."""
    types = {"Endpoint", "RequestOptions", "validate_arguments"}
    arguments = [argument for operation in operations for argument in operation.arguments]
    if any(not argument.required for argument in arguments):
        types |= {"NOT_GIVEN", "NotGiven"}
    if any("FileInput" in argument.annotation for argument in arguments):
        types.add("FileInput")
    if any(argument.prefix for argument in arguments):
        types.add("prefixed")
    names = {
        ".._types": types,
        ".._runtime": {"AsyncResource", "SyncResource"},
        ".._response": {"async_to_raw_response", "to_raw_response"},
    }
    if any(operation.paginate for operation in operations):
        names[".._pagination"] = {"AsyncPager", "Pager"}
    return names


def _operation_needs(operation: dict[str, Any], resolver: TypeResolver) -> set[str]:
    needs: set[str] = set()
    for spec in _argument_specs(operation):
        needs |= resolver.constrained(spec, "argument").needs
    response = _response(operation)
    if response.get("type"):
        needs |= resolver.expression(response["type"], "response").needs
    if operation.get("path") and PLACEHOLDER.search(operation["path"]):
        needs |= {"Annotated", "Field"}
    return needs


def _argument_specs(operation: dict[str, Any]) -> list[Any]:
    body = operation.get("body") or {}
    specs = list((operation.get("params") or {}).values()) + list((body.get("properties") or {}).values())
    if "type" in body:
        specs.append(body["type"])
    return specs


def _response(operation: dict[str, Any]) -> dict[str, Any]:
    response = operation.get("response")
    if isinstance(response, str):
        return {"type": response}
    return dict(response or {})


def _operation(verb: str, operation: dict[str, Any], resolver: TypeResolver, servers: tuple[ir.Server, ...]) -> ir.Operation:
    response = _response(operation)
    paginate = bool(operation.get("paginate"))
    response_type = resolver.expression(response["type"], "response").annotation if response.get("type") else ""
    return_annotation = _return_annotation(response_type, paginate)
    arguments = _arguments(operation, resolver)
    wire_to_python = {argument.wire_name: argument.name for argument in arguments if argument.location == "path"}
    path = PLACEHOLDER.sub(lambda match: "{" + wire_to_python.get(match.group(1), match.group(1)) + "}", operation["path"])
    server = operation.get("server", servers[0].name)
    return ir.Operation(
        name=verb,
        constant=naming.constant_name(verb),
        summary=_text(operation.get("summary")).rstrip(".") or f"{operation['method']} {operation['path']}",
        description=_text(operation.get("description")),
        method=operation["method"],
        path=path,
        server=server,
        arguments=arguments,
        response_type=response_type,
        return_annotation=return_annotation,
        returns=_text(response.get("description")),
        status=int(response.get("status", 0)),
        paginate=paginate,
        idempotent=bool(operation.get("idempotent")),
        encoding=(operation.get("body") or {}).get("encoding", "json"),
        unverified=_text(operation.get("unverified")),
        deprecated=bool(operation.get("deprecated")),
        errors=tuple((str(key), _text(value)) for key, value in (operation.get("errors") or {}).items()),
    )


def _return_annotation(response_type: str, paginate: bool) -> str:
    """The method's return annotation; a paginated one is wrapped in Pager/AsyncPager by the template."""
    return response_type or "None"


def _arguments(operation: dict[str, Any], resolver: TypeResolver) -> tuple[ir.Argument, ...]:
    own_id = _own_identifier(operation["path"])
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


def _own_identifier(path: str) -> str:
    """The path parameter the path ends with, if any: the operation's own identifier."""
    match = re.search(r"\{([^{}]+)\}/?$", path)
    return match.group(1) if match else ""


def _is_file(spec: Any) -> bool:
    expression = spec if isinstance(spec, str) else spec.get("type", "")
    return str(expression).rstrip("[]") == "file"


def _python_name(wire: str, spec: Any) -> str:
    explicit = spec.get("python_name") if isinstance(spec, dict) else None
    return explicit or naming.argument_name(wire)


def _param_argument(wire: str, spec: dict[str, Any], resolver: TypeResolver, own_id: bool) -> ir.Argument:
    location = spec["in"]
    if location == "path":
        spec = {**spec, "required": True, "min_length": spec.get("min_length", 1)} if spec.get("type", "string") == "string" else {**spec, "required": True}
    return _argument(wire, _python_name(wire, spec), spec, location, resolver, positional=own_id)


def _argument(wire: str, name: str, spec: Any, location: Any, resolver: TypeResolver, *, positional: bool) -> ir.Argument:
    details = spec if isinstance(spec, dict) else {}
    annotation: PyType = resolver.constrained(spec, "argument")
    return ir.Argument(
        name=name,
        wire_name=wire,
        location=location,
        annotation=annotation.annotation,
        required=bool(details.get("required")),
        positional=positional,
        description=_describe(details),
        prefix=details.get("prefix", ""),
        secret=bool(details.get("secret")),
    )
