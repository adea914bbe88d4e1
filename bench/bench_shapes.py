"""What the model class costs: 1,000 items parsed into other shapes of the same type.

    python bench/bench_shapes.py --rounds 7

Our clients validate responses into pydantic ``BaseModel`` subclasses, and
bench_runtime.py's parse row (≤ 1× ``json.loads``) misses by about 2×. This
measures the same bytes validated into the same fields as other classes would
hold them, each derived from the generated ``Thing0`` (field types, wire names,
required or not), so that the choice between them rests on numbers:

- ``BaseModel``: what the clients return now (unknown fields kept, fields-set tracked);
- pydantic dataclass with ``__slots__``: attributes, no ``model_extra`` or fields-set;
- the same with a ``__dict__`` beside the slots (``extra="allow"``): unknown fields kept
  there, as attributes, and still no fields-set;
- ``TypedDict``: plain dicts under their wire names, typed for checkers, validated,
  unknown keys kept;
- ``dict``: validated as any JSON object, no field types.

Every case runs through ``validate_json`` of the generated runtime (garbage
collector paused for large bodies), as the client parses.
"""

from __future__ import annotations

import argparse
import importlib
import json
import operator
import sys
import tempfile
from collections.abc import Callable
from functools import partial, reduce
from pathlib import Path
from types import UnionType
from typing import Any, Union, get_args, get_origin

import pydantic
from bench_runtime import interleaved
from bench_server import page
from benchlib import generate_ours, machine, median, spread, table, write_spec
from pydantic import ConfigDict, Field, TypeAdapter
from pydantic.fields import FieldInfo
from typing_extensions import NotRequired, TypedDict  # pydantic wants this TypedDict before 3.12

HEADER = ["shape", "per parse", "ratio to json.loads", "keeps unknown fields", "access"]
SHAPES = {
    "BaseModel (the clients now)": ("yes (`model_extra`)", "`item.created_at`"),
    "pydantic dataclass, slots": ("no", "`item.created_at`"),
    "pydantic dataclass, slots + `__dict__`": ("yes (in `__dict__`)", "`item.created_at`"),
    "TypedDict": ("yes", '`item["createdAt"]`'),
    "dict, no field types": ("yes", '`item["createdAt"]`'),
}


def derived(model: type[pydantic.BaseModel], make: Callable[[type[pydantic.BaseModel], Callable[[Any], Any]], Any]) -> Any:
    """``make(model, convert)`` for ``model``, where ``convert`` maps a field's annotation with
    every nested model replaced by its own derived shape (each model derived once)."""
    done: dict[type, Any] = {}

    def convert(annotation: Any) -> Any:
        if isinstance(annotation, type) and issubclass(annotation, pydantic.BaseModel):
            if annotation not in done:
                done[annotation] = make(annotation, convert)
            return done[annotation]
        origin, arguments = get_origin(annotation), get_args(annotation)
        if origin in (Union, UnionType):
            return reduce(operator.or_, [convert(argument) for argument in arguments])
        if origin is list:
            return list.__class_getitem__(convert(arguments[0]))  # list[...], built at run time
        return annotation

    return convert(model)


class _WithDict:
    """A base without ``__slots__``: its subclasses' instances get a ``__dict__``."""


def slotted_dataclass(model: type[pydantic.BaseModel], convert: Callable[[Any], Any], *, keep_unknown: bool = False) -> Any:
    """A pydantic dataclass with ``__slots__`` and the model's fields (required ones first).

    ``keep_unknown``: unknown fields are kept as attributes, in the ``__dict__`` the
    instance gets from its base; the declared fields stay in slots.
    """
    fields = sorted(model.model_fields.items(), key=lambda item: not item[1].is_required())
    namespace: dict[str, Any] = {"__annotations__": {name: convert(info.annotation) for name, info in fields}}
    for name, info in fields:
        if not info.is_required():
            namespace[name] = Field(default=info.default, alias=_wire_name(info))
        elif _wire_name(info):
            namespace[name] = Field(alias=_wire_name(info))
    config = ConfigDict(validate_by_name=True, validate_by_alias=True, extra="allow" if keep_unknown else "ignore")
    bases = (_WithDict,) if keep_unknown else ()
    return pydantic.dataclasses.dataclass(slots=True, config=config)(type(model.__name__, bases, namespace))


