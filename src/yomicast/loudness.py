"""ITU-R BS.1770-4 integrated loudness, measured as a stream, and a true-peak limiter.

pyloudnorm measures a whole array at once; an episode of two hours would not fit in memory as float64,
so this meter K-weights chunk by chunk (pyloudnorm's own biquads, applied as an FIR filter) and keeps only
one mean-square value per 100 ms hop. ``tests/test_loudness.py`` checks it against pyloudnorm.
"""

from __future__ import annotations

import numpy as np


def _biquad(b: np.ndarray, a: np.ndarray, z: np.ndarray) -> np.ndarray:
    return np.polyval(b[::-1], z) / np.polyval(a[::-1], z)


def k_weighting_response(rate: int, n_fft: int) -> np.ndarray:
    """Complex response of BS.1770's K-weighting (high shelf +4 dB at 1.5 kHz, high pass at 38 Hz) on the
    rfft grid, from the same RBJ-cookbook biquads pyloudnorm uses."""
    z_inv = np.exp(-2j * np.pi * np.fft.rfftfreq(n_fft))  # z^-1 on the unit circle
    gain_a = 10 ** (4.0 / 40.0)
    w0 = 2 * np.pi * 1500.0 / rate
    alpha = np.sin(w0) / (2 * (1 / np.sqrt(2)))
    cos, sq = np.cos(w0), 2 * np.sqrt(gain_a) * alpha
    shelf_b = np.array([gain_a * ((gain_a + 1) + (gain_a - 1) * cos + sq),
                        -2 * gain_a * ((gain_a - 1) + (gain_a + 1) * cos),
                        gain_a * ((gain_a + 1) + (gain_a - 1) * cos - sq)])
    shelf_a = np.array([(gain_a + 1) - (gain_a - 1) * cos + sq,
                        2 * ((gain_a - 1) - (gain_a + 1) * cos),
                        (gain_a + 1) - (gain_a - 1) * cos - sq])
    w0 = 2 * np.pi * 38.0 / rate
    alpha = np.sin(w0) / (2 * 0.5)
    cos = np.cos(w0)
    hp_b = np.array([(1 + cos) / 2, -(1 + cos), (1 + cos) / 2])
    hp_a = np.array([1 + alpha, -2 * cos, 1 - alpha])
    return _biquad(shelf_b, shelf_a, z_inv) * _biquad(hp_b, hp_a, z_inv)


_FIR_TAPS = 4096  # at 44.1 kHz what lies beyond holds -196 dB of the filter's energy
_BLOCK = 1 << 15  # FFT size of the overlap-add blocks: a few hundred kB of temporaries per call
_FIR_CACHE: dict[int, np.ndarray] = {}


def _k_weighting_block_response(rate: int) -> np.ndarray:
    """rfft (size _BLOCK) of the K-weighting impulse response truncated to _FIR_TAPS taps."""
    response = _FIR_CACHE.get(rate)
    if response is None:
        impulse = np.fft.irfft(k_weighting_response(rate, 1 << 17), 1 << 17)[:_FIR_TAPS]
        response = _FIR_CACHE[rate] = np.fft.rfft(impulse, _BLOCK)
    return response


