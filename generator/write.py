"""Put generated files on disk all at once, or compare them with what is there.

``write`` changes an output directory completely or not at all. First every
changed file is staged beside its target (``.<name>.<random>.tmp``), with a
second name (``.<name>.<random>.old``, a hard link) for each file it will
replace. Only when all of them are on disk are they moved into place, one
``os.replace`` each, and stale files moved aside; then the old names are
deleted. An error before that last step undoes every step taken, so the
directory is left as it was, and the message names the real file.

Nothing else can break that up: SIGINT and SIGTERM wait until the write is
over, and a second sdkforge run on the same directory waits for the lock on it.
Only files sdkforge wrote are ever removed (they say so in their first line):
a directory that holds another file is refused, untouched. Hidden files and
directories (``.git``, ``.venv``) are left alone, as are caches and build
artefacts (``outputs.ignored_directory``).
"""

from __future__ import annotations

import contextlib
import difflib
import os
import signal
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

from generator.outputs import GENERATED_MARK, existing_files, ignored_directory
from generator.paths import display_path

try:
    import fcntl
except ImportError:  # Windows: runs are not locked against each other
    fcntl = None  # type: ignore[assignment]

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

    from generator.paths import StrPath


@dataclass(frozen=True)
class Changes:
    """What writing would do to one output directory."""

    written: tuple[PurePosixPath, ...]
    removed: tuple[PurePosixPath, ...]
    foreign: tuple[PurePosixPath, ...] = ()  # of ``removed``: files sdkforge did not write


class WriteError(OSError):
    """An output directory could not be written (and was left as it was, unless the message says not)."""


def plan(root: StrPath, files: dict[PurePosixPath, str]) -> Changes:
    """Which files differ from ``files`` and which are stale."""
    existing = existing_files(root)
    written = tuple(path for path, text in files.items() if not _same(existing.get(path), text))
    removed = tuple(sorted(path for path in existing if path not in files))
    foreign = tuple(path for path in removed if not _generated(existing[path]))
    return Changes(written, removed, foreign)


def write(root: StrPath, files: dict[PurePosixPath, str]) -> Changes:
    """Make ``root`` hold exactly ``files``, or raise WriteError with ``root`` as it was."""
    with _held(Path(root)):
        changes = plan(root, files)
        if changes.foreign:
            raise WriteError(f"{foreign_message(root, changes.foreign)} — it was left as it was")
        contents = {path: files[path].encode("utf-8") for path in changes.written}  # before touching anything
        step = _Steps(Path(root))
        try:
            staged = [step.stage(path, contents[path]) for path in changes.written]
            for target, temporary, backup in staged:
                step.replace(target, temporary, backup)
            for path in changes.removed:
                step.move_aside(path)
        except BaseException as error:
            step.undo(error)
            raise
        step.finish()
        _remove_empty_directories(Path(root))
    return changes


@contextlib.contextmanager
def _held(root: Path) -> Iterator[None]:
    """``root`` locked against other sdkforge runs, and SIGINT and SIGTERM held back.

    The directory is made first, so that there is something to lock; it is taken away
    again when the write leaves it empty.
    """
    made = not root.is_dir()
    if made:
        root.mkdir(parents=True, exist_ok=True)  # a file in the way: the OSError says so
    descriptor = os.open(root, os.O_RDONLY)
    held = False
    try:
        if fcntl is not None:
            fcntl.flock(descriptor, fcntl.LOCK_EX)  # Ctrl-C still works while it waits
        held = hasattr(signal, "pthread_sigmask")
        previous = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGTERM}) if held else set()
        yield
    finally:
        os.close(descriptor)  # and with it the lock
        if made:
            with contextlib.suppress(OSError):  # not empty: the write succeeded
                root.rmdir()
        if held:
            signal.pthread_sigmask(signal.SIG_SETMASK, previous)  # a signal held back arrives now


def foreign_message(root: StrPath, foreign: tuple[PurePosixPath, ...]) -> str:
    """Which files sdkforge did not write are in the way, and what to do about them."""
    shown = ", ".join(str(path) for path in foreign[:5]) + (f" and {len(foreign) - 5} more" if len(foreign) > 5 else "")
    return (
        f"{display_path(root)} holds files sdkforge did not write ({shown}), and it removes only its own:"
        " move them out (a client's directory is sdkforge's), or generate to another output"
    )


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
        name = f"{label.lstrip('/')}/{path}"  # as git shows an absolute path: a/tmp/out/...
        headers = (f"a/{name}" if exists else "/dev/null", f"b/{name}" if path in files else "/dev/null")
        hunks = list(difflib.unified_diff(old, new, *headers))
        # An empty file, extra or missing, has no lines to show: its headers alone say which it is.
        chunks.extend(hunks or [f"--- {headers[0]}\n", f"+++ {headers[1]}\n"])
    return "".join(chunks)


