"""Sentences and segments: speech text split where a reader breathes, and cut to an engine's limit."""

from __future__ import annotations

import re
import unicodedata


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


_BREAKS = (r"(?<=[。！？!?])", r"(?<=[、，,」』）])|(?=[「『（])", r"(?<=[・ ])")
_PARTICLES = "はがをにでとのもへや"


def split_for_engine(speech: str, max_chars: int | None, level: int = 0) -> list[str]:
    """Split speech text into segments of at most ``max_chars`` at natural Japanese breaks: sentence ends first, then
    commas and brackets, then word separators; never inside a number or a Latin word."""
    if not max_chars or len(speech) <= max_chars:
        return [speech]
    if level == len(_BREAKS):
        return _hard_split(speech, max_chars)
    parts: list[str] = []
    buf = ""
    for part in (p for p in re.split(_BREAKS[level], speech) if p):
        if buf and len(buf) + len(part) > max_chars:
            parts.append(buf)
            buf = ""
        buf += part
    if buf:
        parts.append(buf)
    return [q for p in parts for q in split_for_engine(p, max_chars, level + 1)]


def _hard_split(speech: str, max_chars: int) -> list[str]:
    """Last resort for text with no punctuation: cut after a particle, and never between two digits or
    two Latin letters."""
    out = []
    while len(speech) > max_chars:
        cut = next(
            (
                i
                for i in range(max_chars, max_chars // 2, -1)
                if speech[i - 1] in _PARTICLES and not speech[i].isdigit()
            ),
            None,
        )
        if cut is None:
            cut = max_chars
            while cut > 1 and speech[cut - 1].isascii() and speech[cut].isascii() and speech[cut].isalnum():
                cut -= 1
        out.append(speech[:cut])
        speech = speech[cut:]
    if speech:
        out.append(speech)
    return out
