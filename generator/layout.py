"""Long generated lines split the way black splits them, so that black finds nothing to change.

black formats a module twice whenever its first pass changes anything (the
second pass settles the trailing commas the first one added), so a module
rendered in black's own layout costs it half. Templates write each statement on
one line inside ``{% filter layout %}`` (a def's parameters, one a line, inside
``{% filter parameters %}``); every line that is too long comes out split here.
black still formats every file afterwards and has the final say.

The model is black's right-hand split, for the shapes the templates emit:

- a line that fits in the line length at its indent stays as it is;
- otherwise it is split at its last bracket pair: ``head(`` / body / ``)``;
- the body stays on one line, one indent deeper, if it fits and it is the
  arguments of a call or a single item (black always explodes a literal
  ``{...}`` or ``[...]`` of two items or more);
- otherwise the body has one item per line, each followed by a comma, and each
  item that is still too long is split the same way at its own last bracket;
- a union inside brackets (``Sequence[A | B]``) stays on one line: black would split
  it at its ``|`` before any bracket, so a line that needs that is left to black;
- a ``from m import a, b`` that does not fit has one name per line, in parentheses;
- a parameter whose annotation is a union that does not fit has the union in
  parentheses: on one line if it fits, else one operand per line, ``|`` first.

A line outside that model (operators, comprehensions, a subscript or tuple to
split, a trailing comma, an empty pair of brackets to split, a head that would
not fit, wide characters) is returned unchanged, for black to split as it
always did: these helpers may save black work, never change what it produces.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from generator.format import LINE_LENGTH

_INDENT = 4
_MATCHING = {"(": ")", "[": "]", "{": "}"}
# Outside string literals, a line in the model holds names, numbers, attribute
# access, `=` (keyword arguments, one assignment), `: ` (annotations, dict
# items), spaces and brackets; any other character may be a delimiter that
# black splits at before it considers brackets.
_PLAIN = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.:= ")
_KEYWORD_DELIMITERS = frozenset({"and", "or", "not", "in", "is", "if", "else", "for", "async", "lambda"})


class _Unsupported(Exception):
    """A line outside the model: it is left for black."""


@dataclass(frozen=True)
class _Group:
    """A bracket pair and the comma-separated items inside it."""

    opening: str
    items: tuple[_Item, ...]
    literal: bool  # a display like {"a": a} or [a, b], not the brackets of a call or subscript

    @property
    def closing(self) -> str:
        """The bracket that closes this one."""
        return _MATCHING[self.opening]


# One item between commas (or a whole statement): runs of plain text and bracket groups.
_Item = tuple["str | _Group", ...]


def layout(text: str) -> str:
    """``text`` with each line that is longer than black allows split as black would split it."""
    return "".join(_layout_line(line, _statement) for line in text.splitlines(keepends=True))


def parameters(text: str) -> str:
    """Parameters of a def, one a line, with each line that is too long split as black would split it."""
    return "".join(_layout_line(line, _parameter) for line in text.splitlines(keepends=True))


def _layout_line(line: str, split: Callable[[str, int], list[str]]) -> str:
    """One line of a template's output: unchanged if it fits or is outside the model, else split."""
    code = line.rstrip("\n")
    # black measures display width, not length; for ASCII the two agree.
    if _fits(0, code) or not code.isascii():
        return line
    statement = code.lstrip(" ")
    try:
        lines = split(statement, len(code) - len(statement))
    except _Unsupported:
        return line
    return "\n".join(lines) + line[len(code) :]


def _statement(statement: str, indent: int) -> list[str]:
    """The lines of a statement that does not fit at ``indent``."""
    if statement.startswith("from ") and " import " in statement:
        return _layout_import(statement, indent)
    if field := _union_field(statement):
        return _split(field, indent, "", in_brackets=False)
    item, ends_with_comma = _parse(statement)
    # A line that ends with a comma is an item inside brackets the template opened.
    return _split(item, indent, "," if ends_with_comma else "", in_brackets=ends_with_comma)


def _union_field(statement: str) -> _Item | None:
    """``name: A | None = Field(...)``, a model's field: black splits it at ``Field(`` as any
    other statement, since a top-level line has no delimiters to split at first; the ``|``
    of the annotation, which stops ``_parse``, is text of the head here."""
    match = re.fullmatch(r"(\w+): (.+)", statement)
    if not match:
        return None
    parts = _top_level_split(match.group(2), " = ")
    if len(parts) != 2 or " | " not in parts[0] or not parts[1].startswith("Field("):
        return None
    (call, *arguments), _ = _parse(parts[1])
    return (f"{match.group(1)}: {parts[0]} = {call}", *arguments)


