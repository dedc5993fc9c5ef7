"""The ``yomicast`` command: options in, one library call, output out.

Library errors (``YomicastError``) become one line on stderr and a non-zero exit; anything else is a bug
and keeps its traceback.
"""

from pathlib import Path
from typing import Annotated

import typer

app = typer.Typer(
    help="Turn Japanese news articles into a podcast: chaptered MP3 episodes and an RSS feed.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


@app.callback()
def _root(
    version: Annotated[bool, typer.Option("--version", help="Print the version and exit.")] = False,
) -> None:
    """Turn Japanese news articles into a podcast: chaptered MP3 episodes and an RSS feed."""
    from yomicast.console import show_library_warnings

    show_library_warnings()
    if version:
        from yomicast import __version__

        typer.echo(__version__)
        raise typer.Exit()


ArticleArg = Annotated[Path, typer.Argument(help="An article: .txt (news digest) or .md (front matter).")]

CacheOpt = Annotated[
    Path | None,
    typer.Option(
        "--cache-dir", help="Segment cache folder (default: $YOMICAST_CACHE_DIR or the user cache)."
    ),
]
EngineOpt = Annotated[
    str | None,
    typer.Option(
        "--engine", "-e", help="Speech engine: openjtalk (default), gtts, voicevox, aivisspeech or fake."
    ),
]
ShowOpt = Annotated[
    Path | None, typer.Option("--show", help="show.toml (default: the one beside the article, if any).")
]


# The commands, by what they work on; importing them registers them on ``app``.
# (verify after shows: check is listed last, as it runs last)
from yomicast.cli import articles, shows, verify  # noqa: E402,F401
