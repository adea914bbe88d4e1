"""What bench_runtime.py needs around its timings: clients, the server, fresh processes."""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO

import httpx
from benchlib import (
    export_openapi,
    generate_ours,
    generate_peer,
    operations,
    package_dir,
    peer_failure,
    tool_env,
    write_spec,
)

HERE = Path(__file__).resolve().parent
STARTUP_TIMEOUT = 20.0
IMPORT_LINE = re.compile(r"^import time:\s*\d+ \|\s*(\d+) \| (\S.*)$")  # top level only: no indent


@dataclass(frozen=True)
class Generated:
    """Both generators' clients for one spec: sys.path entries and the peer's package name."""

    ours_path: Path
    peer_path: Path
    peer_package: str


def generate(root: Path, ops: int) -> Generated:
    """Generate the synthetic API with sdkforge and with openapi-python-client (from our export)."""
    work = root / f"ops{operations(ops)}"
    spec = write_spec(work, ops)
    steps = [
        ("sdkforge generate", generate_ours(spec, work / "ours", work / "cache")),
        ("sdkforge export-openapi", export_openapi(spec, work / "openapi.json")),
    ]
    if steps[-1][1].returncode == 0:
        steps.append(("openapi-python-client generate", generate_peer(work / "openapi.json", work / "peer")))
    for name, result in steps:
        if result.returncode != 0 or (name.startswith("openapi") and peer_failure(result)):
            raise SystemExit(f"{name} failed for {ops} operations:\n{result.output}")
    return Generated(work / "ours" / "synth", work / "peer", package_dir(work / "peer").name)


def generate_both(root: Path, ops: int, big_ops: int) -> tuple[Generated, Generated]:
    """The small client (called over HTTP) and the big one (import + first call)."""
    small = generate(root, ops)
    return small, (small if operations(big_ops) == operations(ops) else generate(root, big_ops))


@contextmanager
def serve() -> Iterator[str]:
    """uvicorn running bench_server on a socket bound here; yields its base URL."""
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    listener.bind(("127.0.0.1", 0))
    listener.listen(128)
    command = [sys.executable, str(HERE / "bench_server.py"), "--fd", str(listener.fileno())]
    with tempfile.TemporaryFile() as log:
        child = subprocess.Popen(command, pass_fds=(listener.fileno(),), stdout=log, stderr=subprocess.STDOUT)
        try:
            base = f"http://127.0.0.1:{listener.getsockname()[1]}"
            _wait_ready(base, child, log)
            yield base
        finally:
            child.terminate()
            try:
                child.wait(timeout=10)
            except subprocess.TimeoutExpired:
                child.kill()
                child.wait()
            listener.close()


def _wait_ready(base: str, child: subprocess.Popen[bytes], log: IO[bytes]) -> None:
    """Return once the server answers; fail with its output if it exits or takes too long."""
    deadline = time.monotonic() + STARTUP_TIMEOUT
    while time.monotonic() < deadline:
        if child.poll() is not None:
            log.seek(0)
            raise SystemExit(f"uvicorn exited with {child.returncode}:\n{log.read().decode()}")
        try:
            if httpx.get(f"{base}/v1/things0/x", timeout=1.0).status_code == 200:
                return
        except httpx.TransportError:
            time.sleep(0.05)
    raise SystemExit(f"uvicorn did not answer within {STARTUP_TIMEOUT:.0f} s")


def child_env(client: Generated) -> dict[str, str]:
    """Both packages importable; bytecode written (and reused), as in a real install."""
    env = tool_env()
    env["PYTHONPATH"] = os.pathsep.join([str(client.ours_path), str(client.peer_path), env.get("PYTHONPATH", "")])
    return env


def importtime_micros(statement: str, env: dict[str, str], startup: set[str]) -> float:
    """Sum of the top-level cumulative µs of ``python -X importtime -c statement``, startup excluded."""
    command = [sys.executable, "-X", "importtime", "-c", statement]
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=True)
    total = 0
    for line in result.stderr.splitlines():
        match = IMPORT_LINE.match(line)
        if match and match.group(2) not in startup:
            total += int(match.group(1))
    return float(total)


def _startup_modules(env: dict[str, str]) -> set[str]:
    """Modules the interpreter imports before running any code."""
    result = subprocess.run([sys.executable, "-X", "importtime", "-c", "pass"], env=env, capture_output=True, text=True, check=True)
    return {line.rsplit("|", 1)[1].strip() for line in result.stderr.splitlines()[1:] if "|" in line}


def interleaved_processes(commands: dict[str, str], rounds: int, measure: Callable[[str], float]) -> dict[str, list[float]]:
    """``measure(command)`` for each command, once to warm bytecode, then ``rounds`` times, order rotating."""
    names = list(commands)
    samples: dict[str, list[float]] = {name: [] for name in names}
    for name in names:
        measure(commands[name])
    for round_number in range(max(3, rounds)):
        shift = round_number % len(names)
        for name in names[shift:] + names[:shift]:
            samples[name].append(measure(commands[name]))
    return samples


def import_micros(client: Generated, rounds: int) -> dict[str, list[float]]:
    """Import time (µs) of httpx + pydantic, of our client class, of the peer's client and one operation."""
    env = child_env(client)
    startup = _startup_modules(env)
    statements = {
        "raw": "import httpx, pydantic",
        "ours": "from synth_api import Synth",  # `import synth_api` alone is lazy (PEP 562) and imports nothing
        "peer": f"from {client.peer_package}.client import AuthenticatedClient\n"
        f"from {client.peer_package}.api.things0 import things0_retrieve",
    }
    return interleaved_processes(statements, rounds, lambda statement: importtime_micros(statement, env, startup))


FIRST_CALL = {
    "raw": "import httpx\nhttpx.Client().get(BASE + '/v1/things0/x').json()",
    "ours": "from synth_api import Synth\nSynth(api_key='k', base_url=BASE).things0.retrieve('x')",
    "peer": "from {peer}.client import AuthenticatedClient\nfrom {peer}.api.things0 import things0_retrieve\n"
    "assert things0_retrieve.sync('x', client=AuthenticatedClient(base_url=BASE, token='k')).id",
    # raw httpx, then pydantic into our model (its module alone: models are lazy), no client:
    # what any client returning validated pydantic models imports and does at least
    "floor": "import httpx\nfrom synth_api.models import Thing0\nfrom synth_api._runtime import adapter, validate_json\n"
    "validate_json(adapter(Thing0), httpx.Client().get(BASE + '/v1/things0/x').content)",
}


def first_call_seconds(client: Generated, base: str, rounds: int, *, fresh_bytecode: bool = False) -> dict[str, list[float]]:
    """Seconds from the first import to the first answer, measured inside a fresh interpreter.

    With ``fresh_bytecode``, both generated packages lose their ``__pycache__`` before each
    run, as just after a regeneration: what is imported is compiled first. httpx and
    pydantic keep theirs, as pip compiles them when it installs them."""
    env = child_env(client)
    scripts = {
        name: f"import time\nstarted = time.perf_counter()\nBASE = {base!r}\n{body.format(peer=client.peer_package)}\n"
        "print(time.perf_counter() - started)"
        for name, body in FIRST_CALL.items()
    }

    def measure(script: str) -> float:
        if fresh_bytecode:
            for package in (client.ours_path, client.peer_path):
                for cached in package.rglob("__pycache__"):
                    shutil.rmtree(cached)
        result = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True)
        return float(result.stdout.strip().splitlines()[-1])

    return interleaved_processes(scripts, rounds, measure)
