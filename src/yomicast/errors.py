"""One exception tree for everything a user can cause.

    YomicastError                 every error with a message that says what to do
    ├── InputError                an article that cannot be read (missing, empty, binary, undecodable,
    │   │                         malformed front matter, nothing speakable)
    │   └── FetchError            a page or feed that cannot be fetched or is not an article
    ├── ConfigError               show.toml or an option that is wrong (names the field and file)
    ├── EngineError               a speech engine that failed
    │   ├── EngineUnavailable     not usable here (library missing, no network)
    │   └── RateLimited           the service kept refusing (429) after every retry
    ├── OutputError               an output path that cannot be written
    │   └── PublishError          the bucket refused, could not be reached, or timed out
    └── BusyError                 another build holds the output folder's lock

The CLI prints ``str(error)`` as one line on stderr and exits with ``error.exit_code``. Anything that is
not a ``YomicastError`` is a bug and keeps its traceback.
"""

from __future__ import annotations


class YomicastError(Exception):
    exit_code = 1


class InputError(YomicastError):
    exit_code = 2


class FetchError(InputError):
    """``lasting``: asking again will not help (404, 410, not HTML, a teaser, robots.txt says no), so the
    entry is not asked for again; otherwise (a time-out, 429, 5xx) the next fetch tries it again."""

    def __init__(self, message: str, *, lasting: bool = False) -> None:
        super().__init__(message)
        self.lasting = lasting


class ConfigError(YomicastError):
    exit_code = 3


class EngineError(YomicastError):
    exit_code = 4


class EngineUnavailable(EngineError):
    pass


class RateLimited(EngineError):
    pass


class OutputError(YomicastError):
    exit_code = 5


class PublishError(OutputError):
    pass


class BusyError(YomicastError):
    exit_code = 6
