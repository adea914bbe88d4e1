"""Models and their fields: the classes a caller reads results from (and sometimes builds)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from generator import ir
from generator.diff_rules import (
    Change,
    Side,
    breaking,
    details,
    enum_changes,
    enum_value_changes,
    matched,
    note,
    type_changes,
    type_text,
)

# A field of a model with its spec, as written.
FieldSpec = tuple[ir.Field, Any]

_KINDS = {"object": "an object", "enum": "an enum", "union": "a union", "alias": "an alias"}


def model_changes(old: Side, new: Side) -> Iterator[Change]:
    """Models removed, added or changed."""
    before = {model.name: model for model in old.api.models}
    after = {model.name: model for model in new.api.models}
    for name in sorted(before.keys() - after.keys()):
        yield breaking("model-removed", f"models.{name}", f"{old.api.package}.{name} was removed")
    for name in sorted(after.keys() - before.keys()):
        yield note("model-added", f"models.{name}", f"{new.api.package}.{name} was added")
    for name in sorted(before.keys() & after.keys()):
        yield from _model_pair(old, new, before[name], after[name])


def _model_pair(old: Side, new: Side, before: ir.Model, after: ir.Model) -> Iterator[Change]:
    where, subject = f"models.{after.name}", f"{new.api.package}.{after.name}"
    was, now = old.spec["models"][before.name], new.spec["models"][after.name]
    if before.kind != after.kind:
        yield breaking("model-kind-changed", where, f"{subject} is now {_KINDS[after.kind]} instead of {_KINDS[before.kind]}")
    elif after.kind == "enum":
        yield from enum_value_changes(was["enum"], now["enum"], f"{where}.enum", subject)
    elif after.kind == "object":
        yield from _field_changes(old, new, before, after)
    elif type_text(was) != type_text(now):
        yield breaking("model-type-changed", where, f"{subject} changed from {type_text(was)} to {type_text(now)}")


def _fields(side: Side, model: ir.Model) -> list[FieldSpec]:
    properties = side.spec["models"][model.name]["properties"]
    return [(field, properties[field.wire_name]) for field in model.fields]


def _field_changes(old: Side, new: Side, before: ir.Model, after: ir.Model) -> Iterator[Change]:
    # A model built by callers (a body) must not demand more; one read by them must not promise less.
    built = after.name in old.inputs | new.inputs
    read = after.name in old.outputs | new.outputs or not built
    subject, where = f"{new.api.package}.{after.name}", f"models.{after.name}.properties"
    # By wire name first, then by Python name (a renamed wire key with python_name kept).
    pairs, removed, added = matched(_fields(old, before), _fields(new, after), (lambda item: item[0].wire_name, lambda item: item[0].name))
    for field, _ in removed:
        yield breaking("field-removed", f"{where}.{field.wire_name}", f"{subject}.{field.name} was removed")
    for field, _ in added:
        text = f"{subject} has a new {'required' if field.required else 'optional'} field `{field.name}`"
        yield Change("field-added", f"{where}.{field.wire_name}", text, built and field.required)
    for was, now in pairs:
        yield from _field_pair(was, now, f"{where}.{now[0].wire_name}", subject, built=built, read=read)


def _field_pair(old: FieldSpec, new: FieldSpec, where: str, model: str, *, built: bool, read: bool) -> Iterator[Change]:
    (was, was_spec), (now, now_spec) = old, new
    subject = f"{model}.{now.name}"
    if was.name != now.name:
        yield breaking("field-renamed", where, f"{model}.{was.name} was renamed to {now.name}")
    if was.wire_name != now.wire_name:
        yield breaking("field-wire-renamed", where, f"{subject} is now read from {now.wire_name!r} instead of {was.wire_name!r}")
    yield from type_changes(was_spec, now_spec, where, subject, "field-type-changed", read=read)
    yield from enum_changes(was_spec, now_spec, where, subject, built=built)
    if was.required and not now.required:
        yield Change("field-optional", where, f"{subject} may now be missing (it was required)", read)
    elif now.required and not was.required:
        yield Change("field-required", where, f"{subject} is now required", built)
    nullable_before, nullable_after = (bool(details(spec).get("nullable")) for spec in (was_spec, now_spec))
    if nullable_after and not nullable_before:
        yield Change("field-nullable", where, f"{subject} may now be None", read)
    elif nullable_before and not nullable_after:
        yield Change("field-not-nullable", where, f"{subject} may no longer be None", built)
