"""ID3 tags and chapters, read off one field table (mutagen is wrapped here and only here).

Chapters are one CHAP frame per chapter with a TIT2 sub-frame, listed by one top-level ordered CTOC: the
form Apple Podcasts, Overcast and Pocket Casts read. Tags are written as ID3v2.3 (UTF-16 text), which
every player reads.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mutagen.id3 import (
    APIC,
    CHAP,
    COMM,
    CTOC,
    ID3,
    TALB,
    TCON,
    TDRC,
    TIT2,
    TLAN,
    TPE1,
    TPUB,
    TRCK,
    TSSE,
    WOAS,
    CTOCFlags,
    Encoding,
)

from yomicast.audio.timeline import Timeline
from yomicast.errors import OutputError


@dataclass(frozen=True)
class EpisodeTags:
    title: str
    artist: str | None = None  # the show's author
    album: str | None = None  # the show's name
    date: str | None = None  # ISO 8601 date
    genre: str = "Podcast"
    description: str | None = None
    source_url: str | None = None
    language: str = "jpn"
    publisher: str | None = None
    cover: Path | None = None
    number: int | None = None  # the episode number in the show


# field → how to make its frame; the one place that says which frame holds what
FIELDS = {
    "title": lambda v: TIT2(encoding=Encoding.UTF8, text=v),
    "artist": lambda v: TPE1(encoding=Encoding.UTF8, text=v),
    "album": lambda v: TALB(encoding=Encoding.UTF8, text=v),
    "date": lambda v: TDRC(encoding=Encoding.UTF8, text=v),
    "genre": lambda v: TCON(encoding=Encoding.UTF8, text=v),
    "description": lambda v: COMM(encoding=Encoding.UTF8, lang="jpn", desc="", text=v),
    "source_url": lambda v: WOAS(url=v),
    "language": lambda v: TLAN(encoding=Encoding.UTF8, text=v),
    "publisher": lambda v: TPUB(encoding=Encoding.UTF8, text=v),
    "number": lambda v: TRCK(encoding=Encoding.UTF8, text=str(v)),
}


CTOC_MAX = 255  # children one CTOC frame can list


def write_tags(path: Path, tags: EpisodeTags, timeline: Timeline) -> None:
    id3 = ID3()
    for name, make in FIELDS.items():
        value = getattr(tags, name)
        if value:
            id3.add(make(value))
    id3.add(TSSE(encoding=Encoding.UTF8, text="yomicast"))
    if tags.cover is not None:
        data = tags.cover.read_bytes()
        mime = "image/png" if data.startswith(b"\x89PNG") else "image/jpeg"
        id3.add(APIC(encoding=Encoding.UTF8, mime=mime, type=3, desc="Cover", data=data))
    ids = []
    for n, ch in enumerate(timeline.chapters):
        element = f"chp{n}"
        ids.append(element)
        id3.add(
            CHAP(
                element_id=element,
                start_time=round(ch.start * 1000),
                end_time=round(ch.end * 1000),
                start_offset=0xFFFFFFFF,
                end_offset=0xFFFFFFFF,
                sub_frames=[TIT2(encoding=Encoding.UTF8, text=ch.title)],
            )
        )
    if len(ids) > CTOC_MAX:
        # A CTOC counts its children in one byte: more chapters go into ordered sub-tables of contents.
        groups = [ids[k : k + CTOC_MAX] for k in range(0, len(ids), CTOC_MAX)]
        ids = []
        for n, group in enumerate(groups, 1):
            ids.append(f"toc{n}")
            id3.add(
                CTOC(element_id=f"toc{n}", flags=CTOCFlags.ORDERED, child_element_ids=group, sub_frames=[])
            )
    if ids:
        id3.add(
            CTOC(
                element_id="toc",
                flags=CTOCFlags.TOP_LEVEL | CTOCFlags.ORDERED,
                child_element_ids=ids,
                sub_frames=[TIT2(encoding=Encoding.UTF8, text="目次")],
            )
        )
    try:
        id3.save(path, v2_version=3)
        _chapters_in_time_order(path)
    except OSError as exc:
        raise OutputError(f"cannot write tags to {path}: {exc.strerror or exc}") from None


def _chapters_in_time_order(path: Path) -> None:
    """Put the CHAP frames of an ID3v2.3 tag in time order, in place.

    mutagen writes frames sorted by size, and players built on ffmpeg (mpv, VLC, Jellyfin, Audiobookshelf)
    list chapters in the order their frames stand in the file, whatever the CTOC says. The tag is read as
    the format defines it (10-byte header, then frames of ID, size, flags and data), the CHAP frames are
    sorted by start time among themselves, and the same bytes are written back: same size, same frames.
    """
    with path.open("r+b") as fh:
        header = fh.read(10)
        if header[:3] != b"ID3" or header[3] != 3 or header[5] != 0:
            return  # not the plain v2.3 tag written just above (no extended header, no unsynchronisation)
        size = int.from_bytes(bytes(b & 0x7F for b in header[6:10]), "big")  # syncsafe
        body = fh.read(size)
        frames: list[bytes] = []
        pos = 0
        while pos + 10 <= len(body) and body[pos] != 0:
            length = int.from_bytes(body[pos + 4 : pos + 8], "big")
            frames.append(body[pos : pos + 10 + length])
            pos += 10 + length
        chapters = [f for f in frames if f[:4] == b"CHAP"]

        def start(frame: bytes) -> int:
            data = frame[10:]
            at = data.index(b"\0") + 1  # after the null-terminated element id
            return int.from_bytes(data[at : at + 4], "big")

        ordered = iter(sorted(chapters, key=start))
        rebuilt = b"".join(next(ordered) if f[:4] == b"CHAP" else f for f in frames)
        if rebuilt != body[:pos]:
            fh.seek(10)
            fh.write(rebuilt)


def read_chapters(path: Path) -> list[tuple[str, float, float]]:
    """(title, start, end) of each chapter in table-of-contents order (sub-tables flattened)."""
    id3 = ID3(path)
    tocs = {t.element_id: t for t in id3.getall("CTOC")}
    top = next(t for t in tocs.values() if t.flags & CTOCFlags.TOP_LEVEL)
    chaps = {c.element_id: c for c in id3.getall("CHAP")}
    out = []

    def walk(toc: Any) -> None:
        for element in toc.child_element_ids:
            if element in tocs:
                walk(tocs[element])
            else:
                c = chaps[element]
                out.append((str(c.sub_frames["TIT2"]), c.start_time / 1000, c.end_time / 1000))

    walk(top)
    return out