def _parameter(parameter: str, indent: int) -> list[str]:
    """``name: annotation[ = default],``: black splits the annotation, in parentheses if it is a union."""
    match = re.fullmatch(r"(\w+): (.+?)(?: = ([\w.]+))?,", parameter)
    if not match:
        raise _Unsupported("not a parameter")
    name, annotation, default = match.groups()
    operands = _top_level_split(annotation, " | ")
    if len(operands) == 1:
        if default:
            raise _Unsupported("black splits the annotation and keeps ' = default' after it")
        item, _ = _parse(annotation)
        return _split((f"{name}: ", *item), indent, ",", in_brackets=True)
    # black wraps a union that does not fit in parentheses, and splits it before each `|` if need be.
    inner = indent + _INDENT
    if _fits(inner, annotation):
        body = [" " * inner + annotation]
    else:
        body = []
        for index, operand in enumerate(operands):
            item, _ = _parse(operand)
            body += _split(("| ", *item) if index else item, inner, "", in_brackets=True)
    tail = f") = {default}," if default else "),"
    return [f"{' ' * indent}{name}: (", *body, " " * indent + tail]


def _layout_import(statement: str, indent: int) -> list[str]:
    """``from m import a, b`` that does not fit: black explodes it, one name per line, even a single name."""
    module, _, names = statement.partition(" import ")
    if "(" in names or "#" in names:
        raise _Unsupported("an import already in parentheses, or with a comment")
    names_lines = [f"{' ' * (indent + _INDENT)}{name.strip()}," for name in names.split(",")]
    return [f"{' ' * indent}{module} import (", *names_lines, " " * indent + ")"]


def _fits(indent: int, text: str) -> bool:
    """Whether ``text`` fits in black's line length at ``indent``."""
    return indent + len(text) <= LINE_LENGTH


def _split(item: _Item, indent: int, suffix: str, in_brackets: bool) -> list[str]:
    """The lines of a statement, or of an item inside brackets followed by ``suffix``."""
    flat = _flat(item) + suffix
    if _fits(indent, flat):
        return [" " * indent + flat]
    if in_brackets and not any(isinstance(piece, _Group) for piece in item):
        return [" " * indent + flat]  # a long name or string: black cannot split it either
    *head_pieces, group = item
    if not isinstance(group, _Group):
        raise _Unsupported("text after the last bracket")
    head = _flat(tuple(head_pieces)) + group.opening
    if not group.items or not _fits(indent, head):
        raise _Unsupported("nothing to split, or a head that does not fit: black looks elsewhere")
    if group.opening == "(" and group.literal:
        raise _Unsupported("black may remove parentheses, or keep a tuple's comma")
    if group.opening == "[" and not group.literal and not in_brackets:
        raise _Unsupported("black may rather wrap a statement that ends in a subscript in parentheses")
    inner = indent + _INDENT
    body = ", ".join(_flat(part) for part in group.items)
    if (len(group.items) == 1 or not group.literal) and _fits(inner, body):
        lines = [" " * inner + body]
    elif len(group.items) == 1:
        lines = _split_item(group.items[0], inner, "")  # no comma after a lone item
    else:
        lines = [line for part in group.items for line in _split_item(part, inner, ",")]
    return [" " * indent + head, *lines, " " * indent + group.closing + suffix]


def _split_item(item: _Item, indent: int, suffix: str) -> list[str]:
    """An item inside brackets, on its own lines: split at its last bracket, unless it is a union."""
    flat = _flat(item)
    if not _fits(indent, flat + suffix) and len(_top_level_split(flat, " | ")) > 1:
        raise _Unsupported("black splits a union at its | before any bracket")
    return _split(item, indent, suffix, in_brackets=True)


def _flat(item: _Item) -> str:
    """An item on one line, spaced as black spaces it."""
    return "".join(piece if isinstance(piece, str) else _flat_group(piece) for piece in item)


def _flat_group(group: _Group) -> str:
    """A bracket group on one line, spaced as black spaces it."""
    return group.opening + ", ".join(_flat(part) for part in group.items) + group.closing


