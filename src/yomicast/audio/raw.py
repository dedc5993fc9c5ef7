"""Raw audio, as an engine or a file gives it, before the audio stage brings it to the episode format."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np

#: ``Audio.format`` values the renderer decodes
DECODABLE = ("wav", "mp3", "ogg", "oga", "opus", "flac", "m4a", "aac")


@dataclass(frozen=True)
class Audio:
    """One engine result: ``samples`` at ``rate`` (full scale 1.0), or ``encoded`` bytes of ``format``."""

    samples: np.ndarray | None = None
    rate: int = 0
    encoded: bytes | None = None
    format: str | None = None
