"""The settings of the stages that reach the network: ``[publish]``, ``[fetch]``, ``[[sources]]`` and
``[check]`` (whose model may come from the web in a later release)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from yomicast.errors import ConfigError
from yomicast.settings.tables import check_ranges, setting

CHECK_THRESHOLD = 0.4  # kana error rate over which `check` calls a line misheard (scripts/bench_check.py)


@dataclass(frozen=True)
class PublishSettings:
    """``[publish]``: where ``yomicast publish`` and ``yomicast update`` put the built show."""

    to: str | None = setting(None, "where `publish` and `update` put the show: `s3://BUCKET/PREFIX`")
    endpoint_url: str | None = setting(
        None,
        "an S3-compatible host (`https://<account>.r2.cloudflarestorage.com`, `https://s3.<region>.backblazeb2.com`, MinIO …)",
        shown="AWS",
    )
    keep_superseded_days: float = setting(
        7.0,
        "how long a file the feed no longer names stays in the bucket (apps and caches that read the old feed can still fetch it)",
        between=(0, 3650),
        unit="days",
    )
    max_age: int = setting(
        300,
        "`Cache-Control: max-age` in seconds of the feed, the pages and the cover (fingerprinted media are `immutable` for a year)",
        between=(0, 31536000),
        unit="seconds",
    )
    concurrency: int = setting(4, "files uploaded at once", between=(1, 64))

    def __post_init__(self) -> None:
        if self.to is not None:
            parse_target(self.to)
        if self.endpoint_url is not None and not re.fullmatch(
            r"https?://[^/\s?#]+(/[^\s?#]*)?", self.endpoint_url
        ):
            raise ConfigError(f"endpoint_url must be an http(s) URL, not {self.endpoint_url!r}")
        check_ranges(self)


_BUCKET = re.compile(r"[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]")
_PREFIX_PART = re.compile(r"[^\x00-\x1f\x7f\\]+")


def parse_target(target: str) -> tuple[str, str]:
    """``s3://BUCKET/PREFIX`` → (bucket, prefix ending in "/", or "" for the whole bucket)."""
    if not isinstance(target, str) or not target.startswith("s3://"):
        raise ConfigError(f"a publish target is s3://BUCKET/PREFIX, not {target!r}")
    bucket, _, prefix = target[len("s3://") :].partition("/")
    if not _BUCKET.fullmatch(bucket) or ".." in bucket:
        raise ConfigError(f"{bucket!r} is not a bucket name (3–63 lowercase letters, digits, dots, hyphens)")
    parts = [p for p in prefix.split("/") if p]
    if any(p in (".", "..") or not _PREFIX_PART.fullmatch(p) for p in parts) or len(prefix) > 512:
        raise ConfigError(f"{prefix!r} is not a usable prefix for {bucket}")
    return bucket, "".join(f"{p}/" for p in parts)


@dataclass(frozen=True)
class FetchSettings:
    """``[fetch]``: how ``yomicast fetch`` and ``yomicast update`` behave on the web."""

    delay: float = setting(1.0, "seconds between two requests to one host", between=(0, 60), unit="seconds")
    timeout: float = setting(
        20.0, "seconds to connect, and to wait for each read", between=(1, 300), unit="seconds"
    )
    max_mb: float = setting(10.0, "the largest response read, in MB", between=(0.01, 100))
    min_chars: int = setting(
        120,
        "an article with less body text is a teaser, a paywall or an index page and is skipped (a short news item is about 150)",
        between=(0, 100_000),
    )
    retries: int = setting(
        3, "tries of a 429, a 503 or a dropped connection, honouring `Retry-After`", between=(1, 10)
    )
    max_retry_after: float = setting(
        120.0,
        "the longest `Retry-After` waited for, in seconds: a longer one skips the entry",
        between=(0, 3600),
        unit="seconds",
    )

    def __post_init__(self) -> None:
        check_ranges(self)


@dataclass(frozen=True)
class CheckSettings:
    """``[check]``: the listening check of ``yomicast build --check`` and ``yomicast check``."""

    enabled: bool = setting(
        False, "every `build` and `update` hears what it speaks, as with `--check` (`--no-check` overrides)"
    )
    on_fail: str = setting(
        "warn",
        "`warn`: a flagged episode is published and its lines reported; `hold`: it is kept out of the feed (what was published of it before stays), and the rest of the show publishes",
    )
    threshold: float = setting(
        CHECK_THRESHOLD, "the kana error rate over which a line is misheard", between=(0, 1)
    )
    model: Path | None = setting(
        None,
        "a CTranslate2 Whisper model folder, relative to show.toml",
        shown="Whisper base, from the `check` extra",
    )

    def __post_init__(self) -> None:
        if self.on_fail not in ("warn", "hold"):
            raise ConfigError(f"on_fail must be warn or hold, not {self.on_fail!r}")
        check_ranges(self)


@dataclass(frozen=True)
class Source:
    """One ``[[sources]]`` table: a feed or a page the show's news comes from."""

    url: str = setting(doc="a feed or a page that `fetch` and `update` bring news from", shown="required")
    limit: int | None = setting(
        None, "at most this many new entries a run, newest first", shown="all", between=(1, 1000)
    )
    # regular expressions: a title must match one (when any are given), and none of exclude; one string
    # is a list of one
    include: tuple[str, ...] = setting(
        (),
        "regular expressions: a title must match one of them, when any are given (one string is a list of one)",
        one_or_many=True,
    )
    exclude: tuple[str, ...] = setting(
        (), "regular expressions: a title must match none of them", one_or_many=True
    )

    def __post_init__(self) -> None:
        if not re.fullmatch(r"https?://[^/\s?#]+[^\s]*", self.url):
            raise ConfigError(f"url must be an http(s) URL, not {self.url!r}")
        check_ranges(self)
        for pattern in (*self.include, *self.exclude):
            if not isinstance(pattern, str):
                raise ConfigError(f"include and exclude hold regular expressions, not {pattern!r}")
            try:
                re.compile(pattern)
            except re.error as exc:
                raise ConfigError(f"{pattern!r} is not a regular expression: {exc}") from None

    def wants(self, title: str) -> bool:
        if self.include and not any(re.search(p, title) for p in self.include):
            return False
        return not any(re.search(p, title) for p in self.exclude)
