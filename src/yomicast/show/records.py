"""What a build records of each article and episode: the task record an article moves through the build
on, the events told about it, its manifest entry (made once, from the render's own timeline) and the feed
item read from that entry; and the lines that report what the listening check heard."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal
from urllib.parse import quote

from yomicast.article import Article
from yomicast.script.credits import credit_text, voice_credit_text
from yomicast.show.config import Show
from yomicast.show.feed import Alternate, FeedEpisode, FeedInfo, Transcript, podcast_guid
from yomicast.show.files import EPISODE_KINDS, episode_kinds
from yomicast.show.manifest import Entry, file_digest
from yomicast.show.website import page_name

if TYPE_CHECKING:
    from yomicast.render.stages import RenderResult

TRANSCRIPTS = {k.suffix: k.media_type for k in EPISODE_KINDS if k.feed == "transcript"}

EventKind = Literal["start", "built", "unchanged", "failed", "respeak", "checked", "held"]
#: The stages an article moves through, in order (``listen`` only with a listening check).
Stage = Literal["read", "script", "speak", "master", "write", "listen", "record"]
_LINES: dict[str, str] = {
    "start": "building {name}",
    "built": "  built {name} ({detail})",
    "unchanged": "  unchanged {name}",
    "respeak": "  {detail}",
    "checked": "  checked: {detail}",
    "held": "  held out of the feed: {name} ({detail})",
}


@dataclass(frozen=True)
class BuildEvent:
    """One thing that happened to one article during a build, told as it happens; the console prints
    its ``line``, ``serve --watch`` the same, and ``build --json`` lists ``as_json``."""

    kind: EventKind
    name: str  # the article file (with "(2/3)" for one digest of a file of several)
    detail: str = ""
    stage: Stage | None = None  # where a failure happened

    @property
    def line(self) -> str | None:
        """The line a person reads; None for a failure, which is reported once, as an error, at the end."""
        template = _LINES.get(self.kind)
        return template.format(name=self.name, detail=self.detail) if template else None

    def as_json(self) -> dict[str, str]:
        shape = {"event": self.kind, "article": self.name, "detail": self.detail}
        return shape | ({"stage": self.stage} if self.stage else {})


Event = Callable[[BuildEvent], None]
#: (an episode's MP3, its [start, end, speech] lines) → what was heard, as ``check --json`` gives an episode
Listener = Callable[[Path, list[list[Any]]], dict[str, Any]]


@dataclass
class BuildReport:
    out: Path
    feed: Path
    built: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)  # up to date: nothing spoken, nothing written
    failed: list[tuple[str, str]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)  # lines of articles not read as written
    spoken: int = 0
    checked: int = 0  # episodes heard back by the listening check
    dictionary: list[str] = field(default_factory=list)  # what the voices' own dictionaries read back
    held: list[str] = field(default_factory=list)  # flagged by the check and kept out of the feed
    events: list[BuildEvent] = field(default_factory=list)  # every event, in order

    def as_json(self) -> dict[str, Any]:
        return {
            "feed": str(self.feed),
            "built": self.built,
            "unchanged": self.unchanged,
            "failed": [{"article": name, "error": why} for name, why in self.failed],
            "held": self.held,
            "spoken": self.spoken,
            "checked": self.checked,
            "dictionary": self.dictionary,
            "warnings": self.warnings,
            "events": [e.as_json() for e in self.events],
        }


@dataclass
class Task:
    """One article on its way through a build: read → script → speak → master → write → (listen) →
    record. Each stage fills in what it made; ``stage`` is the one it is in (a failure names it)."""

    name: str
    article: Article
    fingerprint: str
    old: Entry | None  # what the feed has of it
    pending: Entry | None  # what the check held out of the feed
    stage: Stage = "read"
    stem: str = ""  # the rendition's file name, without its suffix
    number: int = 0
    result: RenderResult | None = None
    heard: dict[str, Any] | None = None  # what the listening check heard

    @property
    def slug(self) -> str:
        return self.article.slug

    def enter(self, stage: Stage) -> None:
        self.stage = stage

    @property
    def known(self) -> Entry | None:
        """The episode as given before: its GUID and number stay."""
        return self.old or self.pending

    def settled(self, out: Path, hold: bool) -> Literal["unchanged", "held", "released"] | None:
        """What is already made of it, when nothing is to be made: ``unchanged`` (up to date in the feed),
        ``held`` (flagged by the check before, and kept out of the feed), ``released`` (held before, and let
        into the feed as it is now that ``on_fail`` is ``warn``). None when it is to be made."""
        if self.old and self.old.fingerprint == self.fingerprint and self.old.intact(out):
            return "unchanged"
        if self.pending and self.pending.fingerprint == self.fingerprint and self.pending.intact(out):
            return "held" if hold else "released"
        return None


def new_entry(task: Task, *, show: Show, out: Path, feed_url: str, now: dt.datetime) -> Entry:
    """The manifest entry of the rendition a task made; the GUID and first date of the episode, once
    given, stay (``task.known``)."""
    from yomicast.show.notes import content_html, description, summary

    article, result, stem, old = task.article, task.result, task.stem, task.known
    assert result is not None, "a task is recorded once it is made"
    first = old.first_built if old else now.isoformat()
    published = article.source.published_at()
    credit = credit_text(article.source, show.title, show.credit)
    voice_credits = voice_credit_text(result.credits)
    files = [f"{stem}{kind.suffix}" for kind in episode_kinds(show.audio.alternates)]
    return Entry(
        guid=old.guid if old else str(uuid.uuid5(uuid.UUID(podcast_guid(feed_url)), article.slug)),
        number=task.number,
        first_built=first,
        # The source's own date when it has one; otherwise the date it was first published here, kept.
        published=published.isoformat() if published else (old.published if old else first),
        updated=now.isoformat(),
        fingerprint=task.fingerprint,
        slug=article.slug,
        title=article.title,
        description=description(article, credit, voice_credits),
        content_html=content_html(article, credit, result.timeline, voice_credits),
        duration=round(result.timeline.duration),
        link=article.source.url,
        files={name: (out / name).stat().st_size for name in files},
        digests={name: file_digest(out / name) for name in files},
        lines=spoken_lines(result),
        article=article.path.name if article.path else None,
        voice_credits=list(result.credits),
        stem=stem,
        summary=summary(article),
        credit=credit,
        check=task.heard,
    )


def feed_info(
    show: Show, base: str, feed_url: str, cover_name: str, published: list[Entry], now: dt.datetime
) -> FeedInfo:
    """The feed's channel and items, read from the entries it lists."""
    return FeedInfo(
        feed_url=feed_url,
        cover_url=base + cover_name,
        link=show.link or base,
        updated=max((dt.datetime.fromisoformat(e.updated) for e in published), default=now),
        episodes=[feed_episode(e, show, base) for e in published],
    )


