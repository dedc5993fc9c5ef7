#!/usr/bin/env python3
"""gTTS engine speed against a local server with 150 ms latency per request (no internet needed).

    python scripts/bench_gtts.py [--latency 0.15]

Compares, on the sample's speech text: yomicast's gtts engine building the whole episode cold (empty
cache; 4 requests in flight, pieces cut at natural breaks, decoding and mastering included) against the
same text through one sequential ``gTTS(...).save()``, which is what a plain script does. Then a warm
rebuild, which must make no request at all.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.gtts_server import FakeTranslate  # noqa: E402 - the same server the tests use
from yomicast.article import read_article  # noqa: E402
from yomicast.show.config import Show  # noqa: E402
from yomicast.show.episode import make_episode, script_for  # noqa: E402
from yomicast.speech.cache import SegmentCache  # noqa: E402
from yomicast.speech.engines.gtts import GTTSEngine  # noqa: E402

SAMPLE = ROOT / "episodes" / "msmt-report.txt"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--latency", type=float, default=0.15)
    args = ap.parse_args()
    with FakeTranslate(latency=args.latency) as server, tempfile.TemporaryDirectory() as tmp:
        t = Path(tmp)
        engine = GTTSEngine(endpoint=server.url)
        text = "\n".join(ln.speech for ln in script_for(read_article(SAMPLE), Show(), engine).lines)

        import gtts.tts
        from gtts import gTTS

        real = gtts.tts._translate_url
        gtts.tts._translate_url = lambda tld="com", path="": f"{server.url}/{path}"
        try:
            started = time.perf_counter()
            before = server.requests
            gTTS(text, lang="ja").save(str(t / "plain.mp3"))
            plain = time.perf_counter() - started
            plain_requests = server.requests - before
        finally:
            gtts.tts._translate_url = real

        before = server.requests
        started = time.perf_counter()
        cold = make_episode(SAMPLE, t / "cold.mp3", engine=engine, cache=SegmentCache(t / "cache"))
        ours = time.perf_counter() - started
        ours_requests = server.requests - before

        before = server.requests
        started = time.perf_counter()
        make_episode(
            SAMPLE, t / "warm.mp3", engine=GTTSEngine(endpoint=server.url), cache=SegmentCache(t / "cache")
        )
        warm = time.perf_counter() - started
        warm_requests = server.requests - before

    print(f"latency per request: {args.latency * 1000:.0f} ms; text: {len(text)} characters")
    print(f"plain gTTS(...).save(), sequential: {plain:6.2f} s  {plain_requests} requests")
    print(
        f"yomicast gtts engine, cold:          {ours:6.2f} s  {ours_requests} requests, "
        f"max {server.max_in_flight} in flight, {cold.timeline.duration:.0f} s of audio, MP3 mastered"
    )
    print(f"speed-up: {plain / ours:.2f}x (target >= 3x)")
    print(f"yomicast gtts engine, warm rebuild:  {warm:6.2f} s  {warm_requests} requests (target 0)")


if __name__ == "__main__":
    main()
