"""A local HTTP server that speaks the protocol gTTS uses (Google Translate's batchexecute RPC).

It answers ``POST /_/TranslateWebserverUi/data/batchexecute`` with the audio as base64 inside the
``jQ1olc`` response line, exactly where gTTS looks for it. The audio is a real 24 kHz mono MP3 (a tone whose
length follows the text), so the whole decode path runs. Behaviour is scripted per test: latency, a list of
statuses for the first requests (429, 503 …), a permanent status, or hanging past the client's timeout. It
records every text it was asked for and the most requests it saw in flight at once.
"""

from __future__ import annotations

import base64
import json
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import lameenc
import numpy as np

PATH = "/_/TranslateWebserverUi/data/batchexecute"


def tone_mp3(seconds: float, rate: int = 24000) -> bytes:
    t = np.arange(int(seconds * rate)) / rate
    wave = (0.3 * np.sin(2 * np.pi * 220 * t) * np.sin(np.pi * t / max(seconds, 1e-3)) * 32767).astype("<i2")
    enc = lameenc.Encoder()
    enc.set_bit_rate(32)
    enc.set_in_sample_rate(rate)
    enc.set_channels(1)
    enc.set_quality(7)
    return enc.encode(wave.tobytes()) + enc.flush()


class FakeTranslate:
    def __init__(self, latency: float = 0.0) -> None:
        self.latency = latency
        self.script: list[int] = []  # statuses to answer, one per request, before normal service
        self.status: int | None = None  # answer every request with this status
        self.hang: float = 0.0  # sleep this long before answering
        self.fail_after: int | None = None  # answer 500 once this many requests have had audio
        self.texts: list[str] = []
        self.in_flight = 0
        self.max_in_flight = 0
        self.requests = 0
        self._lock = threading.Lock()
        self._mp3: dict[int, bytes] = {}
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True)

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    def __enter__(self) -> FakeTranslate:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()

    def audio_for(self, text: str) -> bytes:
        n = max(1, len(text))
        if n not in self._mp3:
            self._mp3[n] = tone_mp3(0.12 * n)
        return self._mp3[n]

    def _handler(self):
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_GET(self):
                self.send_response(200)
                self.end_headers()

            def do_POST(self):
                with fake._lock:
                    fake.requests += 1
                    fake.in_flight += 1
                    fake.max_in_flight = max(fake.max_in_flight, fake.in_flight)
                    scripted = fake.script.pop(0) if fake.script else None
                try:
                    self._answer(scripted)
                finally:
                    with fake._lock:
                        fake.in_flight -= 1

            def _answer(self, scripted):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0))).decode()
                if self.path.split("?")[0] != PATH:
                    self.send_error(404)
                    return
                if fake.hang:
                    time.sleep(fake.hang)
                if fake.latency:
                    time.sleep(fake.latency)
                status = scripted or fake.status
                with fake._lock:
                    if fake.fail_after is not None and len(fake.texts) >= fake.fail_after:
                        status = status or 500
                if status:
                    self.send_response(status)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                freq = json.loads(urllib.parse.parse_qs(body)["f.req"][0])
                text = json.loads(freq[0][0][1])[0]
                with fake._lock:
                    fake.texts.append(text)
                audio = base64.b64encode(fake.audio_for(text)).decode()
                payload = (
                    ")]}'\n\n" + f'123\n[["wrb.fr","jQ1olc","[\\"{audio}\\"]",null,null,null,"generic"]]\n'
                )
                data = payload.encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json; charset=utf-8")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        return Handler
