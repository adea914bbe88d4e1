"""Where cold generation time goes: each pipeline stage of `sdkforge generate`, timed in-process.

    python bench/profile_generate.py --ops 1000 [--cprofile 20]

Prints seconds per stage for the synthetic spec: command start-up (interpreter
and imports, from `sdkforge --version`), load, validate + check, build,
render, black on one core (every .py file, no cache), formatting as the command
does it (empty cache, worker processes when it pays) and writing. With
--cprofile N, also the N functions with the most cumulative time in a
one-core run of the whole pipeline.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import black
from benchlib import machine, median, operations, run, table, tool, write_spec

from generator.build import build
from generator.checks import check
from generator.format import black_mode, format_files
from generator.load import load
from generator.render import render
from generator.validate import validate
from generator.write import write


def timed(stages: list[tuple[str, float]], name: str, function: Callable[[], Any]) -> Any:
    """Call ``function``, append its wall time to ``stages`` under ``name``, return its result."""
    started = time.perf_counter()
    result = function()
    stages.append((name, time.perf_counter() - started))
    return result


def black_serially(files: dict[Any, str]) -> dict[Any, str]:
    """black on every .py file, one after the other: what formatting costs on one core."""
    return {path: black.format_str(text, mode=black_mode()) for path, text in files.items() if path.suffix == ".py"}


def measure(spec: Path, root: Path) -> list[tuple[str, float]]:
    """Seconds of every stage, in order."""
    os.environ["SDKFORGE_CACHE_DIR"] = str(root / "cache")  # empty: the cold path
    start_up = median([run([tool("sdkforge"), "--version"]).seconds for _ in range(3)])
    stages: list[tuple[str, float]] = [("start-up: interpreter + imports", start_up)]
    document = timed(stages, "load", lambda: load(spec))
    problems = timed(stages, "validate + check", lambda: validate(document) or check(document))
    if problems:
        raise SystemExit("\n".join(str(problem) for problem in problems))
    api = timed(stages, "build", lambda: build(document))
    files = timed(stages, "render", lambda: render(api))
    timed(stages, "black, one core, no cache (not added)", lambda: black_serially(files))
    formatted = timed(stages, "format as the command does (empty cache)", lambda: format_files(files))
    timed(stages, "write", lambda: write(root / "out", formatted))
    return stages


def profile(spec: Path, root: Path, top: int) -> None:
    """cProfile the one-core pipeline and print the ``top`` functions by cumulative time."""
    profiler = cProfile.Profile()
    profiler.enable()
    black_serially(render(build(load(spec))))
    profiler.disable()
    pstats.Stats(profiler, stream=sys.stdout).sort_stats("cumulative").print_stats(top)


def main() -> int:
    """Time the stages and print them as a table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ops", type=int, default=1000, help="operations in the synthetic spec (default 1000)")
    parser.add_argument("--cprofile", type=int, default=0, metavar="N", help="also print the top N functions")
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-profile-") as directory:
        root = Path(directory)
        spec = write_spec(root / "spec", arguments.ops)
        stages = measure(spec, root)
        counted = sum(seconds for name, seconds in stages if "not added" not in name)
        print(f"Cold generation of {operations(arguments.ops)} operations by stage, {machine()}\n")
        rows = [[name, f"{seconds:.2f}", f"{seconds / counted:.0%}"] for name, seconds in stages]
        print(table(["stage", "seconds", "share of total"], rows + [["total", f"{counted:.2f}", "100%"]]))
        if arguments.cprofile:
            profile(spec, root, arguments.cprofile)
    return 0


if __name__ == "__main__":
    sys.exit(main())
