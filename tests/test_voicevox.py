"""The voicevox engine with the real requests client against a local server that speaks VOICEVOX's API."""

from __future__ import annotations

import time

import pytest
from typer.testing import CliRunner

from yomicast.audio.tags import read_chapters
from yomicast.cli import app
from yomicast.errors import ConfigError, EngineError, EngineUnavailable
from yomicast.show.episode import make_episode
from yomicast.speech.cache import SegmentCache
from yomicast.speech.engines import create_engine
from yomicast.speech.engines.voicevox import AivisSpeechEngine, VoicevoxEngine

from .conftest import DATA, run_yomicast
from .http_server import closed_port_url
from .media import decode
from .voicevox_server import FakeVoicevox

ARTICLE = DATA / "small-digest.txt"


@pytest.fixture
def server():
    with FakeVoicevox() as fake:
        yield fake


def test_a_whole_episode_through_voicevox(server, tmp_path):
    out = tmp_path / "v.mp3"
    with VoicevoxEngine(url=server.url, voice="ずんだもん", backoff=0.01) as engine:
        result = make_episode(ARTICLE, out, engine=engine, cache=SegmentCache(tmp_path / "c"))
        assert engine.credits() == ("VOICEVOX:ずんだもん",)
    samples, errors = decode(out)
    assert errors == "" and len(samples) / 44100 == pytest.approx(result.timeline.duration, abs=0.2)
    assert len(read_chapters(out)) == 5
    assert {r.query["speaker"][0] for r in server.syntheses} == {"3"}  # ずんだもん's first style
    assert all(r.path in {"/version", "/speakers", "/audio_query", "/synthesis"} for r in server.requests)


@pytest.mark.parametrize(
    ("speaker", "style_id"),
    [("四国めたん/あまあま", 0), ("四国めたん", 2), (1, 1), ("3", 3), ("ずんだもん/あまあま", 1)],
)
def test_speakers_are_found_by_id_name_or_character_and_style(server, speaker, style_id):
    with VoicevoxEngine(url=server.url, voice=speaker) as engine:
        assert engine.voice().style_id == style_id


def episode_args(tmp_path):
    """``episode a.txt -o a.mp3`` for the sample article, beside the show.toml the test wrote."""
    (tmp_path / "a.txt").write_text(ARTICLE.read_text(encoding="utf-8"), encoding="utf-8")
    return [
        "episode",
        str(tmp_path / "a.txt"),
        "-o",
        str(tmp_path / "a.mp3"),
        "--cache-dir",
        str(tmp_path / "c"),
    ]


def test_an_unknown_voice_lists_what_the_server_offers(server, tmp_path):
    (tmp_path / "show.toml").write_text(
        f'[engine]\nname = "voicevox"\nurl = "{server.url}"\nvoice = "春日部つむぎ"\n', encoding="utf-8"
    )
    result = CliRunner().invoke(
        app,
        episode_args(tmp_path),
    )
    assert result.exit_code == 3
    line = result.stderr.strip()
    assert len(line.splitlines()) == 1
    assert (
        "no voice '春日部つむぎ'" in line
        and "ずんだもん (ノーマル 3, あまあま 1)" in line
        and "四国めたん" in line
    )
    assert not (tmp_path / "a.mp3").exists()


def test_the_cache_key_follows_the_voice_release(server, tmp_path):
    cache = SegmentCache(tmp_path / "c")
    with VoicevoxEngine(url=server.url) as engine:
        first = make_episode(ARTICLE, tmp_path / "1.mp3", engine=engine, cache=cache)
    spoken = len(server.syntheses)
    assert first.synthesized == spoken > 0
    with VoicevoxEngine(url=server.url) as engine:
        again = make_episode(ARTICLE, tmp_path / "2.mp3", engine=engine, cache=cache)
    assert again.synthesized == 0 and len(server.syntheses) == spoken  # a rebuild speaks nothing
    server.speakers = [dict(sp, version="0.16.0") for sp in server.speakers]  # a new release of the voices
    with VoicevoxEngine(url=server.url) as engine:
        renewed = make_episode(ARTICLE, tmp_path / "3.mp3", engine=engine, cache=cache)
    assert renewed.synthesized == spoken


def test_settings_reach_the_audio_query(server):
    with VoicevoxEngine(url=server.url, speed=1.5, pitch=0.05, intonation=1.2, volume=0.8) as engine:
        engine.synthesize("テストです。")
    import json

    body = json.loads(server.syntheses[-1].body)
    assert (body["speedScale"], body["pitchScale"], body["intonationScale"], body["volumeScale"]) == (
        1.5,
        0.05,
        1.2,
        0.8,
    )


@pytest.mark.parametrize(
    ("kw", "words"), [({"speed": 5}, "speed"), ({"url": "ftp://x"}, "url"), ({"voice": ""}, "voice")]
)
def test_bad_settings_are_config_errors(kw, words):
    with pytest.raises(ConfigError, match=words):
        VoicevoxEngine(**kw)


def test_two_servers_share_the_work_and_one_failing_hands_its_work_on(tmp_path):
    with FakeVoicevox(latency=0.02) as a, FakeVoicevox(latency=0.02) as b:
        with VoicevoxEngine(url=[a.url, b.url], concurrency=2, backoff=0.01) as engine:
            assert engine.concurrency == 4
            make_episode(ARTICLE, tmp_path / "x.mp3", engine=engine, cache=SegmentCache(tmp_path / "c1"))
        assert a.syntheses and b.syntheses
        b.status = 503
        with VoicevoxEngine(url=[a.url, b.url], concurrency=2, backoff=0.01, tries=4) as engine:
            result = make_episode(
                ARTICLE, tmp_path / "y.mp3", engine=engine, cache=SegmentCache(tmp_path / "c2")
            )
        assert result.synthesized > 0


