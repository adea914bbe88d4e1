"""Import lines for generated modules, computed from the names each module uses."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TypeVar

# Typing and library names a module may need, and the import line that provides each.
IMPORT_SOURCES = {
    "Any": "from typing import Any",
    "Literal": "from typing import Literal",
    "Final": "from typing import Final",
    "Annotated": "from typing import Annotated",
    "TypedDict": "from typing import TypedDict",
    "TYPE_CHECKING": "from typing import TYPE_CHECKING",
    "datetime": "import datetime",
    "Sequence": "from collections.abc import Sequence",
    "Mapping": "from collections.abc import Mapping",
    "builtins": "import builtins",
    "Field": "from pydantic import Field",
    "AwareDatetime": "from pydantic import AwareDatetime",
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
    own = [f"from {module} import {', '.join(import_order(names))}" for module, names in sorted((runtime or {}).items())]
    used_models = import_order(name for name in needs if name in models)
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
    return [head + ", ".join(import_order(names)) if names else head for head, names in merged.items()]


def _natural(text: str) -> list[str | int]:
    # re.split with a group alternates text and digits, so like compares with like.
    return [int(part) if index % 2 else part for index, part in enumerate(_DIGITS.split(text))]


def _kind(name: str) -> int:
    # A single capital letter is a class to isort and ruff, not a constant.
    return 0 if len(name) > 1 and name.isupper() else 1 if name[:1].isupper() else 2


def import_name_order(name: str) -> tuple[int, list[str | int], list[str | int]]:
    """isort's order of the names in one import (and of module names): CONSTANTS, then
    Classes, then the rest; case ignored but for ties; numbers compared as numbers."""
    return (_kind(name), _natural(name.lower()), _natural(name))


def export_name_order(name: str) -> tuple[int, list[str | int]]:
    """ruff's order of ``__all__`` (RUF022): as in an import, but case counts
    (``ABD`` before ``AB_C``, ``APIError`` before ``Abc``)."""
    return (_kind(name), _natural(name))


def import_order(items: Iterable[T], attribute: str | None = None) -> list[T]:
    """Names, or the ``attribute`` of each item, in the order isort puts them in an import."""
    return sorted(items, key=lambda item: import_name_order(_name(item, attribute)))


def export_order(items: Iterable[T], attribute: str | None = None) -> list[T]:
    """Names, or the ``attribute`` of each item, in the order ruff wants in ``__all__``."""
    return sorted(items, key=lambda item: export_name_order(_name(item, attribute)))


def _name(item: object, attribute: str | None) -> str:
    return str(getattr(item, attribute) if attribute else item)
