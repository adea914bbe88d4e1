"""Whether a value written in a spec (an ``example:`` or a ``default:``) fits its field.

The mock answers with examples and the docstrings quote defaults: a value of the wrong
type would make the mock serve what the generated client then refuses (``10:30``, which
YAML reads as the number 630, for a string field). Objects are checked as objects, not
field by field: their own fields carry their own examples.
"""

from __future__ import annotations

import datetime
import re
from typing import Any

# RFC 3339, as the clients write and the mock checks them; the offset is optional for
# a date-time here, since a server's example often leaves it out.
_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_DATE_TIME = re.compile(r"(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(?:[Zz]|[+-]\d{2}:?\d{2})?")
_EXPONENT = re.compile(r"[-+]?\d+(\.\d*)?[eE][-+]?\d+")  # 1e3: YAML 1.1 reads it as text
_SCALARS: dict[str, tuple[type, ...]] = {"string": (str,), "integer": (int,), "number": (int, float), "boolean": (bool,)}


def misfit(value: Any, field: dict[str, Any], models: dict[str, Any], seen: frozenset[str] = frozenset()) -> str | None:
    """What is wrong with ``value`` for ``field`` (a mapping of the spec), or None when it fits.

    ``seen``: the models this value was already checked against (a recursive alias).
    """
    expression = str(field.get("type", "any"))
    if value is None:
        plain_any = expression == "any" and not {"enum", "one_of"} & set(field)
        return None if field.get("nullable") or plain_any else "null, and the field is not nullable"
    if expression.endswith("[]") and {"enum", "format"} & set(field):
        # status: {type: string[], enum: [open, closed]}: the enum and the format are the items'.
        if not isinstance(value, list):
            return f"{value!r} is not a list"
        item = {**field, "type": expression[:-2], "nullable": False}
        return next((problem for each in value if (problem := misfit(each, item, models, seen))), None)
    if "enum" in field:
        return None if value in field["enum"] else f"{value!r} is not one of its enum values"
    if "one_of" in field:
        fits_one = any(_expression_misfit(value, str(member), models, seen) is None for member in field["one_of"])
        return None if fits_one else f"{value!r} fits none of its one_of types"
    if expression == "string" and field.get("format") in ("date", "date-time"):
        pattern = _DATE if field["format"] == "date" else _DATE_TIME
        if not isinstance(value, str) or not (match := pattern.fullmatch(value)) or not _real_moment(match):
            return f"{value!r} is not a {field['format']} (write e.g. {'2024-05-06' if field['format'] == 'date' else '2024-05-06T07:08:09Z'})"
        return None
    return _expression_misfit(value, expression, models, seen)


def _real_moment(match: re.Match[str]) -> bool:
    """A date that exists (no month 13), at a time of day that does (no 25:00)."""
    numbers = [int(part) if part else 0 for part in match.groups()]
    try:
        datetime.date(*numbers[:3])
    except ValueError:
        return False
    hour, minute, second = (numbers[3:6] + [0, 0, 0])[:3]
    return hour < 24 and minute < 60 and second <= 60  # 60: a leap second


def _expression_misfit(value: Any, expression: str, models: dict[str, Any], seen: frozenset[str]) -> str | None:
    if expression.endswith("[]"):
        if not isinstance(value, list):
            return f"{value!r} is not a list"
        return next((problem for item in value if (problem := _expression_misfit(item, expression[:-2], models, seen))), None)
    if expression in _SCALARS:
        if expression == "integer" and isinstance(value, float) and value.is_integer():
            return None  # 1.0: an integer to JSON Schema and to pydantic alike
        # YAML's true is a bool, and a bool is an int to Python: not a number here.
        if isinstance(value, bool) != (expression == "boolean") or not isinstance(value, _SCALARS[expression]):
            if isinstance(value, str) and expression != "string" and _EXPONENT.fullmatch(value):
                return f"{value!r} is text to YAML 1.1, not a number (write it with a dot and a signed exponent, 1.0e+3)"
            return f"{value!r} is not {'an' if expression == 'integer' else 'a'} {expression}"
        return None
    if expression == "map":
        return None if isinstance(value, dict) else f"{value!r} is not a map"
    model = models.get(expression)
    if not isinstance(model, dict) or expression in seen:
        return None  # any, file, or a reference validate already reported
    if "properties" in model:
        return None if isinstance(value, dict) else f"{value!r} is not a {expression} object"
    return misfit(value, model, models, seen | {expression})  # an enum, a union or an alias


def outside_limits(value: Any, field: dict[str, Any]) -> str | None:
    """Which of the field's limits (pattern, lengths, bounds, item counts) ``value`` breaks, or
    None. On an array written ``X[]`` the value limits hold for each item, as in the clients."""
    if str(field.get("type", "")).endswith("[]") and isinstance(value, list):
        count = len(value)
        if "min_items" in field and count < field["min_items"]:
            return f"a list of {count} item(s), fewer than min_items {field['min_items']}"
        if "max_items" in field and count > field["max_items"]:
            return f"a list of {count} item(s), more than max_items {field['max_items']}"
        return next((problem for item in value if (problem := _value_outside(item, field))), None)
    return _value_outside(value, field)


def _value_outside(value: Any, field: dict[str, Any]) -> str | None:
    if isinstance(value, str):
        pattern = field.get("pattern")
        if isinstance(pattern, str) and _searches(pattern, value) is False:
            return f"{value!r} does not match its pattern {pattern!r}"
        if "min_length" in field and len(value) < field["min_length"]:
            return f"{value!r} is shorter than min_length {field['min_length']}"
        if "max_length" in field and len(value) > field["max_length"]:
            return f"{value!r} is longer than max_length {field['max_length']}"
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        if "minimum" in field and value < field["minimum"]:
            return f"{value!r} is below its minimum {field['minimum']}"
        if "maximum" in field and value > field["maximum"]:
            return f"{value!r} is above its maximum {field['maximum']}"
    return None


def _searches(pattern: str, value: str) -> bool | None:
    """Whether the pattern is found in the value, as JSON Schema and pydantic look (anywhere in
    it, unless anchored); None for a pattern that is no regular expression (reported apart)."""
    try:
        return re.search(pattern, value) is not None
    except re.error:
        return None

