"""A real static web server for the client tests: Debian's lighttpd serving a folder on 127.0.0.1."""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
from pathlib import Path

import pytest

MIME = {
    ".mp3": "audio/mpeg",
    ".opus": "audio/ogg",
    ".xml": "application/rss+xml",
    ".json": "application/json",
    ".vtt": "text/vtt",
    ".srt": "application/srt",
    ".jpg": "image/jpeg",
    ".png": "image/png",
    ".html": "text/html; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
}


def need(tool: str) -> str:
    """The path of a Debian tool the client tests use, or skip with the reason."""
    found = shutil.which(tool) or (f"/usr/sbin/{tool}" if Path(f"/usr/sbin/{tool}").exists() else None)
    if found is None:
        pytest.skip(f"{tool} is not installed (.ci/run installs it with apt-get)")
    return found


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Lighttpd:
    """``with Lighttpd(folder, port) as url:`` serves ``folder`` at ``url`` until the block ends."""

    def __init__(self, root: Path, port: int, work: Path) -> None:
        self.root, self.port, self.work = root, port, work
        self.proc: subprocess.Popen[bytes] | None = None

    def __enter__(self) -> str:
        exe = need("lighttpd")
        mime = ", ".join(f'"{ext}" => "{kind}"' for ext, kind in MIME.items())
        conf = self.work / "lighttpd.conf"
        conf.write_text(
            f'server.document-root = "{self.root}"\n'
            f"server.port = {self.port}\n"
            'server.bind = "127.0.0.1"\n'
            f'server.errorlog = "{self.work / "lighttpd-error.log"}"\n'
            'index-file.names = ("index.html")\n'
            # lighttpd keeps a file's stat and open handle for about two seconds unless inotify is there
            # (CI's containers may have none): a feed replaced that soon after a request was answered
            # 304 with the old ETag, and gPodder kept the old enclosure. The tests judge the show and the
            # clients, not the server's cache.
            'server.stat-cache-engine = "disable"\n'
            f"mimetype.assign = ({mime})\n",
            encoding="utf-8",
        )
        self.proc = subprocess.Popen([exe, "-D", "-f", str(conf)])
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                return f"http://127.0.0.1:{self.port}/"
            except OSError:
                if self.proc.poll() is not None:
                    break
                time.sleep(0.05)
        self.__exit__()
        raise RuntimeError("lighttpd did not start: " + (self.work / "lighttpd-error.log").read_text())

    def __exit__(self, *exc: object) -> None:
        if self.proc is not None:
            self.proc.terminate()
            self.proc.wait(timeout=10)
