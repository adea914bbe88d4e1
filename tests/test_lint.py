"""lint: ignore comments that name no rule (the other lint rules are tested in test_authoring.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.cli import main
from tests.minispec import MINI_SPEC


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
        " (missing-summary, unused-model, naming-style, list-without-pagination, undocumented-error-code), or remove it"
    )
    assert capsys.readouterr().out.splitlines() == [warning, "1 spec(s) valid, 1 warning(s)", warning]
