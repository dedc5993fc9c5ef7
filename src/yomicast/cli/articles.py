"""Commands on one article or one voice: sections, episode, engines, voices, say."""

from __future__ import annotations

import dataclasses
import json
import sys
from pathlib import Path
from typing import Annotated

import typer

from yomicast.cli import ArticleArg, CacheOpt, EngineOpt, ShowOpt, app
from yomicast.console import (
    clean_errors,
    numbered,
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
    from yomicast.article import read_articles
    from yomicast.script.outline import outline_dict, outline_text, readings_text
    from yomicast.show.episode import engine_for, load_dictionary, script_options
    from yomicast.speech.engines import create_engine

    the_show = show_for(show, article)
    arts = read_articles(article, the_show.limits.article_mb)
    for art in arts:
        warn(art, len(arts))
    if not (as_json or readings):
        typer.echo("\n\n".join(outline_text(art) for art in arts))
        return
    with engine_for(the_show, engine) as eng, create_engine("openjtalk") as ojt:
        # The kana is Open JTalk's, its user dictionary holding the show's entries (no server is asked).
        load_dictionary(the_show, ojt)
        options = script_options(the_show, eng)
        if as_json:
            docs = [outline_dict(art, options, ojt.kana) for art in arts]  # type: ignore[attr-defined]
            doc = docs[0] if len(docs) == 1 else {"articles": docs}
            sys.stdout.write(json.dumps(doc, ensure_ascii=False, indent=2) + "\n")
        else:
            kana = getattr(eng, "kana", None) or ojt.kana  # type: ignore[attr-defined]
            texts = [readings_text(art, options, kana, ojt.held_in) for art in arts]
            typer.echo("\n".join(texts), nl=False)


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
    from yomicast.article import read_articles
    from yomicast.audio.transcript import write_transcript
    from yomicast.fsutil import check_output
    from yomicast.show.episode import engine_for, make_episode
    from yomicast.speech.cache import SegmentCache

    the_show = show_for(show, article)
    if engine:  # one engine named on the command line speaks every part
        the_show = dataclasses.replace(the_show, cast={})
    arts = read_articles(article, the_show.limits.article_mb)
    inputs = (article, the_show.path)
    for art in arts:
        for given in (numbered(out, art.part), numbered(transcript, art.part) or transcript):
            if given is not None:
                check_output(given, inputs=inputs)
    bar, update = progress_bar("Speaking")
    results = []
    with engine_for(the_show, engine) as eng, bar:
        for art in arts:
            warn(art, len(arts))
            target = numbered(out, art.part)
            results.append(
                make_episode(
                    art, target, the_show, engine=eng, cache=SegmentCache(cache_dir), progress=update
                )
            )
    for art, result in zip(arts, results, strict=True):
        if transcript is not None:
            write_transcript(result.timeline, numbered(transcript, art.part) or transcript)
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
