"""Google's Japanese voice through the real gTTS library, made dependable for a whole article.

gTTS sends one request per ≤100-character chunk, one after another, with no retry and (by default) no
timeout. Here the renderer hands it pieces already cut at natural Japanese breaks (so gTTS's own splitter,
which cuts unpunctuated text at character 100 and times at ``:``, never runs), several requests are in
flight at once, and 429, 5xx, time-outs and dropped connections are retried with exponential backoff and
jitter (tenacity). Every piece that arrives goes into the segment cache, so a failed run resumes.
"""

from __future__ import annotations

import os
import threading
from typing import Any

from yomicast.engines.base import Audio, Engine
from yomicast.errors import ConfigError, EngineError, EngineUnavailable, RateLimited

OFFLINE_HINT = "use --engine openjtalk, which works offline"
DEFAULT_HOST = "https://translate.google.{tld}"


class _Transient(Exception):
    """A failure worth another try (429, 5xx, time-out, dropped connection)."""

    def __init__(self, kind: str, detail: str) -> None:
        super().__init__(detail)
        self.kind = kind  # "rate", "server", "timeout", "connect"
        self.detail = detail


class GTTSEngine(Engine):
    name = "gtts"
    description = "Google Translate's voice via gTTS (needs the internet)"
    max_chars = 100
    reads_latin = True

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
        if not 1 <= int(concurrency) <= 16:
            raise ConfigError(f"gtts concurrency must be between 1 and 16, not {concurrency}")
        if not 1 <= int(tries) <= 20:
            raise ConfigError(f"gtts tries must be between 1 and 20, not {tries}")
        self.tld = tld
        self.slow = bool(slow)
        self.concurrency = int(concurrency)
        self.timeout = float(timeout)
        self.tries = int(tries)
        self.backoff = float(backoff)
        self.endpoint = (endpoint or os.environ.get("YOMICAST_GTTS_ENDPOINT") or "").rstrip("/") or None
        self._offline = threading.Event()  # once the network is known down, stop trying at once
        self._refusals = 0
        self._refusal_lock = threading.Lock()

    @property
    def host(self) -> str:
        return self.endpoint or DEFAULT_HOST.format(tld=self.tld)

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
        from tenacity import (
            RetryError,
            Retrying,
            retry_if_exception,
            stop_after_attempt,
            wait_random_exponential,
        )

        if self._offline.is_set():
            raise EngineUnavailable(f"gtts: cannot reach {self.host}: no network; {OFFLINE_HINT}")

        def retryable(exc: BaseException) -> bool:
            # A host that refuses connections twice is down, not busy: give up quickly.
            return isinstance(exc, _Transient) and not (exc.kind == "connect" and self._offline.is_set())

        attempts = Retrying(
            retry=retry_if_exception(retryable),
            stop=stop_after_attempt(self.tries),
            wait=wait_random_exponential(multiplier=self.backoff * 0.5, max=self.backoff * 8),
            reraise=False,
        )
        try:
            data = attempts(self._request, text)
        except RetryError as err:
            exc = err.last_attempt.exception()
            assert isinstance(exc, _Transient)
            raise self._final_error(exc) from None
        except _Transient as exc:
            raise self._final_error(exc) from None
        return Audio(encoded=data, format="mp3")

    def _request(self, text: str) -> bytes:
        import requests
        from gtts import gTTS, gTTSError

        host = self.host

        class _Pointed(gTTS):
            def _prepare_requests(self):
                requests_ = super()._prepare_requests()
                default = DEFAULT_HOST.format(tld=self.tld)
                for r in requests_:
                    r.url = host + r.url[len(default) :] if r.url.startswith(default) else r.url
                return requests_

        tts = _Pointed(text, lang="ja", tld=self.tld, slow=self.slow, lang_check=False, timeout=self.timeout)
        try:
            chunks = list(tts.stream())
        except gTTSError as exc:
            rsp = exc.rsp
            if rsp is None:
                cause = exc.__context__
                if isinstance(cause, requests.Timeout):
                    raise _Transient("timeout", f"no answer within {self.timeout:g} s") from None
                if self._connection_refused_twice():
                    self._offline.set()
                raise _Transient("connect", f"cannot connect to {host}") from None
            if rsp.status_code == 429:
                raise _Transient("rate", "429 Too Many Requests") from None
            if rsp.status_code >= 500:
                raise _Transient("server", f"{rsp.status_code} {rsp.reason}") from None
            raise EngineError(
                f"gtts: {host} answered {rsp.status_code} {rsp.reason} for {text[:20]!r}; {OFFLINE_HINT}"
            ) from None
        data = b"".join(chunks)
        if not data:
            raise _Transient("server", "an answer without audio")
        return data

    def _connection_refused_twice(self) -> bool:
        with self._refusal_lock:
            self._refusals += 1
            return self._refusals >= 2

    def _final_error(self, exc: _Transient) -> EngineError:
        tries = f"after {self.tries} tries" if exc.kind != "connect" else "(no network?)"
        if exc.kind == "rate":
            return RateLimited(
                f"gtts: Google kept answering 429 Too Many Requests {tries}; wait a while and run again "
                f"(what arrived is cached), lower [engine] concurrency, or {OFFLINE_HINT}"
            )
        if exc.kind == "connect":
            return EngineUnavailable(f"gtts: cannot reach {self.host} {tries}; {OFFLINE_HINT}")
        return EngineError(
            f"gtts: {exc.detail} {tries}; run again later (what arrived is cached) or {OFFLINE_HINT}"
        )

