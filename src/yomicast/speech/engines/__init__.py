"""Speech engines by name. Each is imported only when it is asked for."""

from __future__ import annotations

import importlib
from typing import Any

from yomicast.errors import ConfigError
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


__all__ = ["DEFAULT_ENGINE", "ENGINES", "Audio", "Engine", "create_engine", "engine_class"]
