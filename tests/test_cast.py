"""A cast of voices: parts of an episode spoken by different voices, level-matched, and every voice credited."""

from __future__ import annotations

import json
import shutil

import numpy as np
import pytest
from mutagen.id3 import ID3

from yomicast.errors import ConfigError
from yomicast.show.build import build_show
from yomicast.show.config import Show, load_show
from yomicast.show.episode import make_episode
from yomicast.speech.cache import SegmentCache
from yomicast.speech.cast import Cast
from yomicast.speech.engines.fake import FakeEngine

from .conftest import DATA, published_file
from .media import decode
from .voicevox_server import FakeVoicevox

CAST_TOML = """
[show]
title = "キャストのテスト"
base_url = "https://example.org/"

[engine]
name = "voicevox"
url = ["{a}", "{b}"]
voice = "ずんだもん"
[voices.anchor]
name = "voicevox"
voice = "四国めたん/ノーマル"
[cast]
intro = "anchor"
headings = "anchor"
credit = "anchor"
"""


@pytest.fixture
def cast_show(tmp_path):
    """A show folder with one article, cast as the acceptance form says, on two local VOICEVOX servers."""
    folder = tmp_path / "show"
    folder.mkdir()
    shutil.copyfile(DATA / "small-digest.txt", folder / "a.txt")
    with FakeVoicevox() as a, FakeVoicevox() as b:
        (folder / "show.toml").write_text(CAST_TOML.format(a=a.url, b=b.url), encoding="utf-8")
        yield folder, a, b


def test_the_acceptance_cast_two_servers_an_anchor_and_a_reader(tmp_path, cast_show):
    folder, a, b = cast_show
    out = tmp_path / "public"
    report = build_show(folder, out, cache=SegmentCache(tmp_path / "c"))
    assert report.built == ["a.txt"], report.failed
    syntheses = a.syntheses + b.syntheses
    assert a.syntheses and b.syntheses  # both servers spoke
    said_by = {}
    for r in syntheses:
        said_by[json.loads(r.body)["text"]] = int(r.query["speaker"][0])
    assert said_by["開花予想のポイント"] == 2  # a heading: the anchor
    body = [t for t in said_by if t.startswith("気象庁は3月1日")]
    assert body and all(said_by[t] == 3 for t in body)  # the body: ずんだもん
    credit = "音声は、VOICEVOX:ずんだもん、VOICEVOX:四国めたんでお送りしました。"
    assert credit in published_file(out, "a", ".vtt").read_text(encoding="utf-8")  # spoken at the end
    feed = (out / "feed.xml").read_text(encoding="utf-8")
    assert credit in feed  # in the show notes
    import podcastparser

    assert '<podcast:person group="cast" role="narrator">VOICEVOX:ずんだもん</podcast:person>' in feed
    assert '<podcast:person group="cast" role="narrator">VOICEVOX:四国めたん</podcast:person>' in feed
    assert podcastparser.parse("https://example.org/feed.xml", (out / "feed.xml").open("rb"))["episodes"]
    comment = ID3(published_file(out, "a")).getall("COMM")[0].text[0]
    assert comment.endswith(credit)  # and in the ID3 comment


def test_voices_are_level_matched_before_mastering(tmp_path):
    loud, quiet = FakeEngine(level=0.5), FakeEngine(level=0.05, seconds_per_char=0.08)
    cast = Cast(loud, {"intro": quiet, "headings": quiet, "credit": quiet})
    from yomicast.article import read_article
    from yomicast.render.stages import render_episode
    from yomicast.show.episode import script_for

    show = Show(jingle=False)
    script = script_for(read_article(DATA / "small-digest.txt"), show, cast)
    result = render_episode(script, cast, SegmentCache(tmp_path / "c"), tmp_path / "x.mp3")
    samples, _ = decode(tmp_path / "x.mp3")

    def level(part_lines) -> float:
        parts = [samples[int(ln.start * 44100) : int(ln.end * 44100)] for ln in part_lines]
        x = np.concatenate(parts)
        return float(10 * np.log10(np.mean(x.astype(np.float64) ** 2)))

    lines = result.timeline.lines
    intro = [ln for ln in lines if ln.chapter == 0]
    body = [ln for ln in lines if ln.chapter == 1]
    assert abs(level(intro) - level(body)) < 1.0  # 20 dB apart as spoken, within 1 dB as published


def test_a_voice_with_a_wrong_setting_names_its_table(tmp_path):
    (tmp_path / "show.toml").write_text(
        '[voices.anchor]\nname = "fake"\nloudness = 3\n[cast]\nintro = "anchor"\n', encoding="utf-8"
    )
    shutil.copyfile(DATA / "small-digest.txt", tmp_path / "a.txt")
    with pytest.raises(ConfigError, match=r"\[voices.anchor\].*no setting 'loudness'"):
        make_episode(
            tmp_path / "a.txt",
            tmp_path / "a.mp3",
            load_show(tmp_path),
            engine=FakeEngine(),
            cache=SegmentCache(tmp_path / "c"),
        )


def test_a_new_release_of_a_cast_voice_rebuilds_and_nothing_else_does(tmp_path, cast_show):
    folder, a, b = cast_show
    out, cache = tmp_path / "public", SegmentCache(tmp_path / "c")
    assert build_show(folder, out, cache=cache).built == ["a.txt"]
    spoken = len(a.syntheses) + len(b.syntheses)
    again = build_show(folder, out, cache=cache)
    assert again.unchanged == ["a.txt"] and len(a.syntheses) + len(b.syntheses) == spoken
    for server in (a, b):  # 四国めたん, the anchor, gets a new release
        server.speakers = [
            dict(sp, version="0.16.0") if sp["name"] == "四国めたん" else sp for sp in server.speakers
        ]
    renewed = build_show(folder, out, cache=cache)
    assert renewed.built == ["a.txt"] and renewed.spoken > 0
