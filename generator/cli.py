"""The ``sdkforge`` command: generate, check, validate, schema, new, export-openapi, diff, mock."""

from __future__ import annotations

import argparse
import os
import shlex
import sys

from generator import __version__, cache, outputs
from generator.paths import display_path, read_or_none

# The pipeline, and the rest, are imported by the commands that use them: a
# regeneration whose outputs are unchanged (see generator/outputs.py) needs none of it.
# Not even typing (~5 ms): type checkers read this name as typing's. Nor pathlib
# (~4 ms, with urllib.parse): generate and check keep their paths as strings until
# they hand them to the pipeline.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Sequence
    from pathlib import PurePosixPath

    from generator.load import Document

DEFAULT_SPECS = "specs"
DEFAULT_OUTPUT = "generated"


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    for stream in (sys.stdout, sys.stderr):
        # A message quotes the spec's text: on a terminal or pipe that is not UTF-8 (Windows'
        # code pages, LANG=C), a character it cannot show is escaped, not a crash.
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="backslashreplace")
    arguments_given = sys.argv[1:] if argv is None else list(argv)
    parser = _parser(arguments_given[0] if arguments_given else None)
    arguments = parser.parse_args(arguments_given)
    if not hasattr(arguments, "run"):
        parser.print_help()
        return 2
    try:
        status: int = arguments.run(arguments)
    except OSError as error:
        # An output path that is a file, a directory that does not exist, a port in use.
        print(f"sdkforge {arguments_given[0]}: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        # A write in progress finished first (write.py holds SIGINT back): nothing is half-written.
        print(f"sdkforge {arguments_given[0]}: interrupted", file=sys.stderr)
        return 130
    return status


def _parser(command_named: str | None) -> argparse.ArgumentParser:
    """The parser, with only the named command when that is one of ours.

    argparse spends ~0.4 ms on each command's parser, mostly gettext looking for
    translations that do not exist: a third of a no-op regeneration's own time
    when all of them are built. ``--help``, ``--version`` and a mistyped command
    still get every command."""
    parser = argparse.ArgumentParser(prog="sdkforge", description="Generate Python API clients from YAML specs.", formatter_class=_Formatter)
    parser.add_argument("--version", action="version", version=f"sdkforge {__version__}")
    commands = parser.add_subparsers(title="commands", metavar="COMMAND")
    for name, (text, add_arguments, run) in _COMMANDS.items():
        if command_named in _COMMANDS and name != command_named:
            continue
        command = commands.add_parser(name, help=text, description=text, formatter_class=_Formatter)
        add_arguments(command)
        command.set_defaults(run=run)
    return parser


class _Formatter(argparse.HelpFormatter):
    """argparse's own formatter, told the terminal's width instead of asking shutil.

    argparse makes a formatter for every argument added, only to check its metavar,
    and the first one imports shutil (and with it zlib, bz2 and lzma) to measure the
    terminal: ~3 ms, a tenth of a no-op regeneration."""

    def __init__(self, prog: str) -> None:
        super().__init__(prog, width=_terminal_columns() - 2)  # - 2: as argparse does


def _terminal_columns() -> int:
    """``shutil.get_terminal_size().columns``: $COLUMNS, else standard output's terminal, else 80."""
    try:
        columns = int(os.environ.get("COLUMNS", "0"))
    except ValueError:
        columns = 0
    if columns <= 0:
        try:
            columns = os.get_terminal_size(sys.__stdout__.fileno()).columns  # type: ignore[union-attr]
        except (AttributeError, ValueError, OSError):
            columns = 0
    return columns if columns > 0 else 80


def _spec_arguments(command: argparse.ArgumentParser) -> None:
    command.add_argument("specs", nargs="*", metavar="SPEC", help="spec files (default: specs/*.yaml and *.yml)")


def _output_arguments(command: argparse.ArgumentParser) -> None:
    _spec_arguments(command)
    command.add_argument("-o", "--output", default=DEFAULT_OUTPUT, help="output root (default: generated/)")
    command.add_argument(
        "--no-cache", action="store_true",
        help="use nothing from the cache: generate everything anew (for a CI that restores its cache from earlier runs)",
    )


def _generate_arguments(command: argparse.ArgumentParser) -> None:
    _output_arguments(command)
    command.add_argument(
        "--exit-code", action="store_true",
        help="exit 1 when a file was written or removed (a pre-commit hook: it does not notice new files)",
    )


def _validate_arguments(command: argparse.ArgumentParser) -> None:
    _spec_arguments(command)
    command.add_argument("--strict", action="store_true", help="treat lint warnings as errors")


def _no_arguments(command: argparse.ArgumentParser) -> None:
    pass


def _new_arguments(command: argparse.ArgumentParser) -> None:
    command.add_argument("name", help="API name in snake_case, e.g. pet_store (writes specs/<name>.yaml)")
    command.add_argument("-o", "--output", help="file or directory to write to (default: specs/<name>.yaml)")


def _export_arguments(command: argparse.ArgumentParser) -> None:
    command.add_argument("spec", metavar="SPEC")
    command.add_argument("-o", "--output", help="file to write (default: stdout)")


def _diff_arguments(command: argparse.ArgumentParser) -> None:
    command.add_argument("old", metavar="OLD", help="old spec: a file, or REV:path read from git")
    command.add_argument("new", metavar="NEW", help="new spec: a file, or REV:path read from git")
    command.add_argument("--json", action="store_true", help="print the changes as JSON")


def _mock_arguments(command: argparse.ArgumentParser) -> None:
    command.add_argument("spec", metavar="SPEC")
    command.add_argument("--port", type=_port, default=4010, help="port (default: 4010; 0 picks a free one)")


def _port(text: str) -> int:
    port = int(text)
    if not 0 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"{text} is not a port (0 to 65535)")
    return port


