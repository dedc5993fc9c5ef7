"""Settings values shared by the show file, the script and the renderer (no heavy imports here, so a build
with nothing to do starts fast)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from yomicast.errors import ConfigError
from yomicast.settings.tables import (
    ONE_OR_MANY,
    FieldError,
    check_ranges,
    describe,
    fits,
    setting,
    table_from,
)
from yomicast.settings.web import (
    CHECK_THRESHOLD,
    CheckSettings,
    FetchSettings,
    PublishSettings,
    Source,
    parse_target,
)
from yomicast.settings.words import (
    DICTIONARY_ENTRIES,
    Pronunciation,
    mora_count,
    to_katakana,
)

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
        if not -30 <= self.loudness <= -10:  # NaN fails every comparison, so it is refused here too
            raise ConfigError(f"audio loudness must be between -30 and -10 LUFS, not {self.loudness}")
        if not -9 <= self.true_peak <= 0:
            raise ConfigError(f"audio true_peak must be between -9 and 0 dBTP, not {self.true_peak}")
        if not 0 <= self.quality <= 9:
            raise ConfigError(
                f"audio quality must be a LAME quality from 0 (best) to 9 (fastest), not {self.quality}"
            )


@dataclass(frozen=True)
class Limits:
    article_mb: float = setting(
        4.0, "the largest article file read, in MB (about 1.3 M characters at 4)", between=(0.001, 1000)
    )
    max_removed_share: float = setting(
        0.5,
        "a build that would take more than this share of the feed's episodes out of it (a failed sync, a wrong folder) stops and changes nothing, unless `--allow-removals`",
        between=(0, 1),
    )
    episode_minutes: float = setting(
        240.0,
        "an episode whose speech would surely run longer (reckoned at 9 characters a second) is refused before anything is spoken",
        between=(1, 6000),
    )

    def __post_init__(self) -> None:
        check_ranges(self)


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


__all__ = [
    "ALTERNATES", "CHECK_THRESHOLD", "DICTIONARY_ENTRIES", "INTRO_TEMPLATE", "ONE_OR_MANY", "AudioSettings",
    "CastSettings", "CheckSettings", "FetchSettings", "FieldError", "Limits", "Pauses", "Progress",
    "Pronunciation", "PublishSettings", "Source", "describe", "fits", "mora_count", "parse_target",
    "setting", "table_from", "to_katakana",
]  # fmt: skip
