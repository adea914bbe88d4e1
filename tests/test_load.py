"""load: YAML -> Document with positions; strict about duplicates, aliases and tags."""

from pathlib import Path

import pytest

from generator.errors import InvalidSpec
from generator.load import MAX_DEPTH, IgnoreComment, Position, load, loads


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


@pytest.mark.parametrize(
    ("text", "column", "message", "hint"),
    [
        ('a: "x \\ud83d\\ude00"\n', 4, "\\ud83d\\ude00 is a UTF-16 surrogate pair, not a character", "write the escape \\U0001F600, or the character itself"),
        ('a: "\\ud83d"\n', 4, "\\ud83d is half of a UTF-16 surrogate pair, not a character", "write the whole character"),
        ('a: ["\\U0000DE00"]\n', 5, "\\ude00 is half of a UTF-16 surrogate pair, not a character", "write the whole character"),
        ('"\\ud83d": 1\n', 1, "\\ud83d is half of a UTF-16 surrogate pair, not a character", "write the whole character"),
    ],
)
def test_a_surrogate_escape_is_a_problem_not_text_no_file_can_hold(text: str, column: int, message: str, hint: str) -> None:
    with pytest.raises(InvalidSpec) as caught:
        loads(text, "s.yaml")
    [problem] = caught.value.problems
    assert (problem.line, problem.column) == (1, column)
    assert problem.message == message
    assert problem.hint.startswith(hint)


def test_characters_beyond_sixteen_bits_load_written_or_escaped() -> None:
    assert loads('a: "\\U0001F600 \U0001f600"\nb: \U0001f600\n').data == {"a": "\U0001f600 \U0001f600", "b": "\U0001f600"}


@pytest.mark.parametrize(
    ("written", "message", "hint"),
    [
        ("10:30", "YAML 1.1 reads 10:30 as the base-60 number 630", 'quote it ("10:30") if it is text, or write 630 if it is a number'),
        ("1:30.5", "YAML 1.1 reads 1:30.5 as the base-60 number 90.5", 'quote it ("1:30.5") if it is text, or write 90.5 if it is a number'),
        ("0755", "YAML 1.1 reads 0755 as the octal number 493", 'quote it ("0755") if it is text; for a number write 755, or 493 if you meant octal'),
        ("-012", "YAML 1.1 reads -012 as the octal number -10", 'quote it ("-012") if it is text; for a number write -12, or -10 if you meant octal'),
        ("00", "YAML 1.1 reads 00 as the octal number 0", 'quote it ("00") if it is text; for a number write 0'),
    ],
)
def test_yaml_1_1_base_60_and_octal_numbers_are_a_problem(written: str, message: str, hint: str) -> None:
    # YAML 1.2 (and an editor's YAML language server) reads these as text or as a decimal: say which.
    with pytest.raises(InvalidSpec) as caught:
        loads(f"a:\n  b: [{written}]\n", "s.yaml")
    assert [str(problem) for problem in caught.value.problems] == [f"s.yaml:2:7: a.b[0]: {message} — {hint}"]


def test_numbers_that_read_the_same_in_yaml_1_1_and_1_2_load() -> None:
    text = 'a: [0, 10, -3, 0x1F, 1_000, 0.5, 08, 0o755, "10:30", "0755", 2020-01-01, 1.10]\n'
    document = loads(text)
    assert document.data == {"a": [0, 10, -3, 31, 1000, 0.5, "08", "0o755", "10:30", "0755", "2020-01-01", 1.1]}
    # What messages quote: the text of values YAML read as something Python spells otherwise.
    assert document.written == {("a", 3): "0x1F", ("a", 4): "1_000", ("a", 11): "1.10"}
    assert loads("a: [yes, On, true, 1.0]\n").written == {("a", 0): "yes", ("a", 1): "On"}


@pytest.mark.parametrize(
    ("key", "message"),
    [
        ("on", "YAML reads the key on as true, not as text"),
        ("No", "YAML reads the key No as false, not as text"),
        ("true", "YAML reads the key true as a boolean, not as text"),
        ("~", "YAML reads the key ~ as null (no value), not as text"),
        ("1.0", "YAML reads the key 1.0 as a number, not as text"),
        ("1.10", "YAML reads the key 1.10 as the number 1.1, not as text"),
        ("0755", "YAML reads the key 0755 as the number 493, not as text"),
        ("0x1F", "YAML reads the key 0x1F as the number 31, not as text"),
    ],
)
def test_a_key_yaml_reads_as_a_boolean_null_or_other_number_says_to_quote_it(key: str, message: str) -> None:
    with pytest.raises(InvalidSpec) as caught:
        loads(f"operations:\n  list: {{}}\n  {key}: {{}}\n", "s.yaml")
    assert [str(problem) for problem in caught.value.problems] == [f's.yaml:3:3: operations: {message} — quote it ("{key}")']


def test_whole_number_keys_are_text_as_written() -> None:
    assert loads("responses:\n  200: {}\n  '0755': {}\n").data == {"responses": {"200": {}, "0755": {}}}


@pytest.mark.parametrize(
    "text",
    ["title: X\ndescription What it does\npackage: x\n", "title: X\ndescription What it does\n", "title: first line\ndescription What it does\n"],
)
def test_a_missing_colon_is_reported_on_its_line_with_its_own_hint(text: str) -> None:
    # The parser notices at the next line; the line without a colon is the one to fix.
    with pytest.raises(InvalidSpec) as caught:
        loads(text, "s.yaml")
    hint = "each entry needs `key: value`: add the colon after the key, or indent this line if it continues the value above"
    assert [str(problem) for problem in caught.value.problems] == [f"s.yaml:2:1: YAML syntax error: could not find expected ':' — {hint}"]


