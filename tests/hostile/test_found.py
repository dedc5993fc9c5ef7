"""The defects an audit found by attacking yomicast (issue 23), each reproduced by the test named for it:
``test_23_<item>_…``. Each asserts one clear ``yomicast: error:`` line, a non-zero exit, and nothing
written or read outside what the user gave."""

from __future__ import annotations

import json
import os
import resource
import sys
import textwrap
from pathlib import Path

import pytest

from yomicast.show.manifest import MANIFEST

from ..conftest import DATA, build_fake_show, run_yomicast

BOMB = textwrap.dedent(
    """\
    ---
    a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
    b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
    c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
    d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
    e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
    f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
    g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
    h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
    title: *h
    ---
    # 見出し

    本文です。
    """
)


def _limited(megabytes: int):
    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (megabytes << 20, megabytes << 20))

    return limit


def run_limited(*args: str, megabytes: int = 1024):
    """``yomicast ARGS`` in a process that cannot take more than ``megabytes`` of address space."""
    import subprocess

    return subprocess.run(
        [sys.executable, "-m", "yomicast", *args],
        capture_output=True,
        text=True,
        timeout=120,
        preexec_fn=_limited(megabytes),
        check=False,
    )


def one_error_line(proc) -> str:
    lines = proc.stderr.strip().splitlines()
    assert proc.returncode != 0 and len(lines) == 1 and lines[0].startswith("yomicast: error:"), proc.stderr
    assert "Traceback" not in proc.stderr
    return lines[0]


@pytest.mark.parametrize("command", ["sections", "episode"])
def test_23_1_a_yaml_alias_bomb_is_refused_in_bounded_memory(tmp_path, command):
    article = tmp_path / "bomb.md"
    article.write_text(BOMB, encoding="utf-8")
    args = [command, str(article)] + (
        ["-o", str(tmp_path / "x.mp3"), "--engine", "fake"] * (command == "episode")
    )
    line = one_error_line(run_limited(*args, megabytes=1024))
    assert "aliases are not allowed" in line and "bomb.md" in line
    assert not (tmp_path / "x.mp3").exists()


@pytest.mark.parametrize(
    ("front", "says"),
    [
        ("title: [1, 2, 3]", "'title' must be a single value"),
        ("publisher: {a: 1}", "'publisher' must be a single value"),
        (f"description: {'あ' * 3000}", "'description' is over 2000 characters"),
        ("x: " + "[" * 5000 + "]" * 5000, "nests too deeply"),
        ("x: '" + "a" * 70_000 + "'", "front matter is over 64 KB"),
    ],
)
def test_23_1_front_matter_values_are_bounded_and_of_one_kind(tmp_path, front, says):
    article = tmp_path / "a.md"
    article.write_text(f"---\n{front}\n---\n# 見出し\n\n本文です。\n", encoding="utf-8")
    assert says in one_error_line(run_yomicast("sections", str(article)))


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


def build_cli(folder: Path, out: Path, tmp_path: Path):
    return run_yomicast(
        "build", str(folder), "--out", str(out), "--engine", "fake", "--base-url", "https://x.example/",
        env={"YOMICAST_CACHE_DIR": str(tmp_path / "cache")},
    )  # fmt: skip


