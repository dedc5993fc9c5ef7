"""The news-digest text form: title line, paragraphs, heading lines, ``- `` bullets and a footer that names
the source, its publisher and date, and the AI that wrote the digest."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import replace
from pathlib import Path

from yomicast.article.model import SENTENCE_END, Article, LineFate, Note, Section, Source, has_words
from yomicast.errors import InputError

_CLOSERS = "」』）)】〕”’\"'"
HEADING_MAX_CHARS = 60

_ANNOUNCE = re.compile(r"^AIがニュースをお伝えしました。?$")
_GENERATOR = re.compile(r"^以下の問いで(?P<ai>.+?)から回答を(?:え|得)ています。?$")
_PROMPT = re.compile(
    r"^(?P<publisher>.+?)が(?P<date>\d{4}-\d{1,2}-\d{1,2})(?:[ T](?P<time>\d{1,2}:\d{2}))?に"
    r"[『「](?P<title>.+?)[』」]を公開しました"
)


Numbered = tuple[int, str]  # (line in the file, its text)


def parse_digests(text: str, name: str = "article") -> list[Article]:
    """Every digest in ``text``: a digest ends with its footer, and a file may hold several, one after another.

    Text after the last footer with no footer of its own is read as part of the digest before it, and says so
    in a note. Every line with words in it is accounted for in the article's ``fates``.
    """
    numbered = [(n, unicodedata.normalize("NFC", line).strip()) for n, line in enumerate(text.split("\n"), 1)]
    lines = [(n, line) for n, line in numbered if line]
    if not lines:
        raise InputError(f"{name}: the file is empty; write the article's title and text into it")
    parts = _split_digests(lines)
    articles = []
    for part, (body, footer, source, trailing) in enumerate(parts, 1):
        if not body:
            where = f" (the footer at line {footer[0]})" if footer else ""
            raise InputError(f"{name}: an article has no body text, only its footer{where}")
        articles.append(_digest(body, footer, source, trailing, name, part))
    return articles


def parse_digest(text: str, name: str = "article") -> Article:
    """The first digest in ``text`` (see ``parse_digests`` for files that hold several)."""
    return parse_digests(text, name)[0]


def _digest(
    body: list[Numbered], footer: list[int], source: Source, trailing: list[int], name: str, part: int
) -> Article:
    fates: dict[int, LineFate] = {n: "metadata" for n in footer}
    title, rest = _title_and_rest(body, name)
    if rest is not body:
        fates[body[0][0]] = "title"
    sections: list[Section] = []
    heading: str | None = None
    block: list[str] = []
    for i, (n, line) in enumerate(rest):
        nxt = rest[i + 1][1] if i + 1 < len(rest) else None
        fates[n] = "spoken"
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
        fates[body[0][0]] = "spoken"
    after_footer = set(trailing)
    notes = tuple(
        Note(n, "text after the last footer", line, spoken=True) for n, line in body if n in after_footer
    )
    text_of = dict(body)
    return Article(
        title=title,
        sections=tuple(sections),
        source=source,
        part=part,
        notes=notes,
        fates=tuple(
            sorted((n, f) for n, f in fates.items() if f == "metadata" or has_words(text_of.get(n, "")))
        ),
    )


def _title_and_rest(body: list[Numbered], name: str) -> tuple[str, list[Numbered]]:
    """The first line is the title when it reads as one; otherwise the file name is."""
    first = body[0][1]
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


def _is_footer_line(line: str) -> bool:
    return bool(_ANNOUNCE.match(line) or _GENERATOR.match(line) or _PROMPT.match(line))


def _split_digests(lines: list[Numbered]) -> list[tuple[list[Numbered], list[int], Source, list[int]]]:
    """(body, footer line numbers, source, trailing line numbers) of each digest, in order.

    A footer is a run of footer lines (the announcement, the generator, the prompt naming the source),
    with the source's own title on the line just above it when that line matches or reads as one.
    """
    parts: list[tuple[list[Numbered], list[int], Source, list[int]]] = []
    start = i = 0
    while i < len(lines):
        if not _is_footer_line(lines[i][1]):
            i += 1
            continue
        end = i
        while end < len(lines) and _is_footer_line(lines[end][1]):
            end += 1
        body, footer = lines[start:i], lines[i:end]
        source = _source(footer)
        if len(body) > 1:
            above = body[-1][1]
            if (source.title and above == source.title) or (
                above[-1] not in SENTENCE_END and _mostly_latin(above)
            ):
                source = replace(source, title=source.title or above)
                footer = [body.pop(), *footer]
        parts.append((body, [n for n, _ in footer], source, []))
        start = i = end
    rest = lines[start:]
    if not parts:
        return [(rest, [], Source(), [])]
    if rest:  # no footer of its own: more of the digest before it
        last_body, last_footer, last_source, _ = parts[-1]
        parts[-1] = (last_body + rest, last_footer, last_source, [n for n, _ in rest])
    return parts


def _source(footer: list[Numbered]) -> Source:
    publisher = published = source_title = generator = None
    for _n, line in footer:
        m = _PROMPT.match(line)
        if m and publisher is None:
            publisher, source_title = m["publisher"].strip(), m["title"].strip()
            published = _parse_datetime(m["date"], m["time"])
        g = _GENERATOR.match(line)
        if g:
            generator = g["ai"].strip()
    return Source(title=source_title, publisher=publisher, published=published, generator=generator)


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
