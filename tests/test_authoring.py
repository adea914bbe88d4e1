"""Authoring commands: lint warnings (validate --strict) and ignore comments, sdkforge new (and -o), sdkforge schema."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import pytest

from generator import cli, starter
from generator.cli import main
from generator.errors import Problem
from generator.lint import lint
from generator.load import loads
from tests.conftest import ROOT
from tests.minispec import MINI_SPEC


def _warnings(text: str) -> list[Problem]:
    return lint(loads(text, "s.yaml"))


def test_the_minimal_spec_has_no_warnings() -> None:
    assert _warnings(MINI_SPEC) == []


def test_operation_without_summary_is_a_warning() -> None:
    problems = _warnings(MINI_SPEC.replace("        summary: Retrieve a pet\n", ""))
    assert [(p.where, p.message, p.severity) for p in problems] == [
        ("resources.pets.operations.retrieve", "operation has no summary", "warning")]


def test_unused_model_is_a_warning() -> None:
    spec = MINI_SPEC.replace("models:\n", "models:\n  Orphan:\n    properties:\n      child: Orphan\n")
    assert [p.message for p in _warnings(spec)] == ["model 'Orphan' is never used"]


def test_mixed_naming_styles_are_a_warning() -> None:
    spec = MINI_SPEC.replace("      ownerToken:", "      owner_id: string\n      ownerToken:")
    assert [p.message for p in _warnings(spec)] == ["names mix camelCase (birthDate) and snake_case (owner_id)"]


def test_list_without_pagination_where_the_api_pages_is_a_warning() -> None:
    spec = MINI_SPEC.replace("models:\n", "pagination: {style: page, page_param: page, size_param: pageSize}\nmodels:\n")
    problems = _warnings(spec)
    assert [(p.where, p.message) for p in problems] == [
        ("resources.pets.operations.list", "a list operation without pagination, in an API that paginates")]


def test_a_paginated_operation_without_the_page_size_parameter_is_a_warning() -> None:
    spec = MINI_SPEC.replace("models:\n", "pagination: {style: page, page_param: page, size_param: pageSize}\nmodels:\n")
    spec = spec.replace("        response: Pet[]\n", "        paginate: true\n        response: Pet\n")
    assert _warnings(spec) == []  # list declares pageSize
    problems = _warnings(spec.replace("          pageSize: {in: query, type: integer, minimum: 1, maximum: 100}\n", ""))
    assert [(p.rule, p.where, p.message) for p in problems] == [
        ("undeclared-page-size", "resources.pets.operations.list", "a paginated operation without 'pageSize' in params: callers cannot choose the page size")]


def test_an_error_code_missing_from_errors_codes_is_a_warning() -> None:
    spec = MINI_SPEC.replace("  code: error.code\n", "  code: error.code\n  codes:\n    PET_TAKEN: {status: 409}\n")
    errors = '        errors: {"404": No such pet., PET_TAKEN: Sold already., PET_GONE: Adopted.}\n'
    spec = spec.replace("        response: Pet\n", "        response: Pet\n" + errors)
    problems = _warnings(spec)
    assert [(p.rule, p.where, p.line, p.column) for p in problems] == [
        ("undocumented-error-code", "resources.pets.operations.retrieve.errors.PET_GONE", 47, 65)]
    assert problems[0].message == "error code 'PET_GONE' is neither an error status nor in errors.codes, so its docstring cannot name the exception raised"
    # Digits are a status only between 400 and 599: 4041 is a typo, or a code to document.
    assert [p.where for p in _warnings(spec.replace("PET_GONE: Adopted.", "4041: Gone."))] == ["resources.pets.operations.retrieve.errors.4041"]


MIXED = MINI_SPEC.replace("      ownerToken:", "      owner_id: string\n      ownerToken:")


def test_an_ignore_comment_on_the_warned_line_silences_that_rule_only() -> None:
    line = "    properties:\n      id: {type: string, required: true}\n      name:"
    assert MIXED.count(line) == 1
    silenced = MIXED.replace(line, line.replace("properties:", "properties:  # sdkforge: ignore[naming-style] (the API does)"))
    assert _warnings(silenced) == [] and len(_warnings(MIXED)) == 1
    summary = "        summary: Retrieve a pet\n"
    other_rule = MIXED.replace(line, line.replace("properties:", "properties:  # sdkforge: ignore[missing-summary]")).replace(summary, "")
    assert sorted((p.rule, p.message) for p in _warnings(other_rule)) == [
        ("missing-summary", "operation has no summary"),
        ("naming-style", "names mix camelCase (birthDate) and snake_case (owner_id)"),
        ("unused-ignore", "nothing on this line to ignore for 'missing-summary'"),
    ]


def test_an_ignore_comment_that_silences_nothing_is_a_warning(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    spec = MINI_SPEC.replace("title: Pet Store API\n", "title: Pet Store API  # sdkforge: ignore[naming-style, nameing-style]\n")
    (tmp_path / "s.yaml").write_text(spec)
    monkeypatch.chdir(tmp_path)
    assert main(["validate", "--strict", "s.yaml"]) == 1
    assert capsys.readouterr().out.splitlines() == [
        "s.yaml:2:23: warning[unused-ignore]: no lint rule is called 'nameing-style' — the rules are missing-summary, unused-model, naming-style, list-without-pagination, undocumented-error-code, undeclared-page-size, python-only-pattern",
        "s.yaml:2:23: warning[unused-ignore]: nothing on this line to ignore for 'naming-style' — remove the comment, or move it to the line the warning points at",
    ]


@pytest.mark.parametrize("rules", ["", " ", " , "])
def test_an_ignore_comment_naming_no_rule_is_a_warning_and_fails_strict(
    rules: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = MINI_SPEC.replace("title: Pet Store API\n", f"title: Pet Store API  # sdkforge: ignore[{rules}]\n")
    (tmp_path / "s.yaml").write_text(spec)
    monkeypatch.chdir(tmp_path)
    assert main(["validate", "s.yaml"]) == 0
    assert main(["validate", "--strict", "s.yaml"]) == 1
    warning = (
        "s.yaml:2:23: warning[unused-ignore]: the ignore comment names no rule — name the rule it ignores"
        " (missing-summary, unused-model, naming-style, list-without-pagination, undocumented-error-code, undeclared-page-size, python-only-pattern), or remove it"
    )
    assert capsys.readouterr().out.splitlines() == [warning, "1 spec(s) valid, 1 warning(s)", warning]


def test_validate_strict_fails_on_warnings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "s.yaml").write_text(MINI_SPEC.replace("        summary: Retrieve a pet\n", ""))
    monkeypatch.chdir(tmp_path)
    assert main(["validate", "s.yaml"]) == 0
    assert "s.yaml:38:7: warning[missing-summary]: resources.pets.operations.retrieve: operation has no summary — add `summary:`" in capsys.readouterr().out
    assert main(["validate", "--strict", "s.yaml"]) == 1


def test_new_writes_a_starter_that_validates_and_generates(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["new", "pet_store"]) == 0
    spec = tmp_path / "specs" / "pet_store.yaml"
    # No schema in this project, and sdkforge is installed outside it: no path that holds on one machine only.
    assert spec.read_text().startswith("# For completion in your editor, run `sdkforge schema > spec.schema.json` and replace these\n")
    assert str(ROOT) not in spec.read_text()
    assert main(["validate", "--strict", str(spec.relative_to(tmp_path))]) == 0
    assert main(["generate"]) == 0
    assert (tmp_path / "generated" / "pet_store" / "pet_store_api" / "resources" / "items.py").is_file()
    assert main(["new", "pet_store"]) == 1  # never overwrites
    assert main(["new", "Pet-Store"]) == 2
    assert "not a valid name" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("output", "written", "schema"),
    [
        ("drafts/", "drafts/pet_store.yaml", "../generator/spec.schema.json"),  # a directory, by its slash
        ("existing", "existing/pet_store.yaml", "../generator/spec.schema.json"),  # a directory that exists
        ("api/v2/pets.yaml", "api/v2/pets.yaml", "../../generator/spec.schema.json"),
        ("pets.yaml", "pets.yaml", "generator/spec.schema.json"),
    ],
)
def test_new_writes_where_asked_and_the_starter_says_where_it_is(
    output: str, written: str, schema: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "existing").mkdir()
    (tmp_path / "generator").mkdir()
    (tmp_path / "generator" / "spec.schema.json").write_text("{}")  # as in sdkforge's own repository
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SDKFORGE_CACHE_DIR", str(tmp_path / "cache"))
    assert main(["new", "pet_store", "-o", output]) == 0
    assert capsys.readouterr().out == f"wrote {written}: edit it, then run `sdkforge validate {written}`\n"
    lines = (tmp_path / written).read_text().splitlines()
    assert lines[0] == f"# yaml-language-server: $schema={schema}"
    assert f"# Check it with `sdkforge validate {written}`, then `sdkforge generate {written}`." in lines
    assert main(["validate", "--strict", written]) == 0
    assert main(["new", "pet_store", "-o", output]) == 1  # never overwrites


def test_new_points_at_the_installed_schema_inside_the_project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    installed = tmp_path / ".venv" / "lib" / "site-packages" / "generator"
    installed.mkdir(parents=True)
    (installed / "spec.schema.json").write_text("{}")
    monkeypatch.setattr(starter, "__file__", str(installed / "starter.py"))
    monkeypatch.chdir(tmp_path)
    assert main(["new", "pet_store"]) == 0
    first = (tmp_path / "specs" / "pet_store.yaml").read_text().splitlines()[0]
    assert first == "# yaml-language-server: $schema=../.venv/lib/site-packages/generator/spec.schema.json"


def test_schema_command_prints_the_meta_schema(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["schema"]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert printed["properties"]["resources"]["description"].startswith("Groups of operations")


def test_our_own_specs_pass_validate_strict(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(Path(__file__).resolve().parent.parent)
    assert main(["validate", "--strict"]) == 0, capsys.readouterr().out


COMMANDS = ["generate", "check", "validate", "schema", "new", "export-openapi", "diff", "mock"]


@pytest.mark.parametrize("argv", [["--help"], ["-h", "generate"]])
def test_help_lists_every_command(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(argv)
    assert exited.value.code == 0
    listed = [line.split()[0] for line in capsys.readouterr().out.splitlines() if line.startswith("    ") and not line.startswith("     ")]
    assert listed == COMMANDS


def test_no_command_prints_help_and_a_mistyped_one_names_every_choice(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([]) == 2
    assert "export-openapi" in capsys.readouterr().out
    with pytest.raises(SystemExit):
        main(["generat"])
    assert "invalid choice: 'generat' (choose from " + ", ".join(f"'{name}'" for name in COMMANDS) + ")" in capsys.readouterr().err


@pytest.mark.parametrize("command", COMMANDS)
def test_each_command_has_its_own_help(command: str, capsys: pytest.CaptureFixture[str]) -> None:
    """Only the named command's parser is built for a run; its help must not lose anything."""
    with pytest.raises(SystemExit) as exited:
        main([command, "--help"])
    assert exited.value.code == 0
    assert capsys.readouterr().out.startswith(f"usage: sdkforge {command} [-h]")


