"""A local news site on 127.0.0.1 for the fetch tests: it serves tests/data/web (``{{BASE}}`` in a file
becomes the server's own address), answers conditional requests with ETag and Last-Modified like a real
host, and can be told to redirect, to answer 429 or 503 with Retry-After, or to answer 410. It logs every request,
so a test counts what a fetch asked for from the server's side."""

from __future__ import annotations

import email.utils
import hashlib
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).parent / "data" / "web"
LAST_MODIFIED = email.utils.formatdate(1764547200, usegmt=True)  # 2025-12-01, fixed: the same every run

TYPES = {
    ".html": "text/html; charset=utf-8",
    ".xml": "application/xml",
    ".txt": "text/plain; charset=utf-8",
    ".png": "image/png",
}


@dataclass
class Hit:
    method: str
    path: str
    status: int
    headers: dict[str, str]
    sent: int  # body bytes sent


@dataclass
class Site:
    root: Path = ROOT
    redirects: dict[str, str] = field(default_factory=dict)  # path → path, answered 301
    gone: set[str] = field(default_factory=set)  # answered 410
    busy: dict[str, int] = field(default_factory=dict)  # path → how many more 429s before a 200
    retry_after: str = "1"
    busy_status: int = 429  # or 503
    types: dict[str, str] = field(default_factory=dict)  # path → Content-Type, overriding the suffix's
    pages: dict[str, bytes] = field(default_factory=dict)  # path → body, served besides the files
    log: list[Hit] = field(default_factory=list)
    base: str = ""

    def hits(self, path: str | None = None) -> list[Hit]:
        return [h for h in self.log if path is None or h.path == path]


def start(site: Site) -> tuple[ThreadingHTTPServer, Site]:
    lock = threading.Lock()

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

        def _send(self, status: int, headers: dict[str, str], body: bytes = b"") -> None:
            # Logged before the answer goes out: once a client has it, a test that reads the log sees it.
            with lock:
                site.log.append(Hit(self.command, self.path, status, dict(self.headers), len(body)))
            self.send_response(status)
            for k, v in headers.items():
                self.send_header(k, v)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)

        def do_HEAD(self) -> None:
            self.do_GET()

        def do_GET(self) -> None:
            path = self.path.split("?", 1)[0]
            if path in site.redirects:
                return self._send(301, {"Location": site.base + site.redirects[path]})
            if path in site.gone:
                return self._send(
                    410, {"Content-Type": "text/html"}, "<p>この記事は削除されました</p>".encode()
                )
            with lock:
                left = site.busy.get(path, 0)
                if left:
                    site.busy[path] = left - 1
            if left:
                return self._send(
                    site.busy_status,
                    {"Retry-After": site.retry_after, "Content-Type": "text/plain"},
                    b"slow down",
                )
            if path in site.pages:
                body = site.pages[path]
            else:
                file = (site.root / path.lstrip("/")).resolve()
                if not file.is_relative_to(site.root.resolve()) or not file.is_file():
                    return self._send(404, {"Content-Type": "text/html"}, b"<p>not found</p>")
                body = file.read_bytes()
            if path.endswith(".xml"):
                body = body.replace(b"{{BASE}}", site.base.encode())
            suffix = Path(path).suffix
            etag = '"' + hashlib.sha256(body).hexdigest()[:16] + '"'
            headers = {
                "Content-Type": site.types.get(path, TYPES.get(suffix, "application/octet-stream")),
                "ETag": etag,
                "Last-Modified": LAST_MODIFIED,
            }
            if self.headers.get("If-None-Match") == etag or (
                "If-None-Match" not in self.headers and self.headers.get("If-Modified-Since") == LAST_MODIFIED
            ):
                return self._send(304, {"ETag": etag})
            return self._send(200, headers, body)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    site.base = f"http://127.0.0.1:{server.server_address[1]}"
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, site
