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
    # The tests that wait for the real sample render go last, so it overlaps everything else. Under
    # pytest-xdist (--dist loadgroup) they share one worker, and so one render; the listening tier's
    # tests share one, and so one spoken episode and one Whisper at a time.
    items.sort(key=lambda item: "sample_render" in getattr(item, "fixturenames", ()))
    for item in items:
        if "sample_render" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.xdist_group("sample"))
        elif "listening" in item.keywords:
            item.add_marker(pytest.mark.xdist_group("listening"))
    if config.getoption("--run-net"):
        return
    skip = pytest.mark.skip(reason="needs the internet; pass --run-net")
    for item in items:
        if "net" in item.keywords:
            item.add_marker(skip)


# Work that the collected tests will need and that does not depend on them: the static checks (separate
# processes) and the real sample episode (Open JTalk, the slowest thing the suite does). In one process
# (-n 0) both start as soon as the tests are collected, so they run on the core the single-threaded tests
# leave idle; under pytest-xdist each starts when a test first needs it. The tests that need them wait.
CHECKS = {
    "ruff": ["ruff", "check", "src", "tests", "scripts"],
    "ruff-format": ["ruff", "format", "--check", "src", "tests", "scripts"],
    "mypy": ["mypy"],  # settings and files in pyproject.toml's [tool.mypy]
    # the layers in pyproject.toml's [tool.importlinter] (lint-imports has no __main__ of its own)
    "lint-imports": [
        "-c",
        "import sys; from importlinter.cli import lint_imports_command; sys.exit(lint_imports_command())",
    ],
}
_started: dict[str, object] = {}


def _worker() -> bool:
    """True in a pytest-xdist worker: every worker collects every test but runs only its share, so work
    started for the collected tests would be done once a worker."""
    import os

    return "PYTEST_XDIST_WORKER" in os.environ


def pytest_collection_finish(session):
    import subprocess
    import sys

    if _worker():  # each check and the render start when a test first asks for them, on its worker
        return
    names = {item.name for item in session.items}
    for key, args in CHECKS.items():
        if any(key.replace("-", "_") in name for name in names):
            _started[key] = subprocess.Popen(
                [sys.executable, *_python_args(args)],
                cwd=ROOT,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                text=True,
            )
    if any("sample_episode" in getattr(item, "fixturenames", ()) for item in session.items):
        _started["sample"] = _SampleRender(session.config)


def _python_args(args: list[str]) -> list[str]:
    return args if args[0] == "-c" else ["-m", *args]


def check_result(key: str) -> tuple[int, str]:
    """(exit code, output) of a static check started at collection (started now if it was not)."""
    import subprocess
    import sys

    proc = _started.get(key) or subprocess.Popen(
        [sys.executable, *_python_args(CHECKS[key])],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    out, _ = proc.communicate(timeout=600)
    return proc.returncode, out


class _SampleRender:
    """The real sample article spoken by Open JTalk into an MP3 with the sample show's settings, in a
    background thread."""

    def __init__(self, config) -> None:
        import tempfile
        import threading

        from yomicast.speech.cache import SegmentCache

        self.folder = Path(tempfile.mkdtemp(prefix="yomicast-sample-"))
        self.cache = SegmentCache(self.folder / "segments")
        self.out = self.folder / "msmt-report.mp3"
        self.result = None
        self.measured = None
        self.error: BaseException | None = None
        self.thread = threading.Thread(target=self._run, name="sample-render", daemon=True)
        self.thread.start()

    def _run(self) -> None:
        from yomicast.show.config import load_show
        from yomicast.show.episode import make_episode

        from .media import measure

        try:
            self.result = make_episode(SAMPLE, self.out, load_show(ROOT / "episodes"), cache=self.cache)
            self.measured = measure(self.out)  # decoded and metered by ffmpeg, still in the background
        except BaseException as exc:  # handed to the tests that wait for it
            self.error = exc

    def wait(self):
        self.thread.join()
        if self.error is not None:
            raise self.error
        return self.result


@pytest.fixture(scope="session")
def sample_render() -> _SampleRender:
    render = _started.get("sample")
    if render is None:
        render = _started["sample"] = _SampleRender(None)
    render.wait()
    return render


@pytest.fixture(scope="session")
def sample_episode(sample_render):
    """The real sample article spoken by Open JTalk, end to end, decoded and measured by ffmpeg."""
    from yomicast.article import read_article

    measured = sample_render.measured
    return sample_render.result, read_article(SAMPLE), measured.samples, measured


def run_yomicast(*args: str, env: dict[str, str] | None = None, timeout: float = 120):
    """``yomicast ARGS`` in a real process, as a user's shell runs it."""
    import os
    import subprocess
    import sys

    return subprocess.run(
        [sys.executable, "-m", "yomicast", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**os.environ, **(env or {})},
        check=False,
    )


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


def published_file(out: Path, slug: str, ext: str = ".mp3") -> Path:
    """The file a build published for episode ``slug`` (each rendition has a name of its own)."""
    from yomicast.show.manifest import MANIFEST, Manifest

    return out / Manifest.load(out / MANIFEST).episodes[slug].file(ext)


def build_fake_show(root: Path, articles: tuple[str, ...], base_url: str, edit=None) -> Path:
    """The sample show's settings (``edit`` may change the show.toml text) with ``articles`` from
    tests/data, built into ``root/public`` by the fake engine; returns that folder."""
    import shutil

    from yomicast.show.build import build_show
    from yomicast.speech.cache import SegmentCache
    from yomicast.speech.engines.fake import FakeEngine

    folder = root / "show"
    folder.mkdir()
    toml = (ROOT / "episodes" / "show.toml").read_text(encoding="utf-8")
    (folder / "show.toml").write_text(edit(toml) if edit else toml, encoding="utf-8")
    for name in articles:
        shutil.copyfile(DATA / name, folder / name)
    out = root / "public"
    build_show(folder, out, base_url=base_url, cache=SegmentCache(root / "cache"), engine=FakeEngine())
    return out
