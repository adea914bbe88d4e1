"""The spec's models -> ir.Model, grouped into the modules of the package's ``_models/``.

Every model gets a module of its own, so that a call imports only the models it
returns and the ones they refer to, not the whole API (``models.py`` loads them on
first use). Models that refer to each other in a cycle share one module: two modules
that each import the other's names at the top cannot both be imported.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from generator import ir, naming
from generator.build_resources import describe, text
from generator.imports import import_name_order, import_order, import_sections
from generator.literals import python_string
from generator.naming import param_name
from generator.types import Mode, TypeResolver, definition, literal_of

# The module of every enum and every alias that names no model.
PLAIN_TYPES_MODULE = "types"


def build_models(models: dict[str, Any], resolver: TypeResolver) -> tuple[tuple[ir.Model, ...], tuple[ir.ModelModule, ...]]:
    """Every model in spec order, and the modules they are written to."""
    built = {name: _model(name, model, resolver) for name, model in models.items()}
    needs = {name: _model_needs(model, resolver, "response") for name, model in models.items()}
    # A Param names other models and their Params: the same models as its model's fields.
    for name in resolver.params:
        needs[name] = needs[name] | _model_needs(models[name], resolver, "param") | {"TypedDict"}
    position = {name: index for index, name in enumerate(models)}
    refers_to = {name: sorted((needs[name] & position.keys()) - {name}, key=position.__getitem__) for name in models}
    home = _homes(built, refers_to)
    home |= {param_name(name): home[name] for name in resolver.params}
    members: dict[str, list[str]] = {}
    for name in models:
        members.setdefault(home[name], []).append(name)
    modules = []
    for module, names in members.items():
        outside = frozenset().union(*(needs[name] for name in names)) - home.keys()
        if any(field.field_arguments for name in names for field in built[name].fields):
            outside |= {"Field"}
        package_imports = ["from .._models_base import BaseModel"] if any(built[name].kind == "object" for name in names) else []
        inside: dict[str, set[str]] = {}
        for other in {other for name in names for other in needs[name] & home.keys()}:
            if home[other] != module:
                inside.setdefault(home[other], set()).add(other)
        package_imports += [f"from .{other_module} import {', '.join(import_order(used))}" for other_module, used in sorted(inside.items(), key=lambda item: import_name_order(item[0]))]
        ordered = _definition_order(names, refers_to, built)
        summary = "Enums and aliases of plain types" if module == PLAIN_TYPES_MODULE else ", ".join(f"``{name}``" for name in ordered)
        imports = import_sections(outside, set(), package=tuple(package_imports))
        modules.append(ir.ModelModule(module, summary, tuple(built[name] for name in ordered), imports))
    return tuple(built.values()), tuple(modules)


def param_models(models: dict[str, Any], arguments: set[str], resolver: TypeResolver) -> tuple[frozenset[str], frozenset[str]]:
    """The object models that get an ``XParam``: each one an argument takes, in its type or in
    a field of a model it takes; and the unions and aliases among those that name one, which
    arguments spell out instead.

    ``arguments`` are the models named in the types of the operations' arguments.
    """
    refers = {name: _model_needs(model, resolver, "response") & models.keys() for name, model in models.items()}
    taken = reachable(arguments, refers)
    objects = {name for name, model in models.items() if "properties" in model}
    has_object = set(objects)
    grew = True
    while grew:  # an alias of an alias of a model: until nothing more names one
        more = {name for name, model in models.items() if "enum" not in model and refers[name] & has_object} - has_object
        has_object |= more
        grew = bool(more)
    return frozenset(taken & objects), frozenset(taken & (has_object - objects))


def reachable(roots: Iterable[str], edges: Mapping[str, Iterable[str]]) -> frozenset[str]:
    """The roots and every name reachable from them along ``edges``."""
    seen: set[str] = set()
    todo = list(roots)
    while todo:
        name = todo.pop()
        if name not in seen:
            seen.add(name)
            todo.extend(edges.get(name, ()))
    return frozenset(seen)


def _homes(built: dict[str, ir.Model], refers_to: dict[str, list[str]]) -> dict[str, str]:
    """The module of each model: its own, its cycle's, or the one of plain types.

    Named after the model (the cycle's first model), so a model's module is easy to find.
    """
    # Enums and aliases of plain types cost next to nothing to import: they share one module.
    plain = {name for name, model in built.items() if model.kind != "object" and not refers_to[name]}
    home = dict.fromkeys(plain, PLAIN_TYPES_MODULE)
    taken = {PLAIN_TYPES_MODULE}
    position = {name: index for index, name in enumerate(built)}
    groups = sorted((group for group in strongly_connected(refers_to) if group[0] not in plain), key=lambda group: position[group[0]])
    for group in groups:
        base = naming.snake_case(group[0])
        module, number = base, 2
        while module in taken:  # ``ABTest`` and ``AbTest`` would both be ab_test
            module, number = f"{base}_{number}", number + 1
        taken.add(module)
        home.update(dict.fromkeys(group, module))
    return home


def strongly_connected(graph: dict[str, list[str]]) -> list[list[str]]:
    """The cycles of ``graph`` (Tarjan's algorithm, iterative: a long chain of models must not
    hit the recursion limit). A node in no cycle is a group of its own; each group lists its
    nodes in graph order, and a group comes after every group it refers to."""
    order = {node: position for position, node in enumerate(graph)}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)

    for root, edges in graph.items():
        if root in index:
            continue
        visit(root)
        work = [(root, iter(edges))]
        while work:
            node, children = work[-1]
            for child in children:
                if child not in index:
                    visit(child)
                    work.append((child, iter(graph[child])))
                    break
                if child in on_stack:
                    low[node] = min(low[node], index[child])
            else:
                work.pop()
                if work:
                    parent = work[-1][0]
                    low[parent] = min(low[parent], low[node])
                if low[node] == index[node]:
                    group = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        group.append(member)
                        if member == node:
                            break
                    groups.append(sorted(group, key=order.__getitem__))
    return groups


def _definition_order(group: list[str], refers_to: dict[str, list[str]], built: dict[str, ir.Model]) -> list[str]:
    """Classes first (their annotations are read later, by pydantic), then the aliases, each
    after the aliases its right-hand side names, since that is evaluated at import."""
    placed = [name for name in group if built[name].kind == "object"]
    pending = [name for name in group if built[name].kind != "object"]
    while pending:
        ready = [name for name in pending if not set(refers_to[name]) & (set(pending) - {name})] or pending[:1]
        placed.append(ready[0])
        pending.remove(ready[0])
    return placed


def _model(name: str, model: dict[str, Any], resolver: TypeResolver) -> ir.Model:
    description = text(model.get("description"))
    unverified = text(model.get("unverified"))
    if "enum" in model:
        return ir.Model(name, "enum", description, (), literal_of(model["enum"]), unverified)
    if "one_of" in model:
        union = resolver.field({"one_of": model["one_of"]}, "response").annotation
        return ir.Model(name, "union", description, (), union, unverified)
    if "properties" not in model:
        alias = resolver.field(definition(model), "response").annotation
        return ir.Model(name, "alias", description, (), alias, unverified)
    fields = tuple(_field(wire, spec, resolver) for wire, spec in model["properties"].items())
    return ir.Model(name, "object", description, fields, "", unverified, _param(name, model, fields, resolver))


def _param(name: str, model: dict[str, Any], fields: tuple[ir.Field, ...], resolver: TypeResolver) -> ir.Param | None:
    if name not in resolver.params:
        return None
    keys = tuple(
        ir.ParamKey(field.name, resolver.field(spec, "param").annotation, field.required, field.description, field.deprecated)
        for field, spec in zip(fields, model["properties"].values(), strict=True)
    )
    # Required and optional keys both: the required ones in a base class of their own, so that
    # the TypedDict knows them at run time too (``Required[...]``, under postponed annotations,
    # is a string that typing does not read: __required_keys__ would be empty).
    mixed = any(key.required for key in keys) and not all(key.required for key in keys)
    return ir.Param(param_name(name), f"_{name}Required" if mixed else "", keys)


def _field(wire_name: str, spec: Any, resolver: TypeResolver) -> ir.Field:
    details = spec if isinstance(spec, dict) else {}
    required = bool(details.get("required"))
    annotation = resolver.field(spec, "response").annotation
    if not required and not annotation.endswith("| None"):
        annotation = f"{annotation} | None"
    name = details.get("python_name") or naming.attribute_name(wire_name)
    secret = bool(details.get("secret"))
    return ir.Field(
        name=name,
        wire_name=wire_name,
        annotation=annotation,
        required=required,
        description=describe(details),
        secret=secret,
        deprecated=bool(details.get("deprecated")),
        field_arguments=_field_arguments(name, wire_name, required, secret),
    )


def _field_arguments(name: str, wire_name: str, required: bool, secret: bool) -> tuple[str, ...]:
    arguments = [] if required else ["default=None"]
    if wire_name != name:
        # Not ``alias=``: type checkers read that as the name __init__ takes (PEP 681), so
        # ``Tag(createdAt=...)`` would type-check and ``Tag(created_at=...)`` would not.
        wire = python_string(wire_name)
        arguments += [f"validation_alias={wire}", f"serialization_alias={wire}"]
    if secret:
        arguments.append("repr=False")
    # ``x: T = None`` reads better than ``x: T = Field(default=None)``.
    return () if arguments == ["default=None"] else tuple(arguments)


def _model_needs(model: dict[str, Any], resolver: TypeResolver, mode: Mode) -> frozenset[str]:
    """The names a model's definition (or its Param's, in ``param`` mode) uses: typing helpers,
    other models and their Params."""
    if "enum" in model:
        return frozenset({"Literal"})
    specs: Iterable[Any] = list((model.get("properties") or {}).values())
    if "properties" not in model:
        specs = [definition(model)]
    return frozenset().union(*(resolver.field(spec, mode).needs for spec in specs))
