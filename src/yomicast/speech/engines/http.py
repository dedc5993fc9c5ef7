"""HTTP plumbing shared by the engines that speak through a server (gTTS, VOICEVOX and its family).

A ``ServerPool`` holds one or more base URLs, each with its own bounded concurrency. Every call:

* goes to the least busy server that is up, waiting for a free slot when all are busy;
* is retried with exponential backoff and jitter (tenacity) on 429, 5xx, time-outs and dropped
  connections, and a retry prefers another server, so a failing server's work moves to the others;
* fails fast and cleanly when nothing listens: a server that refuses connections twice is down, and when
  every server is down the call ends at once with one line naming the URLs and how to start them.

An engine builds on it with ``pool.call(work)``, where ``work(server)`` does one attempt (usually with
``pool.request``) and raises ``Transient`` for what is worth another try.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

from yomicast.errors import ConfigError, EngineError, EngineUnavailable, RateLimited

if TYPE_CHECKING:
    import requests
    from tenacity import RetryCallState

T = TypeVar("T")


log = logging.getLogger("yomicast")

#: The largest answer read from a voice server: a ten-minute 48 kHz stereo WAV is 110 MB.
MAX_ANSWER = 128_000_000


class Transient(Exception):
    """A failure worth another try: ``kind`` is rate (429), server (5xx), timeout or connect."""

    def __init__(self, kind: str, detail: str) -> None:
        super().__init__(detail)
        self.kind = kind
        self.detail = detail


class HTTPStatusError(Exception):
    """An answer that another try will not change (4xx other than 429); the engine says what it means."""

    def __init__(self, response: requests.Response) -> None:
        super().__init__(f"{response.status_code} {response.reason}")
        self.response = response


@dataclass(eq=False)
class Server:
    url: str
    concurrency: int
    in_flight: int = 0
    refusals: int = 0
    failures: int = 0  # consecutive failed attempts
    down: bool = False


def server_urls(url: str | Sequence[str], engine: str) -> list[str]:
    """One URL or a list of them, checked and without trailing slashes."""
    urls = [url] if isinstance(url, str) else list(url)
    if not urls or not all(isinstance(u, str) and u.startswith(("http://", "https://")) for u in urls):
        raise ConfigError(f"{engine} url must be an http(s) URL or a list of them, not {url!r}")
    return [u.rstrip("/") for u in urls]


class ServerPool:
    def __init__(
        self,
        urls: Sequence[str],
        *,
        engine: str,
        concurrency: int = 4,
        timeout: float = 30.0,
        tries: int = 5,
        backoff: float = 1.0,
        down_hint: str = "",
        failure_hint: str = "",
    ) -> None:
        if not 1 <= int(concurrency) <= 64:
            raise ConfigError(f"{engine} concurrency must be between 1 and 64, not {concurrency}")
        if not 1 <= int(tries) <= 20:
            raise ConfigError(f"{engine} tries must be between 1 and 20, not {tries}")
        if not float(timeout) > 0:
            raise ConfigError(f"{engine} timeout must be a positive number of seconds, not {timeout}")
        self.engine = engine
        self.servers = [Server(url, int(concurrency)) for url in urls]
        self.timeout = float(timeout)
        self.tries = int(tries)
        self.backoff = float(backoff)
        self.down_hint = down_hint
        self.failure_hint = failure_hint
        self._slots = threading.Condition()
        self._local = threading.local()
        self._sessions: list[requests.Session] = []
        self._sessions_lock = threading.Lock()

    @property
    def concurrency(self) -> int:
        """Calls that may be in flight at once across every server."""
        return sum(s.concurrency for s in self.servers)

    @property
    def urls(self) -> list[str]:
        return [s.url for s in self.servers]

    # -- sessions --------------------------------------------------------------------------------------

    def session(self) -> requests.Session:
        """This thread's session (connections are kept alive between calls)."""
        sess = getattr(self._local, "session", None)
        if sess is None:
            import requests

            sess = requests.Session()
            self._local.session = sess
            with self._sessions_lock:
                self._sessions.append(sess)
        return sess

    def request(self, server: Server, method: str, path: str, **kwargs: Any) -> requests.Response:
        """One HTTP request to ``server``: 2xx comes back; 429, 5xx, time-outs and connection failures raise
        ``Transient``; any other status raises ``HTTPStatusError``."""
        import requests

        try:
            rsp = self.session().request(
                method, server.url + path, timeout=self.timeout, stream=True, **kwargs
            )
            body = rsp.raw.read(MAX_ANSWER + 1, decode_content=True)
            rsp.close()
        except requests.Timeout:
            raise Transient("timeout", f"no answer from {server.url} within {self.timeout:g} s") from None
        except (requests.ConnectionError, OSError):
            raise Transient("connect", f"cannot connect to {server.url}") from None
        except Exception as exc:  # urllib3's ProtocolError, ReadTimeoutError … while reading the body
            raise Transient("connect", f"{server.url} broke off its answer ({type(exc).__name__})") from None
        if len(body) > MAX_ANSWER:
            raise EngineError(f"{server.url}{path} answered more than {MAX_ANSWER // 1_000_000} MB; not read")
        rsp._content = body  # the body, read within the bound, for .content, .text and .json()
        if rsp.status_code == 429:
            raise Transient("rate", "429 Too Many Requests")
        if rsp.status_code >= 500:
            raise Transient("server", f"{server.url} answered {rsp.status_code} {rsp.reason}")
        if rsp.status_code >= 400:
            raise HTTPStatusError(rsp)
        return rsp

    def close(self) -> None:
        with self._sessions_lock:
            for sess in self._sessions:
                sess.close()
            self._sessions.clear()

    # -- calls -----------------------------------------------------------------------------------------

    def call(self, work: Callable[[Server], T]) -> T:
        """Run ``work`` on a server, retried on transient failures (on another server when there is one)."""
        from tenacity import (
            RetryError,
            Retrying,
            retry_if_exception,
            stop_after_attempt,
            wait_random_exponential,
        )

        last: list[Server] = []

        def attempt() -> T:
            server = self._acquire(avoid=last[-1] if last else None)
            try:
                result = work(server)
            except Transient as exc:
                self._failed(server, exc)
                last.append(server)
                if exc.kind == "timeout" and len(last) < self.tries:  # say what is being waited for
                    log.warning(
                        "%s: %s; trying again (%d of %d)", self.engine, exc.detail, len(last) + 1, self.tries
                    )
                raise
            except BaseException:
                self._release(server)
                raise
            self._succeeded(server)
            return result

        def retryable(exc: BaseException) -> bool:
            return isinstance(exc, Transient) and not self.all_down

        backoff = wait_random_exponential(multiplier=self.backoff * 0.5, max=self.backoff * 8)

        def wait(state: RetryCallState) -> float:
            # A refused connection is no sign of load: try the next server at once.
            exc = state.outcome.exception() if state.outcome else None
            return 0.0 if isinstance(exc, Transient) and exc.kind == "connect" else backoff(state)

        retrying = Retrying(
            retry=retry_if_exception(retryable), stop=stop_after_attempt(self.tries), wait=wait, reraise=False
        )
        try:
            return retrying(attempt)
        except RetryError as err:
            exc = err.last_attempt.exception()
            assert isinstance(exc, Transient)
            raise self.final_error(exc) from None
        except Transient as exc:
            raise self.final_error(exc) from None

    @property
    def all_down(self) -> bool:
        return all(s.down for s in self.servers)

    def _acquire(self, avoid: Server | None) -> Server:
        with self._slots:
            while True:
                up = [s for s in self.servers if not s.down]
                if not up:
                    raise self.unreachable()
                choices = [s for s in up if s is not avoid] or up
                free = [s for s in choices if s.in_flight < s.concurrency]
                if free:
                    server = min(free, key=lambda s: (s.failures, s.in_flight / s.concurrency))
                    server.in_flight += 1
                    return server
                self._slots.wait(timeout=1.0)

    def _release(self, server: Server) -> None:
        with self._slots:
            server.in_flight -= 1
            self._slots.notify_all()

    def _succeeded(self, server: Server) -> None:
        with self._slots:
            server.failures = server.refusals = 0
        self._release(server)

    def _failed(self, server: Server, exc: Transient) -> None:
        with self._slots:
            server.failures += 1
            if exc.kind == "connect":
                server.refusals += 1
                server.down = server.refusals >= 2  # refused twice: nothing listens there
        self._release(server)

    # -- errors ----------------------------------------------------------------------------------------

    def unreachable(self) -> EngineUnavailable:
        where = " or ".join(self.urls)
        hint = f"; {self.down_hint}" if self.down_hint else ""
        return EngineUnavailable(f"{self.engine}: cannot reach {where} (nothing answers there){hint}")

    def final_error(self, exc: Transient) -> EngineError:
        hint = f", or {self.failure_hint}" if self.failure_hint else ""
        tries = f"after {self.tries} tries"
        if exc.kind == "connect":
            return self.unreachable()
        if exc.kind == "rate":
            return RateLimited(
                f"{self.engine}: the server kept answering 429 Too Many Requests {tries}; wait a while and run "
                f"again (what arrived is cached), lower [engine] concurrency{hint}"
            )
        return EngineError(
            f"{self.engine}: {exc.detail} {tries}; run again later (what arrived is cached){hint}"
        )
