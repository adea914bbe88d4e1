"""Warnings about a valid spec: things that work but make a worse client. ``--strict`` fails on them.

Each warning names its rule (``warning[naming-style]``). Where the API really is
like that, ``# sdkforge: ignore[naming-style]`` at the end of the line the
warning points at silences it; a comment that silences nothing is a warning too,
so that none outlives the reason for it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import replace
from typing import Any

from generator.checks import fields, operations, type_uses
from generator.errors import Problem
from generator.load import Document
from generator.shapes import documented_status, error_code_statuses

_CAMEL = re.compile(r"[a-z0-9][A-Z]")
_SNAKE = re.compile(r"[a-z0-9]_[a-z0-9]")


def lint(document: Document) -> list[Problem]:
    """Every warning for a spec that already validates and checks, less those silenced."""
    found = [replace(problem, severity="warning", rule=name) for name, rule in LINT_RULES.items() for problem in rule(document)]
    kept = [problem for problem in found if not _silenced(document, problem)]
    return sorted(kept + list(_useless_ignores(document, found)))


def _silenced(document: Document, problem: Problem) -> bool:
    comment = document.ignores.get(problem.line)
    return comment is not None and problem.rule in comment.rules


def _useless_ignores(document: Document, found: list[Problem]) -> Iterator[Problem]:
    """An ignore comment naming no rule, an unknown rule, or a rule that warns about nothing on its line."""
    raised = {(problem.line, problem.rule) for problem in found}
    for line, comment in sorted(document.ignores.items()):
        if not comment.rules:
            message, hint = "the ignore comment names no rule", f"name the rule it ignores ({', '.join(LINT_RULES)}), or remove it"
            yield Problem(document.file, line, comment.column, "", message, hint, "warning", "unused-ignore")
        for rule in comment.rules:
            if rule not in LINT_RULES:
                message, hint = f"no lint rule is called {rule!r}", f"the rules are {', '.join(LINT_RULES)}"
            elif (line, rule) not in raised:
                message, hint = f"nothing on this line to ignore for {rule!r}", "remove the comment, or move it to the line the warning points at"
            else:
                continue
            yield Problem(document.file, line, comment.column, "", message, hint, "warning", "unused-ignore")


def lint_missing_summary(document: Document) -> Iterator[Problem]:
    """Every operation has a summary: it is the first line of the method's docstring."""
    for path, operation in operations(document.data):
        if not str(operation.get("summary", "")).strip():
            yield document.problem(path, "operation has no summary", "add `summary:` with one line saying what it does", key=True)


def lint_unused_models(document: Document) -> Iterator[Problem]:
    """Every model is used by an operation or by another model."""
    used = {expression.replace("[]", "") for path, expression in type_uses(document.data) if not _self_reference(path, expression)}
    for name in document.data.get("models") or {}:
        if name not in used:
            yield document.problem(("models", name), f"model {name!r} is never used", "remove it, or use it in a response, body or field", key=True)


def _self_reference(path: tuple[Any, ...], expression: str) -> bool:
    """A model that only refers to itself (a tree node) is still unused."""
    return path[:1] == ("models",) and path[1] == expression.replace("[]", "")


def lint_naming_style(document: Document) -> Iterator[Problem]:
    """One object's wire names do not mix camelCase and snake_case (a sign of a typo)."""
    for model_name, model in (document.data.get("models") or {}).items():
        yield from _mixed(document, ("models", model_name, "properties"), list(model.get("properties") or {}))
    for path, operation in operations(document.data):
        # Path placeholders are the spec's own names, never sent: only query and body names count.
        names = [name for name, param in (operation.get("params") or {}).items() if param["in"] == "query"]
        names += list((operation.get("body") or {}).get("properties") or {})
        yield from _mixed(document, path, names)


def _mixed(document: Document, path: tuple[Any, ...], names: list[str]) -> Iterator[Problem]:
    camel = [name for name in names if _CAMEL.search(name)]
    snake = [name for name in names if _SNAKE.search(name)]
    if camel and snake:
        message = f"names mix camelCase ({camel[0]}) and snake_case ({snake[0]})"
        yield document.problem(path, message, "check the API's documentation; write each name exactly as on the wire", key=True)


