"""Load a spec: safe YAML, with the source position of every key and value.

Strict on purpose: duplicate keys, anchors/aliases and custom tags are errors,
so the data the generator sees is exactly the text a person reads.
"""

from __future__ import annotations

import gc
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import yaml

from generator.errors import InvalidSpec, Problem
from generator.paths import display_path

if TYPE_CHECKING:
    from generator.paths import StrPath

JsonPath = tuple[str | int, ...]

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


@dataclass(frozen=True)
class IgnoreComment:
    """``# sdkforge: ignore[naming-style]``: the lint rules it names, and where it starts."""

    column: int
    rules: tuple[str, ...]


@dataclass(frozen=True)
class Document:
    """A loaded spec: plain data plus where each piece of it was written."""

    file: str
    data: Any
    values: dict[JsonPath, Position] = field(repr=False)
    keys: dict[JsonPath, Position] = field(repr=False)
    # ``# sdkforge: ignore[rule, ...]`` comments, by line: lint warnings they silence.
    ignores: dict[int, IgnoreComment] = field(default_factory=dict, repr=False)

    def position(self, path: JsonPath, *, key: bool = False) -> Position:
        """Where the value (or its key) at ``path`` is written; the nearest ancestor if absent."""
        table = self.keys if key else self.values
        for depth in range(len(path), -1, -1):
            found = table.get(path[:depth]) or self.values.get(path[:depth])
            if found:
                return found
        return Position(1, 1)

    def problem(self, path: JsonPath, message: str, hint: str = "", *, key: bool = False) -> Problem:
        """A Problem located at ``path`` in this document."""
        position = self.position(path, key=key)
        return Problem(self.file, position.line, position.column, dotted(path), message, hint)


def dotted(path: JsonPath) -> str:
    """``("resources", "forms", "operations", "list")`` -> ``resources.forms.operations.list``."""
    return "".join(f"[{part}]" if isinstance(part, int) else f".{part}" for part in path).lstrip(".")


