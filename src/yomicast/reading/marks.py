"""Width and marks: full-width letters, URLs, emoji, bullets, colons and symbols made speakable."""

from __future__ import annotations

import re
import unicodedata

# Unicode's squared unit signs, before NFKC turns ㎡ into a bare "m2".
_SQUARED = str.maketrans(
    {
        "㎡": "m²",
        "㎢": "km²",
        "㎥": "m³",
        "㎠": "cm²",
        "㎏": "kg",
        "㎞": "km",
        "㎝": "cm",
        "㎜": "mm",
        "㎎": "mg",
        "㏄": "cc",
        "㎖": "mL",
        "㎘": "kL",
        "㎐": "Hz",
        "㎑": "kHz",
        "㎒": "MHz",
        "㎓": "GHz",
        "㏈": "dB",
        "㏊": "ha",
    }
)


def normalize_width(text: str) -> str:
    """Full-width digits and Latin letters to ASCII, half-width katakana to full width (NFKC), keeping
    Japanese punctuation full-width so the engines pause on it. A full-width space between Japanese words
    (a headline's break: 最高値を更新　米利下げ観測) is a pause, 、: dropped, 更新米 would be one word."""
    text = re.sub(r"(?<=[^\x00-\x7f、。「」（）])\u3000+(?=[^\x00-\x7f、。「」（）\u3000])", "、", text)
    text = text.translate(_SQUARED)
    out = []
    for ch in text:
        if ch in "！？（）：～〜℃①②③④⑤⑥⑦⑧⑨⑩²³":
            out.append(ch)
        else:
            out.append(unicodedata.normalize("NFKC", ch))
    text = "".join(out)
    return text.translate(str.maketrans("()?!", "（）？！"))


_URL = re.compile(r"(?:https?://|www\.)[^\s　、。「」『』（）()<>]+", re.IGNORECASE)
# Anchored at the start of a run and possessive, so a long run of letters is scanned once, not once per letter.
_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]++@[\w-]++(?:\.[\w-]++)+", re.ASCII)  # Latin letters only


def drop_urls(text: str) -> str:
    """URLs and e-mail addresses are never spelled out."""
    text = _EMAIL.sub("メールアドレス", text)
    text = _URL.sub("リンク", text)
    return re.sub(r"（\s*リンク\s*）|\(\s*リンク\s*\)", "", text)


#: the private-use characters that stand for the words an engine's own dictionary holds while the rules run
HELD_FIRST, HELD_LAST = "\ue000", "\ue7ff"


def drop_emoji(text: str) -> str:
    """Emoji, pictographs and decorative marks carry no words."""
    keep = set("℃°%％&＆+＋-−=＝~〜～…・※")
    out = []
    for ch in text:
        cat = unicodedata.category(ch)
        if ch in keep or HELD_FIRST <= ch <= HELD_LAST:  # a word the engine's dictionary holds, set aside
            out.append(ch)
        elif (
            cat in ("So", "Sk", "Co", "Cs")
            or ch in "\u200d\ufe0e\ufe0f\u20e3"
            or ch >= "\U0001f000"
            or ch in "■□◆◇●○▼▽▲△★☆♪♫◎※→←↑↓⇒"
        ):
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