@pytest.fixture
def built(tmp_path):
    """A two-article show built by the fake voice: (articles folder, output folder)."""
    out = build_fake_show(tmp_path, ("small-digest.txt", "markdown-article.md"), "https://x.example/")
    return tmp_path / "show", out


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("slug", "../victim/x"),
        ("stem", "../victim/x-0123abcd"),
        ("stem", "/tmp/abs"),
        ("files", {"../victim/x.mp3": 10}),
        ("guid", None),
        ("number", "7"),
        ("voices", "abc"),
        ("files", ["a"]),
        ("published", "yesterday"),
    ],
)
def test_23_3_a_tampered_manifest_is_refused_and_nothing_outside_the_output_is_touched(
    built, tmp_path, field, value
):
    folder, out = built
    victim = tmp_path / "victim"
    victim.mkdir()
    (victim / "keep.html").write_text("mine", encoding="utf-8")
    manifest = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
    _slug, entry = next(iter(manifest["episodes"].items()))
    entry[field] = value
    if field == "slug":
        manifest["episodes"] = {value: entry}
    (out / MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")
    (folder / "small-digest.txt").write_text(
        (folder / "small-digest.txt").read_text(encoding="utf-8") + "\n追記です。\n", encoding="utf-8"
    )
    before = snapshot(out)
    line = one_error_line(build_cli(folder, out, tmp_path))
    assert "manifest is damaged" in line
    assert snapshot(out) == before
    assert [p.name for p in victim.iterdir()] == ["keep.html"]
    assert not list(tmp_path.glob("victim/*x*")) and not Path("/tmp/abs.html").exists()


def test_23_4_a_symlinked_article_that_leaves_the_folder_is_refused(built, tmp_path):
    folder, out = built
    secret = tmp_path / "secret.txt"
    secret.write_text("秘密の文書\n\n口座番号は1234です。\n", encoding="utf-8")
    (folder / "leak.txt").symlink_to(secret)
    (folder / "inside.txt").symlink_to(folder / "small-digest.txt")  # a link inside the folder is fine...
    proc = build_cli(folder, out, tmp_path)
    assert proc.returncode == 1, proc.stderr
    assert "leak.txt: a link to" in proc.stderr and "outside" in proc.stderr
    assert "inside.txt" in proc.stderr  # ...but makes the same episode as the file it names: refused by name
    published = b"".join(p.read_bytes() for p in out.iterdir() if p.is_file())
    assert "口座番号".encode() not in published and "秘密".encode() not in published


def test_23_10_a_file_name_that_is_not_utf8_is_refused_and_the_show_stays_whole(built, tmp_path):
    folder, out = built
    before = snapshot(out)
    (folder / os.fsdecode(b"\xff.txt")).write_bytes((DATA / "small-digest.txt").read_bytes())
    proc = build_cli(folder, out, tmp_path)
    assert proc.returncode == 1 and "Traceback" not in proc.stderr, proc.stderr
    assert "\\xff.txt: the file name is not UTF-8; rename it" in proc.stderr
    assert snapshot(out) == before


@pytest.mark.parametrize("command", ["sections", "episode"])
def test_23_12_a_named_pipe_given_as_the_article_is_refused_at_once(tmp_path, command):
    pipe = tmp_path / "a.txt"
    os.mkfifo(pipe)
    args = [command, str(pipe)] + (
        ["-o", str(tmp_path / "x.mp3"), "--engine", "fake"] * (command == "episode")
    )
    line = one_error_line(run_yomicast(*args, timeout=20))
    assert "not a regular file" in line


def test_23_12_special_files_in_the_folder_are_named_and_never_read(built, tmp_path):
    folder, out = built
    os.mkfifo(folder / "pipe.txt")
    (folder / "zero.txt").symlink_to("/dev/zero")
    os.mkfifo(out / "feed.xml.tmp")  # something odd in the output is not ours to read either
    (out / "feed.xml").unlink()
    os.mkfifo(out / "feed.xml")
    proc = build_cli(folder, out, tmp_path)
    assert proc.returncode == 1, proc.stderr
    assert "pipe.txt: not a regular file" in proc.stderr
    assert "zero.txt: a link to /dev/zero, outside" in proc.stderr
    assert (out / "feed.xml").is_file() and b"<rss" in (out / "feed.xml").read_bytes()


def test_23_12_an_article_is_read_no_further_than_its_limit(tmp_path):
    big = tmp_path / "big.txt"
    with big.open("wb") as fh:
        fh.write(("見出し\n\n" + "本文です。" * 100 + "\n").encode() * 3000)  # ~4.5 MB
    line = one_error_line(run_limited("sections", str(big), megabytes=1024))
    assert "over the 4 MB limit for one article" in line and "article_mb" in line


def test_23_12_a_manifest_that_is_a_pipe_is_refused(built, tmp_path):
    folder, out = built
    (out / MANIFEST).unlink()
    os.mkfifo(out / MANIFEST)
    line = one_error_line(build_cli(folder, out, tmp_path))
    assert "manifest is damaged" in line and "not a regular file" in line
