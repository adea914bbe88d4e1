"""layout: long lines split as black splits them, so that black has nothing left to change.

Every split is checked twice: against the exact text expected, and against black
itself (formatting the result must give it back unchanged, which is the point).
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import PurePosixPath

import black
import pytest

from generator import format as formatting
from generator.build import build
from generator.format import LINE_LENGTH, black_mode, in_black_layout
from generator.layout import layout, parameters
from generator.pipeline import load_valid
from generator.render import render
from tests.conftest import ROOT, SPECS


def black_keeps(code: str) -> bool:
    """True if black leaves ``code`` exactly as it is."""
    return black.format_str(code, mode=black_mode()) == code


def in_method(lines: str) -> str:
    """``lines`` (indented by 8) as the body of a method, so that black can format them."""
    return "class Resource:\n    def method(self):\n" + lines


def test_a_line_that_fits_is_left_alone() -> None:
    line = '        return self._client.request(_RETRIEVE, options, path={"form_id": form_id})\n'
    assert layout(line) == line


def test_the_arguments_hug_on_one_line_when_they_fit() -> None:
    line = '        return self._client.request(_RETRIEVE, options, path={"env_id": env_id, "project_id": project_id})\n'
    expected = """\
        return self._client.request(
            _RETRIEVE, options, path={"env_id": env_id, "project_id": project_id}
        )
"""
    assert layout(line) == expected
    assert black_keeps(in_method(expected))


def test_arguments_that_do_not_fit_explode_and_so_do_the_dicts_among_them() -> None:
    line = (
        '        return await self._client.request(_CREATE, options, path={"env_id": env_id}, json_body={"name": name, '
        '"key": key, "variationType": variation_type, "variations": variations, "enabledVariationId": enabled_variation_id})\n'
    )
    expected = """\
        return await self._client.request(
            _CREATE,
            options,
            path={"env_id": env_id},
            json_body={
                "name": name,
                "key": key,
                "variationType": variation_type,
                "variations": variations,
                "enabledVariationId": enabled_variation_id,
            },
        )
"""
    assert layout(line) == expected
    assert black_keeps(in_method(expected))


def test_nested_calls_and_a_lone_item_get_no_trailing_comma() -> None:
    query = ", ".join(f'"{name}": {name}' for name in ("first_parameter", "second_parameter", "third_parameter", "fourth"))
    line = f"        return Pager(self._client, _LIST, options, dict(query={{{query}}}))\n"
    expected = """\
        return Pager(
            self._client,
            _LIST,
            options,
            dict(
                query={
                    "first_parameter": first_parameter,
                    "second_parameter": second_parameter,
                    "third_parameter": third_parameter,
                    "fourth": fourth,
                }
            ),
        )
"""
    assert layout(line) == expected
    assert black_keeps(in_method(expected))


def test_an_assignment_splits_at_its_call_not_at_its_annotation() -> None:
    line = '_LIST_PENDING_CHANGES: Endpoint[builtins.list[PendingChange]] = Endpoint("GET", "/api/v1/envs/{env_id}/pending-changes", builtins.list[PendingChange])\n'
    expected = """\
