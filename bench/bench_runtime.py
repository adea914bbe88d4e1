"""Runtime benchmark: our generated client vs raw httpx and openapi-python-client's.

    python bench/bench_runtime.py --rounds 7

Generates the synthetic client (--ops, default 20) with both generators, serves
canned JSON from uvicorn on 127.0.0.1 (bench_server.py) and times, in rounds
whose order rotates: a 1 KB object and a 100-item page per call; parsing 1,000
items with no network; `import` in fresh interpreters (-X importtime); and
import + first call of the --big-ops (default 1000) client in a fresh process,
with its bytecode compiled, then as just generated (no bytecode yet).
Ratios are medians of per-round ratios.
"""

from __future__ import annotations

import argparse
import importlib
import json
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
from bench_server import page
from benchlib import machine, median, spread, table, verdict
from pydantic import TypeAdapter
from runtime_setup import (
    Generated,
    first_call_seconds,
    generate_both,
    import_micros,
    serve,
)

TARGETS = {"object": 1.05, "page": 1.25, "parse": 1.0, "import": 1.15, "first_call": 0.1}
HEADER = ["measure", "baseline", "baseline value", "sdkforge", "peer", "pydantic floor", "ratio", "target", "verdict"]


def interleaved(cases: dict[str, Callable[[], Any]], rounds: int, calls: int, block: int = 20) -> dict[str, list[float]]:
    """Seconds per call of each case, one sample per round; the order rotates every round.

    Within a round the cases take turns, ``block`` calls at a time, and a sample is the
    case's time over the whole round divided by ``calls``. This host is shared: a burst of
    load a second long used to fall on whichever case was running its 200 calls then, and
    the per-round ratios spread from 0.74 to 1.51. Taking turns spreads it over all of them.
    """
    names = list(cases)
    samples: dict[str, list[float]] = {name: [] for name in names}
    for name in names:
        cases[name]()  # warm up: connections, TypeAdapters, lazy imports
    for round_number in range(rounds):
        shift = round_number % len(names)
        order = names[shift:] + names[:shift]
        spent = dict.fromkeys(names, 0.0)
        for start in range(0, calls, block):
            count = min(block, calls - start)
            for name in order:
                call = cases[name]
                started = time.perf_counter()
                for _ in range(count):
                    call()
                spent[name] += time.perf_counter() - started
        for name in names:
            samples[name].append(spent[name] / calls)
    return samples


def network_cases(small: Generated, base: str) -> tuple[dict[str, Callable[[], Any]], dict[str, Callable[[], Any]], list[Any]]:
    """The 1 KB object and 100-item page calls of raw httpx, ours and the peer's; plus what to close."""
    for entry in (small.ours_path, small.peer_path):
        sys.path.insert(0, str(entry))
    ours = importlib.import_module("synth_api").Synth(api_key="bench-key", base_url=base)
    peer_client = importlib.import_module(f"{small.peer_package}.client").AuthenticatedClient(base_url=base, token="bench-key")
    retrieve = importlib.import_module(f"{small.peer_package}.api.things0.things0_retrieve")
    listing = importlib.import_module(f"{small.peer_package}.api.things0.things0_list")
    raw = httpx.Client(headers={"Authorization": "Bearer bench-key"})
    floor_object, floor_page = _floor_calls(raw, base)
    _check(ours.things0.retrieve("x").id, ours.things0.list(limit=100).first_page().items)
    _check(retrieve.sync("x", client=peer_client).id, listing.sync(client=peer_client, limit=100).items)
    one = {
        "raw": lambda: raw.get(f"{base}/v1/things0/x").json(),
        "ours": lambda: ours.things0.retrieve("x"),
        "peer": lambda: retrieve.sync("x", client=peer_client),
        "floor": floor_object,
    }
    hundred = {
        "raw": lambda: raw.get(f"{base}/v1/things0", params={"limit": 100}).json(),
        "ours": lambda: ours.things0.list(limit=100).first_page(),
        "peer": lambda: listing.sync(client=peer_client, limit=100),
        "floor": floor_page,
    }
    return one, hundred, [ours, raw, peer_client.get_httpx_client()]


def _floor_calls(raw: httpx.Client, base: str) -> tuple[Callable[[], Any], Callable[[], Any]]:
    """Raw httpx, then pydantic straight from the bytes into the same types as our client.

    What any client that validates into pydantic models pays at least: no argument checks,
    no retries, no error mapping. Each returns its result in a new list: that allocation
    lets the garbage collector run while the new objects are alive, as it does in a client
    that builds a page object around them.
    """
    runtime = importlib.import_module("synth_api._runtime")
    thing = importlib.import_module("synth_api.models").Thing0
    page_shape = importlib.import_module("synth_api._pagination").page_shape(thing, "", "")

    def one() -> list[Any]:
        return [runtime.validate_json(runtime.adapter(thing), raw.get(f"{base}/v1/things0/x").content)]

    def hundred() -> list[Any]:
        response = raw.get(f"{base}/v1/things0", params={"limit": 100})
        return [runtime.validate_json(page_shape, response.content)]

    return one, hundred


