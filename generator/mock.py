"""Serve an API from its spec alone, on 127.0.0.1: ``sdkforge mock SPEC``.

For each request the mock finds the operation (method + path template), checks the
request against the spec (``mockcheck``) and answers like the API would: a body made
from the response schema (``fake``) with the documented status, as a page for a
paginated list and inside the envelope when the API has one; or, for a request that
breaks the spec, the API's own error shape with a message that says what was wrong.
Every server of the spec is served on the one origin.

    with MockServer(document) as mock:
        client = Feathery(api_key="test", base_url=mock.url)
"""

from __future__ import annotations

import json
import re
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any, final
from urllib.parse import parse_qs, unquote, urlsplit

from generator.fake import Faker
from generator.load import Document
from generator.mockcheck import Failure, Request, check_auth, check_body, check_params
from generator.schemas import model_schemas, success_response, type_schema
from generator.shapes import cursor_type, envelope_body, error_body, exported_params, operations

PLACEHOLDER = re.compile(r"\{([^{}/]+)\}")
PAGE_LENGTH = 2
# Per kind of failure: the status when the spec documents no code for it, and words that
# find the API's own code for it among ``errors.codes`` (whose status then wins).
FAILURES: dict[str, tuple[int, tuple[str, ...]]] = {
    "not_found": (404, ("NOTFOUND",)),
    "method": (405, ()),
    "auth": (401, ("UNAUTHORIZED", "UNAUTHENTICATED", "INVALIDAPIKEY")),
    "malformed": (400, ("INVALIDJSON", "INVALIDFORMAT", "VALIDATION", "INVALIDPARAM")),
    "missing": (400, ("VALIDATION", "MISSINGPARAM", "INVALIDPARAM")),
    "invalid": (400, ("VALIDATION", "INVALIDPARAM")),
}


@dataclass(frozen=True)
class Route:
    """One operation and the regular expression its path template becomes."""

    method: str
    pattern: re.Pattern[str]
    names: tuple[str, ...]
    rank: tuple[int, ...]  # literal segments before placeholders: /flags/all-tags beats /flags/{key}
    operation: dict[str, Any]


@dataclass(frozen=True)
class Reply:
    """What the mock answers: a status, a JSON body (None: no body) and extra headers."""

    status: int
    body: Any = None
    headers: tuple[tuple[str, str], ...] = ()


def route(operation: dict[str, Any]) -> Route:
    """The Route of one operation: each placeholder matches one (possibly empty) path segment."""
    path = operation["path"]
    parts = PLACEHOLDER.split(path)
    regex = "".join(re.escape(part) if index % 2 == 0 else "([^/]*)" for index, part in enumerate(parts))
    rank = tuple(1 if PLACEHOLDER.fullmatch(segment) else 0 for segment in path.split("/"))
    return Route(operation["method"], re.compile(regex), tuple(PLACEHOLDER.findall(path)), rank, operation)


def find(routes: list[Route], method: str, path: str) -> tuple[Route, dict[str, str]] | Failure:
    """The operation for ``method path`` and its percent-decoded path values, or why there is none."""
    matches = [(item, found) for item in routes if (found := item.pattern.fullmatch(path))]
    stray_slash = path.endswith("/") and any(item.pattern.fullmatch(path[:-1]) for item in routes)
    if stray_slash and all(_empty_at_the_end(found) for _item, found in matches):
        # /v1/projects/ beside /v1/projects: a stray slash, not an empty {project_id}.
        matches = []
    if not matches:
        other = path[:-1] if path.endswith("/") else path + "/"
        hint = f" (did you mean {unquote(other)}?)" if any(item.pattern.fullmatch(other) for item in routes) else ""
        return Failure("not_found", f"no operation has the path {unquote(path)}{hint}")
    for item, found in sorted(matches, key=lambda pair: pair[0].rank):
        if item.method == method:
            return item, {name: unquote(value) for name, value in zip(item.names, found.groups(), strict=True)}
    allowed = ", ".join(sorted({item.method for item, _ in matches}))
    return Failure("method", f"{method} is not allowed on {unquote(path)}; use {allowed}", allow=allowed)


