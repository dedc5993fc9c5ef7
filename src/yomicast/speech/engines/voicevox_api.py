"""What a VOICEVOX-family server answers, checked before it is used: JSON of the right shape, a WAV whose
header agrees with its bytes, a list of characters and styles, a voice found in it, and the kana of an
AudioQuery read back with its accent."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from yomicast.errors import ConfigError, EngineError
from yomicast.settings import mora_count
from yomicast.speech.engines.http import Transient


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


def json_of(rsp: Any, server: Any, path: str) -> Any:
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


def check_speakers(speakers: Any, engine: str, url: str) -> None:
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
    check_speakers(speakers, engine, url)
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


def same_accent(heard: int | None, meant: int | None, kana: str) -> bool:
    """VOICEVOX marks a flat word's nucleus after its last mora."""
    return heard == meant or (meant == 0 and heard in (None, mora_count(kana)))
