"""Latin letters: English words to katakana, acronyms spelled as letter names."""

from __future__ import annotations

import functools
import re
from collections.abc import Callable

from yomicast.reading.lexicon import lexicon_reading
from yomicast.reading.names import NAMES, read_name, read_phrases

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
    "vs": "たい",  # 日本vs韓国: a match is 対, as broadcasters say it
    "VS": "たい",
    "a": "ア",
    "as": "アズ",
    "Cooperation": "コーオペレーション",
    "ChatGPT": "チャットジーピーティー",
    "OpenAI": "オープンエーアイ",
    "Airbnb": "エアビーアンドビー",
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


_TOKEN = re.compile(
    r"(?:[A-Z]\.){2,}"  # U.S.
    r"|(?<![\d.])\d+[A-Z]{1,3}(?![A-Za-z])"  # 5G, 4K, 4WD
    r"|[A-Za-z][A-Za-z0-9'’]*(?:[-.][A-Za-z0-9]+)*"  # words, names with digits and hyphens
)
_CAMEL = re.compile(r"[A-Z]{2,}(?![a-z])|[A-Z]?[a-z]+|[A-Z]")


def read_latin_token(w: str, known: Callable[[str], bool] | None = None) -> str:
    """One token of Latin letters (and digits) as the engine should say it; see ``names`` for the rules."""
    if w in FIXED_WORDS:
        return FIXED_WORDS[w]
    if w in NAMES:
        return NAMES[w]
    named = read_name(w, LETTER_NAMES)
    if named is not None:
        return named
    curated = next((NEWS_WORDS[f] for f in (w, w.capitalize()) if f in NEWS_WORDS), None)
    if curated is not None:
        return curated
    listed = lexicon_reading(w)  # behind the curated tables, ahead of the rules and the engine
    # A word in lower case that the lexicon only spells (Mei エムイーアイ) is a word, not letters.
    if listed is not None and (w.isupper() or listed != spell_acronym(w.upper())):
        return listed
    if "-" in w or "." in w:  # North Korea-Russia: each word on its own
        return " ".join(read_latin_token(part, known) for part in re.split(r"[-.]", w) if part)
    if _ACRONYM.fullmatch(w):
        return spell_acronym(w)  # all capitals and not listed: spelled, never guessed
    if known is not None and known(w):
        return w  # the engine reads it well itself
    if len(w) == 1:
        return LETTER_NAMES.get(w.upper(), w)
    if len(w) > LONGEST_WORD:
        return w  # no English word is this long: nothing to guess at, left as written
    if not re.search(r"[aeiouyAEIOUY]", w):
        return spell_acronym(w.upper())  # Gbps, rpm: no vowel, no word to guess; the letters are spelled
    if re.search(r"[a-z][A-Z]|^[a-z][A-Z]", w):  # iOS, eKYC, macOS: capitals spelled, words read
        return "".join(
            read_latin_token(run, known) if len(run) > 1 or run.isupper() else LETTER_NAMES[run.upper()]
            for run in _CAMEL.findall(w)
        )
    parts = re.split(r"[’']", w)
    return "".join(english_to_katakana(p) for p in parts if p)


def latin_to_katakana(text: str, known: Callable[[str], bool] | None = None) -> str:
    """English words become katakana, acronyms letter names (or listed words), names with digits are read by
    rule; ``known`` words are left to the engine.

    A run of several English words gets ・ between them so the engine keeps word boundaries.
    """
    text = read_phrases(text)
    text = _TOKEN.sub(lambda m: read_latin_token(m.group(0), known), text)
    # Spaces between the katakana of several English words become ・ so they are not run together.
    return re.sub(r"(?<=[ァ-ヴー])[ \t]+(?=[ァ-ヴー])", "・", text)


def latin_source(w: str, known: Callable[[str], bool] | None = None) -> str:
    """Which reader decides a Latin token, in the order of trust: the curated tables, the lexicon, the
    rules, the engine itself, or e2k's model for an ordinary English word."""
    if w in FIXED_WORDS or w in NAMES or any(f in NEWS_WORDS for f in (w, w.capitalize())):
        return "curated table"
    if any(c.isdigit() for c in w):
        return "rule (letters spelled, digits read)"
    listed = lexicon_reading(w)
    if listed is not None and (w.isupper() or listed != spell_acronym(w.upper())):
        return "lexicon (Sudachi)"
    if "-" in w or "." in w:
        return "rules, word by word"
    if _ACRONYM.fullmatch(w) or len(w) == 1 or not re.search(r"[aeiouyAEIOUY]", w):
        return "rule (letters spelled)"
    if known is not None and known(w):
        return "the engine itself"
    return "e2k (an English word)"


def latin_sources(text: str, known: Callable[[str], bool] | None = None) -> list[tuple[str, str, str]]:
    """(token, reading, who decided it) for every Latin token of ``text``."""
    text = read_phrases(text)
    return [
        (m.group(0), read_latin_token(m.group(0), known), latin_source(m.group(0), known))
        for m in _TOKEN.finditer(text)
    ]
