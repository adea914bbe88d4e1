"""Rules about a spec's meaning that a JSON Schema cannot express. One small check per rule."""

from __future__ import annotations

import difflib
import ipaddress
import math
import re
import sys
from collections.abc import Callable, Iterable, Iterator
from typing import Any, TypeGuard

from generator import naming
from generator.errors import Problem
from generator.examples import misfit, outside_limits
from generator.load import Document, JsonPath, dotted
from generator.outputs import ignored_directory
from generator.types import PRIMITIVES
from generator.validate import validate

PLACEHOLDER = re.compile(r"\{([^{}]*)\}")
_NO_BODY = (204, 205)
_HEADER_NAME = re.compile(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+")  # RFC 9110 token
# What may stand in a URL path as written (RFC 3986 pchar and /; % for what is percent-encoded).
_NOT_IN_PATH = re.compile(r"[^A-Za-z0-9\-._~!$&'()*+,;=:@/%]")
_BUILTIN_TYPES = {*PRIMITIVES, "map"}


def every_problem(document: Document) -> list[Problem]:
    """What the schema finds wrong in a document, and what is wrong with its meaning."""
    schema_problems = validate(document)
    if not schema_problems:
        return check(document)
    return sorted(schema_problems + check_beside(document, schema_problems))


def check(document: Document) -> list[Problem]:
    """Every meaning problem in a schema-valid document."""
    return sorted(problem for rule in RULES for problem in rule(document))


def check_beside(document: Document, schema_problems: list[Problem]) -> list[Problem]:
    """The meaning problems of a document that failed its schema, away from what failed it.

    So that an author sees every problem in one run, not the schema's first and the
    rest after fixing those. The rules were written for schema-valid documents: one
    that meets a value of the wrong shape (a mapping where a list goes) raises, and
    is left out; its problems come once the schema's are fixed. Left out too, until
    then: problems inside a part (a model, an operation, a top-level section) with a
    schema problem, which may be that problem seen again, and problems of a field of
    such a model's type, directly or through other models (a default checked against
    a broken enum). An unknown key is the exception: the rest of its part is as
    written, so only what is under the key itself waits.
    """
    # A problem of the spec as a whole (a missing top-level key) has no part: the rules that
    # read what is missing fail, and the others have nothing to do with it.
    located = [problem for problem in schema_problems if problem.where]
    try:
        users = _fields_using(document.data, {_part(problem.where) for problem in located})
    except Exception:  # noqa: BLE001 - type expressions of a shape no reader expects
        return []
    broken = users | {_names(problem.where) if problem.confined else _part(problem.where) for problem in located}
    found: list[Problem] = []
    for rule in RULES:
        try:
            found.extend(rule(document))
        except Exception:  # noqa: BLE001, S112 - a shape the schema refused, reported already
            continue
    return sorted(problem for problem in set(found) if not any(_overlap(_names(problem.where), part) for part in broken))


def _fields_using(spec: dict[str, Any], broken: set[tuple[str, ...]]) -> set[tuple[str, ...]]:
    """The fields (properties, parameters, bodies, responses, aliases) whose type is a broken
    model, or a model that uses one."""
    uses = [(_names(dotted(_field_of(path))), expression.replace("[]", "")) for path, expression in type_uses(spec)]
    models = set(spec.get("models") or {})
    bad = models if ("models",) in broken else {part[1] for part in broken if part[:1] == ("models",) and len(part) > 1}
    while more := {field[1] for field, name in uses if field[:1] == ("models",) and name in bad} - bad:
        bad |= more
    return {field for field, name in uses if name in bad}


def _field_of(path: JsonPath) -> JsonPath:
    """Where a type expression was written -> the field it is the type of."""
    if path[-2:-1] == ("one_of",) and isinstance(path[-1], int):
        return path[:-2]
    return path[:-1] if path[-1] in ("type", "values") else path


def _part(where: str) -> tuple[str, ...]:
    """The part of a spec a problem is in: ``models.Form.properties.id`` -> ``(models, Form)``.

    An operation is a part of its own (``resources.forms.operations.list``), a model
    is, and so is any other top-level key."""
    names = _names(where)
    if names[:1] == ("resources",) and names[2:3] == ("operations",):
        return names[:4]
    return names[:2] if names[:1] in (("resources",), ("models",)) else names[:1]


def _names(where: str) -> tuple[str, ...]:
    """``models.Form.properties.id`` -> ``(models, Form, properties, id)``; indexes too."""
    return tuple(name.rstrip("]") for name in re.split(r"[.\[]", where))


def _overlap(one: tuple[str, ...], other: tuple[str, ...]) -> bool:
    """Whether one holds the other (or they are the same)."""
    shorter = min(len(one), len(other))
    return one[:shorter] == other[:shorter]


def operations(spec: dict[str, Any]) -> Iterator[tuple[JsonPath, dict[str, Any]]]:
    for resource_name, resource in spec["resources"].items():
        for verb, operation in resource["operations"].items():
            yield ("resources", resource_name, "operations", verb), operation


def fields(spec: dict[str, Any]) -> Iterator[tuple[JsonPath, Any]]:
    """Every field, with where it was written: model properties, parameters, body properties.

    A field is a mapping, or a type expression alone (a str)."""
    for model_name, model in (spec.get("models") or {}).items():
        for name, field in (model.get("properties") or {}).items():
            yield ("models", model_name, "properties", name), field
    for path, operation in operations(spec):
        for name, param in (operation.get("params") or {}).items():
            yield (*path, "params", name), param
        for name, field in ((operation.get("body") or {}).get("properties") or {}).items():
            yield (*path, "body", "properties", name), field


def type_uses(spec: dict[str, Any]) -> Iterator[tuple[JsonPath, str]]:
    """Every type expression written in the spec, with where it was written."""
    for model_name, model in (spec.get("models") or {}).items():
        yield from _field_types(("models", model_name), model)
    for path, field in fields(spec):
        yield from _field_types(path, field)
    for path, operation in operations(spec):
        body = operation.get("body") or {}
        yield from _field_types((*path, "body"), {"type": body["type"]} if "type" in body else {})
        response = operation.get("response")
        if isinstance(response, str):
            yield (*path, "response"), response
        elif isinstance(response, dict) and "type" in response:
            yield (*path, "response", "type"), response["type"]


def _field_types(path: JsonPath, field: Any) -> Iterator[tuple[JsonPath, str]]:
    if isinstance(field, str):
        yield path, field
        return
    for key in ("type", "values"):
        if key in field:
            yield (*path, key), field[key]
    for index, member in enumerate(field.get("one_of", [])):
        yield (*path, "one_of", index), member


def check_type_references(document: Document) -> Iterator[Problem]:
    """Every model name used in a type expression is defined under models."""
    models = document.data.get("models") or {}
    for path, expression in type_uses(document.data):
        name = expression.replace("[]", "")
        if name not in _BUILTIN_TYPES and name not in models:
            close = difflib.get_close_matches(name, [*models, *_BUILTIN_TYPES], n=1, cutoff=0.6)
            hint = f"did you mean {close[0]!r}?" if close else "define it under models, or use a built-in type"
            yield document.problem(path, f"unknown type {name!r}", hint)


def check_path_parameters(document: Document) -> Iterator[Problem]:
    """Every {name} in a path is declared with in: path, and every path parameter is used."""
    for path, operation in operations(document.data):
        placeholders = PLACEHOLDER.findall(operation["path"])
        declared = {name for name, param in (operation.get("params") or {}).items() if param["in"] == "path"}
        unused = sorted(declared - set(placeholders))
        for name in placeholders:
            if name not in declared:
                hint = f"add `{name}: {{in: path, type: string}}` under params" if name else "name the placeholder, e.g. {form_id}"
                if name and (close := _same_name(name, unused)):
                    hint = f"params declares {close!r}: write {{{close}}} in the path, or rename that parameter {name!r}"
                yield document.problem((*path, "path"), f'path parameter "{name}" is not declared', hint)
        for name in unused:
            yield document.problem((*path, "params", name), f'path parameter "{name}" does not appear in the path', f"add {{{name}}} to the path or change in: to query")
        for name in sorted({name for name in placeholders if name and placeholders.count(name) > 1}):
            yield document.problem((*path, "path"), f'path parameter "{name}" appears twice in the path', "give each segment a parameter of its own")
        for name, param in (operation.get("params") or {}).items():
            if param["in"] == "path" and param.get("required") is False:
                where = (*path, "params", name, "required")
                yield document.problem(where, f'path parameter "{name}" cannot be optional: the path has no URL without it', "remove `required: false`", key=True)
            if param["in"] == "path" and param.get("nullable"):
                where = (*path, "params", name, "nullable")
                yield document.problem(where, f'path parameter "{name}" cannot be null: the client would send the text None', "remove `nullable: true`", key=True)


def _same_name(name: str, names: list[str]) -> str:
    """The one of ``names`` that ``name`` is likely a spelling of (noteId, note_id, note-id, nte_id)."""
    def plain(text: str) -> str:
        return re.sub(r"[^a-z0-9]", "", text.lower())

    same = [other for other in names if plain(other) == plain(name)]
    return same[0] if same else next(iter(difflib.get_close_matches(name, names, n=1, cutoff=0.75)), "")


def check_path_templates(document: Document) -> Iterator[Problem]:
    """A path is a path: no query or fragment, and at most one placeholder per segment.

    Two placeholders in one segment (``/{a}{b}``, ``/{a}-{b}``) cannot be told apart
    again by the server, the mock or any router, since a value may contain the separator.
    """
    for path, operation in operations(document.data):
        template = operation["path"]
        if "?" in template or "#" in template:
            hint = "declare query values as params with `in: query`; the client writes the query string"
            yield document.problem((*path, "path"), f"path {template!r} holds a {'query' if '?' in template else 'fragment'}", hint)
        literal = PLACEHOLDER.sub("", template)
        if "{" in literal or "}" in literal:
            # str.format would fail on a lone brace at every call, or send {{x}} as a literal {x}.
            hint = "write each path parameter as {name}, with one brace on each side"
            yield document.problem((*path, "path"), f"path {template!r} has a brace that is not part of a {{name}} placeholder", hint)
        elif stray := sorted(set(_NOT_IN_PATH.findall(literal.replace("?", "").replace("#", "")))):
            shown = ", ".join(repr(character) for character in stray)
            hint = "percent-encode them as the server expects them (a space is %20), or make that segment a path parameter"
            yield document.problem((*path, "path"), f"path {template!r} has characters a URL path cannot carry as they are: {shown}", hint)
        crowded = [segment for segment in template.split("/") if len(PLACEHOLDER.findall(segment)) > 1]
        for segment in crowded:
            yield document.problem((*path, "path"), f"path segment {segment!r} holds more than one placeholder", "give each path parameter a segment of its own")


def check_routes(document: Document) -> Iterator[Problem]:
    """Each method and path belongs to one operation, and each operation has its own OpenAPI id.

    Paths that differ only in their placeholders' names (``/items/{id}`` and
    ``/items/{key}``) are the same route: a server, the mock and OpenAPI cannot tell
    which operation a request is for. The export names each operation
    ``<resource>_<operation>``, so ``a_b.c`` and ``a.b_c`` would share an id.
    """
    routes: dict[tuple[str, str], str] = {}
    ids: dict[str, str] = {}
    for path, operation in operations(document.data):
        name = f"{path[1]}.{path[3]}"
        route = (operation["method"], PLACEHOLDER.sub("{}", operation["path"]))
        if route in routes:
            message = f"{operation['method']} {operation['path']} is also the route of {routes[route]}"
            yield document.problem((*path, "path"), message, "give each operation its own method and path, or merge the two")
        routes.setdefault(route, name)
        operation_id = f"{path[1]}_{path[3]}"
        if operation_id in ids:
            message = f"{name} and {ids[operation_id]} would both be {operation_id!r} in the OpenAPI export"
            yield document.problem(path, message, "rename one of the operations", key=True)
        ids.setdefault(operation_id, name)


def check_responses(document: Document) -> Iterator[Problem]:
    """A response whose status has no body (204, 205) has no type either."""
    for path, operation in operations(document.data):
        response = operation.get("response")
        if isinstance(response, dict) and response.get("type") and response.get("status") in _NO_BODY:
            message = f"a {response['status']} response has no body, but this one has type: {response['type']}"
            hint = "remove type: (the method then returns None), or use the status the body comes with (200, 201)"
            yield document.problem((*path, "response", "status"), message, hint)


def check_header_names(document: Document) -> Iterator[Problem]:
    """A header parameter's name is an HTTP token: httpx refuses anything else when sending."""
    auth = document.data.get("auth") or {}
    credentials = [(("auth",), auth), *((("auth", "alternatives", argument), credential) for argument, credential in (auth.get("alternatives") or {}).items())]
    names = [((*where, "name"), credential.get("name"), False) for where, credential in credentials if credential.get("in", "header") == "header"]
    for path, operation in operations(document.data):
        names += [((*path, "params", name), name, True) for name, param in (operation.get("params") or {}).items() if param.get("in") == "header"]
    for where, name, key in names:
        if isinstance(name, str) and not _HEADER_NAME.fullmatch(name):
            hint = "a header name is letters, digits and !#$%&'*+-.^_`|~, without spaces"
            yield document.problem(where, f"{name!r} is not a valid HTTP header name", hint, key=key)


def check_servers(document: Document) -> Iterator[Problem]:
    """An operation's server is one of the declared servers; an HTTPS-only API has HTTPS servers."""
    servers = list(document.data["servers"])
    if document.data.get("https_only"):
        for name, server in document.data["servers"].items():
            url = str(server.get("url", ""))
            host = url.partition("://")[2].rpartition("@")[2]
            if url.startswith("http://") and not _is_loopback(host):
                hint = "use https://, or drop https_only: true if the API really speaks plain HTTP"
                yield document.problem(("servers", name, "url"), f"https_only: true, but this server is {url!r}: the client would refuse it", hint)
    for path, operation in operations(document.data):
        server = operation.get("server")
        if server is not None and server not in servers:
            yield document.problem((*path, "server"), f"unknown server {server!r}", f"use one of: {', '.join(servers)}")


def _is_loopback(netloc: str) -> bool:
    """The host of ``host:port`` is loopback, as the generated clients decide (``is_loopback``)."""
    host = netloc[1:].partition("]")[0] if netloc.startswith("[") else netloc.rpartition(":")[0] or netloc
    try:
        return host.lower() == "localhost" or ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check_credentials(document: Document) -> Iterator[Problem]:
    """An alternative credential is a keyword argument of the client: a name of its own."""
    auth = document.data.get("auth") or {}
    prefix = naming.env_prefix(document.data)
    taken = naming.CLIENT_ARGUMENTS | {naming.server_argument(index, name) for index, name in enumerate(document.data["servers"])}
    envs = {auth.get("env", naming.credential_env(prefix, "api_key")): "the API key"}
    for argument, credential in (auth.get("alternatives") or {}).items():
        where = ("auth", "alternatives", argument)
        if argument in taken or argument in naming.PYTHON_KEYWORDS:
            yield document.problem(where, f"{argument!r} is already an argument of the client", "name the credential after what it is, e.g. access_token", key=True)
        env = credential.get("env", naming.credential_env(prefix, argument))
        if env in envs:
            yield document.problem(where, f"the environment variable {env} is also {envs[env]}'s", "set env: to a variable of its own", key=True)
        envs[env] = argument


def check_query_credentials(document: Document) -> Iterator[Problem]:
    """No query parameter of an operation a credential goes with shares the credential's name:
    the credential would replace the caller's value without a word."""
    auth = document.data.get("auth") or {}
    credentials = [("the API key", auth), *(((f"the {argument}", credential) for argument, credential in (auth.get("alternatives") or {}).items()))]
    in_query = {credential["name"]: what for what, credential in credentials if credential.get("in") == "query"}
    for path, operation in operations(document.data):
        if operation.get("auth") == "none":
            continue
        for name, param in (operation.get("params") or {}).items():
            if isinstance(param, dict) and param.get("in") == "query" and name in in_query:
                message = f"query parameter {name!r} is where {in_query[name]} goes"
                yield document.problem((*path, "params", name), message, "check the name against the API documentation; one of the two is misnamed", key=True)


def check_operation_auth(document: Document) -> Iterator[Problem]:
    """An operation says whether the API key goes with it only when the API has a key."""
    if document.data.get("auth"):
        return
    for path, operation in operations(document.data):
        if "auth" in operation:
            yield document.problem(
                (*path, "auth"),
                "the operation says how the API key is used, but the API declares no `auth:`",
                "declare the key under the top-level `auth:`, or remove this line",
            )


def check_pagination(document: Document) -> Iterator[Problem]:
    """paginate: true needs a top-level pagination, and each style its keys."""
    pagination = document.data.get("pagination")
    if pagination:
        needed = {"cursor": ("cursor_param", "next_cursor"), "page": ("page_param",)}[pagination["style"]]
        for key in needed:
            if key not in pagination:
                yield document.problem(("pagination",), f"{pagination['style']} pagination needs {key!r}", f"add `{key}:`", key=True)
    for path, operation in operations(document.data):
        if operation.get("paginate") and not pagination:
            yield document.problem((*path, "paginate"), "paginate: true but the spec has no pagination", "describe it under a top-level `pagination:`")
        if operation.get("paginate") and not operation.get("response"):
            yield document.problem((*path, "paginate"), "a paginated operation needs a response: the type of one item", "add `response: <ItemModel>`")


def check_files(document: Document) -> Iterator[Problem]:
    """``file`` is something to upload: a property of a request body, nothing else."""
    for path, expression in type_uses(document.data):
        if str(expression).replace("[]", "") != "file":
            continue
        field_path = path[:-1] if path[-1] == "type" else path
        if len(field_path) >= 3 and field_path[-3:-1] == ("body", "properties"):
            continue  # check_bodies: in a multipart body
        if "response" in path:
            hint = "downloads are not modelled: leave response: out and read the bytes with .with_raw_response"
        else:
            hint = "use string (a URL or base64 text), or move it into `body: {encoding: multipart, properties: ...}`"
        yield document.problem(path, "file is only for uploads: a property of a multipart request body", hint)


def check_patterns(document: Document) -> Iterator[Problem]:
    """Every ``pattern:`` is a regular expression (the clients check arguments against it)."""
    for path, field in fields(document.data):
        pattern = field.get("pattern") if isinstance(field, dict) else None
        if isinstance(pattern, str):
            try:
                re.compile(pattern)
            except re.error as error:
                yield document.problem((*path, "pattern"), f"pattern is not a valid regular expression: {error}", "write it in Python's re syntax")


def check_package_name(document: Document) -> Iterator[Problem]:
    """The package's import name is one ``import`` can reach, and one generation manages."""
    package = document.data["package"]
    if package in naming.PYTHON_KEYWORDS:
        reason = "is a Python keyword: `import` cannot name it"
    elif package in sys.stdlib_module_names:
        reason = "is a module of Python's standard library, which `import` would find first"
    elif package in naming.DEPENDENCY_PACKAGES:
        reason = "is a package the client itself imports: one of the two would hide the other"
    elif ignored_directory(package):
        reason = "is a folder name sdkforge leaves alone in an output directory (build output), so it could not update it"
    else:
        return
    yield document.problem(("package",), f"package {package!r} {reason}", f"use another, e.g. {package}_api")


def check_python_names(document: Document) -> Iterator[Problem]:
    """Model, resource, operation and python_name: names become Python identifiers as they are."""
    for name in document.data.get("models") or {}:
        if name in naming.PYTHON_KEYWORDS:  # None, True, False: YAML 1.1 reads them as text
            yield document.problem(("models", name), f"model name {name!r} is a Python keyword", f"rename it (e.g. {name}Value)", key=True)
    for name, resource in document.data["resources"].items():
        if name in naming.PYTHON_KEYWORDS:
            yield document.problem(("resources", name), f"resource name {name!r} is a Python keyword", f"rename it (e.g. {name}s)", key=True)
        for verb in resource["operations"]:
            if verb in naming.PYTHON_KEYWORDS:
                yield document.problem(("resources", name, "operations", verb), f"operation name {verb!r} is a Python keyword", f"rename it (e.g. {verb}_)", key=True)
    for path, field in fields(document.data):
        explicit = field.get("python_name") if isinstance(field, dict) else None
        if isinstance(explicit, str) and (explicit in naming.PYTHON_KEYWORDS or not explicit.isidentifier()):
            yield document.problem((*path, "python_name"), f"python_name {explicit!r} is not a usable Python name", f"use another (e.g. {explicit}_)")
        elif explicit in (naming.RESERVED_ATTRIBUTES if path[0] == "models" else naming.RESERVED_ARGUMENTS):
            what = "pydantic's models" if path[0] == "models" else "the generated method itself"
            yield document.problem((*path, "python_name"), f"python_name {explicit!r} is taken by {what}", f"use another (e.g. {explicit}_)")
        python = explicit or naming.attribute_name(str(path[-1]))
        if path[0] == "models" and python.startswith("_"):
            # pydantic takes a leading underscore for a private attribute, not a field.
            where = (*path, "python_name") if explicit else path
            yield document.problem(where, f"attribute name {python!r} starts with an underscore, which pydantic reserves", "set python_name: to a name that starts with a letter", key=not explicit)


def check_model_kinds(document: Document) -> Iterator[Problem]:
    """A model is exactly one of: object (properties), enum, union (one_of), alias (type)."""
    for name, model in (document.data.get("models") or {}).items():
        kinds = [key for key in ("properties", "enum", "one_of", "type") if key in model]
        if len(kinds) != 1:
            found = ", ".join(kinds) or "none of them"
            hint = "keep one of them" if kinds else "add properties: (an object), enum:, one_of: (a union) or type: (an alias)"
            yield document.problem(("models", name), f"a model needs exactly one of properties, enum, one_of or type (found {found})", hint, key=True)


def check_alias_cycles(document: Document) -> Iterator[Problem]:
    """No chain of aliases and unions leads back to where it started.

    An object model can contain itself (its class is named before its fields are read),
    but an alias or a union is a bare annotation, ``Json = str | list[Json]``, whose
    name does not exist yet while its own value is computed: the package would not import.
    """
    models = document.data.get("models") or {}
    refers_to = {
        name: {str(expression).replace("[]", "") for _path, expression in _field_types(("models", name), model)} & set(models)
        for name, model in models.items()
        if "type" in model or "one_of" in model
    }
    reaches = {name: _reachable(name, refers_to) for name in refers_to}
    reported: set[str] = set()
    for name, reached in reaches.items():
        if name not in reached or name in reported:
            continue
        cycle = [other for other in refers_to if other in reached and name in reaches[other]]
        reported.update(cycle)
        kind = "union" if "one_of" in models[name] else "alias"
        through = "itself" if cycle == [name] else "itself through " + ", ".join(other for other in cycle if other != name)
        hint = "make one model on the loop an object (properties:), or use `any` for the open end"
        yield document.problem(("models", name), f"{kind} {name!r} refers to {through}, which the generated code cannot define", hint, key=True)


def _reachable(start: str, refers_to: dict[str, set[str]]) -> set[str]:
    """The names ``start`` leads to, one step or more (aliases and unions; endless models)."""
    seen: set[str] = set()
    todo = list(refers_to[start])
    while todo:
        name = todo.pop()
        if name in refers_to and name not in seen:
            seen.add(name)
            todo.extend(refers_to[name])
    return seen


def check_endless_models(document: Document) -> Iterator[Problem]:
    """No object model needs, through required non-nullable fields, another of itself.

    ``Note.parent: {type: Note, required: true}`` has no finite JSON value: every Note
    holds a Note. No response can fit the model and no caller can build one (the mock
    would recurse until it fails). A list, a map, ``nullable``, an optional field or a
    union member that ends breaks the chain.
    """
    models = document.data.get("models") or {}
    needs = {name: dict(_needed_fields(model)) for name, model in models.items() if "properties" in model}
    finite: set[str] = set()
    while more := {name for name, required in needs.items() if name not in finite and all(_ends(members, models, finite) for members in required.values())}:
        finite |= more
    leads_to = {name: _endless_models(required.values(), models, finite) for name, required in needs.items() if name not in finite}
    for name in leads_to:
        for field, members in needs[name].items():
            starts = _endless_models([members], models, finite)
            loop = next((other for other in sorted(starts) if other == name or name in _reachable(other, leads_to)), None)
            if loop is None:
                continue  # it needs an endless model, but is not on its loop: mending the loop mends it
            through = "" if loop == name else f", through {loop}"
            message = f"field {field!r} always holds another {name}{through} (required and not nullable at every step), so values of {name} nest without end: no JSON value fits"
            yield document.problem(("models", name, "properties", field), message, "make this field, or another on the loop, `nullable: true` or not required")


def _needed_fields(model: dict[str, Any]) -> Iterator[tuple[str, list[str]]]:
    """The fields a value of an object model must hold (required, not nullable), with the
    types it may take (several for a one_of)."""
    for field_name, field in (model.get("properties") or {}).items():
        if isinstance(field, dict) and field.get("required") and not field.get("nullable"):
            members = field.get("one_of") or ([field["type"]] if "type" in field else [])
            if members:
                yield field_name, [str(member) for member in members]


def _choices(expression: str, models: dict[str, Any], seen: frozenset[str] = frozenset()) -> list[str | None]:
    """The object models a value of a type expression can be, one per choice; None for a
    choice that needs none (a scalar, a list or a map, which can be empty)."""
    model = models.get(expression)
    if not isinstance(model, dict) or expression in seen or "enum" in model:
        return [None]
    if "properties" in model:
        return [expression]
    members = model.get("one_of") or ([model["type"]] if "type" in model else [])
    return [choice for member in members for choice in _choices(str(member), models, seen | {expression})] or [None]


def _ends(members: list[str], models: dict[str, Any], finite: set[str]) -> bool:
    return any(choice is None or choice in finite for member in members for choice in _choices(member, models))


def _endless_models(fields_members: Iterable[list[str]], models: dict[str, Any], finite: set[str]) -> set[str]:
    """The models with no finite value that these fields can lead to, for the fields that cannot end."""
    return {
        choice
        for members in fields_members
        if not _ends(members, models, finite)
        for member in members
        for choice in _choices(member, models)
        if choice is not None
    }


def check_parameter_types(document: Document) -> Iterator[Problem]:
    """A path, query or header parameter is text on the wire: a scalar, or in a query a list of them.

    The clients write a scalar as text and repeat a query parameter for each item of a
    list (``?id=1&id=2``). An object, a map or a nested list has no standard text form, and
    would go out as Python's ``repr()``.
    """
    models = document.data.get("models") or {}
    for path, operation in operations(document.data):
        for name, param in (operation.get("params") or {}).items():
            allowed = 1 if param["in"] == "query" else 0
            fits = "a string, number, boolean or enum, or a list of those" if allowed else "a string, number, boolean or enum"
            if "type" not in param and "one_of" not in param and "enum" not in param:
                # The generator reads no type as any: the argument would take (and send) anything.
                yield document.problem((*path, "params", name), f"the {param['in']} parameter {name!r} has no type", f"add `type:` ({fits})", key=True)
                continue
            for key, expression in [("type", param.get("type")), *(("one_of", member) for member in param.get("one_of") or [])]:
                if expression is not None and not _sent_as_text(str(expression), allowed, models):
                    hint = f"it is sent as text: use {fits}, and send structured data in the body"
                    yield document.problem((*path, "params", name, key), f"a {param['in']} parameter cannot be of type {expression!r}", hint)


def _sent_as_text(expression: str, lists: int, models: dict[str, Any]) -> bool:
    """A scalar, or (with ``lists`` 1) a list of scalars, also through aliases (``Tags = string[]``)."""
    depth, base = expression.count("[]"), expression.replace("[]", "")
    model = models.get(base)
    if isinstance(model, dict) and "[]" in str(model.get("type", "")) and not {"properties", "enum", "one_of"} & set(model):
        return depth == 0 and _sent_as_text(str(model["type"]), lists, models)  # an alias of a list
    # A file anywhere but a multipart body: check_files says so.
    kinds = _kinds(models, base)  # a primitive (not any or map), an enum, an alias or union of them
    return base == "file" or (bool(kinds) and kinds <= _SCALAR_KINDS and depth <= lists)


def check_field_kinds(document: Document) -> Iterator[Problem]:
    """Keys of a field that only mean something together: enum and format fit the type, one_of stands alone."""
    for path, field in fields(document.data):
        if not isinstance(field, dict):
            continue
        base = str(field.get("type", "")).replace("[]", "")
        if "one_of" in field:
            for key in ("type", "enum", "format"):
                if key in field:
                    yield document.problem((*path, key), f"{key}: does not apply to a field with one_of:", f"put it on a member model, or remove {key}:", key=True)
            continue
        if "format" in field and base != "string":
            yield document.problem((*path, "format"), f"format: refines a string, and this field is {base or 'any'!r}", "set `type: string`, or remove format:", key=True)
        if "enum" in field:
            yield from _enum_values(document, path, field["enum"], base)
        yield from _limits(document, path, field, base)
    for name, model in (document.data.get("models") or {}).items():
        if isinstance(model.get("enum"), list):
            yield from _enum_values(document, ("models", name), model["enum"], "")


# Which limits fit which values. On an array written `X[]` the value limits hold for its items
# (types.py, openapi.py); min_items/max_items for the array, or for a list alias, a map or a union.
_LIMITS = {
    "min_length": ("text", {"string"}), "max_length": ("text", {"string"}), "pattern": ("text", {"string"}),
    "minimum": ("numbers", {"integer", "number"}), "maximum": ("numbers", {"integer", "number"}),
}
_COLLECTIONS = {"list", "map"}
_SCALAR_KINDS = {"string", "integer", "number", "boolean", "file"}
_KIND_WORDS = {"list": "a list", "map": "a map", "object": "an object", "date": "a date", "date-time": "a date-time"}
_BOUNDS = (("minimum", "maximum"), ("min_length", "max_length"), ("min_items", "max_items"))


def _is_number(value: object) -> TypeGuard[int | float]:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _kinds(models: dict[str, Any], expression: str, seen: frozenset[str] = frozenset()) -> set[str]:
    """What values a type expression holds: string, integer, number, boolean, list, map, object,
    file, any; through aliases, enums and unions. Empty when it cannot tell (an unknown name, a
    loop), for any member of a union too."""
    if expression.endswith("[]"):
        return {"list"}
    if expression in ("string", "integer", "number", "boolean", "any", "file"):
        return {expression}
    if expression == "map":
        return {"map"}
    model = models.get(expression)
    if not isinstance(model, dict) or expression in seen:
        return set()
    if "properties" in model:
        return {"object"}
    if "enum" in model:
        return {"string" if any(isinstance(value, str) for value in model["enum"]) else "integer"}
    members = model.get("one_of") or ([model["type"]] if "type" in model else [])
    member_kinds = [_kinds(models, str(member), seen | {expression}) for member in members]
    return set().union(*member_kinds) if member_kinds and all(member_kinds) else set()


def _limits(document: Document, path: JsonPath, field: dict[str, Any], base: str) -> Iterator[Problem]:
    """min_length on an integer, min_items on a string, minimum above maximum: no value passes."""
    models = document.data.get("models") or {}
    expression = str(field.get("type", ""))
    listed = expression.endswith("[]")
    item = expression.rstrip("[]")  # limits on the value hold for the innermost items
    kinds = set().union(*(_kinds(models, str(member)) for member in field["one_of"])) if "one_of" in field else _kinds(models, item)
    if kinds == {"string"} and field.get("format") in ("date", "date-time") and path[0] != "models":
        kinds = {field["format"]}  # an argument is a date object, not text
    subject = "this field's items are" if listed else "this field is"
    shown = " or ".join(_KIND_WORDS.get(kind, repr(kind)) for kind in sorted(kinds))
    for key, (what, fitting) in _LIMITS.items():
        if key in field and kinds and not kinds <= fitting | {"any"}:
            hint = f"remove {key}:, or put it on a field of {' or '.join(sorted(fitting))}"
            if kinds & _COLLECTIONS and not listed:
                hint = f"use min_items/max_items for the length, or put {key}: on the items where they are defined"
            yield document.problem((*path, key), f"{key}: limits {what}, and {subject} {shown}", hint, key=True)
    for key in ("min_items", "max_items"):
        if key in field and not listed and kinds and not kinds & _COLLECTIONS:
            message = f"{key}: limits an array's length, and this field is {shown}"
            yield document.problem((*path, key), message, f"remove {key}:, or make the type an array (`{item}[]`)", key=True)
    for low, high in _BOUNDS:
        least, most = field.get(low), field.get(high)
        if _is_number(least) and _is_number(most) and least > most:
            yield document.problem((*path, low), f"{low}: {least} is above {high}: {most}, so no value fits", "swap them, or fix one of them", key=True)
    enum = models.get(item, {}).get("enum") if isinstance(models.get(item), dict) else field.get("enum")
    if isinstance(enum, list) and enum:
        yield from _enum_within_limits(document, path, field, enum)


def _enum_within_limits(document: Document, path: JsonPath, field: dict[str, Any], values: list[Any]) -> Iterator[Problem]:
    """A length or range limit that every documented value breaks refuses every call."""
    def fits(value: Any) -> bool:
        if isinstance(value, str):
            return bool(field.get("min_length", 0) <= len(value) <= field.get("max_length", len(value)))
        if _is_number(value):
            return bool(field.get("minimum", value) <= value <= field.get("maximum", value))
        return True

    limited = [key for key in ("min_length", "max_length", "minimum", "maximum") if _is_number(field.get(key))]
    if limited and not any(fits(value) for value in values):
        key = limited[0]
        yield document.problem((*path, key), f"{key}: none of the values {values!r} fits within the limits", "fix the limit, or remove it", key=True)


def check_examples(document: Document) -> Iterator[Problem]:
    """An example or a default fits its field: the mock serves examples to the clients."""
    models = document.data.get("models") or {}
    for path, field in fields(document.data):
        for key in ("example", "default"):
            if not (isinstance(field, dict) and key in field):
                continue
            if problem := misfit(field[key], field, models) or outside_limits(field[key], field):
                yield document.problem((*path, key), f"{key}: {problem}", "write a value the field accepts, or remove it")


def _enum_values(document: Document, path: JsonPath, values: list[Any], base: str) -> Iterator[Problem]:
    """An enum's values are distinct, and of the field's type (string, integer or number) when it has one."""
    kinds = {"string": (str,), "integer": (int,), "number": (int,)}
    if base not in ("", "any", *kinds):
        yield document.problem((*path, "enum"), f"enum: lists strings or integers, and this field is {base!r}", "use type: string or integer with enum:, or remove enum:", key=True)
        return
    seen = set()
    for index, value in enumerate(values):
        if base in kinds and not isinstance(value, kinds[base]):
            wanted = "a string" if base == "string" else "an integer"
            yield document.problem((*path, "enum", index), f"enum value {value!r} does not fit type: {base}", f"write {wanted}, or change the field's type")
        if value in seen:
            yield document.problem((*path, "enum", index), f"{value!r} is listed twice", "remove the second one")
        seen.add(value)


def check_finite_numbers(document: Document) -> Iterator[Problem]:
    """No ``.inf``, ``.nan`` or number too large for a float: JSON, and so the OpenAPI export, has none."""
    if not _has_non_finite(document.data):
        return  # the usual case, found without building a path for every value
    todo: list[tuple[JsonPath, Any]] = [((), document.data)]
    while todo:
        path, value = todo.pop()
        if isinstance(value, float) and not math.isfinite(value):
            yield document.problem(path, f"{value} is not a number JSON can hold", "write a finite number, or leave the key out")
        elif isinstance(value, dict):
            todo.extend(((*path, key), item) for key, item in value.items())
        elif isinstance(value, list):
            todo.extend(((*path, index), item) for index, item in enumerate(value))


def _has_non_finite(data: Any) -> bool:
    todo = [data]
    while todo:
        value = todo.pop()
        if isinstance(value, dict):
            todo.extend(value.values())
        elif isinstance(value, list):
            todo.extend(value)
        elif isinstance(value, float) and not math.isfinite(value):
            return True
    return False


def check_maps(document: Document) -> Iterator[Problem]:
    """``values`` goes with ``type: map`` and nowhere else."""
    for path, _expression in type_uses(document.data):
        if path[-1] == "values":
            owner = _at(document.data, path[:-1])
            if isinstance(owner, dict) and owner.get("type") != "map":
                yield document.problem(path, "values: only applies to type: map", "set `type: map` or remove values:")


def check_bodies(document: Document) -> Iterator[Problem]:
    """A body is either properties or one type; files only travel in multipart bodies."""
    models = document.data.get("models") or {}
    for path, operation in operations(document.data):
        body = operation.get("body")
        if body is None:
            continue
        if ("properties" in body) == ("type" in body):
            found = "both" if "properties" in body else "neither"
            message = f"a body needs properties: or type: (found {found})"
            yield document.problem((*path, "body"), message, "use properties: for named fields, type: for one value", key=True)
        if "name" in body and "type" not in body:
            yield document.problem((*path, "body", "name"), "name: only applies to a body with type:", "remove name:")
        if "type" in body and body.get("encoding", "json") != "json":
            # A form or multipart body is a set of named fields; one whole value is sent as JSON.
            message = f"a {body['encoding']} body is named fields, not one value of type {body['type']!r}"
            yield document.problem((*path, "body", "encoding"), message, "list the fields under properties:, or remove encoding: to send the value as JSON")
        encoding = body.get("encoding", "json")
        for field_name, field in (body.get("properties") or {}).items():
            where = (*path, "body", "properties", field_name)
            expression = field if isinstance(field, str) else field.get("type", "")
            if str(expression).rstrip("[]") == "file" and encoding != "multipart":
                yield document.problem(where, "a file can only be sent in a multipart body", "add `encoding: multipart` to the body")
            elif encoding != "json" and not _form_field(field, models):
                # Form fields are text: an object or a map would go out as Python's repr().
                message = f"a {encoding} field cannot be of type {expression or 'any'!r}"
                hint = "use a string, number, boolean or enum, or a list of those" + (", or a file" if encoding == "multipart" else "") + "; or send the body as JSON"
                yield document.problem(where, message, hint)


def _form_field(field: Any, models: dict[str, Any]) -> bool:
    """A field a form or multipart body can carry: text, a list of text, or a file."""
    if isinstance(field, dict) and "type" not in field:
        return "enum" in field or all(_sent_as_text(str(member), 1, models) for member in field.get("one_of") or ["any"])
    return _sent_as_text(str(field if isinstance(field, str) else field["type"]), 1, models)


def check_argument_names(document: Document) -> Iterator[Problem]:
    """The arguments of one method have distinct Python names."""
    for path, operation in operations(document.data):
        seen: dict[str, str] = {}
        body = operation.get("body") or {}
        named: list[tuple[tuple[str, ...], str, Any]] = [(("params", wire), wire, spec) for wire, spec in (operation.get("params") or {}).items()]
        named += [(("body", "properties", wire), wire, spec) for wire, spec in (body.get("properties") or {}).items()]
        if "type" in body:
            named.append((("body",), body.get("name", "body"), {}))
        for where, wire, spec in named:
            explicit = spec.get("python_name") if isinstance(spec, dict) else None
            python = explicit or naming.argument_name(wire)
            if python in seen:
                yield document.problem((*path, *where), f"argument name {python!r} is used twice (also by {seen[python]!r})", "set python_name: on one of them", key=True)
            seen[python] = wire


def check_field_names(document: Document) -> Iterator[Problem]:
    """The fields of one model have distinct Python names."""
    for model_name, model in (document.data.get("models") or {}).items():
        seen: dict[str, str] = {}
        for wire, spec in (model.get("properties") or {}).items():
            explicit = spec.get("python_name") if isinstance(spec, dict) else None
            python = explicit or naming.attribute_name(wire)
            if python in seen:
                where = ("models", model_name, "properties", wire)
                yield document.problem(where, f"attribute name {python!r} is used twice (also by {seen[python]!r})", "set python_name: on one of them", key=True)
            seen[python] = wire


def check_reserved_names(document: Document) -> Iterator[Problem]:
    """Model and resource names do not collide with what the generated package defines."""
    models = document.data.get("models") or {}
    for name in models:
        if name in naming.RESERVED_MODELS or name in (document.data["client"], naming.async_class_name(document.data["client"])):
            yield document.problem(("models", name), f"model name {name!r} is taken by the generated code", "rename the model", key=True)
        elif (owner := name.removesuffix("Param")) in models and naming.param_name(owner) == name and "enum" not in models[owner]:
            what = f"is taken by the TypedDict of model {owner!r} (the dict an argument may pass instead of a {owner})"
            yield document.problem(("models", name), f"model name {name!r} {what}", "rename the model", key=True)
    for name, resource in document.data["resources"].items():
        if name in naming.RESERVED_RESOURCES:
            yield document.problem(("resources", name), f"resource name {name!r} is taken by the client itself", "rename the resource", key=True)
        taken = naming.RESERVED_OPERATIONS | (naming.ANNOTATION_MODULES & _annotation_modules(resource))
        for verb in resource["operations"]:
            if verb in taken:
                where = ("resources", name, "operations", verb)
                what = "is taken by the resource class itself" if verb == "with_raw_response" else "would hide a name the resource class's annotations or decorators use"
                yield document.problem(where, f"operation name {verb!r} {what}", "rename the operation", key=True)


def _annotation_modules(resource: dict[str, Any]) -> set[str]:
    """Which of ``datetime`` and ``builtins`` a resource's annotations name: a date argument
    (``datetime.date``), a list argument or a list result (``builtins.list``)."""
    used: set[str] = set()
    for operation in resource["operations"].values():
        body = operation.get("body") or {}
        specs = [*(operation.get("params") or {}).values(), *(body.get("properties") or {}).values(), body.get("type")]
        for spec in specs:
            field = spec if isinstance(spec, dict) else {"type": spec}
            if field.get("format") in ("date", "date-time"):
                used.add("datetime")
            if "[]" in str(field.get("type", "")) or any("[]" in str(member) for member in field.get("one_of") or []):
                used.add("builtins")
        response = operation.get("response")
        returned = response if isinstance(response, str) else (response or {}).get("type", "")
        if "[]" in str(returned) and not operation.get("paginate"):
            used.add("builtins")
    return used


def check_class_names(document: Document) -> Iterator[Problem]:
    """The classes a resource becomes are distinct from every other class of the package.

    Each resource is four classes (``Flags``, ``AsyncFlags`` and their ``WithRawResponse``
    views), imported next to the client classes and the models: ``feature_flags`` and
    ``feature__flags``, or a resource ``t`` of a client ``T``, would overwrite one another.
    """
    client = document.data["client"]
    exports = {*naming.RUNTIME_EXPORTS, *naming.BASE_EXCEPTIONS, *(name for name, _status, _text in naming.EXCEPTION_TREE)}
    for name in (client, naming.async_class_name(client)):
        if name in naming.CLIENT_MODULE_NAMES:
            yield document.problem(("client",), f"client class {name!r} would replace a name _client.py imports", "rename the client")
        elif name in exports:
            yield document.problem(("client",), f"client class {name!r} is a name the package already exports", "rename the client")
    taken = {client: "the client class", naming.async_class_name(client): "the async client class"}
    taken.update({name: "a name _client.py imports" for name in naming.CLIENT_MODULE_NAMES})
    models = document.data.get("models") or {}
    taken.update({model: "a model name" for model in models})
    for name in document.data["resources"]:
        sync = naming.resource_class_name(name, models)
        classes = [sync, naming.async_class_name(sync)]
        classes += [f"{class_name}WithRawResponse" for class_name in classes]
        clash = next((class_name for class_name in classes if class_name in taken), None)
        if clash is not None:
            message = f"resource {name!r} becomes class {clash}, which is also {taken[clash]}"
            yield document.problem(("resources", name), message, "rename the resource" + (" or the model" if taken[clash] == "a model name" else ""), key=True)
        taken.update({class_name: f"a class of resource {name!r}" for class_name in classes})


def _at(data: Any, path: JsonPath) -> Any:
    for part in path:
        data = data[part]
    return data


RULES: tuple[Callable[[Document], Iterator[Problem]], ...] = (
    check_type_references,
    check_path_parameters,
    check_path_templates,
    check_routes,
    check_responses,
    check_header_names,
    check_servers,
    check_credentials,
    check_query_credentials,
    check_operation_auth,
    check_pagination,
    check_files,
    check_patterns,
    check_package_name,
    check_python_names,
    check_model_kinds,
    check_alias_cycles,
    check_endless_models,
    check_parameter_types,
    check_field_kinds,
    check_examples,
    check_finite_numbers,
    check_maps,
    check_bodies,
    check_argument_names,
    check_field_names,
    check_reserved_names,
    check_class_names,
)
