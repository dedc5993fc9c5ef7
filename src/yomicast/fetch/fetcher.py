"""``yomicast fetch``: the show's sources (feeds and pages) → one Markdown article file per new entry in
the articles folder, in the format ``yomicast build`` reads. A file that exists is never overwritten; an
article already fetched is never fetched again (a page named directly is asked for conditionally, and a
change in its text is reported, not written)."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from yomicast.article.model import JST
from yomicast.errors import BusyError, FetchError, OutputError
from yomicast.fetch.articles import article_markdown, file_stem, write_new
from yomicast.fetch.extract import Hints, Page, decode_page, extract_entry, extract_page
from yomicast.fetch.feeds import Entry, looks_like_feed, parse_feed
from yomicast.fetch.state import Known, State
from yomicast.fetch.web import Client, Response
from yomicast.fsutil import remove_stale_parts
from yomicast.settings import FetchSettings, Source


@dataclass(frozen=True)
class Written:
    file: str
    url: str
    title: str


@dataclass
class FetchReport:
    new: list[Written] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (url, the line that says why)
    changed: list[tuple[str, str]] = field(default_factory=list)  # (url, the file kept as it was)
    unchanged: int = 0  # sources and entries with nothing new

    def as_json(self) -> dict[str, object]:
        return {
            "new": [vars(w) for w in self.new],
            "skipped": [{"url": u, "error": e} for u, e in self.skipped],
            "changed": [{"url": u, "file": f} for u, f in self.changed],
            "unchanged": self.unchanged,
        }


def fetch_sources(
    sources: Sequence[Source],
    folder: Path,
    *,
    settings: FetchSettings | None = None,
    limit: int | None = None,
    client: Client | None = None,
    now: dt.datetime | None = None,
    on_new: Callable[[Written], None] | None = None,
    on_skip: Callable[[str, str], None] | None = None,
) -> FetchReport:
    """Fetch every source into ``folder``; one failing source or entry is reported and the rest go on."""
    from filelock import FileLock, Timeout

    folder = Path(folder)
    if not folder.is_dir():
        raise OutputError(f"{folder}: no such folder to fetch into; create it, or pass --into")
    settings = settings or FetchSettings()
    own_client = client is None
    client = client or Client(settings)
    job = _Job(folder, settings, client, now or dt.datetime.now(JST).replace(microsecond=0), on_new, on_skip)
    lock = FileLock(str(folder / ".yomicast-fetch.lock"))
    try:
        lock.acquire(timeout=0)
    except Timeout:
        raise BusyError(f"{folder}: another fetch is running into this folder; wait for it") from None
    try:
        remove_stale_parts(folder)  # what a killed fetch left; this one holds the lock
        job.state = State.load(folder)
        for source in sources:
            job.source(source, source.limit if limit is None else limit)
    finally:
        lock.release()
        if own_client:
            client.close()
    return job.report


@dataclass
class _Job:
    folder: Path
    settings: FetchSettings
    client: Client
    now: dt.datetime
    on_new: Callable[[Written], None] | None
    on_skip: Callable[[str, str], None] | None
    report: FetchReport = field(default_factory=FetchReport)
    state: State = field(init=False)

    def skip(self, url: str, error: FetchError) -> None:
        line = str(error) if str(error).startswith(url) else f"{url}: {error}"
        self.report.skipped.append((url, line))
        if self.on_skip:
            self.on_skip(url, line)

    def source(self, source: Source, limit: int | None) -> None:
        url = source.url
        known = self.state.validators.get(url, {})
        try:
            reply = self.client.get(
                url, etag=known.get("etag"), last_modified=known.get("last_modified"), named=True
            )
        except FetchError as exc:
            return self.skip(url, exc)
        if reply.status == 304:
            self.report.unchanged += 1
            return
        try:
            if looks_like_feed(reply.body):
                self.feed(source, reply, limit)
            else:
                self.page(source, reply)
        except FetchError as exc:
            return self.skip(url, exc)
        self._validators(url, reply)
        self.state.save()

    def feed(self, source: Source, reply: Response, limit: int | None) -> None:
        feed = parse_feed(reply.body, reply.url)
        entries = [e for e in feed.entries if source.wants(e.title)]
        entries.sort(key=lambda e: e.published or dt.datetime.min.replace(tzinfo=dt.UTC), reverse=True)
        fresh: list[Entry] = []
        for entry in entries:
            if entry.guid in self.state.dropped or entry.link in self.state.dropped:
                self.report.unchanged += 1
                continue
            known = self.state.seen(entry.guid, entry.link)
            if known is None:
                fresh.append(entry)
                continue
            self.report.unchanged += 1
            if entry.content:  # the feed carries the text: a change is seen without a request
                try:
                    page = extract_entry(
                        entry.content, entry.link, self._hints(entry, feed.title), min_chars=0
                    )
                except FetchError:
                    continue
                if _digest(page) != known.hash:
                    self.report.changed.append((entry.link, known.file))
        for entry in fresh[:limit]:
            try:
                self.entry(entry, feed.title)
            except FetchError as exc:
                self.skip(entry.link, exc)
                if exc.lasting:  # not asked for again: the next fetch passes over it in silence
                    self.state.dropped[entry.guid or entry.link] = str(exc)[:300]
                    self.state.save()

    def entry(self, entry: Entry, site: str | None) -> None:
        hints = self._hints(entry, site)
        if entry.content and len(re.sub(r"<[^>]*>|\s", "", entry.content)) >= self.settings.min_chars:
            page = extract_entry(entry.content, entry.link, hints, min_chars=self.settings.min_chars)
            self.write(page, guid=entry.guid, aliases=[])
            return
        reply = self.client.get(entry.link)
        url = self.state.find(reply.url)
        if url is not None:  # a second link to an article already here (a redirect, another feed)
            known = self.state.articles[url]
            known.aliases = sorted({*known.aliases, entry.link})
            if entry.guid:
                self.state.guids[entry.guid] = url
            self.report.unchanged += 1
            self.state.save()
            return
        page = extract_page(_html(reply), reply.url, hints, min_chars=self.settings.min_chars)
        aliases = [entry.link] if entry.link != reply.url else []
        self.write(page, guid=entry.guid, aliases=aliases)

    def page(self, source: Source, reply: Response) -> None:
        page = extract_page(_html(reply), reply.url, min_chars=self.settings.min_chars)
        if not source.wants(page.title):
            self.report.unchanged += 1
            return
        known = self.state.seen(source.url, reply.url)
        if known is not None:
            if _digest(page) != known.hash:
                self.report.changed.append((source.url, known.file))
            else:
                self.report.unchanged += 1
            return
        aliases = [source.url] if source.url != reply.url else []
        self.write(page, guid=None, aliases=aliases)

    def write(self, page: Page, *, guid: str | None, aliases: list[str]) -> None:
        text = article_markdown(page, self.now)
        name = write_new(self.folder, file_stem(page, self.now), text, page.url)
        self.state.remember(page.url, Known(name, _digest(page), self.now.isoformat(), guid, aliases))
        self.state.save()  # after every article: a killed fetch loses nothing it wrote
        written = Written(name, page.url, page.title)
        self.report.new.append(written)
        if self.on_new:
            self.on_new(written)

    def _validators(self, url: str, reply: Response) -> None:
        kept = {k: v for k, v in (("etag", reply.etag), ("last_modified", reply.last_modified)) if v}
        if kept:
            self.state.validators[url] = kept
        else:
            self.state.validators.pop(url, None)

    @staticmethod
    def _hints(entry: Entry, site: str | None) -> Hints:
        return Hints(title=entry.title or None, published=entry.published, author=entry.author, site=site)


def _html(reply: Response) -> str:
    kind = reply.content_type.split(";", 1)[0].strip().lower()
    head = reply.body[:1024].lstrip().lower()
    if not (
        kind in ("text/html", "application/xhtml+xml")
        or (not kind and head.startswith((b"<!doctype html", b"<html")))
    ):
        raise FetchError(f"{reply.url}: not an HTML page ({kind or 'no type'})", lasting=True)
    return decode_page(reply.body, reply.content_type)


def _digest(page: Page) -> str:
    return hashlib.sha256(page.body.encode("utf-8")).hexdigest()
