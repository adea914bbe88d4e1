"""Paths as a user reads them.

os.path on strings, not pathlib: a no-op regeneration uses this, and importing
pathlib (which imports urllib.parse and ipaddress) is a tenth of its time.
"""

from __future__ import annotations

import os

TYPE_CHECKING = False  # typing's own name for it, without importing typing (~5 ms)
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import TypeAlias

    # What open() takes: a str, or a Path (or any os.PathLike) from the rest of the pipeline.
    StrPath: TypeAlias = str | os.PathLike[str]


def display_path(path: StrPath) -> str:
    """The path as a user would type it: relative to the working directory when inside it,
    with forward slashes; as given (``PurePath(path).as_posix()``) when outside it."""
    if inside(path, os.getcwd()):
        return os.path.relpath(os.path.realpath(path), os.path.realpath(os.getcwd())).replace(os.sep, "/")
    from pathlib import PurePath  # rare: only a path outside the working directory gets here

    return PurePath(path).as_posix()


def inside(path: StrPath, directory: StrPath) -> bool:
    """Whether ``path`` is ``directory`` or below it, symbolic links resolved (as Path.resolve())."""
    resolved, root = os.path.realpath(path), os.path.realpath(directory)
    try:
        return os.path.commonpath([resolved, root]) == root
    except ValueError:  # on another drive
        return False


def files_under(root: StrPath, skip: Callable[[str], bool] = lambda name: False) -> tuple[list[str], bool]:
    """Relative POSIX paths of the files under ``root``, not looking into directories
    whose name ``skip`` accepts; and whether a directory there is empty.

    os.walk on strings, not Path.rglob: a no-op regeneration walks the output and the
    generator's own sources, and pathlib's objects would cost more than the hashing."""
    found: list[str] = []
    has_empty_directory = False
    for directory, subdirectories, names in os.walk(root):
        has_empty_directory = has_empty_directory or not (subdirectories or names)
        subdirectories[:] = [name for name in subdirectories if not skip(name)]
        relative = os.path.relpath(directory, root).replace(os.sep, "/")
        prefix = "" if relative == "." else relative + "/"
        found.extend(prefix + name for name in names)
    return found, has_empty_directory


def templates_directory() -> str:
    """Installed wheels carry the templates inside the package; a checkout keeps them at the top."""
    package = os.path.dirname(os.path.abspath(__file__))
    bundled = os.path.join(package, "templates")
    return bundled if os.path.isdir(bundled) else os.path.join(os.path.dirname(package), "templates")


def read_or_none(path: StrPath) -> bytes | None:
    """The file's bytes, or None when it cannot be read (loading it again then says why)."""
    try:
        with open(path, "rb") as handle:
            return handle.read()
    except OSError:
        return None
