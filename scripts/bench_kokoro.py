#!/usr/bin/env python3
"""Kokoro's speed on this machine: onnxruntime's own threads against sentences spoken side by side.

    python scripts/bench_kokoro.py [--sentences 16]

Speaks the first sentences of the sample (its speech text) with the ``kokoro`` engine, once one sentence at
a time (onnxruntime spreads each over every core) and once two sentences at a time, and prints the realtime
factor of each. Needs ``pip install 'yomicast[kokoro]'``.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "episodes" / "msmt-report.txt"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sentences", type=int, default=16)
    args = ap.parse_args()
    from yomicast.article import read_article
    from yomicast.show.config import Show
    from yomicast.show.episode import script_for
    from yomicast.speech.cache import SegmentCache
    from yomicast.speech.engines.kokoro import KokoroEngine
    from yomicast.speech.segments import plan_segments, speak_segments

    for concurrency in (1, 2):
        with KokoroEngine(concurrency=concurrency) as engine, tempfile.TemporaryDirectory() as tmp:
            script = script_for(read_article(SAMPLE), Show(), engine)
            engine.synthesize("準備です。")  # the model is loaded before the clock starts
            segments = [
                s for line in plan_segments(script, lambda _part: engine)[: args.sentences] for s in line
            ]
            cache = SegmentCache(Path(tmp))
            started = time.perf_counter()
            lengths, _fresh = speak_segments(segments, cache)
            wall = time.perf_counter() - started
            audio = sum(lengths.values()) / 44100
            print(
                f"{concurrency} at a time: {audio:.1f} s of audio in {wall:.1f} s = {audio / wall:.2f}x realtime"
            )


if __name__ == "__main__":
    sys.exit(main())
