"""ir.Api -> {relative path: text}, through the Jinja2 templates. Nothing is written here."""

from __future__ import annotations

import textwrap
from functools import lru_cache
from pathlib import Path, PurePosixPath

import jinja2

from generator import ir
from generator.layout import layout, parameters

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


def templates_directory() -> Path:
    """Installed wheels carry the templates inside the package; a checkout keeps them at the top."""
    bundled = Path(__file__).parent / "templates"
    return bundled if bundled.is_dir() else Path(__file__).parent.parent / "templates"


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
    )
    env.filters["pydoc"] = docstring_text
    # Long lines come out already split as black splits them, which halves black's work.
    env.filters["layout"] = layout
    env.filters["parameters"] = parameters
    return env


def docstring_text(text: str, indent: int = 4, width: int = 88) -> str:
    """Spec prose made safe inside a triple-quoted docstring and wrapped to ``width``.

    ``indent`` is the column continuation lines start at.
    """
    safe = text.replace("\\", "\\\\").replace('"""', '\\"\\"\\"').strip()
    if safe.endswith('"'):
        safe += " "  # a quote right before the closing quotes would end the string early
    paragraphs = [" ".join(paragraph.split()) for paragraph in safe.split("\n\n")]
    wrapped = [textwrap.fill(paragraph, width=max(width - indent, 40), break_long_words=False, break_on_hyphens=False) for paragraph in paragraphs]
    return textwrap.indent("\n\n".join(wrapped), " " * indent).lstrip(" ")


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
