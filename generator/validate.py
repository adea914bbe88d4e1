"""Check a loaded spec against the JSON Schema, in words a spec author can act on."""

from __future__ import annotations

import difflib
import json
import math
import re
from collections.abc import Callable, Iterator
from dataclasses import replace
from functools import cache, lru_cache
from importlib import resources
from typing import Any, cast

import jsonschema
from jsonschema.exceptions import ValidationError

from generator.errors import Problem
from generator.load import Document, JsonPath

_JSON_TYPES: dict[type, str] = {dict: "a mapping", list: "a list", str: "a string", bool: "true/false", int: "a number", float: "a number"}


@lru_cache(maxsize=1)
def schema() -> dict[str, Any]:
    """The spec meta-schema shipped in this package."""
    text = resources.files("generator").joinpath("spec.schema.json").read_text(encoding="utf-8")
    loaded: dict[str, Any] = json.loads(text)
    return loaded


@lru_cache(maxsize=1)
def _validator() -> jsonschema.Draft202012Validator:
    # jsonschema looks every $ref up through its registry anew, each time it meets one:
    # a third of validating a 1000-operation spec. Ours are all JSON pointers into this
    # one document (it has a single $id and no dynamic references), so each is found once.
    extend = cast(Callable[..., type[jsonschema.Draft202012Validator]], jsonschema.validators.extend)  # untyped upstream
    return extend(jsonschema.Draft202012Validator, {"$ref": _local_reference})(schema())


def _local_reference(validator: jsonschema.Draft202012Validator, ref: str, instance: Any, _: Any) -> Iterator[ValidationError]:
    yield from validator.descend(instance, _pointed_at(ref))


@cache
def _pointed_at(ref: str) -> Any:
    """The part of the schema a ``#/$defs/...`` reference points at (RFC 6901)."""
    if not ref.startswith("#/"):
        raise ValueError(f"spec.schema.json: only references inside the document are supported, not {ref!r}")
    node: Any = schema()
    for token in ref[2:].split("/"):
        node = node[token.replace("~1", "/").replace("~0", "~")]
    return node


def validate(document: Document) -> list[Problem]:
    """Every schema violation in the document, each at its line and column."""
    errors = list(_validator().iter_errors(document.data))
    misspelled = _misspelled_required_keys(errors)
    problems = [
        problem
        for error in errors
        if not _explained_by_typo(error, misspelled)
        for specific in _most_specific(error)
        for problem in _explain(document, specific)
    ]
    return sorted(set(problems))


def _misspelled_required_keys(errors: list[ValidationError]) -> set[tuple[JsonPath, str]]:
    """(path, key) of required keys that an unknown key next to them is a typo of."""
    typos = set()
    for error in errors:
        if error.validator in ("additionalProperties", "unevaluatedProperties") and isinstance(error.instance, dict):
            allowed = _allowed_keys(error.schema)
            for key in error.instance:
                for match in difflib.get_close_matches(key, sorted(allowed), n=1, cutoff=0.6):
                    typos.add((tuple(error.absolute_path), match))
    return typos


def _explained_by_typo(error: ValidationError, typos: set[tuple[JsonPath, str]]) -> bool:
    """A missing required key that is only missing because it was misspelled: one problem, not two."""
    if error.validator != "required":
        return False
    return (tuple(error.absolute_path), error.message.split("'")[1]) in typos


def _explain(document: Document, error: ValidationError) -> list[Problem]:
    """The problem an error is, in the words of the spec format; one per unknown key."""
    path: JsonPath = tuple(error.absolute_path)
    if error.validator in ("additionalProperties", "unevaluatedProperties"):
        return _unknown_keys(document, error, path)
    return [_explain_one(document, error, path)]


