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

    text = _SLASHED.sub(_date_or_fraction, text)
    return re.sub(r"(?<=\d)年0(\d)月|(?<=月)0(\d)日", lambda m: m.group(0).replace("0", "", 1), text)


_SLASHED = re.compile(r"(?<![\d/.])(\d{1,3})/(\d{1,3})(?![\d/%.])")
# What makes a/b a share of something, or a day: the words around it.
_FRACTION_BEFORE = re.compile(r"(?:全体の|うち|約|およそ|ほぼ|実に|わずか|最大|最低|少なくとも)$")
_FRACTION_AFTER = re.compile(
    r"^(?:程度|以上|以下|未満|強|弱|ほど|近く|超|を占め|に当た|に相当|に減|に増|に縮|に拡|の割合|の確率|が|は|を)"
)
_DATE_AFTER = re.compile(
    r"^(?:に|付|から|まで|以降|時点|午前|午後|朝|夜|夕方|未明|[（(][月火水木金土日]|[、,]|の(?:会見|発表|記者会見|"
    r"閣議|会合|会談|会議|選挙|集会|式典|試合|公演|夜|朝|午前|午後|深夜|未明|時点|段階|報道|声明|決定|採決|判決))"
)


def _date_or_fraction(m: re.Match) -> str:
    """``1/3の自治体`` is a third, ``7/17の会見`` a day. Decided by the words around it, then by whether the
    numbers can be a month and a day and whether they look like a share (a below b, b at most 10). Where it
    stays open, the numbers are said as written: never an invented date, never an invented share."""
    a, b = m.group(1), m.group(2)
    before, after = m.string[max(0, m.start() - 6) : m.start()], m.string[m.end() : m.end() + 8]
    can_be_date = len(a) <= 2 and len(b) <= 2 and _valid_date(a, b)
    can_be_share = 0 < int(a) < int(b)
    fraction = f"{int(b)}分の{int(a)}"
    date = f"{int(a)}月{int(b)}日"
    if can_be_share and (_FRACTION_BEFORE.search(before) or _FRACTION_AFTER.match(after)):
        return fraction
    if can_be_date and _DATE_AFTER.match(after):
        return date
    if can_be_share and int(b) <= 10 and after.startswith("の"):
        return fraction  # 1/3の自治体: a share of a group (a day would be named by an event: の会見)
    if can_be_date and not (can_be_share and int(b) <= 10):
        return date  # 7/17: no share is written so
    if can_be_share and not can_be_date:
        return fraction  # 3/40
    return m.group(0)


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
    ("TWh", "テラワットアワー"),
    ("GWh", "ギガワットアワー"),
    ("MWh", "メガワットアワー"),
    ("kcal", "キロカロリー"),
    ("cal", "カロリー"),
    ("nm", "ナノメートル"),
    ("μm", "マイクロメートル"),
    ("µm", "マイクロメートル"),
    ("bp", "ベーシスポイント"),
    ("pt", "ポイント"),
    ("kt", "キロトン"),
    ("Gt", "ギガトン"),
    ("oz", "オンス"),
    ("lb", "ポンド"),
    ("ft", "フィート"),
    ("cm²", "平方センチメートル"),
    ("μSv", "マイクロシーベルト"),
    ("µSv", "マイクロシーベルト"),
    ("mSv", "ミリシーベルト"),
    ("Sv", "シーベルト"),
    ("Bq", "ベクレル"),
    ("hPa", "ヘクトパスカル"),
    ("dB", "デシベル"),
    ("ppm", "ピーピーエム"),
    ("ppb", "ピーピービー"),
    ("Gbps", "ギガビーピーエス"),
    ("Mbps", "メガビーピーエス"),
    ("kbps", "キロビーピーエス"),
    ("GHz", "ギガヘルツ"),
    ("MHz", "メガヘルツ"),
    ("kHz", "キロヘルツ"),
    ("mAh", "ミリアンペアアワー"),
    ("ml", "ミリリットル"),
    ("mL", "ミリリットル"),
    ("cc", "シーシー"),
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
    """Units written in Latin letters after a number are read as Japanese unit words; after 時速 a speed is
    キロ, as newsreaders say it (時速100キロ)."""
    text = re.sub(r"(時速\s*[\d.]+)\s*(?:km/h|キロメートル毎時|km)", r"\1キロ", text)
    for symbol, word in _UNITS:
        text = re.sub(rf"(?<=[\d万億千])\s*{re.escape(symbol)}(?![A-Za-z])", word, text)
    return text


def read_signs(text: str) -> str:
    """The signs of Japanese news and finance before a number: ▲ and △ mark a fall (前年度比▲2.3% is マイナス),
    ± is プラスマイナス, and a rate 1ドル=150円 is said without イコール. Runs before marks are dropped."""
    text = re.sub(r"[±]\s*(?=\d)", "プラスマイナス", text)
    # In Japanese finance ▲ and △ mark a fall: 前年度比▲2.3% is minus 2.3 per cent.
    text = re.sub(r"[▲△]\s*(?=\d)", "マイナス", text)
    # 1ドル=150円: the rate is said without イコール.
    text = re.sub(r"(\d(?:ドル|円|ユーロ|元|ウォン|ポンド|ルーブル|ルピー))\s*[=＝]\s*(?=\d)", r"\1", text)
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
