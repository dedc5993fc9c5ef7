"""Settings values shared by the show file, the script and the renderer (no heavy imports here, so a build
with nothing to do starts fast)."""

from __future__ import annotations

import dataclasses
import re
import typing
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from yomicast.errors import ConfigError

T = TypeVar("T")
Progress = Callable[[int, int], None]  # (done, total)
INTRO_TEMPLATE = "{show}。{title}。"
CHECK_THRESHOLD = 0.4  # kana error rate over which `check` calls a line misheard (scripts/bench_check.py)


_SMALL = set("ァィゥェォャュョヮぁぃぅぇぉゃゅょゎ")
_KANA_ONLY = re.compile(r"[ぁ-ゖァ-ヺー]+")
_JAPANESE_ONLY = re.compile(r"[ぁ-ゖァ-ヺー一-龯々〆ヶ]+")
DICTIONARY_ENTRIES = 20_000  # a longer [pronunciations] table or dictionary.csv is refused


def to_katakana(kana: str) -> str:
    return "".join(chr(ord(c) + 0x60) if "ぁ" <= c <= "ゖ" else c for c in kana)


def mora_count(kana: str) -> int:
    """The morae of a kana reading: every kana but the small ones that join the one before (ッ and ー
    count)."""
    return sum(1 for c in kana if c not in _SMALL)


@dataclass(frozen=True)
class Pronunciation:
    """One entry of the show's pronunciation dictionary: ``"鹿島" = { reading = "カシマ", accent = 1 }``.

    ``accent`` is the mora of the accent nucleus (0: flat); ``priority`` (0–10, as VOICEVOX has it) how
    strongly the entry wins over the engine's own words. An entry with an accent lives in the engine's own
    dictionary where the engine has one (Open JTalk, VOICEVOX, AivisSpeech), so that the accent applies;
    elsewhere, and for an entry without an accent, the reading replaces the word in the text."""

    surface: str
    reading: str
    accent: int | None = None
    priority: int = 5

    def __post_init__(self) -> None:
        if not isinstance(self.surface, str) or not 1 <= len(self.surface.strip()) <= 50:
            raise ConfigError(f"a word must be 1 to 50 characters, not {self.surface!r}")
        if re.search(r"[\x00-\x1f\x7f]", self.surface):
            raise ConfigError(f"a word must not hold control characters: {self.surface!r}")
        if not isinstance(self.reading, str) or not 1 <= len(self.reading) <= 100:
            raise ConfigError(f"{self.surface}: the reading must be 1 to 100 characters")
        if self.accent is not None:
            if not _KANA_ONLY.fullmatch(self.reading):
                raise ConfigError(
                    f"{self.surface}: a reading with an accent is written in kana, not {self.reading!r}"
                )
            if not 0 <= self.accent <= mora_count(self.reading):
                raise ConfigError(
                    f"{self.surface}: accent {self.accent} is not a mora of {self.reading} "
                    f"(0 for flat, 1 to {mora_count(self.reading)})"
                )
        if not 0 <= self.priority <= 10:
            raise ConfigError(f"{self.surface}: priority must be between 0 and 10, not {self.priority}")

    @property
    def kana(self) -> str:
        """The reading in katakana, as engines' dictionaries hold it."""
        return to_katakana(self.reading)

    @property
    def in_engine(self) -> bool:
        """Held in an engine's own dictionary (where it has one): an entry with an accent."""
        return self.accent is not None

    @property
    def engine_word(self) -> str:
        """The word the engine's dictionary holds: the surface when it is written in kanji and kana (no
        rule ever rewrites those), else the reading, which the text then carries in its place."""
        return self.surface if _JAPANESE_ONLY.fullmatch(self.surface) else self.kana


@dataclass(frozen=True)
class Pauses:
    sentence: float = 0.4
    heading: float = 1.2  # before a chapter
    after_heading: float = 0.6
    after_jingle: float = 0.4
    tail: float = 0.8  # silence after the last word of the episode


#: alternate rendition → (file extension, MIME type with codec, title)
ALTERNATES = {"opus": (".opus", "audio/ogg; codecs=opus", "Opus")}


@dataclass(frozen=True)
class AudioSettings:
    bitrate: int = 64  # kbps, CBR
    loudness: float = -16.0  # LUFS integrated
    true_peak: float = -1.0  # dBTP
    quality: int = 5  # LAME: 2 best … 7 fast
    jingle: Path | None = None  # None: the generated chime
    alternates: tuple[str, ...] = ()  # other renditions besides the MP3: "opus"
    opus_bitrate: int = 32  # kbps

    def __post_init__(self) -> None:
        for alt in self.alternates:
            if alt not in ALTERNATES:
                raise ConfigError(f"audio alternates can hold {', '.join(ALTERNATES)}, not {alt!r}")
        if not 12 <= self.opus_bitrate <= 256:
            raise ConfigError(f"audio opus_bitrate must be between 12 and 256 kbps, not {self.opus_bitrate}")
        if self.bitrate not in (32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320):
            raise ConfigError(f"audio bitrate must be an MP3 CBR rate such as 64 or 128, not {self.bitrate}")
        if not -30 <= self.loudness <= -10:  # NaN fails every comparison, so it is refused here too
            raise ConfigError(f"audio loudness must be between -30 and -10 LUFS, not {self.loudness}")
        if not -9 <= self.true_peak <= 0:
            raise ConfigError(f"audio true_peak must be between -9 and 0 dBTP, not {self.true_peak}")
        if not 0 <= self.quality <= 9:
            raise ConfigError(
                f"audio quality must be a LAME quality from 0 (best) to 9 (fastest), not {self.quality}"
            )


