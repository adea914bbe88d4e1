"""The whole pipeline for one spec, in memory: path -> {relative path: text}."""

from __future__ import annotations

from pathlib import Path, PurePosixPath

from generator.build import build
from generator.checks import check
from generator.errors import InvalidSpec, Problem
from generator.format import format_files
from generator.load import Document, load
from generator.render import render
from generator.validate import validate

__all__ = ["Document", "generate", "load_valid", "output_name", "problems"]


def problems(spec_path: Path, *, lint: bool = False) -> list[Problem]:
    """Everything wrong with a spec: YAML first, then the schema, then meaning, then lint warnings."""
    try:
        document = load(spec_path)
    except InvalidSpec as error:
        return error.problems
    found = validate(document) or check(document)
    if lint and not found:
        from generator.lint import lint as lint_warnings

        found = lint_warnings(document)
    return found


def load_valid(spec_path: Path) -> Document:
    """A spec that loads, validates and checks; InvalidSpec with every problem otherwise."""
    document = load(spec_path)
    found = validate(document) or check(document)
    if found:
        raise InvalidSpec(found)
    return document


def generate(spec_path: Path) -> dict[PurePosixPath, str]:
    """Turn one spec into the files of its client package, in memory."""
    return format_files(render(build(load_valid(spec_path))))


def output_name(spec_path: Path) -> str:
    """``specs/feathery.yaml`` -> ``feathery``: the directory under generated/."""
    return spec_path.stem
