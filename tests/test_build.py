"""yomicast build: a small show of three articles, parsed back by feedparser and podcastparser."""

from __future__ import annotations

import datetime as dt
import html
import json
import re
import shutil
from pathlib import Path
from urllib.parse import unquote

import feedparser
import podcastparser
import pytest
from filelock import FileLock
from hypothesis import given, settings
from hypothesis import strategies as st
from mutagen.mp3 import MP3
from typer.testing import CliRunner

from yomicast.audio.tags import read_chapters
from yomicast.cli import app
from yomicast.errors import BusyError, ConfigError
from yomicast.show.build import LOCK, MANIFEST, build_show
from yomicast.show.config import Show, load_show
from yomicast.show.cover import check_cover, default_cover
from yomicast.show.feed import FeedEpisode, FeedInfo, podcast_guid, render_feed
from yomicast.speech.cache import SegmentCache
from yomicast.speech.engines.fake import FakeEngine

from .conftest import DATA, ROOT, SAMPLE, published_file

ARTICLES = ["small-digest.txt", "markdown-article.md", "no-headings.txt"]
BASE = "https://example.org/show/"


@pytest.fixture(scope="module")
def cache(tmp_path_factory) -> SegmentCache:
    return SegmentCache(tmp_path_factory.mktemp("segments"))


def build(show_dir, out, cache, engine=None, **kw):
    """A build with the fake engine (the real voices have their own end-to-end tests)."""
    return build_show(show_dir, out, base_url=BASE, cache=cache, engine=engine or FakeEngine(), **kw)


@pytest.fixture
def show_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "show"
    folder.mkdir()
    shutil.copyfile(ROOT / "episodes" / "show.toml", folder / "show.toml")
    for name in ARTICLES:
        shutil.copyfile(DATA / name, folder / name)
    return folder


def cli_build(show_dir: Path, out: Path, cache: SegmentCache):
    """``yomicast build`` as a user types it, with the fake engine."""
    args = ["build", str(show_dir), "--out", str(out), "--base-url", BASE, "--cache-dir", str(cache.root)]
    return CliRunner().invoke(app, [*args, "--engine", "fake"])


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file() and p.name != LOCK}


@pytest.fixture(scope="module")
def published(tmp_path_factory, cache):
    """One show of three articles built once, for the tests that only read what it published."""
    root = tmp_path_factory.mktemp("published")
    folder = root / "show"
    folder.mkdir()
    shutil.copyfile(ROOT / "episodes" / "show.toml", folder / "show.toml")
    for name in ARTICLES:
        shutil.copyfile(DATA / name, folder / name)
    report = build(folder, root / "public", cache)
    return report, root / "public"


def test_three_articles_make_a_feed_apps_accept(published):
    report, out = published
    assert sorted(report.built) == sorted(ARTICLES) and not report.failed
    raw = (out / "feed.xml").read_bytes()

    parsed = feedparser.parse(raw)
    assert not parsed.bozo
    assert parsed.feed.title == "yomicast ニュース" and parsed.feed.language == "ja"
    assert len(parsed.entries) == 3
    for entry in parsed.entries:
        enclosure = entry.enclosures[0]
        mp3 = out / Path(enclosure.href).name
        assert int(enclosure.length) == mp3.stat().st_size
        assert enclosure.type == "audio/mpeg" and enclosure.href.startswith(BASE)
        assert abs(int(entry.itunes_duration) - MP3(mp3).info.length) <= 1.0
        assert entry.guidislink is False
    # Newest first: the digest's source date (2025-03-01) and the Markdown's (2025-03-01T10:30) lead.
    dates = [dt.datetime(*e.published_parsed[:6]) for e in parsed.entries]
    assert dates == sorted(dates, reverse=True)

    pod = podcastparser.parse(BASE + "feed.xml", (out / "feed.xml").open("rb"))
    assert len(pod["episodes"]) == 3 and pod["cover_url"] == BASE + "cover.jpg"
    for ep in pod["episodes"]:
        assert (
            ep["enclosures"][0]["file_size"] == (out / Path(ep["enclosures"][0]["url"]).name).stat().st_size
        )
        assert ep["total_time"] > 10


