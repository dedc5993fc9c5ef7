"""The streaming BS.1770 meter and the true-peak limiter, checked against independent implementations."""

from __future__ import annotations

import numpy as np
import pyloudnorm
import pytest

from yomicast.audio.loudness import LoudnessMeter, integrated_from_hops, limit, running_mean, running_min

RATE = 44100


def bursts(seed: int) -> list[np.ndarray]:
    """Speech-like pieces: band-limited noise bursts of varied level and length, and silences."""
    rng = np.random.default_rng(seed)
    pieces = []
    for _ in range(12):
        n = int(rng.uniform(0.5, 6) * RATE)
        noise = np.convolve(rng.standard_normal(n), np.hanning(9) / 4, mode="same")
        pieces.append((noise * rng.uniform(0.05, 0.6)).astype(np.float32))
        pieces.append(np.zeros(int(rng.uniform(0.2, 1.5) * RATE), dtype=np.float32))
    return pieces


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_meter_matches_pyloudnorm(seed):
    pieces = bursts(seed)
    meter = LoudnessMeter(RATE)
    for p in pieces:
        meter.feed(p)
    reference = pyloudnorm.Meter(RATE).integrated_loudness(np.concatenate(pieces).astype(np.float64))
    assert meter.integrated() == pytest.approx(reference, abs=0.01)


def test_hop_powers_add_up_to_the_same_loudness():
    meter = LoudnessMeter(RATE)
    pieces = [np.concatenate([p, np.zeros((-len(p)) % meter.hop, dtype=np.float32)]) for p in bursts(4)]
    hops = np.concatenate([meter.hop_powers(p) for p in pieces])
    reference = pyloudnorm.Meter(RATE).integrated_loudness(np.concatenate(pieces).astype(np.float64))
    assert integrated_from_hops(hops) == pytest.approx(reference, abs=0.01)


def test_silence_has_no_loudness():
    meter = LoudnessMeter(RATE)
    meter.feed(np.zeros(RATE * 3, dtype=np.float32))
    assert meter.integrated() == float("-inf")


@pytest.mark.parametrize("ceiling", [-1.0, -3.0, -6.0])
def test_limiter_holds_the_true_peak_ceiling(ceiling):
    rng = np.random.default_rng(7)
    t = np.arange(RATE * 2) / RATE
    loud = (1.6 * np.sin(2 * np.pi * 997 * t + 0.3) * np.abs(np.sin(2 * np.pi * 1.3 * t))).astype(np.float32)
    # Segments are band-limited to 12 kHz before mastering (render.BANDWIDTH); so is this noise.
    noise = np.convolve(rng.standard_normal(len(t)), np.hanning(9) / np.hanning(9).sum(), mode="same")
    loud += (0.2 * noise).astype(np.float32)
    out = limit(loud, ceiling, RATE)
    from scipy.signal import resample_poly  # imported here: scipy takes a second to import

    true_peak = 20 * np.log10(np.abs(resample_poly(out.astype(np.float64), 8, 1)).max())
    assert true_peak <= ceiling + 0.1
    quiet = loud * 0.01
    assert limit(quiet, ceiling, RATE) is quiet  # nothing to do: untouched


def test_window_helpers_match_scipy():
    from scipy.ndimage import minimum_filter1d

    x = np.random.default_rng(3).random(5000)
    assert np.allclose(running_min(x, 41), minimum_filter1d(x, 41, mode="constant", cval=np.inf))
    inner = running_mean(x, 9)[10:-10]
    assert np.allclose(inner, np.convolve(x, np.ones(9) / 9, mode="same")[10:-10])


def test_frame_count_matches_mutagen(tmp_path):
    import lameenc
    from mutagen.mp3 import MP3

    from yomicast.audio.mp3 import mp3_frames

    enc = lameenc.Encoder()
    enc.set_bit_rate(64)
    enc.set_in_sample_rate(RATE)
    enc.set_channels(1)
    pcm = (np.sin(np.arange(RATE * 3) / 7) * 8000).astype("<i2")
    path = tmp_path / "t.mp3"
    path.write_bytes(enc.encode(pcm.tobytes()) + enc.flush())
    assert mp3_frames(path) * 1152 / RATE == pytest.approx(MP3(path).info.length, abs=0.05)
