"""Helpers shared by the benchmark scripts: tools, child processes, specs, tables.

Every timed measurement runs a command as a child process and reads its wall
time and peak resident memory (``os.wait4``: the largest single process in the
child's tree). ``tree_peak_mb`` samples the whole tree's memory instead.
"""

from __future__ import annotations

import math
import os
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from synth_spec import VERBS, synth_spec

BIN = Path(sys.executable).parent


@dataclass(frozen=True)
class Run:
    """One finished child process."""

    seconds: float
    peak_mb: float
    returncode: int
    output: str


def tool(name: str) -> str:
    """The console script next to this interpreter (not a pyenv shim, whose startup is slow)."""
    candidate = BIN / name
    if candidate.is_file():
        return str(candidate)
    raise SystemExit(f"{name} is not installed next to {sys.executable}: pip install -e '.[dev,bench]'")


def tool_env(**extra: str) -> dict[str, str]:
    """The environment for children: this interpreter's bin dir first, so hooks find ruff.

    Bytecode is written and reused, as in a real install: with PYTHONDONTWRITEBYTECODE
    inherited, a module edited since its last .pyc is compiled again on every run,
    and a start-up row would measure the compiler."""
    env = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}
    env["PATH"] = f"{BIN}{os.pathsep}{env.get('PATH', '')}"
    env.update(extra)
    return env


def run(command: list[str], *, env: dict[str, str] | None = None, cwd: Path | None = None) -> Run:
    """Run ``command``; its wall time, peak RSS and combined output (never raises on failure)."""
    with tempfile.TemporaryFile() as handle:
        started = time.perf_counter()
        child = subprocess.Popen(command, stdout=handle, stderr=subprocess.STDOUT, env=env or tool_env(), cwd=cwd)
        _, status, usage = os.wait4(child.pid, 0)
        seconds = time.perf_counter() - started
        child.returncode = os.waitstatus_to_exitcode(status)
        handle.seek(0)
        output = handle.read().decode("utf-8", "replace")
    return Run(seconds, usage.ru_maxrss / 1024, child.returncode, output)


def operations(requested: int) -> int:
    """How many operations ``synth_spec`` really writes (whole resources of five verbs)."""
    return max(1, -(-requested // len(VERBS))) * len(VERBS)


def write_spec(directory: Path, ops: int, *, edit: str = "") -> Path:
    """``directory/synth.yaml`` for ``ops`` operations; ``edit`` is appended to one summary."""
    directory.mkdir(parents=True, exist_ok=True)
    text = synth_spec(ops)
    if edit:
        text = text.replace("summary: Retrieve a thing 0\n", f"summary: Retrieve a thing 0 ({edit})\n", 1)
    path = directory / "synth.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def export_openapi(spec: Path, target: Path) -> Run:
    """``sdkforge export-openapi SPEC -o target``."""
    return run([tool("sdkforge"), "export-openapi", str(spec), "-o", str(target)])


def ours_command(spec: Path, output: Path) -> list[str]:
    """``sdkforge generate SPEC -o output``: writes ``output/synth``."""
    return [tool("sdkforge"), "generate", str(spec), "-o", str(output)]


def peer_command(openapi: Path, output: Path) -> list[str]:
    """openapi-python-client with its default ruff post-hooks: writes ``output``."""
    return [tool("openapi-python-client"), "generate", "--path", str(openapi), "--output-path", str(output), "--overwrite"]


def generate_ours(spec: Path, output: Path, cache: Path) -> Run:
    """Run ``ours_command`` with the black cache in ``cache``."""
    return run(ours_command(spec, output), env=tool_env(SDKFORGE_CACHE_DIR=str(cache)))


def generate_peer(openapi: Path, output: Path) -> Run:
    """Run ``peer_command``."""
    return run(peer_command(openapi, output))


def tree_peak_mb(command: list[str], env: dict[str, str] | None = None) -> float:
    """Peak summed PSS (MB) of ``command``'s whole process tree, workers and hooks included.

    Sampled every 20 ms from /proc (Linux); NaN elsewhere. PSS splits pages that
    forked workers share, so they are not counted twice. Run it apart from timings.
    """
    if not Path("/proc/self/smaps_rollup").is_file():
        return float("nan")
    child = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env or tool_env())
    peak = 0
    while child.poll() is None:
        peak = max(peak, sum(_pss_kb(pid) for pid in _process_tree(child.pid)))
        time.sleep(0.02)
    return peak / 1024


def _process_tree(root: int) -> list[int]:
    found, index = [root], 0
    while index < len(found):
        for children in Path(f"/proc/{found[index]}/task").glob("*/children"):
            try:
                found += [int(pid) for pid in children.read_text().split()]
            except OSError:
                pass  # the process just exited
        index += 1
    return found


def _pss_kb(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def peer_failure(result: Run) -> str | None:
    """Why the peer's run failed (or warned), in one line; None when it was clean."""
    lines = [line.strip() for line in result.output.splitlines() if line.strip()]
    if result.returncode != 0:
        detail = next((line for line in lines if "error" in line.lower()), lines[-1] if lines else "no output")
        return f"exit {result.returncode}: {detail}"
    if any("warning" in line.lower() for line in lines):
        return "warnings: " + " | ".join(lines[1:4])
    return None


def package_dir(root: Path) -> Path:
    """The one package directory (holding ``__init__.py``) directly under ``root``."""
    found = sorted(path.parent for path in root.glob("*/__init__.py"))
    if len(found) != 1:
        raise RuntimeError(f"expected one package under {root}, found {[str(path) for path in found]}")
    return found[0]


def python_lines(directory: Path) -> int:
    """Lines in every .py file under ``directory``."""
    return sum(len(path.read_text(encoding="utf-8").splitlines()) for path in directory.rglob("*.py"))


def median(values: list[float]) -> float:
    """The median, or NaN for no values."""
    return statistics.median(values) if values else float("nan")


def spread(ratios: list[float]) -> str:
    """The median ratio and, when there are several, their range: ``1.21× (1.02–1.35)``."""
    text = f"{median(ratios):.2f}×"
    return text + (f" ({min(ratios):.2f}–{max(ratios):.2f})" if len(ratios) > 1 else "")


def verdict(ratio: float, limit: float | None) -> str:
    """``met`` / ``MISSED`` against an upper bound; blank when there is no target."""
    if limit is None or math.isnan(ratio):  # nothing measured
        return ""
    return "met" if ratio <= limit else "MISSED"


def table(header: list[str], rows: list[list[str]]) -> str:
    """A markdown table."""
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def machine() -> str:
    """One line: cores, Python, CPU model."""
    model = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{os.cpu_count()} cores, Python {sys.version.split()[0]}, {model}"
