"""A news page → the article a listener should hear: its headline, date, publisher and author, and a
Markdown body with the article's own headings, paragraphs and lists.

trafilatura does the extraction. A few small rules go around it, each for a failure seen on Japanese news
pages: boilerplate blocks are removed first by the words in their class and id (関連記事, ランキング and
share boxes are often inside the article element, where trafilatura keeps them) and by their headings;
the copyright and share lines it still lets through are dropped after; headings come out as ``##``
whatever their level; the title loses the site name ``<title>`` adds; the date is the article's own
(structured data first, a linked story's date never); the publisher is a name, never a host."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from yomicast.errors import FetchError
from yomicast.fetch.boilerplate import OTHER_STORIES, strip_boilerplate
from yomicast.fetch.pagemeta import (
    JA_DATE,
    article_root,
    decode_page,
    ja_date,
    one_line,
    page_metadata,
    when_of,
)
from yomicast.settings import FetchSettings

__all__ = [
    "Hints",
    "Page",
    "clean_title",
    "decode_page",
    "extract_entry",
    "extract_page",
    "looks_like_host",
    "tidy_body",
]

#: A line that is not the article: copyright, sharing, reading prompts.
NOT_ARTICLE = re.compile(
    r"(^(©|\(c\)|copyright)|all rights reserved|無断(転載|複製)|^(この記事を)?(シェア|ツイート|ポスト)|"
    r"^(x|twitter|facebook|line|はてな)(で|に)(ポスト|シェア|送る)|^url\s*を?コピー|^(ログイン|会員登録)(して|はこちら))",
    re.IGNORECASE,
)
PAYWALL = re.compile(
    r"続きは(会員|有料|ログイン|登録)|(有料|会員)(会員)?限定|ログインして続きを|会員登録(して|で).{0,10}(読|閲覧)|"
    r"この記事は.{0,10}(会員|有料)|残り\d+文字|Cookie.{0,20}(同意|許可)|クッキー.{0,20}(同意|許可)"
)
#: Said where an article is cut off for non-members: the free part, however long, is not the article.
CUT_SHORT = re.compile(
    r"残り\d[\d,]*文字|この記事は(有料|会員限定|有料会員限定)(の)?記事です|有料会員になると(続き|全文)|"
    r"続きは(有料会員|会員登録|ログイン)|続きをお読みいただくには|全文を読むには(有料|会員)"
)
SEPARATORS = re.compile(
    r"\s*[|｜]\s*|\s+[-–—－]\s+|\s*[：:／]\s*|\s*[-–—]\s*(?=[^\s]*(ニュース|新聞|News)\b)"
)
SITE_WORDS = re.compile(
    r"(ニュース|新聞|日報|通信|放送|テレビ|デジタル|オンライン|タイムズ|news|times|online|yahoo|web)", re.I
)


@dataclass(frozen=True)
class Page:
    url: str
    title: str
    body: str  # Markdown: ## headings, paragraphs, - lists
    publisher: str | None
    published: dt.datetime | None
    author: str | None

    @property
    def body_chars(self) -> int:
        """Characters of paragraph and list text (headings not counted), without spaces."""
        return sum(
            len(re.sub(r"\s", "", line)) for line in self.body.splitlines() if not line.startswith("#")
        )


@dataclass(frozen=True)
class Hints:
    """What a feed entry says about the page it links to."""

    title: str | None = None
    published: dt.datetime | None = None
    author: str | None = None
    site: str | None = None  # the feed's own title


def extract_page(
    html: str, url: str, hints: Hints | None = None, *, min_chars: int = FetchSettings.min_chars
) -> Page:
    """The article in ``html``, or FetchError when the page holds no article (too short: a teaser, a
    paywall, a cookie wall or an index page)."""
    import lxml.html
    import trafilatura

    hints = hints or Hints()
    try:
        tree = lxml.html.document_fromstring(html)
    except (ValueError, lxml.etree.ParserError):
        raise FetchError(f"{url}: not an HTML page") from None
    meta = page_metadata(tree)
    found = trafilatura.extract_metadata(tree, default_url=url)
    site_names = [
        n for n in (meta.get("site"), meta.get("publisher"), found.sitename if found else None) if n
    ]
    title, suffix = clean_title(
        meta.get("headline")
        or meta.get("og:title")
        or hints.title
        or meta.get("title")
        or (found.title if found else None)
        or "",
        h1=meta.get("h1"),
        sites=site_names,
    )
    if not title:
        raise FetchError(f"{url}: the page has no title; not an article", lasting=True)

    whole_text = re.sub(r"\s", "", tree.text_content())
    article_text = re.sub(r"\s", "", article_root(tree).text_content())
    strip_boilerplate(tree)
    body_md = trafilatura.extract(
        tree,
        url=url,
        output_format="markdown",
        include_formatting=True,
        include_links=False,
        include_images=False,
        include_tables=True,
        include_comments=False,
        favor_recall=True,  # precision drops subheadings inside the article body; boilerplate went above
        deduplicate=False,
    )
    body = tidy_body(body_md or "", title, drop=[n for n in (*site_names, meta.get("author")) if n])
    published = (
        when_of(meta.get("datePublished"))
        or when_of(meta.get("article:published_time"))
        or hints.published
        or when_of(meta.get("time"))
        or ja_date(meta.get("date_text"))
        or when_of(found.date if found else None)
    )
    publisher = next(
        (
            n
            for n in (
                meta.get("site"),
                meta.get("publisher"),
                suffix,
                found.sitename if found else None,
                _site_of(hints.site),
            )
            if n and not looks_like_host(n)
        ),
        None,
    )
    author = meta.get("author") or hints.author or (found.author if found else None)
    if author and publisher and (author in publisher or publisher in author):
        author = None  # a feed's dc:creator is often the site itself, not a writer
    page = Page(url, title, body, publisher, published, _short(author))
    if page.body_chars >= min_chars and CUT_SHORT.search(article_text):  # a long free part is still a part
        raise FetchError(f"{url}: only the start of the article: the rest is for members", lasting=True)
    if page.body_chars < min_chars:
        if PAYWALL.search(whole_text) or PAYWALL.search(body):
            raise FetchError(f"{url}: only a teaser: the rest is for members or behind a wall", lasting=True)
        raise FetchError(
            f"{url}: {page.body_chars} characters of text, under the {min_chars} an article has "
            "(a teaser, a cookie wall or an index page?)",
            lasting=True,
        )
    return page


def extract_entry(html: str, url: str, hints: Hints, *, min_chars: int = FetchSettings.min_chars) -> Page:
    """An article a feed carries whole (``content:encoded``): its HTML body, with the entry's metadata."""
    from html import escape

    title = escape(hints.title or "")
    page = f"<html><head><title>{title}</title></head><body><article><h1>{title}</h1>{html}</article></body></html>"
    return extract_page(page, url, hints, min_chars=min_chars)