def _parse(statement: str) -> tuple[_Item, bool]:
    """A one-line statement as text and bracket groups; True if it ends with a comma (an item)."""
    items, trailing_comma, end = _items(statement, 0)
    if end != len(statement) or len(items) != 1:
        raise _Unsupported("an unmatched bracket, or a tuple")
    text = "".join(piece for piece in items[0] if isinstance(piece, str))
    if len(re.findall(r"(?<![=!<>:])=(?!=)", text)) > 1:
        raise _Unsupported("a chained assignment")
    return items[0], trailing_comma


def _items(text: str, index: int, nested: bool = False) -> tuple[list[_Item], bool, int]:
    """The comma-separated items from ``index`` to an unmatched closing bracket or the end.

    Also whether the last item is followed by a comma, and the index where the items end.
    """
    items: list[_Item] = []
    while True:
        item, index = _item(text, index, nested)
        at_end = index == len(text) or text[index] in ")]}"
        if not item and at_end:
            return items, bool(items), index
        if not item:
            raise _Unsupported("an empty item")
        items.append(item)
        if at_end:
            return items, False, index
        index += 1  # the comma


def _item(text: str, index: int, nested: bool) -> tuple[_Item, int]:
    """One item from ``index`` up to the next comma or closing bracket at this depth.

    Inside brackets it may be a union (``A | B``): ``_split_item`` keeps it on one line.
    """
    pieces: list[str | _Group] = []
    code: list[str] = []  # the item's text outside string literals, to look for delimiters
    start = index
    while index < len(text) and text[index] not in ",)]}":
        char = text[index]
        if char in "\"'":
            index = _string_end(text, index)
        elif char in _MATCHING:
            pieces.append(text[start:index])
            group, index = _group(text, index)
            pieces.append(group)
            start = index
            if text.startswith(".", index):
                raise _Unsupported("a method chain: black splits at its dots")
        elif char in _PLAIN or (nested and char == "|"):
            code.append(char)
            index += 1
        else:
            raise _Unsupported(f"{char!r} may be a delimiter")
    pieces.append(text[start:index])
    plain = "".join(code)
    if set(re.findall(r"\w+", plain)) & _KEYWORD_DELIMITERS or "==" in plain or ":=" in plain:
        raise _Unsupported("a comparison, condition or comprehension")
    return _stripped(pieces), index


def _group(text: str, index: int) -> tuple[_Group, int]:
    """The bracket group opening at ``index``, and the index after its closing bracket."""
    opening = text[index]
    before = text[index - 1] if index else " "
    literal = opening == "{" or not (before.isalnum() or before in "_)]\"'")
    items, trailing_comma, end = _items(text, index + 1, nested=True)
    if end == len(text) or text[end] != _MATCHING[opening]:
        raise _Unsupported("unbalanced brackets")
    if trailing_comma:
        raise _Unsupported("a magic trailing comma")
    return _Group(opening, tuple(items), literal), end + 1


def _string_end(text: str, index: int) -> int:
    """The index after the string literal whose opening quote is at ``index``."""
    quote = text[index]
    if text.startswith(quote * 3, index):
        raise _Unsupported("a triple-quoted string")
    end = index + 1
    while end < len(text) and text[end] != quote:
        end += 2 if text[end] == "\\" else 1
    if end >= len(text):
        raise _Unsupported("an unterminated string")
    if re.match(r" *[a-zA-Z]{0,2}[\"']", text[end + 1 :]):
        raise _Unsupported("implicitly concatenated strings: black splits between them")
    return end + 1


def _stripped(pieces: list[str | _Group]) -> _Item:
    """Pieces without the spaces at the item's edges, and without empty text."""
    if isinstance(pieces[0], str):
        pieces[0] = pieces[0].lstrip(" ")
    if isinstance(pieces[-1], str):
        pieces[-1] = pieces[-1].rstrip(" ")
    return tuple(piece for piece in pieces if piece != "")


def _top_level_split(text: str, separator: str) -> list[str]:
    """``text`` split at each ``separator`` outside brackets and string literals."""
    parts: list[str] = []
    depth = start = index = 0
    while index < len(text):
        char = text[index]
        if char in "\"'":
            index = _string_end(text, index)
            continue
        depth += (char in "([{") - (char in ")]}")
        if depth == 0 and text.startswith(separator, index):
            parts.append(text[start:index])
            start = index = index + len(separator)
            continue
        index += 1
    return [*parts, text[start:]]
