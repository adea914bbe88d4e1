"""The bodies the API wraps its types in: the error body, the envelope and the page.

Read from the spec's ``errors``, ``envelope`` and ``pagination``: as JSON Schema for
the OpenAPI export, and the error body also as a value, for the mock server, so the
two are written side by side and agree. The same goes for how the key is sent.
"""

from __future__ import annotations

from itertools import pairwise
from typing import Any

from generator.schemas import Schema


def operations(spec: dict[str, Any]) -> list[dict[str, Any]]:
    """Every operation of the spec, resource by resource."""
    return [operation for resource in spec["resources"].values() for operation in resource["operations"].values()]


def error_code_statuses(spec: dict[str, Any]) -> dict[str, int]:
    """The spec's documented error codes and the status each comes with."""
    return {code: int(details["status"]) for code, details in ((spec.get("errors") or {}).get("codes") or {}).items()}


def documented_status(key: str, statuses: dict[str, int]) -> int | None:
    """The status an operation's ``errors:`` key stands for, or None when it says none.

    A documented code first (codes may be digits: ``1001``), else an error status (``404``).
    """
    if key in statuses:
        return statuses[key]
    return int(key) if key.isdigit() and 400 <= int(key) <= 599 else None


def credential_text(auth: dict[str, Any]) -> str:
    """How the key travels, as the docs would show it: ``"Authorization: Token <key>"``."""
    name, value = auth["name"], auth.get("format", "{key}").replace("{key}", "<key>")
    return {"header": f'"{name}: {value}"', "query": f'"?{name}={value}"', "cookie": f'"Cookie: {name}={value}"'}[auth.get("in", "header")]


def error_schema(spec: dict[str, Any]) -> Schema | None:
    """The error body: the documented paths (``error.code`` ...) and the failed envelope; None if neither."""
    errors = spec.get("errors") or {}
    codes = errors.get("codes") or {}
    listed = "Documented codes: " + ", ".join(f"{code} ({entry['status']})" for code, entry in codes.items()) + "." if codes else ""
    leaves: dict[str, Schema] = {
        "message": {"type": "string", "description": "What went wrong, for people."},
        "code": {"type": "string", "description": f"What went wrong, for programs. {listed}".strip()},
        "details": {"description": "More about the error."},
    }
    paths = {path: leaves[key] for key, path in _error_paths(errors).items()}
    envelope = spec.get("envelope")
    if not paths and not envelope:
        return None
    schema = _nested(paths)
    if envelope:
        # The client reads a failed envelope's errors first, so they come with any documented paths.
        messages = {"type": "array", "items": {"type": "string"}, "description": f"Error codes and messages. {listed}".strip()}
        failed = {envelope.get("success"): {"const": False}, envelope.get("errors"): messages, envelope["data"]: {"type": "null"}}
        schema["properties"].update({key: value for key, value in failed.items() if key})
    return schema


def error_body(spec: dict[str, Any], code: str | None, message: str, details: dict[str, list[str]]) -> Any:
    """An error body in the API's shape: its failed envelope and documented paths, else ``{"detail": ...}``."""
    envelope = spec.get("envelope") or {}
    body = _named({envelope.get("success"): False, envelope.get("errors"): [code, message] if code else [message], envelope.get("data"): None})
    paths = _error_paths(spec.get("errors") or {})
    for key, value in (("message", message), ("code", code), ("details", details)):
        if key in paths and value is not None:
            _put(body, paths[key], value)
    return body or {"detail": message}


def _error_paths(errors: dict[str, Any]) -> dict[str, str]:
    """The paths of message, code and details; details left out where it holds the other two
    (``details: errors`` beside ``code: errors.0.code``): the client reads them from there."""
    paths: dict[str, str] = {key: str(errors[key]) for key in ("message", "code", "details") if key in errors}
    details = paths.get("details")
    if details and any(path.startswith(f"{details}.") for key, path in paths.items() if key != "details"):
        del paths["details"]
    return paths


def _put(document: dict[str, Any], dotted: str, value: Any) -> None:
    """Set ``errors.0.code`` in ``document``: a number steps into a list (JSON:API's ``errors``)."""
    parts = dotted.split(".")
    node: Any = document
    for part, following in pairwise(parts):
        container: Any = [] if following.isdigit() else {}
        if part.isdigit():
            while len(node) <= int(part):
                node.append(container)
            node = node[int(part)]
        else:
            node = node.setdefault(part, container)
    if parts[-1].isdigit():
        while len(node) <= int(parts[-1]):
            node.append(None)
        node[int(parts[-1])] = value
    else:
        node[parts[-1]] = value


