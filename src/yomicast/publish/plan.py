"""What a publish does, decided before anything is sent: the local files with their hashes and headers, the
remote state, and the plan (uploads in phases, unchanged files, superseded files kept or deleted).

Pure but for reading the local folder; the bucket is read by ``bucket`` and written by ``publisher``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from yomicast.errors import InputError
from yomicast.show.files import FEED, kind_of
from yomicast.show.manifest import MANIFEST

RECORD = ".yomicast-publish.json"  # under the prefix: what yomicast uploaded, with hashes; not content
IMMUTABLE = "public, max-age=31536000, immutable"
MAX_FILE_BYTES = 2 << 30  # a file of a built show is far smaller; anything larger is not ours

#: upload phases: media and assets, then the episode pages, then index.html, then feed.xml
PHASES = ("media", "pages", "index", "feed")


@dataclass(frozen=True)
class LocalFile:
    name: str  # relative to the folder (and to the prefix)
    path: Path
    size: int
    md5: str
    sha256: str
    content_type: str
    cache_control: str

    @property
    def phase(self) -> int:
        if self.name == FEED:
            return 3
        if self.name == "index.html":
            return 2
        return 1 if self.name.lower().endswith(".html") else 0


@dataclass(frozen=True)
class RemoteObject:
    size: int
    etag: str  # without quotes


@dataclass
class RecordEntry:
    sha256: str
    size: int
    etag: str
    superseded: str | None = None  # ISO time the local folder first lacked it


@dataclass
class Plan:
    uploads: list[list[LocalFile]] = field(default_factory=lambda: [[] for _ in PHASES])
    unchanged: list[str] = field(default_factory=list)
    delete: dict[str, RecordEntry] = field(default_factory=dict)  # names past the grace period
    keep: list[str] = field(default_factory=list)  # superseded names still within it
    record: dict[str, RecordEntry] = field(default_factory=dict)  # the record after this publish
    before: dict[str, RecordEntry] = field(default_factory=dict)  # the record as read

    @property
    def uploaded(self) -> list[LocalFile]:
        return [f for phase in self.uploads for f in phase]


def local_files(folder: Path, max_age: int) -> list[LocalFile]:
    """The files of a built show: regular files at the top of ``folder``, not hidden, not temporary and not
    the build's manifest. A link is never followed (it could point anywhere)."""
    files = []
    if not (folder / FEED).is_file() or (folder / FEED).is_symlink():
        raise InputError(
            f"{folder}: no feed.xml here; build the show first (yomicast build … --out {folder})"
        )
    for entry in sorted(os.scandir(folder), key=lambda e: e.name):
        name = entry.name
        if name.startswith(".") or name == MANIFEST or not _publishable_name(name):
            continue
        st = entry.stat(follow_symlinks=False)
        if not stat.S_ISREG(st.st_mode) or st.st_size > MAX_FILE_BYTES:
            continue
        md5, sha = hashlib.md5(), hashlib.sha256()
        with open(entry.path, "rb") as fh:
            while chunk := fh.read(1 << 20):
                md5.update(chunk)
                sha.update(chunk)
        kind = kind_of(name)
        files.append(
            LocalFile(
                name,
                Path(entry.path),
                st.st_size,
                md5.hexdigest(),
                sha.hexdigest(),
                kind.media_type if kind else "application/octet-stream",
                IMMUTABLE if kind and kind.fingerprinted else f"public, max-age={max_age}",
            )
        )
    return files


def _publishable_name(name: str) -> bool:
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:  # an undecodable file name (surrogate escapes): not one the build wrote
        return False
    return not re.search(r"[\x00-\x1f\x7f\\]", name)


def make_plan(
    local: list[LocalFile],
    remote: dict[str, RemoteObject],
    record: dict[str, RecordEntry],
    *,
    now: dt.datetime,
    keep_days: float,
) -> Plan:
    """Upload what differs, in phase order; keep what the folder no longer has for ``keep_days``, then
    delete it. Only names yomicast uploaded (those in ``record``) are ever deleted."""
    plan = Plan(before=record)
    for f in local:
        obj = remote.get(f.name)
        known = record.get(f.name)
        same = (
            obj is not None
            and obj.size == f.size
            and (
                obj.etag == f.md5
                or (known is not None and known.sha256 == f.sha256 and known.etag == obj.etag)
            )
        )
        if same and obj is not None:
            plan.unchanged.append(f.name)
            plan.record[f.name] = RecordEntry(f.sha256, f.size, obj.etag)
        else:
            plan.uploads[f.phase].append(f)
    here = {f.name for f in local}
    for name, entry in record.items():
        if name in here or name not in remote:
            continue  # still published, or already gone
        since = _parse_time(entry.superseded) or now
        if (now - since).total_seconds() >= keep_days * 86400:
            plan.delete[name] = entry
        else:
            plan.keep.append(name)
            plan.record[name] = RecordEntry(entry.sha256, entry.size, entry.etag, since.isoformat())
    return plan


def _parse_time(value: str | None) -> dt.datetime | None:
    if value is None:
        return None
    try:
        when = dt.datetime.fromisoformat(value)
    except ValueError:
        return None
    return when if when.tzinfo else when.replace(tzinfo=dt.UTC)


def parse_record(data: Any) -> dict[str, RecordEntry]:
    """The remote record, checked field by field: it lives in a bucket that others may write to, so a
    malformed entry is dropped (and its object is then never deleted), never trusted."""
    if not isinstance(data, dict) or data.get("version") != 1 or not isinstance(data.get("objects"), dict):
        return {}
    out = {}
    for name, e in data["objects"].items():
        if (
            isinstance(name, str)
            and "/" not in name
            and not name.startswith(".")
            and _publishable_name(name)
            and isinstance(e, dict)
            and isinstance(e.get("sha256"), str)
            and re.fullmatch(r"[0-9a-f]{64}", e["sha256"])
            and isinstance(e.get("size"), int)
            and not isinstance(e.get("size"), bool)
            and e["size"] >= 0
            and isinstance(e.get("etag"), str)
            and len(e["etag"]) <= 200
            and (e.get("superseded") is None or isinstance(e.get("superseded"), str))
        ):
            out[name] = RecordEntry(e["sha256"], e["size"], e["etag"], e.get("superseded"))
    return out


def record_json(record: dict[str, RecordEntry]) -> dict[str, Any]:
    return {
        "version": 1,
        "about": "what yomicast publish uploaded here, with hashes; not part of the show",
        "objects": {
            name: {"sha256": e.sha256, "size": e.size, "etag": e.etag, "superseded": e.superseded}
            for name, e in sorted(record.items())
        },
    }
