"""The build manifest (``yomicast-manifest.json`` in the output folder): what was published, typed and
versioned, and the fingerprints that say when an episode must be made again.

It holds each episode's GUID (given once, kept for ever), number, first publication date and a fingerprint
of its article and settings. A manifest of an unknown version is refused with a clear error and never
rewritten: it is the only record of the GUIDs that podcast apps know the episodes by.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import os
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from yomicast.article import slugify
from yomicast.errors import ConfigError, InputError
from yomicast.fsutil import read_regular

if TYPE_CHECKING:
    pass

MANIFEST = "yomicast-manifest.json"
MANIFEST_VERSION = 1
MANIFEST_BYTES = 256_000_000  # about 100,000 episodes


@dataclass
class Entry:
    """One published episode."""

    guid: str
    number: int
    first_built: str  # ISO 8601, UTC
    published: str  # ISO 8601 with zone: the source's own date, else the first build
    updated: str
    fingerprint: str
    slug: str
    title: str
    description: str
    content_html: str
    duration: int  # seconds
    link: str | None
    files: dict[str, int]  # file name → size in bytes
    article: str | None = None  # the article file it was made from (a file may make several episodes)
    voice_credits: list[str] = field(default_factory=list)  # what the voices that speak it must be credited
    stem: str = ""  # the file name of this rendition, without extension ("" before renditions were named)
    summary: str = ""  # the show notes' first paragraph
    credit: str = ""  # the source credit, as spoken
    # file name → [mtime_ns, sha256] when published: a file whose time changed must still hash the same
    digests: dict[str, list[Any]] = field(default_factory=dict)
    # every spoken line: [start s, end s, the speech text the engine was given] (what `check` hears against)
    lines: list[list[Any]] = field(default_factory=list)
    # what the listening check heard in this rendition (``build --check``), as ``check --json`` gives one
    # episode, with how many lines were spoken again; None when it was not checked
    check: dict[str, Any] | None = None

    def file(self, ext: str) -> str:
        """The published file name of this rendition with extension ``ext`` (".mp3", ".vtt", …)."""
        return f"{self.stem or self.slug}{ext}"

    def intact(self, out: Path) -> bool:
        """Every file of the episode is there as it was published: the same size and, when its time
        changed (anything wrote it), the same SHA-256. A file of the right size filled with other bytes
        is not intact."""
        for name, size in self.files.items():
            path = out / name
            try:
                info = path.lstat()
            except OSError:
                return False
            if not stat.S_ISREG(info.st_mode) or info.st_size != size:  # a link or a device is not ours
                return False
            recorded = self.digests.get(name)
            if recorded and info.st_mtime_ns != recorded[0] and file_digest(path)[1] != recorded[1]:
                return False
        return bool(self.files)


def file_digest(path: Path) -> list[Any]:
    """[mtime_ns, sha256 hex] of a published file."""
    with path.open("rb") as fh:
        digest = hashlib.file_digest(fh, "sha256").hexdigest()
        return [os.fstat(fh.fileno()).st_mtime_ns, digest]


@dataclass
class Manifest:
    episodes: dict[str, Entry] = field(default_factory=dict)  # slug → the rendition in the feed
    version: int = MANIFEST_VERSION
    # slug → a newer rendition the listening check flagged, kept out of the feed by [check] on_fail = "hold"
    # (the published one, if any, stays in ``episodes``)
    held: dict[str, Entry] = field(default_factory=dict)

    @classmethod
    def load(cls, path: Path) -> Manifest:
        if not path.exists() and not path.is_symlink():
            return cls()
        try:
            if path.is_symlink():
                raise ValueError("it is a symbolic link")
            data = json.loads(read_regular(path, MANIFEST_BYTES).decode("utf-8"))
            if not isinstance(data, dict):
                raise ValueError("not a JSON object")
        except (ValueError, UnicodeDecodeError, OSError, InputError) as exc:
            raise _damaged(path, exc) from None
        version = data.get("version")
        if version != MANIFEST_VERSION:
            raise ConfigError(
                f"{path}: manifest version {version!r} is not one this yomicast reads ({MANIFEST_VERSION}); it was "
                "written by another version of yomicast: build with that version, or upgrade (the file is left as it is)"
            )
        try:
            raw = data["episodes"]
            if not isinstance(raw, dict):
                raise TypeError("'episodes' is not an object")
            episodes = {slug: _checked(slug, entry) for slug, entry in raw.items()}
            held_raw = data.get("held", {})
            if not isinstance(held_raw, dict):
                raise TypeError("'held' is not an object")
            held = {slug: _checked(slug, entry) for slug, entry in held_raw.items()}
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise _damaged(path, exc) from None
        return cls(episodes=episodes, version=version, held=held)

    def dumps(self) -> bytes:
        data: dict[str, Any] = {
            "version": self.version,
            "episodes": {k: dataclasses.asdict(v) for k, v in self.episodes.items()},
        }
        if self.held:
            data["held"] = {k: dataclasses.asdict(v) for k, v in self.held.items()}
        return (json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode()

    def next_number(self) -> int:
        entries = [*self.episodes.values(), *self.held.values()]
        return max((e.number for e in entries), default=0) + 1


#: a name the manifest may give a file in the output folder: one path component, not hidden, no controls
_FILE_NAME = re.compile(r"[^/\\\x00-\x1f\x7f.][^/\\\x00-\x1f\x7f]{0,199}")
_KINDS: dict[str, Any] = {
    "guid": str, "number": int, "first_built": str, "published": str, "updated": str, "fingerprint": str,
    "slug": str, "title": str, "description": str, "content_html": str, "duration": int, "link": (str, None),
    "files": dict, "article": (str, None), "voice_credits": list, "stem": str, "summary": str, "credit": str,
    "digests": dict, "lines": list, "check": (dict, None),
}  # fmt: skip
#: the fields of a recorded check, and their types
_CHECK: dict[str, Any] = {"file": str, "lines": int, "error_rate": float, "flagged": list, "notes": list,
                          "respoken": int}  # fmt: skip
_FLAG: dict[str, Any] = {"start": float, "end": float, "meant": str, "heard": str, "error_rate": float,
                         "reason": str, "line": (int, None)}  # fmt: skip


def _of_kinds(value: object, kinds: Any) -> bool:
    kinds = kinds if isinstance(kinds, tuple) else (kinds,)
    return any(
        value is None
        if k is None
        else (isinstance(value, int | float) if k is float else isinstance(value, k))
        and not isinstance(value, bool)
        for k in kinds
    )


def _checked_check(slug: object, record: dict[str, Any]) -> None:
    for fields, item in [(_CHECK, record), *((_FLAG, f) for f in record.get("flagged", []))]:
        if not isinstance(item, dict) or set(item) - set(fields):
            raise ValueError(f"episode {slug!r}: its check record is not one yomicast writes")
        for key, value in item.items():
            if not _of_kinds(value, fields[key]):
                raise TypeError(f"episode {slug!r}: check {key} is {type(value).__name__}")
    if not all(isinstance(n, str) for n in record.get("notes", [])):
        raise TypeError(f"episode {slug!r}: check notes is not a list of strings")


def _checked(slug: object, raw: object) -> Entry:
    """An entry of the manifest on disk, which anyone who can write the output folder may have edited: each
    field of its type, each name one file name inside the folder, each date a date."""
    if not isinstance(raw, dict):
        raise TypeError(f"episode {slug!r} is not an object")
    if "voices" in raw and "voice_credits" not in raw:  # its name before 0.9: read, written anew
        raw = {("voice_credits" if k == "voices" else k): v for k, v in raw.items()}
    unknown = set(raw) - set(_KINDS)
    if unknown:
        raise TypeError(f"episode {slug!r} has unknown fields {sorted(unknown)}")
    for key, value in raw.items():
        if not _of_kinds(value, _KINDS[key]):
            raise TypeError(f"episode {slug!r}: {key} is {type(value).__name__}")
    entry = Entry(**raw)
    if entry.check is not None:
        _checked_check(slug, entry.check)
    if not isinstance(slug, str) or slug != entry.slug or not _FILE_NAME.fullmatch(slug):
        raise ValueError(f"episode {slug!r}: its slug is not a file name of this folder")
    if entry.stem and not _FILE_NAME.fullmatch(entry.stem):
        raise ValueError(f"episode {slug!r}: its stem {entry.stem!r} is not a file name of this folder")
    if not entry.guid.strip() or entry.number < 1 or entry.duration < 0:
        raise ValueError(f"episode {slug!r}: guid, number or duration is out of range")
    for name, size in entry.files.items():
        if not (isinstance(name, str) and _FILE_NAME.fullmatch(name) and isinstance(size, int) and size >= 0):
            raise ValueError(f"episode {slug!r}: {name!r} is not a file of this folder")
    if entry.article is not None and not _FILE_NAME.fullmatch(entry.article):
        raise ValueError(f"episode {slug!r}: article {entry.article!r} is not a file name")
    if not all(isinstance(v, str) for v in entry.voice_credits):
        raise TypeError(f"episode {slug!r}: voice_credits is not a list of strings")
    for line in entry.lines:
        if not (
            isinstance(line, list)
            and len(line) == 3
            and all(isinstance(t, int | float) and not isinstance(t, bool) and t >= 0 for t in line[:2])
            and isinstance(line[2], str)
        ):
            raise ValueError(f"episode {slug!r}: a line is not [start, end, speech]")
    for name, stamp in entry.digests.items():
        if not (
            name in entry.files
            and isinstance(stamp, list)
            and len(stamp) == 2
            and isinstance(stamp[0], int)
            and isinstance(stamp[1], str)
            and re.fullmatch(r"[0-9a-f]{64}", stamp[1])
        ):
            raise ValueError(f"episode {slug!r}: the digest of {name!r} is not [time, sha256]")
    for key in ("first_built", "published", "updated"):
        when = dt.datetime.fromisoformat(getattr(entry, key))
        if when.tzinfo is None:
            raise ValueError(f"episode {slug!r}: {key} has no time zone")
    return entry


def _damaged(path: Path, exc: BaseException) -> ConfigError:
    return ConfigError(
        f"{path}: the build manifest is damaged ({exc}); it holds the episodes' GUIDs, so restore it from a "
        "backup rather than deleting it"
    )


def made_from(entry: Entry, path: Path) -> bool:
    if entry.article is None:  # written before entries named their file: one file, one episode
        return entry.slug == slugify(path.stem)
    return entry.article == path.name
