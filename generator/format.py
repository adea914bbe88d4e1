"""Format generated Python with black, in-process, in one pinned style.

black dominates generation time, so formatted text is cached by the text black
was given (see cache.py), and what is not cached is formatted by a process pool
when there is enough of it. black itself is imported only when needed.
"""

from __future__ import annotations

import multiprocessing
import multiprocessing.context
import os
from concurrent.futures import ProcessPoolExecutor
from functools import lru_cache
from pathlib import PurePosixPath
from typing import Any

from generator import cache

# Below this many lines to format, starting worker processes costs more than it saves.
PARALLEL_THRESHOLD_LINES = 4000
# The generated packages support Python 3.10+; black's target decides the syntax it may use.
STYLE = "py310, line length 100"
# black's line length; templates lay out long lines to it too (layout.py).
LINE_LENGTH = 100


@lru_cache(maxsize=1)
def black_mode() -> Any:
    from black.mode import Mode, TargetVersion

    return Mode(target_versions={TargetVersion.PY310}, line_length=LINE_LENGTH)


def format_files(files: dict[PurePosixPath, str]) -> dict[PurePosixPath, str]:
    """Format every file: cached results first, the rest with black, in parallel when it pays."""
    result: dict[PurePosixPath, str] = {}
    pending: dict[PurePosixPath, str] = {}
    for path, text in files.items():
        if path.suffix != ".py":
            result[path] = text.rstrip("\n") + "\n"
            continue
        cached = cache.read("black", cache.key(STYLE, text))
        if cached is None:
            pending[path] = text
        else:
            result[path] = cached
    for path, formatted in zip(pending, _black_all(list(pending.items()))):
        result[path] = formatted
        cache.write("black", cache.key(STYLE, pending[path]), formatted)
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
    import black
    from black.parsing import InvalidInput

    path, text = item
    try:
        return black.format_str(text, mode=black_mode())
    except InvalidInput as error:  # a template bug, not a spec problem: show where
        raise RuntimeError(f"generated {path} is not valid Python: {error}") from None