def _spec_paths(given: list[str]) -> list[str]:
    """The specs named (a directory stands for the specs in it), else those in ``specs/``."""
    if not given:
        return _specs_in(DEFAULT_SPECS)
    # A directory without specs stays as named: reading it says what is wrong.
    return [spec for path in given for spec in (_specs_in(path) if os.path.isdir(path) else []) or [path]]


def _specs_in(directory: str) -> list[str]:
    """``DIR/*.yaml`` and ``*.yml`` as the shell expands them: not hidden files, such as the
    ``.#name.yaml`` lock link an editor leaves beside a spec being edited."""
    try:
        names = os.listdir(directory)
    except OSError:
        return []
    return sorted(os.path.join(directory, name) for name in names if name.endswith((".yaml", ".yml")) and not name.startswith("."))


class _Spec:
    """One spec file, read once: its cache key, its stamp and its YAML all come from
    ``source`` (a plain class: a dataclass or NamedTuple would import inspect or typing,
    most of what a no-op run costs beyond the interpreter's start)."""

    __slots__ = ("key", "path", "source")

    def __init__(self, path: str, source: bytes | None, key: str) -> None:
        self.path = path
        self.source = source  # None: unreadable, and the pipeline says why
        self.key = key

    def output(self, root: str) -> str:
        return os.path.join(root, outputs.output_name(self.path))


def _read(path: str) -> _Spec:
    source = read_or_none(path)
    return _Spec(path, source, cache.package_key(path, source) if source is not None else "")


def _generate_all(specs: list[_Spec]) -> dict[str, dict[PurePosixPath, str]] | None:
    """Every spec's files in memory, or None after printing every problem (nothing written)."""
    if not specs:
        return {}
    from generator import pipeline
    from generator.errors import InvalidSpec

    results: dict[str, dict[PurePosixPath, str]] = {}
    failed = False
    for spec in specs:
        try:
            results[spec.path] = pipeline.generate(spec.path, spec.source)
        except InvalidSpec as error:
            print(error, file=sys.stderr)
            failed = True
    return None if failed else results


def _changed(specs: list[_Spec], root: str) -> list[_Spec]:
    """The specs whose output directory may not be what they generate: all but those
    whose directory still holds exactly what was last recorded for the same package."""
    return [spec for spec in specs if not outputs.unchanged(spec.output(root), spec.key)]


def _no_specs() -> int:
    # A hook run from the wrong directory must not pass for having checked nothing.
    print(f"no specs found in {DEFAULT_SPECS}/", file=sys.stderr)
    return 1


def _shared_outputs(specs: list[str], root: str) -> bool:
    """Say so, and return True, when two of the specs would write to one directory."""
    pairs = outputs.shared_outputs(specs, root)
    for earlier, later in pairs:
        directory = display_path(os.path.join(root, outputs.output_name(later)))
        print(f"{display_path(later)}: its client would go to {directory}/, as would that of {display_path(earlier)}"
              " — rename one of the two files: a spec's output directory is named after its file", file=sys.stderr)
    return bool(pairs)


def _no_cache(arguments: argparse.Namespace) -> None:
    """With --no-cache, turn the cache off as SDKFORGE_CACHE_DIR="" does, for black's worker
    processes too. What the cache holds decides what check approves: a cache restored from
    an earlier CI run could have been written by anyone who could push to it."""
    if arguments.no_cache:
        os.environ["SDKFORGE_CACHE_DIR"] = ""