def _explain_one(document: Document, error: ValidationError, path: JsonPath) -> Problem:
    validator = error.validator
    if validator == "required":
        missing = error.message.split("'")[1]
        return document.problem(path, f"missing required key {missing!r}", f"add `{missing}:` here", key=True)
    if validator == "type":
        expected = _expected_type(error.validator_value)
        got = _JSON_TYPES.get(type(error.instance), "null")
        return document.problem(path, f"expected {expected}, got {got}", _type_hint(document, error, path, expected))
    if validator == "enum":
        return _not_one_of(document, error, path)
    if validator == "pattern" and "propertyNames" in error.relative_schema_path:
        name = str(error.instance)
        return document.problem((*path, name), f"name {name!r} is not allowed here", _pattern_hint(error), key=True)
    if validator == "pattern" and error.validator_value == schema()["$defs"]["typeExpr"]["pattern"]:
        return _not_a_type(document, error, path)
    if validator == "pattern" and error.validator_value == _ORIGIN and not re.match(r"https?://", str(error.instance)):
        message, hint = _NO_SCHEME
        host = (str(error.instance).partition("://")[2] or str(error.instance)).split("/")[0]
        return document.problem(path, message.format(value=error.instance), hint.format(host=host))
    if validator == "pattern" and error.validator_value in _PATTERN_MESSAGES:
        message, hint = _PATTERN_MESSAGES[str(error.validator_value)]
        return document.problem(path, message.format(value=error.instance), hint.format(value=error.instance))
    if validator == "pattern":
        return document.problem(path, f"{error.instance!r} is not valid here", _pattern_hint(error))
    if validator in ("minProperties", "minItems"):
        least = error.validator_value if isinstance(error.validator_value, int) else 1
        entries = "one entry" if least == 1 else f"{least} entries"
        where = str(path[-1]) if path else "the spec"
        count = len(error.instance) if isinstance(error.instance, (list, dict)) else 0
        return document.problem(path, f"{where} needs at least {entries}, and has {count}", _FEW_ENTRIES.get(where, f"add {entries}"))
    if validator == "minLength":
        return document.problem(path, "must not be empty", _first_sentence(error))
    if validator in ("maximum", "minimum"):
        bound = "at most" if validator == "maximum" else "at least"
        limits = error.schema if isinstance(error.schema, dict) else {}
        fix = f"use a number from {limits['minimum']} to {limits['maximum']}" if "minimum" in limits and "maximum" in limits else f"use a number {bound} {error.validator_value}"
        what = _first_sentence(error)
        return document.problem(path, f"{error.instance!r} is out of range: it must be {bound} {error.validator_value}", fix + (f", {what[:1].lower()}{what[1:]}" if what else ""))
    if validator in ("anyOf", "oneOf"):
        got = _JSON_TYPES.get(type(error.instance), "null")
        return document.problem(path, f"expected a type name or a mapping, got {got}", "write a type such as string or Step[], or a mapping with type:")
    description = error.schema.get("description", "") if isinstance(error.schema, dict) else ""
    return document.problem(path, error.message, description.rstrip("."))


def _most_specific(error: ValidationError) -> list[ValidationError]:
    """For anyOf, the branch written for the value's kind (a string vs a mapping) explains best.

    Every error of that branch is kept: a field with a misspelled type and a misspelled
    key has two problems, and the author should see both at once.
    """
    if error.validator not in ("anyOf", "oneOf") or not error.context:
        return [error]
    branches: list[Any] = list(error.validator_value)  # type: ignore[arg-type]
    fitting = {index for index, branch in enumerate(branches) if _kind(_resolve(branch)) == _kind_of_value(error.instance)}
    candidates = [sub for sub in error.context if sub.relative_schema_path[0] in fitting]
    if not candidates:
        return [error]
    best = max(candidates, key=lambda sub: (len(sub.absolute_path), sub.validator != "type"))
    branch = best.relative_schema_path[0]
    return [specific for sub in candidates if sub.relative_schema_path[0] == branch for specific in _most_specific(sub)]


