"""Google's Japanese voice through the real gTTS library, made dependable for a whole article.

gTTS sends one request per ≤100-character part of its text, one after another, with no retry and (by default) no
timeout. Here the renderer hands it segments already cut at natural Japanese breaks (so gTTS's own
splitter, which cuts unpunctuated text at character 100 and times at ``:``, never runs), and the shared
``ServerPool`` keeps several requests in flight, retries 429, 5xx, time-outs and dropped connections with
backoff and jitter, and gives up at once when the network is down. Every segment that arrives is cached,
so a failed run resumes.
"""

from __future__ import annotations

import os
from typing import Any

from yomicast.errors import ConfigError, EngineError
from yomicast.speech.engines.base import Audio, Engine
from yomicast.speech.engines.http import Server, ServerPool, Transient

OFFLINE_HINT = "use --engine openjtalk, which works offline"
DEFAULT_HOST = "https://translate.google.{tld}"


class GTTSEngine(Engine):
    name = "gtts"
    description = "Google Translate's voice via gTTS (needs the internet)"
    max_chars = 100
    reads_latin = True
    varies = True  # Google's servers

    def __init__(
        self,
        tld: str = "com",
        slow: bool = False,
        concurrency: int = 4,
        timeout: float = 10.0,
        tries: int = 5,
        backoff: float = 1.0,
        endpoint: str | None = None,
    ) -> None:
        if not isinstance(tld, str) or not tld.replace(".", "").isalnum():
            raise ConfigError(f"gtts tld must look like 'com' or 'co.jp', not {tld!r}")
        self.tld = tld
        self.slow = bool(slow)
        endpoint = (endpoint or os.environ.get("YOMICAST_GTTS_ENDPOINT") or "").rstrip("/") or None
        self.pool = ServerPool(
            [endpoint or DEFAULT_HOST.format(tld=tld)],
            engine="gtts",
            concurrency=concurrency,
            timeout=timeout,
            tries=tries,
            backoff=backoff,
            down_hint=f"no network? {OFFLINE_HINT}",
            failure_hint=OFFLINE_HINT,
        )
        self.concurrency = self.pool.concurrency

    @property
    def host(self) -> str:
        return self.pool.urls[0]

    def voices(self) -> list[str]:
        return [f"ja: Google Translate's Japanese voice (tld {self.tld}; slow = {str(self.slow).lower()})"]

    def settings(self) -> dict[str, Any]:
        # The endpoint is where the voice comes from, not how it sounds: not part of the cache key.
        return {"lang": "ja", "tld": self.tld, "slow": self.slow}

    def check(self) -> str | None:
        import requests

        try:
            requests.get(self.host + "/", timeout=3)
        except requests.RequestException as exc:
            return f"cannot reach {self.host} ({type(exc).__name__})"
        return None

    def synthesize(self, text: str) -> Audio:
        return Audio(encoded=self.pool.call(lambda server: self._request(server, text)), format="mp3")

    def _request(self, server: Server, text: str) -> bytes:
        import requests
        from gtts import gTTS, gTTSError

        host = server.url

        class _Pointed(gTTS):  # gTTS's own prepared requests, sent to the pool's server
            def _prepare_requests(self):  # type: ignore[no-untyped-def]
                prepared = super()._prepare_requests()
                default = DEFAULT_HOST.format(tld=self.tld)
                for r in prepared:
                    if r.url and r.url.startswith(default):
                        r.url = host + r.url[len(default) :]
                return prepared

        tts = _Pointed(
            text, lang="ja", tld=self.tld, slow=self.slow, lang_check=False, timeout=self.pool.timeout
        )
        try:
            data = b"".join(tts.stream())
        except gTTSError as exc:
            rsp = exc.rsp
            if rsp is None:
                if isinstance(exc.__context__, requests.Timeout):
                    raise Transient("timeout", f"no answer within {self.pool.timeout:g} s") from None
                raise Transient("connect", f"cannot connect to {host}") from None
            if rsp.status_code == 429:
                raise Transient("rate", "429 Too Many Requests") from None
            if rsp.status_code >= 500:
                raise Transient("server", f"{host} answered {rsp.status_code} {rsp.reason}") from None
            raise EngineError(
                f"gtts: {host} answered {rsp.status_code} {rsp.reason} for {text[:20]!r}; {OFFLINE_HINT}"
            ) from None
        if not data:
            raise Transient("server", "an answer without audio")
        return data

    def close(self) -> None:
        self.pool.close()
