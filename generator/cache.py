"""A content-addressed cache under ~/.cache/sdkforge (or $SDKFORGE_CACHE_DIR; empty turns it off).

Four uses: black's output for a given input text, a spec's whole generated
package for given spec bytes, the stamp of each output directory
(``outputs.py``), and Jinja's compiled templates (``render.py``). Keys include
a fingerprint of this generator's code and templates, so a changed generator
never reuses an old result.

Every spec edit and every generator upgrade adds entries that nothing will ask
for again, so the cache is bounded: a hit refreshes its file's modification
time, and at most once a day the first write of a run sweeps out what was not
used for ``MAX_AGE_DAYS``, then the least recently used beyond ``MAX_BYTES``.
A run that writes nothing (a no-op regeneration) never pays for a sweep.
"""

from __future__ import annotations

import os
import sys
import time
from functools import lru_cache
from importlib.machinery import PathFinder

from generator.paths import display_path, files_under, templates_directory

TYPE_CHECKING = False  # typing's own name for it, without importing typing
if TYPE_CHECKING:
    from pathlib import PurePosixPath

    from generator.paths import StrPath

try:
    # hashlib loads OpenSSL as it is imported (~5 ms, a tenth of a no-op regeneration).
    # BLAKE2 is built into CPython: this is the very type hashlib.blake2b names.
    from _blake2 import blake2b
except ImportError:  # an interpreter built without it
    from hashlib import blake2b

# json, tempfile and pathlib are imported where they are used: a no-op regeneration
# (generator/outputs.py) needs none of them, and its start-up is most of its time.

KINDS = ("black", "packages", "stamps", "templates")
MAX_AGE_DAYS = 30
MAX_BYTES = 256 * 1024 * 1024
_DAY = 24 * 60 * 60
# Its modification time is when the last sweep began.
_SWEPT_MARKER = "last-swept"
DIGEST_SIZE = 32  # bytes: 64 hex digits in a key or a stamp


def digest(content: bytes) -> str:
    """The hex BLAKE2b digest of ``content``: cache keys, stamps and file names are made of these."""
    return blake2b(content, digest_size=DIGEST_SIZE).hexdigest()


