"""Document -> ir.Api. The only module that knows the spec's shape."""

from __future__ import annotations

from typing import Any

from generator import ir, naming
from generator.build_resources import describe, resource, text
from generator.imports import import_lines
from generator.load import Document
from generator.types import TypeResolver, literal_of

DEFAULT_VERSION = "0.1.0"
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
        description=text(spec.get("description")),
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
        model_imports=_modelimport_lines(built_models, models, resolver),
        resources=tuple(resource(name, resource_spec, TypeResolver(models, "builtins.list"), servers) for name, resource_spec in spec["resources"].items()),
    )


def _spec_path(file: str) -> str:
    """The spec's path as written in headers: ``specs/<api>.yaml`` however it was named."""
    return f"specs/{file.rsplit('/', 1)[-1]}"


def _server(index: int, name: str, server: dict[str, Any], env_prefix: str) -> ir.Server:
    argument = "base_url" if index == 0 else f"{name}_base_url"
    default_env = f"{env_prefix}_BASE_URL" if index == 0 else f"{env_prefix}_{name.upper()}_BASE_URL"
    return ir.Server(name, argument, server.get("url", ""), server.get("env", default_env), text(server.get("description")))


def _auth(auth: dict[str, Any] | None, env_prefix: str) -> ir.Auth | None:
    if not auth:
        return None
    return ir.Auth(
        location=auth.get("in", "header"),
        name=auth["name"],
        format=auth.get("format", "{key}"),
        env=auth.get("env", f"{env_prefix}_API_KEY"),
        description=text(auth.get("description")),
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
        by_status.setdefault(key, []).append(ir.ErrorCode(code, status, text(details.get("description"))))
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
    description = text(model.get("description"))
    unverified = text(model.get("unverified"))
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
        description=describe(details),
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


def _modelimport_lines(built: tuple[ir.Model, ...], models: dict[str, Any], resolver: TypeResolver) -> tuple[str, ...]:
    needs = frozenset().union(*(_model_needs(model, resolver) for model in models.values()))
    if any(field.field_arguments for model in built for field in model.fields):
        needs |= {"Field"}
    return import_lines(needs - set(models), set())


def _model_needs(model: dict[str, Any], resolver: TypeResolver) -> frozenset[str]:
    specs = list((model.get("properties") or {}).values())
    if "properties" not in model:
        specs.append({key: model[key] for key in ("type", "values", "one_of") if key in model})
    needs = frozenset({"Literal"}) if "enum" in model else frozenset()
    return needs.union(*(resolver.field(spec, "response").needs for spec in specs)) if specs else needs


# Resources and operations -----------------------------------------------------------
