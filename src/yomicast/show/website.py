"""The show's website, written by ``yomicast build`` next to the feed: ``index.html`` (the show, how to
subscribe, the episodes) and ``<slug>.html`` per episode (player, chapters, notes, a transcript that
follows playback). Static files only, templates in ``web/`` rendered by Jinja2 with autoescaping on, a few
kilobytes of hand-written CSS and JavaScript, and a Content-Security-Policy that allows no inline script.

An episode just made has its page made from the build's own timeline; an unchanged one's from what it
published (the manifest entry, the chapters JSON and the JSON transcript, verified by their digests), at
the same precision, so its page is rewritten only when its bytes change.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from yomicast.errors import OutputError
from yomicast.script.credits import voice_credit_text
from yomicast.show.config import Show
from yomicast.show.files import EPISODE_KINDS
from yomicast.show.manifest import Entry

if TYPE_CHECKING:
    from yomicast.audio.timeline import Timeline

WEB = Path(__file__).parent / "web"
ASSETS = ("site.css", "site.js")
#: slugs whose page would take the name of another file of the site
RESERVED = frozenset({"index", "feed", "site", "cover", "404"})


def page_name(slug: str) -> str:
    """The episode page of ``slug``: ``slug.html``, or ``slug-episode.html`` when that name is the site's
    own (``index``) or could be another reserved name's page (``index-episode`` → ``index-episode-episode``),
    so no two slugs share a page."""
    base = slug
    while base.endswith("-episode"):
        base = base[: -len("-episode")]
    return f"{slug}-episode.html" if base in RESERVED else f"{slug}.html"


def clock(seconds: float) -> str:
    s = int(seconds)
    return f"{s // 3600}:{s // 60 % 60:02d}:{s % 60:02d}" if s >= 3600 else f"{s // 60}:{s % 60:02d}"


def duration_ja(seconds: int) -> str:
    m, s = divmod(int(seconds), 60)
    return f"{m}分{s}秒" if m else f"{s}秒"


def web_link(url: str | None) -> str | None:
    """Only http(s) links reach a page: an article's ``javascript:`` URL is dropped, not escaped."""
    return url if url and url.lower().startswith(("http://", "https://")) else None


def subscribe_links(feed_url: str) -> list[dict[str, str]]:
    """Each app's documented way to subscribe to a feed by its URL."""
    bare = feed_url.split("://", 1)[-1]
    encoded = quote(feed_url, safe="")
    return [
        {"name": "Apple Podcasts", "href": f"podcast://{bare}"},
        {"name": "Pocket Casts", "href": f"pktc://subscribe/{bare}"},
        {"name": "Overcast", "href": f"overcast://x-callback-url/add?url={encoded}"},
        {"name": "AntennaPod", "href": f"https://antennapod.org/deeplink/subscribe?url={encoded}"},
    ]


@dataclass(frozen=True)
class PageText:
    """What an episode page shows of its timeline: chapters (title, start) and lines (start, text,
    chapter), at the precision the JSON files carry, so a page made from either is the same bytes."""

    chapters: tuple[tuple[str, float], ...]
    lines: tuple[tuple[float, str, int], ...]

    @classmethod
    def of(cls, timeline: Timeline) -> PageText:
        return cls(
            tuple((c.title, round(c.start, 3)) for c in timeline.chapters),
            tuple((round(ln.start, 3), ln.text, ln.chapter) for ln in timeline.lines),
        )

    @classmethod
    def published(cls, out: Path, entry: Entry) -> PageText:
        def doc(ext: str, key: str) -> list[Any]:
            name = entry.file(ext)
            if name not in entry.files:  # an entry from an older build may lack the JSON transcript
                return []
            try:
                items = json.loads((out / name).read_text(encoding="utf-8"))[key]
                return [dict(item) for item in items]
            except (OSError, ValueError, KeyError, TypeError) as exc:
                raise OutputError(
                    f"{out / name}: cannot be read back ({exc}); delete it and build again (the episode is made anew)"
                ) from None

        return cls(
            tuple((c["title"], c["startTime"]) for c in doc(".chapters.json", "chapters")),
            tuple(
                (s["startTime"], s["body"], s.get("chapter", 0)) for s in doc(".transcript.json", "segments")
            ),
        )