class _Steps:
    """The steps of one ``write``, each with a way to take it back."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.current = root  # the file being worked on, for the message
        self.verb = "write"
        self.ours: set[str] = set()  # names this run made up: an error about one names ``current``
        self.undoing: list[Callable[[], object]] = []  # newest last
        self.leftovers: list[Path] = []  # deleted once everything is in place

    def stage(self, path: PurePosixPath, content: bytes) -> tuple[Path, Path, Path | None]:
        """Write ``content`` beside its target, and give the target a second name to roll back to."""
        target = self.current = self.root / path
        self._make_directories(target.parent)
        temporary = self._create(target, "tmp", content)
        backup = self._backup(target) if target.is_file() else None
        return target, temporary, backup

    def replace(self, target: Path, temporary: Path, backup: Path | None) -> None:
        self.current = target
        os.replace(temporary, target)
        if backup is None:
            self.undoing.append(lambda: target.unlink(missing_ok=True))
        else:
            self.undoing.append(lambda: os.replace(backup, target))

    def move_aside(self, path: PurePosixPath) -> None:
        """Remove a stale file, in a way that can be undone until ``finish``."""
        self.current, self.verb = self.root / path, "remove"
        aside = self._name(self.current, "old")
        os.replace(self.current, aside)
        self.undoing.append(lambda: os.replace(aside, self.root / path))
        self.leftovers.append(aside)

    def finish(self) -> None:
        for leftover in self.leftovers:
            # Everything is in place: one left behind is an extra file, which the next run removes.
            with contextlib.suppress(OSError):
                leftover.unlink(missing_ok=True)

    def undo(self, error: BaseException) -> None:
        """Take back every step, newest first; turn an OSError into a WriteError naming the real file."""
        failures = []
        for step in reversed(self.undoing):
            try:
                step()
            except OSError as failure:
                failures.append(failure)
        if not isinstance(error, OSError):
            return
        reason = error.strerror or str(error)
        if error.filename is not None and os.fspath(error.filename) not in {*self.ours, str(self.current)}:
            reason += f" ({display_path(error.filename)})"  # a directory in the way, say
        outcome = f"{display_path(self.root)} was left as it was"
        if failures:
            outcome = f"{display_path(self.root)} could not be put back ({failures[0]}): run `sdkforge generate` again"
        raise WriteError(f"cannot {self.verb} {display_path(self.current)}: {reason} — {outcome}") from error

    def _make_directories(self, directory: Path) -> None:
        missing = []
        while not os.path.lexists(directory) and directory.parent != directory:
            missing.append(directory)  # a file in the way is not: mkdir below it says "Not a directory"
            directory = directory.parent
        for new in reversed(missing):
            new.mkdir()
            self.undoing.append(new.rmdir)

    def _backup(self, target: Path) -> Path:
        try:
            backup = self._fresh(target, "old", lambda name: os.link(target, name))
            self.undoing.append(lambda: backup.unlink(missing_ok=True))
        except OSError:  # a file system without hard links
            backup = self._create(target, "old", target.read_bytes())
        self.leftovers.append(backup)
        return backup

    def _create(self, target: Path, kind: str, content: bytes) -> Path:
        """A new file beside ``target``, created as any other (its mode from the umask: no mkstemp's 0600)."""

        def create(name: Path) -> None:
            with open(name, "xb") as handle:
                self.undoing.append(lambda: name.unlink(missing_ok=True))
                handle.write(content)

        return self._fresh(target, kind, create)

    def _fresh(self, target: Path, kind: str, make: Callable[[Path], object]) -> Path:
        """A name beside ``target`` that ``make`` makes (raising FileExistsError when it is taken)."""
        for _ in range(100):
            name = self._name(target, kind)
            try:
                make(name)
            except FileExistsError:
                continue
            return name
        raise FileExistsError(f"no free name beside {target}")

    def _name(self, target: Path, kind: str) -> Path:
        name = target.with_name(f".{target.name}.{os.urandom(4).hex()}.{kind}")
        self.ours.add(str(name))
        return name


def _generated(path: Path) -> bool:
    """Whether the file says in its first line that sdkforge wrote it (or is a write's staging file)."""
    if path.name.startswith("."):
        return True  # outputs lists only the staging files among hidden ones
    try:
        with path.open("rb") as handle:
            return GENERATED_MARK in handle.read(200)
    except OSError:
        return True  # cannot be read: removing it says why


def _same(path: Path | None, text: str) -> bool:
    if path is None:
        return False
    try:
        return path.read_bytes() == text.encode("utf-8")
    except OSError:
        return False


def _remove_empty_directories(root: Path) -> None:
    """Remove the directories a write left empty, deepest first; not those generation leaves alone."""
    directories: list[str] = []
    for directory, subdirectories, _ in os.walk(root):
        subdirectories[:] = [name for name in subdirectories if not ignored_directory(name)]
        directories.extend(os.path.join(directory, name) for name in subdirectories)
    for directory in reversed(directories):  # os.walk lists a directory before those inside it
        with contextlib.suppress(OSError):  # not empty
            os.rmdir(directory)
