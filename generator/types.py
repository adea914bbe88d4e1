"""Type expressions of the spec -> Python annotations (source text) and the names they use."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from generator.literals import python_literal
from generator.naming import param_name

# "header": an argument sent in an HTTP header. As strict as any argument, and its strings are
# _arguments.HeaderText, which refuses a line break or non-ASCII text when the arguments are
# checked: the error names the argument and counts positions in what the caller passed.
# "param": a key of a model's ``XParam`` TypedDict, the dict an argument also takes. As strict as
# an argument for type checkers, but only they read it: at run time the model checks the dict.
Mode = Literal["response", "argument", "header", "param"]

# number is int | float so that 5 stays 5 on the wire (a bare float would turn it into 5.0).
PRIMITIVES = {"string": "str", "integer": "int", "number": "int | float", "boolean": "bool", "any": "Any", "file": "FileInput"}
FORMATS = {"date-time": "datetime.datetime", "date": "datetime.date"}
# Constraint keywords of the spec -> pydantic Field arguments. On an array (``string[]``) the
# value's limits apply to each item, the items' limits to the array, as in the OpenAPI export.
VALUE_CONSTRAINTS = {"min_length": "min_length", "max_length": "max_length", "pattern": "pattern", "minimum": "ge", "maximum": "le"}
ITEMS_CONSTRAINTS = {"min_items": "min_length", "max_items": "max_length"}


@dataclass(frozen=True)
class PyType:
    """An annotation and the names it needs imported (typing names, 'datetime', model names)."""

    annotation: str
    needs: frozenset[str]

    def union(self, other: PyType) -> PyType:
        """``self | other``."""
        return PyType(f"{self.annotation} | {other.annotation}", self.needs | other.needs)


class TypeResolver:
    """Resolves type expressions against the spec's models.

    ``response`` mode is lenient (an enum also admits any string, so a newer server
    cannot break an older client); ``argument`` mode is strict (only documented values).
    """

    def __init__(
        self, models: dict[str, Any], list_type: str = "list", params: frozenset[str] = frozenset(), expanded: frozenset[str] = frozenset()
    ) -> None:
        self.models = models
        # The models an argument takes as a model or as a dict (``Rule | RuleParam``).
        self.params = params
        self.param_names = frozenset(param_name(model) for model in params)
        # The unions and aliases naming one of those: an argument spells them out
        # (``Circle | CircleParam | Square | SquareParam``), as they have no Param of their own.
        self.expanded = expanded
        # Resource classes define a method named ``list``, which hides the builtin inside
        # the class body for type checkers: there, lists are spelled ``builtins.list``.
        self.list_type = list_type

    def expression(self, expression: str, mode: Mode, values: str | None = None) -> PyType:
        """``Step[]`` -> ``list[Step]``; ``map`` with values -> ``dict[str, ...]``."""
        depth = 0
        while expression.endswith("[]"):
            expression, depth = expression[:-2], depth + 1
        base = self._base(expression, mode, values)
        for _ in range(depth):
            base = self._list_of(base, mode)
        return base

    def _abstract(self, inner: PyType, mode: Mode) -> bool:
        """Whether a list or map of ``inner`` is spelled ``Sequence`` or ``Mapping``.

        list and dict are invariant: a list[int] or a list[Rule] the caller built would not be
        a list[int | float] or a list[Rule | RuleParam]. Around a Param, always; elsewhere in a
        Param (read by type checkers only) too, unless an item may be a str; never elsewhere in
        an argument, whose type pydantic checks as it is written.
        """
        if inner.needs & self.param_names:
            return True
        # Not where an item may be a str: a str is a Sequence[str] itself ("a,b" for ["a", "b"]).
        # Split naively: a "str" found inside brackets only keeps the stricter list.
        return mode == "param" and not {"str", "Any"} & set(inner.annotation.split(" | "))

    def _list_of(self, inner: PyType, mode: Mode) -> PyType:
        if self._abstract(inner, mode):
            return PyType(f"Sequence[{inner.annotation}]", inner.needs | {"Sequence"})
        needs = inner.needs | {"builtins"} if self.list_type == "builtins.list" else inner.needs
        return PyType(f"{self.list_type}[{inner.annotation}]", needs)

    def _base(self, name: str, mode: Mode, values: str | None) -> PyType:
        if name == "map":
            inner = self.expression(values or "any", mode)
            if self._abstract(inner, mode):
                return PyType(f"Mapping[str, {inner.annotation}]", inner.needs | {"Mapping"})
            return PyType(f"dict[str, {inner.annotation}]", inner.needs)
        if name == "number" and mode in ("argument", "header"):
            # _arguments.Number: int | float spelled out in a signature is ruff's PYI041.
            return PyType("Number", frozenset({"Number"}))
        if name == "string" and mode == "header":
            return PyType("HeaderText", frozenset({"HeaderText"}))
        if name in PRIMITIVES:
            python = PRIMITIVES[name]
            return PyType(python, frozenset({python}) if python in ("Any", "FileInput") else frozenset())
        model = self.models.get(name, {})
        if mode == "response" and "enum" in model:
            return PyType(f"{name} | {_enum_base(model['enum'])}", frozenset({name}))
        if mode != "response" and name in self.params:
            return PyType(f"{name} | {param_name(name)}", frozenset({name, param_name(name)}))
        if mode != "response" and name in self.expanded:
            return self.field(definition(model), mode)
        return PyType(name, frozenset({name}))

    def field(self, spec: Any, mode: Mode) -> PyType:
        """The type of a field or parameter (shorthand string or mapping), nullable included."""
        if isinstance(spec, str):
            return self.expression(spec, mode)
        result = self._field_core(spec, mode)
        if spec.get("nullable"):
            result = result.union(PyType("None", frozenset()))
        return result

    def _field_core(self, spec: dict[str, Any], mode: Mode) -> PyType:
        if "one_of" in spec:
            members = [self.expression(member, mode) for member in spec["one_of"]]
            return PyType(" | ".join(member.annotation for member in members), frozenset().union(*(m.needs for m in members)))
        expression = spec.get("type", "any")
        if "enum" in spec:
            literal = PyType(literal_of(spec["enum"]), frozenset({"Literal"}))
            base = expression.rstrip("[]")
            if mode == "response":
                literal = literal.union(PyType(_enum_base(spec["enum"]), frozenset()))
            return self._wrap_lists(mode, literal, expression[len(base):])
        if spec.get("format") in FORMATS and expression.rstrip("[]") == "string":
            if spec["format"] == "date-time" and mode in ("argument", "header"):
                # RFC 3339 times carry an offset: a naive datetime would leave the server to
                # guess the zone, so an argument refuses one before anything is sent.
                return self._wrap_lists(mode, PyType("AwareDatetime", frozenset({"AwareDatetime"})), expression[len("string"):])
            python = FORMATS[spec["format"]]
            return self._wrap_lists(mode, PyType(python, frozenset({"datetime"})), expression[len("string"):])
        return self.expression(expression, mode, spec.get("values"))

    def _wrap_lists(self, mode: Mode, inner: PyType, suffix: str) -> PyType:
        for _ in range(suffix.count("[]")):
            inner = self._list_of(inner, mode)
        return inner

    def constrained(self, spec: Any, mode: Mode) -> PyType:
        """The argument annotation, with documented constraints as ``Annotated[..., Field(...)]``:
        ``tags: {type: "string[]", max_length: 20, max_items: 10}`` ->
        ``Annotated[list[Annotated[str, Field(max_length=20)]], Field(max_length=10)]``."""
        if isinstance(spec, str):
            return self.field(spec, mode)
        expression = spec.get("type")
        suffix = expression[len(expression.rstrip("[]")):] if isinstance(expression, str) else ""
        if suffix:
            item = {key: value for key, value in spec.items() if key not in ITEMS_CONSTRAINTS}
            core = self._wrap_lists(mode, self.constrained({**item, "type": expression[: -len(suffix)], "nullable": False}, mode), suffix)
            core = _annotated(core, constraint_arguments(spec, ITEMS_CONSTRAINTS))
        else:
            # A list alias, a map or a union holding one: min_items/max_items limit its length.
            limits = constraint_arguments(spec, VALUE_CONSTRAINTS) + constraint_arguments(spec, ITEMS_CONSTRAINTS)
            core = _annotated(self.field({**spec, "nullable": False}, mode), limits)
        if spec.get("nullable"):
            core = core.union(PyType("None", frozenset()))
        return core


def definition(model: dict[str, Any]) -> dict[str, Any]:
    """The type a union or alias model stands for, as a field spec."""
    return {key: model[key] for key in ("type", "values", "one_of") if key in model}


def _annotated(core: PyType, limits: list[str]) -> PyType:
    if not limits:
        return core
    return PyType(f"Annotated[{core.annotation}, Field({', '.join(limits)})]", core.needs | {"Annotated", "Field"})


def constraint_arguments(spec: dict[str, Any], keywords: dict[str, str]) -> list[str]:
    """``{"minimum": 1, "maximum": 100}`` -> ``["ge=1", "le=100"]``, in a fixed order."""
    return [f"{argument}={python_literal(spec[keyword])}" for keyword, argument in keywords.items() if keyword in spec]


def literal_of(values: list[Any]) -> str:
    """``["a", 1]`` -> ``Literal["a", 1]``."""
    return f"Literal[{', '.join(python_literal(value) for value in values)}]"


def _enum_base(values: list[Any]) -> str:
    return "int" if all(isinstance(value, int) and not isinstance(value, bool) for value in values) else "str"
