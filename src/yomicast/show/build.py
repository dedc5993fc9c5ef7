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
import re
import stat
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from yomicast.article import ARTICLE_SUFFIXES, Article, read_articles
from yomicast.errors import BusyError, ConfigError, InputError, OutputError, YomicastError
from yomicast.fsutil import atomic_write_bytes, atomic_write_text, remove_stale_parts, shown
from yomicast.script.credits import credit_text, voice_credit_text
from yomicast.settings import ALTERNATES, Progress
from yomicast.show.config import Show, load_show
from yomicast.show.cover import check_cover, default_cover
from yomicast.show.feed import Alternate, FeedEpisode, FeedInfo, Transcript, podcast_guid, render_feed
from yomicast.show.files import EPISODE_KINDS, episode_kinds
from yomicast.show.manifest import (
    MANIFEST,
    Entry,
    Manifest,
    article_fingerprint,
    file_digest,
    made_from,
    rendition_stem,
    settings_fingerprint,
)
from yomicast.show.website import Site, page_name

if TYPE_CHECKING:
    from yomicast.render.stages import RenderResult
    from yomicast.speech.cache import SegmentCache
    from yomicast.speech.cast import Cast
    from yomicast.speech.engines import Engine

__all__ = ["LOCK", "MANIFEST", "BuildReport", "build_show", "find_articles"]

LOCK = ".yomicast.lock"
TRANSCRIPTS = {k.suffix: k.media_type for k in EPISODE_KINDS if k.feed == "transcript"}

#: (kind, article name, detail): start, built, unchanged, failed, respeak, checked, held
Event = Callable[[str, str, str], None]
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


