"""What `sdkforge diff` compares, and the judgements shared by arguments and model fields.

A change is breaking when code written against the old client can fail with the new
one, or when the old client, already shipped, can fail against the API the new spec
describes. Inputs (arguments) may widen but not narrow; outputs (responses) may narrow
but not widen, except enums, whose unknown values responses already tolerate.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, Literal, TypeVar

from generator import ir
from generator.build import build
from generator.build_models import reachable
from generator.checks import type_uses
from generator.load import Document
from generator.types import FORMATS

Direction = Literal["input", "output"]
Item = TypeVar("Item")

# Upper bounds may only grow and lower bounds only shrink without rejecting a call that passed.
UPPER_BOUNDS = ("max_length", "maximum", "max_items")
LOWER_BOUNDS = ("min_length", "minimum", "min_items")


@dataclass(frozen=True)
class Change:
    """One difference between two versions of a spec, judged for the client's users."""

    kind: str
    where: str
    message: str
    breaking: bool


@dataclass(frozen=True)
class Side:
    """One version of a spec as the diff reads it: the raw data, the IR, and how models are used."""

    spec: dict[str, Any]
    api: ir.Api
    inputs: frozenset[str]  # models reachable from arguments: callers build them
    outputs: frozenset[str]  # models reachable from responses: callers read them


def side(document: Document) -> Side:
    """Read a valid, checked spec for comparison."""
    spec: dict[str, Any] = document.data
    models = spec.get("models") or {}
    roots: dict[Direction, set[str]] = {"input": set(), "output": set()}
    edges: dict[str, set[str]] = {}
    for path, expression in type_uses(spec):
        name = expression.replace("[]", "")
        if name not in models:
            continue
        if path[0] == "models":
            edges.setdefault(str(path[1]), set()).add(name)
        else:
            roots["output" if path[4] == "response" else "input"].add(name)
    return Side(spec, build(document), reachable(roots["input"], edges), reachable(roots["output"], edges))


def matched(before: list[Item], after: list[Item], keys: Sequence[Callable[[Item], str]]) -> tuple[list[tuple[Item, Item]], list[Item], list[Item]]:
    """Pair old and new items by each key in turn; the unpaired ones were removed or added."""
    pairs: list[tuple[Item, Item]] = []
    was, now = list(before), list(after)
    for key in keys:
        for old in list(was):
            new = next((item for item in now if key(item) == key(old)), None)
            if new is not None:
                pairs.append((old, new))
                was.remove(old)
                now.remove(new)
    return pairs, was, now


def breaking(kind: str, where: str, message: str) -> Change:
    """A change that breaks callers."""
    return Change(kind, where, message, True)


def note(kind: str, where: str, message: str) -> Change:
    """A change that does not break callers."""
    return Change(kind, where, message, False)


def details(spec: Any) -> dict[str, Any]:
    """A field written as shorthand (``string[]``) or as a mapping, always as a mapping."""
    return {"type": spec} if isinstance(spec, str) else dict(spec)


def type_text(spec: Any) -> str:
    """The type as a reader writes it; date formats count because they change the Python type."""
    field = details(spec)
    if "one_of" in field:
        return " | ".join(field["one_of"])
    expression = str(field.get("type", "any"))
    if expression.rstrip("[]") == "map":
        expression = expression.replace("map", f"map of {field.get('values', 'any')}", 1)
    if field.get("format") in FORMATS:
        expression = f"{expression} ({field['format']})"
    return expression


def widens(old: Any, new: Any) -> bool:
    """The new type admits every value of the old one (a union that only gained members)."""
    before, after = details(old), details(new)
    members = set(after.get("one_of", []))
    return bool(members) and set(before.get("one_of", [type_text(before)])) <= members


def type_changes(old: Any, new: Any, where: str, subject: str, kind: str, *, read: bool) -> Iterator[Change]:
    """A changed type; only a union that gained members is safe, and only where nobody reads the value."""
    before, after = type_text(old), type_text(new)
    if before == after:
        return
    message = f"{subject} changed type from {before} to {after}"
    if not read and widens(old, new):
        yield note("type-widened", where, message)
    else:
        yield breaking(kind, where, message)


def enum_changes(old: Any, new: Any, where: str, subject: str, *, built: bool) -> Iterator[Change]:
    """Values gone break (a caller may send or match them); new values are tolerated."""
    before: list[Any] | None = details(old).get("enum")
    after: list[Any] | None = details(new).get("enum")
    if before is not None and after is not None:
        yield from enum_value_changes(before, after, where, subject)
    elif after is not None:
        message = f"{subject} now only allows {_values(after)}"
        yield Change("enum-restricted", where, message, built)
    elif before is not None:
        yield note("enum-lifted", where, f"{subject} no longer lists allowed values")


def enum_value_changes(before: list[Any], after: list[Any], where: str, subject: str) -> Iterator[Change]:
    """Removed values are breaking, added ones are not."""
    removed = [value for value in before if value not in after]
    added = [value for value in after if value not in before]
    if removed:
        yield breaking("enum-value-removed", where, f"{subject} no longer allows {_values(removed)}")
    if added:
        yield note("enum-value-added", where, f"{subject} now also allows {_values(added)}")


def _values(values: list[Any]) -> str:
    return ", ".join(repr(value) for value in values)


def constraint_changes(old: Any, new: Any, where: str, subject: str) -> Iterator[Change]:
    """Constraints are checked before sending: a tighter one rejects calls that used to work."""
    before, after = details(old), details(new)
    for keyword in UPPER_BOUNDS + LOWER_BOUNDS:
        was, now = before.get(keyword), after.get(keyword)
        if was == now:
            continue
        upper = keyword in UPPER_BOUNDS
        tighter = was is None or (now is not None and (now < was if upper else now > was))
        yield _constraint(keyword, was, now, where, subject, tighter)
    was, now = before.get("pattern"), after.get("pattern")
    if was != now:
        yield _constraint("pattern", was, now, where, subject, now is not None)


def _constraint(keyword: str, was: Any, now: Any, where: str, subject: str, tighter: bool) -> Change:
    if was is None:
        text = f"{subject} gained {keyword} {now!r}"
    elif now is None:
        text = f"{subject} lost {keyword} {was!r}"
    else:
        text = f"{subject} {keyword} changed from {was!r} to {now!r}"
    return Change("constraint-tightened" if tighter else "constraint-loosened", where, text, tighter)
