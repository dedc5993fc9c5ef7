#!/usr/bin/env python3
"""What players read from a varied corpus of episodes: loudness and true peak by ffmpeg's EBU R128 meter,
and whether ffmpeg's demuxer lists the chapters in time order.

    python scripts/corpus_report.py            # Open JTalk and fake voices; about a minute on 2 cores

The corpus: the sample, an article of thirty sections, one of sixty list items, one of forty short
sections, tones from the fake engine at two levels, and two fake voices 25 dB apart cast as anchor and
reader. Every episode uses the sample show's settings (jingle included).
"""

from __future__ import annotations

import random
import sys
import tempfile
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.media import measure  # noqa: E402 - the tests' own ffmpeg meter
from tests.test_streams import ffmpeg_chapters  # noqa: E402
from yomicast.article import read_article  # noqa: E402
from yomicast.cache import SegmentCache  # noqa: E402
from yomicast.cast import Cast  # noqa: E402
from yomicast.engines.fake import FakeEngine  # noqa: E402
from yomicast.episode import make_episode, script_for  # noqa: E402
from yomicast.render import render_episode  # noqa: E402
from yomicast.show import load_show  # noqa: E402


def corpus(folder: Path) -> dict[str, Path]:
    rng = random.Random(5)
    topics = [
        "物価",
        "防災",
        "制度",
        "予算",
        "人口",
        "交通",
        "電力",
        "観光",
        "住宅",
        "雇用",
        "農業",
        "医療",
        "教育",
    ]
    thirty = ["三十の見出しがある記事"]
    for n in range(30):
        thirty.append(f"{rng.choice(topics)}の動き{n + 1}")
        thirty += [
            f"{rng.choice(topics)}について、政府は{rng.randint(2, 98)}の地域で調査を行い、"
            f"前年より{rng.randint(1, 30)}パーセント増えたと発表しました。"
            for _ in range(2)
        ]
        thirty.append(f"- 注目点{n + 1}: 今後の対応が焦点です。")
    texts = {
        "thirty sections": "\n".join(thirty),
        "sixty list items": "一覧の記事\n" + "\n".join(f"- 項目{n}: 内容{n}です。" for n in range(60)),
        "forty short sections": "短い節が多い記事\n"
        + "\n".join(f"見出し{n}\n本文{n}です。" for n in range(40)),
    }
    paths = {"the sample": ROOT / "episodes" / "msmt-report.txt"}
    for name, text in texts.items():
        paths[name] = folder / (name.replace(" ", "-") + ".txt")
        paths[name].write_text(text + "\n", encoding="utf-8")
    return paths


def main() -> None:
    warnings.simplefilter("ignore")
    show = load_show(ROOT / "episodes")
    print(f"{'episode':<40} {'LUFS':>6} {'dBTP':>6}  chapters in time order (ffmpeg)")
    with tempfile.TemporaryDirectory() as tmp:
        t = Path(tmp)
        cache = SegmentCache(t / "cache")
        articles = corpus(t)
        runs = [(f"{name}, Open JTalk", path, None) for name, path in articles.items()]
        runs += [
            ("thirty sections, fake tones", articles["thirty sections"], FakeEngine()),
            ("thirty sections, fake loud tones", articles["thirty sections"], FakeEngine(level=0.9)),
        ]
        for name, path, engine in runs:
            out = t / "episode.mp3"
            make_episode(path, out, show, engine=engine, cache=cache)
            report(name, out)
        quiet, loud = FakeEngine(level=0.05), FakeEngine(level=0.9)
        cast = Cast(loud, {"intro": quiet, "headings": quiet, "credit": quiet})
        script = script_for(read_article(articles["thirty sections"]), show, cast)
        render_episode(script, cast, cache, t / "cast.mp3", audio=show.audio)
        report("two fake voices 25 dB apart, cast", t / "cast.mp3")


def report(name: str, path: Path) -> None:
    m = measure(path)
    starts = [s for s, _t in ffmpeg_chapters(path)]
    print(
        f"{name:<40} {m.loudness:>6.1f} {m.true_peak:>6.1f}  {'yes' if starts == sorted(starts) else 'NO'} "
        f"({len(starts)} chapters)"
    )


if __name__ == "__main__":
    main()
