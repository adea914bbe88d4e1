"""The parser's events -> plain data, with the position of every key and value.

Events, not the composer's tree of nodes: composing recurses once per level of
nesting, in C with libyaml, where a file nested deep enough crashes the
interpreter. load.py decides which parser runs and turns YAML's own errors into
problems; what this module refuses (anchors, custom tags, duplicate keys, a second
document, nesting past MAX_DEPTH) it reports as problems itself.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import yaml

from generator.errors import Problem

JsonPath = tuple[str | int, ...]
Span = tuple[tuple[int, int], tuple[int, int]]

# Deeper nesting is refused: no spec needs it, and every stage after load walks the data recursively.
MAX_DEPTH = 100

# Tags the safe resolver assigns to plain YAML; anything else was written by hand.
_PLAIN_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:timestamp",
    "tag:yaml.org,2002:seq",
    "tag:yaml.org,2002:map",
}


@dataclass(frozen=True)
class Position:
    """A 1-based line and column in the spec file."""

    line: int
    column: int


def dotted(path: JsonPath) -> str:
    """``("resources", "forms", "operations", "list")`` -> ``resources.forms.operations.list``."""
    return "".join(f"[{part}]" if isinstance(part, int) else f".{part}" for part in path).lstrip(".")


_SECOND_DOCUMENT = "a second YAML document starts here: a spec must be a single document"
_SECOND_DOCUMENT_HINT = "remove this `---` and what follows it, or move that to a spec file of its own"



# The open mapping's next node is a key; or the key just read was refused, so its value is skipped.
_KEY = ("<key>",)
_SKIPPED_KEY = ("<skipped key>",)


class _Open:
    """A collection being read: its container (None when it is read but not kept), its
    path, and in a mapping what comes next: a key, the value for a path, or (None) a
    value that is not kept."""

    __slots__ = ("container", "next", "path")

    def __init__(self, container: dict[str, Any] | list[Any] | None, path: JsonPath) -> None:
        self.container: Any = container
        self.path = path
        self.next: JsonPath | None = _KEY


class TreeBuilder:
    """Turns the parser's events into plain data, recording positions.

    Events, not the composer's tree of nodes: composing recurses once per level of
    nesting, in C with libyaml, where a file nested deep enough crashes the interpreter.
    Here the open collections are a list, and nesting stops at MAX_DEPTH levels,
    since every later stage walks the data recursively."""

    def __init__(self, name: str, *, strings: bool = False) -> None:
        self.name = name
        self.root: Any = None
        # Where the quoted and block strings are, when asked for.
        self.strings: list[Span] = []
        self._strings_wanted = strings
        self.documents = 0
        self.values: dict[JsonPath, Position] = {}
        self.keys: dict[JsonPath, Position] = {}
        # The text of numbers and booleans written otherwise than Python prints them (`yes`, `1.10`).
        self.written: dict[JsonPath, str] = {}
        self.problems: list[Problem] = []
        self._open: list[_Open] = []
        self._anchors: list[tuple[Any, JsonPath]] = []  # the events that set one, and where
        self._aliased: set[str | None] = set()

    def build(self, events: Iterator[Any]) -> TreeBuilder:
        """Read every event, or up to the first one that makes reading on pointless."""
        for event in events:
            kind = type(event)
            if kind is yaml.ScalarEvent:
                self._scalar(event)
            elif kind is yaml.MappingStartEvent or kind is yaml.SequenceStartEvent:
                if not self._start(event, {} if kind is yaml.MappingStartEvent else []):
                    break
            elif kind is yaml.MappingEndEvent or kind is yaml.SequenceEndEvent:
                self._attach(self._open.pop().container)
            elif kind is yaml.AliasEvent:
                self._alias(event)
            elif kind is yaml.DocumentStartEvent:
                self.documents += 1
                if self.documents > 1:
                    self._fail(event, (), _SECOND_DOCUMENT, _SECOND_DOCUMENT_HINT)
                    break
        self._refuse_anchors()
        return self

    def _note_anchor(self, event: Any, path: JsonPath | None) -> None:
        if event.anchor is not None and path is not None:
            self._anchors.append((event, self._open[-1].path if path is _KEY else path))

    def _refuse_anchors(self) -> None:
        """An anchor is refused like an alias; one that an alias uses is reported there only."""
        for event, path in self._anchors:
            if event.anchor not in self._aliased:
                self._fail(event, path, f"YAML anchors are not allowed (&{event.anchor})", "remove it: a spec writes every value out")

    def _next_path(self) -> JsonPath | None:
        """Where the node that starts now goes: a path, _KEY, or None when it is not kept."""
        if not self._open:
            return ()
        parent = self._open[-1]
        if parent.container is None:
            return None
        if type(parent.container) is list:
            return (*parent.path, len(parent.container))
        return parent.next

    def _attach(self, value: Any) -> None:
        """A node is complete: put it where it goes."""
        if not self._open:
            self.root = value
            return
        parent = self._open[-1]
        container = parent.container
        if type(container) is list:
            container.append(value)
        elif container is not None:
            if parent.next is _SKIPPED_KEY:
                parent.next = None  # a refused key's value is skipped
                return
            if parent.next is not None:
                container[parent.next[-1]] = value
            parent.next = _KEY

    def _scalar(self, event: yaml.ScalarEvent) -> None:
        if event.style and self._strings_wanted:
            self.strings.append(_span(event))
        path = self._next_path()
        self._note_anchor(event, path)
        if path is _KEY:
            self._key(event, self._open[-1])
            return
        if path is None:
            self._attach(None)
            return
        self.values[path] = _position(event)
        tag = _scalar_tag(event)
        if tag == _STR and event.style != '"':  # most scalars: plain text, nothing to check
            self._attach(event.value)
            return
        if tag not in _PLAIN_TAGS:
            self._fail(event, path, f"custom tag {tag!r} is not allowed", "remove the tag; specs are plain YAML")
            self._attach(None)
            return
        misread = _misread(tag, event)
        if misread:
            self._fail(event, path, *misread)
            self._attach(None)
            return
        value = _scalar_value(tag, event)
        if tag != _STR and tag != _TIMESTAMP and tag != _NULL and _canonical(value) != event.value:
            self.written[path] = event.value  # `yes`, `1.10`: hints quote what was written, not True or 1.1
        self._attach(value)

    def _key(self, event: yaml.ScalarEvent, mapping: _Open) -> None:
        tag = _scalar_tag(event)
        mapping.next = None  # unless the key is accepted
        if tag == "tag:yaml.org,2002:merge":
            self._fail(event, mapping.path, "merge keys (<<) are not allowed", "write the keys out")
            return
        key: str = event.value
        if tag not in _PLAIN_TAGS:
            refused: tuple[str, str] | None = ("keys must be plain strings", "quote the key")
        elif tag == _STR or tag == _TIMESTAMP:
            refused = _misread(tag, event)
        else:  # a status code such as 200 is a key; `on`, `~`, `1.0`, `0x1F` and `0755` are not what they look like
            value = _scalar_value(tag, event)
            refused = None if type(value) is int and str(value) == key else _not_a_string_key(value, key)
        if refused:
            self._fail(event, mapping.path, *refused)
            return
        path = (*mapping.path, key)
        if key in mapping.container:
            first = self.keys[path]
            self._fail(event, path, f"duplicate key {key!r} (first written at line {first.line})", "remove one of them")
            return
        self.keys[path] = _position(event)
        mapping.next = path

    def _start(self, event: yaml.CollectionStartEvent, container: dict[str, Any] | list[Any]) -> bool:
        """Open a collection; False when it is nested too deep to read on."""
        path = self._next_path()
        self._note_anchor(event, path)
        if len(self._open) >= MAX_DEPTH:
            self._fail(event, (), f"YAML nested more than {MAX_DEPTH} levels deep", "flatten it: shorten a deep example, or name an inner shape as a model")
            return False
        if path is _KEY:
            self._fail(event, self._open[-1].path, "keys must be plain strings", "quote the key")
            self._open[-1].next = _SKIPPED_KEY
            path = None
        elif path is not None:
            self.values[path] = _position(event)
            tag = event.tag
            if tag is not None and tag != "!" and tag not in _PLAIN_TAGS:
                self._fail(event, path, f"custom tag {tag!r} is not allowed", "remove the tag; specs are plain YAML")
                path = None
        self._open.append(_Open(container, path) if path is not None else _Open(None, ()))
        return True

    def _alias(self, event: yaml.AliasEvent) -> None:
        self._aliased.add(event.anchor)
        path = self._next_path()
        message, hint = "YAML aliases are not allowed", "write the value out, or name it as a model and refer to it"
        if path is _KEY:
            self._fail(event, self._open[-1].path, message, hint)
            self._open[-1].next = None
            return
        if path is not None:
            self.values[path] = _position(event)
            # Point at the key that uses the alias, when there is one.
            position = self.keys.get(path) or _position(event)
            self.problems.append(Problem(self.name, position.line, position.column, dotted(path), message, hint))
        self._attach(None)

    def _fail(self, event: Any, path: JsonPath, message: str, hint: str) -> None:
        position = _position(event)
        self.problems.append(Problem(self.name, position.line, position.column, dotted(path), message, hint))


def _position(event: Any) -> Position:
    return Position(event.start_mark.line + 1, event.start_mark.column + 1)


def _span(event: Any) -> Span:
    """From where to where a quoted or block string is written (0-based lines and columns)."""
    start, end = event.start_mark, event.end_mark
    if event.style in "|>":  # the text starts on the next line; the line of `|` can end in a comment
        return (start.line + 1, 0), (end.line, end.column)
    return (start.line, start.column), (end.line, end.column)


def _scalar_tag(event: Any) -> str:
    """The tag written, or the one YAML's rules give the text (int for ``1``, ...)."""
    tag: str = event.tag
    if tag is None or tag == "!":
        tag = _RESOLVER.resolve(yaml.ScalarNode, event.value, event.implicit)
    return tag


