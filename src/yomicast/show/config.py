"""``show.toml``: the show's metadata, voice, audio and templates, validated on load.

Every problem names the file and the field. Paths in the file are relative to the file's folder.
"""

from __future__ import annotations

import dataclasses
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from yomicast.errors import ConfigError
from yomicast.settings import (
    DICTIONARY_ENTRIES,
    INTRO_TEMPLATE,
    AudioSettings,
    CastSettings,
    CheckSettings,
    FetchSettings,
    Limits,
    Pauses,
    Pronunciation,
    PublishSettings,
    Source,
    table_from,
)

# Apple Podcasts categories (https://podcasters.apple.com/support/1691-apple-podcasts-categories)
APPLE_CATEGORIES: dict[str, list[str]] = {
    "Arts": ["Books", "Design", "Fashion & Beauty", "Food", "Performing Arts", "Visual Arts"],
    "Business": ["Careers", "Entrepreneurship", "Investing", "Management", "Marketing", "Non-Profit"],
    "Comedy": ["Comedy Interviews", "Improv", "Stand-Up"],
    "Education": ["Courses", "How To", "Language Learning", "Self-Improvement"],
    "Fiction": ["Comedy Fiction", "Drama", "Science Fiction"],
    "Government": [],
    "History": [],
    "Health & Fitness": [
        "Alternative Health",
        "Fitness",
        "Medicine",
        "Mental Health",
        "Nutrition",
        "Sexuality",
    ],
    "Kids & Family": ["Education for Kids", "Parenting", "Pets & Animals", "Stories for Kids"],
    "Leisure": [
        "Animation & Manga",
        "Automotive",
        "Aviation",
        "Crafts",
        "Games",
        "Hobbies",
        "Home & Garden",
        "Video Games",
    ],
    "Music": ["Music Commentary", "Music History", "Music Interviews"],
    "News": [
        "Business News",
        "Daily News",
        "Entertainment News",
        "News Commentary",
        "Politics",
        "Sports News",
        "Tech News",
    ],
    "Religion & Spirituality": [
        "Buddhism",
        "Christianity",
        "Hinduism",
        "Islam",
        "Judaism",
        "Religion",
        "Spirituality",
    ],
    "Science": [
        "Astronomy",
        "Chemistry",
        "Earth Sciences",
        "Life Sciences",
        "Mathematics",
        "Natural Sciences",
        "Nature",
        "Physics",
        "Social Sciences",
    ],
    "Society & Culture": [
        "Documentary",
        "Personal Journals",
        "Philosophy",
        "Places & Travel",
        "Relationships",
    ],
    "Sports": [
        "Baseball",
        "Basketball",
        "Cricket",
        "Fantasy Sports",
        "Football",
        "Golf",
        "Hockey",
        "Rugby",
        "Running",
        "Soccer",
        "Swimming",
        "Tennis",
        "Volleyball",
        "Wilderness",
        "Wrestling",
    ],
    "Technology": [],
    "True Crime": [],
    "TV & Film": ["After Shows", "Film History", "Film Interviews", "Film Reviews", "TV Reviews"],
}


@dataclass(frozen=True)
class Show:
    title: str = "yomicast"
    description: str = "日本語のニュース記事を読み上げるポッドキャスト"
    author: str = "yomicast"
    owner_name: str | None = None
    owner_email: str | None = None
    language: str = "ja"
    category: str = "News"
    subcategory: str | None = "Daily News"
    explicit: bool = False
    base_url: str | None = None
    link: str | None = None
    cover: Path | None = None
    show_type: str = "episodic"
    medium: str = "podcast"  # podcast:medium
    license: str | None = None  # podcast:license: an SPDX identifier or a name with license_url
    license_url: str | None = None
    season: int | None = None  # podcast:season and itunes:season of every episode
    update_frequency: str | None = None  # podcast:updateFrequency: daily, weekly, … or an RRULE
    engine: str = "openjtalk"
    engine_options: dict[str, Any] = field(default_factory=dict)
    audio: AudioSettings = field(default_factory=AudioSettings)
    pauses: Pauses = field(default_factory=Pauses)
    jingle: bool = True
    intro: str = INTRO_TEMPLATE
    credit: str | None = None
    pronunciations: dict[str, str] = field(default_factory=dict)  # word → reading, rewritten in the text
    # entries with an accent ([pronunciations] tables, dictionary.csv): into the engine's own dictionary
    dictionary: tuple[Pronunciation, ...] = ()
    limits: Limits = field(default_factory=Limits)
    voices: dict[str, dict[str, Any]] = field(default_factory=dict)  # [voices.NAME]: engine name and settings
    cast: dict[str, str] = field(default_factory=dict)  # part → voice name
    publish: PublishSettings = field(default_factory=PublishSettings)
    fetch: FetchSettings = field(default_factory=FetchSettings)
    sources: tuple[Source, ...] = ()
    check: CheckSettings = field(default_factory=CheckSettings)
    path: Path | None = None

    @property
    def cast_settings(self) -> CastSettings:
        where = f"{self.path}: " if self.path else ""
        return CastSettings(self.engine, self.engine_options, self.voices, self.cast, where)


