"""ir.Api -> {relative path: text}, through the Jinja2 templates. Nothing is written here."""

from __future__ import annotations

import sys
import textwrap
from functools import lru_cache
from pathlib import PurePosixPath

import jinja2

from generator import cache, ir
from generator.format import LINE_LENGTH
from generator.imports import export_order, import_order
from generator.layout import layout, parameters
from generator.literals import escape_unprintable, python_string, toml_string
from generator.paths import templates_directory

# Template -> output path; "package" stands for the import package's directory.
SINGLE_FILES = (
    "pyproject.toml",
    "README.md",
    "package/__init__.py",
    "package/py.typed",
    "package/_client.py",
    "package/_arguments.py",
    "package/_models_base.py",
    "package/_response.py",
    "package/_runtime.py",
    "package/_types.py",
    "package/_exceptions.py",
    "package/_pagination.py",
    "package/models.py",
    "package/_models/__init__.py",
    "package/resources/__init__.py",
)
RESOURCE_TEMPLATE = "package/resources/resource.py"
MODEL_TEMPLATE = "package/_models/model.py"


@lru_cache(maxsize=1)
def environment() -> jinja2.Environment:
    """One environment for every template: strict about undefined names, no autoescape."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(templates_directory()),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        autoescape=False,
        bytecode_cache=_CompiledTemplates(),
    )
    env.filters["pydoc"] = docstring_text
    env.filters["pyinline"] = inline_docstring_text
    env.filters["pystr"] = python_string
    env.filters["tomlstr"] = toml_string
    # Long lines come out already split as black splits them, which halves black's work.
    env.filters["layout"] = layout
    env.filters["parameters"] = parameters
    # Names in the order ruff checks: in an import (isort's), and in __all__ (RUF022).
    env.filters["import_order"] = import_order
    env.filters["export_order"] = export_order
    env.globals["line_length"] = LINE_LENGTH
    return env


class _CompiledTemplates(jinja2.BytecodeCache):
    """Jinja's compiled templates, kept in the cache (see cache.py) from one run to the next.

    Compiling the templates is about a third of generating a small spec. Each entry's key
    holds this generator's fingerprint (templates included), Jinja's version and the
    Python version; Jinja itself checks the template's source before using one."""

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        compiled = cache.read_bytes("templates", self._name(bucket))
        if compiled is None:
            return
        try:
            bucket.bytecode_from_string(compiled)
        except Exception:  # noqa: BLE001 - unpickling damaged bytes can raise almost anything
            bucket.reset()  # a damaged entry is a miss: compiled again, and written over

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        cache.write_bytes("templates", self._name(bucket), bucket.bytecode_to_string())

    @staticmethod
    def _name(bucket: jinja2.bccache.Bucket) -> str:
        # The Python version too (as .pyc files do): Jinja would reject another one's entry,
        # and two interpreters sharing a cache would keep overwriting each other's.
        return cache.key(jinja2.__version__, sys.implementation.cache_tag or "", bucket.key)


def docstring_text(text: str, indent: int = 4, start: int | None = None, width: int = 88) -> str:
    """Spec prose made safe inside a triple-quoted docstring and wrapped to ``width`` columns.

    ``indent`` is the column continuation lines start at, ``start`` the column the
    text starts at on its first line (``indent`` unless given), so that the first
    line fits too. Words are never broken: a long one (a URL) may pass ``width``.
    """
    paragraphs = [inline_docstring_text(paragraph) for paragraph in text.replace("\r\n", "\n").split("\n\n")]
    continuation = " " * indent
    wrapper = textwrap.TextWrapper(width=width, subsequent_indent=continuation, break_long_words=False, break_on_hyphens=False)
    filled: list[str] = []
    for paragraph in filter(None, paragraphs):
        wrapper.initial_indent = continuation if filled else " " * (indent if start is None else start)
        filled.append(wrapper.fill(paragraph))
    wrapped = "\n\n".join(filled).lstrip(" ")
    # Quotes next to the docstring's own would end or merge with them: black pads them with a space.
    if wrapped.startswith('"'):
        wrapped = " " + wrapped
    return wrapped + " " if wrapped.endswith('"') else wrapped


def inline_docstring_text(text: str) -> str:
    """Spec text made safe inside a docstring on one line, for names and titles amid prose.

    Backslashes and triple quotes are escaped, whitespace of any kind becomes one
    space, and what is left unprintable becomes an escape.
    """
    return escape_unprintable(" ".join(text.replace("\\", "\\\\").replace('"""', '\\"\\"\\"').split()))


def render(api: ir.Api) -> dict[PurePosixPath, str]:
    """Every file of the client package, as text, keyed by path relative to its root."""
    env = environment()
    files: dict[PurePosixPath, str] = {}
    for name in SINGLE_FILES:
        files[_output_path(api, name)] = env.get_template(f"{name}.jinja").render(api=api)
    resource_template = env.get_template(f"{RESOURCE_TEMPLATE}.jinja")
    for resource in api.resources:
        path = PurePosixPath(api.package, "resources", f"{resource.name}.py")
        files[path] = resource_template.render(api=api, resource=resource)
    model_template = env.get_template(f"{MODEL_TEMPLATE}.jinja")
    for module in api.model_modules:
        path = PurePosixPath(api.package, "_models", f"{module.name}.py")
        files[path] = model_template.render(api=api, module=module)
    return dict(sorted(files.items()))


def _output_path(api: ir.Api, template: str) -> PurePosixPath:
    parts = PurePosixPath(template).parts
    return PurePosixPath(api.package, *parts[1:]) if parts[0] == "package" else PurePosixPath(template)
