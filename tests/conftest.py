from __future__ import annotations

import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(__file__).resolve().parent / "data"
SHARED_SAMPLE = ROOT.parent / "shared" / "samples" / "msmt-report.txt"
SAMPLE = SHARED_SAMPLE if SHARED_SAMPLE.exists() else ROOT / "episodes" / "msmt-report.txt"

# Bad articles under tests/data and the words their one-line error must hold.
BAD_INPUTS = [
    ("empty.txt", "empty"),
    ("blank.txt", "empty"),
    ("binary.txt", "binary"),
    ("undecodable.txt", "undecodable"),
    ("bad-front-matter.md", "front matter"),
    ("symbols-only.txt", "no speakable text"),
]


def pytest_configure(config):
    # No test may write to the user's real segment cache, including CLI runs in subprocesses.
    import os
    import tempfile

    os.environ.setdefault("YOMICAST_CACHE_DIR", tempfile.mkdtemp(prefix="yomicast-test-cache-"))


def pytest_addoption(parser):
    parser.addoption("--run-net", action="store_true", help="run tests that reach the real internet")


def pytest_collection_modifyitems(config, items):
    if config.getoption("--run-net"):
        return
    skip = pytest.mark.skip(reason="needs the internet; pass --run-net")
    for item in items:
        if "net" in item.keywords:
            item.add_marker(skip)


@pytest.fixture
def sample(tmp_path: Path) -> Path:
    """A private copy of the real sample article (tests never write next to the original)."""
    dest = tmp_path / "msmt-report.txt"
    shutil.copyfile(SAMPLE, dest)
    return dest


@pytest.fixture
def data(tmp_path: Path):
    """Copy a file from tests/data into tmp_path and return its new path."""

    def copy(name: str) -> Path:
        dest = tmp_path / name
        shutil.copyfile(DATA / name, dest)
        return dest

    return copy
