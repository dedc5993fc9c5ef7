"""Dates, times, ranges, units, currencies and signs, read the way a newsreader says them."""

from __future__ import annotations

import re


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

    # Anchored at the start of a number, so a long run of digits is scanned once, not once per digit.
    text = re.sub(r"(?<![\d.])(\d++(?:\.\d++)?)\s*[〜～~ー−-]\s*(\d++(?:\.\d++)?)\s*" + unit, rng, text)
    return re.sub(r"(?<=[\d年月日時])\s*[〜～]\s*", "から", text)


def drop_thousands_separators(text: str) -> str:
    """``3,200億円`` → 3200億円, so no engine pauses at the comma."""
    return re.sub(r"(?<=\d)[,，](?=\d{3}(?!\d))", "", text)


_UNITS = [
    ("km/h", "キロメートル毎時"),
    ("kWh", "キロワットアワー"),
    ("km²", "平方キロメートル"),
    ("m²", "平方メートル"),
    ("m³", "立方メートル"),
    ("°C", "度"),
    ("℃", "度"),
    ("°F", "華氏度"),
    ("km", "キロメートル"),
    ("cm", "センチメートル"),
    ("mm", "ミリメートル"),
    ("kg", "キログラム"),
    ("mg", "ミリグラム"),
    ("GB", "ギガバイト"),
    ("MB", "メガバイト"),
    ("TB", "テラバイト"),
    ("kW", "キロワット"),
    ("MW", "メガワット"),
    ("GW", "ギガワット"),
    ("Hz", "ヘルツ"),
    ("ha", "ヘクタール"),
    ("g", "グラム"),
    ("m", "メートル"),
    ("t", "トン"),
    ("L", "リットル"),
    ("W", "ワット"),
    ("%", "パーセント"),
]


def read_units(text: str) -> str:
    """Units written in Latin letters after a number are read as Japanese unit words."""
    for symbol, word in _UNITS:
        text = re.sub(rf"(?<=\d)\s*{re.escape(symbol)}(?![A-Za-z])", word, text)
    return text


def read_currency_and_signs(text: str) -> str:
    """``$100`` → 100ドル, ``¥500`` → 500円, ``€`` ユーロ, ``£`` ポンド; ``+3`` プラス3, ``−5`` マイナス5."""
    for sign, word in (
        ("$", "ドル"),
        ("＄", "ドル"),
        ("¥", "円"),
        ("￥", "円"),
        ("€", "ユーロ"),
        ("£", "ポンド"),
    ):
        text = re.sub(rf"{re.escape(sign)}\s*(\d[\d.]*(?:万|億|兆)?)", rf"\1{word}", text)
    text = re.sub(r"(?<![0-9A-Za-z.])[+＋](?=\d)", "プラス", text)
    return re.sub(r"(?<![0-9A-Za-z.])[-−－](?=\d)", "マイナス", text)