def test_apple_and_podcast_index_tags(published):
    _report, out = published
    xml = (out / "feed.xml").read_text(encoding="utf-8")
    for tag in [
        "<itunes:image href=",
        '<itunes:category text="News">',
        "<itunes:explicit>false</itunes:explicit>",
        "<itunes:owner>",
        "<itunes:author>",
        "<itunes:type>episodic</itunes:type>",
        f'<atom:link href="{BASE}feed.xml" rel="self"',
        f"<podcast:guid>{podcast_guid(BASE + 'feed.xml')}</podcast:guid>",
        '<podcast:locked owner="podcast@example.org">yes</podcast:locked>',
        'type="text/vtt"',
        'type="application/srt"',
        'type="application/json+chapters"',
        "<itunes:episode>",
        "<content:encoded>",
    ]:
        assert tag in xml, tag
    assert check_cover(out / "cover.jpg") == ".jpg"


def test_podcast_guid_matches_the_spec_example():
    # https://github.com/Podcastindex-org/podcast-namespace/blob/main/docs/tags/guid.md
    assert podcast_guid("https://mp3s.nashownotes.com/pc20rss.xml") == "917393e3-1b1e-5cef-ace4-edaa54e1f810"


def test_chapters_json_and_transcripts_follow_the_mp3(published):
    _report, out = published
    doc = json.loads(published_file(out, "small-digest", ".chapters.json").read_text(encoding="utf-8"))
    in_mp3 = read_chapters(published_file(out, "small-digest"))
    assert [c["title"] for c in doc["chapters"]] == [t for t, _s, _e in in_mp3]
    for c, (_t, start, _e) in zip(doc["chapters"], in_mp3, strict=True):
        assert round(c["startTime"] * 1000) == round(start * 1000)  # the same millisecond
    vtt = published_file(out, "small-digest", ".vtt").read_text(encoding="utf-8")
    # one timeline: each chapter after the opening starts on the first cue of its speech, to the millisecond
    cues = [
        sum(float(x) * m for x, m in zip(stamp.split(":"), (3600, 60, 1), strict=True))
        for stamp in re.findall(r"^([\d:.]+) --> ", vtt, re.M)
    ]
    for c in doc["chapters"][1:]:
        assert any(abs(cue - c["startTime"]) < 0.0015 for cue in cues), c
    # and the show notes' 目次 gives the same starts, in whole seconds
    notes = json.loads((out / MANIFEST).read_text(encoding="utf-8"))["episodes"]["small-digest"][
        "content_html"
    ]
    listed = re.findall(r"<li>(\d+):(\d\d) ([^<]+)</li>", notes)
    assert listed and len(listed) == len(doc["chapters"]) - 2
    by_title = {c["title"]: c["startTime"] for c in doc["chapters"]}
    for m, sec, title in listed:
        assert int(m) * 60 + int(sec) == round(by_title[html.unescape(title)])
    srt = published_file(out, "small-digest", ".srt").read_text(encoding="utf-8")
    assert (
        vtt.startswith("WEBVTT")
        and "開花予想のポイント" in vtt
        and "00:00:" in srt
        and "," in srt.splitlines()[1]
    )


def test_incremental_rebuild_and_stable_guids(show_dir, tmp_path, cache):
    out = tmp_path / "public"
    build(show_dir, out, cache)
    first = json.loads((out / MANIFEST).read_text(encoding="utf-8"))["episodes"]
    before = snapshot(out)

    again = build(show_dir, out, cache)
    assert again.built == [] and again.spoken == 0 and len(again.unchanged) == 3
    assert snapshot(out) == before  # nothing rewritten, feed included

    article = show_dir / "small-digest.txt"
    article.write_text(
        article.read_text(encoding="utf-8").replace("平年より早い", "平年よりずっと早い"), encoding="utf-8"
    )
    edited = build(show_dir, out, cache)
    assert edited.built == ["small-digest.txt"] and edited.spoken == 1
    after = json.loads((out / MANIFEST).read_text(encoding="utf-8"))["episodes"]
    assert {k: v["guid"] for k, v in after.items()} == {k: v["guid"] for k, v in first.items()}
    assert {k: v["published"] for k, v in after.items()} == {k: v["published"] for k, v in first.items()}
    assert {k: v["number"] for k, v in after.items()} == {k: v["number"] for k, v in first.items()}
    for slug in ("markdown-article", "no-headings"):
        assert published_file(out, slug).read_bytes() == before[published_file(out, slug).name]
    # the edited episode has new files; the old ones are gone once the feed names the new
    old, new = first["small-digest"]["files"], after["small-digest"]["files"]
    assert set(old).isdisjoint(new) and all((out / n).is_file() for n in new)
    assert not any((out / n).exists() for n in old)


