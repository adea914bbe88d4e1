"""Format generated Python with black, in-process, in one pinned style."""

from __future__ import annotations

from pathlib import PurePosixPath

import black
from black.mode import Mode, TargetVersion
from black.parsing import InvalidInput

# The generated packages support Python 3.10+; black's target decides syntax it may use.
MODE = Mode(target_versions={TargetVersion.PY310}, line_length=100)


def format_source(path: PurePosixPath, text: str) -> str:
    """black for .py files; other files only get a single trailing newline."""
    if path.suffix != ".py":
        return text.rstrip("\n") + "\n"
    try:
        return black.format_str(text, mode=MODE)
    except InvalidInput as error:  # a template bug, not a spec problem: show where
        raise RuntimeError(f"generated {path} is not valid Python: {error}") from None
