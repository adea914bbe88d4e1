"""Snapshot tests of the messages a spec author sees for a broken spec.

Each ``tests/specs/invalid/<case>.yaml`` is a small otherwise-valid spec with one
mistake; ``<case>.txt`` next to it is the exact stdout of
``sdkforge validate tests/specs/invalid/<case>.yaml`` run from the repository root.
To refresh a snapshot after improving a message, run that command and review
the new text before committing it.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import jsonschema
import pytest

from generator import checks, validate
from generator.checks import check, every_problem
from generator.cli import main
from generator.errors import InvalidSpec, Problem
from generator.load import load, loads
from tests.minispec import MINI_SPEC

ROOT = Path(__file__).resolve().parent.parent
INVALID = ROOT / "tests" / "specs" / "invalid"
CASES = sorted(INVALID.glob("*.yaml"))
MINIMUM_CASES = 25


@pytest.mark.parametrize("spec", CASES, ids=[case.stem for case in CASES])
def test_validate_message(spec: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(ROOT)
    expected = spec.with_suffix(".txt").read_text(encoding="utf-8")

    status = main(["validate", str(spec.relative_to(ROOT))])

    assert status == 1
    assert capsys.readouterr().out == expected


def _described(errors: list[jsonschema.ValidationError]) -> list[tuple[object, ...]]:
    """What validate.py reads of each error, nested ones (anyOf's context) included."""
    return sorted(
        (tuple(error.absolute_path), error.validator, error.message, tuple(error.relative_schema_path), repr(error.schema), _described(error.context))
        for error in errors
    )


def _loadable(specs: list[Path]) -> list[Path]:
    """The specs whose mistake, if any, is not in the YAML itself: the schema sees them."""
    found = []
    for spec in specs:
        try:
            load(spec)
        except InvalidSpec:
            continue
        found.append(spec)
    return found


@pytest.mark.parametrize("spec", _loadable([*CASES, *sorted((ROOT / "specs").glob("*.yaml"))]), ids=lambda spec: spec.stem)
def test_references_looked_up_once_find_what_jsonschema_finds(spec: Path) -> None:
    """validate.py resolves each $ref once; jsonschema's own validator must agree on every error."""
    data = load(spec).data
    ours = _described(list(validate._validator().iter_errors(data)))
    stock = _described(list(jsonschema.Draft202012Validator(validate.schema()).iter_errors(data)))
    assert ours == stock


def test_every_case_has_a_snapshot() -> None:
    snapshots = {path.stem for path in INVALID.glob("*.txt")}
    assert {case.stem for case in CASES} == snapshots


def test_enough_cases() -> None:
    assert len(CASES) >= MINIMUM_CASES


def _tree(root: Path) -> dict[str, tuple[bytes, int]]:
    """Every file under root (hidden and temporary ones included): contents and mtime."""
    return {
        path.relative_to(root).as_posix(): (path.read_bytes(), path.stat().st_mtime_ns)
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def _directories(root: Path) -> list[str]:
    return sorted(path.relative_to(root).as_posix() for path in root.rglob("*") if path.is_dir())


# One mistake for each stage of the pipeline: YAML, schema, meaning.
BREAKS = {
    "yaml": ("title: Feathery API\n", "title: Feathery API\ntitle: Feathery API again\n"),
    "schema": ("url: https://api.feathery.io\n", "url: https://api.feathery.io/v1\n"),
    "check": ("  RotatedKeys:\n", "  Feathery:\n"),
}


@pytest.mark.parametrize("stage", sorted(BREAKS))
def test_generate_writes_nothing_for_a_bad_spec(
    stage: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    specs = tmp_path / "specs"
    specs.mkdir()
    out = tmp_path / "out"
    broken = specs / "feathery.yaml"
    shutil.copyfile(ROOT / "specs" / "feathery.yaml", broken)
    assert main(["generate", str(broken), "-o", str(out)]) == 0
    before = _tree(out)
    directories = _directories(out)
    assert before, "the good spec generated nothing"
    capsys.readouterr()

    old, new = BREAKS[stage]
    text = broken.read_text(encoding="utf-8")
    assert old in text
    broken.write_text(text.replace(old, new, 1), encoding="utf-8")
    good = specs / "featbit.yaml"
    shutil.copyfile(ROOT / "specs" / "featbit.yaml", good)

    # The good spec comes first: generating it must not reach the disk either.
    status = main(["generate", str(good), str(broken), "-o", str(out)])

    assert status == 1
    assert _tree(out) == before
    assert _directories(out) == directories
    assert not (out / "featbit").exists()
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "feathery.yaml:" in captured.err
    assert "nothing was written" in captured.err


@pytest.mark.parametrize(
    ("package", "reason"),
    [
        ("import", "is a Python keyword: `import` cannot name it"),
        ("json", "is a module of Python's standard library, which `import` would find first"),
        ("pydantic", "is a package the client itself imports: one of the two would hide the other"),
        ("build", "is a folder name sdkforge leaves alone in an output directory (build output), so it could not update it"),
        ("dist", "is a folder name sdkforge leaves alone in an output directory (build output), so it could not update it"),
    ],
)
def test_a_package_name_import_or_generation_cannot_use_is_refused(package: str, reason: str) -> None:
    document = loads(MINI_SPEC.replace("package: petstore_api\n", f"package: {package}\n"), "specs/petstore.yaml")
    assert [str(problem) for problem in check(document)] == [
        f"specs/petstore.yaml:4:10: package: package {package!r} {reason} — use another, e.g. {package}_api"
    ]
    assert check(loads(MINI_SPEC, "specs/petstore.yaml")) == []


def _spec_problems(text: str) -> list[str]:
    return [f"{problem.where}: {problem.message}" for problem in every_problem(loads(text, "spec.yaml"))]


def test_a_rule_that_cannot_read_a_part_the_schema_refused_leaves_the_other_rules_reporting() -> None:
    # No servers: the servers rule cannot run (it reads spec["servers"]); the path rule can.
    text = MINI_SPEC.replace("servers:\n  default:\n    url: https://api.petstore.example\n", "").replace(
        "path: /v1/owners/{owner_id}/pets", "path: /v1/owners/{owner}/pets"
    )

    assert _spec_problems(text) == [
        ": missing required key 'servers'",
        'resources.pets.operations.list.path: path parameter "owner" is not declared',
        'resources.pets.operations.list.params.owner_id: path parameter "owner_id" does not appear in the path',
    ]


def test_a_rule_that_fails_on_a_schema_valid_spec_is_not_hidden(monkeypatch: pytest.MonkeyPatch) -> None:
    # Rules are only guarded where the schema found a problem: on a valid spec a failing
    # rule is a bug in sdkforge, and must not pass for "no problems".
    def broken_rule(document: object) -> Iterator[Problem]:
        raise KeyError("servers")

    monkeypatch.setattr(checks, "RULES", (*checks.RULES, broken_rule))

    with pytest.raises(KeyError):
        every_problem(loads(MINI_SPEC, "spec.yaml"))


def test_a_field_of_a_model_the_schema_refused_is_checked_once_the_model_is_fixed() -> None:
    # Species's enum is no list: the body's default cannot be checked against it yet, and
    # "'dog' is not one of its values" would send the author after the wrong line.
    text = (
        MINI_SPEC.replace("    enum: [dog, cat]\n", "    enum: {cat: 1}\n")
        .replace("species: {type: Species, required: true}", "species: {type: Species, default: dog}")
        .replace("path: /v1/pets/{pet_id}", "path: /v1/pets/{id}")
    )

    assert _spec_problems(text) == [
        "models.Species.enum: expected a list, got a mapping",
        'resources.pets.operations.retrieve.path: path parameter "id" is not declared',
        'resources.pets.operations.retrieve.params.pet_id: path parameter "pet_id" does not appear in the path',
    ]


@pytest.mark.parametrize(
    "parent",
    [
        "{type: Pet, nullable: true, required: true}",  # null ends it
        "{type: Pet}",  # so does leaving it out
        "{type: 'Pet[]', required: true}",  # and an empty list
        "{type: map, values: Pet, required: true}",  # and an empty map
        "{one_of: [Pet, string], required: true}",  # a union with a member that ends
        "{type: PetOrSpecies, required: true}",  # the same as a union model
        "{type: Species, required: true}",
    ],
)
def test_a_model_that_holds_itself_is_accepted_when_the_chain_can_end(parent: str) -> None:
    text = MINI_SPEC.replace(
        "      ownerToken: {type: string, secret: true}\n",
        f"      ownerToken: {{type: string, secret: true}}\n      parent: {parent}\n  PetOrSpecies:\n    one_of: [Pet, Species]\n",
    )

    assert check(loads(text, "spec.yaml")) == []


def test_a_model_that_holds_itself_through_a_union_of_its_own_kind_never_ends() -> None:
    text = MINI_SPEC.replace(
        "      ownerToken: {type: string, secret: true}\n",
        "      ownerToken: {type: string, secret: true}\n      parent: {type: PetOrPet, required: true}\n"
        "  PetOrPet:\n    one_of: [Pet, OtherPet]\n  OtherPet:\n    type: Pet\n",
    )

    assert [f"{problem.where}: {problem.message}" for problem in check(loads(text, "spec.yaml"))] == [
        ("models.Pet.properties.parent: field 'parent' always holds another Pet (required and not nullable at every step), "
        "so values of Pet nest without end: no JSON value fits")
    ]
