"""The settings of the stages that reach the network: ``[publish]``, ``[fetch]``, ``[[sources]]`` and
``[check]`` (whose model may come from the web in a later release)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from yomicast.errors import ConfigError
from yomicast.settings.tables import ONE_OR_MANY

CHECK_THRESHOLD = 0.4  # kana error rate over which `check` calls a line misheard (scripts/bench_check.py)


@dataclass(frozen=True)
class PublishSettings:
    """``[publish]``: where ``yomicast publish`` and ``yomicast update`` put the built show."""

    to: str | None = None  # s3://BUCKET/PREFIX
    endpoint_url: str | None = None  # an S3-compatible host (R2, B2, MinIO …); none: AWS
    keep_superseded_days: float = 7.0  # how long files the new feed no longer lists stay in the bucket
    max_age: int = 300  # Cache-Control max-age, seconds, of feed.xml, the pages and other files named alike
    concurrency: int = 4  # files uploaded at once

    def __post_init__(self) -> None:
        if self.to is not None:
            parse_target(self.to)
        if self.endpoint_url is not None and not re.fullmatch(
            r"https?://[^/\s?#]+(/[^\s?#]*)?", self.endpoint_url
        ):
            raise ConfigError(f"endpoint_url must be an http(s) URL, not {self.endpoint_url!r}")
        if not 0 <= self.keep_superseded_days <= 3650:
            raise ConfigError(
                f"keep_superseded_days must be between 0 and 3650, not {self.keep_superseded_days}"
            )
        if not 0 <= self.max_age <= 31536000:
            raise ConfigError(f"max_age must be between 0 and 31536000 seconds, not {self.max_age}")
        if not 1 <= self.concurrency <= 64:
            raise ConfigError(f"concurrency must be between 1 and 64, not {self.concurrency}")


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

    delay: float = 1.0  # seconds between two requests to one host
    timeout: float = 20.0  # seconds to connect, and to wait for each read
    max_mb: float = 10.0  # a larger response is refused
    min_chars: int = 120  # less body text is a teaser, a paywall or an index page (a short news item is ~150)
    retries: int = 3  # tries of a 429, a 503 or a dropped connection, honouring Retry-After
    max_retry_after: float = 120.0  # a longer Retry-After is not waited for: the entry is skipped

    def __post_init__(self) -> None:
        if not 0 <= self.delay <= 60:
            raise ConfigError(f"delay must be between 0 and 60 seconds, not {self.delay}")
        if not 1 <= self.timeout <= 300:
            raise ConfigError(f"timeout must be between 1 and 300 seconds, not {self.timeout}")
        if not 0.01 <= self.max_mb <= 100:
            raise ConfigError(f"max_mb must be between 0.01 and 100, not {self.max_mb}")
        if not 0 <= self.min_chars <= 100_000:
            raise ConfigError(f"min_chars must be between 0 and 100000, not {self.min_chars}")
        if not 1 <= self.retries <= 10:
            raise ConfigError(f"retries must be between 1 and 10, not {self.retries}")
        if not 0 <= self.max_retry_after <= 3600:
            raise ConfigError(
                f"max_retry_after must be between 0 and 3600 seconds, not {self.max_retry_after}"
            )


@dataclass(frozen=True)
class CheckSettings:
    """``[check]``: the listening check of ``yomicast build --check`` and ``yomicast check``."""

    enabled: bool = False  # every build checks what it speaks, as with --check
    on_fail: str = "warn"  # warn: publish and report; hold: keep a flagged episode out of the feed
    threshold: float = CHECK_THRESHOLD  # kana error rate over which a line is misheard
    model: Path | None = None  # a CTranslate2 Whisper model folder; none: Whisper base from the extra

    def __post_init__(self) -> None:
        if self.on_fail not in ("warn", "hold"):
            raise ConfigError(f"on_fail must be warn or hold, not {self.on_fail!r}")
        if not 0 <= self.threshold <= 1:
            raise ConfigError(f"threshold must be between 0 and 1, not {self.threshold}")


@dataclass(frozen=True)
class Source:
    """One ``[[sources]]`` table: a feed or a page the show's news comes from."""

    url: str
    limit: int | None = None  # new entries taken per fetch, newest first
    # regular expressions: a title must match one (when any are given), and none of exclude; one string
    # is a list of one
    include: tuple[str, ...] = field(default=(), metadata=ONE_OR_MANY)
    exclude: tuple[str, ...] = field(default=(), metadata=ONE_OR_MANY)

    def __post_init__(self) -> None:
        if not re.fullmatch(r"https?://[^/\s?#]+[^\s]*", self.url):
            raise ConfigError(f"url must be an http(s) URL, not {self.url!r}")
        if self.limit is not None and not 1 <= self.limit <= 1000:
            raise ConfigError(f"limit must be between 1 and 1000, not {self.limit}")
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
