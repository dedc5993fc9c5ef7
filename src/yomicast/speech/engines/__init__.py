"""Speech engines by name. Each is imported only when it is asked for."""

from __future__ import annotations

import importlib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from yomicast.errors import ConfigError, YomicastError
from yomicast.settings import describe, fits
from yomicast.speech.engines.base import Audio, Engine

DEFAULT_ENGINE = "openjtalk"

#: name → "module:Class"; a plain dict is the registry (no entry points until a third party needs them)
ENGINES: dict[str, str] = {
    "openjtalk": "yomicast.speech.engines.openjtalk:OpenJTalkEngine",
    "gtts": "yomicast.speech.engines.gtts:GTTSEngine",
    "voicevox": "yomicast.speech.engines.voicevox:VoicevoxEngine",
    "aivisspeech": "yomicast.speech.engines.voicevox:AivisSpeechEngine",
    "kokoro": "yomicast.speech.engines.kokoro:KokoroEngine",
    "fake": "yomicast.speech.engines.fake:FakeEngine",
}


def engine_class(name: str) -> type[Engine]:
    try:
        target = ENGINES[name]
    except KeyError:
        known = ", ".join(sorted(ENGINES))
        raise ConfigError(f"unknown engine {name!r}; choose one of: {known}") from None
    module, _, cls = target.partition(":")
    return getattr(importlib.import_module(module), cls)


def create_engine(name: str = DEFAULT_ENGINE, **options: Any) -> Engine:
    """Build an engine from its name and the options of its constructor (from show.toml or the CLI)."""
    import inspect

    cls = engine_class(name)
    known = [p for p in inspect.signature(cls).parameters if p != "self"]
    unknown = sorted(set(options) - set(known))
    if unknown:
        raise ConfigError(
            f"engine {name!r} has no setting {unknown[0]!r}; its settings are: {', '.join(known)}"
        )
    check_types(cls, name, options)
    return cls(**options)


def check_types(cls: type[Engine], name: str, options: dict[str, Any]) -> None:
    """Each option of the type its constructor's annotation names (a show.toml may say ``speed = "fast"``
    or ``tries = [1]``): one line naming the setting, never a traceback from inside the engine."""
    import typing

    try:
        hints = typing.get_type_hints(cls.__init__)
    except Exception:  # an annotation that cannot be resolved here: the engine checks its own values
        return
    for key, value in options.items():
        hint = hints.get(key)
        if hint is not None and not fits(value, hint):
            raise ConfigError(f"{name} {key} must be {describe(hint)}, not {value!r}")


def options_for(name: str, *, voice: str | None = None, urls: Sequence[str] | None = None) -> dict[str, Any]:
    """The constructor options of engine ``name`` for a voice and servers given on the command line: one
    line when the engine has no voice to choose or is not a server."""
    cls = engine_class(name)
    options: dict[str, Any] = {}
    if voice is not None:
        if not cls.chooses_voice:
            raise ConfigError(f"engine {name!r} has one voice; see yomicast voices for the engines with more")
        options["voice"] = int(voice) if cls.served and voice.isdigit() else voice
    if urls:
        if not cls.served:
            raise ConfigError(f"engine {name!r} is not a server; --url is for voicevox and aivisspeech")
        options["url"] = list(urls)
    return options


@dataclass(frozen=True)
class EngineStatus:
    name: str
    description: str
    problem: str | None  # why it cannot be used here; None when it can
    default: bool


def engine_statuses() -> list[EngineStatus]:
    """Every engine, and whether it can be used here (``yomicast engines``)."""
    out = []
    for name in ENGINES:
        cls = engine_class(name)
        out.append(EngineStatus(name, cls.description, cls.availability(), name == DEFAULT_ENGINE))
    return out


def list_voices(engine: str | None = None, urls: Sequence[str] | None = None) -> list[tuple[str, list[str]]]:
    """(engine, its voices one per line) for ``engine`` or every engine; an engine that cannot answer
    is one "not available" line, unless it was the one asked for (then its error is raised)."""
    out = []
    for name in [engine] if engine else list(ENGINES):
        served = engine_class(name).served
        try:
            with create_engine(name, **options_for(name, urls=urls if served else None)) as eng:
                out.append((name, eng.voices()))
        except YomicastError as exc:
            if engine:
                raise
            out.append((name, [f"not available: {' '.join(str(exc).split())}"]))
    return out


__all__ = [
    "DEFAULT_ENGINE",
    "ENGINES",
    "Audio",
    "Engine",
    "EngineStatus",
    "create_engine",
    "engine_class",
    "engine_statuses",
    "list_voices",
    "options_for",
]
