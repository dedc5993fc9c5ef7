"""Settings values shared by the show file, the script and the renderer (no heavy imports here, so a build
with nothing to do starts fast)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from yomicast.errors import ConfigError

Progress = Callable[[int, int], None]  # (done, total)
INTRO_TEMPLATE = "{show}。{title}。"


@dataclass(frozen=True)
class Pauses:
    sentence: float = 0.4
    heading: float = 1.2  # before a chapter
    after_heading: float = 0.6
    after_jingle: float = 0.4
    tail: float = 0.8  # silence after the last word of the episode


#: alternate rendition → (file extension, MIME type with codec, title)
ALTERNATES = {"opus": (".opus", "audio/ogg; codecs=opus", "Opus")}


@dataclass(frozen=True)
class AudioSettings:
    bitrate: int = 64  # kbps, CBR
    loudness: float = -16.0  # LUFS integrated
    true_peak: float = -1.0  # dBTP
    quality: int = 5  # LAME: 2 best … 7 fast
    jingle: Path | None = None  # None: the generated chime
    alternates: tuple[str, ...] = ()  # other renditions besides the MP3: "opus"
    opus_bitrate: int = 32  # kbps

    def __post_init__(self) -> None:
        for alt in self.alternates:
            if alt not in ALTERNATES:
                raise ConfigError(f"audio alternates can hold {', '.join(ALTERNATES)}, not {alt!r}")
        if not 12 <= self.opus_bitrate <= 256:
            raise ConfigError(f"audio opus_bitrate must be between 12 and 256 kbps, not {self.opus_bitrate}")
        if self.bitrate not in (32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320):
            raise ConfigError(f"audio bitrate must be an MP3 CBR rate such as 64 or 128, not {self.bitrate}")
        if not -30 <= self.loudness <= -10:
            raise ConfigError(f"audio loudness must be between -30 and -10 LUFS, not {self.loudness}")


@dataclass(frozen=True)
class Limits:
    article_mb: float = 4.0  # a larger article file is refused with a clear error (about 1.3 M characters)

    def __post_init__(self) -> None:
        if not 0 < self.article_mb <= 1000:
            raise ConfigError(f"limits article_mb must be between 0 and 1000, not {self.article_mb}")


@dataclass(frozen=True)
class CastSettings:
    """``[engine]``, ``[voices.NAME]`` and ``[cast]``: what the speech stage needs to make a show's voices."""

    engine: str = "openjtalk"
    engine_options: Mapping[str, Any] = field(default_factory=dict)
    voices: Mapping[str, Mapping[str, Any]] = field(
        default_factory=dict
    )  # voice name → engine name and settings
    cast: Mapping[str, str] = field(default_factory=dict)  # part → voice name
    where: str = ""  # "show.toml: ", to prefix errors
