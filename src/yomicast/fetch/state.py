"""What ``yomicast fetch`` remembers, in one small file in the articles folder (``.yomicast-fetch.json``):
for each URL its ETag and Last-Modified, for each article written its file, the hash of its text, its
feed GUID and the URLs that led to it. Written atomically after every article, so a killed fetch loses
nothing. The file sits in a folder anyone may write to, so it is read as untrusted input."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from yomicast.errors import InputError
from yomicast.fsutil import atomic_write_text, read_regular

STATE_NAME = ".yomicast-fetch.json"
STATE_BYTES = 64 * 1024 * 1024
VERSION = 1


@dataclass
class Known:
    file: str
    hash: str
    fetched: str
    guid: str | None = None
    aliases: list[str] = field(default_factory=list)


@dataclass
class State:
    path: Path
    validators: dict[str, dict[str, str]] = field(default_factory=dict)  # url → etag, last_modified
    articles: dict[str, Known] = field(default_factory=dict)  # final url → what was written
    guids: dict[str, str] = field(default_factory=dict)  # feed GUID → final url
    dropped: dict[str, str] = field(default_factory=dict)  # entry GUID or URL → why it holds no article

    @classmethod
    def load(cls, folder: Path) -> State:
        path = folder / STATE_NAME
        if not path.exists() and not path.is_symlink():
            return cls(path)
        if path.is_symlink():
            raise InputError(f"{path}: is a link; the fetch state must be a file of its own")
        data = read_regular(path, STATE_BYTES, name=str(path))
        try:
            raw = json.loads(data)
            return cls(path, **_checked(raw))
        except (ValueError, TypeError, KeyError) as exc:
            raise InputError(
                f"{path}: the fetch state is damaged ({exc}); move it away to start afresh (every entry of "
                "the sources will be fetched again)"
            ) from None

    def find(self, *keys: str | None) -> str | None:
        """The URL an article already written is kept under, found by any of ``keys`` (a feed GUID, its
        URL, or a URL that led to it)."""
        for key in keys:
            if not key:
                continue
            url = self.guids.get(key, key)
            if url in self.articles:
                return url
            for url, known in self.articles.items():
                if key in known.aliases:
                    return url
        return None

    def seen(self, *keys: str | None) -> Known | None:
        url = self.find(*keys)
        return None if url is None else self.articles[url]

    def remember(self, url: str, known: Known) -> None:
        self.articles[url] = known
        if known.guid:
            self.guids[known.guid] = url

    def save(self) -> None:
        data = {
            "version": VERSION,
            "validators": self.validators,
            "articles": {u: vars(k) for u, k in sorted(self.articles.items())},
            "guids": dict(sorted(self.guids.items())),
            "dropped": dict(sorted(self.dropped.items())),
        }
        atomic_write_text(self.path, json.dumps(data, ensure_ascii=False, indent=1) + "\n")


def _checked(raw: Any) -> dict[str, Any]:
    if not isinstance(raw, dict) or raw.get("version") != VERSION:
        raise ValueError(f"not version {VERSION} of the state")
    validators = raw.get("validators", {})
    articles = raw.get("articles", {})
    guids = raw.get("guids", {})
    dropped = raw.get("dropped", {})
    if not all(isinstance(x, dict) for x in (validators, articles, guids, dropped)):
        raise ValueError("validators, articles, guids and dropped must be objects")
    if not all(isinstance(k, str) and isinstance(v, str) for k, v in dropped.items()):
        raise ValueError("dropped")
    for url, v in validators.items():
        if (
            not isinstance(v, dict)
            or not all(isinstance(x, str) for x in v.values())
            or set(v) - {"etag", "last_modified"}
        ):
            raise ValueError(f"validators of {url[:80]!r}")
    known = {}
    for url, k in articles.items():
        if not isinstance(k, dict):
            raise ValueError(f"article {url[:80]!r}")
        entry = Known(**k)
        if not all(isinstance(getattr(entry, f), str) for f in ("file", "hash", "fetched")):
            raise ValueError(f"article {url[:80]!r}")
        if entry.guid is not None and not isinstance(entry.guid, str):
            raise ValueError(f"article {url[:80]!r}")
        if not isinstance(entry.aliases, list) or not all(isinstance(a, str) for a in entry.aliases):
            raise ValueError(f"article {url[:80]!r}")
        known[url] = entry
    if not all(isinstance(g, str) and isinstance(u, str) for g, u in guids.items()):
        raise ValueError("guids")
    return {"validators": validators, "articles": known, "guids": guids, "dropped": dropped}
