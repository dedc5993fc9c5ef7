"""Audio in: engine results, jingles and user files brought to the episode format (44.1 kHz mono float32,
band-limited to 12 kHz, silence trimmed, a whole number of hops long).

Decoding goes through pydub with the ffmpeg that imageio-ffmpeg ships (or a system one), so no system
install is needed; resampling is soxr.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from yomicast.audio.timeline import HOP, RATE
from yomicast.errors import ConfigError, EngineError

if TYPE_CHECKING:
    from yomicast.audio.raw import Audio

BANDWIDTH = 12000  # Hz kept of every segment

#: Audio.format → the ffmpeg decoder to name (so pydub never asks ffprobe, which imageio-ffmpeg lacks)
CODECS = {
    "wav": None,
    "mp3": "mp3",
    "flac": "flac",
    "ogg": "libvorbis",
    "oga": "libvorbis",
    "opus": "libopus",
    "m4a": "aac",
    "aac": "aac",
}


def to_episode_pcm(audio: Audio) -> np.ndarray:
    """Any engine result as 44.1 kHz mono float32, leading and trailing silence trimmed."""
    if audio.encoded is not None:
        samples, rate = decode_audio_bytes(audio.encoded, audio.format or "mp3")
    else:
        if audio.samples is None or audio.rate <= 0:
            raise EngineError("the engine returned neither samples with a rate nor encoded audio")
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
    return np.asarray(soxr.resample(samples, rate, RATE, quality="HQ"), dtype=np.float32)


UNDECODABLE = "the engine returned audio that does not decode as "
#: What any voice or jingle may claim: a header outside these is refused before anything is allocated.
MIN_RATE, MAX_RATE = 8_000, 192_000
MAX_CHANNELS = 8
MAX_SECONDS = 600.0  # one segment or jingle; a sentence spoken for ten minutes is a lie


def check_header(rate: int, channels: int, frames: int) -> None:
    """Refuse, with one line, audio whose header asks for what no voice makes (a 1 Hz rate would be
    resampled into gigabytes)."""
    if not MIN_RATE <= rate <= MAX_RATE:
        raise EngineError(f"the audio claims a sample rate of {rate} Hz; a voice is {MIN_RATE}–{MAX_RATE} Hz")
    if not 1 <= channels <= MAX_CHANNELS:
        raise EngineError(f"the audio claims {channels} channels; at most {MAX_CHANNELS} are read")
    if frames / rate > MAX_SECONDS:
        raise EngineError(
            f"the audio claims {frames / rate:.0f} s; one segment is at most {MAX_SECONDS:.0f} s"
        )


def decode_audio_bytes(data: bytes, fmt: str) -> tuple[np.ndarray, int]:
    """Decode WAV, MP3 or any format ffmpeg reads into mono float32 samples and their rate."""
    if fmt == "wav":
        decoded = _decode_wav(data)
        if decoded is not None:
            return decoded
    segment_class = _pydub()
    try:
        seg = segment_class.from_file(io.BytesIO(data), format=fmt, codec=CODECS.get(fmt))
    except Exception as exc:  # pydub raises CouldntDecodeError (with ffmpeg's whole log) and bare ones
        first = next(iter(str(exc).strip().splitlines()), type(exc).__name__)
        raise EngineError(f"{UNDECODABLE}{fmt}: {first}") from None
    if seg.sample_width not in (1, 2, 3, 4) or seg.frame_width < 1:  # a header field overwritten
        raise EngineError(f"{UNDECODABLE}{fmt}: its header claims {8 * seg.sample_width}-bit samples")
    check_header(seg.frame_rate, seg.channels, int(seg.frame_count()))
    try:
        seg = seg.set_channels(1).set_sample_width(2)
    except Exception as exc:  # audioop.error on sizes the header made up
        raise EngineError(f"{UNDECODABLE}{fmt}: {exc}") from None
    pcm = np.frombuffer(seg.raw_data, dtype=np.int16).astype(np.float32) / 32768.0
    return pcm, seg.frame_rate


def _decode_wav(data: bytes) -> tuple[np.ndarray, int] | None:
    """16-bit PCM WAV (what VOICEVOX-family servers send) without starting ffmpeg; None for other WAVs."""
    import wave

    try:
        with wave.open(io.BytesIO(data)) as w:
            if w.getsampwidth() != 2:
                return None
            channels, rate = w.getnchannels(), w.getframerate()
            check_header(rate, channels, w.getnframes())
            frames = w.readframes(w.getnframes())
    except (wave.Error, EOFError):
        return None
    frames = frames[: len(frames) - len(frames) % (2 * channels)]  # a truncated last frame is dropped
    pcm = np.frombuffer(frames, dtype="<i2").astype(np.float32) / 32768.0
    if channels > 1:
        pcm = pcm.reshape(-1, channels).mean(axis=1)
    return pcm, rate


def load_audio_file(path: Path) -> np.ndarray:
    """A user's audio file (jingle) in the episode format, band-limited like every engine segment."""
    if not path.is_file():
        raise ConfigError(f"jingle file not found: {path}")
    fmt = path.suffix.lstrip(".").lower() or "mp3"
    try:
        samples, rate = decode_audio_bytes(path.read_bytes(), fmt)
    except EngineError as exc:
        if not str(exc).startswith(UNDECODABLE):  # it decodes, but its header claims what no sound has
            raise ConfigError(f"{path}: {exc}; give another jingle") from None
        raise ConfigError(
            f"{path}: the jingle does not decode as {fmt} audio; give a WAV or MP3 file"
        ) from None
    return to_episode_rate(samples, rate)


def ffmpeg_exe() -> str:
    """A system ffmpeg, or the one imageio-ffmpeg ships in its wheel."""
    import shutil

    exe = shutil.which("ffmpeg")
    if exe is None:
        import imageio_ffmpeg

        exe = imageio_ffmpeg.get_ffmpeg_exe()
    return exe


def _pydub() -> Any:
    """pydub's AudioSegment, pointed at ``ffmpeg_exe()``."""
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "Couldn't find ffmpeg" (we say where it is); audioop deprecation
        from pydub import AudioSegment
    if not _PYDUB_READY:
        exe = ffmpeg_exe()
        AudioSegment.converter = exe
        AudioSegment.ffmpeg = exe
        _PYDUB_READY.append(exe)
    return AudioSegment


_PYDUB_READY: list[str] = []


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


def chime() -> np.ndarray:
    """A short three-note chime (C5 E5 G5 with a little overtone), generated so every install has a jingle."""
    out = np.zeros(int(1.6 * RATE), dtype=np.float32)
    for i, freq in enumerate((523.25, 659.25, 783.99)):
        start = int(i * 0.18 * RATE)
        t = np.arange(int(1.2 * RATE)) / RATE
        tone = (
            np.sin(2 * np.pi * freq * t)
            + 0.3 * np.sin(4 * np.pi * freq * t)
            + 0.1 * np.sin(6 * np.pi * freq * t)
        )
        env = np.exp(-t * 3.5) * np.minimum(1.0, t / 0.005)
        note = (0.25 * tone * env).astype(np.float32)
        end = min(len(out), start + len(note))
        out[start:end] += note[: end - start]
    return out
