"""The cast: which voice speaks which part of an episode (intro, headings, body, credit).

``[engine]`` is the voice for every part not cast. A ``[voices.NAME]`` table takes the fields of ``[engine]``;
one that names the same engine as ``[engine]`` starts from its settings (so an anchor on the same VOICEVOX
servers needs only its ``voice``).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass, field

from yomicast.errors import ConfigError
from yomicast.settings import CastSettings
from yomicast.speech.engines import Engine, create_engine


@dataclass
class Cast:
    default: Engine
    parts: dict[str, Engine] = field(default_factory=dict)

    def engine(self, part: str) -> Engine:
        return self.parts.get(part, self.default)

    @property
    def engines(self) -> list[Engine]:
        """Every distinct engine, the default first."""
        out = [self.default]
        for eng in self.parts.values():
            if all(eng is not e for e in out):
                out.append(eng)
        return out

    def credits(self, parts: list[str] | None = None) -> tuple[str, ...]:
        """The credits of every voice that speaks ``parts`` (default: all), the main voice first, each once."""
        used = {id(self.engine(p)) for p in parts} if parts is not None else {id(e) for e in self.engines}
        seen: list[str] = []
        for eng in self.engines:
            if id(eng) in used:
                seen += [c for c in eng.credits() if c not in seen]
        return tuple(seen)


@contextlib.contextmanager
def cast_for(show: CastSettings, engine: Engine) -> Iterator[Cast]:
    """The show's cast around ``engine`` (its voice for every part not cast); the voices made here are closed
    on the way out, ``engine`` is left to its owner."""
    with contextlib.ExitStack() as stack:
        made: dict[str, Engine] = {}
        parts: dict[str, Engine] = {}
        for part, voice in show.cast.items():
            if voice not in made:
                table = dict(show.voices[voice])
                name = table.pop("name")
                options = {**show.engine_options, **table} if name == show.engine else table
                try:
                    made[voice] = stack.enter_context(create_engine(name, **options))
                except ConfigError as exc:
                    raise ConfigError(f"{show.where}[voices.{voice}]: {exc}") from None
            parts[part] = made[voice]
        yield Cast(engine, parts)