class LoudnessMeter:
    """Feed mono float chunks in order; ``integrated()`` gives LUFS (gated, 400 ms blocks, 75% overlap).

    K-weighting is applied as an FIR filter (the IIR filter's impulse response, truncated where it has rung
    out) by FFT overlap-add in small blocks: numpy only, no scipy import on the hot path, and memory that
    does not grow with the chunk. yomicast's chunks are sentences separated by silence, so filtering each
    chunk on its own equals filtering the whole episode; ``tests/test_loudness.py`` checks it against
    pyloudnorm.
    """

    def __init__(self, rate: int) -> None:
        self.rate = rate
        self.hop = round(rate * 0.1)
        self._carry = np.zeros(0, dtype=np.float64)
        self._hops: list[np.ndarray] = []
        self._response = _k_weighting_block_response(rate)

    def _weighted_power(self, x: np.ndarray) -> np.ndarray:
        n = len(x)
        if not x.any():
            return np.zeros(n)
        step = _BLOCK - _FIR_TAPS + 1
        y = np.zeros(n + _FIR_TAPS, dtype=np.float64)
        for start in range(0, n, step):
            part = x[start : start + step]
            conv = np.fft.irfft(np.fft.rfft(part, _BLOCK) * self._response, _BLOCK)
            end = min(len(y), start + _BLOCK)
            y[start:end] += conv[: end - start]
        y = y[:n]
        return y * y

    def feed(self, chunk: np.ndarray) -> None:
        y = np.concatenate([self._carry, self._weighted_power(np.asarray(chunk, dtype=np.float64))])
        whole = (len(y) // self.hop) * self.hop
        if whole:
            self._hops.append(y[:whole].reshape(-1, self.hop).mean(axis=1))
        self._carry = y[whole:]

    def feed_hops(self, hops: np.ndarray) -> None:
        """Add mean-square values of whole 100 ms hops measured earlier (see ``hop_powers``)."""
        if self._carry.size:
            raise ValueError("feed_hops after a chunk that did not end on a hop boundary")
        self._hops.append(np.asarray(hops, dtype=np.float64))

    def hop_powers(self, chunk: np.ndarray) -> np.ndarray:
        """K-weighted mean square of each 100 ms hop of a chunk whose length is a whole number of hops."""
        if len(chunk) % self.hop:
            raise ValueError("chunk length must be a whole number of hops")
        y = self._weighted_power(np.asarray(chunk, dtype=np.float64))
        return y.reshape(-1, self.hop).mean(axis=1)

    def hop_array(self) -> np.ndarray:
        """The mean-square K-weighted power of every whole 100 ms hop fed so far."""
        return np.concatenate(self._hops) if self._hops else np.zeros(0)

    def integrated(self) -> float:
        return integrated_from_hops(self.hop_array())


_METERS: dict[int, LoudnessMeter] = {}


def hop_powers(chunk: np.ndarray, rate: int = 44100) -> np.ndarray:
    """K-weighted mean square of each 100 ms hop of ``chunk`` (a whole number of hops long)."""
    meter = _METERS.get(rate)
    if meter is None:
        meter = _METERS[rate] = LoudnessMeter(rate)
    return meter.hop_powers(chunk)


def integrated_from_hops(hops: np.ndarray) -> float:
    """BS.1770 gating over 400 ms blocks made of four 100 ms hops (75% overlap)."""
    if len(hops) < 4:
        return float("-inf")
    blocks = (hops[:-3] + hops[1:-2] + hops[2:-1] + hops[3:]) / 4.0
    with np.errstate(divide="ignore"):
        lk = -0.691 + 10.0 * np.log10(blocks)
    above_abs = blocks[lk >= -70.0]
    if above_abs.size == 0:
        return float("-inf")
    relative = -0.691 + 10.0 * np.log10(above_abs.mean()) - 10.0
    with np.errstate(divide="ignore"):
        gated = above_abs[(-0.691 + 10.0 * np.log10(above_abs)) >= relative]
    return float(-0.691 + 10.0 * np.log10(gated.mean()))


def _oversampling_phases(factor: int = 4, taps_per_phase: int = 12) -> np.ndarray:
    """Polyphase windowed-sinc interpolator (BS.1770-4 Annex 2 uses 4x with 12 taps a phase)."""
    n = factor * taps_per_phase
    t = (np.arange(n) - (n - 1) / 2) / factor
    h = np.sinc(t) * np.kaiser(n, 8.0)
    phases = h.reshape(taps_per_phase, factor).T  # phase p holds h[p::factor]
    return (phases / phases.sum(axis=1, keepdims=True)).astype(np.float32)


_PHASES = _oversampling_phases()


def true_peak_envelope(x: np.ndarray, floor: float = 0.0) -> np.ndarray:
    """|x| with inter-sample peaks: per sample, the largest of its 4x-oversampled values.

    Only samples above ``floor`` are interpolated (an inter-sample peak cannot rise more than a few dB
    above its neighbours), so a limiter that asks about its ceiling pays for the loud samples only.
    """
    env = np.abs(x).astype(np.float32)
    cand = np.flatnonzero(env > floor)
    if cand.size == 0:
        return env
    k = _PHASES.shape[1]
    padded = np.pad(np.asarray(x, dtype=np.float32), (k, k))
    idx = cand[:, None] + (k + k // 2) - np.arange(k)[None, :]
    values = np.abs(padded[idx] @ _PHASES.T).max(axis=1)
    env[cand] = np.maximum(env[cand], values)
    return env



def running_min(a: np.ndarray, width: int) -> np.ndarray:
    """Minimum over a centred window of ``width`` samples (van Herk/Gil-Werman, vectorised)."""
    n, half = len(a), width // 2
    tail = (-(n + 2 * half)) % width
    x = np.pad(a, (half, half + tail), constant_values=np.inf)
    blocks = x.reshape(-1, width)
    prefix = np.minimum.accumulate(blocks, axis=1).ravel()
    suffix = np.minimum.accumulate(blocks[:, ::-1], axis=1)[:, ::-1].ravel()
    return np.minimum(suffix[:n], prefix[width - 1 : width - 1 + n])


def running_mean(a: np.ndarray, width: int) -> np.ndarray:
    """Mean over a centred window, edges padded with their own values."""
    half = width // 2
    x = np.pad(a.astype(np.float64), (half + 1, width - half - 1), mode="edge")
    c = np.cumsum(x)
    return ((c[width:] - c[:-width]) / width)[: len(a)]


def limit(x: np.ndarray, ceiling_db: float, rate: int = 44100, lookahead: float = 0.004) -> np.ndarray:
    """A look-ahead brick-wall limiter on true peaks: no sample, nor what lies between, exceeds the ceiling.

    The gain curve is the minimum over ±lookahead of the gain each peak needs, smoothed by a moving average
    no wider than that, so every smoothed value is at most the gain its own sample needs (never clips) and
    the gain moves over milliseconds (no clicks).
    """
    ceiling = 10 ** (ceiling_db / 20)
    if x.size == 0 or float(np.max(np.abs(x))) * 1.5 < ceiling:
        return x  # inter-sample peaks of band-limited speech stay well within 3.5 dB of sample peaks
    env = true_peak_envelope(x, floor=ceiling / 2)
    if float(env.max()) <= ceiling:
        return x
    need = np.minimum(1.0, ceiling / np.maximum(env, 1e-12))
    w = max(1, int(rate * lookahead))
    gain = running_min(need, 2 * w + 1)
    gain = np.minimum(running_mean(gain, w), need)
    return (x * gain).astype(np.float32)
