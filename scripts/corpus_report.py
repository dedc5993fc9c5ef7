#!/usr/bin/env python3
"""What players read from a varied corpus of episodes: loudness and true peak by ffmpeg's EBU R128 meter,
and whether ffmpeg's demuxer lists the chapters in time order.

    python scripts/corpus_report.py            # Open JTalk and fake voices; about two minutes on 2 cores

The corpus: the sample, an article of thirty sections, one of sixty list items, one of forty short
sections (built as one show with an Opus rendition and the Podcasting 2.0 facts, then read back by
podcast-partytime when installed), tones from the fake engine at two levels, and two fake voices 25 dB
apart cast as anchor and reader. Every episode uses the sample show's settings (jingle included).
"""

from __future__ import annotations

import json
import random
import shutil
import subprocess
import sys
import tempfile
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchlib import TOPICS  # noqa: E402

from tests.media import measure  # noqa: E402 - the tests' own ffmpeg meter
from tests.test_streams import ffmpeg_chapters  # noqa: E402
from yomicast.article import read_article, slugify  # noqa: E402
from yomicast.render.stages import render_episode  # noqa: E402
from yomicast.show.build import build_show  # noqa: E402
from yomicast.show.config import load_show  # noqa: E402
from yomicast.show.episode import make_episode, script_for  # noqa: E402
from yomicast.show.manifest import MANIFEST, Manifest  # noqa: E402
from yomicast.speech.cache import SegmentCache  # noqa: E402
from yomicast.speech.cast import Cast  # noqa: E402
from yomicast.speech.engines.fake import FakeEngine  # noqa: E402


def corpus(folder: Path) -> dict[str, Path]:
    rng = random.Random(5)
    thirty = ["三十の見出しがある記事"]
    for n in range(30):
        thirty.append(f"{rng.choice(TOPICS)}の動き{n + 1}")
        thirty += [
            f"{rng.choice(TOPICS)}について、政府は{rng.randint(2, 98)}の地域で調査を行い、"
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
    print(f"{'episode':<44} {'LUFS':>6} {'dBTP':>6}  chapters (ffprobe)")
    with tempfile.TemporaryDirectory() as tmp:
        t = Path(tmp)
        cache = SegmentCache(t / "cache")
        folder = t / "show"
        folder.mkdir()
        toml = (ROOT / "episodes" / "show.toml").read_text(encoding="utf-8")
        toml = toml.replace("[audio]\n", '[audio]\nalternates = ["opus"]\n')
        toml = toml.replace(
            "[show]\n", '[show]\nlicense = "CC-BY-4.0"\nseason = 1\nupdate_frequency = "daily"\n'
        )
        (folder / "show.toml").write_text(toml, encoding="utf-8")
        articles = corpus(t)
        for path in articles.values():
            shutil.copyfile(path, folder / path.name)
        out = t / "public"
        build_show(folder, out, base_url="https://example.org/corpus/", cache=cache)
        manifest = Manifest.load(out / MANIFEST)
        for name, path in articles.items():
            entry = manifest.episodes[slugify(path.stem)]
            for ext in (".mp3", ".opus"):
                report(f"{name}, Open JTalk ({ext[1:]})", out / entry.file(ext))
        show = load_show(ROOT / "episodes")
        runs = [
            ("thirty sections, fake tones", FakeEngine()),
            ("thirty sections, fake loud tones", FakeEngine(level=0.9)),
        ]
        for name, engine in runs:
            make_episode(articles["thirty sections"], t / "episode.mp3", show, engine=engine, cache=cache)
            report(name, t / "episode.mp3")
        quiet, loud = FakeEngine(level=0.05), FakeEngine(level=0.9)
        cast = Cast(loud, {"intro": quiet, "headings": quiet, "credit": quiet})
        script = script_for(read_article(articles["thirty sections"]), show, cast)
        render_episode(script, cast, cache, t / "cast.mp3", audio=show.audio)
        report("two fake voices 25 dB apart, cast", t / "cast.mp3")
        print()
        print("podcast-partytime on the corpus feed:", partytime(out / "feed.xml"))


def partytime(feed: Path) -> str:
    script = ROOT / "tests" / "clients" / "partytime.js"
    node = shutil.which("node")
    if node is None or not (script.parent / "node_modules" / "podcast-partytime").is_dir():
        return "not installed (npm ci --prefix tests/clients)"
    seen = json.loads(subprocess.run([node, str(script), str(feed)], capture_output=True, check=True).stdout)
    return "; ".join(f"phase {k}: {', '.join(v)}" for k, v in seen["pc20support"].items())


def chapters(path: Path) -> list[float]:
    """Chapter starts in the order ffprobe lists them (ffmpeg's own demuxer when ffprobe is absent)."""
    if shutil.which("ffprobe") is None:
        return [s for s, _t in ffmpeg_chapters(path)]
    probe = subprocess.run(
        ["ffprobe", "-v", "error", "-show_chapters", "-of", "json", str(path)],
        capture_output=True,
        check=True,
    )
    return [float(c["start_time"]) for c in json.loads(probe.stdout)["chapters"]]


def report(name: str, path: Path) -> None:
    m = measure(path)
    starts = chapters(path)
    order = "in time order" if starts == sorted(starts) else "OUT OF ORDER"
    print(f"{name:<44} {m.loudness:>6.1f} {m.true_peak:>6.1f}  {len(starts)} {order}")


if __name__ == "__main__":
    main()
