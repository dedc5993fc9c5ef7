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


@pytest.mark.parametrize(
    ("front", "then"),
    [
        ("published: 2026-13-45", "'published' is not a date: '2026-13-45'"),
        ("published: 2026-02-30 10:00", "'published' is not a date"),
        ("title: 2026-13-45", None),  # a title that looks like a date is a title
    ],
)
def test_23_found_a_date_that_is_none_is_one_line_not_a_traceback(tmp_path, front, then):
    """Found by the generated front matter: PyYAML's timestamp rule took 2026-13-45 for a date and
    raised ValueError from inside the loader."""
    article = tmp_path / "a.md"
    article.write_text(f"---\n{front}\n---\n# 見出し\n\n本文です。\n", encoding="utf-8")
    proc = run_yomicast("sections", str(article))
    if then:
        assert then in one_error_line(proc)
    else:
        assert proc.returncode == 0 and "2026-13-45" in proc.stdout, proc.stderr


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
        ("voices", "abc"),  # the old name of voice_credits, checked as it is read
        ("voice_credits", "abc"),
        ("files", ["a"]),
        ("published", "yesterday"),
        ("check", ["a"]),
        ("check", {"flagged": "x"}),
        ("check", {"flagged": [{"line": "3"}]}),
        ("check", {"respoken": True}),
        ("held", "../victim/x"),  # a held rendition's name is checked as a published one's
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
    if field == "held":
        manifest["held"] = {value: {**entry, "slug": value}}
    else:
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


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "JaVaScRiPt:alert(document.cookie)",
        "data:text/html,<script>alert(1)</script>",
        "file:///etc/passwd",
        "vbscript:msgbox",
        "//evil.example/x",
        "http://",
    ],
)
def test_23_5_a_source_url_that_is_not_http_never_becomes_a_link(tmp_path, url):
    from typer.testing import CliRunner

    from yomicast.article import read_article
    from yomicast.cli import app

    path = tmp_path / "a.md"
    path.write_text(
        f"---\ntitle: 記事\nsource_url: '{url}'\n---\n\n本文です。これは記事です。\n", encoding="utf-8"
    )
    article = read_article(path)
    assert article.source.url is None  # the article is read; the address is left out
    result = CliRunner().invoke(app, ["sections", str(path)])
    assert result.exit_code == 0
    assert "line 3: source_url is not an http(s) address; left out, not read aloud" in result.stderr


