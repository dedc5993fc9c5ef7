"""``yomicast serve``: preview a built show over HTTP the way a static host serves it.

Starlette's ``StaticFiles`` does the file serving: byte ranges (``206`` with ``Content-Range``, several
ranges as multipart, ``416`` past the end), ``If-Range``, ``HEAD``, and ``304`` for ``If-None-Match`` and
``If-Modified-Since``, and it never serves a path outside the folder. Python's ``http.server`` answers
none of the range requests, without which Chromium cannot seek in the audio and Apple Podcasts refuses
an enclosure. What is added here: the types podcast files need, the security headers, a feed or page
sent as one version while a build replaces it (``snapshot``), and one quiet log line per request.
"""

from __future__ import annotations

import asyncio
import os
import socket
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from yomicast.errors import ConfigError, InputError, OutputError
from yomicast.show.files import FEED

#: extension → Content-Type (what the feed declares, and what players expect)
TYPES = {
    ".mp3": "audio/mpeg",
    ".opus": "audio/ogg; codecs=opus",
    ".xml": "application/rss+xml",
    ".vtt": "text/vtt; charset=utf-8",
    ".srt": "application/srt; charset=utf-8",
    ".json": "application/json",
    ".html": "text/html; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".jpg": "image/jpeg",
    ".png": "image/png",
}

LOG_CONFIG: dict[str, Any] = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "access": {
            "()": "uvicorn.logging.AccessFormatter",
            "fmt": '%(client_addr)s "%(request_line)s" %(status_code)s',
            "use_colors": False,
        },
        "plain": {"format": "%(message)s"},
    },
    "handlers": {
        "access": {"class": "logging.StreamHandler", "formatter": "access", "stream": "ext://sys.stderr"},
        "plain": {"class": "logging.StreamHandler", "formatter": "plain", "stream": "ext://sys.stderr"},
    },
    "loggers": {
        "uvicorn.access": {"handlers": ["access"], "level": "INFO", "propagate": False},
        "uvicorn.error": {"handlers": ["plain"], "level": "WARNING", "propagate": False},
    },
}


#: Sent with every file: what the pages' <meta> CSP says, plus what only a header can say (frame-ancestors).
SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; media-src 'self'; script-src 'self'; "
    "style-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
    "Referrer-Policy": "no-referrer",
}


def make_app(folder: Path) -> Any:
    """The ASGI app that serves ``folder`` (index.html for ``/``)."""
    from starlette.responses import FileResponse, Response
    from starlette.staticfiles import NotModifiedResponse, StaticFiles
    from starlette.types import Scope

    class ShowFiles(StaticFiles):
        def file_response(
            self, full_path: Any, stat_result: os.stat_result, scope: Scope, status_code: int = 200
        ) -> Response:
            from starlette.datastructures import Headers

            suffix = Path(str(full_path)).suffix.lower()
            kind = TYPES.get(suffix)
            response: Response | None = None
            if suffix not in MEDIA:
                response = snapshot(full_path, status_code, kind)
            if response is None:
                response = FileResponse(
                    full_path, status_code=status_code, stat_result=stat_result, media_type=kind
                )
            response.headers.update(SECURITY_HEADERS)
            if self.is_not_modified(response.headers, Headers(scope=scope)):
                return NotModifiedResponse(response.headers)
            return response

    from starlette.applications import Starlette
    from starlette.routing import Mount

    # Mounted in an app, so a missing file is a 404 response, not an exception
    return Starlette(routes=[Mount("/", app=ShowFiles(directory=folder, html=True))])


#: what is served from the file as it is streamed, with byte ranges: media, whose names are fingerprinted,
#: so a build writes a new file and never rewrites one in place
MEDIA = (".mp3", ".opus")
SNAPSHOT_BYTES = 16_000_000


def snapshot(path: Any, status_code: int, kind: str | None) -> Any:
    """A file a build rewrites in place (feed.xml, the pages, the cover), read whole from one open handle:
    its length, ETag and bytes are of one version, even when a build replaces it mid-request (Starlette
    stats the path, then opens it again by name: a feed replaced in between was sent with the old length
    and cut off). None for a file too large to hold (served as a stream instead). No byte ranges: these
    files are small, and ``Accept-Ranges: none`` says so."""
    import hashlib
    from email.utils import formatdate

    from starlette.responses import Response

    with open(path, "rb") as f:
        info = os.fstat(f.fileno())
        if info.st_size > SNAPSHOT_BYTES:
            return None
        data = f.read(SNAPSHOT_BYTES + 1)
    tag = hashlib.md5(f"{info.st_mtime_ns}-{len(data)}".encode(), usedforsecurity=False).hexdigest()
    headers = {
        "ETag": f'"{tag}"',
        "Last-Modified": formatdate(info.st_mtime, usegmt=True),
        "Accept-Ranges": "none",
    }
    return Response(data, status_code=status_code, media_type=kind, headers=headers)