def _scalar_value(tag: str, event: Any) -> Any:
    if tag == _STR or tag == _TIMESTAMP:
        return event.value  # keep dates as the text written; the schema expects strings
    node = yaml.ScalarNode(tag, event.value, event.start_mark, event.end_mark, event.style)
    return _SCALARS.yaml_constructors[tag](_SCALARS, node)


_RESOLVER: Any = yaml.resolver.Resolver()
_SCALARS = yaml.constructor.SafeConstructor()


_STR = "tag:yaml.org,2002:str"
_TIMESTAMP = "tag:yaml.org,2002:timestamp"
_NULL = "tag:yaml.org,2002:null"
_INT = "tag:yaml.org,2002:int"
_FLOAT = "tag:yaml.org,2002:float"
# A UTF-16 surrogate pair, or half of one: what a JSON-style "\ud83d\ude00" escape gives.
_SURROGATES = re.compile("[\ud800-\udbff][\udc00-\udfff]|[\ud800-\udfff]")


def _misread(tag: str, event: Any) -> tuple[str, str] | None:
    """A scalar whose value is not what its author can have meant: message and hint, or None.

    YAML 1.1 (which PyYAML follows) reads ``10:30`` as 630 in base 60 and ``0755`` as the
    octal 493, where YAML 1.2 and every reader of the spec see text or 755: neither is
    guessed, the author says which. Escapes in double quotes can make a surrogate,
    which is not a character: Python can hold it, but no file or terminal can."""
    if tag == _STR:
        if event.style == '"':
            return _surrogate(event.value)
        return None
    if tag != _INT and tag != _FLOAT:
        return None
    text: str = event.value
    if ":" in text:
        value = _SCALARS.yaml_constructors[tag](_SCALARS, yaml.ScalarNode(tag, text))
        return f"YAML 1.1 reads {text} as the base-60 number {value}", f'quote it ("{text}") if it is text, or write {value} if it is a number'
    digits = text.lstrip("+-").replace("_", "")
    if tag == _INT and len(digits) > 1 and digits[0] == "0" and digits[1] not in "xXbB":
        value = _SCALARS.construct_yaml_int(yaml.ScalarNode(tag, text))
        decimal = int(text.replace("_", ""), 10)
        number = f"{decimal}, or {value} if you meant octal" if decimal != value else f"{value}"
        return f"YAML 1.1 reads {text} as the octal number {value}", f'quote it ("{text}") if it is text; for a number write {number}'
    return None


