"""``yomicast build``: a folder of articles → a published show (episodes, transcripts, chapters, feed).

State lives in the manifest (``manifest.py``). An episode whose fingerprint (its article's bytes and every
setting that changes its files) is unchanged and whose files are all there is not rebuilt; an edited one is
rebuilt, and the segment cache means only its changed sentences are spoken again. An article that fails is
reported and left as it was published; the others still build. A file lock keeps two builds out of one
folder.

With a ``listen`` hook (``build --check``), every episode spoken is heard back before it enters the feed
(``_Builder.make``); with ``[check] on_fail = "hold"``, one still flagged is kept out of the feed (under
``held`` in the manifest) and what was published before stays. The check's result is recorded with the
rendition, so an unchanged rebuild does not listen again.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

from yomicast.article import find_articles, read_articles
from yomicast.errors import InputError, OutputError, YomicastError
from yomicast.fsutil import remove_stale_parts, shown
from yomicast.settings import Progress
from yomicast.show.config import Show, feed_base, load_show
from yomicast.show.cover import publish_cover
from yomicast.show.feed import render_feed
from yomicast.show.files import FEED
from yomicast.show.fingerprint import article_fingerprint, rendition_stem, settings_fingerprint
from yomicast.show.manifest import MANIFEST, Manifest, made_from
from yomicast.show.output import check_removals, one_build_at_a_time, write_show, write_transcripts
from yomicast.show.records import (
    BuildEvent,
    BuildReport,
    Event,
    EventKind,
    Listener,
    Stage,
    Task,
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

    from yomicast.show.episode import using_engine
    from yomicast.speech.cache import SegmentCache
    from yomicast.speech.cast import cast_for

    cache = SegmentCache() if cache is None else cache

    with (
        one_build_at_a_time(out / LOCK),
        using_engine(show, engine, engine_name) as eng,
        cast_for(show.cast_settings, eng) as cast,
    ):
        return _Builder(
            folder, out, show, base, cast, cache, on_event, progress, allow_removals, listen
        ).run()


class _Builder:
    """The build, in order: each article is read into tasks (one per digest it holds); a task whose episode
    is already made is settled at once; the others are made (script → speak → master → write, then heard
    with a check) and recorded; then the feed and the website are written from the manifest."""

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
        self.settings = ""  # the fingerprint of every setting that changes an episode's files
        self.feed_url = base + FEED
        self.manifest = Manifest.load(out / MANIFEST)
        self.now = dt.datetime.now(dt.UTC).replace(microsecond=0)
        self.report = BuildReport(out=out, feed=out / FEED)
        self.present: list[str] = []  # the slugs the feed is to list, in the articles' order
        self.slugs: dict[str, str] = {}  # slug → the article it came from, in this build
        self.texts: dict[str, PageText] = {}  # slug → the page text of an episode made in this build

    def emit(self, kind: EventKind, name: str, detail: str = "", stage: Stage | None = None) -> None:
        event = BuildEvent(kind, name, detail, stage)
        self.report.events.append(event)
        if self.on_event:
            self.on_event(event)

    def fail(self, name: str, why: str, stage: Stage) -> None:
        self.report.failed.append((name, why))
        self.emit("failed", name, why, stage)

    def run(self) -> BuildReport:
        from yomicast.show.episode import load_dictionary

        report = self.report
        report.dictionary, problems = load_dictionary(self.show, self.cast)
        report.warnings += [f"{line}; that word is spoken as the engine reads it" for line in problems]
        remove_stale_parts(self.out)  # what a killed build left; this one holds the lock
        held = self.manifest.held
        before = {name for e in [*self.manifest.episodes.values(), *held.values()] for name in e.files}
        cover_name = self.cover_name = publish_cover(self.show, self.out)
        self.settings = settings_fingerprint(self.show, self.cast.engines, self.out / cover_name)
        for path in find_articles(self.folder):
            for task in self.read(path):
                if self.settle(task):
                    continue
                try:
                    self.make(task)
                except YomicastError as exc:
                    self.fail(task.name, str(exc), task.stage)
                    continue
                self.record(task)

        for slug in set(held) - set(self.present):  # its article is gone: so is what was held of it
            del held[slug]
        entries = self.manifest.episodes
        published = [entries[s] for s in self.present if s in entries and entries[s].intact(self.out)]
        check_removals(
            self.manifest,
            self.out,
            {e.slug for e in published},
            self.show.limits.max_removed_share,
            allowed=self.allow_removals,
            folder=self.folder,
        )
        info = feed_info(self.show, self.base, self.feed_url, cover_name, published, self.now)
        site = Site(self.show, self.base, self.feed_url, cover_name, self.out)
        write_show(self.out, site, render_feed(self.show, info), published, self.manifest, before, self.texts)
        report.warnings += self.cache.damage_notes()
        return report

    def read(self, path: Path) -> list[Task]:
        """The tasks of one article file: one per digest it holds, each with its own episode file."""
        try:
            articles = read_articles(path, self.show.limits.article_mb, within=self.folder)
        except YomicastError as exc:
            self.fail(shown(path.name), str(exc), "read")
            # What this file published before stays published, as it was.
            self.present += [s for s, e in self.manifest.episodes.items() if made_from(e, path)]
            return []
        tasks = []
        for article in articles:
            name = path.name if len(articles) == 1 else f"{path.name} ({article.part}/{len(articles)})"
            slug = article.slug
            if slug in self.slugs:
                self.fail(name, f"its name gives the same episode file as {self.slugs[slug]}", "read")
                continue
            self.slugs[slug] = name
            self.present.append(slug)
            self.report.warnings += [f"{name}: {w}" for w in article.warnings()]
            fingerprint = article_fingerprint(article, self.settings)
            old, pending = self.manifest.episodes.get(slug), self.manifest.held.get(slug)
            tasks.append(Task(name, article, fingerprint, old, pending))
        return tasks

    def settle(self, task: Task) -> bool:
        """True when the task's episode is already made as it should be (see ``Task.settled``)."""
        report, held, name = self.report, self.manifest.held, task.name
        outcome = task.settled(self.out, self.hold)
        if outcome == "unchanged":
            held.pop(task.slug, None)  # the article is back to what is published
            report.unchanged.append(name)
            self.emit("unchanged", name)
        elif outcome == "held":  # heard and flagged before: not heard again
            report.held.append(name)
            self.emit("held", name, flag_count(held[task.slug].check))
        elif outcome == "released":
            self.manifest.episodes[task.slug] = held.pop(task.slug)
            report.built.append(name)
            self.emit("built", name, "held before; [check] on_fail is warn now, so it is in the feed")
        elif task.old and task.old.fingerprint == task.fingerprint:
            report.warnings.append(f"{name}: its published files were changed or removed; made again")
        return outcome is not None

    def make(self, task: Task) -> None:
        """Script, speak, master and write the task's episode, then have the check hear it. A flagged line
        is spoken once more when that can change its sound (an engine that ``varies``, or audio that came
        from the cache), and the episode is heard again."""
        self.emit("start", task.name)
        task.stem = rendition_stem(task.slug, task.fingerprint)
        task.number = task.known.number if task.known else self.manifest.next_number()  # once given, stays
        task.result = self.publish_episode(task)
        if self.listen is None:
            return
        mp3 = self.out / f"{task.stem}.mp3"
        task.stage = "listen"
        heard = self.listen(mp3, spoken_lines(task.result))
        again = respeakable(heard, task.result)
        if again:
            self.emit("respeak", task.name, f"{len(again)} flagged lines spoken again")
            for key in {seg.key for n in again for seg in task.result.plan[n]}:
                self.cache.forget(key)
            self.cache.forget_master(task.result.master)
            first = task.result.synthesized
            result = self.publish_episode(task)
            task.result = dataclasses.replace(result, synthesized=first + result.synthesized)
            task.stage = "listen"
            heard = self.listen(mp3, spoken_lines(task.result))
        heard["respoken"] = len(again)
        task.heard = heard
        self.emit("checked", task.name, flag_count(heard))

    def publish_episode(self, task: Task) -> RenderResult:
        from yomicast.show.episode import make_episode

        result = make_episode(
            task.article,
            self.out / f"{task.stem}.mp3",
            self.show,
            engine=self.cast.default,
            cast=self.cast,
            number=task.number,
            cover=self.out / self.cover_name,
            cache=self.cache,
            progress=self.progress,
            on_stage=task.enter,
        )
        task.stage = "write"
        write_transcripts(self.out, task.stem, result.timeline)
        return result

    def record(self, task: Task) -> None:
        """Enter the made episode in the manifest: in the feed, or held out of it by a flagging check."""
        task.stage = "record"
        report, result, heard = self.report, task.result, task.heard
        assert result is not None, "a task is recorded once it is made"
        entry = new_entry(task, show=self.show, out=self.out, feed_url=self.feed_url, now=self.now)
        report.spoken += result.synthesized
        if heard is not None:
            report.checked += 1
            report.warnings += [f"{task.name}: {line}" for line in flag_lines(heard)]
        if heard and heard["flagged"] and self.hold:
            self.manifest.held[task.slug] = entry
            report.held.append(task.name)
            self.emit("held", task.name, flag_count(heard))
            return
        self.manifest.episodes[task.slug] = entry
        self.texts[task.slug] = PageText.of(result.timeline)
        self.manifest.held.pop(task.slug, None)
        report.built.append(task.name)
        self.emit(
            "built", task.name, f"{result.timeline.duration:.0f} s, {result.synthesized} segments spoken"
        )
