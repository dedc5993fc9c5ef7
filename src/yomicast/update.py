"""The show's runs, each one library call the command line makes: ``fetch_show`` (the show's sources, or
the URLs given, into its folder), ``build_checked`` (the build, heard by Whisper when asked or when
``[check] enabled``) and ``update_show`` (fetch, build, then publish to ``[publish] to``: the daily run).
In: a folder of articles and its show.toml. Out: their reports. May import: every stage below it."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from yomicast.errors import ConfigError
from yomicast.settings import Progress, Source
from yomicast.show.config import load_show

if TYPE_CHECKING:
    from yomicast.fetch.fetcher import FetchReport, Written
    from yomicast.publish.publisher import PublishReport
    from yomicast.show.build import BuildReport
    from yomicast.show.records import Event, Listener
    from yomicast.speech.cache import SegmentCache


def fetch_show(
    folder: Path,
    urls: Sequence[str] | None = None,
    *,
    limit: int | None = None,
    delay: float | None = None,
    on_new: Callable[[Written], None] | None = None,
    on_skip: Callable[[str, str], None] | None = None,
) -> FetchReport:
    """Fetch ``urls`` (or the ``[[sources]]`` of the folder's show.toml) into ``folder``, with the show's
    ``[fetch]`` settings (``delay`` given overrides its own)."""
    from yomicast.fetch.fetcher import fetch_sources

    show = load_show(folder)
    if urls:
        sources = [Source(url) for url in urls]
    elif show.sources:
        sources = list(show.sources)
    else:
        raise ConfigError(
            f'nothing to fetch: give a URL, or add [[sources]] url = "…" to {folder / "show.toml"}'
        )
    settings = show.fetch if delay is None else dataclasses.replace(show.fetch, delay=delay)
    return fetch_sources(sources, folder, settings=settings, limit=limit, on_new=on_new, on_skip=on_skip)


def listener_for(folder: Path, check: bool | None = None) -> Listener | None:
    """The listening check's hook for a build of ``folder``: when ``check`` asks for it, or (``check``
    None) when its ``[check] enabled`` does; None otherwise. A missing extra fails here, before a word
    is spoken."""
    if not folder.is_dir():
        return None  # the build says so, in its own words
    settings = load_show(folder).check
    if not (check if check is not None else settings.enabled):
        return None
    from yomicast.check.listen import listener

    return listener(settings.model, threshold=settings.threshold)


def build_checked(folder: Path, out: Path, *, check: bool | None = None, **build: Any) -> BuildReport:
    """``build_show(folder, out, **build)``, every new episode heard first when the check is on."""
    from yomicast.show.build import build_show

    return build_show(folder, out, listen=listener_for(folder, check), **build)


@dataclass
class UpdateReport:
    fetched: FetchReport | None  # None: the show has no [[sources]]
    build: BuildReport
    published: PublishReport | None  # None: the show has no [publish] to

    @property
    def failed(self) -> bool:
        """An article that failed to build, or an entry that failed to be fetched."""
        return bool(self.build.failed) or bool(self.fetched and self.fetched.skipped)


def update_show(
    folder: Path,
    out: Path,
    *,
    engine_name: str | None = None,
    cache: SegmentCache | None = None,
    allow_removals: bool = False,
    check: bool | None = None,
    profile: str | None = None,
    on_new: Callable[[Written], None] | None = None,
    on_skip: Callable[[str, str], None] | None = None,
    on_event: Event | None = None,
    progress: Progress | None = None,
) -> UpdateReport:
    """Fetch the show's sources (when it has any), build it, then publish it to ``[publish] to`` (when set).
    A build that fails as a whole (a broken show.toml, the removal guard) raises before anything is
    published; articles that fail are reported and the rest goes out."""
    from yomicast.publish.publisher import publish_show

    show = load_show(folder)
    fetched = fetch_show(folder, on_new=on_new, on_skip=on_skip) if show.sources else None
    report = build_checked(
        folder, out, check=check, engine_name=engine_name, cache=cache, allow_removals=allow_removals,
        on_event=on_event, progress=progress,
    )  # fmt: skip
    settings = show.publish
    published = None
    if settings.to is not None:
        published = publish_show(
            out, settings.to, settings=settings, endpoint_url=settings.endpoint_url, profile=profile
        )
    return UpdateReport(fetched, report, published)
