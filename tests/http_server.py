"""A small HTTP server on 127.0.0.1 for engine tests: each request is answered by a Python function.

It records what it was asked, how many requests were in flight at once, and can add latency, so the
plumbing and the engines built on it are tested against a real socket, never a patched function.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit


@dataclass
class Request:
    method: str
    path: str
    query: dict[str, list[str]]
    body: bytes


@dataclass
class Answer:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)


Respond = Callable[[Request], Answer]


class LocalServer:
    def __init__(self, respond: Respond, latency: float = 0.0) -> None:
        self.respond = respond
        self.latency = latency
        self.requests: list[Request] = []
        self.in_flight = 0
        self.max_in_flight = 0
        self._lock = threading.Lock()
        self.server = _QuietServer(("127.0.0.1", 0), self._handler())
        self.thread = threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True)

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    def __enter__(self) -> LocalServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        srv = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: object) -> None:
                pass

            def _serve(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", 0) or 0))
                parts = urlsplit(self.path)
                req = Request(self.command, parts.path, parse_qs(parts.query), body)
                with srv._lock:
                    srv.requests.append(req)
                    srv.in_flight += 1
                    srv.max_in_flight = max(srv.max_in_flight, srv.in_flight)
                try:
                    if srv.latency:
                        time.sleep(srv.latency)
                    answer = srv.respond(req)
                finally:
                    with srv._lock:
                        srv.in_flight -= 1
                self.send_response(answer.status)
                for k, v in answer.headers.items():
                    self.send_header(k, v)
                self.send_header("Content-Length", str(len(answer.body)))
                self.end_headers()
                self.wfile.write(answer.body)

            do_GET = do_POST = do_PUT = do_DELETE = _serve

        return Handler


class _QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: object, client_address: object) -> None:
        pass  # a client that gave up (a time-out test) is expected, not news


def closed_port_url() -> str:
    """The URL of a port on 127.0.0.1 where nothing listens (it was open a moment ago)."""
    with LocalServer(lambda r: Answer()) as srv:
        return srv.url
