"""What a page says about itself: its encoding (``decode_page``), its structured data, Open Graph and
``<meta>`` fields, its visible headline and date (``page_metadata``), and dates written the Japanese way."""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any

from yomicast.article.model import JST

JA_DATE = re.compile(r"(20\d\d)[年/.-](\d{1,2})[月/.-](\d{1,2})日?(?:\D{0,6}?(\d{1,2})[時:](\d{2}))?")
ARTICLE_TYPES = {"NewsArticle", "Article", "BlogPosting", "ReportageNews", "AnalysisNewsArticle", "Report"}


def page_metadata(tree: Any) -> dict[str, Any]:
    """Structured data (JSON-LD), Open Graph and the visible headline, byline and date, from the page
    before anything is removed."""
    meta: dict[str, Any] = {}
    for script in tree.iter("script"):
        if (script.get("type") or "").lower() != "application/ld+json" or not script.text:
            continue
        if len(script.text) > 200_000:
            continue
        try:
            data = json.loads(script.text)
        except ValueError:
            continue
        for item in _ld_items(data):
            types = item.get("@type")
            types = set(types) if isinstance(types, list) else {types}
            if types & ARTICLE_TYPES:
                meta.setdefault("headline", _text(item.get("headline")))
                meta.setdefault("datePublished", _text(item.get("datePublished")))
                meta.setdefault("author", _names(item.get("author")))
                meta.setdefault("publisher", _names(item.get("publisher")))
            elif types & {"WebSite", "NewsMediaOrganization", "Organization"} and item.get("name"):
                meta.setdefault("site_ld", _text(item.get("name")))
    for el in tree.iter("meta"):
        key = (el.get("property") or el.get("name") or "").lower()
        value = one_line(el.get("content") or "")
        if not value:
            continue
        if key in ("og:title", "twitter:title"):
            meta.setdefault("og:title", value)
        elif key in ("og:site_name", "application-name"):
            meta.setdefault("site", value)
        elif key in ("article:published_time", "pubdate", "publishdate", "date", "dc.date", "dc.date.issued"):
            meta.setdefault("article:published_time", value)
        elif key in ("author", "article:author", "byl", "dc.creator") and not value.startswith("http"):
            meta.setdefault("author", value)
    if not meta.get("site") and meta.get("site_ld"):
        meta["site"] = meta["site_ld"]
    meta = {k: v for k, v in meta.items() if v}
    title = tree.find(".//title")
    if title is not None and title.text:
        meta["title"] = one_line(title.text)
    h1 = next((el for el in tree.iter("h1") if one_line(el.text_content())), None)
    if h1 is not None:
        meta["h1"] = one_line(h1.text_content())
    scope = article_root(tree)
    time_el = next((el for el in scope.iter("time") if el.get("datetime")), None)
    if time_el is not None:
        meta["time"] = time_el.get("datetime")
    # A date written in the text near the headline: the first one after the h1, in the article's scope.
    text = one_line(scope.text_content())[:3000]
    if h1 is not None and meta["h1"] in text:
        text = text[text.index(meta["h1"]) :]
    match = JA_DATE.search(text[:400])
    if match:
        meta["date_text"] = match
    return meta


def article_root(tree: Any) -> Any:
    for path in (
        './/*[@itemprop="articleBody"]/..',
        ".//article",
        ".//main",
        './/*[@id="main"]',
        './/*[@role="main"]',
    ):
        found = tree.find(path)
        if found is not None:
            return found
    return tree


def _ld_items(data: Any) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    stack = [data]
    while stack and len(items) < 100:
        item = stack.pop()
        if isinstance(item, list):
            stack.extend(item[:50])
        elif isinstance(item, dict):
            items.append(item)
            if isinstance(item.get("@graph"), list):
                stack.extend(item["@graph"][:50])
    return items


def _text(value: Any) -> str | None:
    if isinstance(value, list) and value:
        value = value[0]
    return one_line(value) if isinstance(value, str) and value.strip() else None


def _names(value: Any) -> str | None:
    values = value if isinstance(value, list) else [value]
    names = [v.get("name") if isinstance(v, dict) else v for v in values[:5]]
    kept = [one_line(n) for n in names if isinstance(n, str) and n.strip() and not n.startswith("http")]
    return "、".join(dict.fromkeys(kept)) or None


def when_of(value: Any) -> dt.datetime | None:
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip().replace("Z", "+00:00")
    try:
        when = dt.datetime.fromisoformat(text)
    except ValueError:
        match = JA_DATE.search(text)
        return ja_date(match) if match else None
    if when.year < 1990 or when.year > dt.date.today().year + 1:
        return None
    return when if when.tzinfo else when.replace(tzinfo=JST)


def ja_date(match: re.Match[str] | None) -> dt.datetime | None:
    if match is None:
        return None
    year, month, day, hour, minute = match.groups()
    try:
        return dt.datetime(int(year), int(month), int(day), int(hour or 6), int(minute or 0), tzinfo=JST)
    except ValueError:
        return None


def one_line(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("\u3000", " ")).strip()


#: Names pages give their encoding → the codec that decodes what they really send (Windows supersets).
_CODECS = {
    "shift_jis": "cp932",
    "shift-jis": "cp932",
    "sjis": "cp932",
    "x-sjis": "cp932",
    "windows-31j": "cp932",
    "ms_kanji": "cp932",
    "euc-jp": "euc_jis_2004",
    "x-euc-jp": "euc_jis_2004",
    "iso-8859-1": "cp1252",
}
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)


def decode_page(body: bytes, content_type: str = "") -> str:
    """A page's text, in this order of trust: the charset of the Content-Type header, the page's own
    ``<meta charset>``, then detection (charset-normalizer)."""
    import codecs

    import charset_normalizer

    if body.startswith(b"\xef\xbb\xbf"):
        return body[3:].decode("utf-8", errors="replace")
    header = re.search(r"charset\s*=\s*[\"']?([\w.:-]+)", content_type or "", re.I)
    meta = _META_CHARSET.search(body[:4096])
    for name in (header.group(1) if header else None, meta.group(1).decode("ascii") if meta else None):
        if not name:
            continue
        codec = _CODECS.get(name.lower(), name)
        try:
            codecs.lookup(codec)
        except LookupError:
            continue
        return body.decode(codec, errors="replace")
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        pass
    best = charset_normalizer.from_bytes(body[:200_000]).best()
    encoding = _CODECS.get(
        (best.encoding if best else "utf-8").replace("_", "-"), best.encoding if best else "utf-8"
    )
    return body.decode(encoding, errors="replace")
