"""``sdkforge diff``: what changed between two versions of a spec, and whether it breaks clients.

read_spec  REV:path or file -> Document   (validated and checked, like every other command)
compare    Document x Document -> [Change] (breaking first, then by where)
report     [Change] -> text or JSON

The rules live in ``diff_rules`` (shared judgements), ``diff_operations`` and ``diff_models``;
this module holds the entry points and the client-wide settings.
"""

from __future__ import annotations

import json
import re
import subprocess
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path

from generator import ir
from generator.checks import every_problem
from generator.diff_models import model_changes
from generator.diff_operations import resource_changes
from generator.diff_rules import Change, Side, breaking, note, side
from generator.errors import InvalidSpec, Problem
from generator.load import Document, load, loads

__all__ = ["Change", "compare", "read_spec", "report"]

_DRIVE = re.compile(r"^[A-Za-z]:[\\/]")
_GIT_TIMEOUT = 60
# (ir.Auth attribute, spec key, what the client now does)
_AUTH_CHANGES = (
    ("location", "in", "sends the API key in the {now} instead of the {was}"),
    ("name", "name", "sends the API key as {now!r} instead of {was!r}"),
    ("format", "format", "formats the API key as {now!r} instead of {was!r}"),
    ("env", "env", "reads the API key from {now} instead of {was}"),
)
_STYLES = {"cursor": "cursor", "page": "page number"}
_PAGINATION_KEYS = ("items", "cursor_param", "next_cursor", "has_more", "page_param", "size_param", "first_page", "total")


def read_spec(ref: str) -> Document:
    """A valid spec from a file, or from git as ``REV:path``; InvalidSpec with every problem otherwise."""
    document = load(Path(ref)) if _is_file(ref) else loads(_git_show(ref), ref)
    found = every_problem(document)
    if found:
        raise InvalidSpec(found)
    return document


def _is_file(ref: str) -> bool:
    """A file that exists wins over ``REV:path``; so does a drive letter, and anything git would take as an option."""
    return Path(ref).is_file() or ":" not in ref or bool(_DRIVE.match(ref)) or ref.startswith("-")


def _git_show(ref: str) -> str:
    """The text of ``path`` at ``REV``, as ``git show`` prints it from the current directory."""
    try:
        result = subprocess.run(["git", "show", ref], capture_output=True, check=False, timeout=_GIT_TIMEOUT)
    except (OSError, subprocess.TimeoutExpired) as error:
        raise _unreadable(ref, str(error)) from None
    if result.returncode != 0:
        lines = result.stderr.decode("utf-8", errors="replace").strip().splitlines()
        raise _unreadable(ref, lines[0].removeprefix("fatal: ") if lines else f"git exited with status {result.returncode}")
    try:
        return result.stdout.decode("utf-8")
    except UnicodeDecodeError:
        raise _unreadable(ref, "the file is not UTF-8 text") from None


def _unreadable(ref: str, reason: str) -> InvalidSpec:
    revision, _, path = ref.partition(":")
    message = f"cannot read {path!r} at revision {revision!r} from git: {reason}"
    return InvalidSpec([Problem(ref, 1, 1, "", message, "check the revision and path (REV:path is relative to the repository root; REV:./path to this directory)")])


def compare(old: Document, new: Document) -> list[Change]:
    """Every change from ``old`` to ``new`` that a client's user would notice, breaking ones first."""
    before, after = side(old), side(new)
    changes = [*api_changes(before, after), *resource_changes(before, after), *model_changes(before, after)]
    return sorted(changes, key=lambda change: (not change.breaking, change.where, change.kind))


def report(changes: Sequence[Change], as_json: bool = False) -> str:
    """The changes as lines of text ending in a summary, or as JSON grouped into breaking and other."""
    if as_json:
        groups: dict[str, list[dict[str, str]]] = {"breaking": [], "other": []}
        for change in changes:
            groups["breaking" if change.breaking else "other"].append({"kind": change.kind, "where": change.where, "message": change.message})
        return json.dumps(groups, indent=2, ensure_ascii=False) + "\n"
    if not changes:
        return "no changes\n"
    lines = [f"{_label(change):<8} {change.where}: {change.message}" for change in changes]
    broken = sum(change.breaking for change in changes)
    lines.append(f"{broken} breaking, {len(changes) - broken} other changes")
    return "\n".join(lines) + "\n"


def _label(change: Change) -> str:
    if change.breaking:
        return "BREAKING"
    return "added" if change.kind.endswith("-added") else "changed"


# Client-wide settings ----------------------------------------------------------------


def api_changes(old: Side, new: Side) -> Iterator[Change]:
    """The package, the client class and everything set when a client is constructed."""
    before, after = old.api, new.api
    if before.package != after.package:
        yield breaking("package-renamed", "package", f"the package is now imported as {after.package} instead of {before.package}")
    if before.client_class != after.client_class:
        text = f"the client is now {after.client_class} / {after.async_client_class} instead of {before.client_class} / {before.async_client_class}"
        yield breaking("client-renamed", "client", text)
    yield from _server_changes(before, after)
    yield from _auth_changes(before, after)
    if after.https_only and not before.https_only:
        yield breaking("https-only", "https_only", f"{after.client_class}() now refuses a plain http:// base URL except on loopback")
    if any(operation.paginate for operation in before.operations):
        yield from _pagination_changes(before, after)
    yield from _envelope_changes(before, after)
    for key in ("message", "code", "details"):
        was, now = getattr(before, f"error_{key}"), getattr(after, f"error_{key}")
        if was != now:
            text = f"is now read from {now!r}" + (f" instead of {was!r}" if was else "") if now else "is no longer read from the error body"
            yield note("errors-changed", f"errors.{key}", f"APIStatusError.{key} {text}")


