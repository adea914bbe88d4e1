"""The intermediate representation: everything the templates need, already decided.

Plain frozen dataclasses. Names are final Python names, annotations are final
Python source, imports are computed. Templates only loop and branch over these.
Imports nothing from the project.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from generator.imports import export_order
from generator.naming import BASE_EXCEPTIONS, RUNTIME_EXPORTS

ArgumentLocation = Literal["path", "query", "header", "json", "form", "file", "body"]
ModelKind = Literal["object", "enum", "union", "alias"]
OperationAuth = Literal["required", "optional", "none"]
"""Whether the API key goes with an operation: always, when the client has one, never."""


@dataclass(frozen=True)
class Field:
    """One attribute of a model."""

    name: str
    wire_name: str
    annotation: str
    required: bool
    description: str
    secret: bool
    deprecated: bool
    # Arguments of ``Field(...)``: default, alias, repr; empty when a bare annotation does.
    field_arguments: tuple[str, ...]


@dataclass(frozen=True)
class ParamKey:
    """One key of a model's ``XParam`` TypedDict: the attribute's name and its type as an argument."""

    name: str
    annotation: str
    required: bool
    description: str
    deprecated: bool


@dataclass(frozen=True)
class Param:
    """An object model spelled as a dict (a TypedDict of its attributes), which every argument
    that takes the model also takes."""

    name: str
    # The base class holding the required keys when there are optional ones too; else "".
    required_base: str
    keys: tuple[ParamKey, ...]

    @property
    def total(self) -> bool:
        """Whether every key of the class itself is required (``total=False`` otherwise)."""
        return all(key.required for key in self.keys)


@dataclass(frozen=True)
class Model:
    """A named type of the package: a pydantic model, a Literal enum, or a type alias."""

    name: str
    kind: ModelKind
    description: str
    fields: tuple[Field, ...]
    # For enum/union/alias: the right-hand side of ``Name = ...``.
    alias_of: str
    unverified: str
    # Only for the object models some argument takes (in its type, or in a field of a model it takes).
    param: Param | None = None

    @property
    def names(self) -> tuple[str, ...]:
        """What the package exports for this model: its name, and its Param's."""
        return (self.name, self.param.name) if self.param else (self.name,)


@dataclass(frozen=True)
class ModelModule:
    """One module of ``_models/``: a model, or the models of one reference cycle."""

    name: str
    summary: str
    # In definition order: classes, then aliases after the aliases they name.
    models: tuple[Model, ...]
    # Import lines in isort's sections: standard library, pydantic, this package.
    imports: tuple[tuple[str, ...], ...]
    @property
    def names(self) -> tuple[str, ...]:
        """Every name the module defines: models and their Params."""
        return tuple(name for model in self.models for name in model.names)


@dataclass(frozen=True)
class Argument:
    """One parameter of a generated method."""

    name: str
    wire_name: str
    location: ArgumentLocation
    annotation: str
    required: bool
    positional: bool
    description: str
    prefix: str
    secret: bool


@dataclass(frozen=True)
class Operation:
    """One method of a resource class."""

    name: str
    constant: str
    summary: str
    description: str
    method: str
    path: str
    server: str
    arguments: tuple[Argument, ...]
    response_type: str
    return_annotation: str
    display_type: str
    returns: str
    status: int
    paginate: bool
    idempotent: bool | None  # None: as the method says (GET, PUT, DELETE... are)
    auth: OperationAuth
    encoding: str
    unverified: str
    deprecated: bool
    errors: tuple[DocumentedError, ...]

    @property
    def positional(self) -> tuple[Argument, ...]:
        """Arguments before the ``*``."""
        return tuple(argument for argument in self.arguments if argument.positional)

    @property
    def keyword_only(self) -> tuple[Argument, ...]:
        """Arguments after the ``*``, required ones first."""
        return tuple(argument for argument in self.arguments if not argument.positional)

    def located(self, location: str) -> tuple[Argument, ...]:
        """Arguments that travel in one place: path, query, header, json, form, file or body."""
        return tuple(argument for argument in self.arguments if argument.location == location)