@pytest.mark.parametrize("columns", ["50", "120", "", "junk"])
@pytest.mark.parametrize("argv", [["--help"], ["generate", "--help"], ["diff", "--help"]])
def test_help_is_laid_out_as_argparse_lays_it_out(argv: list[str], columns: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    """The CLI measures the terminal itself (not with shutil); the help must be what argparse's own formatter writes."""
    monkeypatch.setenv("COLUMNS", columns)
    printed = []
    for formatter in (cli._Formatter, argparse.HelpFormatter):
        monkeypatch.setattr(cli, "_Formatter", formatter)
        with pytest.raises(SystemExit):
            main(argv)
        printed.append(capsys.readouterr().out)
    assert printed[0] == printed[1]
    assert max(map(len, printed[0].splitlines())) <= (int(columns) - 2 if columns.isdigit() else 78)


@pytest.mark.parametrize("command", ["generate", "check", "validate"])
def test_a_command_that_finds_no_spec_fails(command: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    # A pre-commit hook run from the wrong directory must not pass for having checked nothing.
    monkeypatch.chdir(tmp_path)

    assert main([command]) == 1
    assert capsys.readouterr().err == "no specs found in specs/\n"


def test_an_output_path_that_cannot_be_written_is_one_line_not_a_traceback(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    spec = tmp_path / "petstore.yaml"
    spec.write_text(MINI_SPEC)
    (tmp_path / "afile").write_text("")

    assert main(["generate", str(spec), "-o", str(tmp_path / "afile")]) == 1
    assert main(["export-openapi", str(spec), "-o", str(tmp_path / "missing" / "x.json")]) == 1

    lines = capsys.readouterr().err.splitlines()
    assert [line.split(":")[0] for line in lines] == ["sdkforge generate", "sdkforge export-openapi"]
    assert "Not a directory" in lines[0] and "No such file or directory" in lines[1]


def test_a_port_out_of_range_is_an_argument_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["mock", "specs/feathery.yaml", "--port", "99999"])
    assert exit_.value.code == 2
    assert "99999 is not a port (0 to 65535)" in capsys.readouterr().err


def test_a_directory_names_the_specs_in_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "apis").mkdir()
    (tmp_path / "apis" / "pets.yaml").write_text(MINI_SPEC, encoding="utf-8")
    (tmp_path / "apis" / "broken.yml").write_text(MINI_SPEC.replace("client: PetStore\n", ""), encoding="utf-8")
    (tmp_path / "apis" / ".#pets.yaml").write_text("an editor's lock file", encoding="utf-8")
    (tmp_path / "apis" / "notes.txt").write_text("not a spec", encoding="utf-8")
    (tmp_path / "empty").mkdir()

    assert main(["validate", "apis/"]) == 1
    printed = capsys.readouterr()
    assert printed.out.splitlines() == ["apis/broken.yml:2:1: missing required key 'client' — add `client:` here"]
    assert printed.err == "1 problem(s) in 2 spec(s)\n"

    assert main(["validate", "empty"]) == 1
    assert capsys.readouterr().out == (
        "empty:1:1: cannot read the spec: this is a directory with no spec in it — name a spec file, or a directory holding specs (*.yaml, *.yml)\n"
    )


@pytest.mark.parametrize(
    ("pattern", "what"),
    [
        ("^(?P<year>[0-9]{4})$", "(?P<name>...), a named group"),
        ("^(a)(?P=x)$", "(?P=name), a back-reference by name"),
        ("^[a-z]+(?# a slug)$", "(?#...), a comment"),
        ("(?i)^[a-z]+$", "an inline flag such as (?i)"),
        ("^(?i:abc)$", "an inline flag such as (?i)"),
        ("\\A[a-z]+\\Z", "\\A, the start of the text"),
        ("^[a-z]+\\Z", "\\Z, the end of the text"),
    ],
)
def test_a_pattern_only_python_reads_is_a_warning(pattern: str, what: str) -> None:
    text = MINI_SPEC.replace("      id: {type: string, required: true}\n", f"      id: {{type: string, required: true, pattern: '{pattern}'}}\n", 1)
    assert [(problem.rule, problem.message) for problem in _warnings(text)] == [
        ("python-only-pattern", f"pattern uses {what}, which only Python reads: the OpenAPI export's readers expect ECMA-262")
    ]


@pytest.mark.parametrize("pattern", ["^[a-z]+$", "^(?:ab)+(?=c)", "^\\\\A$", "^[A-Z]\\d{2}$", "^(?<!x)y$"])
def test_a_pattern_both_dialects_read_alike_is_no_warning(pattern: str) -> None:
    text = MINI_SPEC.replace("      id: {type: string, required: true}\n", f"      id: {{type: string, required: true, pattern: '{pattern}'}}\n", 1)
    assert _warnings(text) == []

