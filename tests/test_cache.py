"""The cache: bounded (unused entries age out, the least recently used go first beyond
the size limit, a hit counts as a use, a sweep runs at most once a day), the user's
alone, holding compiled templates too, and a damaged entry in it is only a miss."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import jinja2
import pytest

from generator import cache
from generator.cli import main
from tests.conftest import ROOT
from tests.minispec import MINI_SPEC

DAY = 24 * 60 * 60


@pytest.fixture
def cache_root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "cache"
    monkeypatch.setenv("SDKFORGE_CACHE_DIR", str(root))
    return root


def _entry(root: Path, kind: str, name: str, *, size: int = 10, days_ago: float = 0) -> Path:
    path = root / kind / name[:2] / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("x" * size)
    used = time.time() - days_ago * DAY
    os.utime(path, (used, used))
    return path


def test_sweep_removes_what_was_not_used_for_max_age(cache_root: Path) -> None:
    fresh = _entry(cache_root, "black", "aa01", days_ago=29)
    stale = _entry(cache_root, "black", "aa02", days_ago=31)
    stale_package = _entry(cache_root, "packages", "bb01", days_ago=400)
    fresh_stamp = _entry(cache_root, "stamps", "cc01", days_ago=1)
    assert cache.sweep(cache_root, max_age_days=30) == 2
    assert fresh.exists() and fresh_stamp.exists()
    assert not stale.exists() and not stale_package.exists()


def test_sweep_keeps_the_most_recently_used_within_max_bytes(cache_root: Path) -> None:
    by_age = [_entry(cache_root, kind, f"{index:02d}{kind}", size=100, days_ago=index) for index, kind in enumerate(["stamps", "black", "packages", "black", "packages"])]
    # 250 bytes hold the two most recently used; the third would overflow, and so every older one goes.
    assert cache.sweep(cache_root, max_bytes=250) == 3
    assert [path.exists() for path in by_age] == [True, True, False, False, False]


def test_sweep_touches_nothing_but_the_cache_kinds(cache_root: Path) -> None:
    """SDKFORGE_CACHE_DIR may point at a directory that holds other things."""
    cache_root.mkdir()
    other = cache_root / "notes.txt"
    other.write_text("mine")
    legacy = _entry(cache_root, "ab", "ab" + "0" * 62, days_ago=365)
    os.utime(other, (0, 0))
    assert cache.sweep(cache_root, max_age_days=1, max_bytes=0) == 0
    assert other.read_text() == "mine" and legacy.exists()


def test_a_hit_counts_as_a_use(cache_root: Path) -> None:
    entry = _entry(cache_root, "black", "dd01", days_ago=31)
    assert cache.read("black", "dd01") == "x" * 10
    assert time.time() - entry.stat().st_mtime < 60
    assert cache.sweep(cache_root, max_age_days=30) == 0


def test_a_write_sweeps_at_most_once_a_day(cache_root: Path) -> None:
    stale = _entry(cache_root, "black", "ee01", days_ago=60)
    (cache_root / "last-swept").touch()  # swept a moment ago
    cache.write("black", "ee02", "new")
    assert stale.exists()
    day_and_a_bit_ago = time.time() - 1.1 * DAY
    os.utime(cache_root / "last-swept", (day_and_a_bit_ago, day_and_a_bit_ago))
    cache.write("black", "ee03", "newer")
    assert not stale.exists()
    assert cache.read("black", "ee02") == "new" and cache.read("black", "ee03") == "newer"
    assert time.time() - (cache_root / "last-swept").stat().st_mtime < 60


def test_generate_sweeps_a_cache_left_to_age(petstore_project: Path) -> None:
    """As a user meets it: months-old entries are gone after a regeneration that writes."""
    cache_root = petstore_project / "cache"
    old = [_entry(cache_root, kind, f"ff{kind}", size=1000, days_ago=90) for kind in cache.KINDS]
    assert main(["generate"]) == 0
    assert not any(path.exists() for path in old)
    assert list((cache_root / "packages").rglob("*")) and list((cache_root / "stamps").rglob("*"))
    assert main(["check"]) == 0


# A fresh interpreter per run: Jinja keeps templates it has loaded in memory, so only a
# new process shows whether they came back compiled from the cache.
_COUNT_COMPILES = """
import sys
import jinja2
from generator.cli import main

