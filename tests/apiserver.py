"""A real HTTP server on 127.0.0.1 for end-to-end tests: records requests, answers as told.

    server.route("GET", "/api/form/", json=[...])             # every matching request
    server.queue("GET", "/api/form/", status=503)             # the next matching request only
    server.route("POST", "/x", handler=lambda request: Reply(201, json={...}))
    server.requests[-1].json()                                # what the client sent

Faults for the resilience tests: ``Reply(fault="reset")`` closes the connection
before answering, ``"truncate"`` sends half the body, ``delay=`` waits first.
"""

from __future__ import annotations

import json
import socket
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit


@dataclass
class Recorded:
    """One request as the server received it."""

    method: str
    path: str
    raw_path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    body: bytes
    header_lines: list[tuple[str, str]] = field(default_factory=list)  # as sent, repeats and all
    peer_port: int = 0  # the client's port: one per connection

    def json(self) -> Any:
        return json.loads(self.body)

    def header(self, name: str) -> str | None:
        return self.headers.get(name.lower())

    def header_values(self, name: str) -> list[str]:
        """Every value sent under ``name``, however it was spelled."""
        return [value for key, value in self.header_lines if key.lower() == name.lower()]


@dataclass
class Reply:
    """What to answer."""

    status: int = 200
    json: Any = None
    body: bytes | None = None
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    fault: str = ""  # "reset" | "truncate"


Handler = Callable[[Recorded], Reply]


class APIServer:
    """The server; start() in a fixture, stop() after."""

    def __init__(self) -> None:
        self.requests: list[Recorded] = []
        self._routes: dict[tuple[str, str], Handler] = {}
        self._queues: dict[tuple[str, str], list[Reply]] = {}
        self._lock = threading.Lock()
        self._httpd = _QuietServer(("127.0.0.1", 0), _make_handler(self))
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)

    @property
    def url(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> APIServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=5)

    def route(self, method: str, path: str, handler: Handler | None = None, **reply: Any) -> None:
        """Answer every ``method path`` request (path without query) with ``reply`` or ``handler``."""
        fixed = Reply(**reply)
        self._routes[(method, path)] = handler or (lambda _request: fixed)

    def queue(self, method: str, path: str, *replies: Reply, **reply: Any) -> None:
        """Answer the next matching requests, one reply each, before falling back to the route."""
        with self._lock:
            self._queues.setdefault((method, path), []).extend(replies or (Reply(**reply),))

    def only_request(self) -> Recorded:
        """The one request received so far; fails, listing them, when there were more or none."""
        assert len(self.requests) == 1, [(r.method, r.raw_path) for r in self.requests]
        return self.requests[0]

    def reply_for(self, request: Recorded) -> Reply:
        key = (request.method, request.path)
        with self._lock:
            self.requests.append(request)
            pending = self._queues.get(key)
            if pending:
                return pending.pop(0)
        handler = self._routes.get(key)
        if handler is None:
            return Reply(404, json={"detail": f"no route for {request.method} {request.path}"})
        return handler(request)


class _QuietServer(ThreadingHTTPServer):
    """Clients that hang up early (timeouts, resets under test) are expected, not errors.

    Printing their tracebacks from server threads also races with pytest's own
    traceback formatting on Python 3.11, which can crash pytest (INTERNALERROR).
    """

    def handle_error(self, request: Any, client_address: Any) -> None:
        error = sys.exc_info()[1]
        if isinstance(error, (ConnectionError, TimeoutError)):
            return
        super().handle_error(request, client_address)


def _make_handler(server: APIServer) -> type[BaseHTTPRequestHandler]:
    class RequestHandler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: Any) -> None:  # keep test output clean
            pass

        def _handle(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            split = urlsplit(self.path)
            from urllib.parse import unquote

            recorded = Recorded(
                method=self.command,
                path=unquote(split.path) if "%2F" not in split.path.upper() else split.path,
                raw_path=split.path,
                query=parse_qs(split.query, keep_blank_values=True),
                headers={name.lower(): value for name, value in self.headers.items()},
                body=body,
                header_lines=list(self.headers.items()),
                peer_port=self.client_address[1],
            )
            reply = server.reply_for(recorded)
            if reply.delay:
                time.sleep(reply.delay)
            if reply.fault == "reset":
                self._reset()
                return
            payload = reply.body if reply.body is not None else (b"" if reply.json is None else json.dumps(reply.json).encode())
            self.send_response(reply.status)
            headers = {"Content-Type": "application/json", **reply.headers} if reply.json is not None else dict(reply.headers)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            if reply.fault == "truncate":
                self.wfile.write(payload[: len(payload) // 2])
                self.wfile.flush()
                self._reset()
                return
            self.wfile.write(payload)

        def _reset(self) -> None:
            # SO_LINGER 0: close with RST, as a crashed server or a dropped proxy would.
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
            self.connection.close()
            self.close_connection = True

        do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = do_OPTIONS = _handle

    return RequestHandler
