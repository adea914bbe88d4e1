"""Import lines for generated modules, computed from the names each module uses."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TypeVar

# Typing and library names a module may need, and the import line that provides each.
IMPORT_SOURCES = {
    "Any": "from typing import Any",
    "Literal": "from typing import Literal",
    "Annotated": "from typing import Annotated",
    "datetime": "import datetime",
    "builtins": "import builtins",
    "Field": "from pydantic import Field",
    "cached_property": "from functools import cached_property",
}
THIRD_PARTY = ("pydantic",)
_DIGITS = re.compile(r"(\d+)")
T = TypeVar("T")


def import_sections(
    needs: frozenset[str],
    models: set[str],
    runtime: dict[str, set[str]] | None = None,
    package: tuple[str, ...] = (),
) -> tuple[tuple[str, ...], ...]:
    """The import lines for the names a module uses, in isort's sections (standard
    library, pydantic, this package), so that ruff and isort find nothing to move.

    ``runtime`` maps a package module to the names taken from it, ``package`` adds
    lines already written (the model modules'), and empty sections are left out.
    """
    library = sorted({IMPORT_SOURCES[name] for name in needs if name in IMPORT_SOURCES}, key=_straight_first)
    standard = _merged([line for line in library if _module(line) not in THIRD_PARTY])
    third_party = _merged([line for line in library if _module(line) in THIRD_PARTY])
    own = [f"from {module} import {', '.join(sorted(names, key=import_name_order))}" for module, names in sorted((runtime or {}).items())]
    used_models = sorted(name for name in needs if name in models)
    if used_models:
        own.append(f"from ..models import {', '.join(used_models)}")
    own += package
    return tuple(tuple(section) for section in (standard, third_party, own) if section)


def _module(line: str) -> str:
    return line.split()[1].split(".")[0]


def _straight_first(line: str) -> tuple[bool, str]:
    # isort's order inside a section: ``import x`` lines, then ``from x import y``, each by module.
    return (line.startswith("from "), line)


def _merged(lines: list[str]) -> list[str]:
    """``from typing import A`` + ``from typing import B`` -> ``from typing import A, B``."""
    merged: dict[str, list[str]] = {}
    for line in lines:
        if line.startswith("from "):
            module, names = line[len("from ") :].split(" import ")
            merged.setdefault(f"from {module} import ", []).append(names)
        else:
            merged[line] = []
    return [head + ", ".join(sorted(names, key=import_name_order)) if names else head for head, names in merged.items()]


def import_name_order(name: str) -> tuple[int, list[str | int]]:
    """isort's order of the names in one import: CONSTANTS, then Classes, then the rest;
    numbers in a name compare as numbers (``Thing2`` before ``Thing10``)."""
    kind = 0 if name.isupper() else 1 if name[:1].isupper() else 2
    # re.split with a group alternates text and digits, so like compares with like.
    return (kind, [int(part) if index % 2 else part for index, part in enumerate(_DIGITS.split(name))])


def isorted(items: Iterable[T], attribute: str | None = None) -> list[T]:
    """Names (or the ``attribute`` of each item) as isort orders them in an import, and
    ruff (RUF022) in ``__all__``."""
    def name(item: T) -> str:
        return str(getattr(item, attribute) if attribute else item)

    return sorted(items, key=lambda item: import_name_order(name(item)))
