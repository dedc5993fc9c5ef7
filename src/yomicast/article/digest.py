"""The news-digest text form: title line, paragraphs, heading lines, ``- `` bullets and a footer that names
the source, its publisher and date, and the AI that wrote the digest."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from pathlib import Path

from yomicast.article.model import SENTENCE_END, Article, Section, Source
from yomicast.errors import InputError

_CLOSERS = "」』）)】〕”’\"'"
HEADING_MAX_CHARS = 60

_ANNOUNCE = re.compile(r"^AIがニュースをお伝えしました。?$")
_GENERATOR = re.compile(r"^以下の問いで(?P<ai>.+?)から回答を(?:え|得)ています。?$")
_PROMPT = re.compile(
    r"^(?P<publisher>.+?)が(?P<date>\d{4}-\d{1,2}-\d{1,2})(?:[ T](?P<time>\d{1,2}:\d{2}))?に"
    r"[『「](?P<title>.+?)[』」]を公開しました"
)


def parse_digest(text: str, name: str = "article") -> Article:
    lines = [unicodedata.normalize("NFC", line).strip() for line in text.lstrip("\ufeff").split("\n")]
    lines = [line for line in lines if line]
    if not lines:
        raise InputError(f"{name}: the file is empty; write the article's title and text into it")
    body, source = _split_footer(lines)
    if not body:
        raise InputError(f"{name}: the article has no body text, only its footer")
    title, rest = _title_and_rest(body, name)
    sections: list[Section] = []
    heading: str | None = None
    block: list[str] = []
    for i, line in enumerate(rest):
        nxt = rest[i + 1] if i + 1 < len(rest) else None
        if _is_heading(line, nxt):
            if block or heading is not None:
                sections.append(Section(heading, "\n".join(block)))
            heading, block = _clean_heading(line), []
        else:
            block.append(_clean_bullet(line))
    if block or heading is not None:
        sections.append(Section(heading, "\n".join(block)))
    if not sections:
        sections = [Section(None, title)]
    return Article(title=title, sections=tuple(sections), source=source)


def _title_and_rest(body: list[str], name: str) -> tuple[str, list[str]]:
    """The first line is the title when it reads as one; otherwise the file name is."""
    first = body[0]
    if len(first) <= 100 and not first.startswith("- ") and (len(body) > 1 or first[-1] not in SENTENCE_END):
        return first, body[1:]
    stem = Path(name).stem.replace("_", " ").replace("-", " ").strip()
    return stem or first[:40], body


def _is_heading(line: str, nxt: str | None) -> bool:
    """A heading is a short line that does not end a sentence and is followed by body text.

    It may end in a question mark or hold a colon (「なぜ「違法」なのか?:国連安保理決議との関係」).
    """
    if nxt is None or _is_bullet(line) or len(line) > HEADING_MAX_CHARS:
        return False
    if line.rstrip(_CLOSERS)[-1:] in ("。", "．", ".", "！", "!", "、", "，", ","):
        return False
    return _is_bullet(nxt) or not _heading_shaped(nxt)


def _heading_shaped(line: str) -> bool:
    return len(line) <= HEADING_MAX_CHARS and line.rstrip(_CLOSERS)[-1:] not in SENTENCE_END + "、"


def _is_bullet(line: str) -> bool:
    return line.startswith(("- ", "・", "* "))


def _clean_heading(line: str) -> str:
    return re.sub(r"^#+\s*|^[■□◆◇●○▼▽【]\s*|】$", "", line).strip()


def _clean_bullet(line: str) -> str:
    return re.sub(r"^(?:[・*]\s*|-\s+)", "- ", line)


def _split_footer(lines: list[str]) -> tuple[list[str], Source]:
    """Cut the digest footer off and read the source facts out of it."""
    marks = [i for i, line in enumerate(lines) if _ANNOUNCE.match(line) or _GENERATOR.match(line)]
    prompt_at = next((i for i, line in enumerate(lines) if _PROMPT.match(line)), None)
    if not marks and prompt_at is None:
        return lines, Source()
    start = min(marks + ([prompt_at] if prompt_at is not None else []))
    publisher = published = source_title = generator = None
    if prompt_at is not None:
        m = _PROMPT.match(lines[prompt_at])
        assert m is not None
        publisher, source_title = m["publisher"].strip(), m["title"].strip()
        published = _parse_datetime(m["date"], m["time"])
    for line in lines[start:]:
        g = _GENERATOR.match(line)
        if g:
            generator = g["ai"].strip()
    # The line just above the footer is the source's own title when it matches, or reads as one.
    if start > 1:
        above = lines[start - 1]
        if (source_title and above == source_title) or (
            above[-1] not in SENTENCE_END and _mostly_latin(above)
        ):
            source_title = source_title or above
            start -= 1
    source = Source(title=source_title, publisher=publisher, published=published, generator=generator)
    return lines[:start], source


def _mostly_latin(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return bool(letters) and sum(c.isascii() for c in letters) / len(letters) > 0.8


def _parse_datetime(date: str, time: str | None) -> dt.datetime | dt.date | None:
    try:
        y, m, d = (int(p) for p in date.split("-"))
        if time:
            hh, mm = (int(p) for p in time.split(":"))
            return dt.datetime(y, m, d, hh, mm)
        return dt.date(y, m, d)
    except ValueError:
        return None
