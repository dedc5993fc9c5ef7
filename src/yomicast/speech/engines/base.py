"""The speech-engine contract.

An engine turns one segment of speech text into audio. What it promises:

* ``synthesize(text)`` gets at most ``max_chars`` characters (``None``: any length); the renderer cuts longer
  speech at sentence and clause ends first. It returns an ``Audio``: either ``samples`` (mono or
  (frames, channels) floats, full scale 1.0, peaks beyond it allowed) at ``rate`` Hz, or ``encoded`` bytes
  whose ``format`` is one of ``DECODABLE`` (WAV is read directly; the rest go through ffmpeg). The
  renderer brings any of them to the episode format once, so an engine never resamples.
* Up to ``concurrency`` calls of ``synthesize`` run at once, from different threads; an engine that is
  not thread-safe keeps ``concurrency = 1``. ``concurrency`` is the one name for parallelism, and the
  ``[engine]`` setting that sets it.
* ``settings()`` returns everything that changes the sound (for a server voice, also the voice's own
  version); with the engine's name and the exact text it forms the segment cache key. Where the voice
  comes from (a URL) is not part of it.
* ``varies`` says whether speaking the same text again can sound different; ``build --check`` speaks a
  flagged line again only then (or when its audio came from the cache).
* ``use_dictionary(entries)`` puts the show's entries with an accent into an engine's own dictionary (Open
  JTalk's user dictionary, VOICEVOX's user dictionary API); an engine without one returns None and the
  text carries the readings. ``held_in(text)`` joins the cache key.
* ``credits()`` names what the voice's terms require to be credited (``"VOICEVOX:ずんだもん"``); each
  episode names every voice it used.
* Errors a user can cause are ``EngineError`` subclasses with a message that says what to do.
* An engine is a context manager: ``with create_engine(...) as engine:`` releases its sessions and
  threads on the way out, however the block ends.
"""

from __future__ import annotations

import inspect
from abc import ABC, abstractmethod
from types import TracebackType
from typing import Any, ClassVar, Self

from yomicast.audio.raw import DECODABLE, Audio
from yomicast.settings import Pronunciation

__all__ = ["DECODABLE", "Audio", "Engine"]


class Engine(ABC):
    name: ClassVar[str]
    description: ClassVar[str] = ""
    #: longest text one ``synthesize`` call accepts (None: no limit)
    max_chars: ClassVar[int | None] = None
    #: True when the engine reads English words itself (no katakana rewrite wanted)
    reads_latin: ClassVar[bool] = False
    #: how many ``synthesize`` calls may run at once
    concurrency: int = 1
    #: True when two calls with the same text can give different audio (a neural voice, a server): a line
    #: the listening check flags is then worth speaking again
    varies: ClassVar[bool] = False
    #: True when the engine offers voices to choose from by its ``voice`` setting (``yomicast voices``)
    chooses_voice: ClassVar[bool] = False
    #: True when the engine is a server reached at its ``url`` setting (one address or several)
    served: ClassVar[bool] = False
    #: True when the engine has a dictionary of its own that ``use_dictionary`` fills
    has_dictionary: ClassVar[bool] = False
    #: the show's dictionary entries this engine holds in a dictionary of its own (``use_dictionary``)
    held: tuple[Pronunciation, ...] = ()

    @abstractmethod
    def settings(self) -> dict[str, Any]:
        """Everything that changes the sound; part of the cache key."""

    @abstractmethod
    def synthesize(self, text: str) -> Audio:
        """Speak one segment of speech text (at most ``max_chars`` long)."""

    def check(self) -> str | None:
        """None when the engine is usable here, else the reason it is not."""
        return None

    def use_dictionary(self, entries: tuple[Pronunciation, ...]) -> tuple[list[str], list[str]] | None:
        """Put the show's dictionary entries (those with an accent) into the engine's own dictionary, and
        read each back: (lines that say what took effect, one line per word that did not). None: the engine
        has no dictionary of its own, and the text carries the readings instead."""
        return None

    def held_in(self, text: str) -> list[list[Any]]:
        """The held entries that speaking ``text`` depends on, for its cache key: changing one entry
        speaks again exactly the segments that hold its word."""
        return [[p.engine_word, p.kana, p.accent, p.priority] for p in self.held if p.engine_word in text]

    def knows_word(self, word: str) -> bool:
        """True when the engine reads this Latin word well by itself."""
        return self.reads_latin

    def voices(self) -> list[str]:
        """What voices this engine offers, one line each (``yomicast voices``)."""
        return [self.description]

    def credits(self) -> tuple[str, ...]:
        """Credits the voice's terms require, one per voice (empty when none is required)."""
        return ()

    def close(self) -> None:
        """Release what the engine holds (sessions, threads)."""

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    @classmethod
    def required_settings(cls) -> list[str]:
        """Constructor settings that have no default (the engine cannot be made without them)."""
        params = inspect.signature(cls).parameters.values()
        return [
            p.name
            for p in params
            if p.default is inspect.Parameter.empty and p.kind is p.POSITIONAL_OR_KEYWORD
        ]

    @classmethod
    def availability(cls) -> str | None:
        """None when the engine, with its default settings, is usable here; else why not. Never raises for
        an engine that needs settings: it says so."""
        from yomicast.errors import YomicastError

        needed = cls.required_settings()
        if needed:
            return f"needs {', '.join(needed)} in [engine]"
        try:
            with cls() as engine:
                return engine.check()
        except YomicastError as exc:
            return str(exc)
