"""Document -> an OpenAPI 3.1 document, so other tools (docs, gateways, other generators) can use a spec.

The types come from ``schemas`` (the same conversion the mock server checks requests
with) and the error, envelope and page bodies from ``shapes``; this module adds what
OpenAPI says around them: info, servers, security, paths, parameters and responses.
"""

from __future__ import annotations

from typing import Any

from generator.load import Document
from generator.schemas import (
    REF_PREFIX,
    Schema,
    body_required,
    body_schema,
    model_schemas,
    param_schema,
    split_arrays,
    success_response,
    type_schema,
)
from generator.shapes import (
    credential_text,
    documented_status,
    envelope_schema,
    error_code_statuses,
    error_schema,
    exported_params,
    operations,
    page_schema,
)

OPENAPI_VERSION = "3.1.0"
MEDIA_TYPES = {"json": "application/json", "form": "application/x-www-form-urlencoded", "multipart": "multipart/form-data"}
PLACEHOLDER_ORIGIN = "http://localhost"


def export(document: Document) -> dict[str, Any]:
    """The spec as an OpenAPI 3.1 document: plain data, ready for ``json.dumps``."""
    spec: dict[str, Any] = document.data
    names = _component_names(spec)
    result: dict[str, Any] = {
        "openapi": OPENAPI_VERSION,
        "info": _info(spec),
        "servers": [_server(spec, name) for name in spec["servers"]],
        "tags": [_tag(name, resource) for name, resource in spec["resources"].items()],
        "paths": _paths(spec, names),
        "components": _components(spec, names),
    }
    if spec.get("auth"):
        # Alternatives: a request carries any one of the credentials.
        result["security"] = [{name: []} for name in _schemes(spec["auth"])]
    if spec.get("docs_url"):
        result["externalDocs"] = {"url": spec["docs_url"]}
    return result


def _info(spec: dict[str, Any]) -> dict[str, Any]:
    info = {"title": spec["title"], "version": str(spec.get("version", "0.1.0"))}
    if spec.get("description"):
        info["description"] = str(spec["description"]).strip()
    if spec.get("license"):
        info["license"] = {"name": spec["license"], "identifier": spec["license"]}  # OpenAPI 3.1: an SPDX expression
    return info


def _server(spec: dict[str, Any], name: str) -> dict[str, Any]:
    """A server with its url, or a ``{base_url}`` variable when each deployment has its own."""
    server = spec["servers"][name]
    text = f"{name}: {str(server.get('description', '')).strip()}".rstrip(": ")
    if server.get("url"):
        return {"url": server["url"], "description": text}
    variable = f"Your deployment's origin (scheme, host and port); the client reads it from {_server_env(spec, name)}."
    return {
        "url": "{base_url}",
        "description": text,
        "variables": {"base_url": {"default": PLACEHOLDER_ORIGIN, "description": variable}},
    }


def _server_env(spec: dict[str, Any], name: str) -> str:
    prefix = spec.get("env_prefix") or spec["client"].upper()
    default = f"{prefix}_BASE_URL" if name == next(iter(spec["servers"])) else f"{prefix}_{name.upper()}_BASE_URL"
    return str(spec["servers"][name].get("env") or default)


def _tag(name: str, resource: dict[str, Any]) -> dict[str, Any]:
    tag = {"name": name}
    if resource.get("description"):
        tag["description"] = str(resource["description"]).strip()
    return tag


def _free_name(base: str, taken: set[str]) -> str:
    """``base``, or ``base2``, ``base3`` ... when a model already has that name."""
    name, number = base, 1
    while name in taken:
        number += 1
        name = f"{base}{number}"
    taken.add(name)
    return name


