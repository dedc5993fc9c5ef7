"""The gTTS engine with the real gTTS library against a local server that speaks its protocol."""

from __future__ import annotations

import itertools
import re
import time

import pytest

from yomicast.audio.tags import read_chapters
from yomicast.errors import EngineError, EngineUnavailable, RateLimited
from yomicast.reading import split_for_engine
from yomicast.show.episode import make_episode
from yomicast.speech.cache import SegmentCache
from yomicast.speech.engines.gtts import GTTSEngine

from .conftest import DATA, run_yomicast
from .gtts_server import FakeTranslate
from .media import decode

ARTICLE = DATA / "small-digest.txt"


@pytest.fixture
def server():
    with FakeTranslate() as fake:
        yield fake


def engine(server, **kw) -> GTTSEngine:
    kw.setdefault("backoff", 0.01)
    return GTTSEngine(endpoint=server.url, **kw)


def test_whole_episode_through_gtts(server, tmp_path):
    out = tmp_path / "g.mp3"
    result = make_episode(ARTICLE, out, engine=engine(server), cache=SegmentCache(tmp_path / "c"))
    samples, errors = decode(out)
    assert errors == "" and len(samples) / 44100 == pytest.approx(result.timeline.duration, abs=0.2)
    assert [t for t, _s, _e in read_chapters(out)] == [
        "オープニング",
        "概要",
        "開花予想のポイント",
        "今後の見通し",
        "クレジット",
    ]
    assert server.texts and all(len(t) <= 100 for t in server.texts)
    # gTTS reads English itself: the publisher is sent as written, not as katakana.
    assert any("Japan Meteorological Agency" in t for t in server.texts)


def test_rebuild_makes_no_request_and_one_edit_makes_one(server, tmp_path):
    cache = SegmentCache(tmp_path / "c")
    article = tmp_path / "a.txt"
    article.write_text(ARTICLE.read_text(encoding="utf-8"), encoding="utf-8")
    make_episode(article, tmp_path / "1.mp3", engine=engine(server), cache=cache)
    before = server.requests
    again = make_episode(article, tmp_path / "2.mp3", engine=engine(server), cache=cache)
    assert server.requests == before and again.synthesized == 0
    article.write_text(
        article.read_text(encoding="utf-8").replace("平年より早い", "平年よりかなり早い"), encoding="utf-8"
    )
    edited = make_episode(article, tmp_path / "3.mp3", engine=engine(server), cache=cache)
    assert server.requests == before + 1 and edited.synthesized == 1


def test_429_then_success(server, tmp_path):
    server.script = [429, 429, 503]
    eng = engine(server, concurrency=1)
    audio = eng.synthesize("桜の開花予想です。")
    assert audio.encoded and server.requests == 4


def test_permanent_5xx_is_a_clean_error_and_no_file(server, tmp_path):
    server.status = 503
    out = tmp_path / "x.mp3"
    with pytest.raises(EngineError, match=r"503.*after 3 tries.*openjtalk"):
        make_episode(ARTICLE, out, engine=engine(server, tries=3), cache=SegmentCache(tmp_path / "c"))
    assert not out.exists() and not list(tmp_path.glob("*.part"))


def test_rate_limited_to_the_end(server, tmp_path):
    server.status = 429
    with pytest.raises(RateLimited, match="429"):
        engine(server, tries=2).synthesize("テスト")


def test_timeout(server):
    server.hang = 1.5
    started = time.monotonic()
    with pytest.raises(EngineError, match=r"no answer within 0.3 s after 2 tries"):
        engine(server, timeout=0.3, tries=2).synthesize("テスト")
    assert time.monotonic() - started < 5


def test_server_down_fails_fast(tmp_path):
    with FakeTranslate() as fake:
        url = fake.url
    eng = GTTSEngine(endpoint=url, backoff=0.01)
    started = time.monotonic()
    with pytest.raises(EngineUnavailable, match=r"cannot reach.*openjtalk"):
        make_episode(ARTICLE, tmp_path / "x.mp3", engine=eng, cache=SegmentCache(tmp_path / "c"))
    assert time.monotonic() - started < 5
    assert eng.check() is not None


def test_requests_run_concurrently(tmp_path):
    with FakeTranslate(latency=0.2) as fake:
        make_episode(
            ARTICLE,
            tmp_path / "x.mp3",
            engine=engine(fake, concurrency=4),
            cache=SegmentCache(tmp_path / "c"),
        )
        assert fake.max_in_flight > 1


def test_resume_after_failure(server, tmp_path):
    cache = SegmentCache(tmp_path / "c")
    server.fail_after = 4  # the server starts failing after four good answers
    with pytest.raises(EngineError):
        make_episode(ARTICLE, tmp_path / "x.mp3", engine=engine(server, concurrency=1, tries=1), cache=cache)
    good = len(server.texts)
    assert good == 4
    server.fail_after = None
    result = make_episode(ARTICLE, tmp_path / "x.mp3", engine=engine(server), cache=cache)
    assert result.cached == 4
    assert len(server.texts) == good + result.synthesized


@pytest.mark.parametrize(
    "speech",
    [
        "この軍事協力が「違法」とされるのは、国連安全保障理事会が北朝鮮の核・ミサイル開発を抑止するために、北朝鮮とのあらゆる軍事的な取引を禁じる決議を複数採択しているからです。",
        "あ" * 30 + "2025年7月17日20時12分" + "い" * 90,
        "区切りのない長い文章" * 25,
        "価格は1234567890円でした" * 8,
    ],
)
def test_chunks_fit_and_never_cut_numbers(speech):
    pieces = split_for_engine(speech, 100)
    assert "".join(pieces) == speech
    assert all(len(p) <= 100 for p in pieces)
    for a, b in itertools.pairwise(pieces):
        assert not (a[-1].isdigit() and b[0].isdigit())
    if "、" in speech:
        assert all(p[-1] in "、。" for p in pieces[:-1])


def test_cli_network_down_is_one_line(tmp_path):
    with FakeTranslate() as fake:
        url = fake.url
    proc = run_yomicast(
        "episode",
        str(ARTICLE),
        "--engine",
        "gtts",
        "-o",
        str(tmp_path / "x.mp3"),
        "--cache-dir",
        str(tmp_path / "c"),
        env={"YOMICAST_GTTS_ENDPOINT": url},
    )
    assert proc.returncode != 0
    lines = [ln for ln in proc.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1 and re.search(r"cannot reach .*openjtalk", lines[0]), proc.stderr
    assert not (tmp_path / "x.mp3").exists()


@pytest.mark.net
def test_real_google_endpoint(tmp_path):
    """Against Google itself (run with --run-net): one sentence comes back as decodable MP3."""
    from yomicast.audio.decode import to_episode_pcm

    audio = GTTSEngine(tries=2).synthesize("これはテストです。")
    assert len(to_episode_pcm(audio)) > 44100 // 2
