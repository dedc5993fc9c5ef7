"""The ``yomicast`` command: options in, one library call, output out.

Library errors (``YomicastError``) become one line on stderr and a non-zero exit; anything else is a bug
and keeps its traceback.
"""

from __future__ import annotations

import functools
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, TypeVar

import typer

from yomicast.errors import YomicastError

app = typer.Typer(
    help="Turn Japanese news articles into a podcast: chaptered MP3 episodes and an RSS feed.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

F = TypeVar("F", bound=Callable[..., object])


def clean_errors(func: F) -> F:
    """Turn a YomicastError into one line on stderr and its exit code."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        try:
            return func(*args, **kwargs)
        except YomicastError as exc:
            message = " ".join(str(exc).split())
            typer.echo(f"yomicast: error: {message}", err=True)
            raise typer.Exit(exc.exit_code) from None
        except KeyboardInterrupt:
            typer.echo("yomicast: interrupted; nothing was published", err=True)
            raise typer.Exit(130) from None

    return wrapper  # type: ignore[return-value]


@app.callback()
def _root(
    version: Annotated[bool, typer.Option("--version", help="Print the version and exit.")] = False,
) -> None:
    """Turn Japanese news articles into a podcast: chaptered MP3 episodes and an RSS feed."""
    if version:
        from yomicast import __version__

        typer.echo(__version__)
        raise typer.Exit()


ArticleArg = Annotated[Path, typer.Argument(help="An article: .txt (news digest) or .md (front matter).")]


@app.command()
@clean_errors
def sections(
    article: ArticleArg,
    as_json: Annotated[bool, typer.Option("--json", help="Print the machine-readable outline.")] = False,
) -> None:
    """Show how an article splits into title, source and sections.

    Example: yomicast sections episodes/msmt-report.txt --json
    """
    from yomicast.article import read_article
    from yomicast.outline import outline_dict, outline_text

    art = read_article(article)
    if as_json:
        sys.stdout.write(json.dumps(outline_dict(art), ensure_ascii=False, indent=2) + "\n")
    else:
        typer.echo(outline_text(art))


