"""``yomicast build``: a folder of articles → a published show (episodes, transcripts, chapters, feed).

State lives in ``yomicast-manifest.json`` in the output folder: each episode's GUID (given once, kept for
ever), number, first publication date and a fingerprint of its article and settings. An episode whose
fingerprint is unchanged and whose files are all there is not rebuilt; an edited one is rebuilt, and the
segment cache means only its changed sentences are spoken again. An article that fails is reported and
left as it was published; the others still build. A file lock keeps two builds out of one folder.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import html
import json
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from yomicast.article import ARTICLE_SUFFIXES, Article, read_article, slugify
from yomicast.cover import check_cover, default_cover
from yomicast.errors import BusyError, ConfigError, InputError, OutputError, YomicastError
from yomicast.feed import FeedEpisode, FeedInfo, Transcript, podcast_guid, render_feed
from yomicast.fsutil import atomic_write_bytes, atomic_write_text
from yomicast.settings import Progress
from yomicast.show import Show, load_show

MANIFEST = "yomicast-manifest.json"
LOCK = ".yomicast.lock"
BUILD_FORMAT = 1  # bump when episode output changes for the same inputs
JST = dt.timezone(dt.timedelta(hours=9), "JST")

Event = Callable[[str, str, str], None]  # (kind, article name, detail): start, built, skipped, failed


@dataclass
class BuildReport:
    out: Path
    feed: Path
    built: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)
    spoken: int = 0


def find_articles(folder: Path) -> list[Path]:
    return sorted(
        p
        for p in folder.iterdir()
        if p.is_file()
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
    cache=None,
    on_event: Event | None = None,
    progress: Progress | None = None,
    engine=None,
) -> BuildReport:
    from filelock import FileLock, Timeout

    folder = Path(folder)
    if not folder.is_dir():
        raise InputError(f"{folder}: no such folder of articles")
    show = load_show(folder)
    out = Path(out) if out else Path("public")
    base = (base_url or show.base_url or "").strip()
    if not base:
        raise ConfigError(
            f"{show.path or folder / 'show.toml'}: no base URL for the feed; set [show] base_url or pass --base-url"
        )
    if not base.startswith(("http://", "https://")):
        raise ConfigError(f"base URL must start with http:// or https://, not {base!r}")
    base = base.rstrip("/") + "/"
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"cannot create the output folder {out}: {exc.strerror or exc}") from None

    lock = FileLock(str(out / LOCK))
    try:
        lock.acquire(timeout=0.5)
    except Timeout:
        raise BusyError(f"another yomicast build is writing to {out}; wait for it to finish, then run again") from None
    except OSError as exc:
        raise OutputError(f"cannot lock {out}: {exc.strerror or exc}") from None
    try:
        if cache is None:
            from yomicast.engines.cache import SegmentCache

            cache = SegmentCache()
        return _build_locked(folder, out, show, base, engine_name, cache, on_event, progress, engine)
    finally:
        lock.release()


def _build_locked(
    folder: Path,
    out: Path,
    show: Show,
    base: str,
    engine_name: str | None,
    cache,
    on_event: Event | None,
    progress: Progress | None,
    engine,
) -> BuildReport:
    from yomicast.episode import engine_for, make_episode

    def emit(kind: str, name: str, detail: str = "") -> None:
        if on_event:
            on_event(kind, name, detail)

    feed_url = base + "feed.xml"
    report = BuildReport(out=out, feed=out / "feed.xml")
    manifest_path = out / MANIFEST
    manifest = _load_manifest(manifest_path)
    entries: dict[str, dict[str, Any]] = manifest["episodes"]
    cover_name = _publish_cover(show, out)
    own_engine = engine is None
    engine = engine or engine_for(show, engine_name)
    settings = _settings_fingerprint(show, engine, cover_name, out)
    now = dt.datetime.now(dt.UTC).replace(microsecond=0)
    present: list[str] = []
    slugs: dict[str, Path] = {}
    try:
        for path in find_articles(folder):
            slug = slugify(path.stem)
            if slug in slugs:
                report.failed.append((path.name, f"its name gives the same episode file as {slugs[slug].name}"))
                emit("failed", path.name, report.failed[-1][1])
                continue
            slugs[slug] = path
            present.append(slug)
            entry = entries.get(slug)
            fingerprint = hashlib.sha256(path.read_bytes() + settings.encode()).hexdigest()
            if entry and entry.get("fingerprint") == fingerprint and _files_intact(out, entry):
                report.skipped.append(path.name)
                emit("skipped", path.name)
                continue
            emit("start", path.name)
            from yomicast.transcript import to_chapters_json, to_srt, to_vtt

            try:
                article = read_article(path)
                mp3 = out / f"{slug}.mp3"
                result = make_episode(article, mp3, show, engine=engine, cache=cache, progress=progress)
                timeline = result.timeline
                atomic_write_text(out / f"{slug}.chapters.json", to_chapters_json(timeline))
                atomic_write_text(out / f"{slug}.vtt", to_vtt(timeline))
                atomic_write_text(out / f"{slug}.srt", to_srt(timeline))
            except YomicastError as exc:
                report.failed.append((path.name, str(exc)))
                emit("failed", path.name, str(exc))
                continue
            entries[slug] = _entry(entry, slug, article, result, fingerprint, feed_url, entries, now, out)
            report.built.append(path.name)
            report.spoken += result.synthesized
            emit("built", path.name, f"{timeline.duration:.0f} s, {result.synthesized} segments spoken")
    finally:
        if own_engine:
            engine.close()

    published = [entries[s] for s in present if s in entries and _files_intact(out, entries[s])]
    updated = max((dt.datetime.fromisoformat(e["updated"]) for e in published), default=now)
    info = FeedInfo(
        feed_url=feed_url,
        cover_url=base + cover_name,
        link=show.link or base,
        updated=updated,
        episodes=[_feed_episode(e, base) for e in published],
    )
    _write_if_changed(out / "feed.xml", render_feed(show, info))
    _write_if_changed(manifest_path, (json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode())
    return report


def _load_manifest(path: Path) -> dict[str, Any]:
    if not path.exists():
        return {"version": 1, "episodes": {}}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(data, dict) or not isinstance(data.get("episodes"), dict):
            raise ValueError("no episodes table")
        return data
    except (ValueError, UnicodeDecodeError) as exc:
        raise ConfigError(
            f"{path}: the build manifest is damaged ({exc}); it holds the episodes' GUIDs, so restore it from a "
            "backup rather than deleting it"
        ) from None


def _settings_fingerprint(show: Show, engine, cover_name: str, out: Path) -> str:
    cover = out / cover_name
    blob = {
        "format": BUILD_FORMAT,
        "engine": [engine.name, engine.settings()],
        "audio": [show.audio.bitrate, show.audio.loudness, show.audio.true_peak, show.audio.quality,
                  _file_hash(show.audio.jingle) if show.audio.jingle else None],
        "pauses": [show.pauses.sentence, show.pauses.heading, show.pauses.after_heading],
        "script": [show.title, show.author, show.intro, show.credit, show.jingle, sorted(show.pronunciations.items())],
        "cover": _file_hash(cover) if show.cover else None,
    }
    return json.dumps(blob, sort_keys=True, ensure_ascii=False, default=str)


def _file_hash(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def _files_intact(out: Path, entry: dict[str, Any]) -> bool:
    files = entry.get("files", {})
    return bool(files) and all((out / name).is_file() and (out / name).stat().st_size == size for name, size in files.items())


def _publish_cover(show: Show, out: Path) -> str:
    if show.cover is not None:
        suffix = check_cover(show.cover)
        name = "cover" + suffix
        _write_if_changed(out / name, show.cover.read_bytes())
        return name
    name = "cover.jpg"
    if not (out / name).exists():
        atomic_write_bytes(out / name, default_cover(show.title))
    return name


def _write_if_changed(path: Path, data: bytes) -> None:
    try:
        if path.read_bytes() == data:
            return
    except OSError:
        pass
    atomic_write_bytes(path, data)


def _published(article: Article, fallback: str) -> str:
    src = article.source.published
    if isinstance(src, dt.datetime):
        when = src if src.tzinfo else src.replace(tzinfo=JST)  # a digest's times are Japanese local time
        return when.isoformat()
    if isinstance(src, dt.date):
        return dt.datetime(src.year, src.month, src.day, 6, 0, tzinfo=JST).isoformat()
    return fallback


def _entry(old, slug, article: Article, result, fingerprint, feed_url, entries, now, out) -> dict[str, Any]:
    from yomicast.episode import summary

    old = old or {}
    numbers = [e.get("number", 0) for e in entries.values()]
    first = old.get("first_built") or now.isoformat()
    files = {f"{slug}{ext}": (out / f"{slug}{ext}").stat().st_size for ext in (".mp3", ".chapters.json", ".vtt", ".srt")}
    lead = summary(article)
    return {
        "guid": old.get("guid") or str(uuid.uuid5(uuid.UUID(podcast_guid(feed_url)), slug)),
        "number": old.get("number") or max(numbers, default=0) + 1,
        "first_built": first,
        # The source's own date when it has one; otherwise the date it was first published here, kept.
        "published": _published(article, old.get("published") or first),
        "updated": now.isoformat(),
        "fingerprint": fingerprint,
        "slug": slug,
        "title": article.title,
        "description": _description(article, lead),
        "content_html": _content_html(article, lead, result.timeline),
        "duration": round(result.timeline.duration),
        "link": article.source.url,
        "files": files,
    }


def _description(article: Article, lead: str) -> str:
    headings = [s.heading for s in article.sections if s.heading]
    parts = [lead]
    if headings:
        parts.append("目次: " + " / ".join(headings))
    credit = _credit_line(article)
    if credit:
        parts.append(credit)
    return "\n\n".join(parts)


def _credit_line(article: Article) -> str:
    src = article.source
    when = src.published
    date = f"{when.year}年{when.month}月{when.day}日" if when else None
    bits = [b for b in (src.publisher, date, src.title and f"「{src.title}」") if b]
    line = "出典: " + "、".join(bits) if bits else ""
    if src.generator:
        line += ("。" if line else "") + f"{src.generator}を使って作成"
    return line


def _content_html(article: Article, lead: str, timeline) -> str:
    esc = html.escape
    out = [f"<p>{esc(lead)}</p>"]
    chapters = [c for c in timeline.chapters[1:-1]]
    if chapters:
        out.append("<h3>目次</h3><ol>")
        for c in chapters:
            m, s = divmod(round(c.start), 60)
            out.append(f"<li>{m}:{s:02d} {esc(c.title)}</li>")
        out.append("</ol>")
    credit = _credit_line(article)
    if credit:
        if article.source.url:
            out.append(f'<p><a href="{esc(article.source.url, quote=True)}">{esc(credit)}</a></p>')
        else:
            out.append(f"<p>{esc(credit)}</p>")
    return "".join(out)


def _feed_episode(entry: dict[str, Any], base: str) -> FeedEpisode:
    from urllib.parse import quote

    slug = entry["slug"]
    base = base + quote(slug)
    return FeedEpisode(
        guid=entry["guid"],
        title=entry["title"],
        description=entry["description"],
        content_html=entry["content_html"],
        url=base + ".mp3",
        length=entry["files"][f"{slug}.mp3"],
        duration=entry["duration"],
        published=dt.datetime.fromisoformat(entry["published"]),
        number=entry["number"],
        transcripts=(
            Transcript(base + ".vtt", "text/vtt"),
            Transcript(base + ".srt", "application/srt"),
        ),
        chapters_url=base + ".chapters.json",
        link=entry.get("link"),
    )
