"""Import lines for generated modules, computed from the names each module uses."""

from __future__ import annotations

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


def import_lines(needs: frozenset[str], models: set[str], runtime: dict[str, set[str]] | None = None) -> tuple[str, ...]:
    """Import lines for the names a module uses: standard library, pydantic, then the package."""
    lines = _merged(sorted({IMPORT_SOURCES[name] for name in needs if name in IMPORT_SOURCES}, key=_import_group))
    for module, names in sorted((runtime or {}).items()):
        lines.append(f"from {module} import {', '.join(sorted(names, key=_import_name_order))}")
    used_models = sorted(name for name in needs if name in models)
    if used_models:
        lines.append(f"from ..models import {', '.join(used_models)}")
    return tuple(lines)


def _merged(lines: list[str]) -> list[str]:
    """``from typing import A`` + ``from typing import B`` -> ``from typing import A, B``."""
    merged: dict[str, list[str]] = {}
    for line in lines:
        if line.startswith("from "):
            module, names = line[len("from ") :].split(" import ")
            merged.setdefault(f"from {module} import ", []).append(names)
        else:
            merged[line] = []
    return [head + ", ".join(sorted(names)) if names else head for head, names in merged.items()]


def _import_group(line: str) -> tuple[int, int, str]:
    return (1 if "pydantic" in line else 0, 0 if line.startswith("import ") else 1, line)


def _import_name_order(name: str) -> tuple[bool, str]:
    # isort's order: CONSTANTS, then Classes, then functions.
    return (not name.isupper(), name.lower() if not name[:1].isupper() else name)