def feed_episode(entry: Entry, show: Show, base_url: str) -> FeedEpisode:
    """The feed item of a published entry."""
    base = base_url + quote(entry.file(""))
    return FeedEpisode(
        guid=entry.guid,
        title=entry.title,
        description=entry.description,
        content_html=entry.content_html,
        url=base + ".mp3",
        length=entry.files[entry.file(".mp3")],
        duration=entry.duration,
        published=dt.datetime.fromisoformat(entry.published),
        number=entry.number,
        transcripts=tuple(
            Transcript(base + ext, kind)
            for ext, kind in TRANSCRIPTS.items()
            if entry.file(ext) in entry.files  # an entry from an older build may lack the JSON one
        ),
        chapters_url=base + ".chapters.json",
        link=base_url + quote(page_name(entry.slug)),  # the episode page; it links the source
        voice_credits=tuple(entry.voice_credits),
        alternates=alternates(entry, base, show),
        season=show.season,
    )


def alternates(entry: Entry, base: str, show: Show) -> tuple[Alternate, ...]:
    """The renditions besides the MP3, led by the MP3 itself as the default (the spec asks that the
    enclosure be listed too, so an app that reads only these still finds it)."""
    opus = show.audio.opus_bitrate * 1000  # the one alternate there is
    found = [
        Alternate(base + k.suffix, k.media_type, entry.files[entry.file(k.suffix)], opus, k.title)
        for k in EPISODE_KINDS
        if k.feed == "alternate" and entry.file(k.suffix) in entry.files
    ]
    if not found:
        return ()
    mp3 = EPISODE_KINDS[0]  # the enclosure
    length = entry.files[entry.file(mp3.suffix)]
    default = Alternate(base + mp3.suffix, mp3.media_type, length, show.audio.bitrate * 1000, mp3.title, True)
    return (default, *found)


def spoken_lines(result: RenderResult) -> list[list[Any]]:
    """Every spoken line of the episode as the manifest records it: [start s, end s, speech text]."""
    return [[round(ln.start, 3), round(ln.end, 3), ln.speech] for ln in result.timeline.lines]


def respeakable(heard: dict[str, Any], result: RenderResult) -> list[int]:
    """The flagged lines worth speaking again: those whose sound can change (a voice that ``varies``, or
    audio that came from the cache, which a damaged entry would explain)."""
    return sorted(
        {
            f["line"]
            for f in heard["flagged"]
            if f.get("line") is not None
            and any(seg.engine.varies or seg.key not in result.fresh for seg in result.plan[f["line"]])
        }
    )


def flag_count(heard: dict[str, Any] | None) -> str:
    """What the check heard, in one phrase: lines, error rate, flagged, spoken again."""
    if not heard:
        return ""
    flagged = len(heard["flagged"])
    again = f", {heard['respoken']} spoken again" if heard.get("respoken") else ""
    return (
        f"{heard['lines']} lines heard, kana error rate {heard['error_rate']:.1%}, {flagged} flagged{again}"
    )


def flag_lines(heard: dict[str, Any]) -> list[str]:
    """One warning line per flagged line: where, why, what was meant and what was heard."""

    def clock(t: float) -> str:
        m, s = divmod(t, 60)
        return f"{int(m)}:{s:04.1f}"

    return [
        f"{clock(f['start'])}–{clock(f['end'])} {f['reason']} ({f['error_rate']:.0%}): "
        f"meant 「{f['meant'][:60]}」, heard 「{f['heard'][:60]}」"
        for f in heard["flagged"]
    ]