def _named(values: dict[Any, Any]) -> dict[str, Any]:
    """Drop the entries whose key the spec does not name."""
    return {key: value for key, value in values.items() if key}


def _nested(paths: dict[str, Schema]) -> Schema:
    """``{"error.code": S}`` -> an object with an ``error`` object with a ``code`` of S;
    ``errors.0.code``: an ``errors`` array of such objects."""
    root: Schema = {"type": "object", "properties": {}}
    for dotted, leaf in paths.items():
        node = root
        parts = dotted.split(".")
        for part, following in pairwise(parts):
            if part.isdigit():
                continue  # the array's items, already stepped into
            if following.isdigit() and following == parts[-1]:
                node["properties"][part] = {"type": "array", "items": leaf}  # errors.0: a list of leaves
                break
            if following.isdigit():
                node = node["properties"].setdefault(part, {"type": "array", "items": {"type": "object", "properties": {}}})["items"]
            else:
                node = node["properties"].setdefault(part, {"type": "object", "properties": {}})
        else:
            node["properties"][parts[-1]] = leaf
    return root


def page_schema(spec: dict[str, Any], item: Schema) -> Schema:
    """One page of a paginated list, in the spec's pagination style."""
    pagination = spec.get("pagination") or {}
    items: Schema = {"type": "array", "items": item}
    if not pagination.get("items"):
        return items
    properties: dict[str, Schema] = {pagination["items"]: items}
    if pagination.get("next_cursor"):
        properties[pagination["next_cursor"]] = _next_cursor(spec)
    if pagination.get("has_more"):
        properties[pagination["has_more"]] = {"type": "boolean", "description": "Whether another page follows."}
    if pagination.get("total"):
        properties[pagination["total"]] = {"type": "integer", "description": "How many items there are in all."}
    return {"type": "object", "properties": properties, "required": [pagination["items"]]}


def _next_cursor(spec: dict[str, Any]) -> Schema:
    """The next cursor: of the type the operations declare for the cursor parameter, or null."""
    return {"type": [cursor_type(spec), "null"], "description": "Send it as the cursor of the next request; null on the last page."}


def cursor_type(spec: dict[str, Any]) -> str:
    """The JSON type of the cursor parameter the operations declare (through an alias such as
    ``PageToken: {type: string}``); ``string`` when none does."""
    name = (spec.get("pagination") or {}).get("cursor_param", "")
    declared = [operation["params"][name] for operation in operations(spec) if name in (operation.get("params") or {})]
    kind = str(declared[0].get("type", "string")) if declared else "string"
    models = spec.get("models") or {}
    for _ in range(len(models)):
        model = models.get(kind)
        if not isinstance(model, dict) or not isinstance(model.get("type"), str):
            break
        kind = model["type"]
    return kind if kind in ("string", "integer", "number") else "string"


def exported_params(spec: dict[str, Any], operation: dict[str, Any]) -> dict[str, Any]:
    """An operation's parameters as the export and the mock know them: those it declares, then
    the paging ones a paginated operation leaves to the client."""
    declared = operation.get("params") or {}
    if not operation.get("paginate"):
        return declared
    pagination = spec.get("pagination") or {}
    params: dict[str, Any] = {}
    if pagination.get("page_param"):
        params[pagination["page_param"]] = {"in": "query", "type": "integer", "minimum": pagination.get("first_page", 1), "description": "Page number."}
    if pagination.get("cursor_param"):
        params[pagination["cursor_param"]] = {"in": "query", "type": "string", "description": "The next cursor of the previous page."}
    if pagination.get("size_param"):
        params[pagination["size_param"]] = {"in": "query", "type": "integer", "minimum": 1, "description": "Items per page."}
    return {**declared, **{name: param for name, param in params.items() if name not in declared}}


def envelope_schema(spec: dict[str, Any], payload: Schema) -> Schema:
    """``payload`` as the ``data`` of a successful envelope; unchanged when the API has none."""
    envelope = spec.get("envelope")
    if not envelope:
        return payload
    properties = {envelope.get("success"): {"type": "boolean"}, envelope.get("errors"): {"type": "array", "items": {"type": "string"}}, envelope["data"]: payload}
    return {"type": "object", "properties": {key: value for key, value in properties.items() if key}, "required": [envelope["data"]]}


def envelope_body(spec: dict[str, Any], payload: Any) -> Any:
    """``payload`` as the ``data`` of a successful envelope; unchanged when the API has none."""
    envelope = spec.get("envelope")
    if not envelope:
        return payload
    return _named({envelope.get("success"): True, envelope.get("errors"): [], envelope["data"]: payload})
