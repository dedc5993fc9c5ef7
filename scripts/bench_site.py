#!/usr/bin/env python3
"""The website's cost on a large show: every page of N episodes rendered, as each build does (a page is
then written only if its bytes changed), and the size of what is written.

    python scripts/bench_site.py [--episodes 500]

Each synthetic episode has 10 chapters and 120 transcript cues, about a 15-minute episode.
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from yomicast.show.config import Show  # noqa: E402
from yomicast.show.manifest import Entry  # noqa: E402
from yomicast.show.website import Site  # noqa: E402


def entries(out: Path, n: int) -> list[Entry]:
    made = []
    for i in range(n):
        stem = f"ep{i}-0123abcd"
        chapters = [
            {"startTime": c * 90.0, "endTime": c * 90.0 + 90, "title": f"第{c}章 見出し"} for c in range(10)
        ]
        segments = [
            {
                "startTime": k * 7.5,
                "endTime": k * 7.5 + 7,
                "body": "国連安保理決議との関係について説明します。" * 2,
                "chapter": k // 12,
            }
            for k in range(120)
        ]
        (out / f"{stem}.chapters.json").write_text(json.dumps({"chapters": chapters}), encoding="utf-8")
        (out / f"{stem}.transcript.json").write_text(json.dumps({"segments": segments}), encoding="utf-8")
        files = {
            f"{stem}{ext}": 1000 for ext in (".mp3", ".chapters.json", ".vtt", ".srt", ".transcript.json")
        }
        made.append(
            Entry(
                guid=f"g{i}", number=i + 1, first_built="2025-01-01T00:00:00+00:00",
                published=f"2025-01-{i % 28 + 1:02d}T00:00:00+00:00", updated="2025-01-01T00:00:00+00:00",
                fingerprint="x", slug=f"ep{i}", title=f"第{i}回 ニュース", description="概要。",
                content_html="", duration=900, link="https://example.org/src", files=files, stem=stem,
                summary="米国務省は報告書を公開しました。" * 3, credit="この記事は…をもとに作成しました。",
            )
        )  # fmt: skip
    return made


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--episodes", type=int, default=500)
    n = parser.parse_args().episodes
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        eps = entries(out, n)
        site = Site(
            Show(title="ベンチ"), "https://example.org/", "https://example.org/feed.xml", "cover.jpg", out
        )
        start = time.perf_counter()
        pages = [site.episode_page(e) for e in eps]
        index = site.index_page(eps)
        wall = time.perf_counter() - start
    size = sum(len(p) for p in pages)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"{n} episode pages + index: {wall:.2f} s ({wall / n * 1000:.1f} ms a page), peak RSS {peak:.0f} MB"
    )
    print(f"episode page {size / n / 1024:.1f} KB on average; index {len(index) / 1024:.0f} KB")


if __name__ == "__main__":
    main()
