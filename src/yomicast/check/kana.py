"""What was meant and what was heard, both as kana, compared where only the sound matters.

Both sides go through the same reading (Open JTalk's, which the wheel carries), so 東京 and とうきょう meet
as トーキョー; then what differs only in spelling is made one: a long vowel however it is written
(トーキョー, トウキョウ), small kana and their full size, ヲ and オ, ヅ and ズ, ヂ and ジ, ヴァ and バ,
punctuation and spaces. The
error rate is the edit distance over the length of what was meant."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_SMALL = str.maketrans("ァィゥェォッャュョヮヵヶ", "アイウエオツヤユヨワカケ")
_SAME_SOUND = str.maketrans({"ヲ": "オ", "ヅ": "ズ", "ヂ": "ジ", "ヴ": "ブ"})
_VOWEL_OF = {}
for _row, _vowel in (
    ("アカサタナハマヤラワガザダバパァャ", "ア"),
    ("イキシチニヒミリギジヂビピィ", "イ"),
    ("ウクスツヌフムユルグズヅブプゥュヴ", "ウ"),
    ("エケセテネヘメレゲゼデベペェ", "エ"),
    ("オコソトノホモヨロゴゾドボポォョ", "オ"),
):
    for _k in _row:
        _VOWEL_OF[_k] = _vowel


@lru_cache(maxsize=4096)
def to_kana(text: str) -> str:
    """The reading of ``text`` in katakana (kanji, numbers and Latin letters read as Open JTalk reads
    them), normalised by ``normalise``."""
    import pyopenjtalk

    text = unicodedata.normalize("NFKC", text).strip()
    if not text:
        return ""
    return normalise(pyopenjtalk.g2p(text, kana=True))


def normalise(kana: str) -> str:
    """Katakana with only what a listener hears: no punctuation or spaces, no long-vowel marks or the
    vowel they lengthen (コーヒー, コウヒイ → コヒ… alike), small kana at full size, ヲ as オ and so on."""
    kana = unicodedata.normalize("NFKC", kana)
    kana = "".join(chr(ord(c) + 0x60) if "ぁ" <= c <= "ゖ" else c for c in kana)  # hiragana → katakana
    kana = re.sub(r"[^\u30a1-\u30fc]", "", kana)  # only katakana and ー
    kana = re.sub("ヴ([ァィェォ])", lambda m: "バビベボ"["ァィェォ".index(m.group(1))], kana)  # ヴァ → バ
    out: list[str] = []
    for c in kana.translate(_SAME_SOUND):
        if c == "ー":
            continue  # the mark: a long vowel is heard as its vowel, whichever way it is written
        if (
            out
            and c in "アイウエオ"
            and _VOWEL_OF.get(out[-1]) in (c, "オ" if c == "ウ" else None, "エ" if c == "イ" else None)
        ):
            continue  # トウ, トオ, ケイ, ケエ: the same long vowel as トー, ケー
        out.append(c)
    return "".join(out).translate(_SMALL)


def error_rate(meant: str, heard: str) -> float:
    """Kana edit distance between ``meant`` and ``heard`` (both already kana), over the length of
    ``meant``; 0 for two empty strings, 1 for something heard where nothing was meant."""
    from rapidfuzz.distance import Levenshtein

    if not meant:
        return 0.0 if not heard else 1.0
    return Levenshtein.distance(meant, heard) / len(meant)