compiled = []
original = jinja2.Environment.compile
jinja2.Environment.compile = lambda self, *args, **kwargs: compiled.append(1) or original(self, *args, **kwargs)
status = main(["generate"])
print(status, len(compiled))
"""


def _generate_counting_compiles(project: Path, cache_dir: str) -> tuple[int, int]:
    environment = {**os.environ, "PYTHONPATH": str(ROOT), "SDKFORGE_CACHE_DIR": cache_dir}
    result = subprocess.run([sys.executable, "-c", _COUNT_COMPILES], cwd=project, env=environment, capture_output=True, text=True, check=True)
    status, compiles = result.stdout.split()[-2:]
    return int(status), int(compiles)


def test_templates_are_compiled_once_and_give_the_same_code(petstore_project: Path) -> None:
    project, cache_root = petstore_project, petstore_project / "cache"
    spec = project / "specs" / "petstore.yaml"
    status, first_compiles = _generate_counting_compiles(project, str(cache_root))
    assert status == 0 and first_compiles > 10
    assert list((cache_root / "templates").rglob("*"))
    spec.write_text(MINI_SPEC.replace("title: Pet Store API", "title: Pet Store API, again"))  # no stamp or package to reuse
    assert "again" in spec.read_text()
    assert _generate_counting_compiles(project, str(cache_root)) == (0, 0)
    with_compiled = {path: path.read_bytes() for path in (project / "generated").rglob("*") if path.is_file()}
    for path in with_compiled:
        path.unlink()
    assert _generate_counting_compiles(project, "") == (0, first_compiles)  # no cache at all
    assert {path: path.read_bytes() for path in (project / "generated").rglob("*") if path.is_file()} == with_compiled


def test_a_damaged_compiled_template_is_compiled_again(petstore_project: Path) -> None:
    project, cache_root = petstore_project, petstore_project / "cache"
    status, compiles = _generate_counting_compiles(project, str(cache_root))
    entries = [path for path in (cache_root / "templates").rglob("*") if path.is_file()]
    assert status == 0 and entries
    for number, entry in enumerate(entries):  # past Jinja's header, into its checksum's pickle
        entry.write_bytes(jinja2.bccache.bc_magic + (b"\x80\x04\x95garbage" if number % 2 else b"\xff"))
    (project / "specs" / "petstore.yaml").write_text(MINI_SPEC.replace("title: Pet Store API", "title: Pet Store API, again"))
    assert _generate_counting_compiles(project, str(cache_root)) == (0, compiles)
    (project / "specs" / "petstore.yaml").write_text(MINI_SPEC.replace("title: Pet Store API", "title: Pet Store API, a third"))
    assert _generate_counting_compiles(project, str(cache_root)) == (0, 0)  # the damaged entries were written over


def test_a_cache_others_can_write_is_not_used(petstore_project: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    """What the cache holds becomes code (compiled templates, generated packages)."""
    shared = petstore_project / "shared"
    shared.mkdir()
    shared.chmod(0o777)
    monkeypatch.setenv("SDKFORGE_CACHE_DIR", str(shared))
    assert main(["generate"]) == 0
    assert list(shared.iterdir()) == []
    assert f"not using the cache at {shared}: other users can write to it. Run `chmod go-w {shared}`" in capsys.readouterr().err
    assert (petstore_project / "generated" / "petstore" / "petstore_api" / "_client.py").is_file()


def test_a_cache_of_another_user_is_not_used(petstore_project: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    theirs = petstore_project / "theirs"
    theirs.mkdir(mode=0o700)
    monkeypatch.setenv("SDKFORGE_CACHE_DIR", str(theirs))
    monkeypatch.setattr(os, "getuid", lambda: theirs.stat().st_uid + 1)  # the os module cache.py reads
    assert main(["generate"]) == 0
    assert list(theirs.iterdir()) == []
    assert "it belongs to another user" in capsys.readouterr().err


def test_a_new_cache_is_created_for_its_user_alone(petstore_project: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    fresh = petstore_project / "deeper" / "cache"
    monkeypatch.setenv("SDKFORGE_CACHE_DIR", str(fresh))
    previous = os.umask(0o002)  # group-writable by default, as on many desktops
    try:
        assert main(["generate"]) == 0
    finally:
        os.umask(previous)
    assert fresh.stat().st_mode & 0o777 == 0o700
    assert list((fresh / "packages").rglob("*"))
    # Its folders too: with only the root checked, a world-writable one let another user plant an entry.
    folders = [path for path in fresh.rglob("*") if path.is_dir()]
    assert folders and {path.stat().st_mode & 0o777 for path in folders} == {0o700}
    assert "not using the cache" not in capsys.readouterr().err
    cache._only_yours.cache_clear()  # checked again, as by a new process
    assert main(["generate"]) == 0  # and used the next time
    assert "not using the cache" not in capsys.readouterr().err


@pytest.mark.parametrize("damage", [b"", b"\xff\xfe not UTF-8", b"{not json", b'["a list"]', b"no separator\nat all"])
def test_damaged_entries_are_misses(damage: bytes, petstore_project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A package, stamp or any entry damaged on disk: generated again, never a crash."""
    cache_root = petstore_project / "cache"
    assert main(["generate"]) == 0
    generated = petstore_project / "generated"
    good = {path: path.read_bytes() for path in generated.rglob("*") if path.is_file()}
    entries = [path for kind in ("packages", "stamps") for path in (cache_root / kind).rglob("*") if path.is_file()]
    assert len(entries) == 2
    for entry in entries:
        entry.write_bytes(damage)
    next(iter(good)).write_bytes(b"edited")  # so the stamp alone cannot say "up to date"
    capsys.readouterr()
    assert main(["generate"]) == 0
    assert {path: path.read_bytes() for path in generated.rglob("*") if path.is_file()} == good
    assert "1 written" in capsys.readouterr().out
    assert main(["check"]) == 0
