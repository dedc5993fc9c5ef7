"""``yomicast publish``: a built show folder → an S3-compatible bucket, consistent at every instant.

Media and assets go up first, then the episode pages, then ``index.html``, then ``feed.xml``; each phase
waits for the one before it, so the feed and the pages never name an object that is not there yet, nor
state a length it does not have (a fingerprinted name never gets other bytes). What the new feed no longer
names is deleted only after it is up, and only once ``keep_superseded_days`` have passed, so an app holding
the old feed can still download what it lists. Killed at any point, the bucket holds the old show or the
new one, and the next publish finishes the job.
"""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from yomicast.errors import BusyError, InputError, OutputError
from yomicast.publish.bucket import Bucket, make_client
from yomicast.publish.plan import LocalFile, Plan, RecordEntry, local_files, make_plan
from yomicast.settings import PublishSettings, parse_target
from yomicast.show.build import LOCK
from yomicast.show.files import FEED

Event = Callable[[str, str], None]  # (what: "upload" | "delete" | "keep", key)
FEED_MAX_BYTES = 64 << 20


@dataclass
class PublishReport:
    target: str
    dry_run: bool = False
    uploaded: list[str] = field(default_factory=list)  # full object keys
    deleted: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)  # superseded, still inside the grace period
    unchanged: int = 0

    def as_json(self) -> dict[str, Any]:
        return {
            "uploaded": self.uploaded,
            "deleted": self.deleted,
            "unchanged": self.unchanged,
            "kept": self.kept,
            "dry_run": self.dry_run,
        }


def publish_show(
    folder: Path,
    to: str,
    *,
    settings: PublishSettings | None = None,
    endpoint_url: str | None = None,
    profile: str | None = None,
    dry_run: bool = False,
    client: Any = None,
    now: dt.datetime | None = None,
    on_event: Event | None = None,
) -> PublishReport:
    """Publish ``folder`` to ``to`` (``s3://BUCKET/PREFIX``). ``client`` is a boto3 S3 client to use instead
    of one made from ``endpoint_url`` and ``profile``."""
    from filelock import FileLock, Timeout

    settings = settings or PublishSettings()
    bucket_name, prefix = parse_target(to)
    folder = Path(folder)
    if not folder.is_dir():
        raise InputError(f"{folder}: no such folder")
    lock = FileLock(str(folder / LOCK))
    try:
        lock.acquire(timeout=0.5)
    except Timeout:
        raise BusyError(f"{folder}: a build is writing this folder; publish when it is done") from None
    except OSError as exc:
        raise OutputError(f"cannot lock {folder}: {exc.strerror or exc}") from None
    try:
        local = local_files(folder, settings.max_age)
        check_feed(folder, {f.name: f for f in local})
        where = f"s3://{bucket_name}/{prefix}"
        bucket = Bucket(client or make_client(endpoint_url, profile), bucket_name, prefix, where)
        remote = bucket.objects()
        record = bucket.read_record(remote)
        plan = make_plan(
            local, remote, record, now=now or dt.datetime.now(dt.UTC), keep_days=settings.keep_superseded_days
        )
        report = PublishReport(where, dry_run, unchanged=len(plan.unchanged))
        report.kept = [bucket.key(n) for n in plan.keep]
        if dry_run:
            report.uploaded = [bucket.key(f.name) for f in plan.uploaded]
            report.deleted = [bucket.key(n) for n in plan.delete]
            return report
        _carry_out(plan, bucket, report, settings.concurrency, on_event or (lambda _what, _key: None))
        return report
    finally:
        lock.release()


def _carry_out(plan: Plan, bucket: Bucket, report: PublishReport, concurrency: int, event: Event) -> None:
    # Entries to be deleted stay in the record until they are gone, so a publish killed before the
    # deletion deletes them next time instead of forgetting them.
    record = {**plan.delete, **plan.record}

    def put(f: LocalFile) -> tuple[LocalFile, str]:
        etag = bucket.upload(f)
        event("upload", bucket.key(f.name))
        return f, etag

    with ThreadPoolExecutor(max_workers=concurrency, thread_name_prefix="publish") as pool:
        for files in plan.uploads:
            # one phase at a time: nothing of a later phase starts before all of this one is up
            for f, etag in pool.map(put, sorted(files, key=lambda f: -f.size)):
                record[f.name] = RecordEntry(f.sha256, f.size, etag)
                report.uploaded.append(bucket.key(f.name))
            if files:
                bucket.write_record(record)
    if plan.delete:
        bucket.delete(list(plan.delete))
        for name in plan.delete:
            event("delete", bucket.key(name))
            del record[name]
        report.deleted = [bucket.key(n) for n in plan.delete]
    if record != plan.before:
        bucket.write_record(record)


def check_feed(folder: Path, local: dict[str, LocalFile]) -> None:
    """Refuse a folder whose feed names a file of its own that is missing, or states another length: it was
    half-built or changed by hand, and publishing it would break every app that reads it."""
    path = folder / FEED
    if path.stat().st_size > FEED_MAX_BYTES:
        raise InputError(f"{path}: larger than {FEED_MAX_BYTES >> 20} MB; not a feed yomicast wrote")
    try:
        root = ET.parse(path).getroot()
    except ET.ParseError as exc:
        raise InputError(f"{path}: not a readable feed ({exc}); build the show again") from None
    self_link = next((e.get("href", "") for e in root.iter("{http://www.w3.org/2005/Atom}link")), "")
    base = self_link.rsplit("/", 1)[0] + "/" if self_link else ""
    for elem in root.iter():
        url = elem.get("url") or elem.get("uri") or ""
        if not base or not url.startswith(base):
            continue
        name = unquote(urlsplit(url).path.rsplit("/", 1)[-1])
        if "/" in url[len(base) :] or not name:
            continue
        length = elem.get("length")
        f = local.get(name)
        if f is None:
            raise InputError(f"{path}: names {name}, which is not in {folder}; build the show again")
        if length is not None and length.isdigit() and int(length) != f.size:
            raise InputError(
                f"{path}: states {length} bytes for {name}, which has {f.size}; build the show again"
            )
