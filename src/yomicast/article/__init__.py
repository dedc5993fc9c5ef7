"""Reading an article file into a title, its source and its headed sections.

Two input forms are understood (``digest`` and ``markdown``); the encoding is detected (``encoding``), so a
Shift_JIS file gives the same ``Article`` as its UTF-8 twin. The footer is metadata: none of it ever reaches
a section.
"""

from __future__ import annotations

import unicodedata
from pathlib import Path

from yomicast.article.digest import parse_digest
from yomicast.article.encoding import decode_bytes
from yomicast.article.markdown import parse_markdown
from yomicast.article.model import (
    ARTICLE_SUFFIXES,
    JST,
    MARKDOWN_SUFFIXES,
    TEXT_SUFFIXES,
    Article,
    Section,
    Source,
    slugify,
)
from yomicast.errors import InputError

__all__ = [
    "ARTICLE_SUFFIXES",
    "JST",
    "MARKDOWN_SUFFIXES",
    "TEXT_SUFFIXES",
    "Article",
    "Section",
    "Source",
    "decode_bytes",
    "parse_digest",
    "parse_markdown",
    "read_article",
    "slugify",
]


def read_article(path: str | Path) -> Article:
    """Read one article file (plain text or Markdown, any common Japanese encoding)."""
    path = Path(path)
    name = path.name
    if not path.exists():
        raise InputError(f"{path}: no such file")
    if path.is_dir():
        raise InputError(f"{path}: is a folder; give one article file")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"{path}: cannot read the file ({exc.strerror})") from None
    text = decode_bytes(data, name)
    if path.suffix.lower() in MARKDOWN_SUFFIXES or text.lstrip("\ufeff").startswith("---\n"):
        article = parse_markdown(text, name)
    else:
        article = parse_digest(text, name)
    article = Article(
        title=article.title,
        sections=article.sections,
        source=article.source,
        description=article.description,
        path=path,
    )
    if not any(_speakable(s.text) or (s.heading and _speakable(s.heading)) for s in article.sections):
        raise InputError(f"{name}: the article has no speakable text (only symbols or markup)")
    return article


def _speakable(text: str) -> bool:
    return any(unicodedata.category(c)[0] in "LN" for c in text)
