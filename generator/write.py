"""Put generated files on disk atomically, or compare them with what is there."""

from __future__ import annotations

import difflib
import os
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

from generator.outputs import IGNORED_PARTS, existing_files

if TYPE_CHECKING:
    from generator.paths import StrPath


@dataclass(frozen=True)
class Changes:
    """What writing would do to one output directory."""

    written: tuple[PurePosixPath, ...]
    removed: tuple[PurePosixPath, ...]


def plan(root: StrPath, files: dict[PurePosixPath, str]) -> Changes:
    """Which files differ from ``files`` and which are stale."""
    existing = existing_files(root)
    written = tuple(path for path, text in files.items() if not _same(existing.get(path), text))
    removed = tuple(sorted(path for path in existing if path not in files))
    return Changes(written, removed)


def write(root: StrPath, files: dict[PurePosixPath, str]) -> Changes:
    """Make ``root`` hold exactly ``files``: changed files replaced atomically, stale ones removed."""
    changes = plan(root, files)
    for path in changes.written:
        _atomic_write(Path(root, path), files[path])
    for path in changes.removed:
        Path(root, path).unlink()
    _remove_empty_directories(Path(root))
    return changes


def diff(root: StrPath, files: dict[PurePosixPath, str], label: str, changes: Changes | None = None) -> str:
    """A unified diff from what is on disk to what generation produces; it names every file of ``changes``."""
    if changes is None:
        changes = plan(root, files)
    chunks: list[str] = []
    for path in sorted({*changes.written, *changes.removed}):
        on_disk = Path(root, path)
        exists = on_disk.is_file()
        # Bytes decoded as they are: a line ending or a byte that is not UTF-8 shows as a change.
        old = on_disk.read_bytes().decode("utf-8", errors="replace").splitlines(keepends=True) if exists else []
        new = files[path].splitlines(keepends=True) if path in files else []
        name = f"{label}/{path}"
        headers = (f"a/{name}" if exists else "/dev/null", f"b/{name}" if path in files else "/dev/null")
        hunks = list(difflib.unified_diff(old, new, *headers))
        # An empty file, extra or missing, has no lines to show: its headers alone say which it is.
        chunks.extend(hunks or [f"--- {headers[0]}\n", f"+++ {headers[1]}\n"])
    return "".join(chunks)


def _same(path: Path | None, text: str) -> bool:
    if path is None:
        return False
    try:
        return path.read_bytes() == text.encode("utf-8")
    except OSError:
        return False


def _atomic_write(target: Path, text: str) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = _create_beside(target, text.encode("utf-8"))
    try:
        os.replace(temporary, target)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def _create_beside(target: Path, content: bytes) -> Path:
    """A new file beside ``target``, created as any other (its mode from the umask: no mkstemp's 0600)."""
    for _ in range(100):
        temporary = target.with_name(f".{target.name}.{os.urandom(4).hex()}.tmp")
        try:
            handle = open(temporary, "xb")  # noqa: SIM115 - closed below, and removed when writing fails
        except FileExistsError:
            continue
        try:
            with handle:
                handle.write(content)
        except BaseException:
            temporary.unlink(missing_ok=True)
            raise
        return temporary
    raise FileExistsError(f"no free name beside {target}")


def _remove_empty_directories(root: Path) -> None:
    if not root.is_dir():
        return
    for directory in sorted((path for path in root.rglob("*") if path.is_dir()), key=lambda path: len(path.parts), reverse=True):
        if directory.name in IGNORED_PARTS:
            continue
        if not any(directory.iterdir()):
            directory.rmdir()

