"""Paths as a user reads them.

os.path on strings, not pathlib: a no-op regeneration uses this, and importing
pathlib (which imports urllib.parse and ipaddress) is a tenth of its time.
"""

from __future__ import annotations

import os

TYPE_CHECKING = False  # typing's own name for it, without importing typing (~5 ms)
if TYPE_CHECKING:
    from typing import TypeAlias

    # What open() takes: a str, or a Path (or any os.PathLike) from the rest of the pipeline.
    StrPath: TypeAlias = str | os.PathLike[str]


def display_path(path: StrPath) -> str:
    """The path as a user would type it: relative to the working directory when inside it,
    with forward slashes; as given (``PurePath(path).as_posix()``) when outside it."""
    resolved = os.path.realpath(path)  # what Path.resolve() does
    here = os.path.realpath(os.getcwd())
    try:
        inside = os.path.commonpath([resolved, here]) == here
    except ValueError:  # on another drive
        inside = False
    if inside:
        return os.path.relpath(resolved, here).replace(os.sep, "/")
    from pathlib import PurePath  # rare: only a path outside the working directory gets here

    return PurePath(path).as_posix()
