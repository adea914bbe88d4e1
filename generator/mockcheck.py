"""Does a request keep to the spec? Each check returns a Failure that says exactly what is wrong, or None.

Used by the mock server, after it has found the operation: the credential in its
documented form, the parameters, then the body against the JSON Schema that
``schemas`` makes of it (the same one the OpenAPI export publishes).
"""

from __future__ import annotations

import email.parser
import email.policy
import json
import re
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from typing import Any
from urllib.parse import parse_qs

from jsonschema import Draft202012Validator, ValidationError
from jsonschema.exceptions import best_match

from generator.schemas import REF_PREFIX, Schema, body_required, body_schema, param_schema, validation_schema
from generator.shapes import credential_text

MAX_PROBLEMS = 10
_INTEGER = re.compile(r"-?\d+")
_NUMBER = re.compile(r"-?\d+(\.\d+)?([eE][-+]?\d+)?")


@dataclass(frozen=True)
class Request:
    """An HTTP request as the mock received it; ``path`` still percent-encoded, header names lower-case."""

    method: str
    path: str
    query: dict[str, list[str]] = field(default_factory=dict)
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""


@dataclass(frozen=True)
class Failure:
    """What is wrong: ``kind`` picks the status and the API's code; ``problems`` are (field, message) pairs."""

    kind: str  # not_found | method | auth | missing | invalid | malformed
    message: str
    problems: tuple[tuple[str, str], ...] = ()
    allow: str = ""  # for "method": the methods the path does take


def check_auth(auth: dict[str, Any] | None, request: Request, usage: str = "required") -> Failure | None:
    """A credential is where the spec says, in its documented form (``Token <key>``).

    The API key or any of its alternatives (an OAuth token) will do; the first one sent
    is checked. ``usage`` is the operation's ``auth:``: with "optional" a missing key is
    fine, with "none" the key must not be sent at all (it would go where it is not needed).
    """
    if not auth:
        return None
    if usage == "none":
        where, name = auth.get("in", "header"), auth["name"]
        return Failure("auth", f"this operation takes no API key: do not send the {name} {where}") if _credential(request, where, name) else None
    credentials = [auth, *(auth.get("alternatives") or {}).values()]
    for credential in credentials:
        where, name, form = credential.get("in", "header"), credential["name"], credential.get("format", "{key}")
        value = _credential(request, where, name)
        if not value:
            continue
        prefix, suffix = form.split("{key}", 1)
        if not (value.startswith(prefix) and value.endswith(suffix)) or len(value) <= len(prefix) + len(suffix):
            return Failure("auth", f"the {name} {where} is not in the documented form: send {credential_text(credential)}")
        return None
    if usage == "optional":
        return None
    sent = " or ".join(credential_text(credential) for credential in credentials)
    return Failure("auth", f"missing the {auth['name']} {auth.get('in', 'header')}: send {sent}")


def _credential(request: Request, where: str, name: str) -> str:
    if where == "query":
        return (request.query.get(name) or [""])[0]
    if where == "cookie":
        cookies: SimpleCookie = SimpleCookie(request.headers.get("cookie", ""))
        return cookies[name].value if name in cookies else ""
    return request.headers.get(name.lower(), "")


def check_params(operation: dict[str, Any], request: Request, path_values: dict[str, str], components: dict[str, Schema]) -> Failure | None:
    """Path parameters not empty; required query and header parameters present; every value of its type."""
    for name, param in (operation.get("params") or {}).items():
        where = param["in"]
        raw = _raw_param(request, path_values, where, name)
        # A secret header (a per-call token) that is missing or malformed is an authentication failure.
        credential = where == "header" and bool(param.get("secret"))
        if not raw:
            if where == "path":
                return _one("missing", name, f"path parameter {name} is empty")
            if param.get("required"):
                return _one("auth" if credential else "missing", name, f"missing the required {where} parameter {name}")
            continue
        if param.get("prefix") and not raw[0].startswith(param["prefix"]):
            return _one("auth" if credential else "invalid", name, f'header {name} must start with "{param["prefix"]}"')
        schema = param_schema(param)
        value = coerce(raw, schema, components)
        problems = schema_problems(schema, value, components, f"{where} parameter {name}")
        if problems:
            return _failure(problems)
    return None


def _one(kind: str, name: str, message: str) -> Failure:
    return Failure(kind, message, ((name, message),))


def _raw_param(request: Request, path_values: dict[str, str], where: str, name: str) -> list[str]:
    if where == "path":
        return [path_values[name]] if path_values.get(name) else []
    if where == "header":
        value = request.headers.get(name.lower(), "")
        return [value] if value else []
    return request.query.get(name) or []


def coerce(raw: list[str], schema: Schema, components: dict[str, Schema]) -> Any:
    """Query, path and form values arrive as text: read them as the type the schema wants."""
    schema = _resolve(schema, components)
    kind = _kind(schema)
    if kind == "array":
        return [coerce([item], schema.get("items") or {}, components) for item in raw]
    text = raw[0]
    if kind == "integer" and _INTEGER.fullmatch(text):
        return int(text)
    if kind == "number" and _NUMBER.fullmatch(text):
        return float(text)
    if kind == "boolean" and text in ("true", "false"):
        return text == "true"
    return text  # left as text, so the schema check says what is wrong with it


