"""Resources, operations and their arguments: the ``client.<resource>.<verb>()`` surface."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from generator import ir
from generator.build_resources import PLACEHOLDER
from generator.diff_rules import (
    Change,
    Side,
    breaking,
    constraint_changes,
    details,
    enum_changes,
    matched,
    note,
    type_changes,
    type_text,
)

# Where an argument travels, as a sentence ends; json, form and file are all "the body"
# so that a change of body encoding is reported once, for the operation.
_PLACES = {"path": "the path", "query": "the query string", "header": "a header"}


@dataclass(frozen=True)
class Arg:
    """One argument of a method, with its spec and where the spec writes it."""

    argument: ir.Argument
    spec: Any
    where: str
    slot: str  # a path parameter's place in the path ("{0}"); the wire name otherwise


def resource_changes(old: Side, new: Side) -> Iterator[Change]:
    """Resources removed, renamed or added, and the operations of the ones in both."""
    before = {resource.name: resource for resource in old.api.resources}
    after = {resource.name: resource for resource in new.api.resources}
    renamed: dict[str, str] = {}
    for name in sorted(before.keys() - after.keys()):
        target = next((other for other in sorted(after.keys() - before.keys()) if _signatures(after[other]) == _signatures(before[name])), None)
        if target and target not in renamed.values():
            renamed[name] = target
            yield breaking("resource-renamed", f"resources.{name}", f"client.{name} was renamed to client.{target}")
        else:
            yield breaking("resource-removed", f"resources.{name}", f"client.{name} was removed")
    for name in sorted(after.keys() - before.keys() - set(renamed.values())):
        yield note("resource-added", f"resources.{name}", f"client.{name} was added")
    common = sorted(before.keys() & after.keys())
    yield from _operations_of(old, new, [(name, before[name]) for name in common], [(name, after[name]) for name in common])


def _signatures(resource: ir.Resource) -> set[tuple[str, str]]:
    return {_signature(operation) for operation in resource.operations}


def _signature(operation: ir.Operation) -> tuple[str, str]:
    """Method and path with placeholders blanked: what the server sees, whatever the names."""
    return operation.method, PLACEHOLDER.sub("{}", operation.path)


def _operations_of(old: Side, new: Side, before: list[tuple[str, ir.Resource]], after: list[tuple[str, ir.Resource]]) -> Iterator[Change]:
    was = {(name, operation.name): operation for name, resource in before for operation in resource.operations}
    now = {(name, operation.name): operation for name, resource in after for operation in resource.operations}
    added = sorted(now.keys() - was.keys())
    for key in sorted(was.keys() - now.keys()):
        target = next((other for other in added if _signature(now[other]) == _signature(was[key])), None)
        where = f"resources.{key[0]}.operations.{key[1]}"
        if target:
            added.remove(target)
            yield breaking("operation-renamed", where, f"{_surface(*key)} was renamed to {_surface(*target)}")
        else:
            yield breaking("operation-removed", where, f"{_surface(*key)} was removed")
    for key in added:
        yield note("operation-added", f"resources.{key[0]}.operations.{key[1]}", f"{_surface(*key)} was added")
    for key in sorted(was.keys() & now.keys()):
        yield from operation_changes(old, new, key[0], was[key], now[key])


def _surface(resource: str, verb: str) -> str:
    return f"client.{resource}.{verb}()"


def operation_changes(old: Side, new: Side, resource: str, before: ir.Operation, after: ir.Operation) -> Iterator[Change]:
    """Everything about one method that can differ: where it goes, what it takes and returns."""
    where, surface = f"resources.{resource}.operations.{after.name}", _surface(resource, after.name)
    if before.method != after.method:
        yield breaking("method-changed", f"{where}.method", f"{surface} now sends {after.method} instead of {before.method}")
    if _signature(before)[1] != _signature(after)[1]:
        was_path, now_path = _raw(old, resource, before)["path"], _raw(new, resource, after)["path"]
        yield breaking("path-changed", f"{where}.path", f"{surface} now calls {now_path} instead of {was_path}")
    was_server, now_server = _server_argument(old, before), _server_argument(new, after)
    if was_server != now_server:
        yield breaking("server-changed", f"{where}.server", f"{surface} now goes to {now_server} instead of {was_server}")
    if before.encoding != after.encoding:
        yield breaking("encoding-changed", f"{where}.body.encoding", f"{surface} now sends a {after.encoding} body instead of a {before.encoding} body")
    if before.paginate != after.paginate:
        text = "now returns a pager over every page" if after.paginate else "no longer pages: it returns one response"
        yield breaking("paginate-changed", f"{where}.paginate", f"{surface} {text}")
    if before.auth != after.auth:
        yield _auth_change(before.auth, after.auth, f"{where}.auth", surface)
    yield from _response_changes(_raw(old, resource, before), _raw(new, resource, after), where, surface)
    if after.deprecated and not before.deprecated:
        yield note("operation-deprecated", where, f"{surface} is deprecated")
    yield from argument_changes(_arguments(old, resource, before), _arguments(new, resource, after), where, surface)


_KEY_NOW = {"required": "needs the API key", "optional": "sends the API key when the client has one", "none": "never sends the API key"}
_KEY_BEFORE = {"required": "needed it", "optional": "sent it when the client had one", "none": "never sent it"}


def _auth_change(before: str, after: str, where: str, surface: str) -> Change:
    """A caller without a key breaks when an operation starts to need one; other moves are notes."""
    message = f"{surface} now {_KEY_NOW[after]} (it {_KEY_BEFORE[before]})"
    return breaking("auth-required", where, message) if after == "required" else note("auth-relaxed", where, message)


def _server_argument(side: Side, operation: ir.Operation) -> str:
    """The client argument that sets the operation's origin: servers are known to callers by it."""
    return next(server.argument for server in side.api.servers if server.name == operation.server)


