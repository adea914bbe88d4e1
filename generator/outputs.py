"""Output directories: where a spec's package goes, which files generation owns
there, and a stamp of what the last run left in each.

A stamp holds the package's cache key (this generator, the spec's bytes and
name) and the digest (``cache.digest``) of every file. When the key is unchanged and the
directory holds exactly those files, with those hashes, a regeneration (or a
check) has nothing to do: it stops without loading YAML, templates or black,
and without reading the package back from the cache. Anything else, such as an
edited, missing or extra file, an empty directory, a changed spec or generator,
or no stamp at all, goes through the pipeline, which writes a new stamp.

Stamps live in the cache directory (``cache.directory()``), one per output
directory, named by its absolute path; with caching turned off there are none.
This module imports only ``os`` and ``cache`` (no pathlib: paths are strings
here): in a pre-commit hook the no-op run is mostly interpreter start-up and imports.
"""

from __future__ import annotations

import os

from generator import cache
from generator.paths import files_under

TYPE_CHECKING = False  # typing's own name for it, without importing typing
if TYPE_CHECKING:
    from pathlib import Path, PurePosixPath

    from generator.paths import StrPath

# Left alone in an output directory: caches and build artefacts of the generated package,
# and every hidden file or directory (.git, .venv, .mypy_cache), but the staging files of an
# interrupted write (write.py ``_Steps._name``), which are generation's own.
IGNORED_PARTS = {"__pycache__", "build", "dist"}
STAGING_SUFFIXES = (".tmp", ".old")

_STAMPS = "stamps"


def output_name(spec_path: StrPath) -> str:
    """``specs/feathery.yaml`` -> ``feathery``: the directory under generated/ (the file's stem)."""
    name = os.path.basename(spec_path)
    dot = name.rfind(".")
    return name[:dot] if 0 < dot < len(name) - 1 else name  # pathlib's rule: ".yaml" and "x." are stems


def shared_outputs(spec_paths: list[str], root: str) -> list[tuple[str, str]]:
    """Pairs (earlier, later) of different spec files whose packages would go to the same
    directory under ``root``: in one run, the later one would delete the earlier one's files."""
    first: dict[str, str] = {}
    pairs = []
    for path in spec_paths:
        # Case folded: on a case-insensitive file system (macOS, Windows), Api/ and api/ are one
        # directory, and os.path.normcase folds only on Windows.
        directory = os.path.abspath(os.path.join(root, output_name(path))).casefold()
        earlier = first.setdefault(directory, path)
        if earlier != path and os.path.realpath(earlier) != os.path.realpath(path):
            pairs.append((earlier, path))
    return pairs


def existing_files(root: StrPath) -> dict[PurePosixPath, Path]:
    """Files under ``root`` that generation owns (caches and build output excluded)."""
    from pathlib import Path, PurePosixPath  # only a run that writes gets here

    return {PurePosixPath(relative): Path(root, relative) for relative in _walk(root)[0]}


def record(root: StrPath, package_key: str, files: dict[PurePosixPath, str]) -> None:
    """Note that ``root`` now holds exactly ``files``, generated under ``package_key``."""
    if not package_key:
        return
    lines = [package_key] + [f"{cache.digest(text.encode('utf-8'))}  {path}" for path, text in sorted(files.items())]
    cache.write(_STAMPS, _stamp_name(root), "\n".join(lines) + "\n")


def unchanged(root: StrPath, package_key: str) -> bool:
    """Whether ``root`` holds exactly what was last recorded for ``package_key``."""
    stamp = cache.read(_STAMPS, _stamp_name(root)) if package_key else None
    lines = stamp.splitlines() if stamp is not None else []
    if not lines or lines[0] != package_key:
        return False
    entries = lines[1:]
    expected = {}
    for entry in entries:
        digest, separator, relative = entry.partition("  ")
        if not separator:
            return False  # a damaged stamp proves nothing
        expected[relative] = digest
    found, has_empty_directory = _walk(root)
    if has_empty_directory or sorted(found) != sorted(expected):
        return False
    for relative in found:
        try:
            with open(os.path.join(root, relative), "rb") as handle:
                if cache.digest(handle.read()) != expected[relative]:
                    return False
        except OSError:
            return False
    return True


def _walk(root: StrPath) -> tuple[list[str], bool]:
    """The files generation owns under ``root``, and whether a directory there is empty
    (a write would remove it)."""
    found, has_empty_directory = files_under(root, skip=ignored_directory)
    return [relative for relative in found if _may_be_generated(relative.rpartition("/")[2])], has_empty_directory


def ignored_directory(name: str) -> bool:
    """Whether generation leaves a directory of this name alone, and all it holds."""
    return name in IGNORED_PARTS or name.endswith(".egg-info") or name.startswith(".")


def _may_be_generated(name: str) -> bool:
    """Not a hidden file, unless it is a staging file of write.py: ``.<name>.<8 hex>.tmp``."""
    if not name.startswith("."):
        return True
    rest, _, kind = name.rpartition(".")
    token = rest.rpartition(".")[2]
    return f".{kind}" in STAGING_SUFFIXES and len(token) == 8 and all(c in "0123456789abcdef" for c in token)


def _stamp_name(root: StrPath) -> str:
    return cache.digest(os.path.abspath(root).encode())
