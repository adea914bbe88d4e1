"""Every Python name in a generated package is decided here, from the wire names in a spec."""

from __future__ import annotations

import re
from collections.abc import Iterable

# Hard keywords of Python 3.10-3.13, written out so names do not depend on the running
# interpreter. Soft keywords (match, case, type, _) are valid identifiers and stay.
PYTHON_KEYWORDS = frozenset(
    {
        "False", "None", "True", "and", "as", "assert", "async", "await", "break", "class",
        "continue", "def", "del", "elif", "else", "except", "finally", "for", "from", "global",
        "if", "import", "in", "is", "lambda", "nonlocal", "not", "or", "pass", "raise", "return",
        "try", "while", "with", "yield",
    }
)

# Names that would shadow something the generated code relies on. Data, not logic:
# extend the set when a template starts using a new name in the same scope.
# prefixed: the helper a method body calls to put a header's prefix on its value.
RESERVED_ARGUMENTS = frozenset({"self", "options", "cls", "prefixed"})
RESERVED_ATTRIBUTES = frozenset(
    {
        # pydantic's own (its model_* names are caught by prefix) and its v1 names it still defines.
        "model_config", "model_fields", "model_extra", "model_dump", "model_validate", "copy", "dict",
        "json", "schema", "schema_json", "construct", "validate", "from_orm", "parse_obj", "parse_raw",
        "parse_file", "update_forward_refs",
        # What a model's annotations name: a field of that name would shadow it in the class body.
        "str", "int", "float", "bool", "list", "datetime", "Any", "Literal", "Field", "Annotated",
    }
)
# What a package exports besides its models (the exceptions are added from the API's own list).
RUNTIME_EXPORTS = frozenset(
    {"APIResponse", "AsyncPager", "FileInput", "NOT_GIVEN", "NotGiven", "Page", "Pager", "PartialSuccessWarning", "RequestOptions"}
)
BASE_EXCEPTIONS = frozenset({"APIConnectionError", "APIError", "APIResponseValidationError", "APITimeoutError", "APIStatusError"})
# The APIStatusError subclasses of every package: name, status, docstring.
EXCEPTION_TREE = (
    ("BadRequestError", "400", "The request was malformed or missing a required parameter."),
    ("AuthenticationError", "401", "The API key (or token) is missing, wrong or revoked."),
    ("PermissionDeniedError", "403", "The key is valid but not allowed to do this."),
    ("NotFoundError", "404", "The resource does not exist (or is not visible to this key)."),
    ("ConflictError", "409", "The request conflicts with the current state of the resource."),
    ("UnprocessableEntityError", "422", "The request was well-formed but semantically invalid."),
    ("RateLimitError", "429", "Too many requests; retried automatically, raised when retries run out."),
    ("InternalServerError", "5xx", "The server failed; 500, 502, 503 and 504 are retried before this is raised."),
)



def exception_class(status: int) -> str:
    """The class a client raises for an error status: as ``_exceptions.status_error_class`` decides at run time."""
    key = "5xx" if status >= 500 else str(status)
    return next((name for name, tree_status, _text in EXCEPTION_TREE if tree_status == key), "APIStatusError")


# What a resource module may import beside the models (see resources/resource.py.jinja and
# build_resources._runtime_names; tests/test_build.py checks the generated ones against it).
RESOURCE_MODULE_NAMES = frozenset(
    {
        "builtins", "datetime", "Annotated", "Any", "Final", "Literal", "cached_property", "Field", "AwareDatetime",
        "FileInput", "HeaderText", "Number", "prefixed", "validate_arguments", "AsyncPager", "Pager", "async_to_raw_response",
        "to_raw_response", "AsyncResource", "SyncResource", "NOT_GIVEN", "Endpoint", "NotGiven", "RequestOptions",
        "TYPE_CHECKING", "Sequence",
    }
)
RESERVED_MODELS = frozenset(
    {
        "BaseModel", "Field", "Any", "Literal", "Union", "Annotated", "Optional", "datetime", "date", "TypedDict", "Required",
        *RUNTIME_EXPORTS, *BASE_EXCEPTIONS, *(name for name, _status, _text in EXCEPTION_TREE),
        *RESOURCE_MODULE_NAMES,  # imported beside the models a resource module uses
    }
)
# Import names a generated package cannot take: those of its dependencies, httpx and pydantic,
# and of the packages they import (a package of that name would be imported in their place).
DEPENDENCY_PACKAGES = frozenset(
    {"httpx", "httpcore", "h11", "anyio", "sniffio", "certifi", "idna", "pydantic", "pydantic_core",
     "annotated_types", "typing_extensions", "typing_inspection"}
)
# What _client.py imports (see _client.py.jinja; tests/test_build.py checks it): the client
# class and the resource classes, imported there too, must be named otherwise.
CLIENT_MODULE_NAMES = frozenset(
    {
        "Mapping", "cached_property", "TYPE_CHECKING", "httpx", "DEFAULT_MAX_RETRIES", "DEFAULT_TIMEOUT", "ApiConfig",
        "AsyncAPIClient", "Credential", "SyncAPIClient",
    }
)
# Every public attribute of the client classes (SyncAPIClient in templates/package/_runtime.py.jinja);
# tests/test_build.py checks this against the generated runtime.
RESERVED_RESOURCES = frozenset(
    {
        "api_key", "base_url", "build_request", "close", "fixed_headers", "log", "max_retries", "parse",
        "raise_for_status", "redact_url", "request", "retry_delay", "same_origin", "send", "status_error",
        "timeout", "unwrap", "with_options",
    }
)

