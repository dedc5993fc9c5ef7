#!/usr/bin/env python3
"""Readings, checked as a listener would hear them (Open JTalk's own g2p).

    python scripts/readings_report.py                      # the newsreader table: yomicast against raw Open JTalk
    python scripts/readings_report.py ARTICLE [--show F]   # every token class in an article and how it is read

The table is ``tests/data/readings.tsv``: a class, a sentence as written and the katakana a listener must
hear in it. "yomicast" is Open JTalk speaking yomicast's speech text; "raw" is Open JTalk given the sentence
as written.
"""

from __future__ import annotations

import argparse
import re
import sys
import warnings
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TABLE = ROOT / "tests" / "data" / "readings.tsv"

# What to look for in an article: each class of token the readings handle.
CLASSES = {
    "name with digits": r"(?<![A-Za-z0-9])(?:[A-Za-z]+[-]?\d+(?:[A-Za-z]+\d*)*|\d+[A-Z]{1,3})(?![A-Za-z0-9])",
    "capitals": r"(?<![A-Za-z])[A-Z]{2,}s?(?![A-Za-z])",
    "mixed case": r"(?<![A-Za-z])[a-z]+[A-Z][A-Za-z]*|[A-Z][a-z]+[A-Z][A-Za-z]*",
    "English word": r"(?<![A-Za-z])[A-Z]?[a-z]{2,}(?![A-Za-z])",
    "slash numbers": r"\d{1,4}/\d{1,3}(?:/\d{1,2})?",
    "sign": r"[▲△±＋+−=＝][\d０-９]",
    "unit": r"\d\s*(?:[a-zA-Zμµ]+(?:/[a-z]+)?|[㎡㎢㎥㎠㎏㎞㎝㎜㎎℃²³])",
    "range": r"\d\s*[〜～~]\s*\d",
    "counter": r"\d+(?:日|人|本|発|匹|回|割|階)",
    "weekday": r"[（(][月火水木金土日][）)]",
    "era year": r"(?:令和|平成|昭和)(?:\d+|元)年",
}


def load_table() -> list[tuple[str, str, str]]:
    rows = []
    for line in TABLE.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            cls, written, heard = line.split("\t")
            rows.append((cls, written, heard))
    return rows


def plain(kana: str) -> str:
    return re.sub(r"[、。・ 　？！?!]", "", kana)


def table_report() -> None:
    import pyopenjtalk

    from yomicast.reading import speech_text
    from yomicast.speech.engines.openjtalk import OpenJTalkEngine

    engine = OpenJTalkEngine()
    ours, raw = Counter(), Counter()
    totals: Counter[str] = Counter()
    misses = []
    for cls, written, heard in load_table():
        totals[cls] += 1
        said = plain(pyopenjtalk.g2p(speech_text(written, known=engine.knows_word), kana=True))
        bare = plain(pyopenjtalk.g2p(written, kana=True))
        ours[cls] += heard in said
        raw[cls] += heard in bare
        if heard not in said:
            misses.append(f"  {cls}: {written} → {said} (want {heard})")
    print(f"{'class':<18} {'cases':>5} {'yomicast':>9} {'raw OJT':>8}")
    for cls in totals:
        print(f"{cls:<18} {totals[cls]:>5} {ours[cls]:>9} {raw[cls]:>8}")
    n = sum(totals.values())
    print(f"{'all':<18} {n:>5} {sum(ours.values()):>9} {sum(raw.values()):>8}")
    if misses:
        print("\nmisread by yomicast:\n" + "\n".join(misses))


def article_report(path: Path, show: Path | None) -> None:
    import pyopenjtalk

    from yomicast.article import read_articles
    from yomicast.reading import speech_text, split_sentences
    from yomicast.show.config import load_show
    from yomicast.show.episode import engine_for

    the_show = load_show(show or path.parent)
    with engine_for(the_show, "openjtalk") as engine:
        for article in read_articles(path, the_show.limits.article_mb):
            texts = [article.title] + [
                t for s in article.sections for t in ((s.heading or ""), *s.blocks) if t
            ]
            seen: dict[tuple[str, str], str] = {}
            for sentence in (s for text in texts for s in split_sentences(text)):
                for cls, pattern in CLASSES.items():
                    for m in re.finditer(pattern, sentence):
                        token = m.group(0)
                        if (cls, token) in seen:
                            continue
                        speech = speech_text(sentence, the_show.pronunciations, known=engine.knows_word)
                        seen[cls, token] = (
                            f"{sentence}\n      → {speech}\n      ♪ {pyopenjtalk.g2p(speech, kana=True)}"
                        )
            print(f"# {article.title}")
            if not seen:
                print("  (no token of the classes the readings handle)")
            for (cls, token), line in sorted(seen.items()):
                print(f"  [{cls}] {token}: {line}")


def main() -> None:
    warnings.simplefilter("ignore")
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("article", nargs="?", type=Path)
    ap.add_argument("--show", type=Path, help="show.toml whose [pronunciations] apply")
    args = ap.parse_args()
    if args.article:
        article_report(args.article, args.show)
    else:
        table_report()


if __name__ == "__main__":
    sys.exit(main())
