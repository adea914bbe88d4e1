"""The benchmark scripts keep working: each runs once at a tiny size and prints its table.

The two that run the peer or a server are skipped unless the `bench` extra
(openapi-python-client, ruff, uvicorn) is installed.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parent.parent / "bench"
BIN = Path(sys.executable).parent


def _require_bench_extra() -> None:
    pytest.importorskip("openapi_python_client")
    pytest.importorskip("uvicorn")
    for tool in ("openapi-python-client", "ruff", "sdkforge"):
        if not (BIN / tool).is_file():
            pytest.skip(f"{tool} is not installed next to {sys.executable}")


def _run(script: str, *arguments: str) -> str:
    result = subprocess.run(
        [sys.executable, str(BENCH / script), *arguments], capture_output=True, text=True, timeout=120, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def _rows(output: str) -> list[list[str]]:
    """The table's rows as lists of cells (header and separator excluded)."""
    lines = [line for line in output.splitlines() if line.startswith("| ")]
    return [[cell.strip() for cell in line.strip("|").split("|")] for line in lines[1:]]


def test_bench_generate_prints_every_measure() -> None:
    _require_bench_extra()
    rows = _rows(_run("bench_generate.py", "--sizes", "5", "--repeats", "1"))
    assert [row[:2] for row in rows] == [
        ["5", "cold generate (s)"],
        ["5", "no-op regenerate (s) vs our cold"],
        ["5", "python -c pass (s) vs our cold"],
        ["5", "one summary changed (s) vs our cold"],
        ["5", ".py lines per operation"],
        ["5", "peak RSS of the largest process, cold (MB)"],
        ["5", "peak PSS of the process tree, cold (MB)"],
    ]
    assert all("×" in row[4] for row in rows), rows  # the peer generated from our export


def test_bench_runtime_prints_every_measure() -> None:
    _require_bench_extra()
    output = _run("bench_runtime.py", "--rounds", "2", "--calls", "3", "--ops", "5", "--big-ops", "5")
    rows = _rows(output)
    assert [row[0] for row in rows] == [
        "1 KB object, per call",
        "100-item page, per call",
        "parse 1,000 items, no network",
        "import, 5-op client (-X importtime)",
        "import + first call, 5-op client",
        "import + first call, 5-op client, just generated (no bytecode yet)",
    ]
    assert all(row[8] in ("met", "MISSED") for row in rows), rows
    assert all("×" in row[5] for row in rows[:2]), rows  # the pydantic floor of both calls


def test_bench_shapes_prints_every_shape() -> None:
    if not (BIN / "sdkforge").is_file():
        pytest.skip(f"sdkforge is not installed next to {sys.executable}")
    rows = _rows(_run("bench_shapes.py", "--rounds", "1", "--calls", "1"))
    assert [row[0] for row in rows] == [
        "BaseModel (the clients now)",
        "pydantic dataclass, slots",
        "pydantic dataclass, slots + `__dict__`",
        "TypedDict",
        "dict, no field types",
    ]
    assert all(row[2].endswith("×") for row in rows), rows  # one round: a ratio and no range


def test_profile_generate_prints_every_stage() -> None:
    rows = _rows(_run("profile_generate.py", "--ops", "5"))
    stages = [row[0] for row in rows]
    assert stages[0].startswith("start-up") and stages[-1] == "total", stages
    assert {"load", "render", "write"} <= set(stages), stages
