"""Script + engine → one tagged, loudness-normalised CBR MP3: the stages, in order.

1. ``segments``: speak every segment the cache lacks, in parallel;
2. ``timeline``: lay the clips out and time every line and chapter;
3. ``mastering``: decide the one gain that meets the loudness target under the true-peak ceiling;
4. ``mp3``: encode the streams side by side, measure each decoded stream's true peak and encode again
   under a lower ceiling any that overshoots, join them, shift the timeline by the joins;
5. tag, then rename into place (a failed run leaves no partial file and the old output untouched).
"""

from __future__ import annotations

import os
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Literal, TypeVar

from yomicast.audio.timeline import Timeline, layout
from yomicast.errors import OutputError
from yomicast.script.compose import Script
from yomicast.settings import AudioSettings, Progress
from yomicast.speech.cache import SegmentCache
from yomicast.speech.cast import Cast
from yomicast.speech.engines.base import Engine

if TYPE_CHECKING:
    import numpy as np

    from yomicast.audio.mp3 import Stream
    from yomicast.speech.segments import Segment

T = TypeVar("T")
R = TypeVar("R")
#: The stages of a render, each told to ``on_stage`` as it begins.
RenderStage = Literal["speak", "master", "write"]


@dataclass
class RenderResult:
    path: Path
    timeline: Timeline
    synthesized: int  # segments the engine spoke in this run
    cached: int  # segments taken from the cache
    gain_db: float  # gain applied to reach the loudness target (after the limiter's share)
    seconds: dict[str, float] = field(default_factory=dict)  # wall time of each stage
    credits: tuple[str, ...] = ()  # what the voices that spoke require to be credited
    plan: list[list[Segment]] = field(default_factory=list)  # each line's segments, as on the timeline
    fresh: frozenset[str] = frozenset()  # keys of the segments spoken in this run (not from the cache)
    master: str = ""  # the key of the mastering decision in the cache


def in_parallel(work: Callable[[T], R], items: Sequence[T]) -> list[R]:
    if len(items) == 1:
        return [work(items[0])]
    with ThreadPoolExecutor(max_workers=len(items), thread_name_prefix="master") as pool:
        return list(pool.map(work, items))


def render_episode(
    script: Script,
    cast: Engine | Cast,  # the cast, or one voice for every part
    cache: SegmentCache,
    out: Path,
    *,
    audio: AudioSettings | None = None,
    tags: Callable[[Path, Timeline], None] | None = None,
    progress: Progress | None = None,
    streams: int | None = None,
    title: str | None = None,
    on_stage: Callable[[RenderStage], None] | None = None,
) -> RenderResult:
    """Speak the script and write one tagged MP3 to ``out`` atomically (temporary file, then rename).

    ``streams`` forces the number of MP3 streams the episode is encoded in (default: one per core for
    episodes over two minutes). ``title`` names the episode in the alternate renditions' own tags.
    ``on_stage`` is told each stage as it begins: ``speak``, ``master``, ``write``.
    """
    from yomicast.audio import mp3
    from yomicast.audio.decode import chime, load_audio_file, pad_to_hop
    from yomicast.render.mastering import Jingle, ceiling_db, episode_gain, level_match, mastered
    from yomicast.speech.segments import plan_segments, speak_segments

    audio = audio or AudioSettings()
    out = Path(out)
    check_writable(out)
    clock = _Clock(on_stage)
    cast = cast if isinstance(cast, Cast) else Cast(cast)
    plan = plan_segments(script, cast.engine)
    flat = [seg for line in plan for seg in line]
    lengths, fresh = speak_segments(flat, cache, progress)
    # Voices differ in level: each is brought to the level of the one that speaks most, before mastering.
    line_gains = level_match(plan, lengths, cache)
    clock.mark("speak", then="master")
    jingle = None
    if any(ch.jingle for ch in script.chapters):
        jingle = Jingle.of(pad_to_hop(load_audio_file(audio.jingle) if audio.jingle else chime()))
    clips, timeline = layout(
        script,
        [[seg.key for seg in line] for line in plan],
        lengths,
        len(jingle.pcm) if jingle else 0,
        line_gains,
    )
    if streams is None:
        parts = mp3.split_streams(clips, mp3.workers())
    else:
        parts = mp3.split_streams(clips, streams, min_seconds=0)
    gain, master = episode_gain(clips, [p.clips for p in parts], cache, jingle, audio, in_parallel)
    ceiling = ceiling_db(audio)
    clock.mark("master", then="write")

    fd, tmp_name = tempfile.mkstemp(dir=out.parent, prefix=f".{out.stem}.", suffix=".part")
    os.close(fd)
    tmp = Path(tmp_name)
    files = [tmp] + [tmp.with_suffix(f".part{i}") for i in range(1, len(parts))]
    alt_files: list[tuple[Path, Path]] = []  # (temporary, final) of each alternate rendition
    try:
        # Alternates are one stream each (so the laid-out times hold as they are), encoded by ffmpeg in
        # processes of their own while the MP3 streams are encoded.
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="alternates") as side:
            pending = [
                side.submit(
                    _encode_alternate,
                    alt,
                    out,
                    timeline,
                    audio,
                    ceiling,
                    title or out.stem,
                    lambda c: mastered(clips, cache, jingle, gain, c),
                )
                for alt in audio.alternates
            ]
            try:
                decoded = _encode_under_ceiling(
                    parts, files, audio, ceiling, lambda part, c: mastered(part.clips, cache, jingle, gain, c)
                )
            finally:
                for job in pending:
                    if not job.cancel() and job.exception() is None:
                        alt_files.append(job.result())
            for job in pending:
                job.result()  # raises what the encoder raised
        mp3.join_files(tmp, files[1:])
        timeline = timeline.shifted(*mp3.join_shifts(parts, decoded))
        clock.mark("encode")
        if tags is not None:
            tags(tmp, timeline)
        clock.mark("tag")
        os.chmod(tmp, 0o644)
        for part, final in alt_files:
            os.replace(part, final)
        os.replace(tmp, out)
    except OSError as exc:
        _remove(files + [part for part, _final in alt_files])
        raise OutputError(f"cannot write {out}: {exc.strerror or exc}") from None
    except BaseException:
        _remove(files + [part for part, _final in alt_files])
        raise
    credits = cast.credits([ln.part for ln in script.lines])
    cached = len({seg.key for seg in flat}) - len(fresh)
    return RenderResult(
        out, timeline, len(fresh), cached, gain, clock.seconds, credits, plan, frozenset(fresh), master
    )


