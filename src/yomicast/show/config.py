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
from yomicast.show.dictionary import pronunciations as _pronunciations
from yomicast.show.tables import FREQUENCIES, MEDIUMS, TABLES, AudioTable, ShowTable, Templates


@dataclass(frozen=True)
class Show:
    """A show's settings as the stages take them; each default is its table's (``show.tables``)."""

    title: str = ShowTable.title
    description: str = ShowTable.description
    author: str = ShowTable.author
    owner_name: str | None = None
    owner_email: str | None = None
    language: str = ShowTable.language
    category: str = ShowTable.category
    subcategory: str | None = ShowTable().subcategory_or_default
    explicit: bool = ShowTable.explicit
    base_url: str | None = None
    link: str | None = None
    cover: Path | None = None
    show_type: str = ShowTable.type
    medium: str = ShowTable.medium
    license: str | None = None
    license_url: str | None = None
    season: int | None = None
    update_frequency: str | None = None
    engine: str = "openjtalk"
    engine_options: dict[str, Any] = field(default_factory=dict)
    audio: AudioSettings = field(default_factory=AudioSettings)
    pauses: Pauses = field(default_factory=Pauses)
    jingle: bool = True
    intro: str = Templates.intro
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


__all__ = ["FREQUENCIES", "MEDIUMS", "Show", "load_show", "parse_show"]


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


#: the tables whose keys are an engine's own (read by the engines), or names (voices, words)
OPEN_TABLES = ("engine", "voices", "cast", "pronunciations", "sources")


def parse_show(data: dict[str, Any], path: Path) -> Show:
    def bad(where: str, why: str) -> ConfigError:
        return ConfigError(f"{path}: [{where}]: {why}")

    unknown_tables = sorted(set(data) - set(TABLES) - set(OPEN_TABLES))
    if unknown_tables:
        known = ", ".join(
            ["show", "engine", "voices", "cast", *list(TABLES)[1:], "pronunciations", "sources"]
        )
        raise bad(unknown_tables[0], f"unknown table; expected {known}")
    raw_sources = data.get("sources", [])
    if not isinstance(raw_sources, list):
        raise bad("sources", "must be [[sources]] tables, each with a url")
    for n, table in enumerate(raw_sources):
        if isinstance(table, dict) and "url" not in table:
            raise bad(f"sources.{n + 1}", 'needs a url, e.g. url = "https://example.jp/rss.xml"')
    try:
        tables: dict[str, Any] = {
            name: table_from(cls, data.get(name, {}), name) for name, cls in TABLES.items()
        }
        sources = tuple(table_from(Source, s, f"sources.{k + 1}") for k, s in enumerate(raw_sources))
    except ConfigError as exc:
        raise ConfigError(f"{path}: {exc}") from None
    info: ShowTable = tables["show"]
    audio_table: AudioTable = tables["audio"]
    templates: Templates = tables["templates"]
    check: CheckSettings = tables["check"]
    if check.model is not None:
        model = Path(check.model).expanduser()
        check = dataclasses.replace(check, model=model if model.is_absolute() else path.parent / model)
    engine_table = data.get("engine", {})
    if not isinstance(engine_table, dict):
        raise bad("engine", "must be a table")
    engine_options = {k: v for k, v in engine_table.items() if k != "name"}  # checked by the engine
    engine = engine_table.get("name", Show.engine)
    if not isinstance(engine, str):
        raise bad("engine.name", f"must be a string, not {engine!r}")
    engine_options = _renamed(engine_options, "engine", path, bad)
    voices, cast = _cast(data, path, bad)
    pron, dictionary = _pronunciations(data.get("pronunciations", {}), path, bad)
    base = path.parent
    cover = _file(base, info.cover, "show.cover", "image", bad)
    if cover is not None:
        from yomicast.show.cover import check_cover

        try:
            check_cover(cover)
        except ConfigError as exc:
            raise bad("show.cover", str(exc)) from None
    jingle = audio_table.jingle
    jingle_path = _file(base, jingle, "audio.jingle", "audio file", bad) if isinstance(jingle, str) else None
    try:
        audio = AudioSettings(**_same_fields(audio_table, AudioSettings), jingle=jingle_path)
    except ConfigError as exc:
        raise bad("audio", str(exc)) from None
    return Show(
        **_same_fields(info, Show),
        subcategory=info.subcategory_or_default,
        cover=cover,
        show_type=info.type,
        engine=engine,
        engine_options=engine_options,
        audio=audio,
        pauses=audio_table.pauses,
        jingle=jingle is not False,
        intro=templates.intro,
        credit=templates.credit,
        pronunciations=pron,
        dictionary=dictionary,
        limits=tables["limits"],
        voices=voices,
        cast=cast,
        publish=tables["publish"],
        fetch=tables["fetch"],
        sources=sources,
        check=check,
        path=path,
    )


def _same_fields(table: Any, cls: type, but: tuple[str, ...] = ("cover", "jingle", "subcategory")) -> dict:
    """The values of ``table`` whose fields ``cls`` has under the same name (those in ``but`` are
    made by hand: a path found, a default that depends on another field)."""
    names = {f.name for f in dataclasses.fields(cls)}
    return {
        f.name: getattr(table, f.name)
        for f in dataclasses.fields(table)
        if f.name in names and f.name not in but
    }


def _file(base: Path, value: str | None, where: str, what: str, bad: Any) -> Path | None:
    """A file named in show.toml (relative to its folder), which must be there."""
    if not value:
        return None
    path = Path(value) if Path(value).is_absolute() else base / value
    if not path.is_file():
        raise bad(where, f"{what} not found: {path}")
    return path


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


def feed_base(base: str | None, where: Path) -> str:
    """The public URL of the output folder (``--base-url`` or ``[show] base_url``), ending in "/"."""
    base = (base or "").strip()
    if not base:
        raise ConfigError(f"{where}: no base URL for the feed; set [show] base_url or pass --base-url")
    if not re.fullmatch(r"https?://[A-Za-z0-9.\-\[\]:_%]+(/[^\s?#]*)?", base):
        raise ConfigError(f"base URL must be http(s)://HOST/PATH/, not {base!r}")
    return base.rstrip("/") + "/"
