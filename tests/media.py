"""Measure real output the way a listener's player would meet it: decode the MP3 with ffmpeg."""

from __future__ import annotations

import subprocess
from pathlib import Path

import imageio_ffmpeg
import numpy as np


def decode(path: Path) -> tuple[np.ndarray, str]:
    """Samples (44.1 kHz mono float32) and ffmpeg's complaints ('' when it decodes cleanly)."""
    proc = subprocess.run(
        [imageio_ffmpeg.get_ffmpeg_exe(), "-v", "error", "-i", str(path), "-f", "f32le", "-ac", "1", "-ar", "44100", "-"],
        capture_output=True,
        check=False,
    )
    return np.frombuffer(proc.stdout, dtype=np.float32), proc.stderr.decode(errors="replace")


def integrated_loudness(x: np.ndarray) -> float:
    import pyloudnorm

    return float(pyloudnorm.Meter(44100).integrated_loudness(x.astype(np.float64)))


def true_peak_db(x: np.ndarray) -> float:
    from scipy.signal import resample_poly

    return float(20 * np.log10(np.abs(resample_poly(x.astype(np.float64), 4, 1)).max()))
