"""The whole pipeline for one spec, in memory: path -> {relative path: text}."""

from __future__ import annotations

from pathlib import Path, PurePosixPath

from generator.build import build
from generator.checks import check
from generator.errors import InvalidSpec, Problem
from generator.format import format_source
from generator.load import load
from generator.render import render
from generator.validate import validate


def problems(spec_path: Path) -> list[Problem]:
    """Everything wrong with a spec: YAML first, then the schema, then meaning."""
    try:
        document = load(spec_path)
    except InvalidSpec as error:
        return error.problems
    return validate(document) or check(document)


def generate(spec_path: Path) -> dict[PurePosixPath, str]:
    """Turn one spec into the files of its client package, in memory."""
    document = load(spec_path)
    found = validate(document) or check(document)
    if found:
        raise InvalidSpec(found)
    files = render(build(document))
    return {path: format_source(path, text) for path, text in files.items()}


def output_name(spec_path: Path) -> str:
    """``specs/feathery.yaml`` -> ``feathery``: the directory under generated/."""
    return spec_path.stem