def _wire_name(info: FieldInfo) -> str | None:
    """The JSON key of a generated model's field, when it differs from the Python name."""
    return info.serialization_alias


def typed_dict(model: type[pydantic.BaseModel], convert: Callable[[Any], Any]) -> Any:
    """A TypedDict keyed by the wire names, optional fields NotRequired, unknown keys kept."""
    fields = {}
    for name, info in model.model_fields.items():
        annotation = convert(info.annotation)
        fields[_wire_name(info) or name] = annotation if info.is_required() else NotRequired[annotation]
    shape = TypedDict(model.__name__, fields)  # type: ignore[misc]  # fields known at run time only
    return pydantic.with_config(ConfigDict(extra="allow"))(shape)  # unknown keys kept, as the models keep them


def cases(client: Path) -> dict[str, Callable[[], Any]]:
    """json.loads, then one validate_json per shape, all on the same 1,000 items."""
    sys.path.insert(0, str(client))
    thing = importlib.import_module("synth_api.models").Thing0
    validate_json = importlib.import_module("synth_api._runtime").validate_json
    raw = json.dumps(page(1000)["items"]).encode()
    adapters: dict[str, TypeAdapter[Any]] = {
        "BaseModel (the clients now)": TypeAdapter(list.__class_getitem__(thing)),  # list[...], built at run time
        "pydantic dataclass, slots": TypeAdapter(list.__class_getitem__(derived(thing, slotted_dataclass))),
        "pydantic dataclass, slots + `__dict__`": TypeAdapter(list.__class_getitem__(derived(thing, partial(slotted_dataclass, keep_unknown=True)))),
        "TypedDict": TypeAdapter(list.__class_getitem__(derived(thing, typed_dict))),
        "dict, no field types": TypeAdapter(list[dict[str, Any]]),
    }
    _check(adapters, raw)
    return {"json.loads": lambda: json.loads(raw)} | {
        name: (lambda adapter=adapter: validate_json(adapter, raw)) for name, adapter in adapters.items()
    }


def _check(adapters: dict[str, TypeAdapter[Any]], raw: bytes) -> None:
    """Each shape must really hold the typed values, and keep unknown fields where the table says so,
    or the timings compare nothing."""
    model, slotted, open_slotted, typed, plain = [adapter.validate_json(raw)[0] for adapter in adapters.values()]
    created = (model.created_at, slotted.created_at, open_slotted.created_at, typed["createdAt"])
    if len({value.isoformat() for value in created}) != 1 or plain["createdAt"] != "2024-05-06T07:08:09Z":
        raise SystemExit(f"a shape did not parse createdAt: {created}, {plain['createdAt']!r}")
    if not (model.tags[3].id == slotted.tags[3].id == open_slotted.tags[3].id == typed["tags"][3]["id"] == 3):
        raise SystemExit("a shape did not parse the nested tags")
    newer = json.dumps([{**json.loads(raw)[0], "colour": "red"}]).encode()  # a field a newer server added
    for name, adapter in adapters.items():
        item = adapter.validate_json(newer)[0]
        kept = (item.get("colour") if isinstance(item, dict) else getattr(item, "colour", None)) == "red"
        if kept != SHAPES[name][0].startswith("yes"):
            raise SystemExit(f"{name}: the table says it keeps unknown fields: {SHAPES[name][0]}; it kept it: {kept}")


def main() -> int:
    """Generate the synthetic client, time each shape, print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=7, help="interleaved rounds (default 7)")
    parser.add_argument("--calls", type=int, default=20, help="parses per shape per round (default 20)")
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-shapes-") as root:
        work = Path(root)
        result = generate_ours(write_spec(work, 5), work / "ours", work / "cache")
        if result.returncode != 0:
            raise SystemExit(f"sdkforge generate failed:\n{result.output}")
        samples = interleaved(cases(work / "ours" / "synth"), arguments.rounds, arguments.calls, block=2)
    rows = []
    for name, (extra, access) in SHAPES.items():
        ratios = [mine / other for mine, other in zip(samples[name], samples["json.loads"])]
        rows.append([name, f"{median(samples[name]) * 1e3:.1f} ms", spread(ratios), extra, access])
    print(f"Parse 1,000 items, {arguments.rounds} rounds × {arguments.calls} parses, json.loads "
          f"{median(samples['json.loads']) * 1e3:.1f} ms, {machine()}\n")
    print(table(HEADER, rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
