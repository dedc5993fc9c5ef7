"""One article → one tagged, chaptered MP3: the library call behind ``yomicast episode``."""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
from collections.abc import Callable, Iterator
from contextlib import nullcontext
from pathlib import Path
from typing import TYPE_CHECKING

from yomicast.article import Article, read_article
from yomicast.errors import InputError
from yomicast.script.compose import PARTS, Script, ScriptOptions, build_script
from yomicast.settings import Progress
from yomicast.show.config import Show
from yomicast.show.notes import summary
from yomicast.speech.cast import Cast, cast_for
from yomicast.speech.engines import Engine, create_engine

if TYPE_CHECKING:  # the renderer (numpy, LAME) is imported only when an episode is made
    from yomicast.audio.tags import EpisodeTags
    from yomicast.render.stages import RenderResult
    from yomicast.show.records import Stage
    from yomicast.speech.cache import SegmentCache


def engine_for(show: Show, name: str | None = None) -> Engine:
    """A new engine for the show (or the one named on the command line); the caller closes it."""
    from yomicast.errors import ConfigError

    chosen = name or show.engine
    options = show.engine_options if chosen == show.engine else {}
    try:
        return create_engine(chosen, **options)
    except ConfigError as exc:
        if show.path is None or name:  # the choice came from the command line, not the show file
            raise
        raise ConfigError(f"{show.path}: [engine]: {exc}") from None


@contextlib.contextmanager
def using_engine(show: Show, engine: Engine | None = None, name: str | None = None) -> Iterator[Engine]:
    """The engine given, left open for its owner; or a new one for the show, closed on the way out."""
    if engine is not None:
        yield engine
        return
    with engine_for(show, name) as own:
        yield own


def script_for(article: Article, show: Show, cast: Engine | Cast) -> Script:
    return build_script(article, script_options(show, cast))


#: Japanese speech runs at about 7–8 characters of text a second; the planned length is reckoned at the
#: fast end, so only what is surely too long is refused.
CHARS_PER_SECOND = 9.0


def check_planned_length(script: Script, article: Article, minutes: float) -> None:
    """Refuse, before anything is spoken, an episode whose speech would surely run over ``minutes``."""
    chars = sum(len(line.speech) for line in script.lines)
    pauses = sum(line.pause_after for line in script.lines)
    planned = (chars / CHARS_PER_SECOND + pauses) / 60
    if planned > minutes:
        raise InputError(
            f"{article.title[:40]}: about {planned:.0f} minutes of speech, over the {minutes:g}-minute limit "
            "for one episode; split the article, or raise [limits] episode_minutes in show.toml"
        )


def load_dictionary(show: Show, cast: Engine | Cast) -> tuple[list[str], list[str]]:
    """Put the show's entries with an accent into the dictionary of every voice that has one: (a line per
    engine that says what took effect, a line per word that did not)."""
    cast = cast if isinstance(cast, Cast) else Cast(cast)
    done: list[str] = []
    problems: list[str] = []
    for eng in cast.engines:
        said = eng.use_dictionary(show.dictionary)
        if said is not None:
            done += said[0]
            problems += said[1]
    return done, problems


def text_dictionary(show: Show, engine: Engine) -> dict[str, str]:
    """The words rewritten in the text for ``engine``: the show's plain entries, and those with an accent
    that the engine does not hold (it has no dictionary of its own), or holds under their reading (a word
    in letters or digits, which the rules would read first)."""
    words = dict(show.pronunciations)
    for p in show.dictionary:
        if not engine.has_dictionary:
            words.setdefault(p.surface, p.reading)
        elif p.engine_word != p.surface:
            words.setdefault(p.surface, p.kana)
    return words


def engine_words(show: Show, engine: Engine) -> tuple[str, ...]:
    """The words ``engine``'s own dictionary holds as written: they reach it untouched by any rule."""
    if not engine.has_dictionary:
        return ()
    return tuple(p.surface for p in show.dictionary if p.engine_word == p.surface)


def script_options(show: Show, cast: Engine | Cast) -> ScriptOptions:
    """How the show's script is written for these voices: each part read for the voice that speaks it, and
    the credits every voice's terms require."""
    cast = cast if isinstance(cast, Cast) else Cast(cast)
    engine = cast.default
    return ScriptOptions(
        show_name=show.title,
        intro=show.intro,
        credit=show.credit,
        pauses=show.pauses,
        jingle=show.jingle,
        dictionary=text_dictionary(show, engine),
        dictionaries={part: text_dictionary(show, eng) for part, eng in cast.parts.items()},
        keep=engine_words(show, engine),
        keeps={part: engine_words(show, eng) for part, eng in cast.parts.items()},
        latin=not engine.reads_latin,
        known=engine.knows_word,
        readers={part: (not eng.reads_latin, eng.knows_word) for part, eng in cast.parts.items()},
        voice_credits=cast.credits(list(PARTS)),
    )


