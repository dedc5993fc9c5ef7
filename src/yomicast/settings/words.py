"""The pronunciation dictionary's entries and the kana arithmetic they need."""

from __future__ import annotations

import re
from dataclasses import dataclass

from yomicast.errors import ConfigError

_SMALL = set("ァィゥェォャュョヮぁぃぅぇぉゃゅょゎ")
_KANA_ONLY = re.compile(r"[ぁ-ゖァ-ヺー]+")
_JAPANESE_ONLY = re.compile(r"[ぁ-ゖァ-ヺー一-龯々〆ヶ]+")
DICTIONARY_ENTRIES = 20_000  # a longer [pronunciations] table or dictionary.csv is refused


def to_katakana(kana: str) -> str:
    return "".join(chr(ord(c) + 0x60) if "ぁ" <= c <= "ゖ" else c for c in kana)


def mora_count(kana: str) -> int:
    """The morae of a kana reading: every kana but the small ones that join the one before (ッ and ー
    count)."""
    return sum(1 for c in kana if c not in _SMALL)


@dataclass(frozen=True)
class Pronunciation:
    """One entry of the show's pronunciation dictionary: ``"鹿島" = { reading = "カシマ", accent = 1 }``.

    ``accent`` is the mora of the accent nucleus (0: flat); ``priority`` (0–10, as VOICEVOX has it) how
    strongly the entry wins over the engine's own words. An entry with an accent lives in the engine's own
    dictionary where the engine has one (Open JTalk, VOICEVOX, AivisSpeech), so that the accent applies;
    elsewhere, and for an entry without an accent, the reading replaces the word in the text."""

    surface: str
    reading: str
    accent: int | None = None
    priority: int = 5

    def __post_init__(self) -> None:
        if not isinstance(self.surface, str) or not 1 <= len(self.surface.strip()) <= 50:
            raise ConfigError(f"a word must be 1 to 50 characters, not {self.surface!r}")
        if re.search(r"[\x00-\x1f\x7f]", self.surface):
            raise ConfigError(f"a word must not hold control characters: {self.surface!r}")
        if not isinstance(self.reading, str) or not 1 <= len(self.reading) <= 100:
            raise ConfigError(f"{self.surface}: the reading must be 1 to 100 characters")
        if self.accent is not None:
            if not _KANA_ONLY.fullmatch(self.reading):
                raise ConfigError(
                    f"{self.surface}: a reading with an accent is written in kana, not {self.reading!r}"
                )
            if not 0 <= self.accent <= mora_count(self.reading):
                raise ConfigError(
                    f"{self.surface}: accent {self.accent} is not a mora of {self.reading} "
                    f"(0 for flat, 1 to {mora_count(self.reading)})"
                )
        if not 0 <= self.priority <= 10:
            raise ConfigError(f"{self.surface}: priority must be between 0 and 10, not {self.priority}")

    @property
    def kana(self) -> str:
        """The reading in katakana, as engines' dictionaries hold it."""
        return to_katakana(self.reading)

    @property
    def in_engine(self) -> bool:
        """Held in an engine's own dictionary (where it has one): an entry with an accent."""
        return self.accent is not None

    @property
    def engine_word(self) -> str:
        """The word the engine's dictionary holds: the surface when it is written in kanji and kana (no
        rule ever rewrites those), else the reading, which the text then carries in its place."""
        return self.surface if _JAPANESE_ONLY.fullmatch(self.surface) else self.kana
