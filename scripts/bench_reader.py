#!/usr/bin/env python3
"""Reading big and hostile articles: time and peak memory, each in a fresh child process.

    python scripts/bench_reader.py            # a 2 MB digest: read, script, and a whole build (fake voice)
    python scripts/bench_reader.py --mb 4     # another size

* **read**: the file → articles (every line accounted for).
* **script**: the articles → speech text for every sentence (all of the reading rewrites).
* **build**: ``yomicast build`` of a folder holding only that article, with the fake engine at 5 ms of tone
  a character, so the whole pipeline (segments, cache, mastering, MP3, tags, feed) runs on a long episode.
* **hostile lines**: speech text for 10,000-character lines built to make regular expressions backtrack.
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
from pathlib import Path

from benchlib import TOPICS, run_child

CHILD = """
import json, resource, sys, time
t0 = time.perf_counter()
from pathlib import Path
from yomicast.article import read_articles
stage = sys.argv[1]
path = Path(sys.argv[2])
articles = read_articles(path, max_mb=100)
out = {"read": time.perf_counter() - t0, "sections": sum(len(a.sections) for a in articles)}
if stage in ("script", "build"):
    from yomicast.speech.engines.fake import FakeEngine
    from yomicast.show.episode import script_for
    from yomicast.show.config import Show
    t = time.perf_counter()
    lines = sum(len(script_for(a, Show(), FakeEngine()).lines) for a in articles)
    out.update(script=time.perf_counter() - t, lines=lines)
if stage == "build":
    from yomicast.show.build import build_show
    from yomicast.speech.cache import SegmentCache
    from yomicast.speech.engines.fake import FakeEngine
    t = time.perf_counter()
    report = build_show(path.parent, Path(sys.argv[3]) / "public", base_url="https://example.org/",
                        cache=SegmentCache(Path(sys.argv[3]) / "cache"), engine=FakeEngine(seconds_per_char=0.005))
    assert report.built and not report.failed, report.failed
    manifest = json.loads((Path(sys.argv[3]) / "public" / "yomicast-manifest.json").read_text())
    out.update(build=time.perf_counter() - t, audio=sum(e["duration"] for e in manifest["episodes"].values()))
out["rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps(out))
"""


def big_digest(path: Path, megabytes: float, seed: int = 3) -> None:
    rng = random.Random(seed)
    out = ["長い記事の読み上げ試験"]
    size = 0
    section = 0
    while size < megabytes * 1_000_000:
        section += 1
        out.append(f"第{section}章 {rng.choice(TOPICS)}の動向")
        for _ in range(8):
            s = (
                f"{rng.choice(TOPICS)}の調査では、{rng.randint(2, 98)}の地域のうち{rng.randint(1, 980)}件で"
                f"改善が見られ、前年比{rng.randint(1, 30)}.{rng.randint(0, 9)}%の変化となりました。"
            )
            out.append(s)
            size += len(s.encode()) + 1
    path.write_text("\n".join(out) + "\n", encoding="utf-8")


def run(stage: str, article: Path, work: Path) -> dict:
    return run_child(CHILD, stage, str(article), str(work))


def hostile() -> None:
    from yomicast.reading import speech_text

    lines = {
        "kanji, no full stop": "長" * 10_000,
        "digits": "1" * 10_000,
        "Latin letters": "a" * 10_000,
        "letters and digits": "A1" * 5_000,
        "a URL": "https://" + "x" * 10_000,
        "ranges": "1〜2" * 3_000 + "人",
        "e-mail-like": "a.b@" * 2_500,
    }
    print(f"\n{'hostile 10,000-character line':<32} {'speech text s':>14}")
    for name, text in lines.items():
        started = time.perf_counter()
        speech_text(text)
        print(f"{name:<32} {time.perf_counter() - started:>14.3f}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--mb", type=float, default=2.0)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        folder = work / "show"
        folder.mkdir()
        article = folder / "big.txt"
        big_digest(article, args.mb)
        print(f"article: {article.stat().st_size / 1e6:.2f} MB")
        r = run("script", article, work)
        print(
            f"read {r['read']:.2f} s ({r['sections']} sections); script {r['script']:.2f} s ({r['lines']} lines); "
            f"peak RSS {r['rss_mb']:.0f} MB"
        )
        b = run("build", article, work)
        print(
            f"build (fake voice, 5 ms a character): {b['audio']:.0f} s of audio in {b['build']:.1f} s; "
            f"peak RSS {b['rss_mb']:.0f} MB"
        )
    hostile()


if __name__ == "__main__":
    main()