@dataclass(frozen=True)
class Limits:
    article_mb: float = 4.0  # a larger article file is refused with a clear error (about 1.3 M characters)
    # A build that would take more than this share of the feed's episodes out of it stops (a failed sync,
    # a wrong folder), unless --allow-removals says it is meant.
    max_removed_share: float = 0.5
    episode_minutes: float = 240.0  # an episode whose speech would surely run longer is refused unspoken

    def __post_init__(self) -> None:
        if not 1 <= self.episode_minutes <= 6000:
            raise ConfigError(
                f"limits episode_minutes must be between 1 and 6000, not {self.episode_minutes}"
            )
        if not 0 <= self.max_removed_share <= 1:
            raise ConfigError(
                f"limits max_removed_share must be between 0 and 1, not {self.max_removed_share}"
            )
        if not 0 < self.article_mb <= 1000:
            raise ConfigError(f"limits article_mb must be between 0 and 1000, not {self.article_mb}")


@dataclass(frozen=True)
class CastSettings:
    """``[engine]``, ``[voices.NAME]`` and ``[cast]``: what the speech stage needs to make a show's voices."""

    engine: str = "openjtalk"
    engine_options: Mapping[str, Any] = field(default_factory=dict)
    voices: Mapping[str, Mapping[str, Any]] = field(
        default_factory=dict
    )  # voice name → engine name and settings
    cast: Mapping[str, str] = field(default_factory=dict)  # part → voice name
    where: str = ""  # "show.toml: ", to prefix errors


def fits(value: Any, hint: Any) -> bool:
    """Whether a value from show.toml is of the annotated type: ints are not bools, a float takes an
    int, a path takes a string, a sequence is a list of its kind."""
    import collections.abc
    import os
    import types

    origin = typing.get_origin(hint)
    if hint is Any:
        return True
    if origin in (typing.Union, types.UnionType):
        return any(fits(value, h) for h in typing.get_args(hint))
    if hint is type(None):
        return value is None
    if hint is bool:
        return isinstance(value, bool)
    if hint is int:
        return isinstance(value, int) and not isinstance(value, bool)
    if hint is float:
        return isinstance(value, int | float) and not isinstance(value, bool)
    if hint is str:
        return isinstance(value, str)
    if origin in (collections.abc.Sequence, list, tuple):
        args = typing.get_args(hint)
        return isinstance(value, list | tuple) and all(fits(v, args[0]) for v in value) if args else True
    if isinstance(hint, type) and issubclass(hint, os.PathLike):
        return isinstance(value, str | os.PathLike)
    if origin is dict or hint is dict:
        return isinstance(value, dict)
    return True  # a kind this check does not know: whoever takes the value checks it


def describe(hint: Any) -> str:
    """The annotated type in words, for an error: "a number", "a string or a list of strings"."""
    import types

    if typing.get_origin(hint) in (typing.Union, types.UnionType):
        parts = [describe(h) for h in typing.get_args(hint) if h is not type(None)]
        return " or ".join(dict.fromkeys(parts))
    if typing.get_origin(hint) is not None:
        args = typing.get_args(hint)
        plural = {str: "strings", int: "whole numbers", float: "numbers"}
        return f"a list of {plural.get(args[0], 'values')}" if args else "a list"
    return {bool: "true or false", int: "a whole number", float: "a number", str: "a string"}.get(
        hint,
        "a file path" if getattr(hint, "__name__", "") == "Path" else f"a {getattr(hint, '__name__', hint)}",
    )


#: the metadata of a list field that also takes one string as a list of one
ONE_OR_MANY = {"one_or_many": True}


class FieldError(ConfigError):
    """A value of one field out of its range, raised by a settings table's own checks: the error names
    ``[table.key]``."""

    def __init__(self, key: str, message: str) -> None:
        super().__init__(message)
        self.key = key


def table_from(cls: type[T], table: object, where: str) -> T:
    """A settings dataclass from one show.toml table: unknown fields and wrong types are named, then the
    class checks its own values. The accepted fields and types are the dataclass's own."""
    if not isinstance(table, dict):
        raise ConfigError(f"[{where}]: must be a table")
    hints = typing.get_type_hints(cls)
    meta = {f.name: f.metadata for f in dataclasses.fields(cls)}  # type: ignore[arg-type]
    fields = list(meta)
    values = dict(table)
    for key, value in table.items():
        if key not in fields:
            raise ConfigError(f"[{where}.{key}]: unknown field; expected one of: {', '.join(fields)}")
        if typing.get_origin(hints[key]) is tuple:  # a list of strings (where ONE_OR_MANY: or one string)
            one_or_many = meta[key].get("one_or_many")
            items = [value] if isinstance(value, str) and one_or_many else value
            if not isinstance(items, list) or not all(isinstance(v, str) for v in items):
                raise ConfigError(f"[{where}.{key}]: must be a list of strings, not {value!r}")
            values[key] = tuple(items)
            continue
        if not fits(value, hints[key]):
            raise ConfigError(f"[{where}.{key}]: must be {describe(hints[key])}, not {value!r}")
    try:
        return cls(**values)
    except FieldError as exc:
        raise ConfigError(f"[{where}.{exc.key}]: {exc}") from None
    except ConfigError as exc:
        raise ConfigError(f"[{where}]: {exc}") from None


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