def load(path: StrPath, source: bytes | None = None) -> Document:
    """Read and parse one spec file; raise InvalidSpec with the exact position of a YAML error.

    ``source`` is the file's bytes when the caller has read them already, so that
    what is parsed is exactly what the caller hashed for its cache key."""
    name = display_path(path)
    try:
        if source is None:
            with open(path, "rb") as handle:
                source = handle.read()
        text = source.decode("utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise InvalidSpec([Problem(name, 1, 1, "", f"cannot read the spec: {error}")]) from None
    return loads(text, name)


def loads(text: str, name: str = "<spec>") -> Document:
    """Parse spec text; ``name`` is the file name used in problems."""
    try:
        with _collector_paused():
            root = _compose(text)
    except yaml.MarkedYAMLError as error:
        raise InvalidSpec([_yaml_problem(error, name)]) from None
    if root is None:
        raise InvalidSpec([Problem(name, 1, 1, "", "the spec is empty", "a spec needs title, package, client, servers and resources; see docs/spec-format.md")])
    converter = _Converter(name)
    with _collector_paused():
        data = converter.convert(root, ())
    if converter.problems:
        raise InvalidSpec(converter.problems)
    return Document(name, data, converter.values, converter.keys, _ignore_comments(text))


@contextmanager
def _collector_paused() -> Iterator[None]:
    """The garbage collector off while a large tree is built, unless it was off already.

    A spec of 1000 operations composes into ~40,000 nodes and marks, then as many
    values and positions: none in a reference cycle, yet every 700 new objects start a
    collection, and now and then a full one walks the whole heap. That was half the
    time of loading such a spec. Once resumed, one collection sees them all at once."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


# YAML drops comments, so the text is searched for them; like yamllint's
# "disable-line", such a comment covers the line it ends.
_IGNORE_COMMENT = re.compile(r"#\s*sdkforge:\s*ignore\[([^\]]*)\]")


def _ignore_comments(text: str) -> dict[int, IgnoreComment]:
    found = {}
    for number, line in enumerate(text.splitlines(), start=1):
        match = _IGNORE_COMMENT.search(line) if "sdkforge:" in line else None
        if match:
            rules = tuple(rule.strip() for rule in match.group(1).split(",") if rule.strip())
            found[number] = IgnoreComment(match.start() + 1, rules)
    return found


def _compose(text: str) -> yaml.Node | None:
    """Compose with libyaml when present (fast); errors always come from the pure-Python
    parser so that messages are the same on every machine."""
    fast_loader = getattr(yaml, "CSafeLoader", None)
    if fast_loader is not None:
        try:
            return yaml.compose(text, Loader=fast_loader)
        except yaml.YAMLError:
            pass
    return yaml.compose(text, Loader=yaml.SafeLoader)


def _yaml_problem(error: yaml.MarkedYAMLError, name: str) -> Problem:
    mark = error.problem_mark or error.context_mark
    line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    what = (error.problem or "invalid YAML").strip()
    if what == "but found another document":  # the composer's words for a second `---`
        return Problem(name, line, column, "", _SECOND_DOCUMENT, _SECOND_DOCUMENT_HINT)
    hint = _yaml_hint(what)
    opened = error.context_mark
    if error.context and opened and mark and opened.line != mark.line:
        hint = f"the {error.context.removeprefix('while parsing a ')} opened at line {opened.line + 1}, column {opened.column + 1} is not closed properly"
    return Problem(name, line, column, "", f"YAML syntax error: {what}", hint)


_SECOND_DOCUMENT = "a second YAML document starts here: a spec must be a single document"
_SECOND_DOCUMENT_HINT = "remove this `---` and what follows it, or move that to a spec file of its own"


def _yaml_hint(what: str) -> str:
    if "mapping values are not allowed" in what:
        return "quote the value, or fix the indentation of this line"
    if "could not find expected ':'" in what:
        return "each entry needs `key: value`; check the line above for a missing colon"
    if "found character '\\t'" in what:
        return "indent with spaces, not tabs"
    return "check the indentation and quoting around this position"


class _Converter:
    """Turns a composed YAML node tree into plain data, recording positions."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.values: dict[JsonPath, Position] = {}
        self.keys: dict[JsonPath, Position] = {}
        self.problems: list[Problem] = []
        self._seen: set[int] = set()

    def convert(self, node: yaml.Node, path: JsonPath) -> Any:
        self.values[path] = _position(node)
        if node.tag not in _PLAIN_TAGS:
            self._fail(node, path, f"custom tag {node.tag!r} is not allowed", "remove the tag; specs are plain YAML")
            return None
        # An alias makes the composer hand out the same node object twice.
        if id(node) in self._seen:
            # The node still carries the anchor's position; point at the key using the alias.
            position = self.keys.get(path, _position(node))
            message, hint = "YAML aliases are not allowed", "write the value out, or name it as a model and refer to it"
            self.problems.append(Problem(self.name, position.line, position.column, dotted(path), message, hint))
            return None
        self._seen.add(id(node))
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, path)
        if isinstance(node, yaml.SequenceNode):
            return [self.convert(item, (*path, index)) for index, item in enumerate(node.value)]
        return _scalar(node)

    def _mapping(self, node: yaml.MappingNode, path: JsonPath) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                self._fail(key_node, path, "merge keys (<<) are not allowed", "write the keys out")
                continue
            key = _scalar(key_node) if isinstance(key_node, yaml.ScalarNode) else None
            if not isinstance(key, (str, int)) or isinstance(key, bool):
                self._fail(key_node, path, "keys must be plain strings", "quote the key")
                continue
            key = str(key)
            child = (*path, key)
            if key in result:
                first = self.keys[child]
                self._fail(key_node, child, f"duplicate key {key!r} (first written at line {first.line})", "remove one of them")
                continue
            self.keys[child] = _position(key_node)
            result[key] = self.convert(value_node, child)
        return result

    def _fail(self, node: yaml.Node, path: JsonPath, message: str, hint: str) -> None:
        position = _position(node)
        self.problems.append(Problem(self.name, position.line, position.column, dotted(path), message, hint))


def _position(node: yaml.Node) -> Position:
    return Position(node.start_mark.line + 1, node.start_mark.column + 1)


def _scalar(node: yaml.Node) -> Any:
    if node.tag == "tag:yaml.org,2002:timestamp":
        return node.value  # keep dates as the text written; the schema expects strings
    return _SCALARS.construct_object(node, deep=True)


_SCALARS = yaml.constructor.SafeConstructor()
