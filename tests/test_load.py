"""load: YAML -> Document with positions; strict about duplicates, aliases and tags."""

import pytest

from generator.errors import InvalidSpec
from generator.load import MAX_DEPTH, IgnoreComment, Position, loads


def test_positions_of_keys_and_values_are_one_based() -> None:
    document = loads("title: X\nservers:\n  default:\n    url: https://a.example\n", "s.yaml")
    assert document.data["servers"]["default"]["url"] == "https://a.example"
    assert document.keys[("servers", "default", "url")] == Position(4, 5)
    assert document.values[("servers", "default", "url")] == Position(4, 10)


def test_position_of_missing_path_falls_back_to_nearest_ancestor() -> None:
    document = loads("a:\n  b: 1\n", "s.yaml")
    assert document.position(("a", "nope", "deeper")) == document.values[("a",)]


@pytest.mark.parametrize(
    ("text", "line", "column", "message"),
    [
        ("a: 1\na: 2\n", 2, 1, "duplicate key 'a' (first written at line 1)"),
        ("a: &x 1\nb: *x\n", 2, 1, "YAML aliases are not allowed"),
        ("a: 1\nb: &x [2]\n", 2, 4, "YAML anchors are not allowed (&x)"),
        ("a: !!python/object:os.system x\n", 1, 4, "custom tag"),
        ("a: [1\n", 2, 1, "YAML syntax error"),
        ("a:\n  <<: {b: 1}\n", 2, 3, "merge keys (<<) are not allowed"),
        ("", 1, 1, "the spec is empty"),
        ("a: 1\nb: c\x00d\n", 2, 5, "YAML does not allow the unprintable character \\x00"),
        ("a: \ufffe\n", 1, 4, "YAML does not allow the unprintable character \\ufffe"),
        ("---\na: 1\n---\nb: 2\n", 3, 1, "a second YAML document starts here: a spec must be a single document"),
    ],
)
def test_strict_yaml_problems_point_at_the_spot(text: str, line: int, column: int, message: str) -> None:
    with pytest.raises(InvalidSpec) as caught:
        loads(text, "s.yaml")
    problem = caught.value.problems[0]
    assert (problem.line, problem.column) == (line, column)
    assert message in problem.message
    assert str(problem).startswith(f"s.yaml:{line}:{column}:")


def test_a_document_marked_with_dashes_and_dots_is_one_document() -> None:
    assert loads("---\na: 1\n...\n").data == {"a": 1}


def test_an_anchor_an_alias_uses_is_reported_at_the_alias_only() -> None:
    with pytest.raises(InvalidSpec) as caught:
        loads("a: &x 1\nb: [*x]\n", "s.yaml")
    assert [(problem.line, problem.column, problem.message) for problem in caught.value.problems] == [(2, 5, "YAML aliases are not allowed")]


def test_ignore_comments_are_yaml_comments_not_text_inside_strings() -> None:
    text = (
        'a: "x # sdkforge: ignore[unused-model]"\n'  # 1: inside a quoted string
        "b: 'x  # sdkforge: ignore[unused-model]'  # sdkforge: ignore[naming-style]\n"  # 2: the comment after it
        "c: |  # sdkforge: ignore[missing-summary]\n"  # 3: a comment on the line of `|`
        "  x # sdkforge: ignore[unused-model]\n"  # 4: inside a block string
        "d: x#sdkforge:ignore[unused-model]\n"  # 5: no space before #: part of a plain string
        "# sdkforge: ignore[unused-model]\n"  # 6: a comment line
    )
    assert loads(text).ignores == {
        2: IgnoreComment(43, ("naming-style",)),
        3: IgnoreComment(7, ("missing-summary",)),
        6: IgnoreComment(1, ("unused-model",)),
    }


def test_dates_stay_text_and_every_problem_is_reported() -> None:
    assert loads("d: 2020-01-01\n").data == {"d": "2020-01-01"}
    with pytest.raises(InvalidSpec) as caught:
        loads("a: 1\na: 2\nb: 1\nb: 2\n", "s.yaml")
    assert [problem.line for problem in caught.value.problems] == [2, 4]


def flow_lists(depth: int) -> str:
    """``a: [[...]]``: the root mapping, then ``depth`` lists, on one line."""
    return "a: " + "[" * depth + "]" * depth + "\n"


def block_mappings(depth: int) -> str:
    """``a:\n a:\n  a: 1``: ``depth`` mappings, each indented one more space."""
    return "".join(" " * level + "a:\n" for level in range(depth - 1)) + " " * (depth - 1) + "a: 1\n"


@pytest.mark.parametrize("lists", [MAX_DEPTH, 600, 100_000])
def test_nesting_past_the_limit_is_a_problem_where_it_goes_too_deep(lists: int) -> None:
    # libyaml's composer recursed in C (100,000 levels crashed the interpreter), ours in Python.
    with pytest.raises(InvalidSpec) as caught:
        loads(flow_lists(lists), "s.yaml")
    hint = "flatten it: shorten a deep example, or name an inner shape as a model"
    column = len("a: ") + MAX_DEPTH  # the root mapping is level 1, so the MAX_DEPTH-th bracket is one too many
    assert [str(problem) for problem in caught.value.problems] == [f"s.yaml:1:{column}: YAML nested more than {MAX_DEPTH} levels deep — {hint}"]
    with pytest.raises(InvalidSpec) as caught:
        loads(block_mappings(1000), "s.yaml")
    assert [(problem.line, problem.column) for problem in caught.value.problems] == [(MAX_DEPTH + 1, MAX_DEPTH + 1)]


def test_nesting_up_to_the_limit_loads() -> None:
    innermost: list[object] = []
    for _ in range(MAX_DEPTH - 2):
        innermost = [innermost]
    assert loads(flow_lists(MAX_DEPTH - 1)).data == {"a": innermost}
    document = loads(block_mappings(MAX_DEPTH))
    assert document.values[("a",) * MAX_DEPTH] == Position(MAX_DEPTH, MAX_DEPTH + 3)
