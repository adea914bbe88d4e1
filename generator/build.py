"""Document -> ir.Api. The only module that knows the spec's shape."""

from __future__ import annotations

from dataclasses import replace
from pathlib import PurePosixPath, PureWindowsPath
from typing import Any

from generator import ir, naming
from generator.build_models import build_models, param_models
from generator.build_resources import argument_models, resource, text
from generator.load import Document
from generator.shapes import error_code_statuses
from generator.types import TypeResolver

DEFAULT_VERSION = "0.1.0"


def build(document: Document) -> ir.Api:
    """Turn a valid, checked spec into the IR."""
    spec: dict[str, Any] = document.data
    models: dict[str, Any] = spec.get("models") or {}
    plain = TypeResolver(models)
    params, expanded = param_models(models, argument_models(spec["resources"], plain), plain)
    resolver = TypeResolver(models, params=params, expanded=expanded)
    client = spec["client"]
    env_prefix = naming.env_prefix(spec)
    built_models, model_modules = build_models(models, resolver)
    servers = tuple(_server(index, name, server, env_prefix) for index, (name, server) in enumerate(spec["servers"].items()))
    codes = (spec.get("errors") or {}).get("codes") or {}
    error_codes = error_code_statuses(spec)
    return ir.Api(
        source=_spec_path(document.file),
        title=spec["title"],
        description=text(spec.get("description")),
        version=str(spec.get("version", DEFAULT_VERSION)),
        docs_url=spec.get("docs_url", ""),
        license=spec.get("license", ""),
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
        exceptions=_exceptions(codes),
        models=built_models,
        model_modules=model_modules,
        resources=tuple(resource(name, resource_spec, TypeResolver(models, "builtins.list", params, expanded), servers, error_codes) for name, resource_spec in spec["resources"].items()),
    )


def _spec_path(file: str) -> str:
    """The spec's path as the headers quote it: as a user types it to regenerate
    (``specs/featbit.yaml``, ``api/v2/pets.yaml``); only the file's name when the path is
    absolute, which would put one machine's folders into committed code."""
    absolute = PurePosixPath(file).is_absolute() or PureWindowsPath(file).is_absolute()
    return PurePosixPath(file).name if absolute else file


def _server(index: int, name: str, server: dict[str, Any], env_prefix: str) -> ir.Server:
    argument = naming.server_argument(index, name)
    default_env = f"{env_prefix}_BASE_URL" if index == 0 else f"{env_prefix}_{name.upper()}_BASE_URL"
    return ir.Server(name, argument, server.get("url", ""), server.get("env", default_env), text(server.get("description")))


def _auth(auth: dict[str, Any] | None, env_prefix: str) -> ir.Auth | None:
    if not auth:
        return None
    alternatives = tuple(_credential(argument, credential, env_prefix) for argument, credential in (auth.get("alternatives") or {}).items())
    return replace(_credential("api_key", auth, env_prefix), alternatives=alternatives)


def _credential(argument: str, credential: dict[str, Any], env_prefix: str) -> ir.Auth:
    return ir.Auth(
        location=credential.get("in", "header"),
        name=credential["name"],
        format=credential.get("format", "{key}"),
        env=credential.get("env", naming.credential_env(env_prefix, argument)),
        description=text(credential.get("description")),
        argument=argument,
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
    # The exception tree every client has; documented codes are attached by status.
    classes = [ir.ExceptionClass(name, "APIStatusError", status, text, tuple(by_status.pop(status, []))) for name, status, text in naming.EXCEPTION_TREE]
    leftover = tuple(code for status in sorted(by_status) for code in by_status[status])
    base = ir.ExceptionClass("APIStatusError", "APIError", "", "Any other error status.", leftover)
    return (base, *classes)