class Killed(BaseException):
    """A build stopped dead between two file operations (as by SIGKILL or a power cut)."""


class _KillAt:
    """Counts the renames and deletions of paths under ``root`` (other threads, such as the background
    sample render, go on untouched) and raises Killed at the ``n``th."""

    def __init__(self, n: int, root: Path) -> None:
        self.n, self.seen, self.root = n, 0, str(root)

    def wrap(self, real):
        def counted(*args, **kw):
            if str(args[0]).startswith(self.root):
                self.seen += 1
                if self.seen == self.n:
                    raise Killed
            return real(*args, **kw)

        return counted


def feed_is_consistent(out: Path) -> None:
    """Every file the feed names is there, and every enclosure states the file's length."""
    parsed = feedparser.parse((out / "feed.xml").read_bytes())
    assert not parsed.bozo and parsed.entries
    for entry in parsed.entries:
        for enc in entry.enclosures:
            path = out / enc.href.removeprefix(BASE)
            assert path.is_file() and path.stat().st_size == int(enc.length), enc.href
    for url in re.findall(r'url="([^"]+)"', (out / "feed.xml").read_text(encoding="utf-8")):
        assert (out / url.removeprefix(BASE)).is_file(), url
    # and every page links only to files that are there (pages go after the media, the index with the feed)
    for page in out.glob("*.html"):
        html = page.read_text(encoding="utf-8")
        for link in re.findall(r'(?:href|src)="([^":?#]+)(?:\?[^"]*)?"', html):
            assert (out / unquote(link)).is_file(), (page.name, link)


def test_the_published_folder_is_consistent_whenever_a_rebuild_is_killed(
    show_dir, tmp_path, cache, monkeypatch
):
    """Kill a rebuild at each of its renames and deletions in turn: the feed never names a missing file or
    a wrong length, and the next build repairs everything and leaves no stray files."""
    import os

    first = tmp_path / "first"
    build(show_dir, first, cache)
    article = show_dir / "small-digest.txt"
    article.write_text(
        article.read_text(encoding="utf-8").replace("平年より早い", "平年よりかなり早い"), encoding="utf-8"
    )
    real_replace, real_unlink = os.replace, Path.unlink
    steps = 0
    for kill_at in range(1, 40):
        out = tmp_path / f"kill{kill_at}"
        shutil.copytree(first, out)
        step = _KillAt(kill_at, tmp_path)
        monkeypatch.setattr(os, "replace", step.wrap(real_replace))
        monkeypatch.setattr(Path, "unlink", step.wrap(real_unlink))
        try:
            build(show_dir, out, cache)
            finished = True
        except Killed:
            finished = False
        monkeypatch.undo()
        feed_is_consistent(out)
        build(show_dir, out, cache)  # the next build repairs
        feed_is_consistent(out)
        named = {
            n
            for e in json.loads((out / MANIFEST).read_text(encoding="utf-8"))["episodes"].values()
            for n in e["files"]
        }
        stray = {
            p.name
            for p in out.iterdir()
            if p.suffix in (".mp3", ".vtt", ".srt", ".json") and p.name != MANIFEST
        }
        assert stray <= named | {"feed.xml"}, stray - named
        if finished:
            steps = kill_at - 1
            break
    assert steps >= 8  # four files written, feed, manifest, four old files removed


