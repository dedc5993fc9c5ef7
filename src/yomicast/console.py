"""What the ``yomicast`` command shows a person: one line per error, warnings, progress bars.

Kept apart from ``cli`` so the commands there stay options, one library call and output.
"""

from __future__ import annotations

import functools
import logging
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import typer

from yomicast.errors import YomicastError

if TYPE_CHECKING:
    from rich.progress import Progress

    from yomicast.article import Article
    from yomicast.fetch.fetcher import FetchReport, Written
    from yomicast.publish.publisher import PublishReport
    from yomicast.settings import CheckSettings, PublishSettings
    from yomicast.show.build import BuildEvent, BuildReport
    from yomicast.show.config import Show

F = TypeVar("F", bound=Callable[..., object])


class _Stderr(logging.StreamHandler):
    """Writes to the stderr of the moment it writes (a test runner swaps it per command)."""

    def emit(self, record: logging.LogRecord) -> None:
        self.stream = sys.stderr
        super().emit(record)


def show_library_warnings() -> None:
    """What the library logs as a warning (a voice server slow to answer, retried) is one
    ``yomicast: warning:`` line on stderr, as it happens."""
    logger = logging.getLogger("yomicast")
    if any(isinstance(h, _Stderr) for h in logger.handlers):
        return
    handler = _Stderr(sys.stderr)
    handler.setFormatter(logging.Formatter("yomicast: warning: %(message)s"))
    logger.addHandler(handler)
    logger.setLevel(logging.WARNING)
    logger.propagate = False


def clean_errors(func: F) -> F:
    """Turn a YomicastError into one line on stderr and its exit code."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
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


def warn(art: Article, parts: int = 1) -> None:
    """The article's notes, one line per kind, on stderr."""
    name = art.path.name if art.path else art.title
    if parts > 1:
        name += f" ({art.part}/{parts})"
    for line in art.warnings():
        typer.echo(f"yomicast: warning: {name}: {line}", err=True)


def show_for(show: Path | None, near: Path) -> Show:
    from yomicast.show.config import load_show

    if show is not None:
        return load_show(show)
    return load_show(near if near.is_dir() else near.parent)


def run_fetch(
    folder: Path, urls: list[str] | None, *, limit: int | None, delay: float | None, quiet: bool
) -> FetchReport:
    """Fetch ``urls`` (or the sources of the folder's show.toml) into ``folder``; one line per new article
    on stdout and per skipped entry on stderr."""
    from yomicast.update import fetch_show

    return fetch_show(
        folder, urls, limit=limit, delay=delay, on_new=None if quiet else new_article, on_skip=skipped
    )


def new_article(written: Written) -> None:
    typer.echo(f"new article: {written.file}  {written.title}")


def skipped(_url: str, line: str) -> None:
    typer.echo(f"yomicast: skipped: {line}", err=True)


def publish_settings(show: Path | None) -> PublishSettings:
    """The publish table of ``show``, or of episodes/show.toml when none is named and it exists."""
    from yomicast.settings import PublishSettings
    from yomicast.show.config import load_show

    if show is None and not (Path("episodes") / "show.toml").is_file():
        return PublishSettings()
    return load_show(show or Path("episodes") / "show.toml").publish


def check_settings(show: Path | None) -> CheckSettings:
    """The check table of ``show``, or of episodes/show.toml when none is named and it exists."""
    from yomicast.settings import CheckSettings
    from yomicast.show.config import load_show

    if show is None and not (Path("episodes") / "show.toml").is_file():
        return CheckSettings()
    return load_show(show or Path("episodes") / "show.toml").check


def progress_bar(label: str, *, lazy: bool = False) -> tuple[Progress, Callable[[int, int], None]]:
    """A rich progress bar on stderr, and the callback that drives it. ``lazy``: shown from the callback's
    first call (what is printed before it goes to stdout as it is); the caller stops it."""
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    bar = Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=Console(stderr=True),
        transient=True,
    )
    task = bar.add_task(label, total=None)

    def update(done: int, total: int) -> None:
        if lazy and not bar.live.is_started:
            bar.start()
        bar.update(task, completed=done, total=total or 1)

    return bar, update


def run_build(
    folder: Path,
    out: Path,
    *,
    base_url: str | None = None,
    engine: str | None = None,
    cache_dir: Path | None = None,
    quiet: bool = False,
    allow_removals: bool = False,
    check: bool | None = None,
) -> BuildReport:
    """The build (``update.build_checked``) with a progress bar and (unless ``quiet``) a line per episode,
    then its warnings. ``check`` (default: the show's ``[check] enabled``) hears every episode spoken."""
    from yomicast.speech.cache import SegmentCache
    from yomicast.update import build_checked

    bar, update = progress_bar("Speaking")
    with bar:
        report = build_checked(
            folder,
            out,
            check=check,
            base_url=base_url,
            engine_name=engine,
            cache=SegmentCache(cache_dir),
            on_event=None if quiet else event_printer(bar),
            progress=update,
            allow_removals=allow_removals,
        )
    print_warnings(report)
    return report


def event_printer(bar: Progress) -> Callable[[BuildEvent], None]:
    """Each build event's line, above the bar."""

    def event(e: BuildEvent) -> None:
        # Article names and what Whisper heard are text, not markup: "[check]" stays as it is.
        if e.line is not None:
            bar.console.print(e.line, markup=False, highlight=False)

    return event


def print_warnings(report: BuildReport) -> None:
    for line in report.warnings:
        typer.echo(f"yomicast: warning: {line}", err=True)


def report_failures(report: BuildReport) -> bool:
    """One error line per article that failed; whether any did."""
    for name, why in report.failed:
        typer.echo(f"yomicast: error: {name}: {' '.join(why.split())}", err=True)
    return bool(report.failed)


def print_publish(report: PublishReport, as_json: bool) -> None:
    import json

    if as_json:
        typer.echo(json.dumps(report.as_json(), ensure_ascii=False))
        return
    verb = "would upload" if report.dry_run else "uploaded"
    for key in report.uploaded:
        typer.echo(f"{verb} {key}")
    for key in report.deleted:
        typer.echo(f"{'would delete' if report.dry_run else 'deleted'} {key}")
    typer.echo(
        f"  {report.target}: {len(report.uploaded)} {verb}, {len(report.deleted)} deleted, "
        f"{report.unchanged} unchanged, {len(report.kept)} superseded kept for now"
    )


def print_check(results: list[Any], as_json: bool) -> None:
    """``check``'s report: per episode its lines, error rate and flagged lines, what was meant and heard."""
    import json

    if as_json:
        typer.echo(json.dumps({"episodes": [r.as_json() for r in results]}, ensure_ascii=False, indent=2))
        return

    def clock(seconds: float) -> str:
        m, s = divmod(seconds, 60)
        return f"{int(m)}:{s:04.1f}"

    for r in results:
        typer.echo(f"{r.file}: {r.lines} lines, kana error rate {r.error_rate:.1%}, {len(r.flagged)} flagged")
        for note in r.notes:
            typer.echo(f"  note: {note}")
        for f in r.flagged:
            typer.echo(f"  {clock(f.start)}–{clock(f.end)}  {f.reason} ({f.error_rate:.0%})")
            typer.echo(f"    meant: {f.meant}")
            typer.echo(f"    heard: {f.heard}")
