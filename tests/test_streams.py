"""Encoding an episode as several MP3 streams and joining them: marks stay on their speech, on any core count."""

from __future__ import annotations

import numpy as np
import pytest
from mutagen.mp3 import MP3

from yomicast.audio.mp3 import FRAME_SAMPLES, Stream, join_shifts, split_streams
from yomicast.audio.tags import read_chapters
from yomicast.audio.timeline import RATE, Clip
from yomicast.show.episode import make_episode
from yomicast.speech.cache import SegmentCache
from yomicast.speech.engines.fake import FakeEngine

from .conftest import DATA
from .media import decode


def speech_onsets(samples: np.ndarray, marks: list[float]) -> list[float]:
    """Seconds from each mark to the first sound after it."""
    out = []
    for start in marks:
        window = np.abs(samples[int((start - 0.3) * RATE) : int((start + 0.5) * RATE)])
        out.append(float(np.flatnonzero(window > 0.01)[0] / RATE - 0.3))
    return out


@pytest.mark.parametrize("streams", [1, 2, 3])
def test_joined_streams_keep_every_mark_on_its_speech(tmp_path, streams):
    cache = SegmentCache(tmp_path / "c")
    out = tmp_path / f"{streams}.mp3"
    result = make_episode(
        DATA / "markdown-article.md", out, engine=FakeEngine(), cache=cache, streams=streams
    )
    samples, errors = decode(out)
    assert errors == ""
    assert len(samples) / RATE == pytest.approx(result.timeline.duration, abs=0.06)
    chapters = read_chapters(out)
    assert len(chapters) == len(result.timeline.chapters) >= 4
    onsets = speech_onsets(samples, [start for _t, start, _e in chapters[1:]])
    assert all(0.0 <= o <= 0.11 for o in onsets), onsets
    assert max(onsets) - min(onsets) < 0.03, onsets
    lines = speech_onsets(samples, [ln.start for ln in result.timeline.lines[1:]])
    assert all(0.0 <= o <= 0.11 for o in lines), lines


def test_streams_are_cut_at_silences_into_even_parts():
    clips = [Clip(RATE * 10, key=str(i)) if i % 2 == 0 else Clip(RATE // 2) for i in range(40)]
    streams = split_streams(clips, 3, min_seconds=0)
    assert len(streams) == 3
    assert sum(s.samples for s in streams) == sum(c.samples for c in clips)
    assert all(s.clips[-1].silence for s in streams[:-1])
    sizes = [s.samples for s in streams]
    assert max(sizes) - min(sizes) < RATE * 11
    assert len(split_streams(clips[:10], 3)) == 1  # under two minutes: one stream


def test_join_shifts_add_up_each_streams_delay_and_padding():
    streams = [Stream([], 0, 1000), Stream([], 1000, 5000), Stream([], 6000, 100)]
    decoded = [2 * FRAME_SAMPLES, 6 * FRAME_SAMPLES, FRAME_SAMPLES]
    starts, shifts = join_shifts(streams, decoded)
    assert starts == [0, 1000, 6000]
    assert shifts == [0, 2 * FRAME_SAMPLES - 1000, 2 * FRAME_SAMPLES - 1000 + 6 * FRAME_SAMPLES - 5000]


def test_more_chapters_than_one_table_of_contents_holds(tmp_path):
    """An article of 260 sections: 262 chapters, more than one CTOC lists, go into sub-tables, in order."""
    from yomicast.article import read_article

    body = "\n".join(f"見出し{n}\n第{n}節の本文です。" for n in range(260))
    path = tmp_path / "many.txt"
    path.write_text("多くの節がある記事\n" + body + "\n", encoding="utf-8")
    out = tmp_path / "many.mp3"
    result = make_episode(
        read_article(path), out, engine=FakeEngine(seconds_per_char=0.01), cache=SegmentCache(tmp_path / "c")
    )
    chapters = read_chapters(out)
    assert len(chapters) == len(result.timeline.chapters) == 262
    assert [t for t, _s, _e in chapters] == [c.title for c in result.timeline.chapters]
    assert [s for _t, s, _e in chapters] == sorted(s for _t, s, _e in chapters)


def ffmpeg_chapters(path) -> list[tuple[float, str]]:
    """(start, title) of each chapter in the order ffmpeg's demuxer reads them: what mpv and VLC list."""
    import subprocess

    import imageio_ffmpeg

    meta = subprocess.run(
        [imageio_ffmpeg.get_ffmpeg_exe(), "-v", "error", "-i", str(path), "-f", "ffmetadata", "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    out, start = [], None
    for line in meta.splitlines():
        if line.startswith("START="):
            start = int(line[6:])
        elif line.startswith("title=") and start is not None:
            out.append((start / 1000, line[6:]))
            start = None
    return out


def test_players_built_on_ffmpeg_list_chapters_in_time_order(tmp_path):
    out = tmp_path / "x.mp3"
    result = make_episode(
        DATA / "markdown-article.md", out, engine=FakeEngine(), cache=SegmentCache(tmp_path / "c")
    )
    chapters = ffmpeg_chapters(out)
    assert [t for _s, t in chapters] == [c.title for c in result.timeline.chapters]
    assert [s for s, _t in chapters] == sorted(s for s, _t in chapters)
    assert read_chapters(out) and MP3(out).info.length > 1  # the tag is still whole
