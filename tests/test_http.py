"""The engines' shared HTTP plumbing against real sockets on 127.0.0.1."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from yomicast.errors import ConfigError, EngineError, EngineUnavailable, RateLimited
from yomicast.speech.engines.http import HTTPStatusError, ServerPool

from .http_server import Answer, LocalServer, closed_port_url


def ok(req):
    return Answer(200, req.path.encode())


def pool(*urls, **kw) -> ServerPool:
    kw.setdefault("backoff", 0.01)
    kw.setdefault("timeout", 2.0)
    return ServerPool(list(urls), engine="test", **kw)


def fetch(p: ServerPool, path: str) -> bytes:
    return p.call(lambda server: p.request(server, "GET", path).content)


def test_work_is_spread_over_servers_within_each_ones_limit():
    with LocalServer(ok, latency=0.05) as a, LocalServer(ok, latency=0.05) as b:
        p = pool(a.url, b.url, concurrency=2)
        assert p.concurrency == 4
        with ThreadPoolExecutor(8) as ex:
            got = list(ex.map(lambda i: fetch(p, f"/{i}"), range(24)))
        assert got == [f"/{i}".encode() for i in range(24)]
        assert len(a.requests) >= 6 and len(b.requests) >= 6
        assert a.max_in_flight <= 2 and b.max_in_flight <= 2


def test_a_failing_servers_work_moves_to_another():
    with LocalServer(lambda r: Answer(503)) as bad, LocalServer(ok) as good:
        p = pool(bad.url, good.url, concurrency=1, tries=3)
        for i in range(6):
            assert fetch(p, f"/{i}") == f"/{i}".encode()
        assert len(good.requests) == 6
        assert len(bad.requests) <= 2  # tried, then avoided while it keeps failing


def test_nothing_listening_fails_fast_naming_every_url():
    urls = [closed_port_url(), closed_port_url()]
    p = pool(*urls, tries=5, backoff=1.0, down_hint="start the server")
    started = time.monotonic()
    with pytest.raises(EngineUnavailable) as info:
        fetch(p, "/")
    assert time.monotonic() - started < 3
    assert all(u in str(info.value) for u in urls) and "start the server" in str(info.value)


def test_429_is_retried_then_reported():
    answers = iter([429, 429, 200])
    with LocalServer(lambda r: Answer(next(answers))) as srv:
        assert fetch(pool(srv.url, tries=3), "/") == b""
    with LocalServer(lambda r: Answer(429)) as srv:
        with pytest.raises(RateLimited, match=r"429.*after 2 tries"):
            fetch(pool(srv.url, tries=2), "/")
        assert len(srv.requests) == 2


def test_a_client_error_is_not_retried():
    with LocalServer(lambda r: Answer(422, b"no such speaker")) as srv:
        p = pool(srv.url)
        with pytest.raises(HTTPStatusError) as info:
            fetch(p, "/")
        assert info.value.response.status_code == 422 and len(srv.requests) == 1


def test_timeout_is_retried_then_reported():
    release = threading.Event()

    def slow(req):
        release.wait(1.0)
        return Answer()

    with LocalServer(slow) as srv:
        with pytest.raises(EngineError, match=r"no answer from .* within 0.2 s after 2 tries"):
            fetch(pool(srv.url, timeout=0.2, tries=2), "/")
        release.set()


@pytest.mark.parametrize(("kw", "words"), [({"concurrency": 0}, "concurrency"), ({"tries": 99}, "tries")])
def test_bad_settings_are_config_errors(kw, words):
    with pytest.raises(ConfigError, match=words):
        pool("http://127.0.0.1:1", **kw)
