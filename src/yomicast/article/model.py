"""The article as values: its title, source and headed sections. Text only, no I/O."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

MARKDOWN_SUFFIXES = {".md", ".markdown", ".mdown", ".mkd"}
TEXT_SUFFIXES = {".txt", ".text", ""}
ARTICLE_SUFFIXES = MARKDOWN_SUFFIXES | TEXT_SUFFIXES

SENTENCE_END = "。．.！!？?"
JST = dt.timezone(dt.timedelta(hours=9), "JST")


@dataclass(frozen=True)
class Source:
    """Where the article's facts come from; every field may be unknown."""

    title: str | None = None
    publisher: str | None = None
    published: dt.datetime | dt.date | None = None
    url: str | None = None
    generator: str | None = None
    author: str | None = None

    @property
    def day(self) -> dt.date | None:
        """The calendar day of publication, whatever precision the source gave."""
        if isinstance(self.published, dt.datetime):
            return self.published.date()
        return self.published

    def published_at(self) -> dt.datetime | None:
        """The publication time, timezone-aware: a digest's times are Japanese local time, and a source that
        gives only a day is taken as published at 06:00 JST, before the morning news."""
        src = self.published
        if isinstance(src, dt.datetime):
            return src if src.tzinfo else src.replace(tzinfo=JST)
        if isinstance(src, dt.date):
            return dt.datetime(src.year, src.month, src.day, 6, 0, tzinfo=JST)
        return None

    def published_iso(self) -> str | None:
        if self.published is None:
            return None
        if isinstance(self.published, dt.datetime):
            return self.published.isoformat(timespec="minutes")
        return self.published.isoformat()


@dataclass(frozen=True)
class Section:
    """A heading (None for the lead) and its body as written, one block per line."""

    heading: str | None
    text: str

    @property
    def blocks(self) -> list[str]:
        return [line for line in self.text.split("\n") if line.strip()]


#: What became of a line of the file: said aloud, the title, metadata (footer, front matter), or not read
#: (each such line is also a ``Note``). Lines with no letters or digits are not listed.
LineFate = Literal["spoken", "title", "metadata", "skipped"]


@dataclass(frozen=True)
class Note:
    """Something the reader did to a line that the writer should hear about."""

    line: int  # 1-based, in the file
    reason: str  # "code block", "image", "text after the last footer", …
    text: str
    spoken: bool  # False: the line is not read aloud


@dataclass(frozen=True)
class Article:
    title: str
    sections: tuple[Section, ...]
    source: Source = field(default_factory=Source)
    description: str | None = None
    path: Path | None = None
    part: int = 1  # the n-th article of a file that holds several digests
    notes: tuple[Note, ...] = ()
    fates: tuple[tuple[int, LineFate], ...] = ()  # (line, fate) for every line with words in it

    @property
    def slug(self) -> str:
        stem = slugify(self.path.stem if self.path else self.title)
        return stem if self.part == 1 else f"{stem}-{self.part}"

    @property
    def skipped(self) -> tuple[Note, ...]:
        return tuple(n for n in self.notes if not n.spoken)

    def warnings(self) -> list[str]:
        """One line per kind of note, naming the lines: what a writer should know was not read as written."""
        by_reason: dict[tuple[str, bool], list[int]] = {}
        for n in self.notes:
            by_reason.setdefault((n.reason, n.spoken), []).append(n.line)
        out = []
        for (reason, spoken), lines in by_reason.items():
            what = "read as part of the article" if spoken else "not read aloud"
            out.append(f"{_line_ranges(lines)}: {reason}, {what}")
        return out


def _line_ranges(lines: list[int]) -> str:
    """[3, 4, 5, 9] → 'lines 3–5, 9'."""
    runs: list[list[int]] = []
    for n in sorted(set(lines)):
        if runs and n == runs[-1][1] + 1:
            runs[-1][1] = n
        else:
            runs.append([n, n])
    text = ", ".join(f"{a}–{b}" if b > a else str(a) for a, b in runs)
    return ("line " if len(runs) == 1 and runs[0][0] == runs[0][1] else "lines ") + text


def has_words(text: str) -> bool:
    return any(unicodedata.category(c)[0] in "LN" for c in text)


def slugify(name: str) -> str:
    """A file-name-safe slug; Japanese letters are kept (podcast hosts and apps handle UTF-8 paths)."""
    name = unicodedata.normalize("NFKC", name).strip().lower()
    name = re.sub(r"[^\w\-.]+", "-", name, flags=re.UNICODE).strip("-.")
    return name[:80] or "episode"
