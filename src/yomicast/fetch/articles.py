"""A fetched page → an article file in the folder: Markdown with the front matter the credit needs, named
by its date and a slug, written whole and never over a file that is there."""

from __future__ import annotations

import datetime as dt
import os
import re
import tempfile
from pathlib import Path
from urllib.parse import unquote, urlsplit

from yomicast.article.model import JST, slugify
from yomicast.errors import OutputError
from yomicast.fetch.extract import Page

#: URL path words that say nothing about the article; the title names the file instead.
GENERIC_SLUGS = frozenset(
    [
        "index",
        "article",
        "articles",
        "detail",
        "details",
        "story",
        "news",
        "entry",
        "post",
        "page",
        "show",
        "view",
        "html",
        "amp",
    ]
)


def article_markdown(page: Page, fetched: dt.datetime) -> str:
    """The article file: YAML front matter with what the credit needs, then the Markdown body."""
    import yaml

    meta = {
        "title": page.title[:300],
        "source_title": page.title[:300],
        "publisher": page.publisher[:200] if page.publisher else None,
        "source_url": page.url[:2000],
        "published": page.published.astimezone(JST).isoformat() if page.published else None,
        "author": page.author,
        "fetched": fetched.isoformat(),
    }
    front = yaml.safe_dump(
        {k: v for k, v in meta.items() if v}, allow_unicode=True, sort_keys=False, width=1000
    )
    return f"---\n{front}---\n\n{page.body}"


def file_stem(page: Page, now: dt.datetime) -> str:
    """``2026-12-01-wages``: the article's date (in Japan) and a slug from its URL, or its title when the
    URL's last part says nothing (``index``, a number, a hash)."""
    day = (page.published or now).astimezone(JST).date().isoformat()
    last = unquote(urlsplit(page.url).path.rstrip("/").rsplit("/", 1)[-1])
    last = re.sub(r"\.(s?html?|php|aspx?|jsp|cgi)$", "", last, flags=re.I).lower()
    readable = (
        re.fullmatch(r"[a-z][a-z0-9]*([-_][a-z0-9]+)*", last)
        and last not in GENERIC_SLUGS
        and len(last) <= 60
        and not re.fullmatch(r"[0-9a-f]{16,}", last)
    )
    slug = last.replace("_", "-") if readable else slugify(page.title)[:40].strip("-.")
    return f"{day}-{slug or 'article'}"


def write_new(folder: Path, stem: str, text: str, url: str) -> str:
    """Write ``text`` to a new file STEM.md (STEM-2.md … when taken), never replacing one: the file is
    written whole under a temporary name, then linked into place, which fails when the name exists. A
    file of that name from the same ``source_url`` is this article already (the state was lost, or the
    fetch killed before it saved it): it is kept as it is, edits and all."""
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=".fetch-", suffix=".part")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        os.chmod(tmp, 0o644)
        for n in range(1, 100):
            name = f"{stem}.md" if n == 1 else f"{stem}-{n}.md"
            try:
                os.link(tmp, folder / name)
            except FileExistsError:
                if source_url(folder / name) == url:
                    return name
                continue
            return name
        raise OutputError(f"{folder}: 99 files named {stem}…; not written")
    except OSError as exc:
        raise OutputError(f"cannot write into {folder}: {exc.strerror or exc}") from None
    finally:
        Path(tmp).unlink(missing_ok=True)


def source_url(path: Path) -> str | None:
    """The ``source_url`` of an article file, read as ``build`` reads it (a regular file inside its
    folder, bounded, front matter without aliases), or None when it has none or cannot be read."""
    from yomicast.article import read_articles
    from yomicast.errors import InputError

    try:
        articles = read_articles(path, within=path.parent)
    except InputError:
        return None
    return articles[0].source.url if len(articles) == 1 else None
