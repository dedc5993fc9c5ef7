"""Commands that verify a built show: ``yomicast check``, what Whisper heard in it, line by line."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from yomicast.cli import app
from yomicast.console import check_settings, clean_errors, print_check
from yomicast.errors import InputError


@app.command()
@clean_errors
def check(
    target: Annotated[
        Path, typer.Argument(help="A built show folder, or one episode's MP3 inside it.")
    ] = Path("public"),
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
    model: Annotated[
        Path | None,
        typer.Option("--model", help="A CTranslate2 Whisper model folder (default: Whisper base)."),
    ] = None,
    threshold: Annotated[
        float | None,
        typer.Option(
            "--threshold",
            min=0.0,
            max=1.0,
            help="Kana error rate over which a line is misheard (default: [check] threshold, else 0.4).",
        ),
    ] = None,
    show: Annotated[
        Path | None,
        typer.Option("--show", help="The show.toml whose \\[check] table applies (default: episodes/)."),
    ] = None,
) -> None:
    """Listen to every spoken line with Whisper and compare what was heard with what was meant, in kana.

    Flags lines that are misheard, silent or too short, and speech where no line should be; then the exit
    code is 1. Needs the check extra: pip install 'yomicast[check]'.

    Example: yomicast check public --json
    """
    from yomicast.check.listen import check_target
    from yomicast.check.model import load_model

    if not target.exists():
        raise InputError(f"{target}: no such show folder or episode")
    settings = check_settings(show)
    results = check_target(
        target,
        load_model(model or settings.model),
        threshold=settings.threshold if threshold is None else threshold,
    )
    print_check(results, as_json)
    if any(r.flagged for r in results):
        raise typer.Exit(1)