MEDIUMS = ("podcast", "music", "video", "film", "audiobook", "newsletter", "blog")
#: update_frequency words → (RRULE, label)
FREQUENCIES = {
    "daily": ("FREQ=DAILY", "Daily"),
    "weekly": ("FREQ=WEEKLY", "Weekly"),
    "biweekly": ("FREQ=WEEKLY;INTERVAL=2", "Every two weeks"),
    "monthly": ("FREQ=MONTHLY", "Monthly"),
}

# section.key → (Show field, type, required)
_SCHEMA: dict[str, dict[str, tuple[str, type | tuple[type, ...]]]] = {
    "show": {
        "title": ("title", str),
        "description": ("description", str),
        "author": ("author", str),
        "owner_name": ("owner_name", str),
        "owner_email": ("owner_email", str),
        "language": ("language", str),
        "category": ("category", str),
        "subcategory": ("subcategory", str),
        "explicit": ("explicit", bool),
        "base_url": ("base_url", str),
        "link": ("link", str),
        "cover": ("cover", str),
        "type": ("show_type", str),
        "medium": ("medium", str),
        "license": ("license", str),
        "license_url": ("license_url", str),
        "season": ("season", int),
        "update_frequency": ("update_frequency", str),
    },
    "engine": {"name": ("engine", str)},
    "audio": {
        "bitrate": ("bitrate", int),
        "loudness": ("loudness", (int, float)),
        "true_peak": ("true_peak", (int, float)),
        "quality": ("quality", int),
        "jingle": ("jingle", (bool, str)),
        "alternates": ("alternates", list),
        "opus_bitrate": ("opus_bitrate", int),
        "sentence_pause": ("sentence", (int, float)),
        "heading_pause": ("heading", (int, float)),
        "after_heading_pause": ("after_heading", (int, float)),
    },
    "templates": {"intro": ("intro", str), "credit": ("credit", str)},
    "limits": {
        "article_mb": ("article_mb", (int, float)),
        "max_removed_share": ("max_removed_share", (int, float)),
        "episode_minutes": ("episode_minutes", (int, float)),
    },
}


SHOW_TOML_BYTES = 1_000_000  # a show's settings are a page of text; a bigger file is not one


def load_show(path: Path | str | None) -> Show:
    """Read and check show.toml; no path (or a folder without one) gives the defaults."""
    if path is None:
        return Show()
    path = Path(path)
    if path.is_dir():
        path = path / "show.toml"
        if not path.exists():
            return Show()
    if not path.exists():
        raise ConfigError(f"{path}: no such show file")
    from yomicast.errors import InputError
    from yomicast.fsutil import read_regular

    try:
        data = tomllib.loads(read_regular(path, SHOW_TOML_BYTES, name=str(path)).decode("utf-8"))
    except InputError as exc:  # a folder, a pipe, a device, or past the bound
        raise ConfigError(str(exc)) from None
    except UnicodeDecodeError:
        raise ConfigError(f"{path}: is not UTF-8 text; save it as UTF-8") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: broken TOML: {exc}") from None
    return parse_show(data, path)