def directory() -> str | None:
    """``$SDKFORGE_CACHE_DIR``, else the user cache; ``SDKFORGE_CACHE_DIR=""`` turns caching off.

    None, too, when the directory is not the user's alone (see ``_only_yours``)."""
    configured = os.environ.get("SDKFORGE_CACHE_DIR")
    if configured is not None:
        root = configured
    else:
        root = os.path.join(os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache"), "sdkforge")
    return root if root and _only_yours(root) else None


@lru_cache(maxsize=8)
def _only_yours(root: str) -> bool:
    """Whether no other user can have written the cache at ``root``.

    What it holds becomes code: compiled templates are run, cached packages are
    written into generated/. So a directory another user owns, or may write to,
    is not used (with one warning), as Jinja does with its own bytecode cache.
    One that does not exist yet is fine: ``write_bytes`` creates it for the user alone."""
    try:
        status = os.stat(root)
    except FileNotFoundError:
        return True
    except OSError:
        return False
    getuid = getattr(os, "getuid", None)  # POSIX only; elsewhere there are no such modes
    if getuid is None:
        return True
    if status.st_uid != getuid():
        problem = "it belongs to another user. Set SDKFORGE_CACHE_DIR to a directory of your own"
    elif status.st_mode & 0o022:
        problem = f"other users can write to it. Run `chmod go-w {root}`, or set SDKFORGE_CACHE_DIR to a directory of your own"
    else:
        return True
    print(f"sdkforge: not using the cache at {root}: {problem}.", file=sys.stderr)
    return False


@lru_cache(maxsize=1)
def generator_fingerprint() -> str:
    """A hash of everything that decides the output: this package, its templates, black's version."""
    package = os.path.dirname(os.path.abspath(__file__))
    digest = blake2b(_black_version().encode(), digest_size=DIGEST_SIZE)
    for root in (package, templates_directory()):
        for relative in sorted(name for name in files_under(root)[0] if name.endswith((".py", ".json", ".jinja"))):
            with open(os.path.join(root, relative), "rb") as source:
                digest.update(relative.encode() + b"\0" + source.read())
    return digest.hexdigest()


def _black_version() -> str:
    """black's version, from its dist-info directory's name when it is beside the package:
    importlib.metadata alone takes longer to import than a no-op regeneration takes to run."""
    spec = PathFinder.find_spec("black")  # not importlib.util, which is ~3 ms more to import
    if spec is not None and spec.origin:
        site = os.path.dirname(os.path.dirname(spec.origin))
        try:
            found = [name for name in os.listdir(site) if name.startswith("black-") and name.endswith(".dist-info")]
        except OSError:
            found = []
        if len(found) == 1:
            return found[0].removesuffix(".dist-info").removeprefix("black-")
    from importlib.metadata import version

    return version("black")


def package_key(spec_path: StrPath, source: bytes) -> str:
    """The key of the package a spec generates: this generator, the spec's bytes
    (``source``) and its name as the generated files quote it."""
    return key(display_path(spec_path), source)


def key(*parts: str | bytes) -> str:
    """A cache key from the generator's fingerprint and ``parts``."""
    digest = blake2b(generator_fingerprint().encode(), digest_size=DIGEST_SIZE)
    for part in parts:
        digest.update(b"\0" + (part.encode() if isinstance(part, str) else part))
    return digest.hexdigest()


def read(kind: str, name: str) -> str | None:
    """The cached text, or None (also for an entry that is not UTF-8: damaged, so a miss)."""
    data = read_bytes(kind, name)
    try:
        return None if data is None else data.decode("utf-8")
    except UnicodeDecodeError:
        return None


def write(kind: str, name: str, text: str) -> None:
    """Store text atomically; a cache that cannot be written is simply not used."""
    write_bytes(kind, name, text.encode("utf-8"))


def read_bytes(kind: str, name: str) -> bytes | None:
    """The cached bytes, or None."""
    root = directory()
    if root is None:
        return None
    path = os.path.join(root, kind, name[:2], name)
    try:
        with open(path, "rb") as handle:
            data = handle.read()
    except OSError:
        return None
    try:
        os.utime(path)  # used now: the sweep removes the least recently used first
    except OSError:
        pass
    return data


def write_bytes(kind: str, name: str, data: bytes) -> None:
    """Store bytes atomically: a reader sees the old entry or the new one, never a part."""
    root = directory()
    if root is None:
        return
    folder = os.path.join(root, kind, name[:2])
    import tempfile

    try:
        # 0o700 whatever the umask (see _only_yours), each level: makedirs gives its mode to the
        # last one only, and a folder others may write to lets them plant an entry.
        for level in (root, os.path.dirname(folder), folder):
            os.makedirs(level, mode=0o700, exist_ok=True)
        descriptor, temporary = tempfile.mkstemp(dir=folder, suffix=".tmp")
    except OSError:
        return
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
        os.replace(temporary, os.path.join(folder, name))
    except OSError:
        try:
            os.remove(temporary)
        except OSError:
            pass
        return
    _sweep_once_a_day(root)


def _sweep_once_a_day(root: str) -> None:
    marker = os.path.join(root, _SWEPT_MARKER)
    try:
        if time.time() - os.stat(marker).st_mtime < _DAY:
            return
    except OSError:
        pass  # never swept
    try:
        with open(marker, "ab"):
            pass
        os.utime(marker)
    except OSError:
        return
    sweep(root)


def sweep(root: StrPath, *, max_age_days: float = MAX_AGE_DAYS, max_bytes: int = MAX_BYTES) -> int:
    """Remove the cache files under ``root`` unused for ``max_age_days``, then the least
    recently used until the rest fit in ``max_bytes``; return how many were removed.

    Only the cache's own kinds are touched, so a cache directory pointed at a shared
    place loses nothing else. A file another run reads or replaces meanwhile is just
    a miss for that run."""
    entries: list[tuple[float, int, str]] = []
    for kind in KINDS:
        for folder, _, names in os.walk(os.path.join(root, kind)):
            for name in names:
                path = os.path.join(folder, name)
                try:
                    status = os.stat(path)
                except OSError:
                    continue
                entries.append((status.st_mtime, status.st_size, path))
    oldest_kept = time.time() - max_age_days * _DAY
    newer_bytes = 0  # this file's size and that of every file used more recently
    removed = 0
    for used, size, path in sorted(entries, reverse=True):  # most recently used first
        newer_bytes += size
        if used >= oldest_kept and newer_bytes <= max_bytes:
            continue
        try:
            os.remove(path)
            removed += 1
        except OSError:
            pass
    return removed


def read_files(name: str) -> dict[PurePosixPath, str] | None:
    """A whole generated package stored by ``write_files``."""
    import json
    from pathlib import PurePosixPath

    text = read("packages", name)
    try:
        stored = json.loads(text) if text is not None else None
    except ValueError:
        return None  # damaged: a miss, generated again and written over
    if not isinstance(stored, dict) or not all(isinstance(content, str) for content in stored.values()):
        return None
    return {PurePosixPath(path): content for path, content in stored.items()}


def write_files(name: str, files: dict[PurePosixPath, str]) -> None:
    """Store a whole generated package."""
    import json

    write("packages", name, json.dumps({str(path): content for path, content in files.items()}))