def _generate(arguments: argparse.Namespace) -> int:
    _no_cache(arguments)
    specs = _spec_paths(arguments.specs)
    if not specs:
        return _no_specs()
    if _shared_outputs(specs, arguments.output):
        print("nothing was written: fix the problems above and run again", file=sys.stderr)
        return 1
    read = [_read(path) for path in specs]
    results = _generate_all(_changed(read, arguments.output))
    left = _orphans(arguments, specs)
    if results is None or not _removable(left):
        print("nothing was written: fix the problems above and run again", file=sys.stderr)
        return 1
    changed = False
    for spec in read:
        root = spec.output(arguments.output)
        summary = _write(root, results[spec.path], spec.key) if spec.path in results else "up to date"
        changed = changed or summary != "up to date"
        print(f"{display_path(root)}: {summary}")
    for root, spec_path in left:
        summary = _write(root, {}, "")
        try:
            os.rmdir(root)
        except OSError:  # a hidden file, such as .venv, stays, and so does its folder
            pass
        changed = True
        print(f"{display_path(root)}: {summary} — its spec, {spec_path}, is gone")
    return 1 if changed and arguments.exit_code else 0


def _orphans(arguments: argparse.Namespace, specs: list[str]) -> list[tuple[str, str]]:
    """The clients of specs deleted or renamed in specs/: pairs (directory, spec).

    Only when every spec was found there (no spec named on the command line): a run
    for some specs cannot tell which of the others are gone."""
    return [] if arguments.specs else outputs.orphans(arguments.output, specs, DEFAULT_SPECS)


def _removable(left: list[tuple[str, str]]) -> bool:
    """Whether the clients of specs that are gone hold only files sdkforge wrote; say which do not."""
    if not left:
        return True
    from generator import write

    removable = True
    for root, _ in left:
        foreign = write.plan(root, {}).foreign
        if foreign:
            print(write.foreign_message(root, foreign), file=sys.stderr)
            removable = False
    return removable


def _write(root: str, files: dict[PurePosixPath, str], package_key: str) -> str:
    from generator import write

    changes = write.write(root, files)
    outputs.record(root, package_key, files)
    if changes.written or changes.removed:
        return f"{len(changes.written)} written, {len(changes.removed)} removed"
    return "up to date"


def _check(arguments: argparse.Namespace) -> int:
    _no_cache(arguments)
    specs = _spec_paths(arguments.specs)
    if not specs:
        return _no_specs()
    if _shared_outputs(specs, arguments.output):
        return 1
    read = [_read(path) for path in specs]
    results = _generate_all(_changed(read, arguments.output))
    if results is None:
        return 1
    left = _orphans(arguments, specs)
    for root, spec_path in left:
        print(f"{display_path(root)}: generated from {spec_path}, which is gone (deleted or renamed)", file=sys.stderr)
    if not results and not left:  # every output as last stamped: nothing to compare
        print(f"{len(specs)} client(s) up to date")
        return 0
    from generator import write

    stale = bool(left)
    for spec in read:
        files = results.get(spec.path)
        if files is None:
            continue
        root = spec.output(arguments.output)
        # Stale by what generate would do, not by the diff: an empty file has no lines to differ.
        changes = write.plan(root, files)
        if changes.written or changes.removed:
            stale = True
            sys.stdout.write(write.diff(root, files, display_path(root), changes))
            # A line per client after a diff that may run to thousands: which clients, and how much.
            print(f"{display_path(root)}: {len(changes.written)} to write, {len(changes.removed)} to remove", file=sys.stderr)
            if changes.foreign:  # generate would refuse them: say so here
                print(write.foreign_message(root, changes.foreign), file=sys.stderr)
        else:
            outputs.record(root, spec.key, files)
    if stale:
        output = [] if str(arguments.output) == str(DEFAULT_OUTPUT) else ["-o", str(arguments.output)]
        again = ["sdkforge", "generate", *arguments.specs, *output]
        print(f"generated code is stale: run `{shlex.join(again)}` and commit the result", file=sys.stderr)
        return 1
    print(f"{len(specs)} client(s) up to date")
    return 0