_LIST_PENDING_CHANGES: Endpoint[builtins.list[PendingChange]] = Endpoint(
    "GET", "/api/v1/envs/{env_id}/pending-changes", builtins.list[PendingChange]
)
"""
    assert layout(line) == expected
    assert black_keeps(expected)


@pytest.mark.parametrize(
    ("field", "expected"),
    [
        (
            'resource_type: str | None = Field(default=None, validation_alias="resourceType", serialization_alias="resourceType")',
            ('    resource_type: str | None = Field(\n'
            '        default=None, validation_alias="resourceType", serialization_alias="resourceType"\n'
            '    )\n'),
        ),
        (
            'require_change_comment: bool | None = Field(default=None, validation_alias="requireChangeComment", serialization_alias="requireChangeComment")',
            ('    require_change_comment: bool | None = Field(\n'
            '        default=None,\n'
            '        validation_alias="requireChangeComment",\n'
            '        serialization_alias="requireChangeComment",\n'
            '    )\n'),
        ),
    ],
    ids=["hugging", "exploded"],
)
def test_a_model_field_with_a_union_splits_at_its_field_call(field: str, expected: str) -> None:
    # The | of the annotation stops the general model; a field's line is split where black splits it.
    assert layout(f"    {field}\n") == expected
    assert black_keeps("class Model:\n" + expected)


def test_a_long_string_that_cannot_be_split_stays_on_its_own_line() -> None:
    path = "/v1/" + "very-long-segment/" * 6
    line = f'_RUN: Endpoint[None] = Endpoint("POST", "{path}", server="uploads", idempotent=True)\n'
    expected = f'_RUN: Endpoint[None] = Endpoint(\n    "POST",\n    "{path}",\n    server="uploads",\n    idempotent=True,\n)\n'
    assert layout(line) == expected
    assert black_keeps(expected)


def fill_to(template: str, width: int) -> str:
    """``template`` with its ``NAME`` replaced by a name that makes the line exactly ``width`` long."""
    line = template.replace("NAME", "x" * (width - len(template) + len("NAME")))
    assert len(line) == width
    return line


@pytest.mark.parametrize("width", [LINE_LENGTH - 1, LINE_LENGTH, LINE_LENGTH + 1])
def test_the_line_length_boundary(width: int) -> None:
    line = fill_to("        self.NAME = async_to_raw_response(resource.operation)", width)
    laid = layout(line + "\n")
    assert (laid == line + "\n") == (width <= LINE_LENGTH)
    assert black_keeps("class Raw:\n    def __init__(self, resource):\n" + laid)


@pytest.mark.parametrize("width", [LINE_LENGTH - 1, LINE_LENGTH, LINE_LENGTH + 1])
def test_the_body_hugs_up_to_the_line_length_and_explodes_beyond(width: int) -> None:
    body = fill_to('            _CREATE, options, json_body={"name": NAME}, query={"q": q}', width)
    line = "        return self._client.request(" + body.strip() + ")\n"
    laid = layout(line)
    assert (laid.count("\n") == 3) == (width <= LINE_LENGTH)  # head, body, closing bracket
    assert black_keeps(in_method(laid))


def test_a_long_import_has_one_name_per_line() -> None:
    line = "    from ..models import FeatureFlag, FeatureFlagSummary, FlagTargeting, JsonPatchOperation, PendingChange\n"
    expected = """\
    from ..models import (
        FeatureFlag,
        FeatureFlagSummary,
        FlagTargeting,
        JsonPatchOperation,
        PendingChange,
    )
"""
    assert layout(line) == expected
    assert black_keeps("if TYPE_CHECKING:\n" + expected)


@pytest.mark.parametrize(
    "line",
    [
        "        return first_value_with_a_long_name + second_value_with_a_long_name(argument_one, argument_two)\n",
        "        return self._client.request(_CREATE, options, json_body={'name': name, 'nickname': nickname,}, x=1)\n",
        "        value = some_function_with_a_long_name(argument)[index_one_is_long, index_two_is_longer_still]\n",
        '        return call_something_long("implicitly " "concatenated", other_argument_name, third_argument_a)\n',
        "        return self.make(argument_number_one).chain(argument_number_two).again(argument_number_three)\n",
    ],
    ids=["operator", "trailing-comma", "subscript", "concatenation", "method-chain"],
)
def test_shapes_outside_the_model_are_left_for_black(line: str) -> None:
    assert layout(line) == line


def test_a_union_annotation_goes_in_parentheses() -> None:
    line = '        brand_primary_color: Annotated[str, Field(pattern="^[0-9A-Fa-f]{6}$")] | NotGiven = NOT_GIVEN,\n'
    expected = """\
        brand_primary_color: (
            Annotated[str, Field(pattern="^[0-9A-Fa-f]{6}$")] | NotGiven
        ) = NOT_GIVEN,
"""
    assert parameters(line) == expected
    assert black_keeps(in_signature(expected))


def test_a_union_too_long_for_one_line_has_one_operand_per_line() -> None:
    values = ", ".join(f'"{value}"' for value in ("top", "latest_created_at", "oldest_created_at", "latest_updated_at", "oldest_updated_at"))
    line = f"        sort: Literal[{values}] | NotGiven = NOT_GIVEN,\n"
    expected = """\
        sort: (
            Literal[
                "top",
                "latest_created_at",
                "oldest_created_at",
                "latest_updated_at",
                "oldest_updated_at",
            ]
            | NotGiven
        ) = NOT_GIVEN,
"""
    assert parameters(line) == expected
    assert black_keeps(in_signature(expected))


def test_a_required_parameter_splits_inside_its_annotation() -> None:
    line = '        workspace_identifier: Annotated[str, Field(min_length=1, max_length=64, pattern="^[a-z0-9-]+$")],\n'
    expected = """\
        workspace_identifier: Annotated[
            str, Field(min_length=1, max_length=64, pattern="^[a-z0-9-]+$")
        ],
"""
    assert parameters(line) == expected
    assert black_keeps(in_signature(expected))


def test_a_union_inside_brackets_stays_on_one_line() -> None:
    line = "        events: Annotated[Sequence[EvalEvent | EvalEventParam], Field(min_length=1, max_length=100)],\n"
    expected = """\
        events: Annotated[
            Sequence[EvalEvent | EvalEventParam], Field(min_length=1, max_length=100)
        ],
