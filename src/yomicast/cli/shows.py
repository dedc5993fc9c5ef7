"""Commands on a whole show: fetch, build, publish, update, serve (and check, in ``cli.listen``)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from yomicast.cli import CacheOpt, EngineOpt, app
from yomicast.console import (
    clean_errors,
    new_article,
    print_publish,
    print_warnings,
    progress_bar,
    publish_settings,
    report_failures,
    run_build,
    run_fetch,
    skipped,
)
from yomicast.errors import ConfigError, InputError

AllowRemovalsOpt = Annotated[
    bool,
    typer.Option(
        "--allow-removals",
        help="Let the build take more than [limits] max_removed_share of the episodes out of the feed.",
    ),
]


CheckOpt = Annotated[
    bool | None,
    typer.Option(
        "--check/--no-check",
        help="Hear every episode spoken with Whisper before it enters the feed (default: [check] enabled).",
    ),
]


@app.command()
@clean_errors
def fetch(
    urls: Annotated[
        list[str] | None,
        typer.Argument(help="Pages or feeds (RSS, RDF, Atom); none: the show's [[sources]]."),
    ] = None,
    into: Annotated[Path, typer.Option("--into", help="The folder of articles the files go into.")] = Path(
        "episodes"
    ),
    limit: Annotated[
        int | None, typer.Option("--limit", min=1, help="At most this many new entries from each source.")
    ] = None,
    delay: Annotated[
        float | None,
        typer.Option("--delay", min=0, max=60, help="Seconds between two requests to one host (default 1)."),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print what was fetched as JSON.")] = False,
) -> None:
    """Fetch new articles from the web into the folder of articles, one Markdown file each.

    A file that exists is never overwritten, and an entry fetched once is never fetched again. Entries that
    cannot be fetched, or hold no article (a teaser, a paywall, an index page), are named on stderr and
    skipped; then the exit code is 1.

    Example: yomicast fetch https://example.jp/rss.xml --into episodes --limit 3
    """
    report = run_fetch(into, urls or None, limit=limit, delay=delay, quiet=as_json)
    if as_json:
        typer.echo(json.dumps(report.as_json(), ensure_ascii=False, indent=2))
    if report.skipped:
        raise typer.Exit(1)


@app.command()
@clean_errors
def build(
    folder: Annotated[Path, typer.Argument(help="The folder of articles (with its show.toml).")] = Path(
        "episodes"
    ),
    out: Annotated[Path, typer.Option("--out", "-o", help="Where the episodes and feed.xml go.")] = Path(
        "public"
    ),
    base_url: Annotated[
        str | None, typer.Option("--base-url", help="Public URL of the output folder (overrides show.toml).")
    ] = None,
    engine: EngineOpt = None,
    cache_dir: CacheOpt = None,
    allow_removals: AllowRemovalsOpt = False,
    check: CheckOpt = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print the report and every event as JSON instead.")
    ] = False,
) -> None:
    """Build every article in a folder into episodes and a podcast feed, incrementally.

    With --check (or [check] enabled = true), Whisper hears every episode spoken before it enters the feed;
    flagged lines are reported, and with [check] on_fail = "hold" the episode stays out of the feed.

    Example: yomicast build episodes --out public --base-url https://example.org/podcast/
    """
    report = run_build(
        folder,
        out,
        base_url=base_url,
        engine=engine,
        cache_dir=cache_dir,
        allow_removals=allow_removals,
        check=check,
        quiet=as_json,
    )
    if as_json:
        typer.echo(json.dumps(report.as_json(), ensure_ascii=False, indent=2))
        raise typer.Exit(1 if report_failures(report) else 0)
    typer.echo(str(report.feed))
    for line in report.dictionary:
        typer.echo(f"  {line}")
    checked = f", {report.checked} checked, {len(report.held)} held" if report.checked or report.held else ""
    typer.echo(
        f"  {len(report.built)} built, {len(report.unchanged)} unchanged, {len(report.failed)} failed, "
        f"{report.spoken} segments spoken{checked}"
    )
    if report_failures(report):
        raise typer.Exit(1)


@app.command()
@clean_errors
def publish(
    folder: Annotated[Path, typer.Argument(help="A built show (the --out of yomicast build).")] = Path(
        "public"
    ),
    to: Annotated[
        str | None, typer.Option("--to", help="s3://BUCKET/PREFIX (default: \\[publish] to in show.toml).")
    ] = None,
    endpoint_url: Annotated[
        str | None,
        typer.Option("--endpoint-url", help="An S3-compatible host: R2, B2, MinIO … (default: AWS)."),
    ] = None,
    profile: Annotated[str | None, typer.Option("--profile", help="A profile of ~/.aws/credentials.")] = None,
    show: Annotated[
        Path | None, typer.Option("--show", help="The show.toml whose \\[publish] table applies.")
    ] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Print the plan; change nothing.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print what was done as JSON.")] = False,
) -> None:
    """Put a built show into an S3-compatible bucket: media first, the feed last, superseded files later.

    Credentials come from boto3's usual places (AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, ~/.aws, --profile).
    Without --show, the \\[publish] table of episodes/show.toml applies when that file exists.

    Example: yomicast publish public --to s3://my-bucket/podcast --endpoint-url https://<id>.r2.cloudflarestorage.com
    """
    from yomicast.publish.publisher import publish_show

    settings = publish_settings(show)
    target = to or settings.to
    if target is None:
        raise ConfigError("no publish target: give --to s3://BUCKET/PREFIX, or [publish] to in show.toml")
    report = publish_show(
        folder,
        target,
        settings=settings,
        endpoint_url=endpoint_url or settings.endpoint_url,
        profile=profile,
        dry_run=dry_run,
    )
    print_publish(report, as_json)


@app.command()
@clean_errors
def update(
    folder: Annotated[Path, typer.Argument(help="The folder of articles (with its show.toml).")] = Path(
        "episodes"
    ),
    out: Annotated[Path, typer.Option("--out", "-o", help="Where the show is built.")] = Path("public"),
    engine: EngineOpt = None,
    cache_dir: CacheOpt = None,
    profile: Annotated[str | None, typer.Option("--profile", help="A profile of ~/.aws/credentials.")] = None,
    allow_removals: AllowRemovalsOpt = False,
    check: CheckOpt = None,
) -> None:
    """Fetch the show's sources, build the show, then publish it where show.toml says; for a daily timer.

    One line per new article and per new episode, and one for what was published; nothing new: exit 0.
    Entries or articles that fail are reported and the rest still goes out; then the exit code is 1.

    Example: yomicast update episodes --out public
    """
    from yomicast.speech.cache import SegmentCache
    from yomicast.update import update_show

    bar, progress = progress_bar("Speaking", lazy=True)
    try:
        result = update_show(
            folder, out, engine_name=engine, cache=SegmentCache(cache_dir), allow_removals=allow_removals,
            check=check, profile=profile, on_new=new_article, on_skip=skipped, progress=progress,
        )  # fmt: skip
    finally:
        bar.stop()
    print_warnings(result.build)
    for name in result.build.built:
        typer.echo(f"new episode: {name}")
    for name in result.build.held:
        typer.echo(f"held out of the feed: {name}")
    if (published := result.published) is not None:
        typer.echo(
            f"published to {published.target}: {len(published.uploaded)} uploaded, "
            f"{len(published.deleted)} deleted, {published.unchanged} unchanged"
        )
    report_failures(result.build)
    if result.failed:
        raise typer.Exit(1)


@app.command()
@clean_errors
def serve(
    folder: Annotated[Path, typer.Argument(help="A built show (the --out of yomicast build).")] = Path(
        "public"
    ),
    port: Annotated[int, typer.Option("--port", "-p", help="The port to listen on.")] = 8000,
    host: Annotated[
        str,
        typer.Option("--host", help="127.0.0.1 for this machine only; 0.0.0.0 for phones on the network."),
    ] = "127.0.0.1",
    watch: Annotated[
        Path | None,
        typer.Option("--watch", help="Rebuild from this folder of articles whenever a file in it changes."),
    ] = None,
) -> None:
    """Preview a built show in a browser and podcast apps, with byte ranges, as a static host serves it.

    Example: yomicast serve public --port 8000 --watch episodes
    """
    from yomicast.serve import check_folder, check_port, serve, urls

    check_folder(folder)
    if watch is not None and not watch.is_dir():
        raise InputError(f"{watch}: no such folder of articles to watch")
    check_port(host, port)
    addresses = urls(host, port)
    typer.echo(f"Serving {folder} (Ctrl+C stops):")
    for url in addresses:
        typer.echo(f"  site  {url}")
        typer.echo(f"  feed  {url}feed.xml")
    if host in ("0.0.0.0", "::"):
        typer.echo(
            "  The feed's links use the build's base URL: to subscribe from a phone, build with "
            f"--base-url {addresses[-1]}"
        )
    if watch is not None:
        typer.echo(f"  rebuilding when an article in {watch} changes")
    serve(folder, host, port, watch)