def _validate(arguments: argparse.Namespace) -> int:
    from generator import pipeline

    specs = _spec_paths(arguments.specs)
    if not specs:
        return _no_specs()
    found = [problem for spec in specs for problem in pipeline.problems(spec, lint=True)]
    for problem in found:
        print(problem)
    errors = [problem for problem in found if problem.severity == "error" or arguments.strict]
    if errors:
        print(f"{len(errors)} problem(s) in {len(specs)} spec(s)", file=sys.stderr)
        return 1
    warnings = len(found) - len(errors)
    print(f"{len(specs)} spec(s) valid" + (f", {warnings} warning(s)" if warnings else ""))
    return 0


def _schema(arguments: argparse.Namespace) -> int:
    import json

    from generator.validate import schema

    print(json.dumps(schema(), indent=2))
    return 0


def _new(arguments: argparse.Namespace) -> int:
    from pathlib import Path

    from generator.starter import schema_reference, starter_spec

    target = Path(_new_target(arguments.output, arguments.name))
    if target.exists():
        print(f"{display_path(target)} already exists; not overwriting it", file=sys.stderr)
        return 1
    try:
        text = starter_spec(arguments.name, display_path(target), schema_reference(str(target)))
    except ValueError as error:
        print(error, file=sys.stderr)
        return 2
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")
    print(f"wrote {display_path(target)}: edit it, then run `sdkforge validate {display_path(target)}`")
    return 0


def _new_target(output: str | None, name: str) -> str:
    """Where ``new`` writes: ``-o FILE``; ``<name>.yaml`` inside ``-o DIR/`` or an existing
    directory; ``specs/<name>.yaml`` without ``-o``."""
    if not output:
        return os.path.join(DEFAULT_SPECS, f"{name}.yaml")
    if output.endswith(("/", os.sep)) or os.path.isdir(output):
        return os.path.join(output, f"{name}.yaml")
    return output


def _load_valid(path: str) -> Document | None:
    from generator import pipeline
    from generator.errors import InvalidSpec

    try:
        return pipeline.load_valid(path)
    except InvalidSpec as error:
        print(error, file=sys.stderr)
        return None


def _export_openapi(arguments: argparse.Namespace) -> int:
    import json

    from generator.openapi import export

    document = _load_valid(arguments.spec)
    if document is None:
        return 1
    text = json.dumps(export(document), indent=2, ensure_ascii=False) + "\n"
    if arguments.output and os.path.exists(arguments.output) and os.path.samefile(arguments.output, arguments.spec):
        print(f"sdkforge export-openapi: -o {arguments.output} is the spec itself; write the export to another file", file=sys.stderr)
        return 1
    if arguments.output:
        with open(arguments.output, "w", encoding="utf-8") as handle:
            handle.write(text)
    else:
        sys.stdout.write(text)
    return 0


def _diff(arguments: argparse.Namespace) -> int:
    from generator.diff import compare, read_spec, report
    from generator.errors import InvalidSpec

    try:
        old, new = read_spec(arguments.old), read_spec(arguments.new)
    except InvalidSpec as error:
        print(error, file=sys.stderr)
        return 2
    changes = compare(old, new)
    sys.stdout.write(report(changes, as_json=arguments.json))
    return 1 if any(change.breaking for change in changes) else 0


def _mock(arguments: argparse.Namespace) -> int:
    import errno

    from generator.mock import serve

    document = _load_valid(arguments.spec)
    if document is None:
        return 1
    try:
        serve(document, host="127.0.0.1", port=arguments.port)
    except OSError as error:
        if error.errno != errno.EADDRINUSE:
            raise
        print(f"sdkforge mock: port {arguments.port} on 127.0.0.1 is in use — pick another with --port N, or --port 0 for any free one", file=sys.stderr)
        return 1
    return 0


# Each command: its one-line help, what adds its arguments, and what runs it.
_COMMANDS: dict[str, tuple[str, Callable[[argparse.ArgumentParser], None], Callable[[argparse.Namespace], int]]] = {
    "generate": ("regenerate client packages from specs (default: every spec in specs/)", _generate_arguments, _generate),
    "check": ("exit 1 with a diff when generated/ is not what the specs produce", _output_arguments, _check),
    "validate": ("report every problem in the specs, as file:line:col: where: what — how to fix", _validate_arguments, _validate),
    "schema": ("print the JSON Schema of the spec format (for editors)", _no_arguments, _schema),
    "new": ("write a commented starter spec that validates and generates", _new_arguments, _new),
    "export-openapi": ("write the spec as an OpenAPI 3.1 JSON document", _export_arguments, _export_openapi),
    "diff": ("list changes between two versions of a spec; exit 1 when one breaks clients", _diff_arguments, _diff),
    "mock": ("serve the API on 127.0.0.1 from its spec alone", _mock_arguments, _mock),
}