def test_a_server_that_is_down_is_one_line_naming_it_and_how_to_start_it(tmp_path):
    url = closed_port_url()
    started = time.monotonic()
    proc = run_yomicast(
        "episode",
        str(ARTICLE),
        "--engine",
        "voicevox",
        "-o",
        str(tmp_path / "x.mp3"),
        "--cache-dir",
        str(tmp_path / "c"),
        env={"YOMICAST_VOICEVOX_URL": url},
    )
    assert time.monotonic() - started < 30
    assert proc.returncode == 4
    lines = [ln for ln in proc.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1 and url in lines[0] and "VOICEVOX ENGINE" in lines[0], proc.stderr
    assert not (tmp_path / "x.mp3").exists()


def test_a_failing_synthesis_leaves_no_partial_mp3(server, tmp_path):
    server.status = 500
    out = tmp_path / "x.mp3"
    with (
        pytest.raises(EngineError, match="500"),
        VoicevoxEngine(url=server.url, tries=2, backoff=0.01) as engine,
    ):
        make_episode(ARTICLE, out, engine=engine, cache=SegmentCache(tmp_path / "c"))
    assert not out.exists() and not list(tmp_path.glob("*.part*"))


def test_aivisspeech_is_the_same_api_on_its_own_port(server):
    assert AivisSpeechEngine.default_url == "http://127.0.0.1:10101"
    with create_engine("aivisspeech", url=server.url, voice="四国めたん") as engine:
        assert engine.max_chars == 500 and engine.voice().style_id == 2
    with (
        pytest.raises(EngineUnavailable, match="AivisSpeech"),
        AivisSpeechEngine(url=closed_port_url()) as down,
    ):
        down.voice()


def test_voices_command_lists_characters_and_styles(server):
    result = CliRunner().invoke(app, ["voices", "--engine", "voicevox", "--url", server.url])
    assert result.exit_code == 0, result.output
    assert "ずんだもん/ノーマル  id 3" in result.stdout and "四国めたん/あまあま  id 0" in result.stdout


def test_say_auditions_a_voice(server, tmp_path):
    out = tmp_path / "try.mp3"
    result = CliRunner().invoke(
        app,
        [
            "say",
            "今日のニュースをお伝えします。",
            "--engine",
            "voicevox",
            "--url",
            server.url,
            "--voice",
            "四国めたん",
            "-o",
            str(out),
            "--cache-dir",
            str(tmp_path / "c"),
        ],
    )
    assert result.exit_code == 0, result.output
    samples, errors = decode(out)
    assert errors == "" and len(samples) > 44100
    assert {r.query["speaker"][0] for r in server.syntheses} == {"2"}


@pytest.mark.parametrize("where", ["engine", "voices.anchor"])
def test_the_old_name_speaker_is_still_read_with_a_warning(server, tmp_path, where):
    """``speaker`` was VOICEVOX's word for what every engine now calls its ``voice``."""
    cast = '\n[cast]\nbody = "anchor"\n' if where != "engine" else ""
    table = f'[{where}]\nname = "voicevox"\nurl = "{server.url}"\nspeaker = "ずんだもん/あまあま"\n'
    (tmp_path / "show.toml").write_text(table + cast, encoding="utf-8")
    proc = run_yomicast(*episode_args(tmp_path))
    assert proc.returncode == 0, proc.stderr
    warned = [ln for ln in proc.stderr.splitlines() if "speaker is now called voice" in ln]
    assert len(warned) == 1 and warned[0].startswith("yomicast: warning:") and f"[{where}]" in warned[0]
    assert "1" in {r.query["speaker"][0] for r in server.syntheses}  # ずんだもん/あまあま is style 1


def test_speaker_and_voice_together_is_one_line(server, tmp_path):
    (tmp_path / "show.toml").write_text(
        f'[engine]\nname = "voicevox"\nurl = "{server.url}"\nspeaker = 1\nvoice = 2\n', encoding="utf-8"
    )
    (tmp_path / "a.txt").write_text(ARTICLE.read_text(encoding="utf-8"), encoding="utf-8")
    proc = run_yomicast("sections", str(tmp_path / "a.txt"))
    lines = proc.stderr.strip().splitlines()
    assert (
        proc.returncode == 3 and len(lines) == 1 and "[engine.speaker]: is the old name of voice" in lines[0]
    )


def test_say_still_takes_the_old_option_speaker(server, tmp_path):
    out = tmp_path / "try.mp3"
    args = [
        "say",
        "こんにちは。",
        "--engine",
        "voicevox",
        "--url",
        server.url,
        "--speaker",
        "3",
        "-o",
        str(out),
    ]
    proc = run_yomicast(*args, "--cache-dir", str(tmp_path / "c"))
    assert proc.returncode == 0, proc.stderr
    assert "--speaker is now called --voice" in proc.stderr and out.stat().st_size > 1000
    assert {r.query["speaker"][0] for r in server.syntheses} == {"3"}


def test_say_refuses_a_voice_for_an_engine_with_one(tmp_path):
    proc = run_yomicast(
        "say", "こんにちは。", "--engine", "gtts", "--voice", "x", "-o", str(tmp_path / "x.mp3")
    )
    lines = proc.stderr.strip().splitlines()
    assert proc.returncode == 3 and len(lines) == 1 and "has one voice" in lines[0]
    assert not (tmp_path / "x.mp3").exists()
