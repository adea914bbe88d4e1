"""Shared fixtures: the repository layout, a real HTTP server on 127.0.0.1, a tiny project."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.apiserver import APIServer
from tests.minispec import MINI_SPEC

ROOT = Path(__file__).resolve().parent.parent
GENERATED = ROOT / "generated"
SPECS = ROOT / "specs"

# The committed generated packages are what the end-to-end tests exercise.
for package_root in sorted(GENERATED.iterdir()) if GENERATED.is_dir() else []:
    if str(package_root) not in sys.path:
        sys.path.insert(0, str(package_root))


@pytest.fixture(scope="session", autouse=True)
def _in_the_repository() -> Iterator[None]:
    """Every test starts in the repository, wherever pytest was run from: generated headers
    quote the spec's path from the working directory, as a user runs sdkforge."""
    started_in = os.getcwd()
    os.chdir(ROOT)
    try:
        yield
    finally:
        os.chdir(started_in)


@pytest.fixture
def server() -> Iterator[APIServer]:
    """A fresh server per test; stopped afterwards."""
    running = APIServer().start()
    try:
        yield running
    finally:
        running.stop()


@pytest.fixture
def petstore_project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """specs/petstore.yaml in a fresh directory (the working directory), with its own cache."""
    (tmp_path / "specs").mkdir()
    (tmp_path / "specs" / "petstore.yaml").write_text(MINI_SPEC)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SDKFORGE_CACHE_DIR", str(tmp_path / "cache"))
    return tmp_path
