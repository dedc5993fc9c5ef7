"""Speech engines by name. Each is imported only when it is asked for."""

from __future__ import annotations

import importlib
from typing import Any

from yomicast.errors import ConfigError
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
    return cls(**options)


__all__ = ["DEFAULT_ENGINE", "ENGINES", "Audio", "Engine", "create_engine", "engine_class"]
