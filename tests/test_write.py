"""write: an output directory changes completely or not at all; diff names every change."""

from __future__ import annotations

import os
import stat
from collections.abc import Callable, Iterator
from pathlib import Path, PurePosixPath

import pytest

from generator.write import diff, plan, write

OLD = {"a.py": "old a\n", "sub/b.py": "old b\n", "stale.py": "stale\n", "sub/gone/c.py": "c\n"}
NEW = {"a.py": "new a\n", "sub/b.py": "new b\n", "sub/d.py": "d\n", "fresh/deep/e.py": "e\n"}


def _files(texts: dict[str, str]) -> dict[PurePosixPath, str]:
    return {PurePosixPath(path): text for path, text in texts.items()}


@pytest.fixture
def umask() -> Iterator[Callable[[int], None]]:
    """Set the process's umask for one test."""
    before = os.umask(0o022)
    try:
        yield os.umask
    finally:
        os.umask(before)


@pytest.mark.parametrize(("mask", "mode"), [(0o022, 0o644), (0o002, 0o664), (0o077, 0o600)], ids=["022", "002", "077"])
def test_files_are_created_as_the_umask_says(tmp_path: Path, umask: Callable[[int], None], mask: int, mode: int) -> None:
    # As a plain open() or a git checkout would: tempfile.mkstemp makes 0600 whatever the umask.
    umask(mask)
    write(tmp_path / "out", _files(OLD))
    write(tmp_path / "out", _files(NEW))
    assert {stat.S_IMODE(path.stat().st_mode) for path in (tmp_path / "out").rglob("*.py")} == {mode}


def test_diff_names_empty_files_extra_and_missing(tmp_path: Path) -> None:
    (tmp_path / "extra.py").write_text("")
    files = _files({"empty.txt": ""})
    assert plan(tmp_path, files).written and plan(tmp_path, files).removed
    assert diff(tmp_path, files, "out") == "--- /dev/null\n+++ b/out/empty.txt\n--- a/out/extra.py\n+++ /dev/null\n"


def test_diff_shows_what_makes_a_file_differ(tmp_path: Path) -> None:
    (tmp_path / "crlf.py").write_bytes(b"x = 1\r\n")
    (tmp_path / "latin1.py").write_bytes(b"# caf\xe9\n")
    patch = diff(tmp_path, _files({"crlf.py": "x = 1\n", "latin1.py": "# café\n"}), "out")
    assert "-x = 1\r\n+x = 1\n" in patch
    assert "-# caf\N{REPLACEMENT CHARACTER}\n+# café\n" in patch
