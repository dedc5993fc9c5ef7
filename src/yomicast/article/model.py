"""The article as values: its title, source and headed sections. Text only, no I/O."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

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


@dataclass(frozen=True)
class Article:
    title: str
    sections: tuple[Section, ...]
    source: Source = field(default_factory=Source)
    description: str | None = None
    path: Path | None = None

    @property
    def slug(self) -> str:
        return slugify(self.path.stem if self.path else self.title)


def slugify(name: str) -> str:
    """A file-name-safe slug; Japanese letters are kept (podcast hosts and apps handle UTF-8 paths)."""
    name = unicodedata.normalize("NFKC", name).strip().lower()
    name = re.sub(r"[^\w\-.]+", "-", name, flags=re.UNICODE).strip("-.")
    return name[:80] or "episode"
