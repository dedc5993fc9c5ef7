"""A polite HTTP client: it names itself, honours robots.txt, waits between two requests to one host,
asks conditionally, retries only what a server asks to be retried (429, 503) after the time it names, and
reads no more than a limit. Redirects are followed by hand, so that each hop is checked like the first:
http(s) only, robots.txt, and no jump from a public address into this machine's network."""

from __future__ import annotations

import datetime as dt
import email.utils
import ipaddress
import re
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

import requests
from tenacity import RetryCallState, Retrying, retry_if_exception_type, stop_after_attempt

from yomicast import PROJECT_URL, __version__
from yomicast.errors import FetchError
from yomicast.settings import FetchSettings

USER_AGENT = f"yomicast/{__version__} (+{PROJECT_URL})"
MAX_REDIRECTS = 5
ROBOTS_BYTES = 512 * 1024  # Google reads the first 500 KiB of a robots.txt


@dataclass(frozen=True)
class Response:
    url: str  # after redirects
    status: int  # 200, or 304 for a conditional request answered "not modified"
    body: bytes
    content_type: str
    etag: str | None
    last_modified: str | None


class _Retry(Exception):
    """A response the server asked to be retried (429, 503), or a dropped connection."""

    def __init__(self, why: str, wait: float = 0.0) -> None:
        super().__init__(why)
        self.wait = wait