def find_articles(folder: Path) -> list[Path]:
    """The article files of a folder, by name. Pipes, devices and links are listed too (not folders), so
    that reading them refuses them by name instead of passing over them in silence."""
    return sorted(
        p
        for p in folder.iterdir()
        if not p.is_dir()
        and p.suffix.lower() in ARTICLE_SUFFIXES - {""}
        and not p.name.startswith((".", "_"))
        and not p.stem.upper().startswith(("README", "LICENSE"))
    )


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
    from filelock import FileLock, Timeout

    folder = Path(folder)
    if not folder.is_dir():
        raise InputError(f"{folder}: no such folder of articles")
    show = load_show(folder)
    if engine_name:  # one engine named on the command line speaks every part
        show = dataclasses.replace(show, cast={})
    out = Path(out) if out else Path("public")
    base = (base_url or show.base_url or "").strip()
    if not base:
        raise ConfigError(
            f"{show.path or folder / 'show.toml'}: no base URL for the feed; set [show] base_url or pass --base-url"
        )
    if not re.fullmatch(r"https?://[A-Za-z0-9.\-\[\]:_%]+(/[^\s?#]*)?", base):
        raise ConfigError(f"base URL must be http(s)://HOST/PATH/, not {base!r}")
    base = base.rstrip("/") + "/"
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"cannot create the output folder {out}: {exc.strerror or exc}") from None

    lock = FileLock(str(out / LOCK))
    try:
        lock.acquire(timeout=0.5)
    except Timeout:
        raise BusyError(
            f"another yomicast build is writing to {out}; wait for it to finish, then run again"
        ) from None
    except OSError as exc:
        raise OutputError(f"cannot lock {out}: {exc.strerror or exc}") from None
    try:
        if cache is None:
            from yomicast.speech.cache import SegmentCache

            cache = SegmentCache()
        from yomicast.show.episode import using_engine
        from yomicast.speech.cast import cast_for

        with using_engine(show, engine, engine_name) as eng, cast_for(show.cast_settings, eng) as cast:
            return _Builder(
                folder, out, show, base, cast, cache, on_event, progress, allow_removals, listen
            ).run()
    finally:
        lock.release()


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

    def emit(self, kind: str, name: str, detail: str = "") -> None:
        if self.on_event:
            self.on_event(kind, name, detail)

    def run(self) -> BuildReport:
        from yomicast.show.episode import load_dictionary

        report = BuildReport(out=self.out, feed=self.out / "feed.xml")
        report.dictionary, problems = load_dictionary(self.show, self.cast)
        report.warnings += [f"{line}; that word is spoken as the engine reads it" for line in problems]
        remove_stale_parts(self.out)  # what a killed build left; this one holds the lock
        held = self.manifest.held
        before = {name for e in [*self.manifest.episodes.values(), *held.values()] for name in e.files}
        cover_name = self.cover_name = self.publish_cover()
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
                        self.emit("held", name, _flag_count(pending.check))
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
                try:
                    result, heard = self.speak_and_listen(
                        name, article, stem, known.number if known else self.manifest.next_number()
                    )
                except YomicastError as exc:
                    report.failed.append((name, str(exc)))
                    self.emit("failed", name, str(exc))
                    continue
                entry = self.entry(known, stem, article, result, fingerprint, heard)
                report.spoken += result.synthesized
                if heard is not None:
                    report.checked += 1
                    report.warnings += [f"{name}: {line}" for line in _flag_lines(heard)]
                if heard and heard["flagged"] and self.hold:
                    held[slug] = entry
                    report.held.append(name)
                    self.emit("held", name, _flag_count(heard))
                    continue
                self.manifest.episodes[slug] = entry
                held.pop(slug, None)
                report.built.append(name)
                self.emit(
                    "built", name, f"{result.timeline.duration:.0f} s, {result.synthesized} segments spoken"
                )

        for slug in set(held) - set(present):  # its article is gone: so is what was held of it
            del held[slug]
        entries = self.manifest.episodes
        published = [entries[s] for s in present if s in entries and entries[s].intact(self.out)]
        self.check_removals({e.slug for e in published})
        updated = max((dt.datetime.fromisoformat(e.updated) for e in published), default=self.now)
        info = FeedInfo(
            feed_url=self.feed_url,
            cover_url=self.base + cover_name,
            link=self.show.link or self.base,
            updated=updated,
            episodes=[self.feed_episode(e) for e in published],
        )
        # Media first (above), then the pages, then the feed and the index, each in one rename; the manifest
        # records it; only then do the files of superseded renditions go. A build killed at any moment
        # leaves a feed and pages whose files are all there.
        site = Site(self.show, self.base, self.feed_url, cover_name, self.out)
        for name, data in site.assets().items():
            _write_if_changed(self.out / name, data)
        for entry in published:
            _write_if_changed(self.out / page_name(entry.slug), site.episode_page(entry))
        _write_if_changed(self.out / "feed.xml", render_feed(self.show, info))
        _write_if_changed(self.out / "index.html", site.index_page(published))
        _write_if_changed(self.manifest_path, self.manifest.dumps())
        self.remove_superseded(before)
        for slug in set(entries) - {e.slug for e in published}:  # no longer in the feed: no page either
            (self.out / page_name(slug)).unlink(missing_ok=True)
        if self.cache.damaged:
            report.warnings.append(
                f"{len(self.cache.damaged)} cached speech segments failed their checksum (a damaged or "
                f"tampered cache in {self.cache.root}) and were spoken again"
            )
        return report

    def check_removals(self, staying: set[str]) -> None:
        """Stop before the feed is written when it would lose more than the set share of its episodes:
        an emptied or wrong folder would otherwise empty every subscriber's copy of the show."""
        listed = {s for s in self.manifest.episodes if (self.out / page_name(s)).is_file()}  # in the feed now
        gone = listed - staying
        share = self.show.limits.max_removed_share
        if self.allow_removals or not gone or len(gone) <= share * len(listed):
            return
        raise InputError(
            f"{self.folder}: this build would take {len(gone)} of the feed's {len(listed)} episodes out of it "
            f"(more than {share:.0%}: articles missing from the folder?); nothing was changed; if it is "
            "meant, run again with --allow-removals"
        )

    def remove_superseded(self, before: set[str]) -> None:
        """Delete the files of renditions the feed no longer names: those of the manifest before this build,
        and those a killed build left, recognised by their rendition names."""
        entries = [*self.manifest.episodes.values(), *self.manifest.held.values()]
        keep = {name for e in entries for name in e.files}
        slugs = {e.slug for e in entries}
        for path in self.out.iterdir():
            name = path.name
            if name in keep or not path.is_file():
                continue
            if name in before or _is_rendition(name, slugs):
                path.unlink(missing_ok=True)

    def speak_and_listen(
        self, name: str, article: Article, stem: str, number: int
    ) -> tuple[RenderResult, dict[str, Any] | None]:
        """The episode made, and what the listening check heard in it (None without one). Flagged lines
        whose sound can change are spoken once more, and the episode is heard again."""
        result = self.publish_episode(article, stem, number)
        if self.listen is None:
            return result, None
        mp3 = self.out / f"{stem}.mp3"
        heard = self.listen(mp3, _lines(result))
        again = sorted(
            {
                f["line"]
                for f in heard["flagged"]
                if f.get("line") is not None
                and any(seg.engine.varies or seg.key not in result.fresh for seg in result.plan[f["line"]])
            }
        )
        if again:
            self.emit("respeak", name, f"{len(again)} flagged lines spoken again")
            for n in again:
                for seg in result.plan[n]:
                    self.cache.forget(seg.key)
            self.cache.forget_master(result.master)
            first = result.synthesized
            result = self.publish_episode(article, stem, number)
            result = dataclasses.replace(result, synthesized=first + result.synthesized)
            heard = self.listen(mp3, _lines(result))
        heard["respoken"] = len(again)
        self.emit("checked", name, _flag_count(heard))
        return result, heard

    def publish_episode(self, article: Article, stem: str, number: int) -> RenderResult:
        from yomicast.audio.transcript import to_chapters_json, to_srt, to_transcript_json, to_vtt
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
        timeline = result.timeline
        atomic_write_text(self.out / f"{stem}.chapters.json", to_chapters_json(timeline))
        atomic_write_text(self.out / f"{stem}.vtt", to_vtt(timeline))
        atomic_write_text(self.out / f"{stem}.srt", to_srt(timeline))
        atomic_write_text(self.out / f"{stem}.transcript.json", to_transcript_json(timeline))
        return result

    def episode_files(self) -> tuple[str, ...]:
        return tuple(k.suffix for k in episode_kinds(self.show.audio.alternates))

    def publish_cover(self) -> str:
        if self.show.cover is not None:
            name = "cover" + check_cover(self.show.cover)
            _write_if_changed(self.out / name, self.show.cover.read_bytes())
            return name
        name = "cover.jpg"  # drawn from the show's title: the same title draws the same bytes
        _write_if_changed(self.out / name, default_cover(self.show.title))
        return name

    def entry(
        self,
        old: Entry | None,
        stem: str,
        article: Article,
        result: RenderResult,
        fingerprint: str,
        heard: dict[str, Any] | None = None,
    ) -> Entry:
        from yomicast.show.notes import content_html, description, summary

        first = old.first_built if old else self.now.isoformat()
        published = article.source.published_at()
        credit = credit_text(article.source, self.show.title, self.show.credit)
        voice_credits = voice_credit_text(result.credits)
        return Entry(
            guid=old.guid if old else str(uuid.uuid5(uuid.UUID(podcast_guid(self.feed_url)), article.slug)),
            number=old.number if old else self.manifest.next_number(),
            first_built=first,
            # The source's own date when it has one; otherwise the date it was first published here, kept.
            published=published.isoformat() if published else (old.published if old else first),
            updated=self.now.isoformat(),
            fingerprint=fingerprint,
            slug=article.slug,
            title=article.title,
            description=description(article, credit, voice_credits),
            content_html=content_html(article, credit, result.timeline, voice_credits),
            duration=round(result.timeline.duration),
            link=article.source.url,
            files={
                f"{stem}{ext}": (self.out / f"{stem}{ext}").stat().st_size for ext in self.episode_files()
            },
            digests={f"{stem}{ext}": file_digest(self.out / f"{stem}{ext}") for ext in self.episode_files()},
            lines=_lines(result),
            article=article.path.name if article.path else None,
            voice_credits=list(result.credits),
            stem=stem,
            summary=summary(article),
            credit=credit,
            check=heard,
        )

    def feed_episode(self, entry: Entry) -> FeedEpisode:
        from urllib.parse import quote

        base = self.base + quote(entry.file(""))
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
            link=self.base + quote(page_name(entry.slug)),  # the episode page; it links the source
            voice_credits=tuple(entry.voice_credits),
            alternates=self.alternates(entry, base),
            season=self.show.season,
        )

    def alternates(self, entry: Entry, base: str) -> tuple[Alternate, ...]:
        """The renditions besides the MP3, led by the MP3 itself as the default (the spec asks that the
        enclosure be listed too, so an app that reads only these still finds it)."""
        found = [
            Alternate(
                base + ext, mime, entry.files[entry.file(ext)], self.show.audio.opus_bitrate * 1000, title
            )
            for ext, mime, title in ALTERNATES.values()
            if entry.file(ext) in entry.files
        ]
        if not found:
            return ()
        mp3 = entry.file(".mp3")
        bitrate = self.show.audio.bitrate * 1000
        return (
            Alternate(base + ".mp3", "audio/mpeg", entry.files[mp3], bitrate, "MP3", default=True),
            *found,
        )


