"""MP3 out: the episode cut at pauses into streams, each encoded on its own core (LAME through lameenc),
and the streams joined into one file.

Every MPEG stream starts with the encoder's delay and ends padded to a whole frame, so each join moves
what follows by a known number of samples; ``join_shifts`` counts them from the frames each stream holds, so
chapter and transcript times stay on the speech they name.
"""

from __future__ import annotations

import math
import os
import shutil
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from yomicast.audio.timeline import RATE, Clip
from yomicast.errors import OutputError
from yomicast.settings import AudioSettings

FRAME_SAMPLES = 1152  # MPEG-1 Layer III
MIN_SPLIT_SECONDS = 120.0  # shorter episodes are one stream: the joins cost more than they save
_BITRATES = (0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320)
_RATES = (44100, 48000, 32000)


@dataclass(frozen=True)
class Stream:
    clips: Sequence[Clip]
    start: int  # first sample in the episode
    samples: int


def workers() -> int:
    return max(1, min(4, os.cpu_count() or 1))


def split_streams(clips: Sequence[Clip], n: int, min_seconds: float = MIN_SPLIT_SECONDS) -> list[Stream]:
    """Cut at silences into ``n`` streams of about equal length (one stream for short episodes)."""
    total = sum(c.samples for c in clips)
    if n <= 1 or total < min_seconds * RATE:
        return [Stream(clips, 0, total)]
    streams: list[Stream] = []
    begin = pos = start = 0
    for i, clip in enumerate(clips):
        pos += clip.samples
        target = total * (len(streams) + 1) / n
        if clip.silence and pos >= target and len(streams) < n - 1 and i + 1 < len(clips):
            streams.append(Stream(clips[begin : i + 1], start, pos - start))
            begin, start = i + 1, pos
    streams.append(Stream(clips[begin:], start, pos - start))
    return streams


def encode_stream(chunks: Iterable[np.ndarray], audio: AudioSettings, dest: Path) -> int:
    """Float samples → one complete MP3 stream in ``dest``; returns the samples it decodes to (the encoder's
    delay and padding included), counted from its frames."""
    import lameenc

    enc = lameenc.Encoder()
    enc.set_bit_rate(audio.bitrate)
    enc.set_in_sample_rate(RATE)
    enc.set_channels(1)
    enc.set_quality(audio.quality)
    with dest.open("wb") as fh:
        for chunk in chunks:
            scaled = np.multiply(chunk, np.float32(32767.0), dtype=np.float32)
            np.rint(scaled, out=scaled)
            np.clip(scaled, -32768, 32767, out=scaled)
            fh.write(enc.encode(scaled.astype("<i2").tobytes()))
        fh.write(enc.flush())
    return mp3_frames(dest) * FRAME_SAMPLES


def decoded_true_peak(path: Path, floor_db: float) -> float:
    """True peak (dBTP) of an MP3 as a player decodes it (ffmpeg's float decoder, 4x oversampled), read in
    chunks so memory stays flat. Samples under ``floor_db`` are not oversampled: their inter-sample peaks
    cannot reach the ceiling the caller asks about. -inf for silence."""
    import subprocess

    from yomicast.audio.decode import ffmpeg_exe
    from yomicast.audio.loudness import true_peak_envelope

    cmd = [ffmpeg_exe(), "-nostdin", "-v", "error", "-i", str(path), "-f", "f32le", "-ac", "1", "-"]
    floor = 10 ** (floor_db / 20)
    peak, tail, rest = 0.0, np.zeros(0, dtype=np.float32), b""
    with subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE) as proc:
        assert proc.stdout is not None
        while chunk := proc.stdout.read(1 << 20):
            chunk, whole = rest + chunk, (len(rest) + len(chunk)) // 4 * 4
            chunk, rest = chunk[:whole], chunk[whole:]
            x = np.concatenate([tail, np.frombuffer(chunk, dtype="<f4")])
            if x.size:
                peak = max(peak, float(true_peak_envelope(x, floor).max()))
            tail = x[-_PEAK_OVERLAP:]  # the interpolator's window reaches across the chunk boundary
        err = proc.stderr.read().decode(errors="replace") if proc.stderr else ""
    if proc.returncode:
        raise OutputError(f"the encoded episode does not decode: {err.strip() or proc.returncode}")
    return 20 * math.log10(peak) if peak > 0 else float("-inf")


_PEAK_OVERLAP = 16


def mp3_frames(path: Path) -> int:
    """Count the MPEG-1 Layer III frames of a file the encoder wrote (its headers are regular)."""
    frames = pos = 0
    with path.open("rb") as fh:
        size = os.fstat(fh.fileno()).st_size
        while pos + 4 <= size:
            fh.seek(pos)
            head = fh.read(4)
            if head[0] != 0xFF or (head[1] & 0xE0) != 0xE0:
                raise OutputError("the MP3 encoder produced a damaged stream")
            pos += 144 * _BITRATES[head[2] >> 4] * 1000 // _RATES[(head[2] >> 2) & 3] + ((head[2] >> 1) & 1)
            frames += 1
    return frames


def join_files(dest: Path, parts: Sequence[Path]) -> None:
    """Append ``parts`` to ``dest`` (MPEG frames concatenate), removing each part once copied."""
    with dest.open("ab") as fh:
        for part in parts:
            with part.open("rb") as src:
                shutil.copyfileobj(src, fh, 1 << 20)
            part.unlink()


def join_shifts(streams: Sequence[Stream], decoded: Sequence[int]) -> tuple[list[int], list[int]]:
    """(first sample, shift) of each stream: how much later its audio plays than laid out, once the streams
    before it have added their delay and padding."""
    shifts, acc = [], 0
    for stream, got in zip(streams, decoded, strict=True):
        shifts.append(acc)
        acc += got - stream.samples
    return [s.start for s in streams], shifts