def episode_tags(
    article: Article,
    show: Show,
    voice_credits: tuple[str, ...] = (),
    number: int | None = None,
    cover: Path | None = None,
) -> EpisodeTags:
    from yomicast.audio.tags import EpisodeTags
    from yomicast.script.credits import voice_credit_text

    credited = voice_credit_text(voice_credits)
    return EpisodeTags(
        title=article.title,
        artist=show.author,
        album=show.title,
        date=(article.source.day or dt.date.today()).isoformat(),
        description=summary(article) + (f"\n\n{credited}" if credited else ""),
        source_url=article.source.url,
        publisher=article.source.publisher,
        cover=cover or show.cover,
        number=number,
    )


def make_episode(
    article: Article | Path | str,
    out: Path | str | None = None,
    show: Show | None = None,
    *,
    engine: Engine | None = None,
    cast: Cast | None = None,
    number: int | None = None,
    cover: Path | None = None,
    cache: SegmentCache | None = None,
    progress: Progress | None = None,
    streams: int | None = None,
    on_stage: Callable[[Stage], None] | None = None,
) -> RenderResult:
    """Speak ``article`` into ``out`` (default ``<slug>.mp3`` in the current folder).

    An ``engine`` passed in stays open (its owner closes it); without one, the show's engine is made and
    closed here. ``cast``, the show's cast already made (a build makes it once), is used as it is.
    ``number`` and ``cover`` (the show's published cover, drawn or given) go into the tags. ``on_stage``
    is told each stage as it begins: ``script``, then the render's (``speak``, ``master``, ``write``).
    """
    from yomicast.audio.tags import write_tags
    from yomicast.render.stages import render_episode
    from yomicast.speech.cache import SegmentCache

    show = show or Show()
    art = article if isinstance(article, Article) else read_article(article)
    target = Path(out) if out else Path.cwd() / f"{art.slug}.mp3"
    with (
        using_engine(show, engine) as eng,
        nullcontext(cast) if cast else cast_for(show.cast_settings, eng) as made,
    ):
        if cast is None:  # a cast made here: its voices get the show's dictionary (a build's have it)
            load_dictionary(show, made)
        if on_stage:
            on_stage("script")
        tags = episode_tags(art, show, made.credits(list(PARTS)), number, cover)
        script = script_for(art, show, made)
        check_planned_length(script, art, show.limits.episode_minutes)
        return render_episode(
            script,
            made,
            cache or SegmentCache(),
            target,
            audio=show.audio,
            tags=lambda path, timeline: write_tags(path, tags, timeline),
            progress=progress,
            streams=streams,
            title=art.title,
            on_stage=on_stage,
        )


def numbered(path: Path | None, part: int) -> Path | None:
    """out.mp3 for the first article of a file, out-2.mp3 for the second, …"""
    if path is None or part == 1:
        return path
    return path.with_name(f"{path.stem}-{part}{path.suffix}")


def article_episodes(
    path: Path,
    out: Path | None,
    show: Show,
    *,
    engine_name: str | None = None,
    transcript: Path | None = None,
    cache: SegmentCache | None = None,
    progress: Progress | None = None,
    on_article: Callable[[Article, int], None] | None = None,
) -> list[RenderResult]:
    """``yomicast episode``: each digest of an article file spoken into an MP3 of its own (``out``, then
    ``out-2.mp3`` …), with its transcript when one is asked for. Every output is checked before anything
    is spoken (none may be an input). ``engine_name``, given, speaks every part. ``on_article`` is told
    each digest as it is spoken, with how many the file holds."""
    from yomicast.article import read_articles
    from yomicast.audio.transcript import write_transcript
    from yomicast.fsutil import check_output
    from yomicast.speech.cache import SegmentCache

    if engine_name:
        show = dataclasses.replace(show, cast={})
    arts = read_articles(path, show.limits.article_mb)
    for art in arts:
        for given in (numbered(out, art.part), numbered(transcript, art.part)):
            if given is not None:
                check_output(given, inputs=(path, show.path))
    cache = SegmentCache() if cache is None else cache
    results = []
    with engine_for(show, engine_name) as eng:
        for art in arts:
            if on_article:
                on_article(art, len(arts))
            results.append(
                make_episode(art, numbered(out, art.part), show, engine=eng, cache=cache, progress=progress)
            )
    if transcript is not None:
        for art, result in zip(arts, results, strict=True):
            write_transcript(result.timeline, numbered(transcript, art.part) or transcript)
    return results
