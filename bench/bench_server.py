"""A tiny ASGI app for bench_runtime.py: canned JSON for the synthetic API's paths.

    python bench/bench_server.py --fd N     # serve on an already listening TCP socket

``/v1/things<k>/<id>`` answers one Thing of about 1 KB; ``/v1/things<k>`` answers
a cursor page of 100 of them, the shape the synthetic spec declares.
"""

from __future__ import annotations

import argparse
import json
import socket
from typing import Any


def thing(index: int = 0) -> dict[str, Any]:
    """One Thing of about 1 KB that validates against every ThingN model."""
    value: dict[str, Any] = {
        "id": f"thing_{index:06d}",
        "name": f"Thing number {index}",
        "nickname": None,
        "count": index,
        "score": 0.5 + index,
        "enabled": True,
        "status": "active",
        "createdAt": "2024-05-06T07:08:09Z",
        "address": {"street": "1 Main Street", "city": "Springfield", "postalCode": "12345"},
        "tags": [],
    }
    while len(json.dumps(value)) < 1000:
        tag = len(value["tags"])
        value["tags"].append({"id": tag, "name": f"tag-{tag}"})
    return value


def page(size: int) -> dict[str, Any]:
    """A last page of ``size`` things."""
    return {"items": [thing(index) for index in range(size)], "nextCursor": None, "hasMore": False}


OBJECT = json.dumps(thing()).encode()
PAGE = json.dumps(page(100)).encode()


async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
    """Answer every GET with the object or the page, by the number of path segments."""
    if scope["type"] != "http":
        return
    body = PAGE if scope["path"].strip("/").count("/") == 1 else OBJECT
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    await send({"type": "http.response.start", "status": 200, "headers": headers})
    await send({"type": "http.response.body", "body": body})


def main() -> None:
    """Serve ``app`` with uvicorn on the inherited socket.

    Not ``uvicorn --fd``: it wraps the descriptor as a Unix socket, so asyncio
    leaves Nagle on and small answers wait for delayed ACKs (40 ms per call).
    """
    import uvicorn

    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("--fd", type=int, required=True, help="a listening TCP socket's file descriptor")
    listener = socket.socket(fileno=parser.parse_args().fd)
    config = uvicorn.Config(app, log_level="warning", access_log=False, lifespan="off")
    uvicorn.Server(config).run(sockets=[listener])


if __name__ == "__main__":
    main()
