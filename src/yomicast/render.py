"""Script + engine → segments (cached, in parallel) → timeline → loudness-normalised CBR MP3.

Every sentence is one or more engine segments, each brought to the episode format (44.1 kHz mono float)
once and kept in the segment cache with its loudness per 100 ms hop, so the episode's loudness (BS.1770) is
summed from stored numbers. The episode is then streamed from the cache one segment at a time, so memory
stays flat however long the article is: once to measure it again after the true-peak limiter (skipped when
the gain for this exact sequence of segments is cached), and once into the LAME encoder.
"""

from __future__ import annotations

import math
import os
import re
import tempfile
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_EXCEPTION, ThreadPoolExecutor, wait
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np

from yomicast.engines.base import Audio, Engine
from yomicast.engines.cache import SegmentCache, segment_key
from yomicast.errors import ConfigError, EngineError, OutputError
from yomicast.loudness import LoudnessMeter, integrated_from_hops, limit
from yomicast.script import Script
from yomicast.settings import AudioSettings, Progress

__all__ = ["AudioSettings", "Progress", "RenderResult", "Timeline", "render_episode"]

RATE = 44100
BANDWIDTH = 12000  # Hz kept of every segment
HOP = RATE // 10  # every piece of an episode is a whole number of 100 ms loudness hops
_METER = LoudnessMeter(RATE)


@dataclass
class TimedLine:
    chapter: int
    text: str
    speech: str
    start: float
    end: float


@dataclass
class TimedChapter:
    title: str
    start: float
    end: float


@dataclass
class Timeline:
    chapters: list[TimedChapter] = field(default_factory=list)
    lines: list[TimedLine] = field(default_factory=list)
    duration: float = 0.0

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> Timeline:
        return cls(
            chapters=[TimedChapter(**c) for c in data["chapters"]],
            lines=[TimedLine(**ln) for ln in data["lines"]],
            duration=data["duration"],
        )


@dataclass
class RenderResult:
    path: Path
    timeline: Timeline
    synthesized: int  # segments the engine spoke in this run
    cached: int  # segments taken from the cache
    gain_db: float  # gain applied to reach the loudness target (after the limiter's share)


# ---------------------------------------------------------------------------------------------------------
# Engine output → episode format


def to_episode_pcm(audio: Audio) -> np.ndarray:
    """Any engine result as 44.1 kHz mono float32, leading and trailing silence trimmed."""
    if audio.encoded is not None:
        samples, rate = decode_audio_bytes(audio.encoded, audio.format or "mp3")
    else:
        assert audio.samples is not None
        samples, rate = np.asarray(audio.samples, dtype=np.float32), audio.rate
    if samples.ndim > 1:
        samples = samples.mean(axis=1)
    return trim_silence(to_episode_rate(samples, rate))


def to_episode_rate(samples: np.ndarray, rate: int) -> np.ndarray:
    """Mono samples at any rate → 44.1 kHz float32 with nothing above 12 kHz.

    Sound above 12 kHz does not survive a 64 kbps MP3; removing it here, once, lets the limiter see what the
    encoder keeps, so the encoded file stays under the true-peak target.
    """
    if not samples.size:
        return samples.astype(np.float32)
    import soxr

    if rate > 2 * BANDWIDTH:
        samples = soxr.resample(samples, rate, 2 * BANDWIDTH, quality="HQ")
        rate = 2 * BANDWIDTH
    return soxr.resample(samples, rate, RATE, quality="HQ").astype(np.float32)


_CODECS = {"mp3": "mp3", "flac": "flac", "ogg": "libvorbis", "oga": "libvorbis", "opus": "libopus", "m4a": "aac", "aac": "aac"}