# The keyword arguments every client takes besides its servers' (see _client.py.jinja).
CLIENT_ARGUMENTS = frozenset({"self", "api_key", "timeout", "max_retries", "http_client", "default_headers", "allow_insecure_http"})
# The attributes every resource class defines besides its operations, and the decorators its
# body reads as the class is made: a method of that name would hide them.
RESERVED_OPERATIONS = frozenset({"with_raw_response", "validate_arguments", "cached_property"})
# The modules a resource class's annotations may name (datetime.date, builtins.list): taken
# from its operations only where its annotations do name them.
ANNOTATION_MODULES = frozenset({"builtins", "datetime"})

_BOUNDARY = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")
_NOT_WORD = re.compile(r"[^0-9a-zA-Z]+")


def snake_case(wire_name: str) -> str:
    """``pageIndex`` -> ``page_index``, ``API-KEY`` -> ``api_key``, ``from`` -> ``from_``."""
    spaced = _BOUNDARY.sub("_", wire_name)
    words = [word for word in _NOT_WORD.split(spaced) if word]
    name = "_".join(words).lower() or "value"
    if name[0].isdigit():
        name = f"_{name}"
    return f"{name}_" if name in PYTHON_KEYWORDS else name


def argument_name(wire_name: str) -> str:
    """Name of a method argument; never one of the names the method itself uses."""
    name = snake_case(wire_name)
    return f"{name}_" if name in RESERVED_ARGUMENTS else name


def attribute_name(wire_name: str) -> str:
    """Name of a model attribute; never one of pydantic's own."""
    name = snake_case(wire_name)
    return f"{name}_" if name in RESERVED_ATTRIBUTES or name.startswith("model_") else name


def class_name(snake: str) -> str:
    """``feature_flags`` -> ``FeatureFlags``."""
    return "".join(part[:1].upper() + part[1:] for part in snake.split("_") if part)


def resource_class_name(resource: str, models: Iterable[str]) -> str:
    """``feature_flags`` -> ``FeatureFlags``; ``account`` -> ``AccountResource`` when a model is ``Account``.

    A singular resource often returns the model of its name (``client.account.retrieve()``
    -> ``Account``): the model keeps its name, since users import it, and the resource
    class, which they only reach through the client, steps aside. So it does for a name
    _client.py or its own module imports (``credential``, ``field``, ``pager``).
    """
    name = class_name(resource)
    # A model's Param too: a resource module may import it beside the model.
    taken = {*models, *map(param_name, models), *CLIENT_MODULE_NAMES, *RESOURCE_MODULE_NAMES}
    return f"{name}Resource" if name in taken or async_class_name(name) in taken else name


def param_name(model: str) -> str:
    """The TypedDict (or alias) that spells ``model`` as a dict: ``Rule`` -> ``RuleParam``."""
    return f"{model}Param"


def async_class_name(name: str) -> str:
    """``Feathery`` -> ``AsyncFeathery``."""
    return f"Async{name}"


def distribution_name(package: str) -> str:
    """``feathery_api`` -> ``feathery-api``."""
    return package.replace("_", "-")


def env_prefix(spec: dict[str, object]) -> str:
    """The prefix of the client's environment variables: ``env_prefix:``, else the client name upper-cased."""
    return str(spec.get("env_prefix") or str(spec["client"]).upper())


def server_argument(index: int, name: str) -> str:
    """The client argument of a server: ``base_url`` for the first, ``<name>_base_url`` for the others."""
    return "base_url" if index == 0 else f"{name}_base_url"


def credential_env(prefix: str, argument: str) -> str:
    """The default variable of a credential: ``FEATUREOS_API_KEY``, ``FEATUREOS_ACCESS_TOKEN``."""
    return f"{prefix}_{argument.upper()}"


def constant_name(snake: str) -> str:
    """``rotate_key`` -> ``_ROTATE_KEY``: the module constant describing an endpoint."""
    return f"_{snake.upper()}"