@pytest.mark.parametrize(
    ("text", "hint"),
    [
        ("a:\n  - 1\n  b: 2\n", "the list opened at line 2, column 3 is not closed properly"),
        ("a: [1, 2\nb: 3\n", "the flow sequence opened at line 1, column 4 is not closed properly"),
    ],
)
def test_what_was_left_open_is_named_in_plain_words(text: str, hint: str) -> None:
    with pytest.raises(InvalidSpec) as caught:
        loads(text, "s.yaml")
    assert [problem.hint for problem in caught.value.problems] == [hint]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # A quote left open runs on to the next quote; the parser fails there, the mistake is where it opened.
        (
            'servers:\n  url: "https://a.example\nauth:\n  format: "Bearer {key}"\n',
            ('s.yaml:2:8: YAML syntax error: this quoted string does not end on its line, and runs on to line 4'
            ' — close it with " on this line (write a " inside it as \\")'),
        ),
        (
            "a: 'it is\nb: 'x'\n",
            ("s.yaml:1:4: YAML syntax error: this quoted string does not end on its line, and runs on to line 2"
            " — close it with ' on this line (write a ' inside it as '')"),
        ),
        ('a: 1\nb: "abc\nc: 2\n', "s.yaml:2:4: YAML syntax error: this quoted string is never closed: it runs to the end of the file — close it on its line"),
        (
            "models:\n  Pet:\n    properties:\n      id: string\n     name: string\n",
            ("s.yaml:5:6: YAML syntax error: this line's indentation (5 spaces) matches none of the lines above it"
            " — indent it by 4 spaces, like the key at line 3, or like the lines it belongs with"),
        ),
        (
            "a: {type: string[], required: true}\n",
            ("s.yaml:1:17: YAML syntax error: expected ',' or '}', but got '['"
            ' — inside {...} or [...], a [ starts a YAML list: quote a list type, as in "string[]"'),
        ),
        (
            'a: "C:\\Users"\n',
            ("s.yaml:1:9: YAML syntax error: expected escape sequence of 8 hexadecimal numbers, but found 's'"
            " — in double quotes a backslash starts an escape: write \\\\ for a backslash, or use single quotes"),
        ),
        (
            'a: "a\\qb"\n',
            ("s.yaml:1:7: YAML syntax error: found unknown escape character 'q'"
            " — in double quotes a backslash starts an escape: write \\\\ for a backslash, or use single quotes"),
        ),
    ],
)
def test_quoting_and_indentation_mistakes_are_named_where_they_were_made(text: str, expected: str) -> None:
    with pytest.raises(InvalidSpec) as caught:
        loads(text, "s.yaml")
    assert [str(problem) for problem in caught.value.problems] == [expected]


def test_a_quoted_string_that_spans_lines_on_purpose_is_fine() -> None:
    assert loads('a: "one\n  two"\nb: 1\n').data == {"a": "one two", "b": 1}


@pytest.mark.parametrize(
    ("text", "line", "column"),
    [
        ("a: 1\rb: c\x07\r", 2, 5),  # old Mac line endings: CR alone is a line break, as YAML counts
        ("a: 1\r\nb: c\x07\r\n", 2, 5),
        ("a: 1\r\rb: c\x07\n", 3, 5),
        ("\ufeffa: c\x07\n", 1, 5),  # a BOM is not a column
        ("\ufeffa: 1\nb: c\x07\n", 2, 5),
        ("a: 1\u2028b: c\x07\n", 2, 5),
    ],
)
def test_an_unprintable_character_is_placed_by_yaml_line_breaks(text: str, line: int, column: int) -> None:
    with pytest.raises(InvalidSpec) as caught:
        loads(text, "s.yaml")
    assert [(problem.line, problem.column) for problem in caught.value.problems] == [(line, column)]


def test_positions_in_a_file_with_cr_line_endings_agree_with_the_parser() -> None:
    with pytest.raises(InvalidSpec) as caught:
        loads("a: 1\rb: !x 1\rc: d\x07\r", "s.yaml")
    assert [(problem.line, problem.column) for problem in caught.value.problems] == [(3, 5)]
    assert loads("a: 1\rb:\r  c: 2\r").values[("b", "c")] == Position(3, 6)


@pytest.mark.parametrize(
    ("source", "line", "column", "hint"),
    [
        ("title: X\ndescription: Café API\n".encode("latin-1"), 2, 17, "save the file as UTF-8 (it is perhaps Latin-1 or Windows-1252)"),
        ("title: X\r\ndescription: Ça va, ".encode() + b"\xe9t\xe9\r\n", 2, 21, "save the file as UTF-8 (it is perhaps Latin-1 or Windows-1252)"),
        ("title: X\n".encode("utf-16"), 1, 1, "save the file as UTF-8, not UTF-16"),
    ],
)
def test_a_file_that_is_not_utf8_is_reported_where_the_bad_byte_is(source: bytes, line: int, column: int, hint: str, tmp_path: Path) -> None:
    spec = tmp_path / "s.yaml"
    spec.write_bytes(source)
    with pytest.raises(InvalidSpec) as caught:
        load(spec)
    [problem] = caught.value.problems
    assert (problem.line, problem.column, problem.hint) == (line, column, hint)
    assert problem.message.startswith("the spec is not UTF-8: byte 0x")
    with pytest.raises(InvalidSpec, match="cannot read the spec"):
        load(tmp_path / "missing.yaml")
