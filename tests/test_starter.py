"""sdkforge new -o: where the starter goes, and what it says about where it is
(the default location is tested with the other authoring commands, in test_authoring.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.cli import main


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
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SDKFORGE_CACHE_DIR", str(tmp_path / "cache"))
    assert main(["new", "pet_store", "-o", output]) == 0
    assert capsys.readouterr().out == f"wrote {written}: edit it, then run `sdkforge validate {written}`\n"
    lines = (tmp_path / written).read_text().splitlines()
    assert lines[0] == f"# yaml-language-server: $schema={schema}"
    assert lines[2] == f"# Check it with `sdkforge validate {written}`, then `sdkforge generate {written}`."
    assert main(["validate", "--strict", written]) == 0
    assert main(["new", "pet_store", "-o", output]) == 1  # never overwrites
