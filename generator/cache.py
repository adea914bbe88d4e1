"""A content-addressed cache under ~/.cache/sdkforge (or $SDKFORGE_CACHE_DIR; empty turns it off).

Three uses: black's output for a given input text, a spec's whole generated
package for given spec bytes, and the stamp of each output directory
(``outputs.py``). Keys include a fingerprint of this generator's code and
templates, so a changed generator never reuses an old result.
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
from functools import lru_cache
from pathlib import Path, PurePosixPath

from generator.paths import display_path

# json and tempfile are imported where they are used: a no-op regeneration
# (generator/outputs.py) needs neither, and its start-up is most of its time.


def directory() -> Path | None:
    """``$SDKFORGE_CACHE_DIR``, else the user cache; ``SDKFORGE_CACHE_DIR=""`` turns caching off."""
    configured = os.environ.get("SDKFORGE_CACHE_DIR")
    if configured is not None:
        return Path(configured) if configured else None
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "sdkforge"


@lru_cache(maxsize=1)
def generator_fingerprint() -> str:
    """A hash of everything that decides the output: this package, its templates, black's version."""
    package = Path(__file__).parent
    templates = package / "templates" if (package / "templates").is_dir() else package.parent / "templates"
    digest = hashlib.sha256(_black_version().encode())
    for root in (package, templates):
        for relative in _source_files(str(root)):
            with open(os.path.join(root, relative), "rb") as source:
                digest.update(relative.encode() + b"\0" + source.read())
    return digest.hexdigest()


def _source_files(root: str) -> list[str]:
    """The .py, .json and .jinja files under ``root``, as sorted relative POSIX paths.

    os.walk, not Path.rglob: this runs on every regeneration, and pathlib's objects
    cost more than the hashing."""
    found: list[str] = []
    for directory, subdirectories, names in os.walk(root):
        subdirectories.sort()
        relative = os.path.relpath(directory, root).replace(os.sep, "/")
        prefix = "" if relative == "." else relative + "/"
        found.extend(prefix + name for name in names if name.endswith((".py", ".json", ".jinja")))
    return sorted(found)


def _black_version() -> str:
    """black's version, from its dist-info directory's name when it is beside the package:
    importlib.metadata alone takes longer to import than a no-op regeneration takes to run."""
    spec = importlib.util.find_spec("black")
    if spec is not None and spec.origin:
        site = Path(spec.origin).parent.parent
        found = sorted(path.name for path in site.glob("black-*.dist-info"))
        if len(found) == 1:
            return found[0].removesuffix(".dist-info").removeprefix("black-")
    from importlib.metadata import version

    return version("black")


def package_key(spec_path: Path, source: bytes) -> str:
    """The key of the package a spec generates: this generator, the spec's bytes
    (``source``) and its name as the generated files quote it."""
    return key(display_path(spec_path), source)


def key(*parts: str | bytes) -> str:
    """A cache key from the generator's fingerprint and ``parts``."""
    digest = hashlib.sha256(generator_fingerprint().encode())
    for part in parts:
        digest.update(b"\0" + (part.encode() if isinstance(part, str) else part))
    return digest.hexdigest()


def read(kind: str, name: str) -> str | None:
    """The cached text, or None."""
    root = directory()
    path = root / kind / name[:2] / name if root else None
    try:
        return path.read_text(encoding="utf-8") if path else None
    except OSError:
        return None


def write(kind: str, name: str, text: str) -> None:
    """Store atomically; a cache that cannot be written is simply not used."""
    root = directory()
    if root is None:
        return
    target = root / kind / name[:2] / name
    import tempfile

    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        descriptor, temporary = tempfile.mkstemp(dir=target.parent, suffix=".tmp")
        with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(temporary, target)
    except OSError:
        pass


def read_files(name: str) -> dict[PurePosixPath, str] | None:
    """A whole generated package stored by ``write_files``."""
    import json

    text = read("packages", name)
    return None if text is None else {PurePosixPath(path): content for path, content in json.loads(text).items()}


def write_files(name: str, files: dict[PurePosixPath, str]) -> None:
    """Store a whole generated package."""
    import json

    write("packages", name, json.dumps({str(path): content for path, content in files.items()}))
