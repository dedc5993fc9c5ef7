"""Other renditions of an episode beside the MP3 (``[audio] alternates``), encoded by the ffmpeg that
imageio-ffmpeg ships: Ogg Opus, with the episode's chapters as Vorbis comments (CHAPTERnnn), which
ffmpeg-based players and Opus-aware podcast apps list.

Opus at 24–32 kbps sounds better than MP3 at 64 kbps and is half the size; the feed offers it as a
``podcast:alternateEnclosure``.
"""

from __future__ import annotations

import subprocess
from collections.abc import Iterable
from pathlib import Path

import numpy as np

from yomicast.audio.timeline import RATE, Timeline
from yomicast.errors import OutputError

# libopus's complexity: its default, 10, takes 3.5x the time of 6 (5.7 s against 1.4 s for the sample's six
# minutes). Below 8 its unconstrained VBR overshoots the bit rate by a third, so the VBR is constrained.
# The "voip" application is Opus's speech mode (SILK and hybrid), and a cutoff at the 12 kHz every segment
# is band-limited to: in "audio" mode at 32 kbps the decoded peaks came out 2.2 dB over the limiter's
# ceiling, in this mode 0.9 dB. Frames of 60 ms (latency does not matter in a podcast) encode a fifth faster
# than 20 ms ones, and smaller.
OPUS_COMPLEXITY = 6


def chapter_comments(timeline: Timeline) -> list[str]:
    """The chapters as Vorbis comments (the CHAPTERnnn convention), as ffmpeg ``-metadata`` arguments.
    Written by hand: the ffmpeg in imageio-ffmpeg turns some chapter starts a second late when it converts
    chapters itself (21.700 s came out as 00:00:22.700)."""
    args = []
    for n, ch in enumerate(timeline.chapters):
        ms = round(ch.start * 1000)
        h, rest = divmod(ms, 3_600_000)
        m, rest = divmod(rest, 60_000)
        s, ms = divmod(rest, 1000)
        args += ["-metadata", f"CHAPTER{n:03d}={h:02d}:{m:02d}:{s:02d}.{ms:03d}"]
        args += ["-metadata", f"CHAPTER{n:03d}NAME={ch.title}"]
    return args


def encode_opus(
    chunks: Iterable[np.ndarray], dest: Path, bitrate: int, timeline: Timeline, title: str
) -> None:
    """Float samples (44.1 kHz mono) → an Ogg Opus file in ``dest`` with chapters and a title."""
    from yomicast.audio.decode import ffmpeg_exe

    cmd = [
        ffmpeg_exe(), "-nostdin", "-v", "error", "-y",
        "-f", "f32le", "-ar", str(RATE), "-ac", "1", "-i", "pipe:0",
        *chapter_comments(timeline), "-metadata", f"title={title}",
        "-c:a", "libopus", "-b:a", f"{bitrate}k", "-application", "voip", "-cutoff", "12000",
        "-vbr", "constrained", "-compression_level", str(OPUS_COMPLEXITY), "-frame_duration", "60", "-f", "ogg", str(dest),
    ]  # fmt: skip
    with subprocess.Popen(cmd, stdin=subprocess.PIPE, stderr=subprocess.PIPE) as proc:
        assert proc.stdin is not None
        try:
            for chunk in chunks:
                proc.stdin.write(np.ascontiguousarray(chunk, dtype="<f4").tobytes())
            proc.stdin.close()
        except BrokenPipeError:
            pass
        err = proc.stderr.read().decode(errors="replace") if proc.stderr else ""
    if proc.returncode:
        raise OutputError(f"cannot encode the Opus rendition: {err.strip() or proc.returncode}")