def _surrogate(text: str) -> tuple[str, str] | None:
    found = _SURROGATES.search(text)
    if not found:
        return None
    written = "".join(f"\\u{ord(half):04x}" for half in found.group())
    if len(found.group()) == 2:
        code = ord(found.group().encode("utf-16-le", "surrogatepass").decode("utf-16-le"))
        return f"{written} is a UTF-16 surrogate pair, not a character", f"write the escape \\U{code:08X}, or the character itself"
    return f"{written} is half of a UTF-16 surrogate pair, not a character", "write the whole character, as itself or as one \\U escape of 8 hex digits"


def _not_a_string_key(key: Any, written: str) -> tuple[str, str]:
    """Why a key YAML read as true, null or a number it does not spell is refused, and how to fix it."""
    if key is None and not written:
        return "a key is missing here", "write a name before the colon"
    if key is None:
        read_as = "null (no value)"
    elif isinstance(key, bool):
        read_as = "a boolean" if written == _canonical(key) else _canonical(key)
    else:
        read_as = "a number" if written == _canonical(key) else f"the number {_canonical(key)}"
    return f"YAML reads the key {written} as {read_as}, not as text", f'quote it ("{written}")'


def _canonical(value: Any) -> str:
    """How a number or boolean is spelled when it is written the plain way."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return repr(value)
