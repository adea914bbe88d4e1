"""Deterministic example values made from a JSON Schema: what the mock server answers with.

The same schema always gives the same value, so a test against the mock can assert on
it: the schema's ``examples`` first, else the first enum value, else a value of the
type (formats, lengths and bounds respected). Every property is filled, arrays have
``ARRAY_LENGTH`` items, maps one entry; deep or recursive models stop at ``MAX_DEPTH``.
A ``variant`` tells items of one list apart (``"string"``, ``"string-2"``; 1, 2), since
clients rightly stop paging when a page repeats the one before it.
"""

from __future__ import annotations

import math
import re
from typing import Any

from generator.schemas import REF_PREFIX, Schema

ARRAY_LENGTH = 1
MAX_DEPTH = 8
FORMATS = {
    "date-time": "2024-01-01T00:00:00Z",
    "date": "2024-01-01",
    "email": "user@example.com",
    "uuid": "3fa85f64-5717-4562-b3fc-2c963f66afa6",
    "uri": "https://example.com/",
    "hex-color": "#6366f1",
    "binary": "file",
}
# Tried in order against a pattern; the first that matches is used.
_PATTERN_CANDIDATES = ("string", "example", "example-1", "abc", "a", "1", "6366f1", "ABC", "a_1")


class Faker:
    """Makes values for schemas whose ``$ref`` pointers name ``components``."""

    def __init__(self, components: dict[str, Schema]) -> None:
        self.components = components

    def value(self, schema: Schema, depth: int = 0, variant: int = 0) -> Any:
        """A value valid against ``schema``; another ``variant`` differs in its plain strings and numbers."""
        schema = self._resolve(schema)
        if "examples" in schema:
            return schema["examples"][0]
        if "const" in schema:
            return schema["const"]
        if "enum" in schema:
            return next((value for value in schema["enum"] if value is not None), None)
        for union in ("oneOf", "anyOf"):
            if union in schema:
                members = [member for member in schema[union] if member != {"type": "null"}]
                if depth >= MAX_DEPTH and len(members) < len(schema[union]):
                    return None  # a nullable field of a recursive model (parent: Note | null) ends it
                return self.value(members[0], depth, variant) if members else None
        kind = schema.get("type")
        if depth >= MAX_DEPTH and isinstance(kind, list) and "null" in kind:
            return None
        return self._of_type(schema, _type(schema), depth, variant)

    def _resolve(self, schema: Schema) -> Schema:
        while "$ref" in schema:
            # Sibling keywords (description, example) win over the referenced model's.
            rest = {key: value for key, value in schema.items() if key != "$ref"}
            schema = {**self.components[schema["$ref"].removeprefix(REF_PREFIX)], **rest}
        return schema

    def _of_type(self, schema: Schema, kind: str | None, depth: int, variant: int) -> Any:
        if kind == "object" or "properties" in schema:
            return self._object(schema, depth, variant)
        if kind == "array":
            return self._array(schema, depth, variant)
        if kind == "string":
            return string_value(schema, variant)
        if kind in ("integer", "number"):
            return number_value(schema, kind == "integer", variant)
        if kind == "boolean":
            return True
        if kind == "null":
            return None
        return {}  # any: the smallest JSON value that still reads as "something"

    def _object(self, schema: Schema, depth: int, variant: int) -> dict[str, Any]:
        properties: dict[str, Schema] = schema.get("properties") or {}
        # Past MAX_DEPTH only what is required, so a recursive model still ends.
        names = list(properties) if depth < MAX_DEPTH else list(schema.get("required") or [])
        result = {name: self.value(properties[name], depth + 1, variant) for name in names}
        extra = schema.get("additionalProperties")
        if isinstance(extra, dict) and not properties and depth < MAX_DEPTH:
            result["key"] = self.value(extra, depth + 1, variant)
        return result

    def _array(self, schema: Schema, depth: int, variant: int) -> list[Any]:
        length = max(schema.get("minItems", 0), ARRAY_LENGTH if depth < MAX_DEPTH else 0)
        length = min(length, schema.get("maxItems", length))
        return [self.value(schema.get("items") or {}, depth + 1, variant + index) for index in range(length)]


def _type(schema: Schema) -> str | None:
    kind = schema.get("type")
    if isinstance(kind, list):
        return next((item for item in kind if item != "null"), "null")
    return kind if isinstance(kind, str) else None


def string_value(schema: Schema, variant: int = 0) -> str:
    """A string of the schema's format, matching its pattern and within its lengths."""
    text = FORMATS.get(schema.get("format", ""), f"string-{variant + 1}" if variant else "string")
    if "pattern" in schema:
        pattern = re.compile(schema["pattern"])
        text = next((candidate for candidate in (text, *_PATTERN_CANDIDATES) if pattern.search(candidate)), text)
    minimum, maximum = schema.get("minLength", 0), schema.get("maxLength")
    if len(text) < minimum:
        text += "x" * (minimum - len(text))
    return text[:maximum] if maximum is not None else text


def number_value(schema: Schema, integer: bool, variant: int = 0) -> int | float:
    """1 (or 1.5) plus the variant, moved inside the schema's minimum and maximum."""
    value: float = (1 if integer else 1.5) + variant
    if "minimum" in schema and value < schema["minimum"]:
        value = schema["minimum"]
    if "maximum" in schema and value > schema["maximum"]:
        value = schema["maximum"]
    return math.ceil(value) if integer else value
