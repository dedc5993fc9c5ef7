#!/usr/bin/env python3
"""Episode speed and memory: yomicast cold and warm against the plain approach, and a long article.

    python scripts/bench_episode.py            # sample: plain vs cold vs warm, then the long article
    python scripts/bench_episode.py --quick    # sample only

Every run is a fresh child process (imports included) that reports its own wall time and peak RSS.
The plain approach is what a first script would do: one process, sentence by sentence through
``pyopenjtalk.tts``, numpy concatenation, pydub export (ffmpeg from imageio-ffmpeg); it speaks exactly the
lines yomicast's script speaks, so both do the same synthesis work.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "episodes" / "msmt-report.txt"

CHILD_PRELUDE = """
import json, resource, sys, time
t0 = time.perf_counter()
"""
CHILD_REPORT = """
print(json.dumps({"wall": time.perf_counter() - t0, "audio": audio,
                  "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""

PLAIN = """
import numpy as np, pyopenjtalk, imageio_ffmpeg, warnings
with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from pydub import AudioSegment
AudioSegment.converter = imageio_ffmpeg.get_ffmpeg_exe()
lines = json.load(open(sys.argv[1], encoding="utf-8"))
parts = []
for text in lines:
    wav, sr = pyopenjtalk.tts(text)
    parts.append(wav)
    parts.append(np.zeros(int(0.4 * sr)))
wav = np.concatenate(parts)
pcm = np.clip(wav, -32768, 32767).astype(np.int16)
AudioSegment(pcm.tobytes(), frame_rate=sr, sample_width=2, channels=1).export(sys.argv[2], format="mp3", bitrate="64k")
audio = len(wav) / sr
"""

YOMICAST = """
from yomicast.cache import SegmentCache
from yomicast.episode import make_episode
result = make_episode(sys.argv[1], sys.argv[2], cache=SegmentCache(sys.argv[3]))
audio = result.timeline.duration
"""


def run_child(body: str, *args: str) -> dict:
    code = CHILD_PRELUDE + textwrap.dedent(body) + CHILD_REPORT
    proc = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        sys.exit(f"benchmark child failed:\n{proc.stderr}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def script_lines(article: Path) -> list[str]:
    from yomicast.article import read_article
    from yomicast.engines import create_engine
    from yomicast.episode import script_for
    from yomicast.show import Show

    engine = create_engine("openjtalk")
    return [ln.speech for ln in script_for(read_article(article), Show(), engine).lines]


def long_article(folder: Path, target_chars: int) -> Path:
    """The sample's body repeated to about ``target_chars``; each copy's sentences are made unique so the
    segment cache cannot share them."""
    text = SAMPLE.read_text(encoding="utf-8")
    lines = text.splitlines()
    footer_at = next(i for i, line in enumerate(lines) if line.startswith("MSMT Report"))
    title, body, footer = lines[0], lines[1:footer_at], lines[footer_at:]
    out, n = [title], 0
    while sum(len(x) for x in out) < target_chars:
        n += 1
        out.append(f"第{n}部のまとめ")
        out += [line.replace("。", f"（第{n}部）。") for line in body]
    path = folder / f"long-{target_chars}.txt"
    path.write_text("\n".join(out + footer) + "\n", encoding="utf-8")
    return path


def row(name: str, r: dict) -> str:
    rtf = r["audio"] / r["wall"] if r["wall"] else float("inf")
    return f"{name:<34} {r['audio']:>9.1f} {r['wall']:>9.2f} {rtf:>8.1f}x {r['rss_mb']:>9.0f}"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="the sample only, no long article")
    ap.add_argument("--long-only", action="store_true", help="the long article only")
    ap.add_argument("--long-chars", type=int, default=40_000)
    args = ap.parse_args()
    print(f"cores: {os.cpu_count()}  python: {sys.version.split()[0]}")
    print(f"{'run':<34} {'audio s':>9} {'wall s':>9} {'realtime':>9} {'peak MB':>9}")
    with tempfile.TemporaryDirectory() as tmp:
        t = Path(tmp)
        if args.long_only:
            long_runs(t, args.long_chars)
            return
        lines_file = t / "lines.json"
        lines_file.write_text(json.dumps(script_lines(SAMPLE), ensure_ascii=False), encoding="utf-8")
        plain = run_child(PLAIN, str(lines_file), str(t / "plain.mp3"))
        print(row("sample, plain approach", plain))
        cold = run_child(YOMICAST, str(SAMPLE), str(t / "cold.mp3"), str(t / "cache"))
        print(row("sample, yomicast cold", cold))
        warm = run_child(YOMICAST, str(SAMPLE), str(t / "warm.mp3"), str(t / "cache"))
        print(row("sample, yomicast warm", warm))
        print(f"\ncold speed-up over plain: {plain['wall'] / cold['wall']:.2f}x   (target >= 2.5x)")
        print(f"warm / cold:              {warm['wall'] / cold['wall']:.1%}   (target < 25%)")
        print(f"peak RSS cold / plain:    {cold['rss_mb'] / plain['rss_mb']:.2f}")
        if args.quick:
            return
        print()
        long_runs(t, args.long_chars)


def long_runs(t: Path, chars: int) -> None:
    quarter = run_child(YOMICAST, str(long_article(t, chars // 4)), str(t / "q.mp3"), str(t / "c2"))
    print(row(f"long/4 ({chars // 4} chars), cold", quarter))
    full = run_child(YOMICAST, str(long_article(t, chars)), str(t / "l.mp3"), str(t / "c3"))
    print(row(f"long ({chars} chars), cold", full))
    print(f"\nlong: time ratio full / quarter {full['wall'] / quarter['wall']:.2f} for audio ratio "
          f"{full['audio'] / quarter['audio']:.2f} (linear: equal)")
    print(f"long: peak RSS {full['rss_mb']:.0f} MB (target <= 500 MB)")


if __name__ == "__main__":
    started = time.perf_counter()
    main()
    print(f"\n(benchmark took {time.perf_counter() - started:.0f} s)")