# -- the rules ----------------------------------------------------------------------------------------


def clean_title(raw: str, *, h1: str | None = None, sites: list[str] | None = None) -> tuple[str, str | None]:
    """The headline without the site name that ``<title>`` tacks on, and that site name (or None).
    ``… | 東邦新聞`` → ``…``; ``…：みなと日報`` → ``…``; ``… - Yahoo!ニュース`` → ``…``."""
    title = one_line(raw)
    if h1 and title != h1 and title.startswith(h1) and len(h1) >= 6:
        rest = SEPARATORS.sub("", title[len(h1) :], count=1).strip()
        return h1, rest or None
    matches = list(SEPARATORS.finditer(title))
    if not matches:
        return title, None
    last = matches[-1]
    head, tail = title[: last.start()].strip(), title[last.end() :].strip()
    known = [s for s in (sites or []) if s]
    is_site = any(tail in s or s in tail for s in known) or (SITE_WORDS.search(tail) and len(tail) <= 20)
    if is_site and len(head) >= 6:
        head = clean_title(head, h1=h1, sites=sites)[0]
        # An aggregator names the original in brackets: "…（みなと日報） - Yahoo!ニュース".
        provider = re.search(r"[（(]([^（）()]{2,15})[）)]$", head)
        if provider and (
            provider.group(1) in known
            or SITE_WORDS.search(provider.group(1))
            or re.search(r"(新聞|日報|通信|放送)", provider.group(1))
        ):
            head = head[: provider.start()].rstrip()
        return head, tail
    return title, None