def _resolve(node: Any) -> Any:
    reference = node.get("$ref") if isinstance(node, dict) else None
    if isinstance(reference, str) and reference.startswith("#/$defs/"):
        return _resolve(schema()["$defs"][reference.rsplit("/", 1)[1]])
    return node


def _kind(node: Any) -> str:
    return str(node.get("type", "")) if isinstance(node, dict) else ""


def _kind_of_value(value: Any) -> str:
    kinds: dict[type, str] = {dict: "object", str: "string", list: "array"}
    return kinds.get(type(value), "other")


def _unknown_keys(document: Document, error: ValidationError, path: JsonPath) -> list[Problem]:
    allowed = sorted(_allowed_keys(error.schema))
    known = set(allowed)
    instance: Any = error.instance
    unknown = [key for key in instance if key not in known] if isinstance(instance, dict) else []
    problems = []
    for key in unknown or ["?"]:
        close = difflib.get_close_matches(key, allowed, n=1, cutoff=0.6)
        hint = f"did you mean {close[0]!r}?" if close else f"allowed keys: {', '.join(allowed)}"
        problems.append(replace(document.problem((*path, key), f"unknown key {key!r}", hint, key=True), confined=key != "?"))
    return problems


def _allowed_keys(node: Any) -> set[str]:
    """Property names a schema node admits, following $ref (for unevaluatedProperties)."""
    if not isinstance(node, dict):
        return set()
    keys = set(node.get("properties", {}))
    reference = node.get("$ref")
    if isinstance(reference, str) and reference.startswith("#/$defs/"):
        keys |= _allowed_keys(schema()["$defs"][reference.rsplit("/", 1)[1]])
    return keys


def _not_one_of(document: Document, error: ValidationError, path: JsonPath) -> Problem:
    allowed: list[Any] = list(error.validator_value)  # type: ignore[arg-type]
    options = [str(option) for option in allowed]
    written = str(error.instance)
    upper = [option for option in options if option == written.upper()]
    close = upper or difflib.get_close_matches(written, options, n=1, cutoff=0.5)
    hint = f"did you mean {close[0]!r}?" if close else f"use one of: {', '.join(options)}"
    if isinstance(error.instance, bool):
        hint = f"YAML reads true/false, yes/no and on/off as booleans; {hint}"
    return document.problem(path, f"{_as_written(error.instance)} is not one of {', '.join(options)}", hint)


