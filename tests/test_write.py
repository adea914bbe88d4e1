"""write: an output directory changes completely or not at all; diff names every change."""

from __future__ import annotations

from pathlib import Path, PurePosixPath

from generator.write import diff, plan


def _files(texts: dict[str, str]) -> dict[PurePosixPath, str]:
    return {PurePosixPath(path): text for path, text in texts.items()}


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