def _lines(result: RenderResult) -> list[list[Any]]:
    """Every spoken line of the episode as the manifest records it: [start s, end s, speech text]."""
    return [[round(ln.start, 3), round(ln.end, 3), ln.speech] for ln in result.timeline.lines]


def _flag_count(heard: dict[str, Any] | None) -> str:
    if not heard:
        return ""
    flagged = len(heard["flagged"])
    again = f", {heard['respoken']} spoken again" if heard.get("respoken") else ""
    return (
        f"{heard['lines']} lines heard, kana error rate {heard['error_rate']:.1%}, {flagged} flagged{again}"
    )


def _flag_lines(heard: dict[str, Any]) -> list[str]:
    """One warning line per flagged line: where, why, what was meant and what was heard."""

    def clock(t: float) -> str:
        m, s = divmod(t, 60)
        return f"{int(m)}:{s:04.1f}"

    return [
        f"{clock(f['start'])}–{clock(f['end'])} {f['reason']} ({f['error_rate']:.0%}): "
        f"meant 「{f['meant'][:60]}」, heard 「{f['heard'][:60]}」"
        for f in heard["flagged"]
    ]


def _is_rendition(name: str, slugs: set[str]) -> bool:
    """A file name of a rendition of one of these episodes (``<slug>-<8 hex><ext>``)."""
    for ext in (k.suffix for k in EPISODE_KINDS):
        if name.endswith(ext):
            slug, dash, digest = name[: -len(ext)].rpartition("-")
            return (
                bool(dash)
                and slug in slugs
                and len(digest) == 8
                and all(c in "0123456789abcdef" for c in digest)
            )
    return False


def _write_if_changed(path: Path, data: bytes) -> None:
    """Write ``data`` unless ``path`` is a regular file that already holds it. Whatever else stands at that
    name (a pipe, a link, a device) is never read or written through: it is replaced."""
    try:
        st = path.lstat()
        if stat.S_ISREG(st.st_mode) and st.st_size == len(data) and path.read_bytes() == data:
            return
    except OSError:
        pass
    atomic_write_bytes(path, data)
