#!/usr/bin/env python3
"""Episode speed and memory, measured side by side in one run.

    python scripts/bench_episode.py              # the sample: Open JTalk alone vs yomicast cold and warm
    python scripts/bench_episode.py --long       # also a long article whose sentences are all distinct
    python scripts/bench_episode.py --long-only  # the long article alone

* **Open JTalk alone**: the sentences yomicast's script speaks, each spoken once by ``pyopenjtalk.tts`` in
  a pool of one process per core, longest first. The engines are loaded (and have spoken once) before
  the clock starts, so this is pure synthesis: the floor for any tool that uses this voice.
* **yomicast cold**: a fresh child process (imports included), empty cache, the whole episode written.
* **yomicast warm**: the same with the cache full and the MP3 missing.

Every yomicast run reports its own wall time, peak RSS and the wall time of each stage.
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

from benchlib import run_child

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "episodes" / "msmt-report.txt"

CHILD = """
import json, resource, sys, time
t0 = time.perf_counter()
from yomicast.speech.cache import SegmentCache
from yomicast.show.episode import make_episode
result = make_episode(sys.argv[1], sys.argv[2], cache=SegmentCache(sys.argv[3]))
print(json.dumps({"wall": time.perf_counter() - t0, "audio": result.timeline.duration,
                  "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "stages": result.seconds, "spoken": result.synthesized}))
"""


def run_yomicast(article: Path, out: Path, cache: Path) -> dict:
    return run_child(CHILD, str(article), str(out), str(cache))


def _load_voice() -> None:
    import warnings

    warnings.simplefilter("ignore")
    import pyopenjtalk

    pyopenjtalk.tts("準備です。")


def _speak(text: str) -> float:
    import pyopenjtalk

    wav, rate = pyopenjtalk.tts(text)
    return len(wav) / rate


def open_jtalk_alone(lines: list[str]) -> dict:
    """Each distinct sentence spoken once, one process per core, voices loaded before the clock starts."""
    todo = sorted(set(lines), key=len, reverse=True)
    cores = os.cpu_count() or 1
    with mp.get_context("fork").Pool(cores, initializer=_load_voice) as pool:
        pool.map(abs, range(cores * 4))  # every worker is up and has loaded its voice
        started = time.perf_counter()
        audio = sum(pool.map(_speak, todo, chunksize=1))
        wall = time.perf_counter() - started
    return {"wall": wall, "audio": audio, "rss_mb": float("nan"), "stages": {}}


def script_lines(article: Path) -> list[str]:
    from yomicast.article import read_article
    from yomicast.show.config import Show
    from yomicast.show.episode import script_for
    from yomicast.speech.engines import create_engine

    with create_engine("openjtalk") as engine:
        return [ln.speech for ln in script_for(read_article(article), Show(), engine).lines]


SUBJECTS = [
    "政府",
    "日銀",
    "気象庁",
    "東京都",
    "経済産業省",
    "国連",
    "文部科学省",
    "厚生労働省",
    "警察庁",
    "総務省",
    "大阪府",
    "北海道",
    "沖縄県",
    "自治体",
    "研究チーム",
    "業界団体",
    "専門家",
    "調査会社",
]
TOPICS = [
    "物価の見通し",
    "防災の計画",
    "新しい制度",
    "予算の配分",
    "人口の推移",
    "交通の混雑",
    "電力の需給",
    "観光客の動向",
    "住宅の価格",
    "雇用の状況",
    "農作物の収穫",
    "医療の体制",
    "教育の改革",
    "港湾の整備",
    "水道の老朽化",
]
VERBS = ["発表しました", "公表しました", "明らかにしました", "まとめました", "示しました", "報告しました"]
DETAILS = [
    "前年より{n}パーセント増えた",
    "{n}年ぶりの水準となった",
    "{n}の地域で改善が見られた",
    "対象は{n}件にのぼる",
    "今後{n}か月かけて検証する",
    "{n}人を対象に調べた",
]


def long_article(folder: Path, target_chars: int, seed: int = 7) -> Path:
    """A news digest of about ``target_chars`` whose every sentence is different, so the cache shares none."""
    rng = random.Random(seed)
    seen: set[str] = set()
    out = ["長い記事の読み上げ試験"]
    section = 0
    while sum(len(x) for x in out) < target_chars:
        section += 1
        out.append(f"第{section}章 {rng.choice(TOPICS)}について")
        for _ in range(6):
            while True:
                s = (
                    f"{rng.choice(SUBJECTS)}は{rng.randint(1, 12)}月{rng.randint(1, 28)}日、{rng.choice(TOPICS)}について"
                    f"{rng.choice(DETAILS).format(n=rng.randint(2, 980))}と{rng.choice(VERBS)}。"
                )
                if s not in seen:
                    seen.add(s)
                    break
            out.append(s)
    path = folder / f"long-{target_chars}.txt"
    path.write_text("\n".join(out) + "\n", encoding="utf-8")
    return path


def row(name: str, r: dict) -> str:
    rtf = r["audio"] / r["wall"] if r["wall"] else float("inf")
    stages = " ".join(f"{k} {v:.2f}" for k, v in r.get("stages", {}).items())
    return f"{name:<30} {r['audio']:>8.1f} {r['wall']:>8.2f} {rtf:>7.1f}x {r['rss_mb']:>8.0f}   {stages}"


def header() -> None:
    print(f"{'run':<30} {'audio s':>8} {'wall s':>8} {'realtime':>8} {'peak MB':>8}   stages (s)")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--long", action="store_true", help="also the long article of distinct sentences")
    ap.add_argument("--long-only", action="store_true", help="the long article only")
    ap.add_argument("--long-chars", type=int, default=40_000)
    ap.add_argument("--repeat", type=int, default=1, help="sample runs (the best of each is reported)")
    args = ap.parse_args()
    print(f"cores: {os.cpu_count()}  python: {sys.version.split()[0]}")
    with tempfile.TemporaryDirectory() as tmp:
        t = Path(tmp)
        if not args.long_only:
            header()
            lines = script_lines(SAMPLE)
            best: dict[str, dict] = {}
            ratios: list[float] = []
            for n in range(args.repeat):
                runs = {
                    "Open JTalk alone": open_jtalk_alone(lines),
                    "yomicast cold": run_yomicast(SAMPLE, t / "cold.mp3", t / f"cache{n}"),
                    "yomicast warm": run_yomicast(SAMPLE, t / "warm.mp3", t / f"cache{n}"),
                }
                for name, r in runs.items():
                    print(row(f"sample, {name}", r))
                    if name not in best or r["wall"] < best[name]["wall"]:
                        best[name] = r
                ratios.append(runs["yomicast cold"]["wall"] / runs["Open JTalk alone"]["wall"])
            cold, warm = best["yomicast cold"], best["yomicast warm"]
            print(
                f"\ncold / Open JTalk alone, run by run: {' '.join(f'{r:.2f}x' for r in ratios)}; "
                f"median {statistics.median(ratios):.2f}x   (target <= 1.25x)"
            )
            print(f"warm / cold (fastest of each):      {warm['wall'] / cold['wall']:.1%}   (target < 25%)")
        if args.long or args.long_only:
            print()
            header()
            article = long_article(t, args.long_chars)
            r = run_yomicast(article, t / "long.mp3", t / "cache-long")
            print(row(f"long ({args.long_chars} chars), cold", r))
            print(
                f"\nlong: {r['spoken']} distinct segments spoken, {r['audio'] / r['wall']:.1f}x realtime, "
                f"peak RSS {r['rss_mb']:.0f} MB (target <= 500 MB)"
            )


if __name__ == "__main__":
    started = time.perf_counter()
    main()
    print(f"\n(benchmark took {time.perf_counter() - started:.0f} s)")
