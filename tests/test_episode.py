from __future__ import annotations

import itertools
import json
import os
import stat

import pytest
from mutagen.id3 import ID3
from mutagen.mp3 import MP3
from typer.testing import CliRunner

from yomicast.audio.tags import read_chapters
from yomicast.cli import app
from yomicast.errors import EngineError, OutputError
from yomicast.show.episode import make_episode
from yomicast.speech.cache import SegmentCache
from yomicast.speech.engines.fake import FakeEngine

from .conftest import DATA
from .media import decode


@pytest.mark.slow
def test_sample_decodes_with_plausible_duration(sample_episode):
    result, article, samples, measured = sample_episode
    assert measured.errors == ""
    seconds = len(samples) / 44100
    chars = sum(len(s.text) for s in article.sections)
    # Japanese news reading runs at roughly 5-9 characters a second; intro, credit and pauses add time.
    assert chars / 9 < seconds < chars / 4
    assert abs(seconds - result.timeline.duration) < 0.2


@pytest.mark.slow
def test_sample_is_cbr_44k_mono(sample_episode):
    info = MP3(sample_episode[0].path).info
    assert (info.sample_rate, info.channels, info.bitrate) == (44100, 1, 64000)


@pytest.mark.slow
def test_sample_loudness_and_true_peak(sample_episode):
    measured = sample_episode[3]
    assert abs(measured.loudness - -16.0) <= 1.0
    assert measured.true_peak <= -1.0


@pytest.mark.slow
def test_chapters_match_intro_sections_and_credit(sample_episode):
    result, article, samples, _errors = sample_episode
    chapters = read_chapters(result.path)
    titles = [t for t, _s, _e in chapters]
    assert titles == ["オープニング", "概要", *[s.heading for s in article.sections[1:]], "クレジット"]
    starts = [s for _t, s, _e in chapters]
    assert starts == sorted(starts) and starts[0] == 0
    for (_t, _s, end), (_t2, start2, _e2) in itertools.pairwise(chapters):
        assert end == pytest.approx(start2, abs=0.002)
    assert chapters[-1][2] == pytest.approx(len(samples) / 44100, abs=0.15)


@pytest.mark.slow
def test_tags_read_back(sample_episode):
    result, article, _samples, _errors = sample_episode
    id3 = ID3(result.path)
    assert str(id3["TIT2"]) == article.title
    assert str(id3["TALB"]) == "yomicast ニュース"  # the sample show's title
    assert str(id3["TCON"]) == "Podcast"
    assert str(id3["TDRC"]).startswith("2025-07-17")
    assert id3.getall("COMM")[0].text[0].startswith("2025年7月17日")
    assert len(id3.getall("CHAP")) == len(article.sections) + 2
    toc = id3.getall("CTOC")[0]
    assert toc.flags & 0x03 == 0x03  # top level, ordered


@pytest.mark.slow
def test_sentence_times_come_from_segment_lengths(sample_episode):
    timeline = sample_episode[0].timeline
    lines = timeline.lines
    assert all(ln.end > ln.start for ln in lines)
    assert all(a.end <= b.start for a, b in itertools.pairwise(lines))
    # The credits are the last things said: the source, naming the publisher, then the voice.
    assert "ユーエス" in lines[-2].speech and "U.S. Department of State" in lines[-2].text
    assert lines[-1].text == "音声は、HTSボイス「Mei」（名古屋工業大学、CC BY 3.0）でお送りしました。"


def test_transcript_and_second_build_hits_the_cache(tmp_path):
    article = DATA / "small-digest.txt"
    out = tmp_path / "a.mp3"
    runner = CliRunner()
    args = [
        "episode",
        str(article),
        "-o",
        str(out),
        "--cache-dir",
        str(tmp_path / "cache"),
        "--engine",
        "fake",
        "--transcript",
        str(tmp_path / "a.vtt"),
    ]
    first = runner.invoke(app, args)
    assert first.exit_code == 0, first.output
    assert "5 chapters" in first.stdout and "0 from cache" in first.stdout
    vtt = (tmp_path / "a.vtt").read_text(encoding="utf-8")
    assert vtt.startswith("WEBVTT") and "気象庁は3月1日" in vtt
    os.remove(out)
    second = runner.invoke(app, args)
    assert second.exit_code == 0
    assert "0 segments spoken" in second.stdout
    assert out.exists()


