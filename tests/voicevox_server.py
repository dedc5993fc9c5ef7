"""A local server that speaks VOICEVOX ENGINE's HTTP API on 127.0.0.1, for the voicevox engine's tests.

``/speakers`` offers two characters; ``/audio_query`` answers an AudioQuery whose length follows the text;
``/synthesis`` answers a real 24 kHz WAV tone whose length follows the text and the query's speedScale.
It keeps a user dictionary (``/user_dict``, ``/user_dict_word``) as VOICEVOX ENGINE does, surfaces made
full-width, and an AudioQuery's ``kana`` of a registered word is its pronunciation with the accent marked.
It records every request, and can be told to fail or to wait.
"""

from __future__ import annotations

import io
import json
import wave

import numpy as np

from .http_server import Answer, LocalServer, Request

SPEAKERS = [
    {
        "name": "四国めたん",
        "speaker_uuid": "7ffcb7ce-00ec-4bdc-82cd-45a8889e43ff",
        "version": "0.15.1",
        "styles": [
            {"name": "ノーマル", "id": 2, "type": "talk"},
            {"name": "あまあま", "id": 0, "type": "talk"},
        ],
    },
    {
        "name": "ずんだもん",
        "speaker_uuid": "388f246b-8c41-4ac1-8e2d-5d79f3ff56d9",
        "version": "0.15.1",
        "styles": [
            {"name": "ノーマル", "id": 3, "type": "talk"},
            {"name": "あまあま", "id": 1, "type": "talk"},
        ],
    },
]


def wav_tone(seconds: float, pitch: float, rate: int = 24000) -> bytes:
    t = np.arange(max(1, int(seconds * rate))) / rate
    tone = 0.3 * np.sin(2 * np.pi * pitch * t) * np.sin(np.pi * t / max(seconds, 1e-3))
    buf = io.BytesIO()
    with wave.open(buf, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes((tone * 32767).astype("<i2").tobytes())
    return buf.getvalue()


class FakeVoicevox(LocalServer):
    def __init__(self, latency: float = 0.0, version: str = "0.15.1") -> None:
        self.version = version
        self.status: int | None = None  # answer every synthesis with this status
        self.speakers = SPEAKERS
        self.lies: dict[str, Answer] = {}  # path → the answer it gives instead of the true one
        self.lie_times = 1 << 30  # how many times each lie is told before the truth
        self.user_dict: dict[str, dict] = {}  # uuid → word, as GET /user_dict answers
        super().__init__(self._respond, latency)

    @property
    def syntheses(self) -> list[Request]:
        return [r for r in self.requests if r.path == "/synthesis"]

    def _respond(self, req: Request) -> Answer:
        if req.path in self.lies and self.lie_times > 0:
            self.lie_times -= 1
            return self.lies[req.path]
        return self._truth(req)

    def _kana(self, text: str) -> str:
        """A registered word's pronunciation with ' after its accent nucleus (after the last mora when
        flat), else a stand-in of one ア a character."""
        import jaconv

        wide = jaconv.h2z(text, ascii=True, digit=True)
        for word in self.user_dict.values():
            if word["surface"] == wide:
                kana, accent = word["pronunciation"], word["accent_type"] or word["mora_count"]
                small = set("ァィゥェォャュョヮ")
                out, morae = "", 0
                for i, c in enumerate(kana):
                    out += c
                    if c not in small and not (i + 1 < len(kana) and kana[i + 1] in small):
                        morae += 1
                        if morae == accent:
                            out += "'"
                return out
        return "ア" * len(text)

    def _truth(self, req: Request) -> Answer:
        if req.method == "GET" and req.path == "/version":
            return Answer(200, json.dumps(self.version).encode(), {"Content-Type": "application/json"})
        if req.method == "GET" and req.path == "/speakers":
            return Answer(
                200,
                json.dumps(self.speakers, ensure_ascii=False).encode(),
                {"Content-Type": "application/json"},
            )
        if req.path == "/user_dict" and req.method == "GET":
            return Answer(200, json.dumps(self.user_dict, ensure_ascii=False).encode(), JSON)
        if req.path == "/user_dict_word" and req.method == "POST":
            uuid = f"00000000-0000-0000-0000-{len(self.user_dict):012d}"
            self.user_dict[uuid] = _word(req.query)
            return Answer(200, json.dumps(uuid).encode(), JSON)
        if req.path.startswith("/user_dict_word/") and req.method == "PUT":
            uuid = req.path.rsplit("/", 1)[1]
            if uuid not in self.user_dict:
                return Answer(422, b'{"detail":"no such word"}')
            self.user_dict[uuid] = _word(req.query)
            return Answer(204, b"")
        if req.method == "POST" and req.path == "/audio_query":
            text, speaker = req.query["text"][0], int(req.query["speaker"][0])
            if speaker not in {st["id"] for sp in self.speakers for st in sp["styles"]}:
                return Answer(422, b'{"detail":"unknown speaker"}')
            query = {
                "accent_phrases": [],
                "speedScale": 1.0,
                "pitchScale": 0.0,
                "intonationScale": 1.0,
                "volumeScale": 1.0,
                "prePhonemeLength": 0.1,
                "postPhonemeLength": 0.1,
                "outputSamplingRate": 24000,
                "outputStereo": False,
                "kana": self._kana(text),
                "text": text,
            }
            return Answer(
                200, json.dumps(query, ensure_ascii=False).encode(), {"Content-Type": "application/json"}
            )
        if req.method == "POST" and req.path == "/synthesis":
            if self.status:
                return Answer(self.status, b"")
            query = json.loads(req.body)
            seconds = 0.1 * len(query["text"]) / query["speedScale"]
            pitch = 200 + 50 * int(req.query["speaker"][0])
            return Answer(200, wav_tone(seconds, pitch), {"Content-Type": "audio/wav"})
        return Answer(404, b"")


JSON = {"Content-Type": "application/json"}


def _word(query: dict[str, list[str]]) -> dict:
    import jaconv

    kana = query["pronunciation"][0]
    return {
        "surface": jaconv.h2z(query["surface"][0], ascii=True, digit=True),
        "pronunciation": kana,
        "accent_type": int(query["accent_type"][0]),
        "priority": int(query.get("priority", ["5"])[0]),
        "word_type": query.get("word_type", ["PROPER_NOUN"])[0],
        "mora_count": sum(1 for c in kana if c not in "ァィゥェォャュョヮ"),
    }
