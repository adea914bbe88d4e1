"""Format generated Python with black, in-process, in one pinned style.

black dominates generation time, so it gets as little to do as possible:

- a module the renderer wrote in black's layout, and can show it did (see
  ``in_black_layout``), is already what black would make of it, and is kept;
- every other module goes to black; its output is cached by the text black was
  given (see cache.py), and what is not cached is formatted by a process pool
  when there is enough of it. black itself, and the pool's multiprocessing
  (~11 ms to import), are imported only when needed.
"""

from __future__ import annotations

import os
import re
from functools import lru_cache
from pathlib import PurePosixPath
from typing import TYPE_CHECKING, Any

from generator import cache

if TYPE_CHECKING:
    import multiprocessing.context

# Below this many lines to format, starting worker processes costs more than it saves.
PARALLEL_THRESHOLD_LINES = 4000
# The generated packages support Python 3.10+; black's target decides the syntax it may use.
STYLE = "py310, line length 100"
# black's line length; templates lay out long lines to it too (layout.py).
LINE_LENGTH = 100


# Signs of text whose layout the renderer cannot vouch for: a control character
# other than the newline, whitespace at the end of a line, or an escaped double
# quote (black may prefer single quotes for such a string).
_UNVOUCHED = re.compile(r'[\x00-\x09\x0b-\x1f\x7f]| $|\\"', re.MULTILINE)


@lru_cache(maxsize=1)
def black_mode() -> Any:
    from black.mode import Mode, TargetVersion

    return Mode(target_versions={TargetVersion.PY310}, line_length=LINE_LENGTH)


def in_black_layout(text: str) -> bool:
    """True when ``text``, rendered from our templates, is already in black's layout.

    The templates are written in black's layout, long lines come out split the
    way black splits them (layout.py), and spec prose goes through filters that
    give it black's docstring and string forms. Tests check that black changes
    nothing so vouched for: in every spec's package (tests/test_layout.py) and in
    packages of specs full of awkward text (tests/test_hostile_specs.py). What the renderer cannot vouch for
    shows in the text and sends the module to black: a line longer than the line
    length (a shape layout.py leaves to black, or a long word in prose), a
    non-ASCII character that is not printable or could widen a line past it,
    blank lines at the end, or what ``_UNVOUCHED`` matches.
    """
    if not text.endswith("\n") or text.endswith("\n\n") or _UNVOUCHED.search(text):
        return False
    if text.isascii():
        return max(map(len, text.split("\n"))) <= LINE_LENGTH
    return all(_width(line) <= LINE_LENGTH for line in text.split("\n"))


def _width(line: str) -> int:
    # Counting every non-ASCII character as two columns, the most black counts,
    # errs on the side of formatting; one it might treat as a line break does not pass.
    if line.isascii():
        return len(line)
    if not line.isprintable():
        return LINE_LENGTH + 1
    return sum(1 if char.isascii() else 2 for char in line)


def format_files(files: dict[PurePosixPath, str]) -> dict[PurePosixPath, str]:
    """Format every file: text already in black's layout as it is, cached results, the rest with black."""
    result: dict[PurePosixPath, str] = {}
    pending: dict[PurePosixPath, str] = {}
    for path, text in files.items():
        if path.suffix != ".py":
            result[path] = text.rstrip("\n") + "\n"
            continue
        if in_black_layout(text):
            result[path] = text
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
    from concurrent.futures import ProcessPoolExecutor

    # Biggest first, so that no worker is left with one large file at the end.
    order = sorted(range(len(items)), key=lambda index: -len(items[index][1]))
    with ProcessPoolExecutor(max_workers=workers, mp_context=_context()) as pool:
        formatted = list(pool.map(_black, [items[index] for index in order], chunksize=4))
    by_index = dict(zip(order, formatted))
    return [by_index[index] for index in range(len(items))]


def _context() -> multiprocessing.context.BaseContext:
    import multiprocessing

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