# How far under the true-peak target the decoded MP3 must stay: ffmpeg's meter and ours differ by a few
# hundredths of a dB, and its summary rounds to a tenth.
PEAK_MARGIN_DB = 0.1
ENCODE_ATTEMPTS = 4
OPUS_EXTRA_HEADROOM_DB = 0.5  # Opus at 32 kbps overshoots more than MP3 at 64


def _encode_under_ceiling(
    parts: Sequence[Stream],
    files: Sequence[Path],
    audio: AudioSettings,
    ceiling: float,
    master: Callable[[Stream, float], Iterator[np.ndarray]],
) -> list[int]:
    """Encode each stream on a core of its own, held under the true-peak target. Returns the samples each
    stream decodes to."""
    from yomicast.audio import mp3

    def stream(i: int) -> int:
        return _held_under_target(
            lambda c, dest: mp3.encode_stream(master(parts[i], c), audio, dest), files[i], audio, ceiling
        )

    return in_parallel(stream, range(len(parts)))


def _held_under_target(
    encode: Callable[[float, Path], R], dest: Path, audio: AudioSettings, ceiling: float
) -> R:
    """``encode(ceiling, path)`` into ``dest``, then decode it as a player would and measure its true peak.
    A lossy encoder's overshoot depends on the signal (its quantisation noise adds to the peaks), so a fixed
    headroom cannot promise the target: a try that comes out over it is limited lower by what it overshot
    and encoded again. The overshoot does not always fall with the ceiling (Opus), so the lowest try is kept.
    Returns what ``encode`` returned for the try kept."""
    from yomicast.audio.mp3 import decoded_true_peak

    target = audio.true_peak - PEAK_MARGIN_DB
    trial = dest.with_name(dest.name + ".trial")
    best = float("inf")
    kept: list[R] = []  # what encode returned for the try in dest (it may return None)
    try:
        for _attempt in range(ENCODE_ATTEMPTS):
            got = encode(ceiling, trial)
            peak = decoded_true_peak(trial, floor_db=target - 4.0)
            if peak < best:
                best, kept = peak, [got]
                os.replace(trial, dest)
            if peak <= target:
                break
            ceiling -= peak - target + PEAK_MARGIN_DB
    except BaseException:
        dest.unlink(missing_ok=True)
        raise
    finally:
        trial.unlink(missing_ok=True)
    return kept[0]


def _encode_alternate(
    alt: str,
    out: Path,
    timeline: Timeline,
    audio: AudioSettings,
    ceiling: float,
    title: str,
    master: Callable[[float], Iterator[np.ndarray]],
) -> tuple[Path, Path]:
    """Encode one alternate rendition next to ``out`` (a temporary name; the caller renames it), held under
    the true-peak target like the MP3's streams."""
    from yomicast.audio.alternates import encode_opus
    from yomicast.settings import ALTERNATES

    ext = ALTERNATES[alt][0]
    part = out.with_name(f".{out.stem}{ext}.part")
    _held_under_target(
        lambda c, dest: encode_opus(master(c), dest, audio.opus_bitrate, timeline, title),
        part,
        audio,
        ceiling - OPUS_EXTRA_HEADROOM_DB,
    )
    return part, out.with_suffix(ext)


class _Clock:
    """The wall time of each stage, and the stage that begins told to ``on_stage``."""

    def __init__(self, on_stage: Callable[[RenderStage], None] | None = None) -> None:
        self.seconds: dict[str, float] = {}
        self._last = time.perf_counter()
        self.on_stage = on_stage or (lambda _stage: None)
        self.on_stage("speak")

    def mark(self, stage: str, then: RenderStage | None = None) -> None:
        now = time.perf_counter()
        self.seconds[stage] = now - self._last
        self._last = now
        if then:
            self.on_stage(then)


def _remove(files: list[Path]) -> None:
    for f in files:
        f.unlink(missing_ok=True)


def check_writable(out: Path) -> None:
    parent = out.parent
    if out.is_dir():
        raise OutputError(f"{out} is a folder; give a file name ending in .mp3")
    if not parent.is_dir():
        raise OutputError(f"cannot write {out}: the folder {parent} does not exist")
    if not os.access(parent, os.W_OK):
        raise OutputError(f"cannot write {out}: the folder {parent} is not writable")
