"""Speech text: what an engine is handed, rewritten so it reads like a Japanese newsreader.

Each rewrite is a small pure ``str -> str`` function; ``speech_text`` applies them in a fixed order
(``REWRITES``). The show's pronunciation dictionary runs first, so a user can always win. Latin words are
rewritten to katakana only for engines that cannot read English themselves (Open JTalk spells unknown
words letter by letter; gTTS reads English on its own), and words the engine already knows are left to it.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Callable

Rewrite = Callable[[str], str]

# ---------------------------------------------------------------------------------------------------------
# Width and symbols


def normalize_width(text: str) -> str:
    """Full-width digits and Latin letters to ASCII, half-width katakana to full width (NFKC), keeping
    Japanese punctuation full-width so the engines pause on it."""
    out = []
    for ch in text:
        if ch in "！？（）：～〜℃①②③④⑤⑥⑦⑧⑨⑩":
            out.append(ch)
        else:
            out.append(unicodedata.normalize("NFKC", ch))
    text = "".join(out)
    return text.translate(str.maketrans({"(": "（", ")": "）", "?": "？", "!": "！"}))


_URL = re.compile(r"(?:https?://|www\.)[^\s　、。「」『』（）()<>]+", re.IGNORECASE)
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")


def drop_urls(text: str) -> str:
    """URLs and e-mail addresses are never spelled out."""
    text = _EMAIL.sub("メールアドレス", text)
    text = _URL.sub("リンク", text)
    return re.sub(r"（\s*リンク\s*）|\(\s*リンク\s*\)", "", text)


def drop_emoji(text: str) -> str:
    """Emoji, pictographs and decorative marks carry no words."""
    keep = set("℃°%％&＆+＋-−=＝~〜～…・※")
    out = []
    for ch in text:
        cat = unicodedata.category(ch)
        if ch in keep:
            out.append(ch)
        elif cat in ("So", "Sk", "Co", "Cs") or ch in "\u200d\ufe0e\ufe0f\u20e3" or ch >= "\U0001f000" or ch in "■□◆◇●○▼▽▲△★☆♪♫◎※→←↑↓⇒":
            continue
        else:
            out.append(ch)
    return "".join(out)


def read_bullets(text: str) -> str:
    """A ``- `` list item is read as its own sentence; a ``label: body`` item pauses after the label."""
    lines = []
    for line in text.split("\n"):
        m = re.match(r"^\s*(?:[-*・]|\d+[.)．])\s+(.*)$", line)
        if m:
            item = m.group(1).strip()
            item = re.sub(r"^([^:：。]{1,40})[:：]\s*", r"\1。", item)
            if item and item[-1] not in "。！？!?":
                item += "。"
            line = item
        lines.append(line)
    return "\n".join(lines)


def colons_to_pauses(text: str) -> str:
    """``見出し:副題`` and ``なのか?:`` become pauses; a colon between digits is left for the time rule."""
    text = re.sub(r"([?？!！])\s*[:：]\s*", r"\1", text)
    return re.sub(r"(?<!\d)\s*[:：]\s*|\s*[:：]\s*(?!\d)", "。", text)


def symbols_to_words(text: str) -> str:
    """Brackets, arrows and similar marks become pauses or the words they stand for."""
    table = [
        (r"\s*[→⇒]\s*", "、"),
        (r"…+|‥+", "、"),
        (r"[【〔\[]", "「"),
        (r"[】〕\]]", "」"),
        (r"\s*[&＆]\s*", "アンド"),
        (r"※", ""),
        (r"[♪#＃*＊_|｜<>〈〉《》]", " "),
    ]
    for pattern, repl in table:
        text = re.sub(pattern, repl, text)
    return text


# ---------------------------------------------------------------------------------------------------------
# Dates, times and numbers


def _valid_date(month: str, day: str) -> bool:
    return 1 <= int(month) <= 12 and 1 <= int(day) <= 31


def read_dates(text: str) -> str:
    """``2025-07-17``, ``2025/7/17`` and ``7/17`` become 年・月・日; leading zeros are dropped."""

    def ymd(m: re.Match) -> str:
        y, mo, d = m.group(1), m.group(2), m.group(3)
        if not _valid_date(mo, d):
            return m.group(0)
        return f"{int(y)}年{int(mo)}月{int(d)}日"

    text = re.sub(r"(?<!\d)(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?!\d)", ymd, text)

    def md(m: re.Match) -> str:
        mo, d = m.group(1), m.group(2)
        return f"{int(mo)}月{int(d)}日" if _valid_date(mo, d) else m.group(0)

    text = re.sub(r"(?<![\d/.])(\d{1,2})/(\d{1,2})(?![\d/%])", md, text)
    return re.sub(r"(?<=\d)年0(\d)月|(?<=月)0(\d)日", lambda m: m.group(0).replace("0", "", 1), text)


def read_times(text: str) -> str:
    """``20:12`` becomes 20時12分, ``20:00`` 20時; a date just before it gets a comma, not a run-on."""

    def hm(m: re.Match) -> str:
        h, mi = int(m.group(1)), int(m.group(2))
        if h > 29 or mi > 59:
            return m.group(0)
        return f"{h}時" + (f"{mi}分" if mi else "")

    text = re.sub(r"(?<=日)\s+(?=\d{1,2}[:：]\d{2})", "、", text)
    return re.sub(r"(?<![\d:])(\d{1,2})[:：](\d{2})(?![\d:])", hm, text)


def read_ranges(text: str) -> str:
    """``10〜12月`` becomes 10月から12月; ``3〜5人`` 3から5人."""
    unit = r"(年|月|日|時|分|秒|人|円|ドル|件|回|%|パーセント|歳|度)"

    def rng(m: re.Match) -> str:
        a, b, u = m.group(1), m.group(2), m.group(3)
        if u in ("年", "月", "日", "時", "分", "秒"):
            return f"{a}{u}から{b}{u}"
        return f"{a}から{b}{u}"

    text = re.sub(r"(\d+(?:\.\d+)?)\s*[〜～~ー−-]\s*(\d+(?:\.\d+)?)\s*" + unit, rng, text)
    return re.sub(r"(?<=[\d年月日時])\s*[〜～]\s*", "から", text)


def drop_thousands_separators(text: str) -> str:
    """``3,200億円`` → 3200億円, so no engine pauses at the comma."""
    return re.sub(r"(?<=\d)[,，](?=\d{3}(?!\d))", "", text)


_UNITS = [
    ("km/h", "キロメートル毎時"), ("kWh", "キロワットアワー"), ("km²", "平方キロメートル"),
    ("m²", "平方メートル"), ("m³", "立方メートル"), ("°C", "度"), ("℃", "度"), ("°F", "華氏度"),
    ("km", "キロメートル"), ("cm", "センチメートル"), ("mm", "ミリメートル"), ("kg", "キログラム"),
    ("mg", "ミリグラム"), ("GB", "ギガバイト"), ("MB", "メガバイト"), ("TB", "テラバイト"),
    ("kW", "キロワット"), ("MW", "メガワット"), ("GW", "ギガワット"), ("Hz", "ヘルツ"), ("ha", "ヘクタール"),
    ("g", "グラム"), ("m", "メートル"), ("t", "トン"), ("L", "リットル"), ("W", "ワット"), ("%", "パーセント"),
]


def read_units(text: str) -> str:
    """Units written in Latin letters after a number are read as Japanese unit words."""
    for symbol, word in _UNITS:
        text = re.sub(rf"(?<=\d)\s*{re.escape(symbol)}(?![A-Za-z])", word, text)
    return text


def read_currency_and_signs(text: str) -> str:
    """``$100`` → 100ドル, ``¥500`` → 500円, ``€`` ユーロ, ``£`` ポンド; ``+3`` プラス3, ``−5`` マイナス5."""
    for sign, word in (("$", "ドル"), ("＄", "ドル"), ("¥", "円"), ("￥", "円"), ("€", "ユーロ"), ("£", "ポンド")):
        text = re.sub(rf"{re.escape(sign)}\s*(\d[\d.]*(?:万|億|兆)?)", rf"\1{word}", text)
    text = re.sub(r"(?<![0-9A-Za-z.])[+＋](?=\d)", "プラス", text)
    return re.sub(r"(?<![0-9A-Za-z.])[-−－](?=\d)", "マイナス", text)


# ---------------------------------------------------------------------------------------------------------
# Latin letters

LETTER_NAMES = {
    "A": "エー", "B": "ビー", "C": "シー", "D": "ディー", "E": "イー", "F": "エフ", "G": "ジー",
    "H": "エイチ", "I": "アイ", "J": "ジェー", "K": "ケー", "L": "エル", "M": "エム", "N": "エヌ",
    "O": "オー", "P": "ピー", "Q": "キュー", "R": "アール", "S": "エス", "T": "ティー", "U": "ユー",
    "V": "ブイ", "W": "ダブリュー", "X": "エックス", "Y": "ワイ", "Z": "ゼット",
}
DIGIT_NAMES = {"0": "ゼロ", "1": "ワン", "2": "ツー", "3": "スリー", "4": "フォー", "5": "ファイブ",
               "6": "シックス", "7": "セブン", "8": "エイト", "9": "ナイン"}

# Readings that win over the engine: words Open JTalk misreads (to → ツー, a → ａ) or spells.
FIXED_WORDS = {
    "U.S.": "ユーエス", "U.K.": "ユーケー", "E.U.": "イーユー", "to": "トゥー", "a": "ア", "as": "アズ",
    "Cooperation": "コーオペレーション", "ChatGPT": "チャットジーピーティー", "OpenAI": "オープンエーアイ",
}
# Readings for words the engine does not know, tried before the e2k model (which gets these wrong).
NEWS_WORDS = {
    "Gemini": "ジェミニ", "Google": "グーグル", "Department": "デパートメント", "of": "オブ",
    "the": "ザ", "and": "アンド", "on": "オン", "for": "フォー", "in": "イン",
    "by": "バイ", "with": "ウィズ", "from": "フロム", "at": "アット", "is": "イズ", "an": "アン", "or": "オア",
    "new": "ニュー", "vs": "バーサス", "Report": "レポート", "Russia": "ロシア", "Korea": "コリア",
    "North": "ノース", "South": "サウス", "Military": "ミリタリー", "Unlawful": "アンローフル",
    "State": "ステート", "News": "ニュース", "Minister": "ミニスター", "Ministry": "ミニストリー",
    "Japan": "ジャパン", "China": "チャイナ", "Ukraine": "ウクライナ", "White": "ホワイト", "House": "ハウス",
    "iPhone": "アイフォーン", "Apple": "アップル", "Microsoft": "マイクロソフト", "Amazon": "アマゾン",
    "Meta": "メタ", "Tesla": "テスラ", "Toyota": "トヨタ", "Sony": "ソニー", "Nintendo": "ニンテンドー",
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


@functools.lru_cache(maxsize=1)
def _c2k():
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
        parts = re.split(r"[’']", w)
        return "".join(english_to_katakana(p) for p in parts if p)

    text = re.sub(r"(?<=[A-Za-z.])\s*-\s*(?=[A-Za-z])", " ", text)  # North Korea-Russia
    text = re.sub(r"(?:[A-Z]\.){2,}|[A-Za-z][A-Za-z'’]*\d{0,2}", word, text)
    # Spaces between the katakana of several English words become ・ so they are not run together.
    return re.sub(r"(?<=[ァ-ヴー])[ \t]+(?=[ァ-ヴー])", "・", text)


# ---------------------------------------------------------------------------------------------------------
# Sentences


def tidy_spaces(text: str) -> str:
    text = re.sub(r"[ \t\u3000]+", " ", text)
    text = re.sub(r"(?<=[^\x00-\x7f]) (?=[^\x00-\x7f])", "", text)
    text = re.sub(r" ?([。、！？「」『』（）]) ?", r"\1", text)
    text = re.sub(r"。{2,}", "。", text)
    text = re.sub(r"、{2,}", "、", text)
    return re.sub(r"^[、。\s]+", "", text, flags=re.MULTILINE)


_SENTENCE = re.compile(r".+?(?:[。！？!?]+[」』）)]*|$)", re.DOTALL)


def split_sentences(speech: str) -> list[str]:
    """The sentences of a speech text, each ending in its own punctuation; line breaks end sentences."""
    out: list[str] = []
    for line in speech.split("\n"):
        for m in _SENTENCE.finditer(line.strip()):
            s = m.group(0).strip()
            if s and any(unicodedata.category(c)[0] in "LN" for c in s):
                out.append(s)
    return out


# ---------------------------------------------------------------------------------------------------------
# The pipeline

REWRITES: tuple[Rewrite, ...] = (
    normalize_width,
    drop_urls,
    drop_emoji,
    read_bullets,
    read_dates,
    read_times,
    colons_to_pauses,
    read_ranges,
    drop_thousands_separators,
    read_currency_and_signs,
    read_units,
    symbols_to_words,
)


def apply_dictionary(text: str, dictionary: dict[str, str] | None) -> str:
    """The show's own readings, longest surface first so 「東京都庁」 wins over 「東京」."""
    if not dictionary:
        return text
    for surface in sorted(dictionary, key=len, reverse=True):
        text = text.replace(surface, dictionary[surface])
    return text


def speech_text(
    text: str,
    dictionary: dict[str, str] | None = None,
    *,
    latin: bool = True,
    known: Callable[[str], bool] | None = None,
) -> str:
    """The text handed to a speech engine for ``text``.

    ``latin`` rewrites English to katakana (for engines that spell unknown words); ``known`` says which
    Latin words the engine reads well by itself.
    """
    text = apply_dictionary(text, dictionary)
    for rewrite in REWRITES:
        text = rewrite(text)
    if latin:
        text = latin_to_katakana(text, known)
    return tidy_spaces(text).strip()
