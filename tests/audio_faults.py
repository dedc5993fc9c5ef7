"""Faults injected into a copy of a real episode, line by line, for the listening check's tests and its
calibration (scripts/bench_check.py): the MP3 is decoded, the span of one line changed, and encoded again."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np

RATE = 44_100
KINDS = ("silence", "another line", "noise", "first half only", "a word cut out")


def decode(path: Path) -> np.ndarray:
    """The episode's samples at 44.1 kHz mono, writable (tests/media.py decodes them)."""
    from tests.media import decode as decoded

    samples, _errors = decoded(path)
    return samples.copy()


def encode(samples: np.ndarray, path: Path) -> None:
    import lameenc

    enc = lameenc.Encoder()
    enc.set_bit_rate(64)
    enc.set_in_sample_rate(RATE)
    enc.set_channels(1)
    enc.set_quality(5)
    pcm = (np.clip(samples, -1, 1) * 32767).astype("<i2").tobytes()
    path.write_bytes(enc.encode(pcm) + enc.flush())


def inject(samples: np.ndarray, lines: list, n: int, kind: str, seed: int = 0) -> np.ndarray:
    """``samples`` with line ``n`` (of the manifest's [start, end, speech] lines) spoiled by ``kind``."""
    out = samples.copy()
    a, b = int(lines[n][0] * RATE), int(lines[n][1] * RATE)
    length = b - a
    if kind == "silence":
        out[a:b] = 0
    elif kind == "another line":
        m = (n + len(lines) // 2) % len(lines)
        other = samples[int(lines[m][0] * RATE) : int(lines[m][1] * RATE)]
        out[a:b] = np.resize(other, length) if other.size else 0
    elif kind == "noise":
        out[a:b] = np.random.default_rng(seed).normal(0, 0.1, length).astype(np.float32)
    elif kind == "first half only":
        out[a + length // 2 : b] = 0
    elif kind == "a word cut out":
        out[a + int(length * 0.4) : a + int(length * 0.6)] = 0
    else:
        raise ValueError(kind)
    return out


def spoiled_copy(show: Path, dest: Path, mp3: str, faults: list[tuple[int, str]]) -> Path:
    """A copy of the built show folder ``show`` whose ``mp3`` carries ``faults`` [(line, kind), …]."""
    import json

    from yomicast.show.manifest import MANIFEST

    shutil.copytree(show, dest)
    manifest = json.loads((dest / MANIFEST).read_text(encoding="utf-8"))
    lines = next(e["lines"] for e in manifest["episodes"].values() if f"{e['stem']}.mp3" == mp3)
    samples = decode(dest / mp3)
    for n, kind in faults:
        samples = inject(samples, lines, n, kind, seed=n)
    encode(samples, dest / mp3)
    return dest / mp3
