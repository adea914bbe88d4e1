"""Whether a value written in a spec (an ``example:`` or a ``default:``) fits its field.

The mock answers with examples and the docstrings quote defaults: a value of the wrong
type would make the mock serve what the generated client then refuses (``10:30``, which
YAML reads as the number 630, for a string field). Objects are checked as objects, not
field by field: their own fields carry their own examples.
"""

from __future__ import annotations

import re
from typing import Any

# RFC 3339, as the clients write and the mock checks them; the offset is optional for
# a date-time here, since a server's example often leaves it out.
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_DATE_TIME = re.compile(r"\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?([Zz]|[+-]\d{2}:?\d{2})?")
_SCALARS: dict[str, tuple[type, ...]] = {"string": (str,), "integer": (int,), "number": (int, float), "boolean": (bool,)}


def misfit(value: Any, field: dict[str, Any], models: dict[str, Any], seen: frozenset[str] = frozenset()) -> str | None:
    """What is wrong with ``value`` for ``field`` (a mapping of the spec), or None when it fits.

    ``seen``: the models this value was already checked against (a recursive alias).
    """
    if value is None:
        return None if field.get("nullable") else "null, and the field is not nullable"
    if "enum" in field:
        return None if value in field["enum"] else f"{value!r} is not one of its enum values"
    if "one_of" in field:
        fits_one = any(_expression_misfit(value, str(member), models, seen) is None for member in field["one_of"])
        return None if fits_one else f"{value!r} fits none of its one_of types"
    expression = str(field.get("type", "any"))
    if expression == "string" and field.get("format") in ("date", "date-time"):
        pattern = _DATE if field["format"] == "date" else _DATE_TIME
        if not isinstance(value, str) or not pattern.fullmatch(value):
            return f"{value!r} is not a {field['format']} (write e.g. {'2024-05-06' if field['format'] == 'date' else '2024-05-06T07:08:09Z'})"
        return None
    return _expression_misfit(value, expression, models, seen)


def _expression_misfit(value: Any, expression: str, models: dict[str, Any], seen: frozenset[str]) -> str | None:
    if expression.endswith("[]"):
        if not isinstance(value, list):
            return f"{value!r} is not a list"
        return next((problem for item in value if (problem := _expression_misfit(item, expression[:-2], models, seen))), None)
    if expression in _SCALARS:
        kinds = _SCALARS[expression]
        # YAML's true is a bool, and a bool is an int to Python: not a number here.
        if isinstance(value, bool) != (expression == "boolean") or not isinstance(value, kinds):
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
