"""Specs full of awkward text: quotes, backslashes, triple quotes, control and wide
characters, long words and long names, in every place a spec holds free text.

The generator must turn each into Python that compiles, and every module the
formatter keeps as rendered (format.in_black_layout) must be exactly what black
makes of it: that is what lets generation skip black for those modules.
"""

from __future__ import annotations

import difflib
import re
import string
from pathlib import PurePosixPath
from urllib.parse import quote

import black
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.build import build
from generator.format import black_mode, in_black_layout
from generator.load import load
from generator.pipeline import problems
from generator.render import render

AWKWARD = '"\'\\{}()[]:#.,- \t\n`*_'
text = st.lists(
    st.one_of(
        st.sampled_from(list(string.ascii_letters + string.digits + AWKWARD)),
        st.sampled_from(['"""', "\\\\", "\r\n", "\n\n", "é", "中", "😀", "\u0301", "\u2028", "\x85", "\x07", "\ufeff", "\x7f"]),
        st.text(alphabet="abcdefghij", min_size=40, max_size=110),  # a word too long to wrap
    ),
    max_size=12,
).map("".join)
prose = st.one_of(text, st.lists(st.sampled_from(["word", "longer-word", "a", "URL"]), max_size=60).map(" ".join))
# An HTTP token, with every punctuation mark one may hold (an apostrophe and a backtick among them).
HEADER_NAME = re.compile(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+")
header_name = st.text(alphabet=string.ascii_letters + string.digits + "!#$%&'*+-.^_`|~", min_size=1, max_size=20)
identifier_tail = st.text(alphabet=string.ascii_lowercase + string.digits, max_size=36)
FIELD_TYPES = ["string", "integer", "number", "boolean", "any", "string[]", "Kind", "Kind[]"]


@st.composite
def fields(draw: st.DrawFn, prefix: str, count: int) -> dict[str, dict[str, object]]:
    """Properties under awkward wire names; python_name keeps the Python names valid and distinct."""
    result: dict[str, dict[str, object]] = {}
    for index in range(count):
        wire = draw(st.one_of(text.filter(bool), st.just(f"{prefix}Field{index}")))
        details: dict[str, object] = {"type": draw(st.sampled_from(FIELD_TYPES)), "python_name": f"{prefix}_{index}{draw(identifier_tail)}"}
        details |= draw(st.fixed_dictionaries({}, optional={"description": prose, "required": st.booleans(), "deprecated": st.booleans(), "nullable": st.booleans()}))
        if details["type"] == "string":
            # A pattern must compile (checks.py): the awkward text, escaped. A default keeps to the field's
            # limits: one with a pattern is left out (YAML may fold a line break in either into a space),
            # and max_length leaves room for it.
            limits = draw(st.fixed_dictionaries({}, optional={"pattern": text.map(re.escape), "default": text, "max_length": st.integers(0, 10**9)}))
            if "pattern" in limits:
                limits.pop("default", None)
            if "default" in limits and "max_length" in limits:
                limits["max_length"] = max(int(str(limits["max_length"])), len(str(limits["default"])))
            details |= limits
        result.setdefault(wire, details)
    return result


@st.composite
def specs(draw: st.DrawFn) -> dict[str, object]:
    models: dict[str, object] = {
        "Kind": {"enum": draw(st.lists(st.one_of(text, st.integers()), min_size=1, max_size=6, unique=True)), "description": draw(prose)},
    }
    for index in range(draw(st.integers(1, 3))):
        models[f"Model{index}{draw(st.text(alphabet=string.ascii_letters, max_size=30))}"] = {
            "description": draw(prose),
            "properties": draw(fields(f"m{index}", draw(st.integers(0, 6)))),
        }
    model_names = [name for name in models if name != "Kind"]
    resources: dict[str, object] = {}
    for index in range(draw(st.integers(1, 2))):
        operations: dict[str, object] = {}
        for number in range(draw(st.integers(1, 3))):
            params = draw(fields(f"p{number}", draw(st.integers(0, 4))))
            for wire, details in list(params.items()):
                details["in"] = draw(st.sampled_from(["query", "header"]))
                # Parameters travel as text (checks.py): no `any`, and a list only in a query.
                if details["type"] == "any" or (details["in"] == "header" and str(details["type"]).endswith("[]")):
                    details["type"] = "string"
                if details["in"] == "header" and not HEADER_NAME.fullmatch(wire):
                    del params[wire]  # a header's name is an HTTP token (checks.py)
                    params.setdefault(draw(header_name), details)
            params["item_id"] = {"in": "path", "type": "string", "description": draw(prose)}
            operation: dict[str, object] = {
                "summary": draw(prose.filter(str.strip)),
                "description": draw(prose),
                "method": draw(st.sampled_from(["GET", "POST", "PATCH", "DELETE"])),
                # Its own first segment, so that no two operations share a route; no query or fragment.
                # The awkward text a URL path can carry as it is (checks.py), the rest percent-encoded.
                "path": f"/r{index}o{number}/" + quote(draw(text), safe="!$&'()*+,;=:@") + "/{item_id}",
                "params": params,
                "response": draw(st.sampled_from([*model_names, f"{model_names[0]}[]"])),
                "auth": draw(st.sampled_from(["required", "optional", "none"])),
            }
            if operation["method"] in ("POST", "PATCH"):
                operation["body"] = {"properties": draw(fields(f"b{number}", draw(st.integers(0, 5))))}
            operations[f"op{number}_{draw(identifier_tail)}"] = operation
        resources[f"res{index}_{draw(identifier_tail)}"] = {"description": draw(prose), "operations": operations}
    return {
        "title": draw(text.filter(str.strip)),
        "description": draw(prose),
        "package": "hostile_api",
        "client": "Hostile",
        "servers": {"default": {"url": "https://api.example", "description": draw(prose)}},
        "auth": {"name": draw(header_name), "format": draw(text) + "{key}"},
        "errors": {"message": "error.message", "codes": {"E_ONE": {"status": 400, "description": draw(prose)}}},
        "pagination": {"style": "cursor", "items": draw(text), "cursor_param": draw(text), "next_cursor": draw(text)},
        "models": models,
        "resources": resources,
    }


@settings(max_examples=60, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(spec=specs())
def test_awkward_text_gives_valid_python_and_black_agrees_with_every_kept_module(spec: dict[str, object], tmp_path_factory) -> None:
    path = tmp_path_factory.mktemp("spec") / "hostile.yaml"
    path.write_text(yaml.safe_dump(spec, allow_unicode=True, sort_keys=False), encoding="utf-8")
    found = problems(path)
    assert found == [], "\n".join(str(problem) for problem in found)
    files = render(build(load(path)))
    kept: list[PurePosixPath] = []
    for name, source in files.items():
        if name.suffix != ".py":
            continue
        compile(source, str(name), "exec")
        if in_black_layout(source):
            formatted = black.format_str(source, mode=black_mode())
            changes = "".join(difflib.unified_diff(source.splitlines(True), formatted.splitlines(True), "rendered", "black"))
            assert changes == "", f"{name} is kept as rendered, but black changes it"
            kept.append(name)
    assert PurePosixPath("hostile_api/_types.py") in kept  # the check is not vacuous