def parse_show(data: dict[str, Any], path: Path) -> Show:
    def bad(where: str, why: str) -> ConfigError:
        return ConfigError(f"{path}: [{where}]: {why}")

    unknown_tables = set(data) - {
        *_SCHEMA,
        "pronunciations",
        "voices",
        "cast",
        "publish",
        "fetch",
        "sources",
        "check",
    }
    if unknown_tables:
        raise bad(
            sorted(unknown_tables)[0],
            "unknown table; expected show, engine, voices, cast, audio, templates, limits, pronunciations, "
            "publish, fetch, sources, check",
        )
    raw_sources = data.get("sources", [])
    if not isinstance(raw_sources, list):
        raise bad("sources", "must be [[sources]] tables, each with a url")
    for n, table in enumerate(raw_sources):
        if isinstance(table, dict) and "url" not in table:
            raise bad(f"sources.{n + 1}", 'needs a url, e.g. url = "https://example.jp/rss.xml"')
    try:
        publish = table_from(PublishSettings, data.get("publish", {}), "publish")
        fetch = table_from(FetchSettings, data.get("fetch", {}), "fetch")
        sources = tuple(table_from(Source, s, f"sources.{k + 1}") for k, s in enumerate(raw_sources))
        check = table_from(CheckSettings, data.get("check", {}), "check")
    except ConfigError as exc:
        raise ConfigError(f"{path}: {exc}") from None
    if check.model is not None:
        model = Path(check.model).expanduser()
        check = dataclasses.replace(check, model=model if model.is_absolute() else path.parent / model)
    values: dict[str, Any] = {}
    engine_options: dict[str, Any] = {}
    for table, fields in _SCHEMA.items():
        section = data.get(table, {})
        if not isinstance(section, dict):
            raise bad(table, "must be a table")
        for key, value in section.items():
            if key not in fields:
                if table == "engine":
                    engine_options[key] = value  # engine-specific, checked by the engine
                    continue
                raise bad(f"{table}.{key}", f"unknown field; expected one of: {', '.join(fields)}")
            name, kind = fields[key]
            if not isinstance(value, kind) or (kind in (int, (int, float)) and isinstance(value, bool)):
                want = kind.__name__ if isinstance(kind, type) else " or ".join(k.__name__ for k in kind)
                raise bad(f"{table}.{key}", f"must be a {want}, not {value!r}")
            values[name] = value
    engine_options = _renamed(engine_options, "engine", path, bad)
    if not str(values.get("title", "x")).strip():
        raise bad("show.title", "must not be empty")
    email = values.get("owner_email")
    if email and not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", email):
        raise bad("show.owner_email", f"is not an e-mail address: {email!r}")
    if values.get("medium", "podcast") not in MEDIUMS:
        raise bad("show.medium", f"must be one of {', '.join(MEDIUMS)}, not {values['medium']!r}")
    if values.get("season") is not None and values["season"] < 1:
        raise bad("show.season", f"must be 1 or more, not {values['season']}")
    freq = values.get("update_frequency")
    if freq is not None and freq.lower() not in FREQUENCIES and not freq.upper().startswith("FREQ="):
        raise bad(
            "show.update_frequency", f"must be {', '.join(FREQUENCIES)} or an RRULE (FREQ=…), not {freq!r}"
        )
    for key in ("base_url", "link", "license_url"):
        url = values.get(key)
        if url and not re.match(r"https?://[^/\s]+", url):
            raise bad(f"show.{key}", f"must be an http(s) URL, not {url!r}")
    category = values.get("category", "News")
    if category not in APPLE_CATEGORIES:
        raise bad("show.category", f"{category!r} is not an Apple Podcasts category (e.g. News, Technology)")
    sub = values.get("subcategory", "Daily News" if category == "News" else None)
    if sub is not None and sub not in APPLE_CATEGORIES[category]:
        raise bad("show.subcategory", f"{sub!r} is not a subcategory of {category}")
    if values.get("show_type", "episodic") not in ("episodic", "serial"):
        raise bad("show.type", "must be episodic or serial")
    voices, cast = _cast(data, path, bad)
    pron, dictionary = _pronunciations(data.get("pronunciations", {}), path, bad)

    base = path.parent
    cover = Path(values["cover"]) if values.get("cover") else None
    if cover is not None and not cover.is_absolute():
        cover = base / cover
    if cover is not None and not cover.is_file():
        raise bad("show.cover", f"image not found: {cover}")
    if cover is not None:
        from yomicast.show.cover import check_cover

        try:
            check_cover(cover)
        except ConfigError as exc:
            raise bad("show.cover", str(exc)) from None
    for key in ("intro", "credit"):
        template = values.get(key)
        if template is not None:
            try:
                template.format(show="", title="", publisher="", date="", source="", generator="")
            except (KeyError, IndexError, ValueError) as exc:
                raise bad(
                    f"templates.{key}",
                    f"unknown placeholder {exc}; use {{show}} {{title}} {{publisher}} "
                    "{date} {source} {generator}",
                ) from None
    jingle_value = values.pop("jingle", True)
    jingle_path = None
    if isinstance(jingle_value, str):
        jingle_path = Path(jingle_value) if Path(jingle_value).is_absolute() else base / jingle_value
        if not jingle_path.is_file():
            raise bad("audio.jingle", f"audio file not found: {jingle_path}")
    audio_kw: dict[str, Any] = {
        k: values.pop(k)
        for k in ("bitrate", "loudness", "true_peak", "quality", "opus_bitrate")
        if k in values
    }
    if "alternates" in values:
        audio_kw["alternates"] = tuple(str(a) for a in values.pop("alternates"))
    pause_kw = {k: float(values.pop(k)) for k in ("sentence", "heading", "after_heading") if k in values}
    for k, v in pause_kw.items():
        if not 0 <= v <= 10:
            raise bad("audio", f"{k} pause must be between 0 and 10 seconds, not {v}")
    try:
        audio = AudioSettings(jingle=jingle_path, **audio_kw)
    except ConfigError as exc:
        raise bad("audio", str(exc)) from None
    try:
        limits = Limits(
            **{
                k: float(values.pop(k))
                for k in ("article_mb", "max_removed_share", "episode_minutes")
                if k in values
            }
        )
    except ConfigError as exc:
        raise bad("limits", str(exc)) from None
    values["subcategory"] = sub
    values["cover"] = cover
    return Show(
        **values,
        engine_options=engine_options,
        audio=audio,
        pauses=Pauses(**pause_kw),
        jingle=jingle_value is not False,
        pronunciations=pron,
        dictionary=dictionary,
        limits=limits,
        voices=voices,
        cast=cast,
        publish=publish,
        fetch=fetch,
        sources=sources,
        check=check,
        path=path,
    )


