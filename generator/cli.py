"""The ``sdkforge`` command: generate, check, validate, schema."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path, PurePosixPath

from generator import __version__, pipeline, write
from generator.errors import InvalidSpec, display_path
from generator.validate import schema

DEFAULT_SPECS = Path("specs")
DEFAULT_OUTPUT = Path("generated")


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    parser = _parser()
    arguments = parser.parse_args(argv)
    if not hasattr(arguments, "run"):
        parser.print_help()
        return 2
    status: int = arguments.run(arguments)
    return status


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="sdkforge", description="Generate Python API clients from YAML specs.")
    parser.add_argument("--version", action="version", version=f"sdkforge {__version__}")
    commands = parser.add_subparsers(title="commands", metavar="COMMAND")
    for name, run, text in (
        ("generate", _generate, "regenerate client packages from specs (default: every spec in specs/)"),
        ("check", _check, "exit 1 with a diff when generated/ is not what the specs produce"),
        ("validate", _validate, "report every problem in the specs, as file:line:col: where: what — how to fix"),
    ):
        command = commands.add_parser(name, help=text, description=text)
        command.add_argument("specs", nargs="*", type=Path, metavar="SPEC", help="spec files (default: specs/*.yaml)")
        if name != "validate":
            command.add_argument("-o", "--output", type=Path, default=DEFAULT_OUTPUT, help="output root (default: generated/)")
        command.set_defaults(run=run)
    schema_command = commands.add_parser("schema", help="print the JSON Schema of the spec format")
    schema_command.set_defaults(run=_schema)
    return parser


def _spec_paths(given: list[Path]) -> list[Path]:
    if given:
        return given
    return sorted(DEFAULT_SPECS.glob("*.yaml"))


def _generate_all(specs: list[Path]) -> dict[str, dict[PurePosixPath, str]] | None:
    """Every spec's files in memory, or None after printing every problem (nothing written)."""
    results: dict[str, dict[PurePosixPath, str]] = {}
    failed = False
    for spec in specs:
        try:
            results[pipeline.output_name(spec)] = pipeline.generate(spec)
        except InvalidSpec as error:
            print(error, file=sys.stderr)
            failed = True
    return None if failed else results


def _generate(arguments: argparse.Namespace) -> int:
    specs = _spec_paths(arguments.specs)
    if not specs:
        print(f"no specs found in {DEFAULT_SPECS}/", file=sys.stderr)
        return 1
    results = _generate_all(specs)
    if results is None:
        print("nothing was written: fix the problems above and run again", file=sys.stderr)
        return 1
    for name, files in results.items():
        root = arguments.output / name
        changes = write.write(root, files)
        summary = f"{len(changes.written)} written, {len(changes.removed)} removed" if changes.written or changes.removed else "up to date"
        print(f"{display_path(root)}: {summary}")
    return 0


def _check(arguments: argparse.Namespace) -> int:
    specs = _spec_paths(arguments.specs)
    results = _generate_all(specs)
    if results is None:
        return 1
    stale = False
    for name, files in results.items():
        root = arguments.output / name
        patch = write.diff(root, files, display_path(root))
        if patch:
            stale = True
            sys.stdout.write(patch)
    if stale:
        print("generated code is stale: run `sdkforge generate` and commit the result", file=sys.stderr)
        return 1
    print(f"{len(results)} client(s) up to date")
    return 0


def _validate(arguments: argparse.Namespace) -> int:
    specs = _spec_paths(arguments.specs)
    found = [problem for spec in specs for problem in pipeline.problems(spec)]
    for problem in found:
        print(problem)
    if found:
        print(f"{len(found)} problem(s) in {len(specs)} spec(s)", file=sys.stderr)
        return 1
    print(f"{len(specs)} spec(s) valid")
    return 0


def _schema(arguments: argparse.Namespace) -> int:
    import json

    print(json.dumps(schema(), indent=2))
    return 0