def _as_written(value: Any) -> str:
    """A scalar as YAML spells it: ``false`` and ``null``, not Python's ``False`` and ``None``."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return "null" if value is None else repr(value)


PRIMITIVES = ("string", "integer", "number", "boolean", "any", "file", "map")


def _not_a_type(document: Document, error: ValidationError, path: JsonPath) -> Problem:
    written = str(error.instance)
    models = document.data.get("models") if isinstance(document.data, dict) else None
    choices = [*PRIMITIVES, *(models if isinstance(models, dict) else ())]
    close = difflib.get_close_matches(written.rstrip("[]"), choices, n=1, cutoff=0.6)
    hint = f"did you mean {close[0]!r}?" if close else "use string, integer, number, boolean, any, file, map or a model name, with [] for a list"
    return document.problem(path, f"{written!r} is not a type", hint)


def _type_hint(document: Document, error: ValidationError, path: JsonPath, expected: str) -> str:
    """How to write what was meant, when YAML read the plain text as something else.

    YAML 1.1 reads ``yes``, ``on`` and ``1.0`` as true and a number, where text was
    meant; and ``1e5`` (no dot, no exponent sign) as text, where a number was."""
    kinds = error.validator_value if isinstance(error.validator_value, list) else [error.validator_value]
    if "string" in kinds and isinstance(error.instance, (bool, int, float)):
        return _quote_hint(document, path, error.instance)
    if isinstance(error.instance, str) and {"number", "integer"} & set(kinds):
        try:
            value = float(error.instance)
        except ValueError:
            pass
        else:
            mantissa, _, exponent = error.instance.lower().partition("e")
            if exponent and math.isfinite(value):
                mantissa += "" if "." in mantissa else ".0"
                exponent = exponent if exponent[0] in "+-" else f"+{exponent}"
                return f"YAML reads {error.instance} as text: write {mantissa}e{exponent}"
    return f"write {expected} here"


def _quote_hint(document: Document, path: JsonPath, value: bool | float) -> str:
    """A true/false or a number where text was meant: quoting keeps the text as written."""
    shown = _as_written(value)
    written = document.written.get(path, shown)
    if written != shown:
        read_as = f"the number {shown}" if not isinstance(value, bool) else shown
    else:
        read_as = "a number" if not isinstance(value, bool) else "true/false"
    return f'YAML reads {written} as {read_as}: quote it ("{written}") to keep it as text'


def _expected_type(value: Any) -> str:
    names: dict[str, str] = {"object": "a mapping", "array": "a list", "string": "a string", "boolean": "true/false", "integer": "a whole number", "number": "a number", "null": "null"}
    kinds = value if isinstance(value, list) else [value]
    return " or ".join(names.get(str(kind), str(kind)) for kind in kinds)


_PATTERN_HINTS = {
    "^[a-z][a-z0-9_]*$": "use snake_case (lower-case letters, digits, _)",
    "^[a-z_][a-z0-9_]*$": "use snake_case (lower-case letters, digits, _)",
    "^[A-Z][A-Za-z0-9]*$": "use CapitalCase (e.g. FormSummary)",
    "^[A-Z][A-Z0-9_]*$": "use UPPER_CASE (e.g. FEATHERY_API_KEY)",
}


_ORIGIN = "^https?://[^/]+$"
# A server url without http:// or https:// (or with another scheme): the scheme is what is missing.
_NO_SCHEME = ("a server url starts with https:// (or http://), not {value!r}", "write https://{host}")
# Patterns whose violation deserves its own words: message and hint, {value} = what was written.
_PATTERN_MESSAGES = {
    "\\{key\\}": ("the format {value!r} has no {{key}} placeholder", 'write e.g. "Bearer {{key}}" or "{{key}}"'),
    "^https?://[^/]+$": (
        "a server url is an origin only (scheme, host, port), not {value!r}",
        "drop any path or trailing slash here and put the path prefix in each operation's path",
    ),
    "^/": ("a path must start with /, not {value!r}", "write '/{value}'"),
    # PEP 440's public versions in their normal form: what pip and build accept as written.
    "^([1-9][0-9]*!)?(0|[1-9][0-9]*)(\\.(0|[1-9][0-9]*))*((a|b|rc)(0|[1-9][0-9]*))?(\\.post(0|[1-9][0-9]*))?(\\.dev(0|[1-9][0-9]*))?$": (
        "{value!r} is not a version in the normal form of PEP 440",
        'write e.g. "1.0.0", "2.1.0rc1", "1.0.0.post1" or "0.3.0.dev2" (numbers without leading zeros)',
    ),
}


# What to do about a list or mapping with too few entries, by its key.
_FEW_ENTRIES = {
    "one_of": "a union needs two or more members: add one, or write the single type as `type:`",
    "enum": "list the values, or remove enum:",
    "servers": "add one: `default: {url: https://api.example.com}`",
    "resources": "add a resource with at least one operation",
    "operations": "add an operation, or remove the resource",
    "alternatives": "add a credential, or remove alternatives:",
}


def _first_sentence(error: ValidationError) -> str:
    description = error.schema.get("description", "") if isinstance(error.schema, dict) else ""
    return re.split(r"(?<!e\.g)\. ", str(description))[0].rstrip(".")


def _pattern_hint(error: ValidationError) -> str:
    known = _PATTERN_HINTS.get(str(error.validator_value))
    if known:
        return known
    description = error.schema.get("description", "") if isinstance(error.schema, dict) else ""
    return description.rstrip(".") or f"it must match {error.validator_value}"