def _check(identifier: str, items: list[Any]) -> None:
    """Both clients must really parse the server's answers, or the timings mean nothing."""
    if identifier != "thing_000000" or len(items) != 100:
        raise SystemExit(f"unexpected answer from a client: id={identifier!r}, {len(items)} items")


def parse_cases(small: Generated) -> dict[str, Callable[[], Any]]:
    """1,000 items from bytes: json.loads, our TypeAdapter (as our runtime parses), the peer's from_dict."""
    raw = json.dumps(page(1000)["items"]).encode()
    thing = importlib.import_module("synth_api.models").Thing0
    adapter: TypeAdapter[list[Any]] = TypeAdapter(list.__class_getitem__(thing))  # list[Thing0], built at run time
    validate_json = importlib.import_module("synth_api._runtime").validate_json  # what the client calls
    peer_thing = importlib.import_module(f"{small.peer_package}.models").Thing0
    return {
        "raw": lambda: json.loads(raw),
        "ours": lambda: validate_json(adapter, raw),
        "peer": lambda: [peer_thing.from_dict(item) for item in json.loads(raw)],
    }


def row(name: str, baseline: str, samples: dict[str, list[float]], target: str, scale: float, unit: str,
        *, against: str = "raw") -> list[str]:
    """One table row: medians in ``unit``; the median (and range) of per-round ratios of ours to
    ``against``, and the pydantic floor's median ratio to the same, where the row has one."""
    ratios = [mine / other for mine, other in zip(samples["ours"], samples[against])]
    label = "peer" if against == "peer" else "baseline"
    cells = [f"{median(samples[key]) * scale:.1f} {unit}" for key in ("raw", "ours", "peer")]
    floor = "—"
    if "floor" in samples:
        floor_ratios = [mine / other for mine, other in zip(samples["floor"], samples[against])]
        floor = f"{median(samples['floor']) * scale:.1f} {unit} ({median(floor_ratios):.2f}×)"
    limit = TARGETS[target]
    return [name, baseline, *cells, floor, f"{spread(ratios)} {label}", f"≤ {limit:g}×", verdict(median(ratios), limit)]


def run(arguments: argparse.Namespace, root: Path) -> list[list[str]]:
    """Every measurement, as table rows."""
    small, big = generate_both(root, arguments.ops, arguments.big_ops)
    rounds, calls = arguments.rounds, arguments.calls
    with serve() as base:
        one, hundred, closers = network_cases(small, base)
        rows = [
            row("1 KB object, per call", "httpx get().json()", interleaved(one, rounds, calls), "object", 1e6, "µs"),
            row("100-item page, per call", "httpx get().json()", interleaved(hundred, rounds, calls), "page", 1e6, "µs"),
        ]
        for closer in closers:
            closer.close()
        parsed = interleaved(parse_cases(small), rounds, max(2, calls // 10))
        rows.append(row("parse 1,000 items, no network", "json.loads", parsed, "parse", 1e3, "ms"))
        sizes = {arguments.ops: small, arguments.big_ops: big} if big is not small else {arguments.ops: small}
        for ops, client in sizes.items():
            rows.append(row(f"import, {ops}-op client (-X importtime)", "import httpx, pydantic",
                            import_micros(client, rounds), "import", 1e-3, "ms"))
        rows.append(row(f"import + first call, {arguments.big_ops}-op client", "import httpx + get",
                        first_call_seconds(big, base, rounds), "first_call", 1e3, "ms", against="peer"))
        rows.append(row(f"import + first call, {arguments.big_ops}-op client, just generated (no bytecode yet)",
                        "import httpx + get", first_call_seconds(big, base, rounds, fresh_bytecode=True),
                        "first_call", 1e3, "ms", against="peer"))
    return rows


def main() -> int:
    """Run the benchmark and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=7, help="interleaved rounds per measure (default 7)")
    parser.add_argument("--calls", type=int, default=200, help="calls per client per round (default 200)")
    parser.add_argument("--ops", type=int, default=20, help="operations of the client called over HTTP (default 20)")
    parser.add_argument("--big-ops", type=int, default=1000, help="operations of the import + first call client (default 1000)")
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-runtime-") as root:
        rows = run(arguments, Path(root))
    print(f"Runtime, {arguments.rounds} rounds × {arguments.calls} calls, {machine()}\n")
    print(table(HEADER, rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