def urls(host: str, port: int) -> list[str]:
    """The addresses to open: this machine's, and for 0.0.0.0 its address on the local network too."""
    if host not in ("0.0.0.0", "::"):
        shown = f"[{host}]" if ":" in host else host
        return [f"http://{shown}:{port}/"]
    found = ["127.0.0.1"]
    try:
        # a UDP "connection" sends nothing; it only asks the kernel which address would be used
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
            s.connect(("10.255.255.255", 1))
            found.append(s.getsockname()[0])
    except OSError:
        pass
    return [f"http://{ip}:{port}/" for ip in dict.fromkeys(found)]


def check_folder(folder: Path) -> None:
    if not folder.is_dir():
        raise InputError(f"{folder}: no such folder; build the show first (yomicast build … --out {folder})")
    if not (folder / FEED).is_file() and not (folder / "index.html").is_file():
        raise InputError(f"{folder}: holds no built show (no feed.xml); run yomicast build first")


def check_port(host: str, port: int) -> None:
    """Refuse at once, with one line, a host or a port that cannot be listened on."""
    if not host.strip():
        raise ConfigError(
            "--host must be an address: 127.0.0.1 for this machine, 0.0.0.0 for every interface"
        )
    if not 0 < port < 65536:
        raise ConfigError(f"--port must be between 1 and 65535, not {port}")
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind((host, port))
        except OSError as exc:
            raise OutputError(
                f"cannot listen on {host}:{port}: {exc.strerror or exc}; pick another --port"
            ) from None


def feed_base(out: Path) -> str | None:
    """The base URL the folder was built for: its feed's self link, without ``feed.xml``."""
    import re

    try:
        head = (out / FEED).read_text(encoding="utf-8")[:4000]
    except OSError:
        return None
    found = re.search(r'<atom:link href="([^"]+)feed\.xml" rel="self"', head)
    return found.group(1) if found else None


def watch_and_build(articles: Path, out: Path, stop: threading.Event, say: Callable[[str], None]) -> None:
    """Rebuild ``out`` from ``articles`` whenever a file there changes, until ``stop`` is set."""
    from watchfiles import watch

    from yomicast.errors import YomicastError
    from yomicast.show.build import build_show

    base = feed_base(out)
    for _changes in watch(articles, stop_event=stop, debounce=400, raise_interrupt=False):
        try:
            report = build_show(
                articles, out, base_url=base, on_event=lambda e: say(e.line) if e.line else None
            )
        except YomicastError as exc:
            say(f"yomicast: error: {exc}")
            continue
        say(
            f"rebuilt: {len(report.built)} built, {len(report.unchanged)} unchanged, {len(report.failed)} failed"
        )
        for name, why in report.failed:
            say(f"yomicast: error: {name}: {' '.join(why.split())}")


HEAD_TIMEOUT = 5.0  # seconds a client has to send a request's whole head once it has connected


def timed_protocol() -> type:
    """uvicorn's HTTP/1.1 protocol with a deadline for each request's head. uvicorn has none: a client
    that connects and sends half a request (or a byte a second) holds its connection for ever, and
    ``limit_concurrency`` of them hold the server. The deadline runs from the first byte a request is
    waited for and is not moved by more bytes; when it passes with the head still incomplete, the
    connection is closed."""
    import h11
    from uvicorn.protocols.http.h11_impl import H11Protocol

    class TimedH11Protocol(H11Protocol):
        _head_deadline: asyncio.TimerHandle | None = None

        def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
            super().connection_made(transport)
            self._arm()

        def data_received(self, data: bytes) -> None:
            super().data_received(data)
            if self.conn.their_state is h11.IDLE:  # the head is not all here yet
                self._arm()
            elif self._head_deadline is not None:
                self._head_deadline.cancel()
                self._head_deadline = None

        def connection_lost(self, exc: Exception | None) -> None:
            if self._head_deadline is not None:
                self._head_deadline.cancel()
            super().connection_lost(exc)

        def _arm(self) -> None:
            if self._head_deadline is None:
                self._head_deadline = self.loop.call_later(HEAD_TIMEOUT, self._late)

        def _late(self) -> None:
            self._head_deadline = None
            if self.conn.their_state is h11.IDLE and not self.transport.is_closing():
                self.transport.close()

    return TimedH11Protocol


def serve(folder: Path, host: str, port: int, watch: Path | None = None) -> None:
    import sys

    import uvicorn

    check_folder(folder)
    config = uvicorn.Config(
        make_app(folder),
        host=host,
        port=port,
        log_config=LOG_CONFIG,
        access_log=True,
        lifespan="off",
        timeout_keep_alive=5,  # an idle connection is closed after 5 s
        limit_concurrency=100,  # beyond that many connections and tasks, 503 at once
        http=timed_protocol(),  # a half-sent request is cut off after HEAD_TIMEOUT
    )
    server = uvicorn.Server(config)
    stop = threading.Event()
    if watch is not None:
        threading.Thread(
            target=watch_and_build,
            args=(watch, folder, stop, lambda line: print(line, file=sys.stderr, flush=True)),
            name="watch",
            daemon=True,
        ).start()
    try:
        server.run()
    finally:
        stop.set()
