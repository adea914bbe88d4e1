"""Format generated Python with black, in-process, in one pinned style.

black dominates generation time, so formatted text is cached by the hash of the
text black was given (plus black's version and mode): a spec that did not change
formats in no time. The cache only ever maps an input to black's own output.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import os
import tempfile
from pathlib import Path, PurePosixPath

import black
from black.mode import Mode, TargetVersion
from black.parsing import InvalidInput

# The generated packages support Python 3.10+; black's target decides syntax it may use.
MODE = Mode(target_versions={TargetVersion.PY310}, line_length=100)
_BLACK_VERSION = importlib.metadata.version("black")


def format_source(path: PurePosixPath, text: str) -> str:
    """black for .py files; other files only get a single trailing newline."""
    if path.suffix != ".py":
        return text.rstrip("\n") + "\n"
    cached = _cache_file(text)
    if cached is not None and cached.is_file():
        return cached.read_text(encoding="utf-8")
    try:
        formatted = black.format_str(text, mode=MODE)
    except InvalidInput as error:  # a template bug, not a spec problem: show where
        raise RuntimeError(f"generated {path} is not valid Python: {error}") from None
    if cached is not None:
        _store(cached, formatted)
    return formatted


def cache_directory() -> Path | None:
    """``$SDKFORGE_CACHE_DIR``, else the user cache; ``SDKFORGE_CACHE_DIR=""`` turns caching off."""
    configured = os.environ.get("SDKFORGE_CACHE_DIR")
    if configured is not None:
        return Path(configured) if configured else None
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "sdkforge"


def _cache_file(text: str) -> Path | None:
    directory = cache_directory()
    if directory is None:
        return None
    key = hashlib.sha256(f"{_BLACK_VERSION}\0{MODE!r}\0{text}".encode()).hexdigest()
    return directory / key[:2] / key


def _store(target: Path, text: str) -> None:
    """Write atomically; a cache that cannot be written is simply not used."""
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        descriptor, temporary = tempfile.mkstemp(dir=target.parent, suffix=".tmp")
        with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(temporary, target)
    except OSError:
        pass
