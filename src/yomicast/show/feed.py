"""The podcast feed: RSS 2.0 with the itunes and Podcasting 2.0 namespaces, written by feedgen.

feedgen's podcast extension covers the itunes tags except Apple's current ``itunes:explicit`` form
(``true``/``false``; feedgen accepts only yes/no/clean), and feedgen has no Podcast Index namespace, so both
come from the small extensions registered here.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from dataclasses import dataclass, field
from typing import Any

from feedgen.ext.base import BaseEntryExtension, BaseExtension
from feedgen.feed import FeedGenerator
from feedgen.util import xml_elem

from yomicast.show.config import Show

ITUNES_NS = "http://www.itunes.com/dtds/podcast-1.0.dtd"
PODCAST_NS = "https://podcastindex.org/namespace/1.0"
UNTITLED = "無題"
PODCAST_GUID_NAMESPACE = uuid.UUID("ead4c236-bf58-58c6-a2c6-a6b28d128cb6")


_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def xml_text(text: str) -> str:
    """Text a feed can carry: C0 and C1 control characters and lone surrogates dropped (the rest escapes)."""
    return _XML_INVALID.sub("", text)


def podcast_guid(feed_url: str) -> str:
    """podcast:guid: UUIDv5 of the feed URL without scheme and trailing slashes (Podcasting 2.0 spec)."""
    bare = feed_url.split("://", 1)[-1].rstrip("/")
    return str(uuid.uuid5(PODCAST_GUID_NAMESPACE, bare))


@dataclass(frozen=True)
class Transcript:
    url: str
    type: str  # text/vtt, application/srt
    language: str = "ja"


@dataclass(frozen=True)
class FeedEpisode:
    guid: str
    title: str
    description: str
    content_html: str
    url: str
    length: int  # bytes
    duration: int  # seconds
    published: dt.datetime  # timezone-aware
    number: int
    transcripts: tuple[Transcript, ...] = ()
    chapters_url: str | None = None
    link: str | None = None
    voice_credits: tuple[str, ...] = ()  # the credited voices, as podcast:person
    alternates: tuple[Alternate, ...] = ()  # other renditions: podcast:alternateEnclosure
    season: int | None = None


@dataclass(frozen=True)
class Alternate:
    url: str
    type: str  # MIME type, with codecs
    length: int
    bitrate: int  # bits per second
    title: str
    default: bool = False


class PodcastIndexExtension(BaseExtension):
    """Channel: podcast:guid, podcast:locked (and itunes:explicit in Apple's true/false form)."""

    def __init__(self) -> None:
        self.guid: str | None = None
        self.locked: bool | None = None
        self.owner: str | None = None
        self.explicit: bool | None = None
        self.medium: str | None = None
        self.author: str | None = None  # podcast:person, role author
        self.license: tuple[str, str | None] | None = None  # (identifier, url)
        self.update_frequency: tuple[str, str] | None = None  # (rrule, label)

    def extend_ns(self) -> dict[str, str]:
        return {"podcast": PODCAST_NS}

    def extend_rss(self, rss_feed: Any) -> Any:
        channel = rss_feed[0]
        if self.explicit is not None:
            xml_elem(f"{{{ITUNES_NS}}}explicit", channel).text = "true" if self.explicit else "false"
        if self.guid:
            xml_elem(f"{{{PODCAST_NS}}}guid", channel).text = self.guid
        if self.locked is not None:
            locked = xml_elem(f"{{{PODCAST_NS}}}locked", channel)
            locked.text = "yes" if self.locked else "no"
            if self.owner:
                locked.attrib["owner"] = self.owner
        if self.medium:
            xml_elem(f"{{{PODCAST_NS}}}medium", channel).text = self.medium
        if self.author:
            el = xml_elem(f"{{{PODCAST_NS}}}person", channel)
            el.attrib.update({"group": "writing", "role": "author"})
            el.text = xml_text(self.author)
        if self.license:
            el = xml_elem(f"{{{PODCAST_NS}}}license", channel)
            el.text = xml_text(self.license[0])
            if self.license[1]:
                el.attrib["url"] = self.license[1]
        if self.update_frequency:
            el = xml_elem(f"{{{PODCAST_NS}}}updateFrequency", channel)
            el.attrib["rrule"] = self.update_frequency[0]
            el.text = self.update_frequency[1]
        return rss_feed


class PodcastIndexEntryExtension(BaseEntryExtension):
    """Item: podcast:transcript (one per format), podcast:chapters, podcast:person for each voice,
    podcast:episode and podcast:season, and podcast:alternateEnclosure for each rendition."""

    def __init__(self) -> None:
        self.transcripts: list[Transcript] = []
        self.chapters: str | None = None
        self.voice_credits: list[str] = []
        self.episode: int | None = None
        self.season: int | None = None
        self.alternates: list[Alternate] = []

    def extend_rss(self, entry: Any) -> Any:
        for t in self.transcripts:
            el = xml_elem(f"{{{PODCAST_NS}}}transcript", entry)
            el.attrib.update({"url": t.url, "type": t.type, "language": t.language})
        if self.chapters:
            el = xml_elem(f"{{{PODCAST_NS}}}chapters", entry)
            el.attrib.update({"url": self.chapters, "type": "application/json+chapters"})
        for voice in self.voice_credits:
            el = xml_elem(f"{{{PODCAST_NS}}}person", entry)
            el.attrib.update({"group": "cast", "role": "narrator"})  # the voice that reads the news
            el.text = xml_text(voice)
        if self.season is not None:
            xml_elem(f"{{{PODCAST_NS}}}season", entry).text = str(self.season)
        if self.episode is not None:
            xml_elem(f"{{{PODCAST_NS}}}episode", entry).text = str(self.episode)
        for alt in self.alternates:
            el = xml_elem(f"{{{PODCAST_NS}}}alternateEnclosure", entry)
            el.attrib.update(
                {"type": alt.type, "length": str(alt.length), "bitrate": str(alt.bitrate), "title": alt.title}
            )
            if alt.default:
                el.attrib["default"] = "true"
            xml_elem(f"{{{PODCAST_NS}}}source", el).attrib["uri"] = alt.url
        return entry


@dataclass
class FeedInfo:
    feed_url: str
    cover_url: str
    link: str
    updated: dt.datetime
    episodes: list[FeedEpisode] = field(default_factory=list)


def render_feed(show: Show, info: FeedInfo) -> bytes:
    """The feed as UTF-8 XML bytes; the same inputs give the same bytes (lastBuildDate is ``updated``)."""
    fg = FeedGenerator()
    fg.load_extension("podcast")
    fg.register_extension("podcastindex", PodcastIndexExtension, PodcastIndexEntryExtension)
    fg.title(xml_text(show.title).strip() or "yomicast")
    # feedgen takes the last link it is given for RSS's <link>: self first, the site last.
    fg.link(href=info.feed_url, rel="self", type="application/rss+xml")
    fg.link(href=info.link, rel="alternate")
    description = xml_text(show.description).strip() or xml_text(show.title).strip() or "yomicast"
    fg.description(description)
    fg.language(show.language)
    fg.generator("yomicast")
    fg.lastBuildDate(info.updated)
    fg.image(url=info.cover_url, title=xml_text(show.title).strip() or "yomicast", link=info.link)
    if show.owner_email:
        fg.managingEditor(f"{show.owner_email} ({show.owner_name or show.author})")
    pod = fg.podcast
    pod.itunes_author(xml_text(show.author))
    if show.owner_email:
        pod.itunes_owner(name=xml_text(show.owner_name or show.author), email=show.owner_email)
    pod.itunes_image(info.cover_url)
    pod.itunes_category(show.category, show.subcategory)
    pod.itunes_type(show.show_type)
    pod.itunes_summary(description)
    ext = fg.podcastindex
    ext.explicit = show.explicit
    ext.guid = podcast_guid(info.feed_url)
    ext.locked = True
    ext.owner = show.owner_email
    ext.medium = show.medium
    ext.author = show.author
    if show.license:
        ext.license = (show.license, show.license_url)
    if show.update_frequency:
        from yomicast.show.config import FREQUENCIES

        ext.update_frequency = FREQUENCIES.get(
            show.update_frequency.lower(), (show.update_frequency.upper(), show.update_frequency)
        )

    for ep in sorted(info.episodes, key=lambda e: (e.published, e.number), reverse=True):
        fe = fg.add_entry(order="append")
        fe.guid(ep.guid, permalink=False)
        fe.title(xml_text(ep.title).strip() or UNTITLED)
        fe.description(xml_text(ep.description).strip() or xml_text(ep.title).strip() or UNTITLED)
        fe.content(xml_text(ep.content_html).replace("]]>", "]]&gt;"), type="CDATA")
        fe.enclosure(ep.url, str(ep.length), "audio/mpeg")
        fe.pubDate(ep.published)
        if ep.link:
            fe.link(href=ep.link)
        fe.podcast.itunes_duration(ep.duration)
        fe.podcast.itunes_episode(ep.number)
        fe.podcast.itunes_episode_type("full")
        fe.podcastindex.transcripts = list(ep.transcripts)
        fe.podcastindex.chapters = ep.chapters_url
        fe.podcastindex.voice_credits = list(ep.voice_credits)
        fe.podcastindex.episode = ep.number
        fe.podcastindex.season = ep.season
        if ep.season is not None:
            fe.podcast.itunes_season(ep.season)
        fe.podcastindex.alternates = list(ep.alternates)
    return fg.rss_str(pretty=True, encoding="UTF-8", xml_declaration=True)
