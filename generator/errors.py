"""What can go wrong with a spec, as values: a Problem points at a file, line and column."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with a spec, and how to fix it."""

    file: str
    line: int
    column: int
    where: str
    message: str
    hint: str = ""
    severity: Severity = "error"
    rule: str = ""  # a lint warning's rule, as ``# sdkforge: ignore[rule]`` names it
    # Nothing but this key is wrong (an unknown key: the rest of its mapping is as written).
    confined: bool = field(default=False, compare=False, repr=False)

    def __str__(self) -> str:
        location = f"{self.file}:{self.line}:{self.column}"
        where = f" {self.where}:" if self.where else ""
        hint = f" — {self.hint}" if self.hint else ""
        label = ""
        if self.severity == "warning":
            label = f" warning[{self.rule}]:" if self.rule else " warning:"
        return f"{location}:{label}{where} {self.message}{hint}"


class InvalidSpec(Exception):
    """A spec has problems; raised with all of them so they can be shown together."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(problems)
        super().__init__("\n".join(str(problem) for problem in self.problems))