def _component_names(spec: dict[str, Any]) -> dict[str, str]:
    """Names of the schemas this module adds: ``error`` and one ``<Item>Page`` per paginated model."""
    taken = set(spec.get("models") or {})
    names = {"error": _free_name("Error", taken)} if error_schema(spec) is not None else {}
    for operation in operations(spec):
        item = success_response(operation)[0]
        if operation.get("paginate") and item and item in taken and f"page:{item}" not in names:
            names[f"page:{item}"] = _free_name(f"{item}Page", taken)
    return names


# Security -------------------------------------------------------------------


def _schemes(auth: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The security schemes by name: the API key's, then one per alternative (``accessToken``)."""
    schemes = {"bearerAuth" if _is_bearer(auth) else "apiKeyAuth": auth}
    for argument, credential in (auth.get("alternatives") or {}).items():
        first, *rest = argument.split("_")
        # An alternative named bearer_auth must not replace the API key's scheme: it gets bearerAuth2.
        schemes[_free_name(first + "".join(part.capitalize() for part in rest), set(schemes))] = credential
    return schemes


def _is_bearer(auth: dict[str, Any]) -> bool:
    return auth.get("in", "header") == "header" and auth["name"].lower() == "authorization" and auth.get("format") == "Bearer {key}"


def _security_scheme(auth: dict[str, Any]) -> dict[str, Any]:
    """``Bearer {key}`` on Authorization is HTTP bearer; anything else an apiKey with its format described."""
    text = str(auth.get("description", "")).strip()
    if _is_bearer(auth):
        return {"type": "http", "scheme": "bearer", **({"description": text} if text else {})}
    return {"type": "apiKey", "in": auth.get("in", "header"), "name": auth["name"], "description": f"{text} Sent as {credential_text(auth)}.".strip()}


# Components -----------------------------------------------------------------


def _components(spec: dict[str, Any], names: dict[str, str]) -> dict[str, Any]:
    schemas = model_schemas(spec)
    error = error_schema(spec)
    if error is not None:
        schemas[names["error"]] = error
    for key, name in names.items():
        if key.startswith("page:"):
            schemas[name] = page_schema(spec, type_schema(key.removeprefix("page:")))
    components: dict[str, Any] = {"schemas": schemas}
    if spec.get("auth"):
        components["securitySchemes"] = {name: _security_scheme(credential) for name, credential in _schemes(spec["auth"]).items()}
    return components


# Paths ----------------------------------------------------------------------


def _paths(spec: dict[str, Any], names: dict[str, str]) -> dict[str, Any]:
    paths: dict[str, Any] = {}
    for resource_name, resource in spec["resources"].items():
        for verb, operation in resource["operations"].items():
            entry = _operation(spec, resource_name, verb, operation, names)
            paths.setdefault(operation["path"], {})[operation["method"].lower()] = entry
    return paths


def _operation(spec: dict[str, Any], resource: str, verb: str, operation: dict[str, Any], names: dict[str, str]) -> dict[str, Any]:
    result: dict[str, Any] = {"operationId": f"{resource}_{verb}", "tags": [resource], "summary": operation["summary"]}
    if operation.get("description"):
        result["description"] = str(operation["description"]).strip()
    parameters = _parameters(spec, operation)
    if parameters:
        result["parameters"] = parameters
    if operation.get("body"):
        result["requestBody"] = _request_body(operation["body"])
    result["responses"] = _responses(spec, operation, names)
    if operation.get("deprecated"):
        result["deprecated"] = True
    if spec.get("auth") and operation.get("auth", "required") != "required":
        # OpenAPI: an empty requirement means "no credential"; listed beside the key, "either".
        none: dict[str, list[str]] = {}
        keys: list[dict[str, list[str]]] = [{name: []} for name in _schemes(spec["auth"])]
        result["security"] = [none] if operation["auth"] == "none" else [none, *keys]
    if operation.get("unverified"):
        result["x-unverified"] = str(operation["unverified"]).strip()
    if len(spec["servers"]) > 1:
        # Top-level servers are alternatives; an operation of a multi-origin API names its own.
        result["servers"] = [_server(spec, operation.get("server") or next(iter(spec["servers"])))]
    return result


def _parameters(spec: dict[str, Any], operation: dict[str, Any]) -> list[dict[str, Any]]:
    """Declared parameters, plus the paging ones a paginated operation leaves to the client."""
    return [_parameter(name, param) for name, param in exported_params(spec, operation).items()]


def _parameter(name: str, param: dict[str, Any]) -> dict[str, Any]:
    result: dict[str, Any] = {"name": name, "in": param["in"], "required": param["in"] == "path" or bool(param.get("required"))}
    description = str(param.get("description", "")).strip()
    if param.get("prefix"):
        description = f'{description} Sent as "{param["prefix"]}<value>".'.strip()
    if description:
        result["description"] = description
    if param.get("deprecated"):
        result["deprecated"] = True
    result["schema"] = param_schema(param)
    return result


def _request_body(body: dict[str, Any]) -> dict[str, Any]:
    media = MEDIA_TYPES[body.get("encoding", "json")]
    result: dict[str, Any] = {"required": body_required(body), "content": {media: {"schema": body_schema(body)}}}
    if body.get("description"):
        result["description"] = str(body["description"]).strip()
    return result


# Responses ------------------------------------------------------------------


def _responses(spec: dict[str, Any], operation: dict[str, Any], names: dict[str, str]) -> dict[str, Any]:
    kind, status, description = success_response(operation)
    success: dict[str, Any] = {"description": description or ("The result." if kind else "No content.")}
    if kind:
        success["content"] = {"application/json": {"schema": _success_schema(spec, operation, kind, names)}}
    responses: dict[str, Any] = {str(status): success}
    if _partial_success(spec, operation, kind):
        warning = spec["partial_success"]["warning"]
        responses[str(spec["partial_success"]["status"])] = {**success, "description": f"Done, but a later step failed: the body carries {warning}."}
    for code, text in _error_statuses(spec, operation).items():
        responses[code] = _error_response(names, text)
    return responses


def _success_schema(spec: dict[str, Any], operation: dict[str, Any], kind: str, names: dict[str, str]) -> Schema:
    """The body of a success: the type, as a page when paginated, inside the envelope when there is one."""
    schema = type_schema(kind)
    if operation.get("paginate"):
        page = names.get(f"page:{kind}")
        schema = {"$ref": REF_PREFIX + page} if page else page_schema(spec, schema)
    return envelope_schema(spec, schema)


def _partial_success(spec: dict[str, Any], operation: dict[str, Any], kind: str | None) -> bool:
    """A write whose result model carries the partial-success warning field."""
    partial = spec.get("partial_success")
    if not partial or not kind or operation["method"] == "GET":
        return False
    model = (spec.get("models") or {}).get(split_arrays(kind)[0]) or {}
    return partial["warning"] in (model.get("properties") or {})


def _error_statuses(spec: dict[str, Any], operation: dict[str, Any]) -> dict[str, str]:
    """Status -> what it means here: the operation's documented errors, 401 when there is a key, and a default."""
    code_statuses = error_code_statuses(spec)
    found: dict[str, list[str]] = {}
    for key, text in (operation.get("errors") or {}).items():
        status = documented_status(key, code_statuses)
        found.setdefault(str(status or "4XX"), []).append(text if key == str(status) else f"{key}: {text}")
    if spec.get("auth") and "401" not in found:
        found["401"] = ["The API key is missing, wrong or revoked."]
    statuses = {status: " ".join(texts) for status, texts in sorted(found.items())}
    statuses["default"] = "Any other error."
    return statuses


def _error_response(names: dict[str, str], text: str) -> dict[str, Any]:
    response: dict[str, Any] = {"description": text}
    if "error" in names:
        response["content"] = {"application/json": {"schema": {"$ref": REF_PREFIX + names["error"]}}}
    return response
