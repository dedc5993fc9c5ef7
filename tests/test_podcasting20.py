"""Podcasting 2.0 beyond phase 1, read back by real parsers: feedparser, podcastparser and, when Node.js
and the npm package are installed (``.ci/run`` does), the Podcast Index's own parser podcast-partytime."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import feedparser
import podcastparser
import pytest

from .conftest import build_fake_show, published_file
from .media import decode, measure
from .test_streams import ffmpeg_chapters

BASE = "https://example.org/p20/"
CLIENTS = Path(__file__).parent / "clients"
EXTRA = {
    "[show]": '[show]\nlicense = "CC-BY-4.0"\nseason = 2\nupdate_frequency = "weekly"\n',
    "[audio]": '[audio]\nalternates = ["opus"]\n',
}


def configure(toml: str) -> str:
    for table, lines in EXTRA.items():
        toml = toml.replace(table + "\n", lines, 1)
    return toml


@pytest.fixture(scope="module")
def p20(tmp_path_factory):
    articles = ("small-digest.txt", "markdown-article.md")
    return build_fake_show(tmp_path_factory.mktemp("p20"), articles, BASE, configure)


def test_the_feed_carries_the_show_facts_as_podcasting_20_tags(p20):
    xml = (p20 / "feed.xml").read_text(encoding="utf-8")
    for tag in [
        "<podcast:medium>podcast</podcast:medium>",
        '<podcast:person group="writing" role="author">yomicast</podcast:person>',
        "<podcast:license>CC-BY-4.0</podcast:license>",
        '<podcast:updateFrequency rrule="FREQ=WEEKLY">Weekly</podcast:updateFrequency>',
        "<podcast:season>2</podcast:season>",
        "<itunes:season>2</itunes:season>",
        "<podcast:episode>1</podcast:episode>",
        'type="audio/ogg; codecs=opus"',
    ]:
        assert tag in xml, tag
    parsed = feedparser.parse(xml.encode())
    assert not parsed.bozo and len(parsed.entries) == 2
    pod = podcastparser.parse(BASE + "feed.xml", (p20 / "feed.xml").open("rb"))
    assert len(pod["episodes"]) == 2
    for ep in pod["episodes"]:  # the enclosure is still the MP3, for every app
        assert [e["mime_type"] for e in ep["enclosures"]] == ["audio/mpeg"]


def test_the_opus_rendition_decodes_with_the_chapters_and_length_of_the_mp3(p20):
    mp3, opus = published_file(p20, "small-digest"), published_file(p20, "small-digest", ".opus")
    assert opus.stat().st_size < mp3.stat().st_size * 0.75
    samples, errors = decode(opus)
    assert errors == ""
    mp3_samples, _ = decode(mp3)
    assert len(samples) / 44100 == pytest.approx(len(mp3_samples) / 44100, abs=0.1)
    chapters = json.loads(published_file(p20, "small-digest", ".chapters.json").read_text(encoding="utf-8"))
    in_opus = ffmpeg_chapters(opus)
    assert [t for _s, t in in_opus] == [c["title"] for c in chapters["chapters"]]
    for (start, _t), c in zip(in_opus, chapters["chapters"], strict=True):
        assert start == pytest.approx(c["startTime"], abs=0.06)
    measured = measure(opus)
    assert measured.true_peak <= -1.0 and abs(measured.loudness - -16.0) <= 1.0
    # the feed names it with its own length
    xml = (p20 / "feed.xml").read_text(encoding="utf-8")
    assert f'length="{opus.stat().st_size}"' in xml and opus.name in xml


def partytime(feed: Path) -> dict:
    node = shutil.which("node")
    if node is None:
        pytest.skip("Node.js is not installed (CI installs it and podcast-partytime)")
    if not (CLIENTS / "node_modules" / "podcast-partytime").is_dir():
        pytest.skip("podcast-partytime is not installed: run `npm ci --prefix tests/clients`")
    proc = subprocess.run(
        [node, str(CLIENTS / "partytime.js"), str(feed)], capture_output=True, text=True, timeout=60
    )
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def test_the_podcast_index_parser_recognises_the_tags(p20):
    seen = partytime(p20 / "feed.xml")
    support = {name for names in seen["pc20support"].values() for name in names}
    assert {
        "guid",
        "locked",
        "transcript",
        "chapters",
        "person",
        "season",
        "episode",
        "license",
        "alternateEnclosure",
        "medium",
    } <= support, support
    assert seen["medium"] == "podcast"
    assert seen["license"]["identifier"] == "CC-BY-4.0"
    assert {"name": "yomicast", "role": "Author", "group": "Writing"} in seen["podcastPeople"]
    for item in seen["items"]:
        alts = item["alternativeEnclosures"]
        assert [a["type"] for a in alts] == ["audio/mpeg", "audio/ogg; codecs=opus"]
        for alt in alts:
            name = alt["source"][0]["uri"].removeprefix(BASE)
            assert (p20 / name).stat().st_size == alt["length"]
        assert item["podcastSeason"]["number"] == 2 and item["podcastEpisode"]["number"] >= 1
