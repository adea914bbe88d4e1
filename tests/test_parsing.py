"""How the generated runtime turns response bytes into models."""

from __future__ import annotations

import gc
import importlib
import json
from collections.abc import Iterator
from typing import Annotated, Any

import pytest
from pydantic import AfterValidator, TypeAdapter, ValidationError


@pytest.fixture
def runtime() -> Any:
    return importlib.import_module("feathery_api._runtime")


@pytest.fixture
def collector_states() -> Iterator[tuple[list[bool], TypeAdapter[list[int]]]]:
    """An adapter that records, as it validates, whether the garbage collector is on."""
    states: list[bool] = []

    def record(value: list[int]) -> list[int]:
        states.append(gc.isenabled())
        return value

    yield states, TypeAdapter(Annotated[list[int], AfterValidator(record)])
    assert gc.isenabled(), "a test left the garbage collector off"


def test_large_bodies_are_parsed_with_the_collector_paused(runtime: Any, collector_states: Any) -> None:
    states, adapter = collector_states
    large = json.dumps(list(range(runtime.LARGE_BODY // 4))).encode()
    assert len(large) >= runtime.LARGE_BODY
    assert runtime.validate_json(adapter, b"[1, 2]") == [1, 2]
    assert runtime.validate_json(adapter, large)[-1] == runtime.LARGE_BODY // 4 - 1
    assert states == [True, False]
    assert gc.isenabled()


def test_the_collector_is_resumed_after_a_body_that_does_not_validate(runtime: Any, collector_states: Any) -> None:
    _, adapter = collector_states
    with pytest.raises(ValidationError):
        runtime.validate_json(adapter, b"[" + b"1, " * runtime.LARGE_BODY + b'"x"]')
    assert gc.isenabled()


def test_a_collector_the_program_turned_off_stays_off(runtime: Any, collector_states: Any) -> None:
    states, adapter = collector_states
    gc.disable()
    try:
        runtime.validate_json(adapter, json.dumps(list(range(runtime.LARGE_BODY))).encode())
        assert not gc.isenabled()
    finally:
        gc.enable()
    assert states == [False]