def test_broken_article_leaves_published_files_byte_identical(show_dir, tmp_path, cache):
    out = tmp_path / "public"
    build(show_dir, out, cache)
    before = snapshot(out)
    shutil.copyfile(DATA / "binary.txt", show_dir / "zz-binary.txt")
    (show_dir / "no-headings.txt").write_bytes(b"\x00\x01\x02 broken now")
    result = cli_build(show_dir, out, cache)
    assert result.exit_code != 0
    errors = [ln for ln in result.stderr.splitlines() if ln.startswith("yomicast: error:")]
    assert (
        len(errors) == 2
        and any("zz-binary.txt" in e for e in errors)
        and any("no-headings.txt" in e for e in errors)
    )
    assert snapshot(out) == before


def test_second_build_at_once_is_refused(show_dir, tmp_path, cache):
    out = tmp_path / "public"
    out.mkdir()
    with FileLock(str(out / LOCK)), pytest.raises(BusyError, match="another yomicast build"):
        build(show_dir, out, cache)


def test_build_needs_a_base_url(tmp_path, cache):
    folder = tmp_path / "bare"
    folder.mkdir()
    shutil.copyfile(DATA / "no-headings.txt", folder / "a.txt")
    with pytest.raises(ConfigError, match="base_url"):
        build_show(folder, tmp_path / "out", cache=cache)


@pytest.mark.parametrize(
    ("toml", "words"),
    [
        ("[show\ntitle = 'x'", "broken TOML"),
        ("[show]\nexplicit = 'maybe'", "show.explicit"),
        ("[show]\ncategory = 'Cooking'", "show.category"),
        ("[show]\nowner_email = 'nobody'", "show.owner_email"),
        ("[audio]\nbitrate = 65", "bitrate"),
        ("[templates]\nintro = '{nope}'", "templates.intro"),
        ("[show]\ncover = 'missing.png'", "show.cover"),
        ("[colour]\nx = 1", "unknown table"),
        ('[voices.anchor]\nname = "fake"\n[cast]\nintro = "nobody"', "cast.intro"),
        ('[voices.anchor]\nname = "fake"\n[cast]\noutro = "anchor"', "cast.outro"),
        ('[voices.anchor]\nvoice = "x"', "voices.anchor"),
        ("[show]\nmedium = 'radio'", "show.medium"),
        ("[show]\nseason = 0", "show.season"),
        ("[show]\nupdate_frequency = 'sometimes'", "show.update_frequency"),
        ("[show]\nlicense_url = 'cc-by'", "show.license_url"),
        ("[audio]\nalternates = ['flac']", "alternates"),
        ("[audio]\nalternates = 'opus'", "audio.alternates"),
    ],
)
def test_broken_config_names_file_and_field(tmp_path, toml, words):
    path = tmp_path / "show.toml"
    path.write_text(toml, encoding="utf-8")
    with pytest.raises(ConfigError, match=words) as info:
        load_show(path)
    assert str(path) in str(info.value)


def test_bad_cover_is_named(tmp_path):
    from PIL import Image

    Image.new("RGB", (300, 300)).save(tmp_path / "small.png")
    (tmp_path / "show.toml").write_text("[show]\ncover = 'small.png'\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"show\.cover.*1400"):
        load_show(tmp_path / "show.toml")


def test_default_cover_is_valid(tmp_path):
    path = tmp_path / "c.jpg"
    path.write_bytes(default_cover("テスト"))
    assert check_cover(path) == ".jpg"


xml_hostile = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",)) | st.sampled_from("&<>\"']]>😀\x00\x0b"),
    min_size=1,
    max_size=60,
)


