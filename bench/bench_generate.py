"""Generation benchmark: sdkforge vs openapi-python-client on the synthetic API.

    python bench/bench_generate.py --sizes 20,200,1000 --repeats 3

For each size: the synthetic spec (bench/synth_spec.py) and its OpenAPI export
(`sdkforge export-openapi`); then, interleaved, a cold `sdkforge generate`
(empty black cache) and `openapi-python-client generate` (default ruff
post-hooks); our no-op regeneration and a regeneration after one summary
changed (same output, warm cache); and `python -c pass`, the floor of any
no-op. Ratios are medians of per-repeat ratios.
Memory: the largest process's peak RSS in the timed runs, and the whole process
tree's peak PSS (black workers, ruff) sampled in one more untimed run each.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

from benchlib import (
    Run,
    export_openapi,
    generate_ours,
    generate_peer,
    machine,
    median,
    operations,
    ours_command,
    package_dir,
    peer_command,
    peer_failure,
    python_lines,
    run,
    spread,
    table,
    tool_env,
    tree_peak_mb,
    verdict,
    write_spec,
)

COLD_TARGET = 0.5  # our cold / peer cold, at 1000 operations and more
COLD_TARGET_FROM_OPS = 1000
NOOP_TARGET = 0.1  # our no-op / our cold
MEMORY_TARGET = 1.0  # our peak RSS / peer peak RSS
HEADER = ["ops", "measure", "sdkforge", "peer", "ratio", "target", "verdict"]


def ours_or_exit(result: Run, what: str) -> Run:
    """Our own command must succeed; stop with its output otherwise."""
    if result.returncode != 0:
        raise SystemExit(f"sdkforge {what} failed (exit {result.returncode}):\n{result.output}")
    return result


def one_repeat(work: Path, spec: Path, openapi: Path | None, ops: int, repeat: int) -> dict[str, Run | None]:
    """Cold ours, cold peer, then no-op and one-change regeneration of our cold output."""
    out, cache = work / f"ours{repeat}", work / f"cache{repeat}"
    cold = ours_or_exit(generate_ours(spec, out, cache), "generate (cold)")
    peer = generate_peer(openapi, work / f"peer{repeat}") if openapi else None
    noop = ours_or_exit(generate_ours(spec, out, cache), "generate (no-op)")
    if "up to date" not in noop.output:
        print(f"warning: the no-op regeneration at {ops} ops wrote files: {noop.output.strip()}", file=sys.stderr)
    edited = write_spec(work / f"edit{repeat}", ops, edit=f"edit {repeat}")
    changed = ours_or_exit(generate_ours(edited, out, cache), "generate (one change)")
    # The floor of any no-op: an interpreter that starts, imports nothing and exits.
    start_up = run([sys.executable, "-c", "pass"], env=tool_env())
    return {"cold": cold, "peer": peer, "noop": noop, "changed": changed, "start_up": start_up}


def measure(root: Path, requested: int, repeats: int) -> tuple[list[list[str]], list[str]]:
    """Table rows for one size, and notes (peer or export failures)."""
    ops = operations(requested)
    work = root / f"ops{ops}"
    spec = write_spec(work / "spec", ops)
    openapi = work / "openapi.json"
    exported = export_openapi(spec, openapi)
    notes = [] if exported.returncode == 0 else [f"{ops} ops: export-openapi failed: {exported.output.strip()}"]
    runs = [one_repeat(work, spec, openapi if not notes else None, ops, repeat) for repeat in range(repeats)]
    peer_error = _peer_error(runs) or ("export failed" if notes else None)
    if peer_error:
        notes.append(f"{ops} ops: openapi-python-client failed on the export: {peer_error}")
    trees = tree_memory(work, spec, None if peer_error else openapi)
    return _rows(ops, runs, work, peer_error, trees), notes


def tree_memory(work: Path, spec: Path, openapi: Path | None) -> tuple[float, float]:
    """Peak PSS of each generator's whole process tree in one more, untimed, cold run each."""
    ours = tree_peak_mb(ours_command(spec, work / "ours-memory"), env=tool_env(SDKFORGE_CACHE_DIR=str(work / "cache-memory")))
    peer = tree_peak_mb(peer_command(openapi, work / "peer-memory")) if openapi else float("nan")
    return ours, peer


