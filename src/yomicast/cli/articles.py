"""Commands on one article or one voice: sections, episode, engines, voices, say."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from yomicast.cli import ArticleArg, CacheOpt, EngineOpt, ShowOpt, app
from yomicast.console import (
    clean_errors,
    progress_bar,
    show_for,
    warn,
)


@app.command()
@clean_errors
def sections(
    article: ArticleArg,
    as_json: Annotated[bool, typer.Option("--json", help="Print the machine-readable outline.")] = False,
    readings: Annotated[
        bool,
        typer.Option("--readings", help="Show each sentence's speech text and the kana the engine will say."),
    ] = False,
    engine: Annotated[
        str | None, typer.Option("--engine", "-e", help="Speech engine whose reading to show.")
    ] = None,
    show: Annotated[
        Path | None, typer.Option("--show", help="show.toml (default: the one beside the article).")
    ] = None,
) -> None:
    """Show how an article splits into title, source and sections, and what will be said.

    Example: yomicast sections episodes/msmt-report.txt --readings
    """
    from yomicast.show.sections import Form, article_outline

    form: Form = "json" if as_json else "readings" if readings else "text"
    outline = article_outline(article, show_for(show, article), form, engine_name=engine, on_article=warn)
    typer.echo(outline, nl=False)


@app.command()
@clean_errors
def episode(
    article: ArticleArg,
    out: Annotated[
        Path | None, typer.Option("--out", "-o", help="The MP3 to write (default: <slug>.mp3).")
    ] = None,
    engine: EngineOpt = None,
    show: ShowOpt = None,
    cache_dir: CacheOpt = None,
    transcript: Annotated[
        Path | None,
        typer.Option("--transcript", help="Also write a transcript with real timings (.vtt or .srt)."),
    ] = None,
) -> None:
    """Speak one article into one tagged MP3 with chapters (a file of several digests: one MP3 each).

    Example: yomicast episode episodes/msmt-report.txt -o msmt.mp3 --transcript msmt.vtt
    """
    from yomicast.show.episode import article_episodes
    from yomicast.speech.cache import SegmentCache

    bar, update = progress_bar("Speaking")
    with bar:
        results = article_episodes(
            article, out, show_for(show, article), engine_name=engine, transcript=transcript,
            cache=SegmentCache(cache_dir), progress=update, on_article=warn,
        )  # fmt: skip
    for result in results:
        minutes, seconds = divmod(round(result.timeline.duration), 60)
        typer.echo(f"{result.path}")
        typer.echo(
            f"  {minutes}:{seconds:02d}, {len(result.timeline.chapters)} chapters, "
            f"{result.synthesized} segments spoken, {result.cached} from cache"
        )


@app.command()
@clean_errors
def engines() -> None:
    """List the speech engines and whether each can be used here.

    Example: yomicast engines
    """
    from yomicast.speech.engines import engine_statuses

    for st in engine_statuses():
        state = "usable" if st.problem is None else f"not usable: {st.problem}"
        typer.echo(f"{st.name}{' (default)' if st.default else ''}: {st.description}; {state}")


UrlOpt = Annotated[list[str] | None, typer.Option("--url", help="A VOICEVOX-family server (repeatable).")]


@app.command()
@clean_errors
def voices(
    engine: Annotated[str | None, typer.Option("--engine", "-e", help="Only this engine.")] = None,
    url: UrlOpt = None,
) -> None:
    """List the voices each engine offers: VOICEVOX characters and styles with their ids, and so on.

    Example: yomicast voices --engine voicevox --url http://127.0.0.1:50021
    """
    from yomicast.speech.engines import list_voices

    for name, lines in list_voices(engine, url):
        typer.echo(f"{name}:")
        for line in lines:
            typer.echo(f"  {line}")


@app.command()
@clean_errors
def say(
    text: Annotated[str, typer.Argument(help="What to say (Japanese text).")],
    out: Annotated[Path, typer.Option("--out", "-o", help="The MP3 to write.")] = Path("say.mp3"),
    engine: EngineOpt = None,
    voice: Annotated[
        str | None, typer.Option("--voice", help="A voice of the engine (see yomicast voices).")
    ] = None,
    speaker: Annotated[
        str | None, typer.Option("--speaker", hidden=True, help="The old name of --voice.")
    ] = None,
    url: UrlOpt = None,
    cache_dir: CacheOpt = None,
) -> None:
    """Speak a line of text with a voice, to audition it before building a show.

    Example: yomicast say "今日のニュースをお伝えします。" --engine voicevox --voice 四国めたん -o try.mp3
    """
    from yomicast.render.audition import audition
    from yomicast.speech.cache import SegmentCache
    from yomicast.speech.engines import DEFAULT_ENGINE

    if speaker is not None:
        typer.echo("yomicast: warning: --speaker is now called --voice; --speaker is still read", err=True)
    result = audition(
        text,
        out,
        engine=engine or DEFAULT_ENGINE,
        voice=voice or speaker,
        urls=url,
        cache=SegmentCache(cache_dir),
    )
    typer.echo(f"{result.path}  ({result.timeline.duration:.1f} s)")