@settings(max_examples=60, deadline=None)
@given(title=xml_hostile, description=xml_hostile)
def test_feed_is_well_formed_whatever_the_titles_hold(title, description):
    from yomicast.show.feed import UNTITLED, xml_text

    episode = FeedEpisode(
        guid="g",
        title=title,
        description=description,
        content_html=f"<p>{description}</p>",
        url=BASE + "a.mp3",
        length=10,
        duration=5,
        published=dt.datetime(2025, 1, 1, tzinfo=dt.UTC),
        number=1,
    )
    info = FeedInfo(
        feed_url=BASE + "feed.xml",
        cover_url=BASE + "cover.jpg",
        link=BASE,
        updated=dt.datetime(2025, 1, 1, tzinfo=dt.UTC),
        episodes=[episode],
    )
    xml = render_feed(Show(title=title, description=description), info)
    parsed = feedparser.parse(xml)
    assert not parsed.bozo, parsed.bozo_exception
    assert len(parsed.entries) == 1
    # podcastparser (a strict SAX parser) gives the title back exactly; feedparser "repairs" text that looks
    # like double-encoded UTF-8, so it is only asked whether the XML is well formed.
    import io

    back = podcastparser.parse(BASE + "feed.xml", io.BytesIO(xml))["episodes"][0]["title"]
    want = " ".join(xml_text(title).split()) or UNTITLED
    assert " ".join(back.split()) == want


@pytest.mark.slow
def test_a_show_spoken_by_open_jtalk_end_to_end(tmp_path, sample_render):
    """The real default voice, through the command a user types. The sample's segments were spoken by Open
    JTalk once this session (``sample_render``); the build finds them all in that cache."""
    folder = tmp_path / "show"
    folder.mkdir()
    shutil.copyfile(ROOT / "episodes" / "show.toml", folder / "show.toml")
    shutil.copyfile(SAMPLE, folder / "msmt-report.txt")
    out = tmp_path / "public"
    args = [
        "build",
        str(folder),
        "--out",
        str(out),
        "--base-url",
        BASE,
        "--cache-dir",
        str(sample_render.cache.root),
    ]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    assert "1 built" in result.stdout and "0 segments spoken" in result.stdout
    parsed = feedparser.parse((out / "feed.xml").read_bytes())
    assert not parsed.bozo and len(parsed.entries) == 1
    mp3 = published_file(out, "msmt-report")
    assert int(parsed.entries[0].enclosures[0].length) == mp3.stat().st_size
    titles = [t for t, _s, _e in read_chapters(mp3)]
    assert titles == [t for t, _s, _e in read_chapters(sample_render.out)]
    assert MP3(mp3).info.length == pytest.approx(MP3(sample_render.out).info.length, abs=0.05)


def test_build_json_gives_the_report_and_every_event_in_order(show_dir, tmp_path, cache):
    """The console, ``--json`` and ``serve --watch`` render the same typed events."""
    out = tmp_path / "public"
    args = ["build", str(show_dir), "--out", str(out), "--base-url", BASE, "--cache-dir", str(cache.root)]
    first = CliRunner().invoke(app, [*args, "--engine", "fake", "--json"])
    assert first.exit_code == 0, first.output
    doc = json.loads(first.stdout)
    assert sorted(doc["built"]) == sorted(p.name for p in show_dir.iterdir() if p.suffix in (".txt", ".md"))
    kinds = [(e["event"], e["article"]) for e in doc["events"]]
    for name in doc["built"]:  # each article: started, then built
        assert kinds.index(("start", name)) < kinds.index(("built", name))
    again = json.loads(CliRunner().invoke(app, [*args, "--engine", "fake", "--json"]).stdout)
    assert again["built"] == [] and {e["event"] for e in again["events"]} == {"unchanged"}
    assert again["spoken"] == 0 and again["feed"] == str(out / "feed.xml")


def test_each_failure_names_the_stage_it_happened_in(tmp_path, cache):
    """An article moves read → script → speak → master → write → record; a failure says where it stopped,
    in the report's events (``build --json``), and the others are built."""
    folder = tmp_path / "show"
    folder.mkdir()
    (folder / "show.toml").write_text('[show]\ntitle = "T"\n[limits]\nepisode_minutes = 1\n', "utf-8")
    digest = (DATA / "small-digest.txt").read_text(encoding="utf-8")
    (folder / "a-good.txt").write_text(digest, encoding="utf-8")
    (folder / "b-empty.txt").write_bytes(b"")
    (folder / "c-long.txt").write_text(digest.replace("見込みです。", "見込みです。" * 150), encoding="utf-8")
    (folder / "d-fails.txt").write_text(digest.replace("見込みです。", "ここで止まります。"), "utf-8")
    report = build(folder, tmp_path / "out", cache, FakeEngine(fail_on="ここで止まります"))
    stages = {e.name: e.stage for e in report.events if e.kind == "failed"}
    assert stages == {"b-empty.txt": "read", "c-long.txt": "script", "d-fails.txt": "speak"}
    assert report.built == ["a-good.txt"]
    shapes = [e.as_json() for e in report.events]
    assert {
        "event": "failed",
        "article": "d-fails.txt",
        "detail": report.failed[-1][1],
        "stage": "speak",
    } in shapes
    assert all("stage" not in s for s in shapes if s["event"] != "failed")


