"""Measure real output the way a listener's player would meet it: decode the MP3 with ffmpeg."""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

import imageio_ffmpeg
import numpy as np


def decode(path: Path) -> tuple[np.ndarray, str]:
    """Samples (44.1 kHz mono float32) and ffmpeg's complaints ('' when it decodes cleanly)."""
    samples, log = _ffmpeg(path, meter=False)
    return samples, _errors(log)


@dataclass(frozen=True)
class Measured:
    samples: np.ndarray  # 44.1 kHz mono float32
    errors: str  # what ffmpeg complained of while decoding ('' when clean)
    loudness: float  # LUFS integrated, by ffmpeg's EBU R128 meter
    true_peak: float  # dBTP, by the same meter (oversampled)


def measure(path: Path) -> Measured:
    """Decode with ffmpeg and measure with its ebur128 filter in the same pass: a meter nobody on this project
    wrote, reading the file a player would."""
    samples, log = _ffmpeg(path, meter=True)
    summary = log[log.rfind("Summary:") :]
    lufs = re.search(r"I:\s+(-?[\d.]+|-inf) LUFS", summary)
    peak = re.search(r"Peak:\s+(-?[\d.]+|-inf) dBFS", summary)
    return Measured(
        samples,
        _errors(log),
        float(lufs.group(1)) if lufs else float("nan"),
        float(peak.group(1)) if peak else float("nan"),
    )


def _ffmpeg(path: Path, meter: bool) -> tuple[np.ndarray, str]:
    """The decoded samples and ffmpeg's log (each line marked with its level); the 4x-oversampling meter
    only when asked for, since it costs more than the decoding."""
    metered = ["-af", "ebur128=peak=true:framelog=quiet"] if meter else []
    proc = subprocess.run(
        [
            imageio_ffmpeg.get_ffmpeg_exe(),
            "-nostats",
            "-loglevel",
            "level+info",
            "-i",
            str(path),
            *metered,
            "-f",
            "f32le",
            "-ac",
            "1",
            "-ar",
            "44100",
            "-",
        ],
        capture_output=True,
        check=False,
    )
    return np.frombuffer(proc.stdout, dtype=np.float32), proc.stderr.decode(errors="replace")


def _errors(log: str) -> str:
    return "\n".join(
        ln for ln in log.splitlines() if ln.startswith(("[error]", "[fatal]")) or "] [error]" in ln
    )
