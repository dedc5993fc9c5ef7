"""Mastering: one gain that brings the episode to its loudness target, and the limited stream it gives.

The episode's raw loudness is summed from the 100 ms hop powers stored with every segment (no audio is
read). The true-peak limiter then takes a little loudness off the peaks; the limited episode is measured
once more and that is made up. The resulting gain is cached for this exact sequence of clips, so a rebuild
of an unchanged episode does not measure again.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from yomicast.audio.loudness import apply_gain, hop_powers, integrated_from_hops, limiter_gain, rescore_hops
from yomicast.audio.timeline import HOP, RATE, Clip
from yomicast.errors import EngineError
from yomicast.settings import AudioSettings
from yomicast.speech.cache import SegmentCache

# The MP3 encoder adds overshoot of its own (up to ~1.7 dB on speech at 64 kbps). The limiter aims this far
# below the true-peak target so most streams need one pass; the renderer measures every decoded stream and
# encodes again, limited lower, any that still come out over the target (render._encode_under_ceiling).
ENCODER_HEADROOM_DB = 1.5
MASTERING_VERSION = 2  # bump when the gain or limiter logic changes


@dataclass(frozen=True)
class Jingle:
    """The jingle in the episode format, its hop powers, and an id for the mastering key."""

    pcm: np.ndarray
    hops: np.ndarray
    digest: str

    @classmethod
    def of(cls, pcm: np.ndarray) -> Jingle:
        return cls(pcm, hop_powers(pcm), hashlib.sha256(np.ascontiguousarray(pcm).tobytes()).hexdigest()[:16])


def _vanished() -> EngineError:
    return EngineError("a cached segment vanished while rendering; run the command again")


def ceiling_db(audio: AudioSettings) -> float:
    return audio.true_peak - ENCODER_HEADROOM_DB


def clip_audio(clips: Sequence[Clip], cache: SegmentCache, jingle: Jingle | None) -> Iterator[np.ndarray]:
    """The samples of each clip, in order, read from the cache one segment at a time."""
    for clip in clips:
        if clip.key is not None:
            pcm = cache.get(clip.key)
            if pcm is None:
                raise _vanished()
            yield pcm
        elif clip.jingle and jingle is not None:
            yield jingle.pcm
        else:
            yield np.zeros(clip.samples, dtype=np.float32)


def mastered(
    clips: Sequence[Clip], cache: SegmentCache, jingle: Jingle | None, gain_db: float, ceiling: float
) -> Iterator[np.ndarray]:
    """The clips with the gain applied and true peaks limited to ``ceiling`` dBTP."""
    for clip, pcm in zip(clips, clip_audio(clips, cache, jingle), strict=True):
        if pcm.any():
            pcm = pcm * np.float32(10 ** ((gain_db + clip.gain_db) / 20))  # a new array: limited in place
            pcm = apply_gain(pcm, limiter_gain(pcm, ceiling, RATE), in_place=True)
        yield pcm


def raw_loudness(clips: Sequence[Clip], cache: SegmentCache, jingle: Jingle | None) -> float:
    """Integrated loudness of the unprocessed episode, from the hop powers stored with each segment."""
    hops: list[np.ndarray] = []
    for clip in clips:
        if clip.key is not None:
            h = cache.hops(clip.key)
            if h is None:
                raise _vanished()
            hops.append(h * 10 ** (clip.gain_db / 10) if clip.gain_db else h)
        elif clip.jingle and jingle is not None:
            hops.append(jingle.hops)
        else:
            hops.append(np.zeros(clip.samples // HOP))
    return integrated_from_hops(np.concatenate(hops) if hops else np.zeros(0))


def limited_hops(
    clips: Sequence[Clip], cache: SegmentCache, jingle: Jingle | None, gain_db: float, ceiling: float
) -> np.ndarray:
    """Hop powers of the clips after gain and limiter. A clip the limiter leaves alone keeps its stored hop
    powers, scaled by the gain; only a clip whose peaks reach the ceiling is read, limited and measured."""
    limit_above = 10 ** (ceiling / 20) / 1.5  # the limiter's own test for "nothing to do"
    hops: list[np.ndarray] = []
    for clip in clips:
        g = np.float32(10 ** ((gain_db + clip.gain_db) / 20))
        if clip.key is not None:
            stored = cache.peak_and_hops(clip.key)
            if stored is None:
                raise _vanished()
            peak, powers = stored
            if peak * g < limit_above:
                hops.append(powers * float(g) ** 2)
                continue
            pcm = next(clip_audio([clip], cache, jingle))
        elif clip.jingle and jingle is not None:
            pcm, powers = jingle.pcm, jingle.hops
        else:
            hops.append(np.zeros(clip.samples // HOP))
            continue
        scaled = pcm * g
        regions = limiter_gain(scaled, ceiling, RATE)
        powers = powers * float(g) ** 2
        if regions:
            changed = [(lo, hi) for lo, hi, _gain in regions]
            powers = rescore_hops(apply_gain(scaled, regions), powers, changed, RATE)
        hops.append(powers)
    return np.concatenate(hops) if hops else np.zeros(0)


def master_key(clips: Sequence[Clip], jingle: Jingle | None, audio: AudioSettings) -> str:
    plan = [
        c.key or (f"j:{jingle.digest if jingle else ''}" if c.jingle else f"s:{c.samples}") for c in clips
    ]
    blob = json.dumps([MASTERING_VERSION, audio.loudness, audio.true_peak, plan])
    return hashlib.sha256(blob.encode()).hexdigest()


Parallel = Callable[[Callable[[Sequence[Clip]], np.ndarray], list[Sequence[Clip]]], list[np.ndarray]]


def episode_gain(
    clips: Sequence[Clip],
    runs: list[Sequence[Clip]],
    cache: SegmentCache,
    jingle: Jingle | None,
    audio: AudioSettings,
    parallel: Parallel,
) -> tuple[float, str]:
    """The gain (dB) that brings the limited episode to ``audio.loudness``, and the key it is kept under in
    the cache; ``runs`` are measured side by side with ``parallel``."""
    key = master_key(clips, jingle, audio)
    known = cache.master(key)
    if known is not None:
        return known["gain"], key
    raw = raw_loudness(clips, cache, jingle)
    if not math.isfinite(raw):
        raise EngineError("the engine produced silence only; nothing to publish")
    gain = audio.loudness - raw
    ceiling = ceiling_db(audio)
    # The limiter takes a little loudness off the peaks; measure again and make that up once.
    limited = integrated_from_hops(
        np.concatenate(parallel(lambda run: limited_hops(run, cache, jingle, gain, ceiling), runs))
    )
    gain += audio.loudness - limited
    cache.put_master(key, gain, limited)
    return gain, key


def level_match(plan: Sequence[Sequence[Any]], lengths: dict[str, int], cache: SegmentCache) -> list[float]:
    """Each line's gain (dB) that brings its voice to the loudness of the voice that speaks most, measured
    from the stored hop powers of each voice's segments. All zeros when one voice speaks the episode."""
    by_voice: dict[int, list[str]] = {}
    for line in plan:
        for seg in line:
            by_voice.setdefault(id(seg.engine), []).append(seg.key)
    if len(by_voice) < 2:
        return [0.0] * len(plan)
    loudness: dict[int, float] = {}
    spoken: dict[int, int] = {}
    for voice, keys in by_voice.items():
        hops = [cache.hops(k) for k in dict.fromkeys(keys)]
        if any(h is None for h in hops):
            raise _vanished()
        loudness[voice] = integrated_from_hops(np.concatenate([h for h in hops if h is not None]))
        spoken[voice] = sum(lengths[k] for k in keys)
    lead = max(spoken, key=lambda v: spoken[v])
    offsets = {
        v: (loudness[lead] - loud if math.isfinite(loud) and math.isfinite(loudness[lead]) else 0.0)
        for v, loud in loudness.items()
    }
    return [offsets[id(line[0].engine)] if line else 0.0 for line in plan]
