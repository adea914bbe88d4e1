"""Format generated Python with black, in-process, in one pinned style.

black dominates generation time, so formatted text is cached by the hash of the
text black was given (plus black's version and mode): a spec that did not change
formats in no time. The cache only ever maps an input to black's own output.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import os
import multiprocessing
import multiprocessing.context
import tempfile
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path, PurePosixPath

import black
from black.mode import Mode, TargetVersion
from black.parsing import InvalidInput

# The generated packages support Python 3.10+; black's target decides syntax it may use.
MODE = Mode(target_versions={TargetVersion.PY310}, line_length=100)
_BLACK_VERSION = importlib.metadata.version("black")


# Below this many lines to format, starting worker processes costs more than it saves.
PARALLEL_THRESHOLD_LINES = 4000


def format_files(files: dict[PurePosixPath, str]) -> dict[PurePosixPath, str]:
    """Format every file: cached results first, the rest with black, in parallel when it pays."""
    result: dict[PurePosixPath, str] = {}
    pending: dict[PurePosixPath, str] = {}
    for path, text in files.items():
        if path.suffix != ".py":
            result[path] = text.rstrip("\n") + "\n"
            continue
        cached = _cache_file(text)
        if cached is not None and cached.is_file():
            result[path] = cached.read_text(encoding="utf-8")
        else:
            pending[path] = text
    for path, formatted in zip(pending, _black_all(list(pending.items()))):
        result[path] = formatted
        cached = _cache_file(pending[path])
        if cached is not None:
            _store(cached, formatted)
    return {path: result[path] for path in files}


def _black_all(items: list[tuple[PurePosixPath, str]]) -> list[str]:
    workers = min(os.cpu_count() or 1, len(items))
    if workers < 2 or sum(text.count("\n") for _, text in items) < PARALLEL_THRESHOLD_LINES:
        return [_black(item) for item in items]
    # Biggest first, so that no worker is left with one large file at the end.
    order = sorted(range(len(items)), key=lambda index: -len(items[index][1]))
    with ProcessPoolExecutor(max_workers=workers, mp_context=_context()) as pool:
        formatted = list(pool.map(_black, [items[index] for index in order], chunksize=4))
    by_index = dict(zip(order, formatted))
    return [by_index[index] for index in range(len(items))]


def _context() -> multiprocessing.context.BaseContext:
    # fork shares the already-imported black with the workers; elsewhere, spawn.
    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    return multiprocessing.get_context(method)


def _black(item: tuple[PurePosixPath, str]) -> str:
    path, text = item
    try:
        return black.format_str(text, mode=MODE)
    except InvalidInput as error:  # a template bug, not a spec problem: show where
        raise RuntimeError(f"generated {path} is not valid Python: {error}") from None


def format_source(path: PurePosixPath, text: str) -> str:
    """One file: black for .py files; other files only get a single trailing newline."""
    return format_files({path: text})[path]


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