def decode_audio_bytes(data: bytes, fmt: str) -> tuple[np.ndarray, int]:
    """Decode MP3 (or any format ffmpeg reads) with pydub and the ffmpeg that imageio-ffmpeg ships."""
    import io

    AudioSegment = _pydub()
    try:
        # Naming the codec keeps pydub from asking ffprobe, which imageio-ffmpeg does not ship.
        codec = _CODECS.get(fmt)
        seg = AudioSegment.from_file(io.BytesIO(data), format=fmt, codec=codec)
    except Exception as exc:  # pydub raises CouldntDecodeError and bare exceptions
        raise EngineError(f"the engine returned audio that does not decode as {fmt}: {exc}") from None
    seg = seg.set_channels(1).set_sample_width(2)
    pcm = np.frombuffer(seg.raw_data, dtype=np.int16).astype(np.float32) / 32768.0
    return pcm, seg.frame_rate


def load_audio_file(path: Path) -> np.ndarray:
    """A user's audio file (jingle) in the episode format, band-limited like every engine segment."""
    if not path.is_file():
        raise ConfigError(f"jingle file not found: {path}")
    fmt = path.suffix.lstrip(".").lower() or "mp3"
    try:
        samples, rate = decode_audio_bytes(path.read_bytes(), fmt)
    except EngineError:
        raise ConfigError(f"{path}: the jingle does not decode as {fmt} audio; give a WAV or MP3 file") from None
    return to_episode_rate(samples, rate)


def _pydub():
    """pydub's AudioSegment, pointed at a system ffmpeg or the one imageio-ffmpeg ships in its wheel."""
    import shutil
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # "Couldn't find ffmpeg": we say where it is
        from pydub import AudioSegment
    if not getattr(_pydub, "ready", False):
        exe = shutil.which("ffmpeg")
        if exe is None:
            import imageio_ffmpeg

            exe = imageio_ffmpeg.get_ffmpeg_exe()
        AudioSegment.converter = exe
        AudioSegment.ffmpeg = exe
        _pydub.ready = True  # type: ignore[attr-defined]
    return AudioSegment


