"""A lexicon behind the curated tables: Sudachi's core dictionary (installed with pyopenjtalk-plus), which
knows the katakana of many Latin-script names, brands, units and abbreviations that Open JTalk spells out
(Netflix ネットフリックス, DAZN ダゾーン, UEFA ウエファ, nm ナノメートル).

The order of trust, highest first: the show's own dictionary (``[pronunciations]``), yomicast's curated
tables (``names.NAMES``, ``latin.FIXED_WORDS``, ``latin.NEWS_WORDS``), this lexicon, the rules (spell the
letters, read the digits), then Open JTalk. The lexicon is asked only about tokens of letters (it reads
numbers digit by digit, 500 ゴレイレイ), and only a real entry counts: an unknown word, or an entry whose
reading is not katakana (Tesla "tesla"), is no answer. Where it is wrong (vs ブイエス, GK ジーケー for
ゴールキーパー), the curated tables say otherwise, and tests hold them to it.
"""

from __future__ import annotations

import functools
import re
import threading
from typing import Any

_KATAKANA = re.compile(r"[ァ-ヴー]+")
_LETTERS = re.compile(r"[A-Za-zμµ][A-Za-z&μµ.\-]*")
_lock = threading.Lock()


@functools.lru_cache(maxsize=1)
def _tokenizer() -> Any | None:
    try:
        from sudachipy import Dictionary
    except ImportError:  # pragma: no cover - installed with pyopenjtalk-plus
        return None
    try:
        dictionary = Dictionary(dict="core")
        return dictionary.tokenizer() if hasattr(dictionary, "tokenizer") else dictionary.create()
    except Exception:  # pragma: no cover - a broken dictionary install: the rules still read the text
        return None


@functools.lru_cache(maxsize=8192)
def lexicon_reading(token: str) -> str | None:
    """The lexicon's katakana for one whole token of letters, or None when it has no real entry for it."""
    if len(token) < 2 or not _LETTERS.fullmatch(token):
        return None
    tokenizer = _tokenizer()
    if tokenizer is None:
        return None
    from sudachipy import SplitMode

    with _lock:  # one tokenizer, not safe to share between threads
        morphemes = list(tokenizer.tokenize(token, SplitMode.C))
    if len(morphemes) != 1:
        return None
    (m,) = morphemes
    reading = m.reading_form()
    if m.is_oov() or m.surface() != token or m.part_of_speech()[0] != "名詞":
        return None
    return reading if _KATAKANA.fullmatch(reading) else None


def person_name_tail(kanji: str) -> str | None:
    """The person's name at the end of a run of kanji (日本代表羽生結弦 → 羽生結弦), by the lexicon's
    parts of speech, or None when the run does not end in one."""
    tokenizer = _tokenizer()
    if tokenizer is None:
        return None
    from sudachipy import SplitMode

    with _lock:
        morphemes = list(tokenizer.tokenize(kanji, SplitMode.C))
    tail = ""
    for m in reversed(morphemes):
        pos = m.part_of_speech()
        if pos[1] == "固有名詞" and pos[2] == "人名":
            tail = m.surface() + tail
        else:
            break
    return tail or None