def _peer_error(runs: list[dict[str, Run | None]]) -> str | None:
    for result in runs:
        peer = result["peer"]
        if peer is not None and peer_failure(peer):
            return peer_failure(peer)
    return None


def _rows(ops: int, runs: list[dict[str, Run | None]], work: Path, peer_error: str | None,
          trees: tuple[float, float]) -> list[list[str]]:
    """The seven rows of one size."""
    times = defaultdict(list)
    memory = defaultdict(list)
    for result in runs:
        for name, value in result.items():
            if value is not None:
                times[name].append(value.seconds)
                memory[name].append(value.peak_mb)
    ours_lines = python_lines(package_dir(work / "ours0" / "synth")) / ops
    peer_lines = python_lines(package_dir(work / "peer0")) / ops if not peer_error else float("nan")
    cold_target = COLD_TARGET if ops >= COLD_TARGET_FROM_OPS else None
    return [
        _row(ops, "cold generate (s)", times["cold"], times["peer"], cold_target, peer_error),
        _row(ops, "no-op regenerate (s) vs our cold", times["noop"], times["cold"], NOOP_TARGET, None, peer_cell="(our cold)"),
        _row(ops, "python -c pass (s) vs our cold", times["start_up"], times["cold"], None, None, peer_cell="(our cold)"),
        _row(ops, "one summary changed (s) vs our cold", times["changed"], times["cold"], None, None, peer_cell="(our cold)"),
        _row(ops, ".py lines per operation", [ours_lines], [peer_lines], None, peer_error, digits=0),
        _row(ops, "peak RSS of the largest process, cold (MB)", memory["cold"], memory["peer"], MEMORY_TARGET, peer_error, digits=0),
        _row(ops, "peak PSS of the process tree, cold (MB)", [trees[0]], [trees[1]], MEMORY_TARGET, peer_error, digits=0),
    ]


def _row(ops: int, name: str, ours: list[float], other: list[float], target: float | None,
         peer_error: str | None, *, peer_cell: str = "", digits: int = 2) -> list[str]:
    """One row: medians, the median (and range) of paired ratios, the target and whether it is met."""
    target_cell = f"≤ {target:g}×" if target is not None else ""
    if peer_error:
        return [str(ops), name, f"{median(ours):.{digits}f}", "FAILED (see below)", "—", target_cell, "peer failed"]
    ratios = [mine / theirs for mine, theirs in zip(ours, other) if theirs]
    reference = f"{median(other):.{digits}f}" + (f" {peer_cell}" if peer_cell else "")
    return [str(ops), name, f"{median(ours):.{digits}f}", reference, spread(ratios), target_cell, verdict(median(ratios), target)]


def main() -> int:
    """Run every size and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="20,200,1000", help="operation counts, comma-separated (default 20,200,1000)")
    parser.add_argument("--repeats", type=int, default=3, help="repeats per size, interleaved (default 3)")
    arguments = parser.parse_args()
    rows: list[list[str]] = []
    notes: list[str] = []
    with tempfile.TemporaryDirectory(prefix="bench-generate-") as root:
        for size in (int(text) for text in arguments.sizes.split(",")):
            size_rows, size_notes = measure(Path(root), size, arguments.repeats)
            rows += size_rows
            notes += size_notes
            print(f"measured {operations(size)} operations", file=sys.stderr, flush=True)
    print(f"Generation, {arguments.repeats} repeat(s), {machine()}\n")
    print(table(HEADER, rows))
    for note in notes:
        print(f"\n- {note}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
