"""``yomicast build``: a folder of articles → a published show (episodes, transcripts, chapters, feed).

State lives in the manifest (``manifest.py``). An episode whose fingerprint (its article's bytes and every
setting that changes its files) is unchanged and whose files are all there is not rebuilt; an edited one is
rebuilt, and the segment cache means only its changed sentences are spoken again. An article that fails is
reported and left as it was published; the others still build. A file lock keeps two builds out of one
folder.

With a ``listen`` hook (``build --check``), every episode spoken is heard back before it enters the feed.
A flagged line is spoken once more when that can change its sound (an engine that ``varies``, or audio
that came from the cache), and heard again. What still fails is reported; with ``[check] on_fail =
"hold"`` the new rendition is kept out of the feed (recorded under ``held`` in the manifest), and what was
published before stays. The check's result is recorded with the rendition, so an unchanged rebuild does
not listen again.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Any

from yomicast.article import Article, find_articles, read_articles
from yomicast.errors import InputError, OutputError, YomicastError
from yomicast.fsutil import remove_stale_parts, shown
from yomicast.settings import Progress
from yomicast.show.config import Show, feed_base, load_show
from yomicast.show.cover import publish_cover
from yomicast.show.feed import render_feed
from yomicast.show.files import episode_kinds
from yomicast.show.fingerprint import article_fingerprint, rendition_stem, settings_fingerprint
from yomicast.show.manifest import MANIFEST, Manifest, made_from
from yomicast.show.output import check_removals, one_build_at_a_time, write_show, write_transcripts
from yomicast.show.records import (
    BuildEvent,
    BuildReport,
    Event,
    EventKind,
    Listener,
    Made,
    feed_info,
    flag_count,
    flag_lines,
    new_entry,
    respeakable,
    spoken_lines,
)
from yomicast.show.website import PageText, Site

if TYPE_CHECKING:
    from yomicast.render.stages import RenderResult
    from yomicast.speech.cache import SegmentCache
    from yomicast.speech.cast import Cast
    from yomicast.speech.engines import Engine

__all__ = ["LOCK", "MANIFEST", "BuildEvent", "BuildReport", "build_show"]

LOCK = ".yomicast.lock"


def build_show(
    folder: Path | str,
    out: Path | str | None = None,
    *,
    base_url: str | None = None,
    engine_name: str | None = None,
    cache: SegmentCache | None = None,
    on_event: Event | None = None,
    progress: Progress | None = None,
    engine: Engine | None = None,
    allow_removals: bool = False,
    listen: Listener | None = None,
) -> BuildReport:
    """Publish every article in ``folder`` into ``out``. An ``engine`` passed in stays open for its owner.
    A build that would take more than ``[limits] max_removed_share`` of the feed's episodes out of it
    raises InputError and leaves the published show as it was, unless ``allow_removals``. ``listen``
    hears every episode spoken (the check stage's listener; see the module's notes)."""
    folder = Path(folder)
    if not folder.is_dir():
        raise InputError(f"{folder}: no such folder of articles")
    show = load_show(folder)
    if engine_name:  # one engine named on the command line speaks every part
        show = dataclasses.replace(show, cast={})
    out = Path(out) if out else Path("public")
    base = feed_base(base_url or show.base_url, show.path or folder / "show.toml")
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"cannot create the output folder {out}: {exc.strerror or exc}") from None

    if cache is None:
        from yomicast.speech.cache import SegmentCache

        cache = SegmentCache()
    from yomicast.show.episode import using_engine
    from yomicast.speech.cast import cast_for

    with (
        one_build_at_a_time(out / LOCK),
        using_engine(show, engine, engine_name) as eng,
        cast_for(show.cast_settings, eng) as cast,
    ):
        return _Builder(
            folder, out, show, base, cast, cache, on_event, progress, allow_removals, listen
        ).run()


class _Builder:
    def __init__(
        self,
        folder: Path,
        out: Path,
        show: Show,
        base: str,
        cast: Cast,
        cache: SegmentCache,
        on_event: Event | None,
        progress: Progress | None,
        allow_removals: bool = False,
        listen: Listener | None = None,
    ) -> None:
        self.folder, self.out, self.show, self.base = folder, out, show, base
        self.cast, self.cache, self.on_event, self.progress = cast, cache, on_event, progress
        self.allow_removals, self.listen = allow_removals, listen
        self.hold = show.check.on_fail == "hold"
        self.cover_name = ""  # the published cover's file name, once run() has published it
        self.feed_url = base + "feed.xml"
        self.manifest_path = out / MANIFEST
        self.manifest = Manifest.load(self.manifest_path)
        self.now = dt.datetime.now(dt.UTC).replace(microsecond=0)
        self.events: list[BuildEvent] = []
        self.texts: dict[str, PageText] = {}  # slug → the page text of an episode made in this build

    def emit(self, kind: EventKind, name: str, detail: str = "") -> None:
        event = BuildEvent(kind, name, detail)
        self.events.append(event)
        if self.on_event:
            self.on_event(event)

    def run(self) -> BuildReport:
        from yomicast.show.episode import load_dictionary

        report = BuildReport(out=self.out, feed=self.out / "feed.xml", events=self.events)
        report.dictionary, problems = load_dictionary(self.show, self.cast)
        report.warnings += [f"{line}; that word is spoken as the engine reads it" for line in problems]
        remove_stale_parts(self.out)  # what a killed build left; this one holds the lock
        held = self.manifest.held
        before = {name for e in [*self.manifest.episodes.values(), *held.values()] for name in e.files}
        cover_name = self.cover_name = publish_cover(self.show, self.out)
        settings = settings_fingerprint(self.show, self.cast.engines, self.out / cover_name)
        present: list[str] = []
        slugs: dict[str, str] = {}
        for path in find_articles(self.folder):
            try:
                articles = read_articles(path, self.show.limits.article_mb, within=self.folder)
            except YomicastError as exc:
                report.failed.append((shown(path.name), str(exc)))
                self.emit("failed", shown(path.name), str(exc))
                # What this file published before stays published, as it was.
                present += [s for s, e in self.manifest.episodes.items() if made_from(e, path)]
                continue
            for article in articles:
                name = path.name if len(articles) == 1 else f"{path.name} ({article.part}/{len(articles)})"
                slug = article.slug
                if slug in slugs:
                    report.failed.append((name, f"its name gives the same episode file as {slugs[slug]}"))
                    self.emit("failed", name, report.failed[-1][1])
                    continue
                slugs[slug] = name
                present.append(slug)
                report.warnings += [f"{name}: {w}" for w in article.warnings()]
                old = self.manifest.episodes.get(slug)
                pending = held.get(slug)
                fingerprint = article_fingerprint(article, settings)
                if old and old.fingerprint == fingerprint and old.intact(self.out):
                    held.pop(slug, None)  # the article is back to what is published
                    report.unchanged.append(name)
                    self.emit("unchanged", name)
                    continue
                if pending and pending.fingerprint == fingerprint and pending.intact(self.out):
                    if self.hold:  # heard and flagged before: not heard again
                        report.held.append(name)
                        self.emit("held", name, flag_count(pending.check))
                        continue
                    self.manifest.episodes[slug] = held.pop(slug)  # on_fail is "warn" now: it goes out
                    report.built.append(name)
                    self.emit("built", name, "held before; [check] on_fail is warn now, so it is in the feed")
                    continue
                if old and old.fingerprint == fingerprint:
                    report.warnings.append(f"{name}: its published files were changed or removed; made again")
                self.emit("start", name)
                stem = rendition_stem(slug, fingerprint)
                known = old or pending  # the episode's GUID and number, once given, stay
                number = known.number if known else self.manifest.next_number()
                try:
                    result, heard = self.speak_and_listen(name, article, stem, number)
                except YomicastError as exc:
                    report.failed.append((name, str(exc)))
                    self.emit("failed", name, str(exc))
                    continue
                entry = new_entry(
                    Made(stem, article, result, fingerprint, heard),
                    known,
                    show=self.show,
                    out=self.out,
                    feed_url=self.feed_url,
                    now=self.now,
                    number=number,
                    suffixes=self.episode_files(),
                )
                report.spoken += result.synthesized
                if heard is not None:
                    report.checked += 1
                    report.warnings += [f"{name}: {line}" for line in flag_lines(heard)]
                if heard and heard["flagged"] and self.hold:
                    held[slug] = entry
                    report.held.append(name)
                    self.emit("held", name, flag_count(heard))
                    continue
                self.manifest.episodes[slug] = entry
                self.texts[slug] = PageText.of(result.timeline)
                held.pop(slug, None)
                report.built.append(name)
                self.emit(
                    "built", name, f"{result.timeline.duration:.0f} s, {result.synthesized} segments spoken"
                )

        for slug in set(held) - set(present):  # its article is gone: so is what was held of it
            del held[slug]
        entries = self.manifest.episodes
        published = [entries[s] for s in present if s in entries and entries[s].intact(self.out)]
        check_removals(
            self.manifest,
            self.out,
            {e.slug for e in published},
            self.show.limits.max_removed_share,
            allowed=self.allow_removals,
            folder=self.folder,
        )
        info = feed_info(self.show, self.base, cover_name, published, self.now)
        site = Site(self.show, self.base, self.feed_url, cover_name, self.out)
        write_show(self.out, site, render_feed(self.show, info), published, self.manifest, before, self.texts)
        if self.cache.damaged:
            report.warnings.append(
                f"{len(self.cache.damaged)} cached speech segments failed their checksum (a damaged or "
                f"tampered cache in {self.cache.root}) and were spoken again"
            )
        return report

    def speak_and_listen(
        self, name: str, article: Article, stem: str, number: int
    ) -> tuple[RenderResult, dict[str, Any] | None]:
        """The episode made, and what the listening check heard in it (None without one). Flagged lines
        whose sound can change are spoken once more, and the episode is heard again."""
        result = self.publish_episode(article, stem, number)
        if self.listen is None:
            return result, None
        mp3 = self.out / f"{stem}.mp3"
        heard = self.listen(mp3, spoken_lines(result))
        again = respeakable(heard, result)
        if again:
            self.emit("respeak", name, f"{len(again)} flagged lines spoken again")
            for n in again:
                for seg in result.plan[n]:
                    self.cache.forget(seg.key)
            self.cache.forget_master(result.master)
            first = result.synthesized
            result = self.publish_episode(article, stem, number)
            result = dataclasses.replace(result, synthesized=first + result.synthesized)
            heard = self.listen(mp3, spoken_lines(result))
        heard["respoken"] = len(again)
        self.emit("checked", name, flag_count(heard))
        return result, heard

    def publish_episode(self, article: Article, stem: str, number: int) -> RenderResult:
        from yomicast.show.episode import make_episode

        result = make_episode(
            article,
            self.out / f"{stem}.mp3",
            self.show,
            engine=self.cast.default,
            cast=self.cast,
            number=number,
            cover=self.out / self.cover_name,
            cache=self.cache,
            progress=self.progress,
        )
        write_transcripts(self.out, stem, result.timeline)
        return result

    def episode_files(self) -> tuple[str, ...]:
        return tuple(k.suffix for k in episode_kinds(self.show.audio.alternates))
