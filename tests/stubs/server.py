"""A tiny threaded HTTP server on 127.0.0.1 for vendor stubs.

Each vendor stub is a function from a `RecordedRequest` to a `StubResponse`; this module
does the sockets. Tests can queue scripted behaviours (an error, a slow answer, a dropped
connection) ahead of the stub's normal answer, and read back every request it received.
"""

from __future__ import annotations

import sys
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from urllib.parse import parse_qsl, urlsplit


@dataclass(frozen=True)
class RecordedRequest:
    method: str
    raw_path: str  # as sent, percent-encoding intact
    path: str  # without the query string, still percent-encoded
    query: list[tuple[str, str]]
    headers: dict[str, str]  # names lower-cased
    header_list: list[tuple[str, str]]  # as sent, for signature checks that need duplicates
    body: bytes

    def header(self, name: str, default: str | None = None) -> str | None:
        return self.headers.get(name.lower(), default)


@dataclass
class StubResponse:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0  # seconds to wait before answering (a slow vendor)
    drop: bool = False  # close the connection without answering

    @classmethod
    def json(cls, status: int, text: str, **headers: str) -> StubResponse:
        # Exactly `application/json`: the Tencent SDK mis-reads errors with a charset suffix.
        return cls(status, text.encode(), {"Content-Type": "application/json", **headers})


Handler = Callable[[RecordedRequest], StubResponse]


class _QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: object, client_address: object) -> None:
        """A client that hung up first (timeout tests) is expected, not an error to print."""
        if isinstance(sys.exc_info()[1], (BrokenPipeError, ConnectionResetError)):
            return
        super().handle_error(request, client_address)  # type: ignore[arg-type]


class StubServer:
    """Serve `handler` on an ephemeral loopback port; use as a context manager."""

    def __init__(self, handler: Handler) -> None:
        self.handler = handler
        self.requests: list[RecordedRequest] = []
        self._scripted: deque[StubResponse | Callable[[RecordedRequest], StubResponse]] = deque()
        self._lock = threading.Lock()
        self._httpd = _QuietServer(("127.0.0.1", 0), self._request_handler_class())
        # A short poll interval: shutdown() waits for it, once per stub per test.
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    # -- lifecycle ---------------------------------------------------------------------
    def __enter__(self) -> StubServer:
        self._thread.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()

    @property
    def port(self) -> int:
        return int(self._httpd.server_address[1])

    @property
    def host(self) -> str:
        return f"127.0.0.1:{self.port}"

    @property
    def url(self) -> str:
        return f"http://{self.host}"

    # -- scripting ---------------------------------------------------------------------
    def then(self, *responses: StubResponse | Handler) -> StubServer:
        """Answer the next requests with these, in order, before the normal handler."""
        with self._lock:
            self._scripted.extend(responses)
        return self

    def serve(self, handler: Handler) -> StubServer:
        """Answer with `handler` from now on, forgetting earlier requests and scripts: one
        running server per test module, a fresh stub per test (stopping a server costs a poll)."""
        self.handler = handler
        self.reset()
        return self

    def reset(self) -> None:
        with self._lock:
            self._scripted.clear()
            self.requests.clear()

    def _respond(self, request: RecordedRequest) -> StubResponse:
        with self._lock:
            self.requests.append(request)
            scripted = self._scripted.popleft() if self._scripted else None
        if scripted is None:
            return self.handler(request)
        if isinstance(scripted, StubResponse):
            return scripted
        return scripted(request)

    def _request_handler_class(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class _Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def _handle(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                split = urlsplit(self.path)
                request = RecordedRequest(
                    method=self.command,
                    raw_path=self.path,
                    path=split.path,
                    query=parse_qsl(split.query, keep_blank_values=True),
                    headers={k.lower(): v for k, v in self.headers.items()},
                    header_list=list(self.headers.items()),
                    body=body,
                )
                response = server._respond(request)
                if response.delay:
                    time.sleep(response.delay)
                if response.drop:
                    self.close_connection = True
                    self.connection.close()
                    return
                self.send_response(response.status)
                for name, value in response.headers.items():
                    self.send_header(name, value)
                if "Content-Length" not in response.headers:  # a HEAD may state the size
                    self.send_header("Content-Length", str(len(response.body)))
                self.end_headers()
                if self.command != "HEAD":
                    self.wfile.write(response.body)

            do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = _handle  # noqa: N815 (http.server names)

            def log_message(self, format: str, *args: object) -> None:
                """Silence the default stderr access log."""

        return _Handler