@dataclass(frozen=True)
class DocumentedError:
    """One line of an operation's ``Raises:``: an error status or code the spec documents for it."""

    # The class the client raises for it (NotFoundError), and what the spec named: a status
    # (404) or a code with the status errors.codes gives it (CONFLICT 409).
    exception: str
    label: str
    description: str


@dataclass(frozen=True)
class Resource:
    """A group of operations: ``client.<name>``, one module ``resources/<name>.py``."""

    name: str
    class_name: str
    async_class_name: str
    description: str
    operations: tuple[Operation, ...]
    # Import lines in isort's sections: standard library, pydantic, this package.
    imports: tuple[tuple[str, ...], ...]
    # (Param, model) of each model an argument takes as a dict: type checkers import the Param,
    # while at run time the name is the model, which checks a dict and turns it into itself.
    params: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Server:
    """A named origin; the first is ``base_url``, others ``<name>_base_url``."""

    name: str
    argument: str
    url: str
    env: str
    description: str


@dataclass(frozen=True)
class Auth:
    """How a credential travels: the API key, and any alternative the client may be built with."""

    location: str
    name: str
    format: str
    env: str
    description: str
    argument: str = "api_key"  # the client's keyword argument
    alternatives: tuple[Auth, ...] = ()

    @property
    def credentials(self) -> tuple[Auth, ...]:
        """The API key first, then the alternatives, in the order the client looks for them."""
        return (self, *self.alternatives)


@dataclass(frozen=True)
class ErrorCode:
    """A documented error code and the exception class it arrives as."""

    code: str
    status: int
    description: str


@dataclass(frozen=True)
class ExceptionClass:
    """One class of the exception tree, with the codes documented on it."""

    name: str
    base: str
    status: str
    description: str
    codes: tuple[ErrorCode, ...]


@dataclass(frozen=True)
class Api:
    """One API: everything needed to render its client package."""

    source: str
    title: str
    description: str
    version: str
    docs_url: str
    license: str  # SPDX expression; "" for none stated
    package: str
    distribution: str
    client_class: str
    async_client_class: str
    env_prefix: str
    log_env: str
    https_only: bool
    idempotency_header: str
    servers: tuple[Server, ...]
    auth: Auth | None
    error_message: str
    error_code: str
    error_details: str
    envelope_data: str
    envelope_success: str
    envelope_errors: str
    pagination_style: str
    pagination_items: str
    pagination_cursor_param: str
    pagination_next_cursor: str
    pagination_has_more: str
    pagination_page_param: str
    pagination_size_param: str
    pagination_first_page: int
    pagination_total: str
    partial_success_status: int
    partial_success_warning: str
    exceptions: tuple[ExceptionClass, ...]
    models: tuple[Model, ...]
    model_modules: tuple[ModelModule, ...]
    resources: tuple[Resource, ...]

    @property
    def exception_names(self) -> tuple[str, ...]:
        """Every exception class the package exports."""
        return tuple(sorted({*BASE_EXCEPTIONS, *(exception.name for exception in self.exceptions)}))

    @property
    def exports(self) -> tuple[str, ...]:
        """The package's ``__all__``, in the order ruff wants (constants, then classes)."""
        names = {*RUNTIME_EXPORTS, *self.exception_names, self.client_class, self.async_client_class, *self.type_names}
        return tuple(export_order(names))

    @property
    def type_names(self) -> tuple[str, ...]:
        """Every name of ``models``: the models and their Params, in spec order."""
        return tuple(name for model in self.models for name in model.names)

    @property
    def argument_models(self) -> tuple[str, ...]:
        """The models some argument takes itself (as a model or as a dict), in spec order."""
        taken = {model for resource in self.resources for _param, model in resource.params}
        return tuple(model.name for model in self.models if model.name in taken)

    @property
    def operations(self) -> tuple[Operation, ...]:
        """Every operation of every resource."""
        return tuple(operation for resource in self.resources for operation in resource.operations)

    @property
    def key_optional(self) -> bool:
        """Some operation works without the API key, so a client may be built without one."""
        return self.auth is not None and any(operation.auth != "required" for operation in self.operations)
