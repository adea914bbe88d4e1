"""Every Python name in a generated package is decided here, from the wire names in a spec."""

from __future__ import annotations

import re

# Hard keywords of Python 3.10-3.13, written out so names do not depend on the running
# interpreter. Soft keywords (match, case, type, _) are valid identifiers and stay.
PYTHON_KEYWORDS = frozenset(
    {
        "False", "None", "True", "and", "as", "assert", "async", "await", "break", "class",
        "continue", "def", "del", "elif", "else", "except", "finally", "for", "from", "global",
        "if", "import", "in", "is", "lambda", "nonlocal", "not", "or", "pass", "raise", "return",
        "try", "while", "with", "yield",
    }
)

# Names that would shadow something the generated code relies on. Data, not logic:
# extend the set when a template starts using a new name in the same scope.
RESERVED_ARGUMENTS = frozenset({"self", "options", "cls"})
RESERVED_ATTRIBUTES = frozenset({"model_config", "model_fields", "model_extra", "model_dump", "model_validate", "copy", "dict", "json", "schema"})
RESERVED_MODELS = frozenset({"BaseModel", "Field", "Any", "Literal", "Union", "Annotated", "Optional", "datetime", "date"})
RESERVED_RESOURCES = frozenset({"close", "with_options", "base_url", "api_key", "timeout", "max_retries", "request"})

_BOUNDARY = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")
_NOT_WORD = re.compile(r"[^0-9a-zA-Z]+")


def snake_case(wire_name: str) -> str:
    """``pageIndex`` -> ``page_index``, ``API-KEY`` -> ``api_key``, ``from`` -> ``from_``."""
    spaced = _BOUNDARY.sub("_", wire_name)
    words = [word for word in _NOT_WORD.split(spaced) if word]
    name = "_".join(words).lower() or "value"
    if name[0].isdigit():
        name = f"_{name}"
    return f"{name}_" if name in PYTHON_KEYWORDS else name


def argument_name(wire_name: str) -> str:
    """Name of a method argument; never one of the names the method itself uses."""
    name = snake_case(wire_name)
    return f"{name}_" if name in RESERVED_ARGUMENTS else name


def attribute_name(wire_name: str) -> str:
    """Name of a model attribute; never one of pydantic's own."""
    name = snake_case(wire_name)
    return f"{name}_" if name in RESERVED_ATTRIBUTES or name.startswith("model_") else name


def class_name(snake: str) -> str:
    """``feature_flags`` -> ``FeatureFlags``."""
    return "".join(part[:1].upper() + part[1:] for part in snake.split("_") if part)


def async_class_name(name: str) -> str:
    """``Feathery`` -> ``AsyncFeathery``."""
    return f"Async{name}"


def distribution_name(package: str) -> str:
    """``feathery_api`` -> ``feathery-api``."""
    return package.replace("_", "-")


def constant_name(snake: str) -> str:
    """``rotate_key`` -> ``_ROTATE_KEY``: the module constant describing an endpoint."""
    return f"_{snake.upper()}"
