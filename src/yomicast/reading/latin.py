"""Latin letters: English words to katakana, acronyms spelled as letter names."""

from __future__ import annotations

import functools
import re
from collections.abc import Callable

LETTER_NAMES = {
    "A": "エー",
    "B": "ビー",
    "C": "シー",
    "D": "ディー",
    "E": "イー",
    "F": "エフ",
    "G": "ジー",
    "H": "エイチ",
    "I": "アイ",
    "J": "ジェー",
    "K": "ケー",
    "L": "エル",
    "M": "エム",
    "N": "エヌ",
    "O": "オー",
    "P": "ピー",
    "Q": "キュー",
    "R": "アール",
    "S": "エス",
    "T": "ティー",
    "U": "ユー",
    "V": "ブイ",
    "W": "ダブリュー",
    "X": "エックス",
    "Y": "ワイ",
    "Z": "ゼット",
}
DIGIT_NAMES = {
    "0": "ゼロ",
    "1": "ワン",
    "2": "ツー",
    "3": "スリー",
    "4": "フォー",
    "5": "ファイブ",
    "6": "シックス",
    "7": "セブン",
    "8": "エイト",
    "9": "ナイン",
}

# Readings that win over the engine: words Open JTalk misreads (to → ツー, a → ａ) or spells.
FIXED_WORDS = {
    "U.S.": "ユーエス",
    "U.K.": "ユーケー",
    "E.U.": "イーユー",
    "to": "トゥー",
    "a": "ア",
    "as": "アズ",
    "Cooperation": "コーオペレーション",
    "ChatGPT": "チャットジーピーティー",
    "OpenAI": "オープンエーアイ",
}
# Readings for words the engine does not know, tried before the e2k model (which gets these wrong).
NEWS_WORDS = {
    "Gemini": "ジェミニ",
    "Google": "グーグル",
    "Department": "デパートメント",
    "of": "オブ",
    "the": "ザ",
    "and": "アンド",
    "on": "オン",
    "for": "フォー",
    "in": "イン",
    "by": "バイ",
    "with": "ウィズ",
    "from": "フロム",
    "at": "アット",
    "is": "イズ",
    "an": "アン",
    "or": "オア",
    "new": "ニュー",
    "vs": "バーサス",
    "Report": "レポート",
    "Russia": "ロシア",
    "Korea": "コリア",
    "North": "ノース",
    "South": "サウス",
    "Military": "ミリタリー",
    "Unlawful": "アンローフル",
    "State": "ステート",
    "News": "ニュース",
    "Minister": "ミニスター",
    "Ministry": "ミニストリー",
    "Japan": "ジャパン",
    "China": "チャイナ",
    "Ukraine": "ウクライナ",
    "White": "ホワイト",
    "House": "ハウス",
    "iPhone": "アイフォーン",
    "Apple": "アップル",
    "Microsoft": "マイクロソフト",
    "Amazon": "アマゾン",
    "Meta": "メタ",
    "Tesla": "テスラ",
    "Toyota": "トヨタ",
    "Sony": "ソニー",
    "Nintendo": "ニンテンドー",
}

_ACRONYM = re.compile(r"(?<![A-Za-z])(?:[A-Z]\.){2,}|(?<![A-Za-z])[A-Z]{2,6}\d{0,2}(?:s)?(?![a-z])")


def spell_acronym(word: str) -> str:
    """``MSMT`` → エムエスエムティー, ``CO2`` → シーオーツー, ``U.S.`` → ユーエス."""
    out = []
    for ch in word:
        if ch.upper() in LETTER_NAMES and (ch.isupper() or len(word) <= 2):
            out.append(LETTER_NAMES[ch.upper()])
        elif ch in DIGIT_NAMES:
            out.append(DIGIT_NAMES[ch])
        elif ch == "s":
            out.append("ズ")
    return "".join(out)


LONGEST_WORD = 45  # letters


@functools.lru_cache(maxsize=1)
def _c2k() -> Callable[[str], str]:
    from e2k import C2K

    return C2K()


@functools.lru_cache(maxsize=4096)
def english_to_katakana(word: str) -> str:
    """An English word's katakana reading: the dictionaries first, then e2k's offline model."""
    for form in (word, word.capitalize(), word.lower()):
        for table in (FIXED_WORDS, NEWS_WORDS):
            if form in table:
                return table[form]
    return _c2k()(word.lower())


def latin_to_katakana(text: str, known: Callable[[str], bool] | None = None) -> str:
    """English words become katakana, acronyms letter names; ``known`` words are left to the engine.

    A run of several English words gets ・ between them so the engine keeps word boundaries.
    """

    def word(m: re.Match) -> str:
        w = m.group(0)
        if w in FIXED_WORDS:
            return FIXED_WORDS[w]
        if _ACRONYM.fullmatch(w):
            return spell_acronym(w)
        if known is not None and known(w):
            return w  # the engine reads it well itself
        if len(w) == 1:
            return LETTER_NAMES.get(w.upper(), w)
        if len(w) > LONGEST_WORD:
            return w  # no English word is this long: nothing to guess at, left as written
        parts = re.split(r"[’']", w)
        return "".join(english_to_katakana(p) for p in parts if p)

    text = re.sub(r"(?<=[A-Za-z.])\s*-\s*(?=[A-Za-z])", " ", text)  # North Korea-Russia
    text = re.sub(r"(?:[A-Z]\.){2,}|[A-Za-z][A-Za-z'’]*\d{0,2}", word, text)
    # Spaces between the katakana of several English words become ・ so they are not run together.
    return re.sub(r"(?<=[ァ-ヴー])[ \t]+(?=[ァ-ヴー])", "・", text)