def _resolve(schema: Schema, components: dict[str, Schema]) -> Schema:
    while "$ref" in schema:
        schema = components[schema["$ref"].removeprefix(REF_PREFIX)]
    return schema


def _kind(schema: Schema) -> str | None:
    kind = schema.get("type")
    if isinstance(kind, list):
        return next((item for item in kind if item != "null"), None)
    return kind if isinstance(kind, str) else None


def check_body(operation: dict[str, Any], request: Request, components: dict[str, Schema]) -> Failure | None:
    """The body is there when it must be, parses in its encoding and fits its schema."""
    body = operation.get("body")
    if not body:
        return None
    if not request.body.strip():
        if body_required(body):
            return _one("missing", "body", "the request has no body; this operation needs one")
        return None
    schema = body_schema(body)
    try:
        value = _parse_body(body.get("encoding", "json"), request, schema, components)
    except ValueError as error:
        return _one("malformed", "body", str(error))
    problems = schema_problems(schema, value, components, "body")
    return _failure(problems) if problems else None


def _parse_body(encoding: str, request: Request, schema: Schema, components: dict[str, Schema]) -> Any:
    if encoding == "json":
        try:
            return json.loads(request.body)
        except ValueError as error:
            raise ValueError(f"the body is not valid JSON: {error}") from None
    if encoding == "form":
        fields = parse_qs(request.body.decode("utf-8", "replace"), keep_blank_values=True)
    else:
        fields = _multipart(request.headers.get("content-type", ""), request.body)
    properties = schema.get("properties") or {}
    return {name: coerce(values, properties.get(name) or {}, components) for name, values in fields.items()}


def _multipart(content_type: str, body: bytes) -> dict[str, list[str]]:
    """Each part's text, or its file name for a file: enough to check presence and counts."""
    if not content_type.startswith("multipart/form-data"):
        raise ValueError(f"the body must be multipart/form-data, not {content_type or 'unlabelled'}")
    head = f"Content-Type: {content_type}\r\n\r\n".encode()
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(head + body)
    fields: dict[str, list[str]] = {}
    for part in message.iter_parts() if message.is_multipart() else ():
        name = part.get_param("name", header="content-disposition")
        payload = part.get_payload(decode=True)
        text = part.get_filename() or (payload.decode("utf-8", "replace") if isinstance(payload, bytes) else "")
        fields.setdefault(str(name), []).append(text or "file")
    return fields


def schema_problems(schema: Schema, value: Any, components: dict[str, Schema], where: str) -> list[tuple[str, str]]:
    """Every way ``value`` breaks ``schema``, as (field, message), most relevant first."""
    validator = Draft202012Validator(validation_schema(schema, components), format_checker=Draft202012Validator.FORMAT_CHECKER)
    errors = sorted(validator.iter_errors(value), key=lambda error: list(map(str, error.absolute_path)))
    return [_describe(error, where) for error in errors[:MAX_PROBLEMS]]


def _describe(error: ValidationError, where: str) -> tuple[str, str]:
    # Inside oneOf/anyOf, the member that came closest says more than "not valid under any".
    error = best_match([error]) or error
    location = where + "".join(f"[{part}]" if isinstance(part, int) else f".{part}" for part in error.absolute_path)
    required = error.validator_value if error.validator == "required" else None
    if isinstance(required, list) and isinstance(error.instance, dict):
        # jsonschema reports each missing field in an error of its own, naming it in the message.
        named = re.fullmatch(r"'(.+)' is a required property", error.message)
        missing = named.group(1) if named else next((name for name in required if name not in error.instance), "?")
        return f"{location}.{missing}", f"{location} is missing the required field '{missing}'"
    return location, f"{location}: {_in_json(error)}"


def _in_json(error: ValidationError) -> str:
    """jsonschema's message with the values written as JSON (null, true, "x"), not as Python
    reprs (None, True, 'x'): the client reading it sent JSON."""
    if error.validator == "type":
        kinds = error.validator_value
        expected = kinds if isinstance(kinds, list) else [kinds]
        return f"{_json(error.instance)} is not of type {' or '.join(json.dumps(kind) for kind in expected)}"
    if error.validator == "enum":
        return f"{_json(error.instance)} is not one of {_json(error.validator_value)}"
    if error.validator == "const":
        return f"{_json(error.validator_value)} was expected, not {_json(error.instance)}"
    message, written = error.message, repr(error.instance)
    # The other messages start with the value (``'ab' is too short``), when it is short enough to show.
    return _json(error.instance) + message[len(written) :] if message.startswith(written) else message


def _json(value: Any, limit: int = 80) -> str:
    text = json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _failure(problems: list[tuple[str, str]]) -> Failure:
    kind = "missing" if any("is missing the required field" in message for _, message in problems) else "invalid"
    return Failure(kind, "; ".join(message for _, message in problems), tuple(problems))
