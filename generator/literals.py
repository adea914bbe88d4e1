"""Spec values written as Python or TOML literals: any text a spec holds comes out valid.

A Python string is written the way black writes it when it can be: in double
quotes, with backslash escapes for what cannot appear as itself. A string with a
double quote in it keeps the escaped quote, and black, which may prefer single
quotes for it, decides (format.py sends such a module to black).
"""

from __future__ import annotations

import json
import math
from typing import Any

_PYTHON_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"}


def python_string(value: str) -> str:
    """``value`` as a double-quoted Python string literal."""
    return '"' + "".join(_PYTHON_ESCAPES.get(char) or _printable(char) for char in value) + '"'


def python_literal(value: Any) -> str:
    """A string, number, boolean or null of a spec as a Python expression."""
    if isinstance(value, str):
        return python_string(value)
    if value is None or isinstance(value, bool):
        return repr(value)
    if isinstance(value, float) and not math.isfinite(value):
        return f'float("{value}")'
    if isinstance(value, (int, float)):
        return repr(value)
    raise TypeError(f"no Python literal for {value!r}")


def toml_string(value: str) -> str:
    """``value`` as a TOML basic string (JSON's escapes are TOML's, bar DEL, which TOML wants escaped)."""
    return json.dumps(value, ensure_ascii=False).replace("\x7f", "\\u007f")


def escape_unprintable(text: str) -> str:
    """``text`` with each character that is not printable (a control or a line separator) escaped."""
    return text if text.isprintable() else "".join(_printable(char) for char in text)


def _printable(char: str) -> str:
    if char.isprintable():
        return char
    code = ord(char)
    if code < 0x100:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"