def _cast(data: dict[str, Any], path: Path, bad: Any) -> tuple[dict[str, dict[str, Any]], dict[str, str]]:
    """[voices.NAME] tables (the fields of [engine]) and [cast] (part → voice name), checked."""
    from yomicast.script.compose import PARTS

    voices = data.get("voices", {})
    if not isinstance(voices, dict):
        raise bad("voices", 'must be tables such as [voices.anchor] with name = "voicevox"')
    for name, table in voices.items():
        if not isinstance(table, dict) or not isinstance(table.get("name"), str):
            raise bad(f"voices.{name}", 'must be a table with name = "<engine>" and that engine\'s settings')
    cast = data.get("cast", {})
    if not isinstance(cast, dict):
        raise bad("cast", f"must map parts ({', '.join(PARTS)}) to voice names")
    for part, voice in cast.items():
        if part not in PARTS:
            raise bad(f"cast.{part}", f"is not a part of an episode; the parts are {', '.join(PARTS)}")
        if not isinstance(voice, str) or voice not in voices:
            known = ", ".join(voices) or "none defined"
            raise bad(f"cast.{part}", f"names no voice in [voices] ({known}): {voice!r}")
    return {k: _renamed(dict(v), f"voices.{k}", path, bad) for k, v in voices.items()}, dict(cast)


#: an engine setting's old name → its name now; the old one is still read, with a warning
RENAMED = {"speaker": "voice"}


def _renamed(table: dict[str, Any], where: str, path: Path, bad: Any) -> dict[str, Any]:
    import logging

    out = dict(table)
    for old, new in RENAMED.items():
        if old in out:
            if new in out:
                raise bad(f"{where}.{old}", f"is the old name of {new}; give {new} only")
            out[new] = out.pop(old)
            logging.getLogger("yomicast").warning(
                "%s: [%s] %s is now called %s; %s is still read, but rename it", path, where, old, new, old
            )
    return out


