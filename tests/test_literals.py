"""Spec values as Python and TOML literals, and spec prose in docstrings: any text comes out valid."""

from __future__ import annotations

import ast

import pytest

from generator.literals import python_literal, python_string, toml_string
from generator.render import docstring_text

AWKWARD = ["", "plain", "it's", 'say "hi"', "back\\slash", "tab\there", "line\nbreak", "\x07\x7f", "\u2028", "é中😀", '"""', "\\"]


@pytest.mark.parametrize("value", AWKWARD)
def test_a_python_string_evaluates_back_to_the_value(value: str) -> None:
    literal = python_string(value)
    assert literal.startswith('"') and literal.isprintable()
    assert ast.literal_eval(literal) == value


@pytest.mark.parametrize("value", [None, True, False, 0, -12, 1.5, 1e300, "x"])
def test_a_python_literal_evaluates_back_to_the_value(value: object) -> None:
    assert ast.literal_eval(python_literal(value)) == value


def test_an_infinite_bound_is_a_float_call_not_a_name() -> None:
    assert python_literal(float("inf")) == 'float("inf")'
    assert eval(python_literal(float("-inf"))) == float("-inf")  # our own literal, nothing else


@pytest.mark.parametrize("value", AWKWARD)
def test_a_toml_string_reads_back_as_the_value(value: str) -> None:
    tomllib = pytest.importorskip("tomllib")  # Python 3.11+
    assert tomllib.loads(f"description = {toml_string(value)}")["description"] == value


@pytest.mark.parametrize("value", AWKWARD)
def test_docstring_text_stays_inside_its_docstring(value: str) -> None:
    source = f'def f():\n    """{docstring_text(value + " end " + value)}"""\n'
    docstring = ast.get_docstring(ast.parse(source).body[0])  # type: ignore[arg-type]
    assert docstring is not None and "end" in docstring


def test_docstring_text_fits_its_first_line_after_what_precedes_it() -> None:
    text = docstring_text("word " * 40, indent=16, start=30, width=88)
    lines = text.splitlines()
    assert 30 + len(lines[0]) <= 88
    assert all(len(line) <= 88 and line.startswith(" " * 16) for line in lines[1:])


def test_docstring_text_pads_quotes_next_to_the_docstrings_own() -> None:
    assert docstring_text('"quoted"') == ' "quoted" '
