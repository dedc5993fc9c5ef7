"""The speech-engine interface.

An engine turns one piece of speech text into audio, in whatever form it has: PCM samples (Open JTalk)
or encoded bytes (gTTS sends MP3). ``settings()`` returns everything that changes the sound; with the
engine's name and the exact text it forms the segment cache key. ``max_chars`` says how long one piece may
be (gTTS: 100 characters per request), and ``reads_latin`` whether the engine reads English words by
itself or needs them rewritten to katakana first.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

if TYPE_CHECKING:
    import numpy as np


@dataclass(frozen=True)
class Audio:
    """One engine result: ``samples`` at ``rate`` (full scale 1.0), or ``encoded`` bytes of ``format``."""

    samples: np.ndarray | None = None
    rate: int = 0
    encoded: bytes | None = None
    format: str | None = None


class Engine(ABC):
    name: ClassVar[str]
    description: ClassVar[str] = ""
    #: longest text one ``synthesize`` call accepts (None: no limit)
    max_chars: ClassVar[int | None] = None
    #: True when the engine reads English words itself (no katakana rewrite wanted)
    reads_latin: ClassVar[bool] = False
    #: how many ``synthesize`` calls may run at once
    concurrency: int = 1

    @abstractmethod
    def settings(self) -> dict[str, Any]:
        """Everything that changes the sound; part of the cache key."""

    @abstractmethod
    def synthesize(self, text: str) -> Audio:
        """Speak one piece of speech text (at most ``max_chars`` long)."""

    def check(self) -> str | None:
        """None when the engine is usable here, else the reason it is not."""
        return None

    def knows_word(self, word: str) -> bool:
        """True when the engine reads this Latin word well by itself."""
        return self.reads_latin

    def close(self) -> None:
        """Release what the engine holds (sessions, threads)."""
