"""The whole pipeline for one spec, in memory: path -> {relative path: text}.

The stages are imported where they are first needed, so that a regeneration the
cache can answer loads neither jsonschema, Jinja2 nor black (it runs in pre-commit
hooks, where start-up time is most of the time).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from generator import cache
from generator.errors import InvalidSpec, Problem
from generator.paths import read_or_none

if TYPE_CHECKING:
    from pathlib import PurePosixPath

    from generator.load import Document
    from generator.paths import StrPath

__all__ = ["generate", "load_valid", "problems"]


def problems(spec_path: StrPath, *, lint: bool = False) -> list[Problem]:
    """Everything wrong with a spec: YAML first, then the schema, then meaning, then lint warnings."""
    from generator.checks import every_problem
    from generator.load import load

    try:
        document = load(spec_path)
    except InvalidSpec as error:
        return error.problems
    found = every_problem(document)
    if lint and not found:
        from generator.lint import lint as lint_warnings

        found = lint_warnings(document)
    return found


def load_valid(spec_path: StrPath, source: bytes | None = None) -> Document:
    """A spec that loads, validates and checks; InvalidSpec with every problem otherwise."""
    from generator.checks import every_problem
    from generator.load import load  # YAML is not needed when the cache has the package

    document = load(spec_path, source)
    found = every_problem(document)
    if found:
        raise InvalidSpec(found)
    return document


def generate(spec_path: StrPath, source: bytes | None = None) -> dict[PurePosixPath, str]:
    """Turn one spec into the files of its client package, in memory.

    A spec whose bytes (and name) this same generator has turned into a package
    before gets that package from the cache, without loading YAML or running black.
    ``source`` is the spec's bytes when the caller has read them already: the cache
    key and the YAML then come from that one read, even if the file changes meanwhile.
    """
    if source is None:
        source = read_or_none(spec_path)
    key = cache.package_key(spec_path, source) if source is not None else ""
    files = cache.read_files(key) if key else None
    if files is None:
        files = _generate(load_valid(spec_path, source))
        if key:
            cache.write_files(key, files)
    return files


def _generate(document: Document) -> dict[PurePosixPath, str]:
    from generator.build import build
    from generator.format import format_files
    from generator.render import render

    return format_files(render(build(document)))

