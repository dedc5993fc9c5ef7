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

from yomicast.settings import (
    INTRO_TEMPLATE,
    AudioSettings,
    CheckSettings,
    FetchSettings,
    FieldError,
    Limits,
    Pauses,
    PublishSettings,
    Source,
    setting,
)
from yomicast.settings.tables import check_ranges, reference_rows
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

    title: str = setting("yomicast", "the show's name: the feed, the tags, the drawn cover and the intro")
    description: str = setting(
        "日本語のニュース記事を読み上げるポッドキャスト", "what the show is, in the feed and on the website"
    )
    author: str = setting("yomicast", "`itunes:author`, and the artist in every MP3's tags")
    owner_name: str | None = setting(None, "`itunes:owner`'s name")
    owner_email: str | None = setting(None, "`itunes:owner`'s address (Apple writes to it)")
    language: str = setting("ja", "the feed's language")
    category: str = setting("News", "an Apple Podcasts category")
    subcategory: str | None = setting(None, "a subcategory of it", shown="Daily News, under News")
    explicit: bool = setting(False, "`itunes:explicit`")
    base_url: str | None = setting(
        None, "the public URL of the output folder (`--base-url` overrides)", shown="required for `build`"
    )
    link: str | None = setting(None, "the show's website", shown="base_url")
    cover: str | None = setting(
        None,
        "a square RGB JPEG or PNG of 1400–3000 px, relative to show.toml; when absent, a cover is drawn with the show's title (Japanese set in IPAexGothic from the `matplotlib-fontja` wheel) and embedded in every MP3",
        shown="drawn",
    )
    type: str = setting("episodic", "`episodic` or `serial`")
    medium: str = setting(
        "podcast", "`podcast:medium`: podcast, audiobook, newsletter, blog, music, video or film"
    )
    license: str | None = setting(
        None,
        "`podcast:license`: an SPDX identifier such as `CC-BY-4.0` (its URL is known), or any name with `license_url`",
    )
    license_url: str | None = setting(None, "the license's URL")
    season: int | None = setting(None, "`podcast:season` and `itunes:season` of every episode")
    update_frequency: str | None = setting(
        None, "`podcast:updateFrequency`: `daily`, `weekly`, `biweekly`, `monthly` or an RRULE (`FREQ=…`)"
    )

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

    bitrate: int = setting(AudioSettings.bitrate, "MP3 kbps, constant bit rate")
    loudness: float = setting(AudioSettings.loudness, "integrated loudness, LUFS")
    true_peak: float = setting(AudioSettings.true_peak, "the true-peak ceiling of the decoded MP3, dBTP")
    quality: int = setting(AudioSettings.quality, "LAME's quality: 0 best … 9 fastest")
    jingle: bool | str = setting(True, "`true` (a generated chime), `false`, or an audio file")
    alternates: tuple[str, ...] = setting(
        AudioSettings.alternates,
        'other renditions: `["opus"]` adds an Ogg Opus file (with chapters) to every episode, offered as `podcast:alternateEnclosure` (it adds about 6 s to a six-minute episode on 2 cores)',
    )
    opus_bitrate: int = setting(AudioSettings.opus_bitrate, "kbps of the Opus rendition")
    sentence_pause: float = setting(
        Pauses.sentence, "seconds after a sentence", between=(0, 10), unit="seconds"
    )
    heading_pause: float = setting(
        Pauses.heading, "seconds before a chapter", between=(0, 10), unit="seconds"
    )
    after_heading_pause: float = setting(
        Pauses.after_heading, "seconds after a chapter's heading", between=(0, 10), unit="seconds"
    )

    def __post_init__(self) -> None:
        check_ranges(self)

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

    intro: str = setting(
        INTRO_TEMPLATE,
        "what is said first; `{show}` `{title}` `{publisher}` `{date}` `{source}` `{generator}`",
    )
    credit: str | None = setting(
        None, "what is said last, with the same placeholders", shown="the credit sentence, see below"
    )

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


#: the tables read into typed values, by their names in show.toml
TABLES: dict[str, type] = {
    "show": ShowTable,
    "audio": AudioTable,
    "templates": Templates,
    "limits": Limits,
    "publish": PublishSettings,
    "fetch": FetchSettings,
    "check": CheckSettings,
}
#: the README's rows of the tables whose keys are not a dataclass's (each engine's own, the words)
_OPEN_ROWS = {
    "show": "| `engine.name` and engine settings | the voice; see Engines (`[voices.NAME]` and `[cast]` too) | "
    "`openjtalk` |",
    "templates": '| `[pronunciations]`, `dictionary.csv` | `"word" = "reading"`, or `{ reading, accent, '
    "priority }`: the show's pronunciation dictionary, first in the order of trust; an entry with an accent "
    "goes into the engine's own dictionary (see Speech text) | none |",
}


def reference_table() -> str:
    """The README's table of every show.toml setting, made from the tables' own fields and defaults
    (``scripts/settings_table.py`` writes it; a test checks the README holds it as made)."""
    rows = ["| table.field | meaning | default |", "|---|---|---|"]
    for name, cls in TABLES.items():
        rows += reference_rows(cls, name)
        if name in _OPEN_ROWS:
            rows.append(_OPEN_ROWS[name])
    rows += [row.replace("| `sources.", "| `[[sources]]` `", 1) for row in reference_rows(Source, "sources")]
    return "\n".join(rows) + "\n"
