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
from generator.yaml_events import MAX_DEPTH, JsonPath, Position, Span, TreeBuilder, dotted

__all__ = ["MAX_DEPTH", "Document", "IgnoreComment", "JsonPath", "Position", "dotted", "load", "loads"]

if TYPE_CHECKING:
    from generator.paths import StrPath


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
    # The text of numbers and booleans not written the way Python prints them (`yes`, `on`, `1.10`),
    # so that a message can quote what the author wrote.
    written: dict[JsonPath, str] = field(default_factory=dict, repr=False)

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


def load(path: StrPath, source: bytes | None = None) -> Document:
    """Read and parse one spec file; raise InvalidSpec with the exact position of a YAML error.

    ``source`` is the file's bytes when the caller has read them already, so that
    what is parsed is exactly what the caller hashed for its cache key."""
    name = display_path(path)
    try:
        if source is None:
            with open(path, "rb") as handle:
                source = handle.read()
    except IsADirectoryError:
        hint = "name a spec file, or a directory holding specs (*.yaml, *.yml)"
        raise InvalidSpec([Problem(name, 1, 1, "", "cannot read the spec: this is a directory with no spec in it", hint)]) from None
    except OSError as error:
        raise InvalidSpec([Problem(name, 1, 1, "", f"cannot read the spec: {error.strerror or error}")]) from None
    try:
        text = source.decode("utf-8")
    except UnicodeDecodeError as error:
        raise InvalidSpec([_encoding_problem(error, source, name)]) from None
    return loads(text, name)


def _encoding_problem(error: UnicodeDecodeError, source: bytes, name: str) -> Problem:
    """Bytes that are not UTF-8, at the line and column of the first of them."""
    line, column = _line_and_column(source[: error.start].decode("utf-8"), error.start)
    byte = source[error.start]
    utf16 = source.startswith((b"\xff\xfe", b"\xfe\xff"))
    hint = "save the file as UTF-8, not UTF-16" if utf16 else "save the file as UTF-8 (it is perhaps Latin-1 or Windows-1252)"
    return Problem(name, line, column, "", f"the spec is not UTF-8: byte 0x{byte:02x} here is not part of a UTF-8 character", hint)


def loads(text: str, name: str = "<spec>") -> Document:
    """Parse spec text; ``name`` is the file name used in problems."""
    try:
        with _collector_paused():
            built = _build(text, name)
    except yaml.MarkedYAMLError as error:
        raise InvalidSpec([_yaml_problem(error, text, name)]) from None
    except yaml.reader.ReaderError as error:
        raise InvalidSpec([_character_problem(error, text, name)]) from None
    if built.problems:
        raise InvalidSpec(built.problems)
    if not built.documents:
        raise InvalidSpec([Problem(name, 1, 1, "", "the spec is empty", "a spec needs title, package, client, servers and resources; see docs/spec-format.md")])
    return Document(name, built.root, built.values, built.keys, _ignore_comments(text, built.strings), built.written)


@contextmanager
def _collector_paused() -> Iterator[None]:
    """The garbage collector off while a large tree is built, unless it was off already.

    A spec of 1000 operations parses into ~43,000 events and their marks, then as many
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
# "disable-line", such a comment covers the line it ends. A comment starts a line or
# follows a space, so it is never part of a plain scalar; quoted and block strings
# can hold the same text, which is not a comment.
_IGNORE_COMMENT = re.compile(r"(?<!\S)#\s*sdkforge:\s*ignore\[([^\]]*)\]")


def _ignore_comments(text: str, strings: list[Span]) -> dict[int, IgnoreComment]:
    found = {}
    for number, line in enumerate(text.splitlines(), start=1):
        if "sdkforge:" not in line:
            continue
        for match in _IGNORE_COMMENT.finditer(line):
            if not any(start <= (number - 1, match.start()) < end for start, end in strings):
                rules = tuple(rule.strip() for rule in match.group(1).split(",") if rule.strip())
                found[number] = IgnoreComment(match.start() + 1, rules)
                break
    return found


def _build(text: str, name: str) -> TreeBuilder:
    """Build with libyaml when present (fast); errors always come from the pure-Python
    parser so that messages are the same on every machine."""
    fast_loader = getattr(yaml, "CSafeLoader", None)
    strings = "sdkforge:" in text  # where the strings are matters only to ignore comments
    if fast_loader is not None:
        try:
            return TreeBuilder(name, strings=strings).build(_events(text, fast_loader))
        except yaml.YAMLError:
            pass
    return TreeBuilder(name, strings=strings).build(_events(text, yaml.SafeLoader))


def _events(text: str, loader_class: Any) -> Iterator[Any]:
    """The parser's events (the composer, which recurses, is never called)."""
    loader = loader_class(text)
    try:
        while loader.check_event():
            yield loader.get_event()
    finally:
        loader.dispose()


