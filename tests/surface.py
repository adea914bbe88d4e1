"""What a spec documents and what a generated package exposes, for the coverage tests."""

from __future__ import annotations

import importlib
import inspect
import pkgutil

import yaml

from tests.conftest import SPECS


def documented_operations(spec: str) -> set[str]:
    """``{"<resource>.<verb>", ...}`` from ``specs/<spec>.yaml``."""
    document = yaml.safe_load((SPECS / f"{spec}.yaml").read_text())
    return {f"{resource}.{name}" for resource, body in document["resources"].items() for name in body["operations"]}


def generated_operations(package: str) -> set[str]:
    """``{"<resource>.<verb>", ...}`` defined by the sync resource classes of a generated package."""
    found: set[str] = set()
    resources = importlib.import_module(f"{package}.resources")
    for module_info in pkgutil.iter_modules(resources.__path__):
        module = importlib.import_module(f"{package}.resources.{module_info.name}")
        for cls in vars(module).values():
            if inspect.isclass(cls) and cls.__module__ == module.__name__ and not cls.__name__.startswith("Async"):
                found |= {
                    f"{module_info.name}.{name}"
                    for name, member in vars(cls).items()
                    if not name.startswith("_") and inspect.isfunction(member)
                }
    return found


def documented_codes(spec: str) -> list[tuple[str, int]]:
    """``[(code, status), ...]`` from the spec's ``errors.codes``."""
    document = yaml.safe_load((SPECS / f"{spec}.yaml").read_text())
    return [(code, entry["status"]) for code, entry in document["errors"]["codes"].items()]


# The exception tree every generated package has, as the tests expect it (by name,
# since each package has its own classes).
EXCEPTION_NAMES = {
    400: "BadRequestError",
    401: "AuthenticationError",
    403: "PermissionDeniedError",
    404: "NotFoundError",
    409: "ConflictError",
    422: "UnprocessableEntityError",
    429: "RateLimitError",
    500: "InternalServerError",
}


def exception_classes(package: str) -> dict[int, type[Exception]]:
    """``{status: exception class}`` of one generated package."""
    module = importlib.import_module(package)
    return {status: getattr(module, name) for status, name in EXCEPTION_NAMES.items()}