def test_a_manifest_of_an_unknown_version_is_refused_and_left_alone(show_dir, tmp_path, cache):
    out = tmp_path / "public"
    build(show_dir, out, cache)
    manifest = out / MANIFEST
    data = json.loads(manifest.read_text(encoding="utf-8"))
    data["version"] = 99
    manifest.write_text(json.dumps(data), encoding="utf-8")
    before = snapshot(out)
    result = cli_build(show_dir, out, cache)
    assert result.exit_code == 3
    line = result.stderr.strip()
    assert len(line.splitlines()) == 1 and "manifest version 99" in line and str(manifest) in line
    assert snapshot(out) == before


def test_a_manifest_that_calls_voice_credits_voices_is_read_and_nothing_is_made_again(
    show_dir, tmp_path, cache
):
    """``voices`` was the manifest's name for the voices' credits until the cast got that word."""
    out = tmp_path / "public"
    build(show_dir, out, cache)
    manifest = out / MANIFEST
    data = json.loads(manifest.read_text(encoding="utf-8"))
    for entry in data["episodes"].values():
        entry["voices"] = entry.pop("voice_credits")
    manifest.write_text(json.dumps(data), encoding="utf-8")
    feed = (out / "feed.xml").read_bytes()
    report = build(show_dir, out, cache)
    assert report.built == [] and report.spoken == 0 and report.unchanged
    assert (out / "feed.xml").read_bytes() == feed
    assert all(
        "voice_credits" in e for e in json.loads(manifest.read_text(encoding="utf-8"))["episodes"].values()
    )


def test_a_damaged_manifest_is_refused(tmp_path):
    from yomicast.show.manifest import Manifest

    path = tmp_path / MANIFEST
    path.write_text('{"version": 1, "episodes": {"a": {"guid": "x"}}}', encoding="utf-8")
    with pytest.raises(ConfigError, match="damaged"):
        Manifest.load(path)


def _changed(value):
    if isinstance(value, bool):
        return not value
    if isinstance(value, int):
        return value + 1 if value < 10 else value * 2  # LAME quality 5 → 6; 64 kbps → 128, a valid MP3 rate
    if isinstance(value, float):
        return value + 1
    if isinstance(value, str):
        return value + "x"
    if isinstance(value, tuple):  # audio.alternates
        return ("opus",)
    return Path("elsewhere.wav")


@pytest.mark.parametrize(
    "extra",
    [
        '[publish]\nto = "s3://bucket/show"\nmax_age = 600\n',
        "[fetch]\ndelay = 2\n",
        '[[sources]]\nurl = "https://example.org/rss.xml"\n',
        "[check]\nthreshold = 0.5\n",
        "[limits]\nepisode_minutes = 100\n",
    ],
)
def test_a_setting_of_how_the_show_is_fetched_published_or_checked_renames_no_episode(
    show_dir, tmp_path, cache, extra
):
    """Found in #24: [publish], [fetch] and [[sources]] were in the settings fingerprint, so adding a
    source gave every episode a new file name and every subscriber downloaded them all again."""
    out = tmp_path / "public"
    build(show_dir, out, cache)
    before = snapshot(out)
    toml = show_dir / "show.toml"
    toml.write_text(toml.read_text(encoding="utf-8") + "\n" + extra, encoding="utf-8")
    report = build_show(show_dir, out, base_url=BASE, cache=cache, engine=FakeEngine())
    assert report.built == [] and report.unchanged
    after = snapshot(out)
    assert {k: v for k, v in after.items() if k != MANIFEST} == {
        k: v for k, v in before.items() if k != MANIFEST
    }