def _yaml_problem(error: yaml.MarkedYAMLError, text: str, name: str) -> Problem:
    mark = error.problem_mark or error.context_mark
    what = (error.problem or "invalid YAML").strip()
    hint = _yaml_hint(what)
    opened = error.context_mark
    runaway = _runaway_quote(text, mark) if mark else None
    if runaway is not None:
        # A quote left open swallows the lines after it; the parser fails where the string
        # finally ends, often at the next line's quote. The mistake is where it opened.
        start, end = runaway.start_mark, runaway.end_mark
        quote = runaway.style
        message = f"YAML syntax error: this quoted string does not end on its line, and runs on to line {end.line + 1}"
        escape = 'write a " inside it as \\"' if quote == '"' else "write a ' inside it as ''"
        return Problem(name, start.line + 1, start.column + 1, "", message, f"close it with {quote} on this line ({escape})")
    if error.context == "while scanning a quoted scalar" and opened and "end of stream" in what:
        message = "YAML syntax error: this quoted string is never closed: it runs to the end of the file"
        return Problem(name, opened.line + 1, opened.column + 1, "", message, "close it on its line")
    if what == "could not find expected ':'" and opened:
        mark = opened  # the parser notices at the next line; the key without a colon is here
    elif mark and opened and what.startswith("expected <block end>") and opened.column < mark.column == _indent(text, mark.line):
        # A line indented between two levels: deeper than the mapping it would belong to,
        # shallower than the lines above it, which are all closed by then.
        message = f"YAML syntax error: this line's indentation ({mark.column} spaces) matches none of the lines above it"
        hint = f"indent it by {opened.column} spaces, like the key at line {opened.line + 1}, or like the lines it belongs with"
        return Problem(name, mark.line + 1, mark.column + 1, "", message, hint)
    elif error.context and opened and mark and opened.line != mark.line and hint == _GENERIC_HINT:
        hint = f"the {_opened(error.context)} opened at line {opened.line + 1}, column {opened.column + 1} is not closed properly"
    line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    return Problem(name, line, column, "", f"YAML syntax error: {what}", hint)


def _runaway_quote(text: str, mark: Any) -> Any:
    """The quoted string spanning lines that ends on the line of a parse error, just before it.

    Quoted strings may span lines in YAML, and the scanner accepts them; one that ends
    where the parser fails is most likely a quote left open."""
    last = None
    try:
        for token in yaml.scan(text, Loader=yaml.SafeLoader):
            if (token.start_mark.line, token.start_mark.column) >= (mark.line, mark.column):
                break
            if isinstance(token, yaml.ScalarToken):
                last = token
    except yaml.YAMLError:
        pass  # the scanner's own error: what came before it is all there is
    if last is not None and last.style in ('"', "'") and last.start_mark.line < last.end_mark.line == mark.line:
        return last
    return None


def _indent(text: str, line: int) -> int:
    """How many spaces line ``line`` (0-based) starts with."""
    lines = _LINE_BREAK.split(text)
    written = lines[line] if line < len(lines) else ""
    return len(written) - len(written.lstrip(" "))


def _opened(context: str) -> str:
    """``while scanning a quoted scalar`` -> ``quoted string``: what was opened, in plain words."""
    thing = re.sub(r"^while (?:parsing|scanning) an? ", "", context)
    return {"quoted scalar": "quoted string", "block collection": "list"}.get(thing, thing)


def _character_problem(error: yaml.reader.ReaderError, text: str, name: str) -> Problem:
    """A character YAML does not allow, where it is (the reader gives only an offset)."""
    line, column = _line_and_column(text, error.position)
    code = error.character if isinstance(error.character, int) else ord(error.character)
    escape = f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"
    hint = f"remove it, or write it as the escape {escape} in a double-quoted string"
    return Problem(name, line, column, "", f"YAML does not allow the unprintable character {escape}", hint)


# YAML's line breaks: what the parser counts lines by, so every position agrees (CR alone is one).
_LINE_BREAK = re.compile("\r\n|[\r\n\x85\u2028\u2029]")


def _line_and_column(text: str, offset: int) -> tuple[int, int]:
    """The 1-based line and column (in characters, a leading BOM not counted) of ``text[offset]``."""
    lines = _LINE_BREAK.split(text[:offset])
    column = len(lines[-1]) + 1
    if len(lines) == 1 and text.startswith("\ufeff"):
        column -= 1
    return len(lines), column


_GENERIC_HINT = "check the indentation and quoting around this position"


def _yaml_hint(what: str) -> str:
    if "mapping values are not allowed" in what:
        return "quote the value, or fix the indentation of this line"
    if "could not find expected ':'" in what:
        return "each entry needs `key: value`: add the colon after the key, or indent this line if it continues the value above"
    if "found unknown escape character" in what or "expected escape sequence" in what:
        return "in double quotes a backslash starts an escape: write \\\\ for a backslash, or use single quotes"
    if "but got '['" in what:
        return 'inside {...} or [...], a [ starts a YAML list: quote a list type, as in "string[]"'
    if "found character '\\t'" in what:
        return "indent with spaces, not tabs"
    return _GENERIC_HINT


