"""Readings that depend on the words around them: the first of the month, scores, batting averages, ranges
written with arrows, country initials joined by ・, weekday and holiday marks, and a reading a newspaper
prints in brackets after a hard name. Each is a small pure ``str -> str`` function with a table test.
"""

from __future__ import annotations

import re

from yomicast.reading.lexicon import person_name_tail

# 1日 is ついたち when it is the first of a month: a start, an event of that day, a moment of the day.
# 1日あたり, 1日に1回 and 1日中 stay イチニチ; 1日付 Open JTalk reads right by itself.
_FIRST_OF_MONTH = re.compile(
    r"(?<![\d０-９.,])1日(?=から|以降|まで|時点|現在|午前|午後|未明|早朝|朝|夜|夕方|正午|深夜|"
    r"に(?:施行|発表|公表|開幕|開始|始ま|開催|発足|発売|開業|就任|決定|公開|会見|閣議|召集)|"
    r"の(?:午前|午後|朝|夜|夕方|未明|会見|発表|閣議|記者会見|時点|段階|取引|市場|東京))"
)


def read_first_of_month(text: str) -> str:
    """``1日から`` is ツイタチカラ (the first of the month); ``1日あたり`` stays イチニチアタリ."""
    return _FIRST_OF_MONTH.sub("ついたち", text)


# A score: two small numbers joined by a hyphen where a game's result is told.
_SCORE = re.compile(
    r"(?<![\d０-９.\-])(\d{1,3})\s*[-－−–]\s*(\d{1,3})(?![\d.%])"
    r"(?=\s*(?:で(?:勝|敗|下|破|引き分|競り|制|逆転|完封|快勝|大勝|惜敗|零封|リード|折り返)|"
    r"の(?:勝利|引き分け|完封|逆転|快勝|大勝|惜敗|接戦|同点|圧勝|辛勝)|"
    r"と(?:リード|逆転|勝ち越|突き放|同点|追い上|引き離|なり)|から(?:逆転|追い上|勝ち越)|"
    r"で(?:試合|前半|後半)))"
)
_SCORE_AFTER = re.compile(r"(?<=スコア)\s*(\d{1,3})\s*[-－−–]\s*(\d{1,3})(?![\d.%])")


def read_scores(text: str) -> str:
    """``2-0で勝利`` is ニタイゼロ: a score is said with たい, never a minus, a range or a date. (対 is
    written as たい: Open JTalk reads 2対0 as ニツイゼロ.)"""
    text = _SCORE.sub(lambda m: f"{m.group(1)}たい{m.group(2)}", text)
    text = _SCORE_AFTER.sub(lambda m: f"{m.group(1)}たい{m.group(2)}", text)
    return re.sub(r"(?<=\d)\s*対\s*(?=\d)", "たい", text)


_AVERAGE = re.compile(r"(打率|出塁率|長打率|勝率)\s*(?:0)?[.．](\d)(\d)(\d)(?!\d)")
_DIGIT_KANA = dict(
    zip("123456789", ["いち", "に", "さん", "よん", "ご", "ろく", "なな", "はち", "きゅう"], strict=True)
)


def read_batting_averages(text: str) -> str:
    """``打率.285`` is ニワリハチブゴリン: 割, 分 and 厘, and the zero places left out (``.300`` サンワリ,
    ``.305`` サンワリゴリン)."""

    def average(m: re.Match[str]) -> str:
        places = [(m.group(2), "わり"), (m.group(3), "ぶ"), (m.group(4), "りん")]
        said = "".join(_DIGIT_KANA[d] + unit for d, unit in places if d != "0")
        return m.group(1) + (said or "れい")

    return _AVERAGE.sub(average, text)


def read_arrows(text: str) -> str:
    """``3%→5%`` is 3%から5%: an arrow between two figures is a change from one to the other (it used
    to be dropped, and the sentence changed meaning). Between words it is から too (東京→大阪)."""
    text = re.sub(r"(?<=[\d%％円人件倍度点位歳])\s*[→⇒➡]\s*(?=[\d０-９▲△+\-−マプ約])", "から", text)
    return re.sub(r"(?<=\S)\s*[→⇒➡]\s*(?=\S)", "から", text)