DICTIONARY_CSV = "dictionary.csv"
_CSV_FIELDS = ("surface", "reading", "accent", "priority")


def _pronunciations(table: object, path: Path, bad: Any) -> tuple[dict[str, str], tuple[Pronunciation, ...]]:
    """``[pronunciations]`` and ``dictionary.csv`` beside show.toml: (words rewritten in the text, entries
    with an accent for the engines' own dictionaries). A word given in both is the table's."""
    from yomicast.settings import table_from

    if not isinstance(table, dict):
        raise bad("pronunciations", 'must map words to readings, e.g. "北朝鮮" = "きたちょうせん"')
    entries: dict[str, Pronunciation] = {}
    for surface, value in _csv_entries(path.parent / DICTIONARY_CSV, bad).items():
        entries[surface] = value
    text: dict[str, str] = {}
    for surface, value in table.items():
        if isinstance(value, str):
            if not value.strip() or len(value) > 100 or len(surface) > 50:
                raise bad(f"pronunciations.{surface}", "a reading is 1 to 100 characters, a word 1 to 50")
            text[surface] = value
            entries.pop(surface, None)
            continue
        if not isinstance(value, dict):
            raise bad(
                f"pronunciations.{surface}",
                'must be a reading, or a table such as { reading = "カシマ", accent = 1, priority = 5 }',
            )
        if "surface" in value or "reading" not in value:
            raise bad(f"pronunciations.{surface}", "needs a reading (and may have accent and priority)")
        try:
            entries[surface] = table_from(
                Pronunciation, {"surface": surface, **value}, f"pronunciations.{surface}"
            )
        except ConfigError as exc:
            raise ConfigError(f"{path}: {exc}") from None
    if len(text) + len(entries) > DICTIONARY_ENTRIES:
        raise bad("pronunciations", f"holds more than {DICTIONARY_ENTRIES} words with dictionary.csv")
    for surface, entry in list(entries.items()):
        if not entry.in_engine:  # no accent: the reading goes into the text, as a plain entry does
            text.setdefault(surface, entry.reading)
            del entries[surface]
    return text, tuple(entries.values())


def _csv_entries(csv_path: Path, bad: Any) -> dict[str, Pronunciation]:
    """The rows of ``dictionary.csv``: a header ``surface,reading,accent,priority``, then one word a row
    (accent and priority may be left empty)."""
    import csv
    import io

    from yomicast.errors import InputError
    from yomicast.fsutil import read_regular

    if not csv_path.exists():
        return {}
    try:  # beside the articles, where fetched files land: a link out of the folder is not followed
        raw = read_regular(csv_path, 8_000_000, within=csv_path.parent, name=str(csv_path))
        text = raw.decode("utf-8-sig")
    except InputError as exc:
        raise ConfigError(str(exc)) from None
    except UnicodeDecodeError:
        raise ConfigError(f"{csv_path}: is not UTF-8 text; save it as UTF-8") from None
    rows = csv.reader(io.StringIO(text))
    header = [h.strip() for h in next(rows, [])]
    if tuple(header[:2]) != _CSV_FIELDS[:2] or not set(header) <= set(_CSV_FIELDS):
        raise ConfigError(f"{csv_path}: the first row must name the columns: {','.join(_CSV_FIELDS)}")
    out: dict[str, Pronunciation] = {}
    for n, row in enumerate(rows, start=2):
        if not any(cell.strip() for cell in row):
            continue
        if n > DICTIONARY_ENTRIES + 1:
            raise ConfigError(f"{csv_path}: more than {DICTIONARY_ENTRIES} words")
        cells = dict(zip(header, (c.strip() for c in row), strict=False))
        try:
            accent = int(cells["accent"]) if cells.get("accent") else None
            priority = int(cells["priority"]) if cells.get("priority") else 5
            out[cells["surface"]] = Pronunciation(
                cells["surface"], cells.get("reading", ""), accent, priority
            )
        except (ValueError, KeyError, ConfigError) as exc:
            raise ConfigError(f"{csv_path}: row {n}: {exc}") from None
    return out