def lint_list_without_pagination(document: Document) -> Iterator[Problem]:
    """Where the API pages, a GET list that returns an array probably should too."""
    pagination = document.data.get("pagination")
    if not pagination:
        return
    for path, operation in operations(document.data):
        response = operation.get("response")
        expression = response if isinstance(response, str) else (response or {}).get("type", "")
        paging = {pagination.get(key) for key in ("page_param", "size_param", "cursor_param")} - {None}
        takes_paging = bool(paging & set(operation.get("params") or {}))
        is_list = (path[-1] == "list" or takes_paging) and operation["method"] == "GET" and str(expression).endswith("[]")
        if is_list and not operation.get("paginate"):
            yield document.problem(path, "a list operation without pagination, in an API that paginates", "add `paginate: true` (and make response the item type) if it pages", key=True)


def lint_undeclared_page_size(document: Document) -> Iterator[Problem]:
    """A paginated operation declares the page-size parameter, or callers cannot choose the size."""
    size = (document.data.get("pagination") or {}).get("size_param")
    if not size:
        return
    for path, operation in operations(document.data):
        if operation.get("paginate") and size not in (operation.get("params") or {}):
            message = f"a paginated operation without {size!r} in params: callers cannot choose the page size"
            hint = f"declare it, e.g. `{size}: {{in: query, type: integer, minimum: 1}}`, if the operation takes it"
            yield document.problem(path, message, hint, key=True)


def lint_undocumented_error_codes(document: Document) -> Iterator[Problem]:
    """An operation's ``errors:`` key is a status or a code of errors.codes, which gives the exception raised."""
    statuses = error_code_statuses(document.data)
    for path, operation in operations(document.data):
        for key in operation.get("errors") or {}:
            if documented_status(str(key), statuses) is None:
                message = f"error code {key!r} is neither an error status nor in errors.codes, so its docstring cannot name the exception raised"
                hint = "add it under errors.codes with the status it comes with, or write the status (404) instead"
                yield document.problem((*path, "errors", key), message, hint, key=True)


# Regular-expression syntax Python's re has and ECMA-262, the dialect OpenAPI and JSON Schema
# name, has not (or reads otherwise): what each means, and what writes it in both.
_PYTHON_ONLY_REGEX = (
    (re.compile(r"\(\?P<"), "(?P<name>...), a named group", "an unnamed group, (...): a check does not need the name"),
    (re.compile(r"\(\?P="), "(?P=name), a back-reference by name", "a numbered back-reference, \\1"),
    (re.compile(r"\(\?#"), "(?#...), a comment", "remove the comment"),
    (re.compile(r"\(\?[aiLmsux]+[):]"), "an inline flag such as (?i)", "spell the cases out, [Aa], or drop the flag"),
    (re.compile(r"(?<!\\)(?:\\\\)*\\A"), "\\A, the start of the text", "^"),
    (re.compile(r"(?<!\\)(?:\\\\)*\\Z"), "\\Z, the end of the text", "$"),
)


def lint_python_only_patterns(document: Document) -> Iterator[Problem]:
    """A ``pattern:`` uses only syntax that Python and ECMA-262 read alike.

    The clients check patterns with Python (pydantic), and the OpenAPI export hands them
    to tools that read ECMA-262, where these are errors or mean something else."""
    for path, field in fields(document.data):
        pattern = field.get("pattern") if isinstance(field, dict) else None
        if not isinstance(pattern, str):
            continue
        for syntax, what, instead in _PYTHON_ONLY_REGEX:
            if syntax.search(pattern):
                message = f"pattern uses {what}, which only Python reads: the OpenAPI export's readers expect ECMA-262"
                yield document.problem((*path, "pattern"), message, f"write {instead}")
                break


# The name a warning shows and an ignore comment uses -> the rule.
LINT_RULES: dict[str, Callable[[Document], Iterator[Problem]]] = {
    "missing-summary": lint_missing_summary,
    "unused-model": lint_unused_models,
    "naming-style": lint_naming_style,
    "list-without-pagination": lint_list_without_pagination,
    "undocumented-error-code": lint_undocumented_error_codes,
    "undeclared-page-size": lint_undeclared_page_size,
    "python-only-pattern": lint_python_only_patterns,
}