def trim_silence(x: np.ndarray, threshold_db: float = -48.0, margin: float = 0.03) -> np.ndarray:
    if x.size == 0:
        return x
    thr = 10 ** (threshold_db / 20)
    loud = np.flatnonzero(np.abs(x) > thr)
    if loud.size == 0:
        return x[:0]
    pad = int(margin * RATE)
    x = x[max(0, loud[0] - pad) : loud[-1] + pad + 1].copy()
    fade = min(len(x) // 2, int(0.01 * RATE))
    if fade:
        ramp = np.linspace(0.0, 1.0, fade, dtype=np.float32)
        x[:fade] *= ramp
        x[-fade:] *= ramp[::-1]
    return x


def pad_to_hop(x: np.ndarray) -> np.ndarray:
    """Trailing silence up to a whole number of 100 ms hops (so loudness can be summed per segment)."""
    extra = (-len(x)) % HOP
    return np.concatenate([x, np.zeros(extra, dtype=np.float32)]) if extra else x


def hop_samples(seconds: float) -> int:
    return round(seconds * 10) * HOP


def jingle() -> np.ndarray:
    """A short three-note chime (C5 E5 G5 with a little overtone), generated so every install has one."""
    out = np.zeros(int(1.6 * RATE), dtype=np.float32)
    for i, freq in enumerate((523.25, 659.25, 783.99)):
        start = int(i * 0.18 * RATE)
        t = np.arange(int(1.2 * RATE)) / RATE
        tone = np.sin(2 * np.pi * freq * t) + 0.3 * np.sin(4 * np.pi * freq * t) + 0.1 * np.sin(6 * np.pi * freq * t)
        env = np.exp(-t * 3.5) * np.minimum(1.0, t / 0.005)
        seg = (0.25 * tone * env).astype(np.float32)
        end = min(len(out), start + len(seg))
        out[start:end] += seg[: end - start]
    return out


# ---------------------------------------------------------------------------------------------------------
# Speech pieces and synthesis


_BREAKS = (r"(?<=[。！？!?])", r"(?<=[、，,」』）])|(?=[「『（])", r"(?<=[・ ])")
_PARTICLES = "はがをにでとのもへや"


def chunk_speech(speech: str, max_chars: int | None, level: int = 0) -> list[str]:
    """Split speech text into engine-sized pieces at natural Japanese breaks: sentence ends first, then
    commas and brackets, then word separators; never inside a number or a Latin word."""
    if not max_chars or len(speech) <= max_chars:
        return [speech]
    if level == len(_BREAKS):
        return _hard_split(speech, max_chars)
    pieces: list[str] = []
    buf = ""
    for part in (p for p in re.split(_BREAKS[level], speech) if p):
        if buf and len(buf) + len(part) > max_chars:
            pieces.append(buf)
            buf = ""
        buf += part
    if buf:
        pieces.append(buf)
    return [q for p in pieces for q in chunk_speech(p, max_chars, level + 1)]


def _hard_split(speech: str, max_chars: int) -> list[str]:
    """Last resort for text with no punctuation: cut after a particle, and never between two digits or
    two Latin letters."""
    out = []
    while len(speech) > max_chars:
        cut = next(
            (i for i in range(max_chars, max_chars // 2, -1) if speech[i - 1] in _PARTICLES and not speech[i].isdigit()),
            None,
        )
        if cut is None:
            cut = max_chars
            while cut > 1 and speech[cut - 1].isascii() and speech[cut].isascii() and speech[cut].isalnum():
                cut -= 1
        out.append(speech[:cut])
        speech = speech[cut:]
    if speech:
        out.append(speech)
    return out


@dataclass(frozen=True)
class Unit:
    key: str
    text: str


def plan_units(script: Script, engine: Engine) -> list[list[Unit]]:
    """For each line of the script, the engine segments that speak it."""
    settings = engine.settings()
    return [
        [Unit(segment_key(engine.name, settings, piece), piece) for piece in chunk_speech(ln.speech, engine.max_chars)]
        for ln in script.lines
    ]


def synthesize_units(
    units: list[Unit], engine: Engine, cache: SegmentCache, progress: Progress | None = None
) -> tuple[dict[str, int], int]:
    """Speak every unit not yet cached, in parallel; return sample counts by key and how many were spoken.

    A segment that arrives is cached at once, so a run that fails part-way is resumed by the next one.
    """
    lengths: dict[str, int] = {}
    todo: dict[str, str] = {}
    for u in units:
        if u.key in lengths or u.key in todo:
            continue
        n = cache.length(u.key)
        if n is None:
            todo[u.key] = u.text
        else:
            lengths[u.key] = n
    total = len(todo)
    if progress:
        progress(0, total)
    if not todo:
        return lengths, 0

    def one(key: str, text: str) -> tuple[str, int]:
        pcm = pad_to_hop(to_episode_pcm(engine.synthesize(text)))
        return key, cache.put(key, pcm, _METER.hop_powers(pcm))

    # Longest first keeps the workers evenly busy until the end.
    jobs = sorted(todo.items(), key=lambda kv: -len(kv[1]))
    done = 0
    with ThreadPoolExecutor(max_workers=max(1, engine.concurrency), thread_name_prefix="speak") as pool:
        pending = {pool.submit(one, k, t) for k, t in jobs}
        while pending:
            finished, pending = wait(pending, return_when=FIRST_EXCEPTION)
            for fut in finished:
                exc = fut.exception()
                if exc is not None:
                    for p in pending:
                        p.cancel()
                    raise exc
                key, n = fut.result()
                lengths[key] = n
                done += 1
                if progress:
                    progress(done, total)
    return lengths, total


# ---------------------------------------------------------------------------------------------------------
# Timeline and streaming


@dataclass(frozen=True)
class _Piece:
    """A run of the episode: a cached segment (key), the jingle, or else silence; ``samples`` long."""

    samples: int
    key: str | None = None
    jingle: bool = False

    @property
    def silence(self) -> bool:
        return self.key is None and not self.jingle


def layout(script: Script, units: list[list[Unit]], lengths: dict[str, int], jingle_len: int) -> tuple[
    list[_Piece], Timeline
]:
    pieces: list[_Piece] = []
    timeline = Timeline()
    pos = 0

    def add(piece: _Piece) -> None:
        nonlocal pos
        if piece.samples:
            pieces.append(piece)
            pos += piece.samples

    line_no = 0
    for c, chapter in enumerate(script.chapters):
        ch_start = pos
        if chapter.jingle and jingle_len:
            add(_Piece(jingle_len, jingle=True))
            add(_Piece(hop_samples(chapter.after_jingle)))
        for ln in chapter.lines:
            start = pos
            for unit in units[line_no]:
                add(_Piece(lengths[unit.key], key=unit.key))
            timeline.lines.append(TimedLine(c, ln.text, ln.speech, start / RATE, pos / RATE))
            add(_Piece(hop_samples(ln.pause_after)))
            line_no += 1
        timeline.chapters.append(TimedChapter(chapter.title, ch_start / RATE, pos / RATE))
    timeline.duration = pos / RATE
    if timeline.chapters:
        timeline.chapters[-1].end = timeline.duration
    return pieces, timeline


def _stream(pieces: list[_Piece], cache: SegmentCache, jingle_pcm: np.ndarray | None) -> Iterator[np.ndarray]:
    for p in pieces:
        if p.key is not None:
            pcm = cache.get(p.key)
            if pcm is None:
                raise EngineError("a cached segment vanished while rendering; run the command again")
            yield pcm
        elif p.jingle and jingle_pcm is not None:
            yield jingle_pcm
        else:
            yield np.zeros(p.samples, dtype=np.float32)



def _measure_cached(pieces: list[_Piece], cache: SegmentCache, jingle_hops: np.ndarray | None) -> float:
    """Loudness of the unprocessed episode from the hop powers stored with each segment."""
    hops: list[np.ndarray] = []
    for p in pieces:
        if p.key is not None:
            h = cache.hops(p.key)
            if h is None:
                raise EngineError("a cached segment vanished while rendering; run the command again")
            hops.append(h)
        elif p.jingle and jingle_hops is not None:
            hops.append(jingle_hops)
        else:
            hops.append(np.zeros(p.samples // HOP))
    return integrated_from_hops(np.concatenate(hops) if hops else np.zeros(0))


def _master_key(pieces: list[_Piece], jingle_id: str, audio: AudioSettings) -> str:
    import hashlib
    import json

    plan = [p.key or (f"j:{jingle_id}" if p.jingle else f"s:{p.samples}") for p in pieces]
    blob = json.dumps([MASTERING_VERSION, audio.loudness, audio.true_peak, plan])
    return hashlib.sha256(blob.encode()).hexdigest()


def _gained(chunks: Iterator[np.ndarray], gain_db: float, ceiling_db: float) -> Iterator[np.ndarray]:
    g = np.float32(10 ** (gain_db / 20))
    for chunk in chunks:
        yield limit(chunk * g, ceiling_db, RATE) if chunk.any() else chunk


# The MP3 encoder adds a little overshoot of its own; aim the limiter below the true-peak target.
ENCODER_HEADROOM_DB = 1.5
MASTERING_VERSION = 2  # bump when the gain or limiter logic changes


def render_episode(
    script: Script,
    engine: Engine,
    cache: SegmentCache,
    out: Path,
    *,
    audio: AudioSettings | None = None,
    tags: Callable[[Path, Timeline], None] | None = None,
    progress: Progress | None = None,
) -> RenderResult:
    """Speak the script and write one tagged MP3 to ``out`` atomically (temporary file, then rename)."""
    audio = audio or AudioSettings()
    out = Path(out)
    _check_writable(out)
    units = plan_units(script, engine)
    flat = [u for line_units in units for u in line_units]
    lengths, spoken = synthesize_units(flat, engine, cache, progress)
    has_jingle = any(ch.jingle for ch in script.chapters)
    jingle_pcm = jingle_hops = None
    jingle_id = ""
    if has_jingle:
        jingle_pcm = pad_to_hop(load_audio_file(audio.jingle) if audio.jingle else jingle())
        jingle_hops = _METER.hop_powers(jingle_pcm)
        jingle_id = _digest(jingle_pcm)
    pieces, timeline = layout(script, units, lengths, len(jingle_pcm) if jingle_pcm is not None else 0)

    ceiling = audio.true_peak - ENCODER_HEADROOM_DB
    groups = split_groups(pieces, workers())
    master_key = _master_key(pieces, jingle_id, audio)
    master = cache.master(master_key)
    if master is None:
        raw = _measure_cached(pieces, cache, jingle_hops)
        if not math.isfinite(raw):
            raise EngineError("the engine produced silence only; nothing to publish")
        gain = audio.loudness - raw
        # The limiter takes a little loudness off the peaks; measure again and make that up once.
        limited = integrated_from_hops(
            np.concatenate(
                _in_groups(
                    groups,
                    lambda grp: _limited_hops(grp, cache, jingle_pcm, gain, ceiling),
                )
            )
        )
        gain += audio.loudness - limited
        master = {"gain": gain, "loudness": limited}
        cache.put_master(master_key, gain, limited)
    gain = master["gain"]

    fd, tmp_name = tempfile.mkstemp(dir=out.parent, prefix=f".{out.stem}.", suffix=".part")
    os.close(fd)
    tmp = Path(tmp_name)
    parts = [tmp] + [tmp.with_suffix(f".part{i}") for i in range(1, len(groups))]
    try:
        jobs = list(zip(groups, parts, strict=True))
        decoded = _in_groups(jobs, lambda job: _encode(job[0], cache, jingle_pcm, gain, ceiling, audio, job[1]))
        if len(parts) > 1:
            import shutil

            with tmp.open("ab") as fh:
                for part in parts[1:]:
                    with part.open("rb") as src:
                        shutil.copyfileobj(src, fh, 1 << 20)
                    part.unlink()
        timeline = shift_timeline(timeline, [(g.start, g.samples) for g in groups], decoded)
        if tags is not None:
            tags(tmp, timeline)
        os.chmod(tmp, 0o644)
        os.replace(tmp, out)
    except OSError as exc:
        for part in parts:
            part.unlink(missing_ok=True)
        raise OutputError(f"cannot write {out}: {exc.strerror or exc}") from None
    except BaseException:
        for part in parts:
            part.unlink(missing_ok=True)
        raise
    return RenderResult(out, timeline, spoken, len({u.key for u in flat}) - spoken, gain)


# ---------------------------------------------------------------------------------------------------------
# Groups: the episode cut at pauses into one run of pieces per core, measured and encoded side by side


def workers() -> int:
    return max(1, min(4, os.cpu_count() or 1))


@dataclass(frozen=True)
class Group:
    pieces: list[_Piece]
    start: int  # first sample in the episode
    samples: int


def split_groups(pieces: list[_Piece], n: int) -> list[Group]:
    """Cut at silences into ``n`` runs of about equal length (one group for short episodes)."""
    total = sum(p.samples for p in pieces)
    if n <= 1 or total < 120 * RATE:
        return [Group(pieces, 0, total)]
    groups: list[Group] = []
    begin = pos = start = 0
    for i, p in enumerate(pieces):
        pos += p.samples
        target = total * (len(groups) + 1) / n
        if p.silence and pos >= target and len(groups) < n - 1 and i + 1 < len(pieces):
            groups.append(Group(pieces[begin : i + 1], start, pos - start))
            begin, start = i + 1, pos
    groups.append(Group(pieces[begin:], start, pos - start))
    return groups


def _in_groups(groups: list, work: Callable) -> list:
    if len(groups) == 1:
        return [work(groups[0])]
    with ThreadPoolExecutor(max_workers=len(groups), thread_name_prefix="master") as pool:
        return list(pool.map(work, groups))


def _limited_hops(group: Group, cache: SegmentCache, jingle_pcm, gain: float, ceiling: float) -> np.ndarray:
    meter = LoudnessMeter(RATE)
    for chunk in _gained(_stream(group.pieces, cache, jingle_pcm), gain, ceiling):
        meter.feed(chunk)
    return meter.hop_array()


def _encode(group: Group, cache: SegmentCache, jingle_pcm, gain: float, ceiling: float, audio: AudioSettings,
            dest: Path) -> int:
    """One group as a complete MP3 stream written to ``dest``; returns the samples it decodes to (its own
    encoder delay and padding included), counted from its frames."""
    import lameenc

    enc = lameenc.Encoder()
    enc.set_bit_rate(audio.bitrate)
    enc.set_in_sample_rate(RATE)
    enc.set_channels(1)
    enc.set_quality(audio.quality)
    with dest.open("wb") as fh:
        for chunk in _gained(_stream(group.pieces, cache, jingle_pcm), gain, ceiling):
            pcm16 = np.clip(np.round(chunk * 32767.0), -32768, 32767).astype("<i2")
            fh.write(enc.encode(pcm16.tobytes()))
        fh.write(enc.flush())
    return mp3_frames(dest) * 1152


def mp3_frames(path: Path) -> int:
    """Count the MPEG-1 Layer III frames of a file the encoder wrote (its headers are regular)."""
    bitrates = (0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320)
    rates = (44100, 48000, 32000)
    frames = pos = 0
    with path.open("rb") as fh:
        size = os.fstat(fh.fileno()).st_size
        while pos + 4 <= size:
            fh.seek(pos)
            head = fh.read(4)
            if head[0] != 0xFF or (head[1] & 0xE0) != 0xE0:
                raise OutputError("the MP3 encoder produced a damaged stream")
            pos += 144 * bitrates[head[2] >> 4] * 1000 // rates[(head[2] >> 2) & 3] + ((head[2] >> 1) & 1)
            frames += 1
    return frames


def shift_timeline(timeline: Timeline, spans: list[tuple[int, int]], decoded: list[int]) -> Timeline:
    """Move every time after a group boundary by the delay and padding the earlier streams added."""
    if len(spans) == 1:
        return timeline
    shifts, acc = [], 0
    for (_start, samples), got in zip(spans, decoded, strict=True):
        shifts.append(acc)
        acc += got - samples
    starts = [start for start, _n in spans]

    def move(t: float) -> float:
        pos = round(t * RATE)
        i = max(k for k, st in enumerate(starts) if st <= pos) if pos >= starts[0] else 0
        return (pos + shifts[i]) / RATE

    for ln in timeline.lines:
        ln.start, ln.end = move(ln.start), move(ln.end)
    for ch in timeline.chapters:
        ch.start, ch.end = move(ch.start), move(ch.end)
    timeline.duration = move(timeline.duration)
    if timeline.chapters:
        timeline.chapters[-1].end = timeline.duration
    return timeline


def _digest(samples: np.ndarray) -> str:
    import hashlib

    return hashlib.sha256(np.ascontiguousarray(samples).tobytes()).hexdigest()[:16]


def _check_writable(out: Path) -> None:
    parent = out.parent
    if out.is_dir():
        raise OutputError(f"{out} is a folder; give a file name ending in .mp3")
    if not parent.is_dir():
        raise OutputError(f"cannot write {out}: the folder {parent} does not exist")
    if not os.access(parent, os.W_OK):
        raise OutputError(f"cannot write {out}: the folder {parent} is not writable")
