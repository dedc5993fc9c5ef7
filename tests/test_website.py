"""The show's website as written by a build: what each page carries, read back with an HTML parser, and
that nothing from an article or show.toml can run as markup or script."""

from __future__ import annotations

import json
from html.parser import HTMLParser
from pathlib import Path

import pytest

from yomicast.show.build import build_show
from yomicast.show.website import page_name
from yomicast.speech.cache import SegmentCache
from yomicast.speech.engines.fake import FakeEngine

from .conftest import build_fake_show, published_file

BASE = "https://example.org/site/"


class Page(HTMLParser):
    """Every element with its attributes, and the text, of one page."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str]]] = []
        self.text: list[str] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, {k: v or "" for k, v in attrs}))

    def handle_data(self, data):
        self.text.append(data)

    def all(self, tag: str, **match: str) -> list[dict[str, str]]:
        return [a for t, a in self.elements if t == tag and all(a.get(k) == v for k, v in match.items())]

    def meta(self, key: str) -> str:
        found = [
            a["content"]
            for t, a in self.elements
            if t == "meta" and key in (a.get("property"), a.get("name"))
        ]
        assert len(found) == 1, key
        return found[0]


def read(out: Path, name: str) -> Page:
    return Page((out / name).read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    return build_fake_show(tmp_path_factory.mktemp("site"), ("small-digest.txt", "markdown-article.md"), BASE)


def test_every_page_has_language_autodiscovery_and_share_cards(site):
    for name in ("index.html", "small-digest.html", "markdown-article.html"):
        html = (site / name).read_text(encoding="utf-8")
        assert html.startswith('<!doctype html>\n<html lang="ja">')
        page = Page(html)
        (rss,) = page.all("link", rel="alternate")
        assert rss["type"] == "application/rss+xml" and rss["href"] == BASE + "feed.xml"
        assert page.meta("og:image") == BASE + "cover.jpg"
        assert page.meta("og:title") and page.meta("twitter:card") == "summary"
        assert page.meta("og:url").startswith(BASE)
        # scripts come from the site's own file only, and the policy forbids inline ones
        assert [s.get("src", "").split("?")[0] for s in page.all("script")] == ["site.js"]
        assert any("script-src 'self'" in a.get("content", "") for a in page.all("meta"))


def test_each_feed_item_links_to_its_page(site):
    import feedparser

    parsed = feedparser.parse((site / "feed.xml").read_bytes())
    links = sorted(entry.link for entry in parsed.entries)
    assert links == [BASE + "markdown-article.html", BASE + "small-digest.html"]
    assert parsed.feed.link == BASE  # the show's page
    assert all((site / link.removeprefix(BASE)).is_file() for link in links)


def test_the_index_offers_subscription_and_lists_episodes_newest_first(site):
    page = read(site, "index.html")
    (field,) = page.all("input", id="feed-url")
    assert field["value"] == BASE + "feed.xml" and "readonly" in field
    assert page.all("label", **{"for": "feed-url"}) and page.all("button", **{"data-copy": "feed-url"})
    apps = [a["href"] for a in page.all("a")]
    assert any(h.startswith("podcast://example.org/site/feed.xml") for h in apps)
    assert any(h.startswith("overcast://x-callback-url/add?url=https%3A%2F%2Fexample.org") for h in apps)
    assert any(h.startswith("pktc://subscribe/example.org/site/feed.xml") for h in apps)
    assert any(h.startswith("https://antennapod.org/deeplink/subscribe?url=") for h in apps)
    episodes = [a["href"] for a in page.all("a") if a["href"].endswith(".html") and a["href"] != "index.html"]
    manifest = json.loads((site / "yomicast-manifest.json").read_text(encoding="utf-8"))["episodes"]
    newest = sorted(manifest.values(), key=lambda e: (e["published"], e["number"]), reverse=True)
    assert episodes[: len(newest)] == [page_name(e["slug"]) for e in newest]


def test_an_episode_page_has_the_player_chapters_and_a_timed_transcript(site):
    page = read(site, "small-digest.html")
    (audio,) = page.all("audio")
    assert audio["src"] == published_file(site, "small-digest").name and "controls" in audio
    chapters = json.loads(published_file(site, "small-digest", ".chapters.json").read_text(encoding="utf-8"))
    seek = [float(b["data-start"]) for b in page.all("button", **{"class": "seek"})]
    assert seek == [c["startTime"] for c in chapters["chapters"]]
    transcript = json.loads(
        published_file(site, "small-digest", ".transcript.json").read_text(encoding="utf-8")
    )
    cues = [float(p["data-start"]) for p in page.all("p", **{"class": "cue"})]
    assert cues == [s["startTime"] for s in transcript["segments"]] and len(cues) > 5
    text = "".join(page.text)
    assert all(s["body"] in text for s in transcript["segments"])
    downloads = {a["href"] for a in page.all("a") if "download" in a}
    assert published_file(site, "small-digest").name in downloads
    assert published_file(site, "small-digest", ".vtt").name in downloads
    md = read(site, "markdown-article.html")
    assert any(a["href"] == "https://www.example.org/news/2025/childcare" for a in md.all("a"))


HOSTILE_SHOW = """
[show]
title = "<script>window.__xss = 1</script>ショー"
description = "<img src=x onerror=\\"window.__xss = 2\\">説明"
author = "\\"><svg onload=alert(3)>"
base_url = "https://example.org/x/"
"""

HOSTILE_ARTICLE = """---
title: "<script>window.__xss = 4</script>見出し"
source_url: "javascript:window.__xss = 5"
publisher: "<b onmouseover=alert(6)>出版社</b>"
---

# 本文

<img src=x onerror="window.__xss = 7">という段落です。

## <script>alert(8)</script>節

- </p><script>alert(9)</script>の項目です。
"""


def hostile_site(root: Path) -> Path:
    folder = root / "show"
    folder.mkdir()
    (folder / "show.toml").write_text(HOSTILE_SHOW, encoding="utf-8")
    (folder / "evil.md").write_text(HOSTILE_ARTICLE, encoding="utf-8")
    out = root / "public"
    build_show(folder, out, cache=SegmentCache(root / "cache"), engine=FakeEngine())
    return out


def test_no_article_or_show_text_becomes_markup(tmp_path):
    out = hostile_site(tmp_path)
    for name in ("index.html", "evil.html"):
        html = (out / name).read_text(encoding="utf-8")
        page = Page(html)
        assert [a.get("src", "").split("?")[0] for a in page.all("script")] == ["site.js"]  # nothing else
        assert not page.all("img", src="x") and not page.all("svg") and not page.all("b")
        for _tag, attrs in page.elements:
            assert not any(k.startswith("on") for k in attrs), attrs
            assert not any(v.lower().startswith("javascript:") for v in attrs.values()), attrs
        assert "<script>window.__xss" not in html and "&lt;script&gt;" in html
