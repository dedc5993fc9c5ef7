"""VOICEVOX ENGINE's HTTP API (and AivisSpeech Engine, which speaks the same API) on the shared plumbing.

The protocol: ``GET /version``; ``GET /speakers`` (characters, each with ``name``, ``speaker_uuid``,
``version`` and ``styles`` of ``{name, id}``); ``POST /audio_query?text=…&speaker=<style id>`` returns an
AudioQuery; ``POST /synthesis?speaker=<style id>`` with that AudioQuery as its JSON body returns WAV.

A voice is a style id, a character's name (its first style) or ``"character/style"``, resolved through
``/speakers``. The cache key holds the character's uuid and version, the style, the settings and the
engine's version, so a new voice release is spoken again, never mixed with the old one. Several URLs
spread the work over several servers (``ServerPool``), each with its own ``concurrency``.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Sequence
from typing import Any

from yomicast.errors import ConfigError, EngineError
from yomicast.settings import Pronunciation
from yomicast.speech.engines.base import Audio, Engine
from yomicast.speech.engines.http import HTTPStatusError, Server, ServerPool, Transient, server_urls
from yomicast.speech.engines.voicevox_api import (
    Voice,
    check_speakers,
    json_of,
    read_kana,
    resolve_voice,
    same_accent,
    wav_problem,
)

__all__ = ["AivisSpeechEngine", "Voice", "VoicevoxEngine", "read_kana", "resolve_voice", "wav_problem"]

SCALES = {
    "speed": ("speedScale", 0.5, 2.0),
    "pitch": ("pitchScale", -0.15, 0.15),
    "intonation": ("intonationScale", 0.0, 2.0),
    "volume": ("volumeScale", 0.0, 2.0),
}


class VoicevoxEngine(Engine):
    chooses_voice = True
    served = True
    name = "voicevox"
    description = "VOICEVOX ENGINE over HTTP (characters such as ずんだもん; needs a running engine)"
    max_chars = 500  # longer text is cut at sentence and clause ends
    varies = True  # a server: another call may reach another server, or a mended one
    has_dictionary = True  # the engine's user dictionary API
    default_url = "http://127.0.0.1:50021"
    url_variable = "YOMICAST_VOICEVOX_URL"
    how_to_start = (
        "start VOICEVOX ENGINE (docker run -p 50021:50021 voicevox/voicevox_engine:cpu-latest) or the VOICEVOX "
        "app, or set [engine] url"
    )

    def __init__(
        self,
        url: str | Sequence[str] | None = None,
        voice: str | int = 3,
        speed: float = 1.0,
        pitch: float = 0.0,
        intonation: float = 1.0,
        volume: float = 1.0,
        concurrency: int = 2,
        timeout: float = 60.0,
        tries: int = 4,
        backoff: float = 1.0,
        speaker: str | int | None = None,  # the old name of voice, still read
    ) -> None:
        voice = voice if speaker is None else speaker
        urls = server_urls(url or os.environ.get(self.url_variable) or self.default_url, self.name)
        self.scales: dict[str, float] = {}
        for key, value in (
            ("speed", speed),
            ("pitch", pitch),
            ("intonation", intonation),
            ("volume", volume),
        ):
            field, low, high = SCALES[key]
            if (
                isinstance(value, bool)
                or not isinstance(value, int | float)
                or not low <= float(value) <= high
            ):
                raise ConfigError(f"{self.name} {key} must be between {low} and {high}, not {value!r}")
            self.scales[field] = float(value)
        if not isinstance(voice, str | int) or isinstance(voice, bool) or not str(voice).strip():
            raise ConfigError(f"{self.name} voice must be a style id or a character's name, not {voice!r}")
        self.wanted = voice  # the voice setting, found among the server's characters by voice()
        self.pool = ServerPool(
            urls,
            engine=self.name,
            concurrency=concurrency,
            timeout=timeout,
            tries=tries,
            backoff=backoff,
            down_hint=self.how_to_start,
        )
        self.concurrency = self.pool.concurrency
        self._voice: Voice | None = None
        self._engine_version: str | None = None
        self._lock = threading.Lock()

    # -- the voice -------------------------------------------------------------------------------------

    def voice(self) -> Voice:
        """The character and style the voice setting names, asked of the server once."""
        with self._lock:
            if self._voice is None:
                speakers = self.pool.call(
                    lambda s: json_of(self.pool.request(s, "GET", "/speakers"), s, "/speakers")
                )
                version = self.pool.call(
                    lambda s: json_of(self.pool.request(s, "GET", "/version"), s, "/version")
                )
                self._engine_version = str(version)[:100]
                self._voice = resolve_voice(speakers, self.wanted, self.name, self.pool.urls[0])
            return self._voice

    def voices(self) -> list[str]:
        """Every character and style the server offers, one per line."""
        speakers = self.pool.call(lambda s: json_of(self.pool.request(s, "GET", "/speakers"), s, "/speakers"))
        check_speakers(speakers, self.name, self.pool.urls[0])
        return [f"{sp['name']}/{st['name']}  id {st['id']}" for sp in speakers for st in sp["styles"]]

    def settings(self) -> dict[str, Any]:
        voice = self.voice()
        return {
            "engine_version": self._engine_version,
            "character": voice.uuid,
            "character_version": voice.version,
            "style": voice.style_id,
            **self.scales,
        }

    def credits(self) -> tuple[str, ...]:
        return (self.voice().credit,)

    def check(self) -> str | None:
        try:
            self.voice()
        except EngineError as exc:
            return str(exc)
        return None

    # -- the user dictionary ----------------------------------------------------------------------------

    def use_dictionary(self, entries: tuple[Pronunciation, ...]) -> tuple[list[str], list[str]]:
        """Register the entries in every server's user dictionary (``/user_dict_word``: added, or updated
        where the server has the word), then read each back through ``/audio_query``'s ``kana``. Words the
        server held before and the show does not name are left alone: they are the server owner's."""
        entries = tuple(p for p in entries if p.in_engine)
        self.held = entries
        if not entries:
            return [], []
        style = self.voice().style_id
        lines: list[str] = []
        problems: list[str] = []
        for server in self.pool.servers:
            try:
                wrong = self._register(server, entries, style)
            except (Transient, HTTPStatusError) as exc:
                raise EngineError(
                    f"{self.name}: {server.url} did not take the pronunciation dictionary ({exc})"
                ) from None
            ok = len(entries) - len(wrong)
            lines.append(
                f"{self.name} {server.url}: {ok} of {len(entries)} dictionary words read back as given"
            )
            problems += [f"{self.name} {server.url}: {w}" for w in wrong]
        return lines, problems

    def _register(self, server: Server, entries: tuple[Pronunciation, ...], style: int) -> list[str]:
        import jaconv

        words = json_of(self.pool.request(server, "GET", "/user_dict"), server, "/user_dict")
        if not isinstance(words, dict):
            raise Transient("server", f"{server.url}/user_dict is not a dictionary of words")
        known = {
            str(w.get("surface")): (uuid, w)
            for uuid, w in list(words.items())[:100_000]
            if isinstance(w, dict)
        }
        for p in entries:
            params = {
                "surface": p.engine_word,
                "pronunciation": p.kana,
                "accent_type": p.accent,
                "word_type": "PROPER_NOUN",
                "priority": p.priority,
            }
            found = known.get(jaconv.h2z(p.engine_word, ascii=True, digit=True)) or known.get(p.engine_word)
            if found is None:
                self.pool.request(server, "POST", "/user_dict_word", params=params)
            elif (found[1].get("pronunciation"), found[1].get("accent_type"), found[1].get("priority")) != (
                p.kana,
                p.accent,
                p.priority,
            ):
                self.pool.request(server, "PUT", f"/user_dict_word/{found[0]}", params=params)
        wrong = []
        for p in entries:
            query = json_of(
                self.pool.request(
                    server, "POST", "/audio_query", params={"text": p.engine_word, "speaker": style}
                ),
                server,
                "/audio_query",
            )
            kana = query.get("kana") if isinstance(query, dict) else None
            said, accent = read_kana(kana if isinstance(kana, str) else "")
            if said != p.kana or not same_accent(accent, p.accent, p.kana):
                wrong.append(f"{p.surface} is read {kana!r}, not {p.kana} with accent {p.accent}")
        return wrong

    # -- speaking --------------------------------------------------------------------------------------

    def synthesize(self, text: str) -> Audio:
        style = self.voice().style_id
        return Audio(encoded=self.pool.call(lambda server: self._speak(server, text, style)), format="wav")

    def _speak(self, server: Server, text: str, style: int) -> bytes:
        try:
            query = json_of(
                self.pool.request(server, "POST", "/audio_query", params={"text": text, "speaker": style}),
                server,
                "/audio_query",
            )
            if not isinstance(query, dict) or not isinstance(query.get("accent_phrases"), list):
                raise Transient("server", f"{server.url} sent an audio query of the wrong shape")
            query.update(self.scales)
            rsp = self.pool.request(server, "POST", "/synthesis", params={"speaker": style}, json=query)
        except HTTPStatusError as exc:
            detail = " ".join(exc.response.text[:120].split())
            raise EngineError(
                f"{self.name}: {server.url} answered {exc} for {text[:20]!r}"
                + (f": {detail}" if detail else "")
            ) from None
        problem = wav_problem(rsp.content)
        if problem:
            raise Transient("server", f"{server.url} answered the synthesis with {problem}")
        return rsp.content

    def close(self) -> None:
        self.pool.close()


class AivisSpeechEngine(VoicevoxEngine):
    name = "aivisspeech"
    description = "AivisSpeech Engine over HTTP (the VOICEVOX API; needs a running engine)"
    default_url = "http://127.0.0.1:10101"
    url_variable = "YOMICAST_AIVISSPEECH_URL"
    how_to_start = "start AivisSpeech (the app, or its engine on port 10101), or set [engine] url"

    def __init__(
        self, url: str | Sequence[str] | None = None, voice: str | int = 888753760, **kw: Any
    ) -> None:
        super().__init__(url, voice, **kw)
