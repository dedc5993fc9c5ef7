"""The article stage. In: an article file (.txt or .md, any common Japanese encoding). Out: an Article: its
title, source and headed sections. May import: errors only.

Two input forms are understood (``digest`` and ``markdown``); the encoding is detected (``encoding``), so a
Shift_JIS file gives the same ``Article`` as its UTF-8 twin. The footer is metadata: none of it ever reaches
a section.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

from yomicast.article.digest import parse_digest, parse_digests
from yomicast.article.encoding import decode_bytes
from yomicast.article.markdown import parse_markdown
from yomicast.article.model import (
    ARTICLE_SUFFIXES,
    JST,
    MARKDOWN_SUFFIXES,
    TEXT_SUFFIXES,
    Article,
    Note,
    Section,
    Source,
    has_words,
    slugify,
)
from yomicast.errors import InputError
from yomicast.fsutil import read_regular, shown

__all__ = [
    "ARTICLE_SUFFIXES",
    "JST",
    "MARKDOWN_SUFFIXES",
    "TEXT_SUFFIXES",
    "Article",
    "Note",
    "Section",
    "Source",
    "decode_bytes",
    "find_articles",
    "parse_digest",
    "parse_digests",
    "parse_markdown",
    "read_article",
    "read_articles",
    "slugify",
]


DEFAULT_MAX_MB = 4.0  # [limits] article_mb


def find_articles(folder: Path) -> list[Path]:
    """The article files of a folder, by name. Pipes, devices and links are listed too (not folders), so
    that reading them refuses them by name instead of passing over them in silence."""
    return sorted(
        p
        for p in folder.iterdir()
        if not p.is_dir()
        and p.suffix.lower() in ARTICLE_SUFFIXES - {""}
        and not p.name.startswith((".", "_"))
        and not p.stem.upper().startswith(("README", "LICENSE"))
    )


def read_articles(
    path: str | Path, max_mb: float = DEFAULT_MAX_MB, *, within: Path | None = None
) -> list[Article]:
    """Every article in one file (plain text or Markdown, any common Japanese encoding): one, or several
    when a text file holds several digests one after another. Only a regular file is read, and at most
    ``max_mb``; with ``within``, a symbolic link that leads out of that folder is refused."""
    path = Path(path)
    name = shown(path.name)
    limit = int(max_mb * 1_000_000)
    hint = "; split it, or raise [limits] article_mb in show.toml"
    data = read_regular(path, limit, within=within, too_large=f" for one article{hint}", name=name)
    text = decode_bytes(data, name)
    if path.suffix.lower() in MARKDOWN_SUFFIXES or text.startswith("---\n"):
        found = [parse_markdown(text, name)]
    else:
        found = parse_digests(text, name)
    articles = [dataclasses.replace(a, path=path) for a in found]
    for a in articles:
        if not any(has_words(s.text) or (s.heading and has_words(s.heading)) for s in a.sections):
            raise InputError(f"{name}: the article has no speakable text (only symbols or markup)")
    return articles


def read_article(path: str | Path, max_mb: float = DEFAULT_MAX_MB) -> Article:
    """The one article in a file; a file that holds several digests is an error here (see ``read_articles``)."""
    articles = read_articles(path, max_mb)
    if len(articles) > 1:
        raise InputError(
            f"{Path(path).name}: holds {len(articles)} digests, each with its own footer; "
            "yomicast build makes an episode of each"
        )
    return articles[0]