def _raw(side: Side, resource: str, operation: ir.Operation) -> dict[str, Any]:
    operation_spec: dict[str, Any] = side.spec["resources"][resource]["operations"][operation.name]
    return operation_spec


def _response_changes(before: dict[str, Any], after: dict[str, Any], where: str, surface: str) -> Iterator[Change]:
    was, now = _response_type(before), _response_type(after)
    if was == now:
        return
    if not was:
        yield note("response-added", f"{where}.response", f"{surface} now returns {now} (it returned None)")
    else:
        yield breaking("response-changed", f"{where}.response", f"{surface} now returns {now or 'None'} instead of {was}")


def _response_type(operation: dict[str, Any]) -> str:
    response = operation.get("response")
    if isinstance(response, dict):
        return type_text(response["type"]) if "type" in response else ""
    return type_text(response) if response else ""


def _arguments(side: Side, resource: str, operation: ir.Operation) -> list[Arg]:
    """The method's arguments, each with its spec; path parameters follow their place in the path."""
    raw = _raw(side, resource, operation)
    where = f"resources.{resource}.operations.{operation.name}"
    placeholders = PLACEHOLDER.findall(raw["path"])
    found = []
    for argument in operation.arguments:
        if argument.location == "body":
            found.append(Arg(argument, raw["body"], f"{where}.body", "body"))
        elif argument.location in _PLACES:
            # A renamed placeholder is the same argument: the URL it builds has not changed.
            slot = f"{{{placeholders.index(argument.wire_name)}}}" if argument.location == "path" else argument.wire_name
            found.append(Arg(argument, raw["params"][argument.wire_name], f"{where}.params.{argument.wire_name}", slot))
        else:
            found.append(Arg(argument, raw["body"]["properties"][argument.wire_name], f"{where}.body.properties.{argument.wire_name}", argument.wire_name))
    return found


def argument_changes(before: list[Arg], after: list[Arg], where: str, surface: str) -> Iterator[Change]:
    """Arguments removed, added, moved or changed, and a changed positional signature."""
    # By wire name; then a path parameter by its place in the path; then by Python name.
    keys = (lambda arg: arg.argument.wire_name, lambda arg: arg.slot, lambda arg: arg.argument.name)
    pairs, removed, added = matched(before, after, keys)
    for gone in removed:
        yield breaking("argument-removed", gone.where, f"argument `{gone.argument.name}` of {surface} was removed")
    for new in added:
        if new.argument.required:
            yield breaking("argument-added-required", new.where, f"{surface} has a new required argument `{new.argument.name}`")
        else:
            yield note("argument-added", new.where, f"{surface} has a new optional argument `{new.argument.name}`")
    for was, now in pairs:
        yield from _argument_pair(was, now, surface)
    renamed = {was.argument.name: now.argument.name for was, now in pairs}
    was_positional = [arg.argument.name for arg in before if arg.argument.positional]
    now_positional = [arg.argument.name for arg in after if arg.argument.positional]
    if [renamed.get(name) for name in was_positional] != now_positional:
        text = f"{surface} now takes ({', '.join(now_positional)}) positionally instead of ({', '.join(was_positional)})"
        yield breaking("positional-changed", where, text)


def _argument_pair(was: Arg, now: Arg, surface: str) -> Iterator[Change]:
    before, after = was.argument, now.argument
    subject, where = f"argument `{after.name}` of {surface}", now.where
    if before.name != after.name:
        yield breaking("argument-renamed", where, f"argument `{before.name}` of {surface} was renamed to `{after.name}`")
    if _place(before) != _place(after):
        yield breaking("argument-moved", where, f"{subject} is now sent in {_place(after)} instead of {_place(before)}")
    elif before.wire_name != after.wire_name and after.location not in _UNNAMED_ON_THE_WIRE:
        yield breaking("argument-wire-renamed", where, f"{subject} is now sent as {after.wire_name!r} instead of {before.wire_name!r}")
    if before.required != after.required:
        if after.required:
            yield breaking("argument-required", where, f"{subject} is now required")
        else:
            yield note("argument-optional", where, f"{subject} is now optional")
    yield from type_changes(was.spec, now.spec, where, subject, "argument-type-changed", read=False)
    yield from enum_changes(was.spec, now.spec, where, subject, built=True)
    yield from constraint_changes(was.spec, now.spec, where, subject)
    nullable_before, nullable_after = (bool(details(spec).get("nullable")) for spec in (was.spec, now.spec))
    if nullable_before and not nullable_after:
        yield breaking("argument-not-nullable", where, f"{subject} no longer accepts None")
    elif nullable_after and not nullable_before:
        yield note("argument-nullable", where, f"{subject} now accepts None")


# A path parameter is sent as its place in the path, a whole-value body as the body:
# the names the spec gives them are never sent.
_UNNAMED_ON_THE_WIRE = ("path", "body")


def _place(argument: ir.Argument) -> str:
    return _PLACES.get(argument.location, "the body")
