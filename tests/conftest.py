"""Shared fixtures: the repository layout and a real HTTP server on 127.0.0.1."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.apiserver import APIServer

ROOT = Path(__file__).resolve().parent.parent
GENERATED = ROOT / "generated"
SPECS = ROOT / "specs"

# The committed generated packages are what the end-to-end tests exercise.
for package_root in sorted(GENERATED.iterdir()) if GENERATED.is_dir() else []:
    if str(package_root) not in sys.path:
        sys.path.insert(0, str(package_root))


@pytest.fixture
def server() -> Iterator[APIServer]:
    """A fresh server per test; stopped afterwards."""
    running = APIServer().start()
    try:
        yield running
    finally:
        running.stop()