def tidy_body(markdown: str, title: str, drop: list[str] | None = None) -> str:
    """trafilatura's Markdown, cleaned: the title, non-article lines and lines that are only a name in
    ``drop`` (the site's, the author's) dropped, headings as ``##``, list items as ``- ``, one blank line
    between blocks."""
    names = set(drop or ())
    blocks: list[str] = []
    for raw in markdown.splitlines():
        line = raw.strip()
        if not line:
            continue
        heading = re.match(r"^(#{1,6})\s+(.*)", line) or _BRACKET_HEADING.fullmatch(line)
        text = re.sub(
            r"[*_`]+",
            "",
            (heading.group(2) or heading.group(3) or "")
            if heading
            else re.sub(r"^([-*+]|\d+[.)])\s+", "", line),
        ).strip()
        if (
            not text
            or text == title
            or text in names
            or NOT_ARTICLE.search(text)
            or _only_a_date(text)
            or BYLINE.fullmatch(text)
            or (len(text) <= 20 and OTHER_STORIES.match(text) and not text.endswith("。"))
        ):
            continue
        if heading:
            text = text.lstrip("■□◆◇●○▼▽▲△★☆◎・").strip()  # a decoration, not a word to read
            if text and text != title:
                blocks.append(f"## {text}")
        elif re.match(r"^([-*+]|\d+[.)])\s+", line):
            blocks.append(f"- {text}")
        else:
            blocks.append(text)
    # A heading with nothing under it (a box whose list was removed) goes too.
    kept = [
        b
        for k, b in enumerate(blocks)
        if not (b.startswith("## ") and (k + 1 == len(blocks) or blocks[k + 1].startswith("## ")))
    ]
    out: list[str] = []
    for block in kept:
        if out and not (block.startswith("- ") and out[-1].startswith("- ")):
            out.append("")
        out.append(block)
    return "\n".join(out) + "\n" if out else ""


#: A subheading written as text: 【観光地別の状況】 or ■新幹線に影響 on a line of its own, with no full stop.
_BRACKET_HEADING = re.compile(r"()(?:【([^【】。]{2,30})】|[■◆●▼]\s*([^。]{2,30}))")
#: A line that is only a name in brackets: a byline (（佐藤真一）) or a wire credit (（共同）, （時事）).
BYLINE = re.compile(r"[（(][^（）()。、]{1,15}[）)]")


def _only_a_date(text: str) -> bool:
    """``2026年11月30日 18時05分``, ``2026/11/30 18:05 更新``: a dateline, not a sentence."""
    match = JA_DATE.search(text)
    return (
        bool(match)
        and len(text) <= 40
        and len(JA_DATE.sub("", text).strip(" ()（）更新公開配信投稿掲載")) <= 4
    )


def looks_like_host(name: str) -> bool:
    """``www.example.co.jp``, ``127.0.0.1``, ``[::1]``, ``example.com:8080``: a host, not a name."""
    name = name.strip().lower()
    return bool(
        re.fullmatch(r"(https?://)?[\w.-]+\.[a-z]{2,}(:\d+)?/?|[\d.:\[\]]+|localhost(:\d+)?", name, re.ASCII)
    )


def _site_of(feed_title: str | None) -> str | None:
    """A feed called ``東邦新聞デジタル 経済`` is the site ``東邦新聞デジタル``."""
    if not feed_title:
        return None
    return re.split(r"\s+[-|｜:：]?\s*", feed_title.strip(), maxsplit=1)[0] or None


def _short(value: str | None) -> str | None:
    return value[:200] if value else None