@dataclass
class Site:
    show: Show
    base: str  # the public URL of the output folder, ending in /
    feed_url: str
    cover_name: str
    out: Path

    @cached_property
    def env(self) -> Any:
        from jinja2 import Environment, FileSystemLoader, StrictUndefined

        return Environment(
            loader=FileSystemLoader(WEB),
            autoescape=True,
            undefined=StrictUndefined,
            keep_trailing_newline=True,
        )

    @cached_property
    def asset_version(self) -> str:
        digest = hashlib.sha256(b"".join((WEB / name).read_bytes() for name in ASSETS))
        return digest.hexdigest()[:10]

    def assets(self) -> dict[str, bytes]:
        return {name: (WEB / name).read_bytes() for name in ASSETS}

    def _common(self) -> dict[str, Any]:
        return {
            "show": self.show,
            "feed_url": self.feed_url,
            "cover": quote(self.cover_name),
            "cover_url": self.base + quote(self.cover_name),
            "asset_version": self.asset_version,
        }

    def _episode(self, entry: Entry) -> dict[str, Any]:
        published = dt.datetime.fromisoformat(entry.published)
        return {
            "title": entry.title,
            "page": quote(page_name(entry.slug)),
            "number": entry.number,
            "published_iso": published.isoformat(),
            "published_ja": f"{published.year}年{published.month}月{published.day}日",
            "duration_ja": duration_ja(entry.duration),
            "summary": entry.summary or entry.description.split("\n\n", 1)[0],
            "credit": entry.credit,
            "link": web_link(entry.link),
            "voice_credits": voice_credit_text(entry.voice_credits) or "",
            "mp3": quote(entry.file(".mp3")),
        }

    def episode_page(self, entry: Entry, text: PageText | None = None) -> bytes:
        """An episode's page; ``text``, its chapters and lines from the build's own timeline (an episode
        just made), else read from the chapters and transcript JSON it published (verified by the
        build's digests before pages are written)."""
        text = text or PageText.published(self.out, entry)
        chapters = [{"title": t, "start": start, "clock": clock(start)} for t, start in text.chapters]
        groups: list[dict[str, Any]] = []
        for start, body, n in text.lines:
            if not groups or groups[-1]["chapter"] != n:
                title = chapters[n]["title"] if 0 < n < len(chapters) - 1 else ""
                groups.append({"chapter": n, "title": title, "cues": []})
            groups[-1]["cues"].append({"start": start, "clock": clock(start), "text": body})
        downloads = [
            {"href": quote(name), "label": label, "size": _size(entry.files[name])}
            for label, name in ((k.title, entry.file(k.suffix)) for k in EPISODE_KINDS)
            if name in entry.files
        ]
        ep = self._episode(entry)
        meta = {
            "type": "article",
            "title": entry.title,
            "description": ep["summary"],
            "url": self.base + ep["page"],
            "audio": self.base + ep["mp3"],
        }
        html = self.env.get_template("episode.html").render(
            **self._common(), ep=ep, chapters=chapters, cues=groups, downloads=downloads, meta=meta
        )
        return html.encode("utf-8")

    def index_page(self, entries: list[Entry]) -> bytes:
        newest = sorted(entries, key=lambda e: (e.published, e.number), reverse=True)
        meta = {
            "type": "website",
            "title": self.show.title,
            "description": self.show.description,
            "url": self.base,
            "audio": None,
        }
        html = self.env.get_template("index.html").render(
            **self._common(),
            episodes=[self._episode(e) for e in newest],
            apps=subscribe_links(self.feed_url),
            meta=meta,
        )
        return html.encode("utf-8")


def _size(n: int) -> str:
    return f"{n / 1_000_000:.1f} MB" if n >= 1_000_000 else f"{max(1, round(n / 1000))} KB"
