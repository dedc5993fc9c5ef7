"""A fake engine for tests and dry runs: deterministic tones whose length follows the text.

Like httpx's ``MockTransport``, it speaks the real contract, so the whole pipeline (decoding, resampling,
caching, mastering, encoding, tags) runs exactly as with a real voice, in a fraction of the time. It can be
told to fail: after a number of calls, on a given text, or with a given error.
"""

from __future__ import annotations

import hashlib
import io
import threading
from typing import Any

from yomicast.errors import ConfigError, EngineError
from yomicast.speech.engines.base import Audio, Engine

FORMATS = ("samples", "wav", "mp3")


class FakeEngine(Engine):
    name = "fake"
    description = "test tones whose length follows the text (for tests and dry runs; no voice)"

    def __init__(
        self,
        seconds_per_char: float = 0.08,
        rate: int = 24000,
        format: str = "samples",
        level: float = 0.3,
        concurrency: int = 2,
        max_chars: int | None = None,
        fail_after: int | None = None,
        fail_on: str | None = None,
        error: type[EngineError] = EngineError,
        credit: str | None = None,
    ) -> None:
        if format not in FORMATS:
            raise ConfigError(f"fake format must be one of {', '.join(FORMATS)}, not {format!r}")
        self.seconds_per_char = float(seconds_per_char)
        self.rate = int(rate)
        self.format = format
        self.level = float(level)
        self.concurrency = int(concurrency)
        self.max_chars = max_chars  # type: ignore[misc]
        self.fail_after = fail_after
        self.fail_on = fail_on
        self.error = error
        self.credit = credit
        self.calls = 0
        self.closed = False
        self.texts: list[str] = []
        self._lock = threading.Lock()

    def settings(self) -> dict[str, Any]:
        return {"seconds_per_char": self.seconds_per_char, "rate": self.rate, "level": self.level}

    def credits(self) -> tuple[str, ...]:
        return (self.credit,) if self.credit else ()

    def synthesize(self, text: str) -> Audio:
        with self._lock:
            self.calls += 1
            calls = self.calls
            self.texts.append(text)
        if (self.fail_after is not None and calls > self.fail_after) or (
            self.fail_on and self.fail_on in text
        ):
            raise self.error(f"fake: failed on purpose at call {calls} ({text[:20]!r})")
        samples = self.tone(text)
        if self.format == "samples":
            return Audio(samples=samples, rate=self.rate)
        if self.format == "wav":
            return Audio(encoded=_wav(samples, self.rate), format="wav")
        return Audio(encoded=_mp3(samples, self.rate), format="mp3")

    def close(self) -> None:
        self.closed = True

    def tone(self, text: str) -> Any:
        """A syllable-like tone train: its pitch is a hash of the text, its length ``seconds_per_char`` a
        character, each syllable ramped in and out like speech."""
        import numpy as np

        n = max(1, int(len(text) * self.seconds_per_char * self.rate))
        pitch = 110 + int(hashlib.sha256(text.encode()).hexdigest()[:4], 16) % 120
        t = np.arange(n) / self.rate
        voice = (
            np.sin(2 * np.pi * pitch * t)
            + 0.5 * np.sin(4 * np.pi * pitch * t)
            + 0.25 * np.sin(6 * np.pi * pitch * t)
        )
        syllables = 0.55 + 0.45 * np.sin(np.pi * t / 0.12) ** 2
        edge = np.minimum(1.0, np.minimum(t, t[-1] - t) / 0.02)
        return (self.level / 1.75 * voice * syllables * edge).astype(np.float32)


def _wav(samples: Any, rate: int) -> bytes:
    import wave

    import numpy as np

    buf = io.BytesIO()
    with wave.open(buf, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(np.clip(np.round(samples * 32767), -32768, 32767).astype("<i2").tobytes())
    return buf.getvalue()


def _mp3(samples: Any, rate: int) -> bytes:
    import lameenc
    import numpy as np

    enc = lameenc.Encoder()
    enc.set_bit_rate(48)
    enc.set_in_sample_rate(rate)
    enc.set_channels(1)
    enc.set_quality(7)
    pcm = np.clip(np.round(samples * 32767), -32768, 32767).astype("<i2")
    return bytes(enc.encode(pcm.tobytes()) + enc.flush())