def test_23_5_no_live_link_reaches_the_notes_the_site_or_the_tags(tmp_path):
    from mutagen.id3 import ID3

    folder = tmp_path / "src"
    folder.mkdir()
    (folder / "a.md").write_text(
        "---\ntitle: 記事\nsource_url: 'javascript:alert(1)'\npublisher: 新聞\n---\n\n本文です。これは記事です。\n",
        encoding="utf-8",
    )
    out = tmp_path / "public"
    proc = run_yomicast(
        "build", str(folder), "--out", str(out), "--engine", "fake", "--base-url", "https://x.example/",
        env={"YOMICAST_CACHE_DIR": str(tmp_path / "cache")},
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    for file in out.iterdir():
        if file.suffix in (".xml", ".html", ".json", ".vtt"):
            assert "javascript:" not in file.read_text(encoding="utf-8").lower(), file.name
    (mp3,) = out.glob("*.mp3")
    assert not [f for f in ID3(mp3).values() if "javascript" in str(f).lower()]


@pytest.mark.parametrize("option", ["-o", "--transcript"])
@pytest.mark.parametrize("aim", ["link", "fifo", "folder", "the article", "show.toml"])
def test_23_2_an_output_that_is_a_device_a_link_or_an_input_is_refused(tmp_path, option, aim):
    article = tmp_path / "a.txt"
    article.write_bytes((DATA / "small-digest.txt").read_bytes())
    (tmp_path / "show.toml").write_text('[show]\ntitle = "テスト"\n', encoding="utf-8")
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me", encoding="utf-8")
    target = {
        "link": tmp_path / "out.vtt",
        "fifo": tmp_path / "fifo.vtt",
        "folder": tmp_path / "dir.vtt",
        "the article": article,
        "show.toml": tmp_path / "show.toml",
    }[aim]
    if aim == "link":
        target.symlink_to(victim)
    elif aim == "fifo":
        os.mkfifo(target)
    elif aim == "folder":
        target.mkdir()
    before = {p.name: (p.is_symlink(), p.read_bytes() if p.is_file() else None) for p in tmp_path.iterdir()}
    args = ["episode", str(article), "--engine", "fake", "--cache-dir", str(tmp_path / "c")]
    args += [option, str(target)] + (["-o", str(tmp_path / "ok.mp3")] if option == "--transcript" else [])
    line = one_error_line(run_yomicast(*args, timeout=60))
    assert {
        "link": "is a link; give the path of a file of its own",
        "fifo": "not a regular file (a device, pipe or folder); not replaced",
        "folder": "not a regular file (a device, pipe or folder); not replaced",
        "the article": "is an input of this command",
        "show.toml": "is an input of this command",
    }[aim] in line
    after = {p.name: (p.is_symlink(), p.read_bytes() if p.is_file() else None) for p in tmp_path.iterdir()}
    assert after == before  # nothing written, nothing replaced (ok.mp3 is not made either)


def test_23_9_a_killed_build_leaves_no_temporary_file_past_the_next_build(built, tmp_path):
    folder, out = built
    for name in (".feed.xml.abc.part", ".ep.x1.part1.trial", ".ep.x1.part.trial", ".index.html.q.part"):
        (out / name).write_bytes(b"left by a SIGKILL")
    (out / ".keep.partial").write_bytes(b"not ours")  # only our own pattern is removed
    proc = build_cli(folder, out, tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert sorted(p.name for p in out.iterdir() if ".part" in p.name) == [".keep.partial"]


@pytest.mark.parametrize(
    ("table", "line"),
    [
        ("[audio]\ntrue_peak = 12", "audio true_peak must be between -9 and 0 dBTP, not 12"),
        ("[audio]\ntrue_peak = inf", "audio true_peak must be between -9 and 0 dBTP, not inf"),
        ("[audio]\ntrue_peak = nan", "audio true_peak must be between -9 and 0 dBTP, not nan"),
        (
            "[audio]\nquality = 99",
            "audio quality must be a LAME quality from 0 (best) to 9 (fastest), not 99",
        ),
        (
            "[audio]\nquality = -5",
            "audio quality must be a LAME quality from 0 (best) to 9 (fastest), not -5",
        ),
        ("[audio]\nloudness = nan", "audio loudness must be between -30 and -10 LUFS, not nan"),
        ('[fetch]\ndelay = "1"', "[fetch.delay]: must be a number, not '1'"),
        (
            '[[sources]]\nurl = "https://a.example/"\ninclude = [1]',
            "[sources.1.include]: must be a list of strings",
        ),
    ],
)
def test_23_11_settings_out_of_bounds_are_one_line_naming_the_setting(tmp_path, table, line):
    (tmp_path / "show.toml").write_text(table + "\n", encoding="utf-8")
    (tmp_path / "a.txt").write_bytes((DATA / "small-digest.txt").read_bytes())
    got = one_error_line(
        run_yomicast("build", str(tmp_path), "--out", str(tmp_path / "o"), "--base-url", "https://x.example/")
    )
    assert line in got


@pytest.mark.parametrize("base", ["http://", "https://", "http:///x", "https:// x/", "javascript://x/"])
def test_23_14_a_base_url_without_a_host_is_refused(built, tmp_path, base):
    folder, out = built
    before = snapshot(out)
    proc = run_yomicast("build", str(folder), "--out", str(out), "--engine", "fake", "--base-url", base)
    assert f"base URL must be http(s)://HOST/PATH/, not {base!r}" in one_error_line(proc)
    assert snapshot(out) == before


def test_23_14_a_line_with_an_arrow_forges_no_cue():
    from yomicast.audio.timeline import TimedLine, Timeline
    from yomicast.audio.transcript import to_srt, to_vtt

    text = "前 --> 後\n\n00:00:00.000 --> 09:59:59.000 <b>&"
    timeline = Timeline(lines=[TimedLine(0, text, text, 1.0, 2.0)], duration=3.0)
    vtt, srt = to_vtt(timeline), to_srt(timeline)
    assert vtt.count("-->") == 1 and srt.count("-->") == 1
    assert "&lt;b&gt;&amp;" in vtt and "\n\n00:00:00.000" not in vtt


def test_23_14_serve_refuses_an_empty_host(tmp_path, built):
    _folder, out = built
    line = one_error_line(run_yomicast("serve", str(out), "--host", "", timeout=20))
    assert "--host must be an address" in line  # it bound every interface, silently


def _wav(rate: int, channels: int = 1, frames: int = 88_200_000) -> bytes:
    """A WAV header that claims ``frames`` frames at ``rate`` Hz, with a few real bytes behind it."""
    import struct

    size = min(frames * 2 * channels, 0xFFFFFFFF - 36)
    fmt = struct.pack("<HHIIHH", 1, channels, rate, rate * 2 * channels, 2 * channels, 16)
    return (
        b"RIFF"
        + struct.pack("<I", 36 + size)
        + b"WAVEfmt "
        + struct.pack("<I", 16)
        + fmt
        + b"data"
        + struct.pack("<I", size)
        + bytes(4000)
    )


@pytest.mark.parametrize(
    ("rate", "channels", "why"),
    [
        (1, 1, "claims a sample rate of 1 Hz"),
        (0, 1, "sample rate of 0 Hz"),
        (44_100, 200, "claims 200 channels"),  # 88 M frames × 200 channels: capped at 4 GB by RIFF
        (8_000, 1, "claims 11025 s"),
    ],
)
def test_23_7_a_wav_header_that_lies_is_refused_before_allocating(tmp_path, rate, channels, why):
    (tmp_path / "bad.wav").write_bytes(_wav(rate, channels))
    (tmp_path / "show.toml").write_text('[audio]\njingle = "bad.wav"\n', encoding="utf-8")
    (tmp_path / "a.txt").write_bytes((DATA / "small-digest.txt").read_bytes())
    args = ("episode", str(tmp_path / "a.txt"), "-o", str(tmp_path / "a.mp3"), "--engine", "fake")
    proc = run_limited(*args, "--cache-dir", str(tmp_path / "c"), megabytes=1024)
    line = one_error_line(proc)
    assert "bad.wav" in line and why in line
    assert not (tmp_path / "a.mp3").exists()


def test_23_13_an_emptied_folder_does_not_empty_the_feed(built, tmp_path):
    folder, out = built
    before = snapshot(out)
    for article in ("small-digest.txt", "markdown-article.md"):
        (folder / article).unlink()  # a failed sync
    line = one_error_line(build_cli(folder, out, tmp_path))
    assert "this build would take 2 of the feed's 2 episodes out of it" in line and "--allow-removals" in line
    assert snapshot(out) == before  # the feed, the pages and the manifest: as they were
    proc = run_yomicast(
        "build", str(folder), "--out", str(out), "--engine", "fake", "--base-url", "https://x.example/",
        "--allow-removals", env={"YOMICAST_CACHE_DIR": str(tmp_path / "cache")},
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert b"<item>" not in (out / "feed.xml").read_bytes()


def test_23_13_one_article_of_two_taken_away_is_an_ordinary_edit(built, tmp_path):
    folder, out = built
    (folder / "markdown-article.md").unlink()
    assert build_cli(folder, out, tmp_path).returncode == 0  # half, not more than half


def test_23_6_a_cache_entry_of_the_right_size_with_other_bytes_is_spoken_again(built, tmp_path):
    folder, out = built
    entries = sorted((tmp_path / "cache").rglob("*.seg"))
    assert entries
    for entry in entries:  # every entry: random bytes behind a valid header, the same size
        data = bytearray(entry.read_bytes())
        data[16:] = os.urandom(len(data) - 16)
        entry.write_bytes(bytes(data))
    (folder / "small-digest.txt").write_text(
        (folder / "small-digest.txt").read_text(encoding="utf-8") + "\n追記の一文です。\n", encoding="utf-8"
    )
    proc = build_cli(folder, out, tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert (
        "cached speech segments failed their checksum" in proc.stderr and "were spoken again" in proc.stderr
    )
    from tests.conftest import published_file
    from tests.media import measure

    measured = measure(published_file(out, "small-digest"))  # the noise was not published
    assert -17.5 < measured.loudness < -14.5 and measured.true_peak <= -0.5


def test_23_6_a_published_file_overwritten_with_bytes_of_its_size_is_made_again(built, tmp_path):
    from tests.conftest import published_file

    folder, out = built
    mp3 = published_file(out, "small-digest")
    size = mp3.stat().st_size
    mp3.write_bytes(os.urandom(size))
    proc = build_cli(folder, out, tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert "small-digest.txt: its published files were changed or removed; made again" in proc.stderr
    data = published_file(out, "small-digest").read_bytes()
    assert data[:3] == b"ID3"  # a real MP3 again, not the noise


def _png_header(width: int, height: int) -> bytes:
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\x00" * 64))


@pytest.mark.parametrize(
    ("make", "why"),
    [
        (lambda p: p.write_bytes(_png_header(200_000, 200_000)), "claims more pixels than any cover has"),
        (lambda p: p.write_bytes(_png_header(1400, 1400)), "cut short or damaged"),
    ],
)
def test_23_14_a_cover_that_lies_about_its_pixels_is_one_line(tmp_path, make, why):
    make(tmp_path / "cover.png")
    (tmp_path / "show.toml").write_text('[show]\ncover = "cover.png"\n', encoding="utf-8")
    (tmp_path / "a.txt").write_bytes((DATA / "small-digest.txt").read_bytes())
    line = one_error_line(
        run_yomicast("build", str(tmp_path), "--out", str(tmp_path / "o"), "--base-url", "https://x.example/")
    )
    assert why in line and "cover" in line
    assert not (tmp_path / "o" / "feed.xml").exists()


def test_23_14_no_two_slugs_share_a_page():
    from yomicast.show.website import RESERVED, page_name

    slugs = [
        *RESERVED,
        *(f"{r}-episode" for r in RESERVED),
        *(f"{r}-episode-episode" for r in RESERVED),
        "a",
        "a-episode",
    ]
    pages = [page_name(s) for s in slugs]
    assert len(set(pages)) == len(pages)
    assert (
        page_name("index") == "index-episode.html"
        and page_name("index-episode") == "index-episode-episode.html"
    )
    assert not {p.removesuffix(".html") for p in pages} & set(RESERVED)


def test_23_bounds_an_episode_planned_past_its_length_is_refused_before_speaking(tmp_path):
    body = "".join(f"第{n}段落では、調査の結果として{n}件の事例が報告されました。\n" for n in range(400))
    (tmp_path / "a.txt").write_text("長い記事\n\n" + body, encoding="utf-8")
    (tmp_path / "show.toml").write_text("[limits]\nepisode_minutes = 5\n", encoding="utf-8")
    args = ("episode", str(tmp_path / "a.txt"), "-o", str(tmp_path / "a.mp3"), "--engine", "fake")
    line = one_error_line(run_yomicast(*args, "--cache-dir", str(tmp_path / "c")))
    assert "minutes of speech, over the 5-minute limit for one episode" in line
    assert "[limits] episode_minutes" in line
    assert not (tmp_path / "a.mp3").exists() and not (tmp_path / "c").exists()  # nothing was spoken


@pytest.mark.parametrize(
    ("setting", "line"),
    [
        ('name = "voicevox"\nconcurrency = "2"', "voicevox concurrency must be a whole number, not '2'"),
        ('name = "voicevox"\ntimeout = "x"', "voicevox timeout must be a number, not 'x'"),
        ('name = "voicevox"\ntries = [1]', "voicevox tries must be a whole number, not [1]"),
        ('name = "voicevox"\nurl = 5', "voicevox url must be a string or a list of strings, not 5"),
        ('name = "voicevox"\nurl = ["http://a:1", 3]', "voicevox url must be a string or a list of strings"),
        ('name = "openjtalk"\nspeed = "fast"', "openjtalk speed must be a number, not 'fast'"),
        ('name = "openjtalk"\nhalf_tone = []', "openjtalk half_tone must be a number, not []"),
        ('name = "openjtalk"\nvoice = 7', "openjtalk voice must be a string or a file path, not 7"),
        ('name = "gtts"\nslow = "yes"', "gtts slow must be true or false, not 'yes'"),
    ],
)
def test_23_11_an_engine_setting_of_the_wrong_type_is_one_line_naming_it(tmp_path, setting, line):
    from typer.testing import CliRunner

    from yomicast.cli import app

    (tmp_path / "show.toml").write_text(f"[engine]\n{setting}\n", encoding="utf-8")
    (tmp_path / "a.txt").write_bytes((DATA / "small-digest.txt").read_bytes())
    result = CliRunner().invoke(app, ["episode", str(tmp_path / "a.txt"), "-o", str(tmp_path / "a.mp3")])
    assert result.exit_code == 3, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and line in lines[0] and "[engine]" in lines[0]


@pytest.mark.parametrize("where", ["article", "show.toml", "dictionary.csv", "manifest"])
def test_23_found_a_folder_where_a_file_belongs_is_one_line(built, tmp_path, where):
    """Found by probing: a folder given as the article raised IsADirectoryError from os.fdopen; a folder
    named show.toml was 'no such show file'; a folder named dictionary.csv printed an errno and a file
    descriptor."""
    folder, out = built
    if where == "article":
        (tmp_path / "d").mkdir()
        assert "is a folder" in one_error_line(run_yomicast("sections", str(tmp_path / "d")))
        return
    target = out / MANIFEST if where == "manifest" else folder / where
    if target.exists():
        target.unlink()
    target.mkdir()
    before = snapshot(out)
    line = one_error_line(build_cli(folder, out, tmp_path))
    assert "is a folder" in line and where in line
    assert snapshot(out) == before


def test_23_4_a_dictionary_linked_out_of_the_folder_is_not_read(built, tmp_path):
    folder, out = built
    secret = tmp_path / "secret.csv"
    secret.write_text("surface,reading\n秘密,ヒミツ\n", encoding="utf-8")
    (folder / "dictionary.csv").symlink_to(secret)
    before = snapshot(out)
    line = one_error_line(build_cli(folder, out, tmp_path))
    assert "dictionary.csv: a link to" in line and "outside" in line
    assert snapshot(out) == before


def test_23_found_a_transcript_tampered_in_place_is_one_line_and_deleting_it_heals(built, tmp_path):
    """Pages of unchanged episodes are made from their published JSON; one overwritten with other bytes of
    its size and its old time (so the digest is not asked) is a clear error, not an empty page, and the
    way out it names works."""
    folder, out = built
    (transcript,) = [p for p in out.glob("small-digest-*.transcript.json")]
    info = transcript.stat()
    transcript.write_bytes(b"x" * info.st_size)
    os.utime(transcript, ns=(info.st_atime_ns, info.st_mtime_ns))
    feed = (out / "feed.xml").read_bytes()
    proc = build_cli(folder, out, tmp_path)
    errors = [ln for ln in proc.stderr.splitlines() if ln.startswith("yomicast: error:")]
    assert proc.returncode == 5 and "Traceback" not in proc.stderr and len(errors) == 1, proc.stderr
    assert transcript.name in errors[0] and "delete it and build again" in errors[0]
    assert (out / "feed.xml").read_bytes() == feed
    transcript.unlink()
    proc = build_cli(folder, out, tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(next(out.glob("small-digest-*.transcript.json")).read_text(encoding="utf-8"))[
        "segments"
    ]
