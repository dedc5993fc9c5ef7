"""True peak at or below -1 dBTP on every episode, measured on the decoded MP3 by ffmpeg's EBU R128 meter.

The corpus is spoken by Open JTalk with the sample show's settings (jingle, pauses, credit): many short
sections, a long list (with its Opus rendition too), and a cast that mixes a pitched-up voice with loud test tones. Each is rendered
twice: with the limiter's usual headroom below the target, and with none, which leaves the MP3 encoder's
own overshoot above -1 dBTP unless the renderer measures the encoded streams and corrects them.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from yomicast.article import read_article
from yomicast.render import mastering
from yomicast.render.stages import render_episode
from yomicast.show.config import load_show
from yomicast.show.episode import script_for
from yomicast.speech.cache import SegmentCache
from yomicast.speech.cast import Cast
from yomicast.speech.engines.fake import FakeEngine
from yomicast.speech.engines.openjtalk import OpenJTalkEngine

from .conftest import ROOT
from .media import measure

ARTICLES = {
    "short sections": "短い節が多い記事\n"
    + "\n".join(f"見出し{n}\n第{n}節です。数字は{n * 37}です。" for n in range(14)),
    "long list": "一覧の記事\n前置きの段落です。\n"
    + "\n".join(f"- 項目{n}: 内容は{n * 3}パーセントでした。" for n in range(24)),
}


@pytest.fixture(scope="module")
def cache(tmp_path_factory) -> SegmentCache:
    return SegmentCache(tmp_path_factory.mktemp("cache"))


def cast_of(name: str) -> OpenJTalkEngine | Cast:
    if name != "cast":
        return OpenJTalkEngine()
    tones = FakeEngine(level=0.9)
    return Cast(OpenJTalkEngine(), {"intro": tones, "headings": OpenJTalkEngine(half_tone=4.0, speed=1.2)})


@pytest.mark.parametrize("headroom", [mastering.ENCODER_HEADROOM_DB, 0.0])
@pytest.mark.parametrize(
    ("text", "voices"), [("short sections", "one"), ("long list", "one"), ("short sections", "cast")]
)
def test_true_peak_stays_under_the_target_on_the_decoded_mp3(
    tmp_path, monkeypatch, cache, text, voices, headroom
):
    monkeypatch.setattr(mastering, "ENCODER_HEADROOM_DB", headroom)
    show = load_show(ROOT / "episodes")
    path = tmp_path / "article.txt"
    path.write_text(ARTICLES[text] + "\n", encoding="utf-8")
    cast = cast_of(voices)
    script = script_for(read_article(path), show, cast)
    assert any(ch.jingle for ch in script.chapters)
    out = tmp_path / "episode.mp3"
    # the long list also gets the Opus rendition, which the same rule holds
    audio = dataclasses.replace(show.audio, alternates=("opus",) if text == "long list" else ())
    render_episode(script, cast, cache, out, audio=audio, streams=2)
    for path in [out] + ([out.with_suffix(".opus")] if audio.alternates else []):
        measured = measure(path)
        assert measured.errors == ""
        assert measured.true_peak <= show.audio.true_peak, path.name
        assert abs(measured.loudness - show.audio.loudness) <= 1.0, path.name


def test_the_encoded_peak_meter_agrees_with_ffmpeg(sample_episode):
    from yomicast.audio.mp3 import decoded_true_peak

    result, _article, _samples, measured = sample_episode
    assert decoded_true_peak(Path(result.path), floor_db=-6.0) == pytest.approx(measured.true_peak, abs=0.1)
