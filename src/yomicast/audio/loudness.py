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
    shelf_b = np.array(
        [
            gain_a * ((gain_a + 1) + (gain_a - 1) * cos + sq),
            -2 * gain_a * ((gain_a - 1) + (gain_a + 1) * cos),
            gain_a * ((gain_a + 1) + (gain_a - 1) * cos - sq),
        ]
    )
    shelf_a = np.array(
        [
            (gain_a + 1) - (gain_a - 1) * cos + sq,
            2 * ((gain_a - 1) - (gain_a + 1) * cos),
            (gain_a + 1) - (gain_a - 1) * cos - sq,
        ]
    )
    w0 = 2 * np.pi * 38.0 / rate
    alpha = np.sin(w0) / (2 * 0.5)
    cos = np.cos(w0)
    hp_b = np.array([(1 + cos) / 2, -(1 + cos), (1 + cos) / 2])
    hp_a = np.array([1 + alpha, -2 * cos, 1 - alpha])
    return _biquad(shelf_b, shelf_a, z_inv) * _biquad(hp_b, hp_a, z_inv)


_FIR_TAPS = 4096  # at 44.1 kHz what lies beyond holds -196 dB of the filter's energy
_BLOCK = 1 << 15  # FFT size of the overlap-add blocks: a few hundred kB of temporaries per call
_FIR_CACHE: dict[tuple[int, int], np.ndarray] = {}


