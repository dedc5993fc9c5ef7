"""The tables of ``show.toml`` that describe the show itself, as typed values: one frozen dataclass a
table, whose fields are the table's keys with their defaults, each checking its own values.

``[show]`` → ``ShowTable``, ``[audio]`` → ``AudioTable`` (the renderer's ``AudioSettings`` and the
script's ``Pauses``), ``[templates]`` → ``Templates``. The others are the settings layer's own
(``Limits``, ``PublishSettings``, ``FetchSettings``, ``CheckSettings``, ``Source``); ``[engine]``,
``[voices.NAME]``, ``[cast]`` and ``[pronunciations]`` hold what each engine takes, and are read by
``config``. Every table is read by ``settings.table_from``: an unknown key or a value of the wrong type is
one line naming it, and so is a value out of range (``FieldError``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from yomicast.settings import INTRO_TEMPLATE, AudioSettings, FieldError, Pauses
from yomicast.show.categories import APPLE_CATEGORIES

MEDIUMS = ("podcast", "music", "video", "film", "audiobook", "newsletter", "blog")
#: update_frequency words → (RRULE, label)
FREQUENCIES = {
    "daily": ("FREQ=DAILY", "Daily"),
    "weekly": ("FREQ=WEEKLY", "Weekly"),
    "biweekly": ("FREQ=WEEKLY;INTERVAL=2", "Every two weeks"),
    "monthly": ("FREQ=MONTHLY", "Monthly"),
}
#: what a template may name
PLACEHOLDERS = ("show", "title", "publisher", "date", "source", "generator")


@dataclass(frozen=True)
class ShowTable:
    """``[show]``: the show as the feed and the MP3s' tags name it."""

    title: str = "yomicast"
    description: str = "日本語のニュース記事を読み上げるポッドキャスト"
    author: str = "yomicast"
    owner_name: str | None = None  # itunes:owner
    owner_email: str | None = None
    language: str = "ja"
    category: str = "News"  # an Apple Podcasts category
    subcategory: str | None = None  # none: Daily News under News
    explicit: bool = False
    base_url: str | None = None  # the public URL of the output folder
    link: str | None = None  # the website; none: base_url
    cover: str | None = None  # a square RGB JPEG or PNG, relative to show.toml; none: one is drawn
    type: str = "episodic"  # or serial
    medium: str = "podcast"  # podcast:medium
    license: str | None = None  # podcast:license: an SPDX identifier, or a name with license_url
    license_url: str | None = None
    season: int | None = None  # podcast:season and itunes:season of every episode
    update_frequency: str | None = None  # podcast:updateFrequency: daily, weekly, … or an RRULE

    def __post_init__(self) -> None:
        if not self.title.strip():
            raise FieldError("title", "must not be empty")
        if self.owner_email and not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", self.owner_email):
            raise FieldError("owner_email", f"is not an e-mail address: {self.owner_email!r}")
        if self.medium not in MEDIUMS:
            raise FieldError("medium", f"must be one of {', '.join(MEDIUMS)}, not {self.medium!r}")
        if self.season is not None and self.season < 1:
            raise FieldError("season", f"must be 1 or more, not {self.season}")
        freq = self.update_frequency
        if freq is not None and freq.lower() not in FREQUENCIES and not freq.upper().startswith("FREQ="):
            raise FieldError(
                "update_frequency", f"must be {', '.join(FREQUENCIES)} or an RRULE (FREQ=…), not {freq!r}"
            )
        for key in ("base_url", "link", "license_url"):
            url = getattr(self, key)
            if url and not re.match(r"https?://[^/\s]+", url):
                raise FieldError(key, f"must be an http(s) URL, not {url!r}")
        if self.category not in APPLE_CATEGORIES:
            raise FieldError(
                "category", f"{self.category!r} is not an Apple Podcasts category (e.g. News, Technology)"
            )
        if self.subcategory is not None and self.subcategory not in APPLE_CATEGORIES[self.category]:
            raise FieldError("subcategory", f"{self.subcategory!r} is not a subcategory of {self.category}")
        if self.type not in ("episodic", "serial"):
            raise FieldError("type", "must be episodic or serial")

    @property
    def subcategory_or_default(self) -> str | None:
        if self.subcategory is None and self.category == "News":
            return "Daily News"
        return self.subcategory


@dataclass(frozen=True)
class AudioTable:
    """``[audio]``: how an episode sounds; the renderer's ``AudioSettings`` and the script's pauses."""

    bitrate: int = AudioSettings.bitrate  # MP3 kbps, CBR
    loudness: float = AudioSettings.loudness  # LUFS integrated
    true_peak: float = AudioSettings.true_peak  # dBTP
    quality: int = AudioSettings.quality  # LAME: 0 best … 9 fastest
    jingle: bool | str = True  # true: the generated chime; false: none; or an audio file
    alternates: tuple[str, ...] = AudioSettings.alternates  # other renditions: "opus"
    opus_bitrate: int = AudioSettings.opus_bitrate  # kbps
    sentence_pause: float = Pauses.sentence  # seconds after a sentence
    heading_pause: float = Pauses.heading  # seconds before a chapter
    after_heading_pause: float = Pauses.after_heading  # seconds after its heading

    def __post_init__(self) -> None:
        for key in ("sentence_pause", "heading_pause", "after_heading_pause"):
            value = getattr(self, key)
            if not 0 <= value <= 10:
                raise FieldError(key, f"must be between 0 and 10 seconds, not {value}")

    @property
    def pauses(self) -> Pauses:
        return Pauses(
            sentence=float(self.sentence_pause),
            heading=float(self.heading_pause),
            after_heading=float(self.after_heading_pause),
        )


@dataclass(frozen=True)
class Templates:
    """``[templates]``: what is said first and last, with ``{show}`` ``{title}`` ``{publisher}``
    ``{date}`` ``{source}`` ``{generator}``."""

    intro: str = INTRO_TEMPLATE
    credit: str | None = None  # none: the credit sentence built from the article's source

    def __post_init__(self) -> None:
        for key in ("intro", "credit"):
            template = getattr(self, key)
            if template is None:
                continue
            try:
                template.format(**dict.fromkeys(PLACEHOLDERS, ""))
            except (KeyError, IndexError, ValueError) as exc:
                raise FieldError(
                    key, f"unknown placeholder {exc}; use {' '.join('{' + p + '}' for p in PLACEHOLDERS)}"
                ) from None
