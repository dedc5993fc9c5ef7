#!/usr/bin/env python3
"""Feed generation for 5,000 episodes, and an unchanged rebuild of the sample show against its cold build.

python scripts/bench_feed.py [--episodes 5000] [--skip-show]
"""

from __future__ import annotations

import argparse
import datetime as dt
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def feed_for(n: int) -> float:
    from yomicast.show.config import Show
    from yomicast.show.feed import FeedEpisode, FeedInfo, Transcript, render_feed

    base = "https://example.org/show/"
    start = dt.datetime(2020, 1, 1, tzinfo=dt.UTC)
    episodes = [
        FeedEpisode(
            guid=f"guid-{i}",
            title=f"第{i}回 北朝鮮とロシアの軍事協力 & 国連 <報告書>",
            description="2025年7月17日、米国務省は報告書を公開しました。" * 4,
            content_html="<p>"
            + "報告書の主な内容" * 10
            + "</p><ol><li>0:00 概要</li><li>1:00 背景</li></ol>",
            url=f"{base}ep{i}.mp3",
            length=2_800_000 + i,
            duration=360 + i % 60,
            published=start + dt.timedelta(hours=6 * i),
            number=i + 1,
            transcripts=(
                Transcript(f"{base}ep{i}.vtt", "text/vtt"),
                Transcript(f"{base}ep{i}.srt", "application/srt"),
            ),
            chapters_url=f"{base}ep{i}.chapters.json",
        )
        for i in range(n)
    ]
    info = FeedInfo(
        feed_url=base + "feed.xml", cover_url=base + "cover.jpg", link=base, updated=start, episodes=episodes
    )
    started = time.perf_counter()
    xml = render_feed(Show(), info)
    took = time.perf_counter() - started
    print(f"feed for {n} episodes: {took:.2f} s, {len(xml) / 1e6:.1f} MB (target <= 2 s)")
    return took


def timed(cmd: list[str]) -> float:
    started = time.perf_counter()
    subprocess.run(cmd, check=True, capture_output=True)
    return time.perf_counter() - started


def show_rebuild() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        t = Path(tmp)
        cmd = [
            sys.executable,
            "-m",
            "yomicast",
            "build",
            str(ROOT / "episodes"),
            "--out",
            str(t / "public"),
            "--cache-dir",
            str(t / "cache"),
        ]
        cold = timed(cmd)
        warm = timed(cmd)
    print(
        f"sample show: cold build {cold:.2f} s, unchanged rebuild {warm:.2f} s = {warm / cold:.1%} (target <= 5%)"
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--episodes", type=int, default=5000)
    ap.add_argument("--skip-show", action="store_true")
    args = ap.parse_args()
    feed_for(args.episodes)
    if not args.skip_show:
        show_rebuild()


if __name__ == "__main__":
    main()
