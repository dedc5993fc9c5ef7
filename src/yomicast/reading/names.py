"""Names made of letters and digits, and acronyms: read the way Japanese broadcasters say them.

A curated dictionary decides every name that is said as a word (NATO ナトー, UNESCO ユネスコ) or in a fixed
way (G7 ジーセブン, 5G ファイブジー, COVID-19 コビッドナインティーン). Whatever it does not list is read by a
rule that cannot mislead: letters are spelled, and digits are read as a number (F-35 エフサンジューゴ) or, in a
model number of three digits or more, one by one (A320 エーサンニーマル). No model guesses at these: a wrong
guess is a word the listener never heard.
"""

from __future__ import annotations

import re

#: Said as words, or in a set way. Keys are matched as whole tokens, case as written.
NAMES: dict[str, str] = {
    # groups, standards, formats
    "G7": "ジーセブン",
    "G8": "ジーエイト",
    "G20": "ジートゥエンティ",
    "4G": "フォージー",
    "5G": "ファイブジー",
    "6G": "シックスジー",
    "4K": "ヨンケー",
    "4DX": "フォーディーエックス",
    "8K": "ハチケー",
    "2D": "ツーディー",
    "3D": "スリーディー",
    "Wi-Fi": "ワイファイ",
    "WiFi": "ワイファイ",
    "Bluetooth": "ブルートゥース",
    "PM2.5": "ピーエムニーテンゴ",
    "CO2": "シーオーツー",
    "SDGs": "エスディージーズ",
    "LGBTQ": "エルジービーティーキュー",
    # diseases and viruses
    "COVID-19": "コビッドナインティーン",
    "COVID": "コビッド",
    "SARS": "サーズ",
    "MERS": "マーズ",
    # products and brands
    "PS4": "ピーエスフォー",
    "PS5": "ピーエスファイブ",
    "iPhone": "アイフォーン",
    "iPad": "アイパッド",
    "iOS": "アイオーエス",
    "YouTube": "ユーチューブ",
    "TikTok": "ティックトック",
    "LINE": "ライン",
    "ChatGPT": "チャットジーピーティー",
    "VOICEVOX": "ボイスボックス",
    "AivisSpeech": "アイビススピーチ",
    "Kokoro": "ココロ",
    "OpenAI": "オープンエーアイ",
    "Nintendo": "ニンテンドー",
    # science
    "iPS": "アイピーエス",
    "mRNA": "エムアールエヌエー",
    "DNA": "ディーエヌエー",
    "RNA": "アールエヌエー",
    # said as the words they stand for, as broadcasters do
    "GK": "ゴールキーパー",
    "DF": "ディフェンダー",
    "MF": "ミッドフィルダー",
    "FW": "フォワード",
    "J-POP": "ジェイポップ",
    "K-POP": "ケーポップ",
    "J-POPS": "ジェイポップス",
    "J1": "ジェイワン",
    "J2": "ジェイツー",
    "J3": "ジェイスリー",
    "GW": "ゴールデンウィーク",
    "SW": "シルバーウィーク",
    "NY": "ニューヨーク",
    "LA": "ロサンゼルス",
    "FTSE": "フッツィー",
    "DAX": "ダックス",
    "ABEMA": "アベマ",
    "TVer": "ティーバー",
    "U-NEXT": "ユーネクスト",
    "Spotify": "スポティファイ",
    "DAZN": "ダゾーン",
    "WOWOW": "ワウワウ",
    # acronyms said as words
    "NATO": "ナトー",
    "ASEAN": "アセアン",
    "OPEC": "オペック",
    "UNESCO": "ユネスコ",
    "UNICEF": "ユニセフ",
    "NASA": "ナサ",
    "JAXA": "ジャクサ",
    "APEC": "エイペック",
    "FIFA": "フィファ",
    "JETRO": "ジェトロ",
    "JICA": "ジャイカ",
    "RCEP": "アールセップ",
    "IPEF": "アイペフ",
    "COP": "コップ",
    "CERN": "セルン",
    "NEET": "ニート",
    "ICT": "アイシーティー",
    "AUKUS": "オーカス",
    "BRICS": "ブリックス",
    "NISA": "ニーサ",
    "TOPIX": "トピックス",
    "NASDAQ": "ナスダック",
    "ETF": "イーティーエフ",
    "UNHCR": "ユーエヌエイチシーアール",
    # spelled, listed so the choice is on record: OECD, IMF, WHO, GDP, WTO, IAEA, EU, UN … (the default)
}
#: Phrases of more than one token, matched first.
PHRASES: dict[str, str] = {
    "S&P500": "エスアンドピーゴヒャク",
    "S&P 500": "エスアンドピーゴヒャク",
    "S&P": "エスアンドピー",
    "Disney+": "ディズニープラス",
    "Apple TV+": "アップルティーブイプラス",
    "No.1": "ナンバーワン",
    "No. 1": "ナンバーワン",
    "W杯": "ワールドカップ",
    "eスポーツ": "イースポーツ",
    "M&A": "エムアンドエー",
    "Wi-Fi 6": "ワイファイシックス",
    "Wi-Fi 7": "ワイファイセブン",
    "OPEC+": "オペックプラス",
    "CC BY-SA": "シーシーバイエスエー",
    "CC BY": "シーシーバイ",
}
_JP_DIGITS = dict(
    zip(
        "0123456789",
        ["マル", "イチ", "ニー", "サン", "ヨン", "ゴー", "ロク", "ナナ", "ハチ", "キュー"],
        strict=True,
    )
)


def read_phrases(text: str) -> str:
    """Multi-token names (``Wi-Fi 6``) before the text is cut into tokens."""
    for phrase in sorted(PHRASES, key=len, reverse=True):
        text = re.sub(rf"(?<![A-Za-z0-9]){re.escape(phrase)}(?![A-Za-z0-9])", PHRASES[phrase], text)
    return text


def read_name(token: str, spell: dict[str, str]) -> str | None:
    """A token of letters and digits (``F-35``, ``A320``, ``H5N1``, ``COP28``) read by rule, or None when it
    holds no digit. Letter runs are spelled (or read as a listed word); digits are a number, or one by one in
    a model number of three digits or more. Hyphens inside a name are not spoken."""
    if not any(c.isdigit() for c in token):
        return None
    out = []
    for run in re.findall(r"[A-Za-z]+|\d+", token):
        if run.isdigit():
            out.append("".join(_JP_DIGITS[d] for d in run) if len(run) >= 3 else run)
        else:
            out.append(NAMES.get(run) or "".join(spell.get(c.upper(), c) for c in run))
    return "".join(out)