def _empty_at_the_end(found: re.Match[str]) -> bool:
    """The path matched only by leaving its last placeholder, at the very end, empty."""
    groups = found.groups()
    return bool(groups) and groups[-1] == "" and found.end(len(groups)) == len(found.string)


class Mock:
    """The API of one spec, as a function from Request to Reply (no sockets: see MockServer)."""

    def __init__(self, spec: dict[str, Any]) -> None:
        self.spec = spec
        self.components = model_schemas(spec)
        self.faker = Faker(self.components)
        self.routes = [route(operation) for operation in operations(spec)]

    def handle(self, request: Request) -> Reply:
        """Answer one request as the spec says the API would."""
        found = find(self.routes, request.method, request.path)
        if isinstance(found, Failure):
            return self.error(found)
        matched, path_values = found
        operation = matched.operation
        failure = (
            check_auth(self.spec.get("auth"), request, operation.get("auth", "required"))
            # The paging parameters the export adds to a paginated operation are checked too.
            or check_params({**operation, "params": exported_params(self.spec, operation)}, request, path_values, self.components)
            or check_body(operation, request, self.components)
        )
        return self.error(failure) if failure else self.success(operation, request)

    def success(self, operation: dict[str, Any], request: Request) -> Reply:
        """The documented status and a body made from the response type."""
        kind, status, _ = success_response(operation)
        if kind is None:
            return Reply(status)
        if operation.get("paginate"):
            pagination = self.spec.get("pagination") or {}
            payload = page(pagination, request.query, self.faker, type_schema(kind), cursor_type(self.spec))
        else:
            payload = self.faker.value(type_schema(kind))
        return Reply(status, envelope_body(self.spec, payload))

    def error(self, failure: Failure) -> Reply:
        """The failure in the API's own error shape, with the status its documented code comes with."""
        status, code = error_status(self.spec, failure.kind)
        details: dict[str, list[str]] = {}
        for name, message in failure.problems:
            details.setdefault(name, []).append(message)
        headers = (("Allow", failure.allow),) if failure.allow else ()
        return Reply(status, error_body(self.spec, code, failure.message, details), headers)


def page(pagination: dict[str, Any], query: dict[str, list[str]], faker: Faker, item: Any, cursor_type: str = "string") -> Any:
    """One page of a list of ``PAGE_LENGTH`` items, in the spec's pagination style; sizes and cursors honoured."""
    size = _query_number(query, pagination.get("size_param"), PAGE_LENGTH)
    size = size if size > 0 else PAGE_LENGTH
    if pagination.get("style") == "cursor":
        start = _query_number(query, pagination.get("cursor_param"), 0)  # the cursor is the offset
    else:
        first = int(pagination.get("first_page", 1))
        start = (_query_number(query, pagination.get("page_param"), first) - first) * size
    end = min(start + size, PAGE_LENGTH)
    items = [faker.value(item, variant=index) for index in range(start, end)] if start >= 0 else []
    more = start >= 0 and end < PAGE_LENGTH
    if not pagination.get("items"):
        return items
    keys = (pagination["items"], pagination.get("next_cursor"), pagination.get("has_more"), pagination.get("total"))
    cursor = (str(end) if cursor_type == "string" else end) if more else None  # the offset
    return _keyed(dict(zip(keys, (items, cursor, more, PAGE_LENGTH), strict=True)))


def _query_number(query: dict[str, list[str]], name: str | None, default: int) -> int:
    """The integer a query parameter holds; ``default`` when absent, -1 (no page) when not a number."""
    values = query.get(name or "")
    if not values:
        return default
    return int(values[0]) if re.fullmatch(r"-?\d+", values[0]) else -1


