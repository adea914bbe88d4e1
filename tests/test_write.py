"""write: an output directory changes completely or not at all; diff names every change."""

from __future__ import annotations

import builtins
import errno
import os
import stat
from collections.abc import Callable, Iterator
from pathlib import Path, PurePosixPath

import pytest

import generator.write
from generator.cli import main
from generator.write import WriteError, diff, plan, write
from tests.minispec import MINI_SPEC

OLD = {"a.py": "old a\n", "sub/b.py": "old b\n", "stale.py": "stale\n", "sub/gone/c.py": "c\n"}
NEW = {"a.py": "new a\n", "sub/b.py": "new b\n", "sub/d.py": "d\n", "fresh/deep/e.py": "e\n"}


def _files(texts: dict[str, str]) -> dict[PurePosixPath, str]:
    return {PurePosixPath(path): text for path, text in texts.items()}


def _snapshot(root: Path) -> dict[str, tuple[bytes, int] | None]:
    """Every file (hidden ones too: a staged file left behind counts) and directory, with its mode."""
    return {
        path.relative_to(root).as_posix(): (path.read_bytes(), stat.S_IMODE(path.stat().st_mode)) if path.is_file() else None
        for path in sorted(root.rglob("*"))
    }


@pytest.fixture
def out(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An output directory holding OLD, in the working directory."""
    monkeypatch.chdir(tmp_path)
    write("out", _files(OLD))
    return tmp_path / "out"


@pytest.fixture
def umask() -> Iterator[Callable[[int], None]]:
    """Set the process's umask for one test."""
    before = os.umask(0o022)
    try:
        yield os.umask
    finally:
        os.umask(before)


def _fail_on_call(monkeypatch: pytest.MonkeyPatch, owner: object, name: str, number: int) -> list[int]:
    """Make call ``number`` of ``owner.name`` raise ENOSPC; returns the count of calls made."""
    real = getattr(owner, name, getattr(builtins, name, None))  # open: the module finds the builtin
    calls = [0]

    def fake(*arguments: object, **keywords: object) -> object:
        calls[0] += 1
        if calls[0] == number:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(arguments[0]))
        return real(*arguments, **keywords)

    monkeypatch.setattr(owner, name, fake, raising=False)
    return calls


def test_write_makes_the_directory_hold_exactly_the_files(out: Path) -> None:
    changes = write("out", _files(NEW))
    assert changes.written == tuple(_files(NEW)) and changes.removed == (PurePosixPath("stale.py"), PurePosixPath("sub/gone/c.py"))
    assert {path: entry[0] for path, entry in _snapshot(out).items() if entry is not None} == {
        path: text.encode() for path, text in NEW.items()
    }
    assert not (out / "sub" / "gone").exists()


@pytest.mark.parametrize(("mask", "mode"), [(0o022, 0o644), (0o002, 0o664), (0o077, 0o600)], ids=["022", "002", "077"])
def test_files_are_created_as_the_umask_says(tmp_path: Path, umask: Callable[[int], None], mask: int, mode: int) -> None:
    # As a plain open() or a git checkout would: tempfile.mkstemp makes 0600 whatever the umask.
    umask(mask)
    write(tmp_path / "out", _files(OLD))
    write(tmp_path / "out", _files(NEW))
    assert {stat.S_IMODE(path.stat().st_mode) for path in (tmp_path / "out").rglob("*.py")} == {mode}


@pytest.mark.parametrize("step", ["open", "os.replace"])
def test_a_failure_at_any_step_leaves_the_directory_as_it_was(out: Path, monkeypatch: pytest.MonkeyPatch, step: str) -> None:
    owner, name = (generator.write, "open") if step == "open" else (os, "replace")
    before = _snapshot(out)
    number = 1
    while True:
        with monkeypatch.context() as patched:
            calls = _fail_on_call(patched, owner, name, number)
            try:
                write("out", _files(NEW))
            except WriteError as error:
                message = str(error)
            else:
                break  # every call has failed once, in turn
        assert _snapshot(out) == before, f"call {number} of {step}"
        assert message.endswith(": No space left on device — out was left as it was"), message
        assert message.startswith(("cannot write out/", "cannot remove out/")) and ".tmp" not in message, message
        number += 1
    assert number > 4 and calls[0] < number
    assert _snapshot(out) != before