def _server_changes(before: ir.Api, after: ir.Api) -> Iterator[Change]:
    """Servers are known to callers by their argument (``base_url``, ``<name>_base_url``)."""
    client = after.client_class
    was = {server.argument: server for server in before.servers}
    now = {server.argument: server for server in after.servers}
    removed, added, kept = _by_argument(was, now)
    for argument in removed:
        yield breaking("server-removed", f"servers.{was[argument].name}", f"{client}({argument}=...) was removed")
    for argument in added:
        yield note("server-added", f"servers.{now[argument].name}", f"{client}() takes a new {argument}=")
    for argument in kept:
        old, new = was[argument], now[argument]
        where = f"servers.{new.name}"
        if old.url != new.url and not new.url:
            yield breaking("server-url-changed", f"{where}.url", f"{client}() has no default {argument} any more: pass it or set {new.env}")
        elif old.url != new.url:
            text = f"{client}() now defaults {argument} to {new.url}" + (f" instead of {old.url}" if old.url else "")
            yield Change("server-url-changed", f"{where}.url", text, bool(old.url))
        if old.env != new.env:
            yield breaking("server-env-changed", f"{where}.env", f"{client}() now reads {argument} from {new.env} instead of {old.env}")


def _auth_changes(before: ir.Api, after: ir.Api) -> Iterator[Change]:
    client = after.client_class
    if before.auth is None and after.auth is not None:
        yield breaking("auth-added", "auth", f"{client}() now needs an API key (api_key= or {after.auth.env})")
    elif before.auth is not None and after.auth is None:
        yield breaking("auth-removed", "auth", f"{client}() no longer takes an API key")
    elif before.auth is not None and after.auth is not None:
        for attribute, key, text in _AUTH_CHANGES:
            was, now = getattr(before.auth, attribute), getattr(after.auth, attribute)
            if was != now:
                yield breaking("auth-changed", f"auth.{key}", f"{client}() now {text.format(was=was, now=now)}")
        yield from _alternative_changes(client, before.auth, after.auth)


def _alternative_changes(client: str, before: ir.Auth, after: ir.Auth) -> Iterator[Change]:
    """A credential the client may be built with instead of the key: gone or changed breaks its users."""
    was = {credential.argument: credential for credential in before.alternatives}
    now = {credential.argument: credential for credential in after.alternatives}
    removed, added, kept = _by_argument(was, now)
    for argument in removed:
        yield breaking("auth-changed", f"auth.alternatives.{argument}", f"{client}() no longer takes {argument}=")
    for argument in added:
        yield note("auth-alternative-added", f"auth.alternatives.{argument}", f"{client}() now takes {argument}= instead of an API key")
    for argument in kept:
        for attribute, key, text in _AUTH_CHANGES:
            old, new = getattr(was[argument], attribute), getattr(now[argument], attribute)
            if old != new:
                message = text.format(was=old, now=new).replace("the API key", argument)
                yield breaking("auth-changed", f"auth.alternatives.{argument}.{key}", f"{client}() now {message}")


def _by_argument(was: Mapping[str, object], now: Mapping[str, object]) -> tuple[list[str], list[str], list[str]]:
    """The client arguments only before, only after, and in both; each sorted, for a stable report."""
    return sorted(was.keys() - now.keys()), sorted(now.keys() - was.keys()), sorted(was.keys() & now.keys())


def _pagination_changes(before: ir.Api, after: ir.Api) -> Iterator[Change]:
    # Pagination appearing or vanishing shows up as operations whose paginate changed.
    if not before.pagination_style or not after.pagination_style:
        return
    methods = _paginated(after)
    if before.pagination_style != after.pagination_style:
        # The other keys belong to the style: one change says it all.
        text = f"{methods}: paging is now by {_STYLES[after.pagination_style]} instead of by {_STYLES[before.pagination_style]}"
        yield breaking("pagination-changed", "pagination.style", text)
        return
    for key in _PAGINATION_KEYS:
        was, now = getattr(before, f"pagination_{key}"), getattr(after, f"pagination_{key}")
        if was != now:
            yield breaking("pagination-changed", f"pagination.{key}", f"{methods}: paging now uses {key} {now!r} instead of {was!r}")


def _paginated(api: ir.Api) -> str:
    """The paginated methods, for a message: a few by name, then how many more."""
    names = [f"client.{resource.name}.{operation.name}()" for resource in api.resources for operation in resource.operations if operation.paginate]
    shown = ", ".join(names[:3]) + (f" and {len(names) - 3} more" if len(names) > 3 else "")
    return shown or "paginated methods"


def _envelope_changes(before: ir.Api, after: ir.Api) -> Iterator[Change]:
    was, now = _envelope(before), _envelope(after)
    if was != now:
        yield breaking("envelope-changed", "envelope", f"every response is now {now} instead of {was}")


def _envelope(api: ir.Api) -> str:
    if not api.envelope_data:
        return "unwrapped"
    keys = ", ".join(f"{role}: {key}" for role, key in (("data", api.envelope_data), ("success", api.envelope_success), ("errors", api.envelope_errors)) if key)
    return f"wrapped as {{{keys}}}"