def _keyed(values: dict[Any, Any]) -> dict[str, Any]:
    """Drop the entries whose key the spec does not name."""
    return {key: value for key, value in values.items() if key}


def error_status(spec: dict[str, Any], kind: str) -> tuple[int, str | None]:
    """The status and the API's own code for a kind of failure: a documented code wins."""
    status, words = FAILURES[kind]
    codes: dict[str, Any] = (spec.get("errors") or {}).get("codes") or {}
    for word in words:
        for code, entry in codes.items():
            if word in code.upper().replace("_", ""):
                return int(entry["status"]), code
    return status, None


# The server -------------------------------------------------------------------

Log = Callable[[str], None]


@final  # __enter__ returns a MockServer, not a subclass
class MockServer:
    """The mock on a real socket: ``start()`` (background thread), ``url``, ``stop()``; a context manager."""

    def __init__(self, document: Document, host: str = "127.0.0.1", port: int = 0, *, log: Log | None = None) -> None:
        self.mock = Mock(document.data)
        self._httpd = ThreadingHTTPServer((host, port), _handler(self.mock, log))
        self._httpd.daemon_threads = True
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        """``http://127.0.0.1:<port>``: the base URL to give a client."""
        host, port = self._httpd.server_address[:2]
        return f"http://{host!s}:{port}"

    def start(self) -> MockServer:
        """Serve on a background thread; returns self."""
        self._thread = threading.Thread(target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self._thread.start()
        return self

    def serve_forever(self) -> None:
        """Serve on this thread until interrupted."""
        self._httpd.serve_forever(poll_interval=0.2)

    def stop(self) -> None:
        """Stop serving and close the socket."""
        if self._thread is not None:
            self._httpd.shutdown()
            self._thread.join(timeout=5)
            self._thread = None
        self._httpd.server_close()

    def __enter__(self) -> MockServer:
        return self.start()

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None) -> None:
        self.stop()


def serve(document: Document, host: str = "127.0.0.1", port: int = 4010) -> None:
    """Serve until Ctrl-C; the first line printed starts with the URL."""
    server = MockServer(document, host, port, log=lambda line: print(line, file=sys.stderr, flush=True))
    print(f"{server.url} - mock of {document.data['title']} from {document.file}; Ctrl-C to stop", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()


def _handler(mock: Mock, log: Log | None) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        # Headers and body leave in one write: two small writes meet delayed ACKs (40 ms a request).
        wbufsize = -1

        def log_message(self, format: str, *args: Any) -> None:
            pass  # one line per request through ``log`` instead, or none at all

        def _handle(self) -> None:
            split = urlsplit(self.path)
            request = Request(
                method=self.command,
                path=split.path,
                query=parse_qs(split.query, keep_blank_values=True),
                headers={name.lower(): value for name, value in self.headers.items()},
                body=self._body(),
            )
            try:
                reply = mock.handle(request)
            except Exception as error:  # noqa: BLE001 - a bug in the mock: say so, rather than hang up on the client
                reply = Reply(500, {"detail": f"the mock failed: {error!r}"})
            self._send(reply)
            if log is not None:
                log(f"{request.method} {self.path} -> {reply.status}")

        def _body(self) -> bytes:
            if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
                chunks = []
                while size := int(self.rfile.readline().split(b";")[0].strip() or b"0", 16):
                    chunks.append(self.rfile.read(size))
                    self.rfile.readline()  # the CRLF after each chunk
                self.rfile.readline()  # the CRLF after the last (empty) chunk
                return b"".join(chunks)
            length = int(self.headers.get("Content-Length") or 0)
            return self.rfile.read(length) if length else b""

        def _send(self, reply: Reply) -> None:
            payload = b"" if reply.body is None or reply.status in (204, 304) else json.dumps(reply.body).encode()
            self.send_response(reply.status)
            if payload:
                self.send_header("Content-Type", "application/json")
            for name, value in reply.headers:
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(payload)

        do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = do_OPTIONS = _handle

    return Handler