def test_failure_leaves_no_partial_file_and_keeps_old_output(tmp_path):
    cache = SegmentCache(tmp_path / "cache")
    out = tmp_path / "ep.mp3"
    out.write_bytes(b"previous episode")
    engine = FakeEngine(fail_after=3, concurrency=1)
    with pytest.raises(EngineError, match="on purpose"):
        make_episode(DATA / "small-digest.txt", out, engine=engine, cache=cache)
    assert out.read_bytes() == b"previous episode"
    assert [p.name for p in tmp_path.iterdir() if p.name != "cache"] == ["ep.mp3"]
    # What arrived stays cached: the next run resumes and speaks only the rest.
    engine2 = FakeEngine()
    result = make_episode(DATA / "small-digest.txt", out, engine=engine2, cache=cache)
    assert result.cached == 3
    assert engine2.calls == result.synthesized == len({ln.speech for ln in result.timeline.lines}) - 3


def test_output_inside_a_file_is_a_clean_error(tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    with pytest.raises(OutputError, match="does not exist"):
        make_episode(
            DATA / "small-digest.txt",
            blocker / "x.mp3",
            engine=FakeEngine(),
            cache=SegmentCache(tmp_path / "c"),
        )
    assert blocker.read_text() == "x"


def test_unwritable_output_is_a_clean_error(tmp_path):
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(stat.S_IRUSR | stat.S_IXUSR)
    try:
        if os.access(locked, os.W_OK):
            pytest.skip("running as a user that can write anywhere")
        with pytest.raises(OutputError, match="not writable"):
            make_episode(
                DATA / "small-digest.txt",
                locked / "x.mp3",
                engine=FakeEngine(),
                cache=SegmentCache(tmp_path / "c"),
            )
    finally:
        locked.chmod(stat.S_IRWXU)


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["episode", str(DATA / "empty.txt")], "empty"),
        (["episode", str(DATA / "small-digest.txt"), "-o", "/nonexistent-dir/x.mp3"], "does not exist"),
        (["episode", str(DATA / "small-digest.txt"), "--engine", "nope"], "unknown engine"),
    ],
)
def test_episode_bad_input_exits_cleanly(args, words, tmp_path):
    result = CliRunner().invoke(app, [*args, "--cache-dir", str(tmp_path)])
    assert result.exit_code != 0
    assert words in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


@pytest.mark.slow
def test_timeline_round_trips_through_json(sample_episode):
    from yomicast.audio.timeline import Timeline

    tl = sample_episode[0].timeline
    again = Timeline.from_dict(json.loads(json.dumps(tl.to_dict())))
    assert again == tl


def test_two_processes_share_one_cache(tmp_path):
    """Both build the same article at once into one cache; both finish and both MP3s decode."""
    import subprocess
    import sys

    cache = tmp_path / "cache"
    procs = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "yomicast",
                "episode",
                str(DATA / "small-digest.txt"),
                "-o",
                str(tmp_path / f"{n}.mp3"),
                "--cache-dir",
                str(cache),
                "--engine",
                "fake",
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for n in (1, 2)
    ]
    for proc in procs:
        _out, err = proc.communicate(timeout=300)
        assert proc.returncode == 0, err
    for n in (1, 2):
        samples, errors = decode(tmp_path / f"{n}.mp3")
        assert errors == "" and len(samples) > 44100
    assert not list(cache.rglob(".tmp-*"))
    # Entries are complete and readable: a third run speaks nothing.
    third = CliRunner().invoke(
        app,
        [
            "episode",
            str(DATA / "small-digest.txt"),
            "-o",
            str(tmp_path / "3.mp3"),
            "--cache-dir",
            str(cache),
            "--engine",
            "fake",
        ],
    )
    assert "0 segments spoken" in third.stdout