def _k_weighting_block_response(rate: int, size: int = _BLOCK) -> np.ndarray:
    """rfft (of ``size``) of the K-weighting impulse response truncated to _FIR_TAPS taps."""
    response = _FIR_CACHE.get((rate, size))
    if response is None:
        impulse = np.fft.irfft(k_weighting_response(rate, 1 << 17), 1 << 17)[:_FIR_TAPS]
        response = _FIR_CACHE[rate, size] = np.fft.rfft(impulse, size)
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

    def _weighted_power(self, x: np.ndarray) -> np.ndarray:
        n = len(x)
        if not x.any():
            return np.zeros(n)
        size = min(_BLOCK, 1 << (n + _FIR_TAPS - 2).bit_length())  # a short chunk takes a smaller FFT
        response = _k_weighting_block_response(self.rate, size)
        step = size - _FIR_TAPS + 1
        y = np.zeros(n + _FIR_TAPS, dtype=np.float64)
        for start in range(0, n, step):
            part = x[start : start + step]
            conv = np.fft.irfft(np.fft.rfft(part, size) * response, size)
            end = min(len(y), start + size)
            y[start:end] += conv[: end - start]
        y = y[:n]
        return y * y

    def feed(self, chunk: np.ndarray) -> None:
        y = np.concatenate([self._carry, self._weighted_power(np.asarray(chunk, dtype=np.float64))])
        whole = (len(y) // self.hop) * self.hop
        if whole:
            self._hops.append(y[:whole].reshape(-1, self.hop).mean(axis=1))
        self._carry = y[whole:]

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


def rescore_hops(
    x: np.ndarray, hops: np.ndarray, changed: list[tuple[int, int]], rate: int = 44100
) -> np.ndarray:
    """``hops`` (the hop powers of a chunk) brought up to date after the samples in ``changed`` (start, end)
    ranges of ``x`` were altered: only the hops those samples reach through the K-weighting filter are
    measured again, each from just enough of ``x`` to fill the filter. The same numbers as measuring all of
    ``x``, for the cost of the altered milliseconds."""
    meter = _METERS.get(rate) or _METERS.setdefault(rate, LoudnessMeter(rate))
    hop = meter.hop
    out = np.array(hops, dtype=np.float64)
    spans: list[list[int]] = []
    for lo, hi in sorted(changed):
        first, last = lo // hop, min(len(out) - 1, (hi + _FIR_TAPS - 2) // hop)
        if spans and first <= spans[-1][1] + 1:
            spans[-1][1] = max(spans[-1][1], last)
        else:
            spans.append([first, last])
    for first, last in spans:
        start, end = first * hop, (last + 1) * hop
        feed = max(0, start - _FIR_TAPS + 1)
        power = meter._weighted_power(np.asarray(x[feed:end], dtype=np.float64))[start - feed :]
        out[first : last + 1] = power.reshape(-1, hop).mean(axis=1)
    return out


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
    x = np.asarray(x, dtype=np.float32)
    env = np.abs(x)
    cand = np.flatnonzero(env > floor)
    if cand.size == 0:
        return env
    k = _PHASES.shape[1]
    idx = cand[:, None] + (k // 2 - np.arange(k))[None, :]  # the k samples around each candidate
    inside = (idx >= 0) & (idx < x.size)
    window = np.where(inside, x[np.clip(idx, 0, x.size - 1)], np.float32(0))  # zeros beyond the ends
    # einsum's own loop, not BLAS: two renderer threads must not each start BLAS threads of their own
    values = np.abs(np.einsum("ij,kj->ik", window, _PHASES)).max(axis=1)
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


def limiter_gain(
    x: np.ndarray, ceiling_db: float, rate: int = 44100, lookahead: float = 0.004
) -> list[tuple[int, int, np.ndarray]]:
    """Where a look-ahead true-peak limiter must turn ``x`` down: (start, end, gain) for each region, none
    when nothing is over the ceiling.

    The gain curve is the minimum over ±lookahead of the gain each peak needs, smoothed by a moving average
    no wider than that, so every smoothed value is at most the gain its own sample needs (never clips) and
    the gain moves over milliseconds (no clicks). It differs from 1 only within a few milliseconds of a peak
    over the ceiling, so it is computed only there, region by region: the same curve as computing it over
    the whole chunk, at a fraction of the cost (speech touches the ceiling on a few per cent of its samples).
    """
    ceiling = 10 ** (ceiling_db / 20)
    if x.size == 0 or max(float(x.max()), -float(x.min())) * 1.5 < ceiling:
        return []  # inter-sample peaks of band-limited speech stay well within 3.5 dB of sample peaks
    env = true_peak_envelope(x, floor=ceiling / 2)
    over = np.flatnonzero(env > ceiling)
    if over.size == 0:
        return []
    w = max(1, int(rate * lookahead))
    reach = 2 * w + 2  # beyond this distance from every peak over the ceiling, the gain is exactly 1
    breaks = np.flatnonzero(np.diff(over) > 4 * reach)
    firsts, lasts = over[np.r_[0, breaks + 1]], over[np.r_[breaks, over.size - 1]]
    regions = []
    for first, last in zip(firsts.tolist(), lasts.tolist(), strict=True):
        lo, hi = max(0, first - 2 * reach), min(x.size, last + 2 * reach + 1)
        need = np.minimum(1.0, ceiling / np.maximum(env[lo:hi], 1e-12))
        gain = running_min(need, 2 * w + 1)
        regions.append((lo, hi, np.minimum(running_mean(gain, w), need)))
    return regions


def apply_gain(
    x: np.ndarray, regions: list[tuple[int, int, np.ndarray]], in_place: bool = False
) -> np.ndarray:
    """``x`` with each region's gain applied (``x`` itself when there is none, or ``in_place``)."""
    if not regions:
        return x
    out = x if in_place else x.astype(np.float32, copy=True)
    for lo, hi, gain in regions:
        out[lo:hi] = x[lo:hi] * gain
    return out


def limit(x: np.ndarray, ceiling_db: float, rate: int = 44100, lookahead: float = 0.004) -> np.ndarray:
    """A look-ahead brick-wall limiter on true peaks (see ``limiter_gain``): no sample, nor what lies
    between, exceeds the ceiling. Returns ``x`` itself when nothing is over the ceiling."""
    return apply_gain(x, limiter_gain(x, ceiling_db, rate, lookahead))
