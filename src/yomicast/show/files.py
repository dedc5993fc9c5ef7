"""The files of a published show, in one table: what each kind is called, what type it is served as, and
whether its name is a fingerprint of its contents. The build, the website, the feed and the publisher read
it; nothing else lists them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from yomicast.settings import ALTERNATES

#: The feed's file name, in the built folder and under the show's base URL.
FEED = "feed.xml"


@dataclass(frozen=True)
class FileKind:
    suffix: str  # what the name ends with: ".mp3", ".chapters.json"
    media_type: str  # its Content-Type
    title: str  # as the episode page's downloads name it
    fingerprinted: bool  # named <slug>-<8 hex> of what it is made of: the same name never gets other bytes
    feed: str | None = None  # how the feed links it: "enclosure", "alternate", "transcript", "chapters"
    alternate: str | None = None  # the [audio] alternates value that asks for it


#: Every file of one episode's rendition, the MP3 first. Alternate renditions come from ``ALTERNATES``.
EPISODE_KINDS: tuple[FileKind, ...] = (
    FileKind(".mp3", "audio/mpeg", "MP3", True, "enclosure"),
    *(
        FileKind(ext, mime, title, True, "alternate", alternate=alt)
        for alt, (ext, mime, title) in ALTERNATES.items()
    ),
    FileKind(".vtt", "text/vtt", "文字起こし (WebVTT)", True, "transcript"),
    FileKind(".srt", "application/srt", "文字起こし (SRT)", True, "transcript"),
    FileKind(".transcript.json", "application/json", "文字起こし (JSON)", True, "transcript"),
    FileKind(".chapters.json", "application/json", "チャプター (JSON)", True, "chapters"),
)

#: The show's own files, whose names never change (their bytes do).
SITE_KINDS: tuple[FileKind, ...] = (
    FileKind(FEED, "application/rss+xml; charset=utf-8", "RSS", False),
    FileKind(".html", "text/html; charset=utf-8", "HTML", False),
    FileKind(".css", "text/css; charset=utf-8", "CSS", False),
    FileKind(".js", "text/javascript; charset=utf-8", "JavaScript", False),
    FileKind(".jpg", "image/jpeg", "JPEG", False),
    FileKind(".jpeg", "image/jpeg", "JPEG", False),
    FileKind(".png", "image/png", "PNG", False),
)

_FINGERPRINT = re.compile(r"-[0-9a-f]{8}$")


def episode_kinds(alternates: tuple[str, ...] = ()) -> tuple[FileKind, ...]:
    """The files one rendition has, with the alternates a show asks for."""
    return tuple(k for k in EPISODE_KINDS if k.alternate is None or k.alternate in alternates)


def kind_of(name: str) -> FileKind | None:
    """The kind of a file in a built folder, by its name; an episode file only when its stem is
    fingerprinted (``<slug>-<8 hex>``), so a page named like one is still a page."""
    for kind in EPISODE_KINDS:
        if name.endswith(kind.suffix) and _FINGERPRINT.search(name[: -len(kind.suffix)]):
            return kind
    for kind in SITE_KINDS:
        if name == kind.suffix or (kind.suffix.startswith(".") and name.lower().endswith(kind.suffix)):
            return kind
    return None
