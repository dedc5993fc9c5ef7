"""One article → one tagged, chaptered MP3: the library call behind ``yomicast episode``."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

from yomicast.article import Article, read_article
from yomicast.engines import Engine, create_engine
from yomicast.script import Script, ScriptOptions, build_script
from yomicast.settings import Progress
from yomicast.show import Show

if TYPE_CHECKING:  # the renderer (numpy, LAME) is imported only when an episode is made
    from yomicast.engines.cache import SegmentCache
    from yomicast.render import RenderResult, Timeline
    from yomicast.tags import EpisodeTags


def engine_for(show: Show, name: str | None = None) -> Engine:
    from yomicast.errors import ConfigError

    chosen = name or show.engine
    options = show.engine_options if chosen == show.engine else {}
    try:
        return create_engine(chosen, **options)
    except ConfigError as exc:
        if show.path is None or name:  # the choice came from the command line, not the show file
            raise
        raise ConfigError(f"{show.path}: [engine]: {exc}") from None


def script_for(article: Article, show: Show, engine: Engine) -> Script:
    return build_script(article, script_options(show, engine))


def script_options(show: Show, engine: Engine) -> ScriptOptions:
    return ScriptOptions(
        show_name=show.title,
        intro=show.intro,
        credit=show.credit,
        pauses=show.pauses,
        jingle=show.jingle,
        dictionary=show.pronunciations,
        latin=not engine.reads_latin,
        known=engine.knows_word,
    )


def summary(article: Article, limit: int = 200) -> str:
    """The article's description, else its lead (first section) cut at a sentence end near ``limit``."""
    if article.description:
        return article.description
    text = "".join(b.removeprefix("- ") for b in article.sections[0].blocks) if article.sections else ""
    if len(text) <= limit:
        return text or article.title
    cut = text.rfind("。", 0, limit)
    return text[: cut + 1] if cut > 40 else text[:limit] + "…"


def episode_tags(article: Article, show: Show) -> EpisodeTags:
    from yomicast.tags import EpisodeTags

    published = article.source.published
    date = (published.date() if isinstance(published, dt.datetime) else published) or dt.date.today()
    return EpisodeTags(
        title=article.title,
        artist=show.author,
        album=show.title,
        date=date.isoformat(),
        description=summary(article),
        source_url=article.source.url,
        publisher=article.source.publisher,
        cover=show.cover,
    )


def make_episode(
    article: Article | Path | str,
    out: Path | str | None = None,
    show: Show | None = None,
    *,
    engine: Engine | None = None,
    cache: SegmentCache | None = None,
    progress: Progress | None = None,
) -> RenderResult:
    """Speak ``article`` into ``out`` (default ``<slug>.mp3`` in the current folder)."""
    from yomicast.engines.cache import SegmentCache
    from yomicast.render import render_episode
    from yomicast.tags import write_tags

    show = show or Show()
    art = article if isinstance(article, Article) else read_article(article)
    own_engine = engine is None
    engine = engine or engine_for(show)
    try:
        script = script_for(art, show, engine)
        target = Path(out) if out else Path.cwd() / f"{art.slug}.mp3"
        tags = episode_tags(art, show)

        def tag(path: Path, timeline: Timeline) -> None:
            write_tags(path, tags, timeline)

        return render_episode(
            script, engine, cache or SegmentCache(), target, audio=show.audio, tags=tag, progress=progress
        )
    finally:
        if own_engine:
            engine.close()
