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
from dataclasses import dataclass
from typing import Any

from yomicast.errors import ConfigError, EngineError
from yomicast.settings import Pronunciation, mora_count
from yomicast.speech.engines.base import Audio, Engine
from yomicast.speech.engines.http import HTTPStatusError, Server, ServerPool, Transient, server_urls

SCALES = {
    "speed": ("speedScale", 0.5, 2.0),
    "pitch": ("pitchScale", -0.15, 0.15),
    "intonation": ("intonationScale", 0.0, 2.0),
    "volume": ("volumeScale", 0.0, 2.0),
}


@dataclass(frozen=True)
class Voice:
    character: str
    uuid: str
    version: str
    style: str
    style_id: int

    @property
    def credit(self) -> str:
        return f"VOICEVOX:{self.character}"


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
                    lambda s: _json(self.pool.request(s, "GET", "/speakers"), s, "/speakers")
                )
                version = self.pool.call(
                    lambda s: _json(self.pool.request(s, "GET", "/version"), s, "/version")
                )
                self._engine_version = str(version)[:100]
                self._voice = resolve_voice(speakers, self.wanted, self.name, self.pool.urls[0])
            return self._voice

    def voices(self) -> list[str]:
        """Every character and style the server offers, one per line."""
        speakers = self.pool.call(lambda s: _json(self.pool.request(s, "GET", "/speakers"), s, "/speakers"))
        _check_speakers(speakers, self.name, self.pool.urls[0])
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

        words = _json(self.pool.request(server, "GET", "/user_dict"), server, "/user_dict")
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
            query = _json(
                self.pool.request(
                    server, "POST", "/audio_query", params={"text": p.engine_word, "speaker": style}
                ),
                server,
                "/audio_query",
            )
            kana = query.get("kana") if isinstance(query, dict) else None
            said, accent = read_kana(kana if isinstance(kana, str) else "")
            if said != p.kana or not _same_accent(accent, p.accent, p.kana):
                wrong.append(f"{p.surface} is read {kana!r}, not {p.kana} with accent {p.accent}")
        return wrong

    # -- speaking --------------------------------------------------------------------------------------

    def synthesize(self, text: str) -> Audio:
        style = self.voice().style_id
        return Audio(encoded=self.pool.call(lambda server: self._speak(server, text, style)), format="wav")

    def _speak(self, server: Server, text: str, style: int) -> bytes:
        try:
            query = _json(
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


def _json(rsp: Any, server: Any, path: str) -> Any:
    """The JSON of an answer; a body that is not JSON is worth another try (a proxy's error page)."""
    try:
        return rsp.json()
    except ValueError:
        raise Transient("server", f"{server.url}{path} answered with something other than JSON") from None


def wav_problem(data: bytes) -> str | None:
    """What is wrong with a WAV a server sent ("a truncated WAV" …), or None. The header's sizes must agree
    with the bytes that came, so a cut-off answer is caught here, not published as a shorter sentence."""
    import struct

    if len(data) < 44 or data[:4] != b"RIFF" or data[8:12] != b"WAVE":
        return "something other than WAV" if data[:4] != b"RIFF" else "a WAV too short to hold a header"
    if struct.unpack("<I", data[4:8])[0] + 8 > len(data):
        return "a truncated WAV (its header promises more bytes than came)"
    at = 12
    while at + 8 <= len(data):
        chunk, size = data[at : at + 4], struct.unpack("<I", data[at + 4 : at + 8])[0]
        if chunk == b"fmt " and at + 24 <= len(data):
            kind, channels, _rate, _, align, bits = struct.unpack("<HHIIHH", data[at + 8 : at + 24])
            if kind not in (1, 3, 0xFFFE) or bits not in (8, 16, 24, 32) or not 1 <= channels <= 8:
                return f"a WAV whose header describes no PCM audio ({channels} channels of {bits} bits)"
            if align != channels * bits // 8:
                return "a WAV whose header contradicts itself (block size)"
        if chunk == b"data":
            if size == 0:
                return "an empty WAV"
            if at + 8 + size > len(data):
                return "a truncated WAV (its data chunk promises more bytes than came)"
            return None
        at += 8 + size + (size & 1)
    return "a WAV without audio data"


def _check_speakers(speakers: Any, engine: str, url: str) -> None:
    ok = isinstance(speakers, list) and all(
        isinstance(sp, dict)
        and isinstance(sp.get("name"), str)
        and isinstance(sp.get("styles", []), list)
        and all(
            isinstance(st, dict)
            and isinstance(st.get("id"), int)
            and not isinstance(st.get("id"), bool)
            and isinstance(st.get("name"), str)
            for st in sp.get("styles", [])
        )
        for sp in speakers
    )
    if not ok:
        raise EngineError(f"{engine}: {url}/speakers did not answer with a list of characters and styles")
    if not any(sp.get("styles") for sp in speakers):
        raise EngineError(f"{engine}: {url}/speakers offers no voice; is its voice library installed?")


def resolve_voice(speakers: Any, voice: str | int, engine: str, url: str) -> Voice:
    """A style id, a character's name (its first style) or "character/style", found in ``/speakers``."""
    _check_speakers(speakers, engine, url)
    wanted = str(voice).strip()
    character, _, style = wanted.partition("/")
    for sp in speakers:
        styles = sp.get("styles") or []
        for st in styles:
            by_id = wanted.isdigit() and int(wanted) == st.get("id")
            by_name = sp.get("name") == character and (
                style == st.get("name") or (not style and st is styles[0])
            )
            if by_id or by_name:
                return Voice(
                    sp["name"],
                    str(sp.get("speaker_uuid", "")),
                    str(sp.get("version", "")),
                    str(st.get("name")),
                    int(st["id"]),
                )
    offered = "; ".join(
        "{} ({})".format(
            sp.get("name"), ", ".join(f"{st.get('name')} {st.get('id')}" for st in sp.get("styles") or [])
        )
        for sp in speakers
    )
    raise ConfigError(f"{engine}: no voice {wanted!r} on {url}; it offers: {offered}")


def read_kana(kana: str) -> tuple[str, int | None]:
    """An AudioQuery's ``kana`` (AquesTalk notation: ``'`` after the accent nucleus, ``/`` and ``、``
    between phrases, ``_`` before a devoiced mora) → (the reading, the accent of a one-phrase reading)."""
    phrases = [ph for ph in kana.replace("、", "/").split("/") if ph]
    reading = "".join(phrases).replace("'", "").replace("_", "")
    if len(phrases) != 1 or "'" not in phrases[0]:
        return reading, None
    before = phrases[0].split("'")[0].replace("_", "")
    return reading, mora_count(before)


def _same_accent(heard: int | None, meant: int | None, kana: str) -> bool:
    """VOICEVOX marks a flat word's nucleus after its last mora."""
    return heard == meant or (meant == 0 and heard in (None, mora_count(kana)))