def test_every_show_field_is_placed_in_or_out_of_the_episode_fingerprint():
    """A field added to Show must be placed: does it change an episode's files, or only the feed and how
    a build runs? (EPISODE_FIELDS lists the first kind; whatever is not there is the second.)"""
    import dataclasses

    from yomicast.show import fingerprint as manifest

    feed_or_run = {
        "description", "owner_name", "owner_email", "language", "category", "subcategory", "explicit",
        "base_url", "link", "show_type", "medium", "license", "license_url", "season", "update_frequency",
        "path", "engine", "engine_options", "limits", "check", "publish", "fetch", "sources",
    }  # fmt: skip
    fields = {f.name for f in dataclasses.fields(Show)}
    assert fields == set(manifest.EPISODE_FIELDS) | feed_or_run
    assert not set(manifest.EPISODE_FIELDS) & feed_or_run


@pytest.mark.parametrize("table", ["audio", "pauses"])
def test_every_audio_setting_is_in_the_fingerprint(table):
    """The fingerprint is derived from the settings' fields: changing any one of them changes it, so a
    setting added later cannot be forgotten."""
    import dataclasses

    from yomicast.show.fingerprint import fingerprint_of

    show = Show()
    settings = getattr(show, table)
    for f in dataclasses.fields(settings):
        other = dataclasses.replace(
            show, **{table: dataclasses.replace(settings, **{f.name: _changed(getattr(settings, f.name))})}
        )
        assert fingerprint_of(other) != fingerprint_of(show), f.name


def test_every_mp3_stands_alone_with_its_cover_and_number(published):
    """Someone who plays a single MP3 sees the show's cover (drawn here) and the episode's number."""
    from mutagen.id3 import ID3

    _report, out = published
    manifest = json.loads((out / MANIFEST).read_text(encoding="utf-8"))["episodes"]
    for slug, entry in manifest.items():
        id3 = ID3(published_file(out, slug))
        assert str(id3["TRCK"]) == str(entry["number"])
        (apic,) = id3.getall("APIC")
        assert apic.type == 3 and apic.data == (out / "cover.jpg").read_bytes()
        assert str(id3["TLAN"]) == "jpn" and str(id3["TALB"]) == "yomicast ニュース"
    id3 = ID3(published_file(out, "markdown-article"))
    assert id3["WOAS"].url == "https://www.example.org/news/2025/childcare"
    assert str(id3["TPUB"]) == "東京都"


@pytest.mark.parametrize("side", [1400, 3000])
def test_the_drawn_cover_carries_the_japanese_title_within_its_margins(tmp_path, side):
    from PIL import Image, ImageChops

    from yomicast.show.cover import default_cover

    long_title = "日本語のニュース記事を毎朝読み上げる、とても長い名前のポッドキャスト番組「今日の国際情勢」"
    paths = {}
    for name, title in {"a": "yomicast ニュース", "b": "朝刊まとめ", "long": long_title}.items():
        paths[name] = tmp_path / f"{name}.jpg"
        paths[name].write_bytes(default_cover(title, side))
        assert check_cover(paths[name]) == ".jpg"
    a, b, long = (Image.open(paths[k]).convert("L") for k in ("a", "b", "long"))
    title_area = (0, int(side * 0.45), side, int(side * 0.9))
    diff = ImageChops.difference(a.crop(title_area), b.crop(title_area))
    assert diff.getbbox() is not None  # the title is drawn, and it is this show's
    white = long.crop(title_area).point(lambda v: 255 if v > 200 else 0)
    left, _top, right, _bottom = white.getbbox()
    assert left > side * 0.05 and right < side * 0.95  # a long title wraps inside the margins


def test_japanese_title_lines_never_start_with_closing_marks():
    from yomicast.show.cover import wrap_title

    lines = wrap_title("今日の国際情勢、そして「注目の論点」。ニュース", lambda s: len(s) <= 5)
    assert "".join(lines) == "今日の国際情勢、そして「注目の論点」。ニュース"
    assert not any(line[0] in "、。」ー" for line in lines), lines
    assert wrap_title("yomicast ニュース", lambda s: len(s) <= 11) == ["yomicast", "ニュース"]
