"""What an episode's file names are made of: the article as read and every setting that changes its files
(``settings_fingerprint``, ``article_fingerprint``); a change to either gives the rendition new names
(``rendition_stem``), so a published file never gets other bytes."""

from __future__ import annotations

import dataclasses
import hashlib
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from yomicast.article import Article

if TYPE_CHECKING:
    from yomicast.show.config import Show
    from yomicast.speech.engines import Engine


BUILD_FORMAT = 3  # bump when episode output changes for the same inputs
#: The Show fields that change an episode's files (its tags, its sound, what is said and by whom). Every
#: other field reaches only the feed or how a build runs, and a change to it rewrites the feed, not the
#: MP3s: a list of what counts, so that a table added later does not rename every episode by default. The
#: engine is fingerprinted by what it says changes its sound, not by how it is reached.
EPISODE_FIELDS = (
    "title", "author", "cover", "audio", "pauses", "jingle", "intro", "credit", "pronunciations",
    "dictionary", "voices", "cast",
)  # fmt: skip
#: Fields format 3 counted by mistake (a new [[sources]] entry renamed every episode): counted at their
#: defaults, so that the names of the episodes already published stay as they are.
_COUNTED_AT_DEFAULT = ("publish", "fetch", "sources")


def settings_fingerprint(show: Show, engines: list[Engine], cover: Path) -> str:
    """Everything but the article that changes an episode's files, derived from the settings' own fields."""
    from yomicast.show.config import Show  # only for its defaults; config does not import the manifest

    fields = {name: getattr(show, name) for name in EPISODE_FIELDS}
    fields |= {name: getattr(Show(), name) for name in _COUNTED_AT_DEFAULT}
    blob = {
        "format": BUILD_FORMAT,
        "show": fingerprint_of(fields),
        "engines": [[e.name, fingerprint_of(e.settings())] for e in engines],  # every voice of the cast
        "cover": fingerprint_of(cover),
    }
    return json.dumps(blob, sort_keys=True, ensure_ascii=False, default=str)


def article_fingerprint(article: Article, settings: str) -> str:
    """What the episode is made of: the article as read (not its file's bytes, so a digest appended to a
    file leaves the episodes of the ones before it alone) and the settings."""
    said = [article.title, article.description, article.source, article.sections, article.part]
    blob = json.dumps([fingerprint_of(said), settings], sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(blob.encode()).hexdigest()


def rendition_stem(slug: str, fingerprint: str) -> str:
    """Each rendition of an episode gets file names of its own, so a rebuild never rewrites a file the
    published feed points at: the new files appear beside the old, the feed switches to them in one rename,
    and only then are the old removed."""
    return f"{slug}-{fingerprint[:8]}"


def fingerprint_of(value: Any) -> Any:
    """``value`` as plain JSON data, derived from its own fields: dataclasses by every field, files by a
    hash of their content, so any setting (including one added later) that changes is seen."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: fingerprint_of(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, Path):
        return hashlib.sha256(value.read_bytes()).hexdigest() if value.is_file() else str(value)
    if isinstance(value, dict):
        return {str(k): fingerprint_of(v) for k, v in sorted(value.items())}
    if isinstance(value, list | tuple):
        return [fingerprint_of(v) for v in value]
    return value
