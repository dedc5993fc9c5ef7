"""The output folder's housekeeping: a file written only when its bytes change, an episode's text files
beside its MP3, a build refused before it empties the feed, and the files no feed names any more removed.
"""

from __future__ import annotations

import contextlib
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from yomicast.errors import BusyError, InputError, OutputError
from yomicast.fsutil import atomic_write_bytes, atomic_write_text
from yomicast.show.files import EPISODE_KINDS, FEED, kind_of
from yomicast.show.manifest import Manifest
from yomicast.show.website import page_name

if TYPE_CHECKING:
    from yomicast.audio.timeline import Timeline
    from yomicast.show.manifest import Entry
    from yomicast.show.website import PageText, Site


@contextlib.contextmanager
def one_build_at_a_time(lock_path: Path) -> Iterator[None]:
    """Hold the output folder's lock while a build writes to it; another build is told, not waited for."""
    from filelock import FileLock, Timeout

    out = lock_path.parent
    lock = FileLock(str(lock_path))
    try:
        lock.acquire(timeout=0.5)
    except Timeout:
        raise BusyError(
            f"another yomicast build is writing to {out}; wait for it to finish, then run again"
        ) from None
    except OSError as exc:
        raise OutputError(f"cannot lock {out}: {exc.strerror or exc}") from None
    try:
        yield
    finally:
        lock.release()


def write_if_changed(path: Path, data: bytes) -> None:
    """Write ``data`` unless ``path`` is a regular file that already holds it. Whatever else stands at that
    name (a pipe, a link, a device) is never read or written through: it is replaced."""
    try:
        st = path.lstat()
        if stat.S_ISREG(st.st_mode) and st.st_size == len(data) and path.read_bytes() == data:
            return
    except OSError:
        pass
    atomic_write_bytes(path, data)


def write_transcripts(out: Path, stem: str, timeline: Timeline) -> None:
    """The chapters JSON and the three transcripts of a rendition, from its own timeline."""
    from yomicast.audio.transcript import to_chapters_json, to_srt, to_transcript_json, to_vtt

    atomic_write_text(out / f"{stem}.chapters.json", to_chapters_json(timeline))
    atomic_write_text(out / f"{stem}.vtt", to_vtt(timeline))
    atomic_write_text(out / f"{stem}.srt", to_srt(timeline))
    atomic_write_text(out / f"{stem}.transcript.json", to_transcript_json(timeline))


def check_removals(
    manifest: Manifest, out: Path, staying: set[str], share: float, *, allowed: bool, folder: Path
) -> None:
    """Stop before the feed is written when it would lose more than ``share`` of its episodes: an emptied
    or wrong folder would otherwise empty every subscriber's copy of the show."""
    listed = {s for s in manifest.episodes if (out / page_name(s)).is_file()}  # in the feed now
    gone = listed - staying
    if allowed or not gone or len(gone) <= share * len(listed):
        return
    raise InputError(
        f"{folder}: this build would take {len(gone)} of the feed's {len(listed)} episodes out of it "
        f"(more than {share:.0%}: articles missing from the folder?); nothing was changed; if it is "
        "meant, run again with --allow-removals"
    )


def remove_superseded(manifest: Manifest, out: Path, before: set[str]) -> None:
    """Delete the files of renditions the feed no longer names: those of the manifest before this build,
    and those a killed build left, recognised by their rendition names."""
    entries = [*manifest.episodes.values(), *manifest.held.values()]
    keep = {name for e in entries for name in e.files}
    slugs = {e.slug for e in entries}
    for path in out.iterdir():
        name = path.name
        if name in keep or not path.is_file():
            continue
        if name in before or is_rendition(name, slugs):
            path.unlink(missing_ok=True)


def is_rendition(name: str, slugs: set[str]) -> bool:
    """A file name of a rendition of one of these episodes (``<slug>-<8 hex><ext>``)."""
    kind = kind_of(name)
    if kind is None or kind not in EPISODE_KINDS:
        return False
    return name[: -len(kind.suffix)].rpartition("-")[0] in slugs


def write_show(
    out: Path,
    site: Site,
    feed: bytes,
    published: list[Entry],
    manifest: Manifest,
    before: set[str],
    texts: dict[str, PageText],
) -> None:
    """The show's own files, in the order that keeps the folder consistent: media first (written before
    this), then the pages (``texts``: the episodes just made, from their timelines), then the feed and the index, each in one rename; the manifest records it; only
    then do the files of superseded renditions go. A build killed at any moment leaves a feed and pages
    whose files are all there."""
    from yomicast.show.manifest import MANIFEST

    for name, data in site.assets().items():
        write_if_changed(out / name, data)
    for entry in published:
        write_if_changed(out / page_name(entry.slug), site.episode_page(entry, texts.get(entry.slug)))
    write_if_changed(out / FEED, feed)
    write_if_changed(out / "index.html", site.index_page(published))
    write_if_changed(out / MANIFEST, manifest.dumps())
    remove_superseded(manifest, out, before)
    for slug in set(manifest.episodes) - {e.slug for e in published}:  # out of the feed: no page either
        (out / page_name(slug)).unlink(missing_ok=True)