def test_the_message_names_the_file_being_written(out: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real = os.replace

    def refuse(source: os.PathLike[str], target: os.PathLike[str]) -> None:
        if os.fspath(target) == os.path.join("out", "sub", "b.py"):
            raise PermissionError(errno.EPERM, os.strerror(errno.EPERM), source)
        real(source, target)

    monkeypatch.setattr(os, "replace", refuse)
    with pytest.raises(WriteError) as raised:
        write("out", _files(NEW))
    assert str(raised.value) == "cannot write out/sub/b.py: Operation not permitted — out was left as it was"


def test_a_directory_in_the_way_leaves_everything_as_it_was(out: Path) -> None:
    (out / "sub" / "d.py").mkdir()  # a real failure, even for root: no file can replace a directory
    before = _snapshot(out)
    with pytest.raises(WriteError, match=r"^cannot write out/sub/d.py: Is a directory — out was left as it was$"):
        write("out", _files(NEW))
    assert _snapshot(out) == before


def test_a_new_output_directory_is_not_left_behind(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    _fail_on_call(monkeypatch, os, "replace", 3)
    with pytest.raises(WriteError, match="^cannot write out/sub/d.py: "):
        write("out", _files(NEW))
    assert list(tmp_path.iterdir()) == []


def test_when_putting_back_fails_too_the_message_says_so(out: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real = os.replace

    def fail_then_refuse_to_put_back(source: os.PathLike[str], target: os.PathLike[str]) -> None:
        if os.fspath(target) == os.path.join("out", "sub", "b.py") or Path(source).name.endswith(".old"):
            raise PermissionError(errno.EPERM, os.strerror(errno.EPERM), source)
        real(source, target)

    monkeypatch.setattr(os, "replace", fail_then_refuse_to_put_back)
    with pytest.raises(WriteError, match=r"^cannot write out/sub/b.py: Operation not permitted — out could not be put back .*"
                                         r": run `sdkforge generate` again$"):
        write("out", _files(NEW))


def test_without_hard_links_the_old_files_are_copied(out: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def no_links(source: os.PathLike[str], target: os.PathLike[str]) -> None:
        raise PermissionError(errno.EPERM, os.strerror(errno.EPERM), source)

    monkeypatch.setattr(os, "link", no_links)
    before = _snapshot(out)
    with monkeypatch.context() as patched:
        _fail_on_call(patched, os, "replace", 2)
        with pytest.raises(WriteError):
            write("out", _files(NEW))
    assert _snapshot(out) == before
    write("out", _files(NEW))
    assert sorted(path for path, entry in _snapshot(out).items() if entry is not None) == sorted(NEW)


def test_diff_names_empty_files_extra_and_missing(tmp_path: Path) -> None:
    (tmp_path / "extra.py").write_text("")
    files = _files({"empty.txt": ""})
    assert plan(tmp_path, files).written and plan(tmp_path, files).removed
    assert diff(tmp_path, files, "out") == "--- /dev/null\n+++ b/out/empty.txt\n--- a/out/extra.py\n+++ /dev/null\n"
    # An absolute output root reads as git shows one: a/tmp/..., not a//tmp/...
    assert diff(tmp_path, files, "/srv/out").startswith("--- /dev/null\n+++ b/srv/out/empty.txt\n")


def test_diff_shows_what_makes_a_file_differ(tmp_path: Path) -> None:
    (tmp_path / "crlf.py").write_bytes(b"x = 1\r\n")
    (tmp_path / "latin1.py").write_bytes(b"# caf\xe9\n")
    patch = diff(tmp_path, _files({"crlf.py": "x = 1\n", "latin1.py": "# café\n"}), "out")
    assert "-x = 1\r\n+x = 1\n" in patch
    assert "-# caf\N{REPLACEMENT CHARACTER}\n+# café\n" in patch


def test_generate_stops_at_the_package_it_cannot_write(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    """Each package is written whole or not at all; one that fails stops the run, with one line."""
    (tmp_path / "specs").mkdir()
    for name in ("one", "two"):
        (tmp_path / "specs" / f"{name}.yaml").write_text(MINI_SPEC)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SDKFORGE_CACHE_DIR", str(tmp_path / "cache"))
    real = os.replace

    def refuse(source: os.PathLike[str], target: os.PathLike[str]) -> None:
        if os.fspath(target).endswith(os.path.join("two", "petstore_api", "models.py")):
            raise PermissionError(errno.EPERM, os.strerror(errno.EPERM), source)
        real(source, target)

    with monkeypatch.context() as patched:
        patched.setattr(os, "replace", refuse)
        assert main(["generate"]) == 1
    captured = capsys.readouterr()
    assert captured.out.startswith("generated/one: ")
    assert captured.err == ("sdkforge generate: cannot write generated/two/petstore_api/models.py: Operation not permitted"
                            " — generated/two was left as it was\n")
    assert sorted(path.name for path in (tmp_path / "generated").iterdir()) == ["one"]
    assert main(["check", "specs/one.yaml"]) == 0
    assert main(["check"]) == 1
    assert main(["generate"]) == 0
    assert main(["check"]) == 0
