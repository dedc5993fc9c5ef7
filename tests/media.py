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
    measured = measure(path)
    return measured.samples, measured.errors


@dataclass(frozen=True)
class Measured:
    samples: np.ndarray  # 44.1 kHz mono float32
    errors: str  # what ffmpeg complained of while decoding ('' when clean)
    loudness: float  # LUFS integrated, by ffmpeg's EBU R128 meter
    true_peak: float  # dBTP, by the same meter (oversampled)


def measure(path: Path) -> Measured:
    """Decode with ffmpeg and measure with its ebur128 filter in the same pass: a meter nobody on this project
    wrote, reading the file a player would."""
    proc = subprocess.run(
        [
            imageio_ffmpeg.get_ffmpeg_exe(),
            "-nostats",
            "-loglevel",
            "level+info",
            "-i",
            str(path),
            "-af",
            "ebur128=peak=true:framelog=quiet",
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
    log = proc.stderr.decode(errors="replace")
    errors = "\n".join(
        ln for ln in log.splitlines() if ln.startswith(("[error]", "[fatal]")) or "] [error]" in ln
    )
    summary = log[log.rfind("Summary:") :]
    lufs = re.search(r"I:\s+(-?[\d.]+|-inf) LUFS", summary)
    peak = re.search(r"Peak:\s+(-?[\d.]+|-inf) dBFS", summary)
    return Measured(
        np.frombuffer(proc.stdout, dtype=np.float32),
        errors,
        float(lufs.group(1)) if lufs else float("nan"),
        float(peak.group(1)) if peak else float("nan"),
    )