@pytest.mark.slow
def test_chapter_marks_land_on_the_speech_they_name(sample_episode):
    """Speech starts a fixed few tens of ms after every chapter mark (codec delay + trim margin), also after the
    points where the episode was encoded as separate streams and joined."""
    import numpy as np

    result, _article, samples, _errors = sample_episode
    onsets = []
    for _title, start, _end in read_chapters(result.path)[1:]:
        window = np.abs(samples[int((start - 0.3) * 44100) : int((start + 0.5) * 44100)])
        onsets.append(np.flatnonzero(window > 0.01)[0] / 44100 - 0.3)
    assert all(0.0 <= o <= 0.11 for o in onsets), onsets
    assert max(onsets) - min(onsets) < 0.03, onsets


def test_user_jingle_is_band_limited_like_speech(tmp_path):
    """A jingle with sound above 12 kHz is brought to the episode format the way engine audio is."""
    import wave

    import numpy as np

    from yomicast.audio.decode import load_audio_file
    from yomicast.audio.timeline import RATE

    rate = 48000
    t = np.arange(rate) / rate
    tone = (0.3 * (np.sin(2 * np.pi * 440 * t) + np.sin(2 * np.pi * 16000 * t)) * 32767).astype("<i2")
    path = tmp_path / "jingle.wav"
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(tone.tobytes())
    pcm = load_audio_file(path)
    assert len(pcm) == pytest.approx(RATE, abs=50)
    spectrum = np.abs(np.fft.rfft(pcm))
    freqs = np.fft.rfftfreq(len(pcm), 1 / RATE)
    assert spectrum[freqs > 12500].max() < 0.001 * spectrum[(freqs > 400) & (freqs < 480)].max()


def test_undecodable_jingle_names_the_file(tmp_path):
    from yomicast.audio.decode import load_audio_file
    from yomicast.errors import ConfigError

    bad = tmp_path / "jingle.mp3"
    bad.write_bytes(b"not audio at all" * 10)
    with pytest.raises(ConfigError, match=r"jingle\.mp3.*does not decode"):
        load_audio_file(bad)


@pytest.mark.parametrize(
    ("engine_table", "words"),
    [
        ('name = "openjtalk"\nsped = 1.2', "no setting 'sped'"),
        ('name = "openjtalk"\nspeed = 9', "speed must be between"),
    ],
)
def test_bad_engine_setting_names_the_show_file(tmp_path, engine_table, words):
    import shutil

    shutil.copyfile(DATA / "small-digest.txt", tmp_path / "a.txt")
    (tmp_path / "show.toml").write_text(f"[engine]\n{engine_table}\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["episode", str(tmp_path / "a.txt"), "-o", str(tmp_path / "a.mp3")])
    assert result.exit_code == 3
    line = result.stderr.strip()
    assert (
        len(line.splitlines()) == 1
        and str(tmp_path / "show.toml") in line
        and "[engine]" in line
        and words in line
    )
    assert not (tmp_path / "a.mp3").exists()


def test_a_cache_entry_is_read_from_disk_once_however_often_it_is_asked_for(tmp_path, monkeypatch):
    """A build asks for one segment's length, hop powers and samples (#24.6): the file is read once,
    and an entry replaced on disk since is read again, digest checked."""
    import numpy as np

    from yomicast.speech import cache as cache_module

    store = SegmentCache(tmp_path)
    pcm = np.sin(np.arange(44100, dtype=np.float32) / 20) * 0.3
    store.put("k" * 64, pcm, np.ones(10))
    reads: list[str] = []
    real = cache_module.SegmentCache._read_entry
    monkeypatch.setattr(
        cache_module.SegmentCache,
        "_read_entry",
        lambda self, key, path: reads.append(key) or real(self, key, path),
    )
    fresh = SegmentCache(tmp_path)
    assert fresh.length("k" * 64) == 44100
    assert fresh.hops("k" * 64) is not None and fresh.get("k" * 64) is not None
    assert len(reads) == 1
    fresh.put("k" * 64, pcm * 0.5, np.ones(10))  # another process could do this
    assert np.max(np.abs(fresh.get("k" * 64))) < 0.16 and len(reads) == 2