@dataclass
class Client:
    settings: FetchSettings = field(default_factory=FetchSettings)
    sleep: Callable[[float], None] = time.sleep
    clock: Callable[[], float] = time.monotonic
    allow_private: frozenset[str] = frozenset()  # hosts on private addresses the maintainer named
    session: requests.Session = field(default_factory=requests.Session)
    _last: dict[str, float] = field(default_factory=dict)
    _robots: dict[str, object] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def __post_init__(self) -> None:
        self.session.headers["User-Agent"] = USER_AGENT
        self.session.headers["Accept-Language"] = "ja,en;q=0.5"
        self.session.trust_env = False  # no proxy or .netrc credentials from the environment

    def close(self) -> None:
        self.session.close()

    def get(
        self,
        url: str,
        *,
        etag: str | None = None,
        last_modified: str | None = None,
        accept: str = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
        named: bool = False,
    ) -> Response:
        """GET ``url``, following redirects; 304 comes back as a Response with an empty body. Anything
        else that is not 2xx raises FetchError with one line naming the URL. ``named``: the maintainer
        named this URL (a source, or on the command line), so its host may be on a private network;
        a link found in a feed or a redirect may lead only to a host named so, or to a public one."""
        headers = {"Accept": accept}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        current = url
        for _hop in range(MAX_REDIRECTS + 1):
            self._check(current, named=named and current == url)
            if not self.allowed(current):
                raise FetchError(f"{current}: robots.txt disallows it; not fetched", lasting=True)
            reply = self._retrying(current, headers)
            if reply.is_redirect and reply.headers.get("Location"):
                target = urljoin(current, reply.headers["Location"])
                reply.close()
                if not target.startswith(("http://", "https://")):
                    raise FetchError(
                        f"{current}: redirects to {target[:80]!r}, not an http(s) address", lasting=True
                    )
                current = target
                continue
            return self._read(current, reply)
        raise FetchError(f"{url}: more than {MAX_REDIRECTS} redirects; not followed", lasting=True)

    # -- the parts ---------------------------------------------------------------------------------

    def _check(self, url: str, *, named: bool) -> None:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise FetchError(f"{url[:120]}: not an http(s) address", lasting=True)
        if parts.username or parts.password:
            raise FetchError(f"{parts.hostname}: an address with a user name or password is not fetched")
        host = parts.hostname
        if host in self.allow_private:
            return
        try:
            infos = socket.getaddrinfo(host, parts.port or (443 if parts.scheme == "https" else 80))
        except (socket.gaierror, UnicodeError):
            raise FetchError(f"{url}: the host {host} is not known (is the network up?)") from None
        for info in infos:
            address = ipaddress.ip_address(str(info[4][0]).split("%")[0])
            if not address.is_global:
                if named:
                    self.allow_private = self.allow_private | {host}
                    return
                raise FetchError(
                    f"{url}: points into a private network ({address}); only addresses the show names are "
                    "fetched there",
                    lasting=True,
                )

    def allowed(self, url: str) -> bool:
        """Whether robots.txt lets yomicast fetch ``url`` (fetched once per host and run)."""
        from protego import Protego

        parts = urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc}"
        if origin not in self._robots:
            rules: object
            try:
                reply = self._retrying(origin + "/robots.txt", {"Accept": "text/plain"})
            except FetchError as exc:  # unreachable: the page is too, and that is what to say
                raise FetchError(f"{url}: {str(exc).removeprefix(origin + '/robots.txt: ')}") from None
            if reply.status_code >= 500:
                reply.close()
                rules = f"its robots.txt answered {reply.status_code}, which means nothing may be fetched"
            elif reply.status_code >= 400 or reply.is_redirect:
                reply.close()
                rules = True  # none: everything is allowed
            else:
                body = self._body(origin + "/robots.txt", reply, ROBOTS_BYTES, truncate=True)
                rules = Protego.parse(body.decode("utf-8", errors="replace"))
            self._robots[origin] = rules
        rules = self._robots[origin]
        if isinstance(rules, str):
            raise FetchError(f"{url}: {rules}; not fetched")
        if isinstance(rules, bool):
            return rules
        return bool(rules.can_fetch(url, "yomicast"))  # type: ignore[attr-defined]

    def _wait_turn(self, host: str) -> None:
        with self._lock:
            last = self._last.get(host)
            now = self.clock()
            wait = 0.0 if last is None else max(0.0, last + self.settings.delay - now)
            self._last[host] = now + wait
        if wait:
            self.sleep(wait)

    def _retrying(self, url: str, headers: dict[str, str]) -> requests.Response:
        def wait(state: RetryCallState) -> float:
            exc = state.outcome.exception() if state.outcome else None
            return exc.wait if isinstance(exc, _Retry) else 1.0

        retrying = Retrying(
            retry=retry_if_exception_type(_Retry),
            stop=stop_after_attempt(self.settings.retries),
            wait=wait,
            sleep=self.sleep,
            reraise=True,
        )
        try:
            return retrying(self._once, url, headers)
        except _Retry as exc:
            raise FetchError(f"{url}: {exc} after {self.settings.retries} tries; try later") from None

    def _once(self, url: str, headers: dict[str, str]) -> requests.Response:
        self._wait_turn(urlsplit(url).netloc)
        timeout = self.settings.timeout
        try:
            reply = self.session.get(
                url, headers=headers, timeout=(timeout, timeout), stream=True, allow_redirects=False
            )
        except requests.exceptions.Timeout:
            raise _Retry(f"no answer within {timeout:g} s", 1.0) from None
        except requests.exceptions.ConnectionError:
            raise _Retry("cannot connect (is the network up?)", 1.0) from None
        except requests.exceptions.RequestException as exc:
            raise FetchError(f"{url}: {type(exc).__name__}") from None
        if reply.status_code in (429, 503):
            reply.close()
            after = retry_after(reply.headers.get("Retry-After"))
            what = "rate limited (429)" if reply.status_code == 429 else "unavailable (503)"
            if after > self.settings.max_retry_after:
                raise FetchError(f"{url}: {what}; the server asks to wait {after:.0f} s; try later")
            raise _Retry(what, after)
        return reply

    def _read(self, url: str, reply: requests.Response) -> Response:
        status = reply.status_code
        if status == 304:
            reply.close()
            return Response(url, 304, b"", "", reply.headers.get("ETag"), reply.headers.get("Last-Modified"))
        if status in (404, 410):
            reply.close()
            raise FetchError(f"{url}: {'gone (410)' if status == 410 else 'not found (404)'}", lasting=True)
        if not 200 <= status < 300:
            reply.close()
            raise FetchError(f"{url}: the server answered {status} {reply.reason or ''}".rstrip())
        body = self._body(url, reply, int(self.settings.max_mb * 1_000_000))
        return Response(
            url,
            status,
            body,
            reply.headers.get("Content-Type", ""),
            reply.headers.get("ETag"),
            reply.headers.get("Last-Modified"),
        )

    def _body(self, url: str, reply: requests.Response, limit: int, *, truncate: bool = False) -> bytes:
        try:
            declared = int(reply.headers.get("Content-Length", "0"))
        except ValueError:
            declared = 0
        if declared > limit and not truncate:
            reply.close()
            raise FetchError(f"{url}: {declared / 1e6:.1f} MB is over the {limit / 1e6:g} MB limit; not read")
        chunks: list[bytes] = []
        size = 0
        try:
            for chunk in reply.iter_content(64 * 1024):
                chunks.append(chunk)
                size += len(chunk)
                if size > limit:
                    if truncate:
                        break
                    raise FetchError(f"{url}: over the {limit / 1e6:g} MB limit; not read")
        except requests.exceptions.RequestException:
            raise FetchError(f"{url}: the connection broke off while reading") from None
        finally:
            reply.close()
        return b"".join(chunks)[: limit if truncate else None]


def retry_after(value: str | None) -> float:
    """Seconds from a Retry-After header: a number of seconds or an HTTP date; 1 when absent or unreadable."""
    if not value:
        return 1.0
    value = value.strip()
    if re.fullmatch(r"\d{1,9}", value):
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return 1.0
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    return max(0.0, (when - dt.datetime.now(dt.UTC)).total_seconds())
