"""Feeds: RSS 2.0, RSS 1.0 (RDF, common on Japanese sites) and Atom, told apart from pages by their
content, read by feedparser (which is only ever given bytes, so it never fetches anything itself)."""

from __future__ import annotations

import calendar
import datetime as dt
import re
import xml.sax
from dataclasses import dataclass

from yomicast.errors import FetchError

_ROOT = re.compile(rb"<(rss|feed|rdf:RDF|RDF)[\s>]")


@dataclass(frozen=True)
class Entry:
    guid: str
    link: str
    title: str
    published: dt.datetime | None
    author: str | None
    content: str | None  # the whole article as HTML, when the feed carries it (content:encoded)


@dataclass(frozen=True)
class Feed:
    title: str | None
    entries: tuple[Entry, ...]


def looks_like_feed(body: bytes) -> bool:
    """Whether ``body`` is a feed: its first element is rss, feed or rdf:RDF (after the XML declaration,
    comments and processing instructions), whatever the URL or the Content-Type say."""
    head = body[:4096].lstrip(b"\xef\xbb\xbf \t\r\n")
    head = re.sub(rb"<\?.*?\?>|<!--.*?-->|<!DOCTYPE[^>]*>", b"", head, flags=re.S).lstrip()
    return bool(_ROOT.match(head))


def parse_feed(body: bytes, url: str) -> Feed:
    import feedparser

    parsed = feedparser.parse(
        body,
        sanitize_html=True,
        resolve_relative_uris=True,
        response_headers={"content-location": url, "content-type": "application/xml"},
    )
    entries = []
    for item in parsed.entries[:1000]:
        link = _http(item.get("link")) or _http(item.get("id"))
        if not link:
            continue
        content = None
        for part in item.get("content") or []:
            if "html" in (part.get("type") or "") and part.get("value"):
                content = part["value"]
                break
        stamp = item.get("published_parsed") or item.get("updated_parsed")
        published = dt.datetime.fromtimestamp(calendar.timegm(stamp), dt.UTC) if stamp else None
        entries.append(
            Entry(
                guid=str(item.get("id") or link)[:2000],
                link=link,
                title=re.sub(r"\s+", " ", item.get("title") or "").strip(),
                published=published,
                author=(item.get("author") or None),
                content=content,
            )
        )
    broken = isinstance(parsed.get("bozo_exception"), xml.sax.SAXException)
    if not entries and (broken or not parsed.get("version")):
        problem = parsed.get("bozo_exception")
        reason = getattr(problem, "getMessage", lambda: str(problem or ""))() or "not a feed"
        raise FetchError(f"{url}: the feed does not parse ({str(reason)[:120]})", lasting=False)
    title = parsed.feed.get("title") or None
    return Feed(title=re.sub(r"\s+", " ", title).strip() if title else None, entries=tuple(entries))


def _http(value: object) -> str | None:
    return value if isinstance(value, str) and re.match(r"https?://[^\s/]+", value) else None
