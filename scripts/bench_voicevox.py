#!/usr/bin/env python3
"""VOICEVOX-family speed across servers: local servers that speak VOICEVOX's API with 150 ms latency a
request (no real engine needed).

    python scripts/bench_voicevox.py [--latency 0.15] [--concurrency 2]

The sample episode is built cold (empty cache) once against one server and once against two, each server
taking ``--concurrency`` requests at a time; then a warm rebuild, which must send no synthesis request.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.voicevox_server import FakeVoicevox  # noqa: E402 - the same server the tests use
from yomicast.show.episode import make_episode  # noqa: E402
from yomicast.speech.cache import SegmentCache  # noqa: E402
from yomicast.speech.engines.voicevox import VoicevoxEngine  # noqa: E402

SAMPLE = ROOT / "episodes" / "msmt-report.txt"


def build(urls: list[str], cache: Path, out: Path, concurrency: int) -> tuple[float, float, int]:
    """(whole episode s, speaking stage s, segments spoken)."""
    started = time.perf_counter()
    with VoicevoxEngine(url=urls, concurrency=concurrency) as engine:
        result = make_episode(SAMPLE, out, engine=engine, cache=SegmentCache(cache))
    return time.perf_counter() - started, result.seconds["speak"], result.synthesized


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--latency", type=float, default=0.15)
    ap.add_argument("--concurrency", type=int, default=2)
    args = ap.parse_args()
    with (
        FakeVoicevox(latency=args.latency) as a,
        FakeVoicevox(latency=args.latency) as b,
        tempfile.TemporaryDirectory() as tmp,
    ):
        t = Path(tmp)
        one, speak1, n1 = build([a.url], t / "c1", t / "1.mp3", args.concurrency)
        two, speak2, n2 = build([a.url, b.url], t / "c2", t / "2.mp3", args.concurrency)
        before = len(a.syntheses) + len(b.syntheses)
        warm, _, n3 = build([a.url, b.url], t / "c2", t / "3.mp3", args.concurrency)
        after = len(a.syntheses) + len(b.syntheses)
    print(f"one server:  {n1} segments spoken in {speak1:.2f} s; whole episode {one:.2f} s")
    print(f"two servers: {n2} segments spoken in {speak2:.2f} s; whole episode {two:.2f} s")
    print(
        f"speaking throughput two / one: {speak1 / speak2:.2f}x (aim >= 1.8x); whole episode {one / two:.2f}x"
    )
    print(
        f"warm rebuild: {warm:.2f} s, {after - before} synthesis requests, {n3} segments spoken (must be 0)"
    )


if __name__ == "__main__":
    main()