# Single-kanji initials of countries that newspapers join with ・ (日・中, 米・露, 日・米・韓).
_INITIALS = "日米中韓露英仏独印豪朝加伊台比越泰蘭"
_JOINED = re.compile(
    rf"(?<![一-龯々〆ヶ])[{_INITIALS}](?:・[{_INITIALS}])+(?=[^一-龯々・]|[両首外間関共合三四]|$)"
)


def join_country_initials(text: str) -> str:
    """``日・中`` is ニッチュウ, as 日中: the ・ between country initials is not a pause, and 日 alone
    would be read ヒ."""
    text = _JOINED.sub(lambda m: m.group(0).replace("・", ""), text)
    # Open JTalk reads 日中 right alone (ニッチュウ) but not before a third initial (日中韓 ニチチュウカン).
    return re.sub(rf"(?<![一-龯々])日中(?=[{_INITIALS}])", "にっちゅう", text)


_WEEKDAYS = {d: f"{d}曜日" for d in "月火水木金土日"}
_HOLIDAYS = {"祝": "祝日", "休": "休日", "祭": "祝日", "振休": "振替休日", "祝休": "祝日"}
_MARK = re.compile(
    r"[（(]\s*([月火水木金土日](?:[・･、,][月火水木金土日])*)((?:[・･、,](?:振休|祝休|祝|休|祭))?)\s*[）)]"
)


def read_weekday_marks(text: str) -> str:
    """``11月3日（月・祝）`` is 11月3日、月曜日・祝日: the marks of a weekday and a holiday in brackets are said
    as words (not ツキ and シュク)."""

    def mark(m: re.Match[str]) -> str:
        days = [_WEEKDAYS[d] for d in re.split(r"[・･、,]", m.group(1))]
        holiday = m.group(2)[1:] if m.group(2) else ""
        words = days + ([_HOLIDAYS[holiday]] if holiday else [])
        return "、" + "・".join(words) + "、"

    text = _MARK.sub(mark, text)
    # No pause is left before a particle or the end: 24日、火曜日の夜.
    return re.sub(r"(?<=[曜日])、(?=[、。）)」のにはでとをがもまへ]|から|$)", "", text)


# A reading in brackets right after the word it reads: 羽生結弦（はにゅう・ゆづる）.
_BRACKETED = re.compile(r"([一-龯々〆ヶ]{1,12})[（(]([ぁ-ゖー]{1,24}(?:[・･ 　][ぁ-ゖー]{1,24})?)[）)]")


def read_bracketed_readings(text: str) -> str:
    """``羽生結弦（はにゅう・ゆづる）選手`` is read once, with the reading given: はにゅうゆづる選手. The
    kanji a reading replaces are the whole run when it is short (a name is 2 to 5), else the person's name
    at its end (日本代表羽生結弦: 羽生結弦). A reading too short or too long for its kanji is left alone:
    it is not theirs."""

    def bracketed(m: re.Match[str]) -> str:
        kanji, reading = m.group(1), re.sub(r"[・･ 　]", "", m.group(2))
        if len(kanji) > 5:
            tail = person_name_tail(kanji)
            if tail is None:
                return m.group(0)
            kanji, keep = tail, kanji[: -len(tail)]
        else:
            keep = ""
        if not len(kanji) <= len(reading) <= 4 * len(kanji) + 1:
            return m.group(0)
        return keep + reading

    text = _BRACKETED.sub(bracketed, text)
    # A name in letters with its reading: LiSA（りさ）.
    return _LATIN_BRACKETED.sub(lambda m: m.group(2).replace("・", ""), text)


_LATIN_BRACKETED = re.compile(
    r"(?<![A-Za-z0-9])([A-Za-z][A-Za-z0-9.&'’\-]{0,24})[（(]([ぁ-ゖー・]{1,24})[）)]"
)