"""
    assert parameters(line) == expected
    assert black_keeps(in_signature(expected))


def test_a_union_inside_brackets_too_long_for_one_line_is_left_for_black() -> None:
    # black splits it at its | first, which layout.py does not model.
    union = " | ".join(f"SomeRatherLongModelName{number}" for number in range(4))
    line = f"        items: Annotated[Sequence[{union}], Field(min_length=1)],\n"
    assert parameters(line) == line
    assert black_keeps(in_signature(line)) is False


def in_signature(parameter_lines: str) -> str:
    """``parameter_lines`` (indented by 8) as the keyword-only parameters of a method."""
    return f"class Resource:\n    def method(\n        self,\n        *,\n{parameter_lines}    ) -> None:\n        pass\n"


@pytest.mark.parametrize("spec", ["featbit", "featureos", "feathery", "feather_flag"])
def test_black_leaves_every_module_kept_as_rendered_unchanged(spec: str) -> None:
    # Generation skips black for a module that in_black_layout vouches for, so black must
    # agree with each of them. Everything but a model with a line too long for layout.py's
    # model (a long inline enum, a union with a Field(...)) is vouched for: the static
    # runtime is written in black's layout, long spec-dependent lines are split by layout.py.
    files = render(build(load_valid(SPECS / f"{spec}.yaml")))
    checked = {path: text for path, text in files.items() if path.suffix == ".py"}
    assert {"resources", "_models"} <= {path.parent.name for path in checked}
    kept = {path for path, text in checked.items() if in_black_layout(text)}
    assert [str(path) for path in sorted(kept) if not black_keeps(checked[path])] == []
    left_for_black = [path for path in checked if path not in kept]
    assert [str(path) for path in left_for_black if path.parent.name != "_models" or not has_long_line(checked[path])] == []


def has_long_line(text: str) -> bool:
    return any(len(line) > LINE_LENGTH for line in text.splitlines())


def test_long_lines_in_a_block_are_split_independently() -> None:
    text = textwrap.dedent("""\
        _A: Endpoint[None] = Endpoint("GET", "/a")
        _LONG_OPERATION_NAME: Endpoint[SomeLongModelName] = Endpoint("GET", "/a/{a_id}/b/{b_id}", SomeLongModelName)
    """)
    lines = layout(text).splitlines()
    assert lines[0] == '_A: Endpoint[None] = Endpoint("GET", "/a")'
    assert lines[1:] == ["_LONG_OPERATION_NAME: Endpoint[SomeLongModelName] = Endpoint(", '    "GET", "/a/{a_id}/b/{b_id}", SomeLongModelName', ")"]


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ('x = "a"\n', True),
        ("x = 1 \n", False),  # whitespace at a line's end
        ('x = "a\\"b"\n', False),  # black may prefer 'a"b'
        ("x = 1\n\n", False),  # a blank line at the end
        ("x = 1", False),  # no final newline
        ("x = " + "1" * (LINE_LENGTH - 4) + "\n", True),
        ("x = " + "1" * (LINE_LENGTH - 3) + "\n", False),  # one column too many
        ('x = "' + "é" * 46 + '"\n', True),  # two columns each, at most: 4 + 2 + 92 = 98
        ('x = "' + "é" * 48 + '"\n', False),  # 102 columns if é were wide
        ('x = "\u2028"\n', False),  # a line separator, not printable
        ("x = 1\x0c\n", False),  # a form feed
    ],
)
def test_in_black_layout_vouches_only_for_what_it_can_see_is_safe(text: str, kept: bool) -> None:
    assert in_black_layout(text) is kept


def test_black_in_worker_processes_gives_what_black_in_process_gives(monkeypatch: pytest.MonkeyPatch) -> None:
    """format_files hands large batches to a process pool (imported only then); the result is the same."""
    monkeypatch.setenv("SDKFORGE_CACHE_DIR", "")  # every module really goes to black
    # A space at a line's end: text the renderer cannot vouch for, so it goes to black.
    ugly = {PurePosixPath(f"pkg/m{index}.py"): f"x  =  {{ 'a':{index},'b' : [1,2 ,3]}} \ndef f( a,b ):\n  return a+b\n" for index in range(6)}
    serial = formatting.format_files(ugly)
    monkeypatch.setattr(formatting, "PARALLEL_THRESHOLD_LINES", 0)
    parallel = formatting.format_files(ugly)
    assert parallel == serial
    assert serial[PurePosixPath("pkg/m3.py")] == black.format_str(ugly[PurePosixPath("pkg/m3.py")], mode=black_mode())
    assert serial[PurePosixPath("pkg/m3.py")] != ugly[PurePosixPath("pkg/m3.py")]


def test_the_process_pool_is_imported_only_to_be_used() -> None:
    """multiprocessing takes ~11 ms to import: a run that formats little should not pay it."""
    probe = "import sys; before = set(sys.modules); import generator.format; print(sorted({'multiprocessing', 'concurrent.futures'} & (set(sys.modules) - before)))"
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True, cwd=ROOT)
    assert result.stdout.strip() == "[]"
