#!/usr/bin/env python3
"""Readings, checked as a listener would hear them (Open JTalk's own g2p).

    python scripts/readings_report.py                      # the newsreader table: yomicast against raw Open JTalk
    python scripts/readings_report.py ARTICLE [--show F]   # every token class in an article and how it is read
    python scripts/readings_report.py ARTICLE --disagree   # every token where Open JTalk, the lexicon and
                                                           # yomicast's rules read it differently
    python scripts/readings_report.py --table FILE         # another table of the same shape

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


def load_table(table: Path = TABLE) -> list[tuple[str, str, str]]:
    rows = []
    for line in table.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            cls, written, heard = line.split("\t")
            rows.append((cls, written, heard))
    return rows


def plain(kana: str) -> str:
    return re.sub(r"[、。・ 　？！?!]", "", kana)


def table_report(table: Path = TABLE) -> None:
    import pyopenjtalk

    from yomicast.reading import speech_text
    from yomicast.speech.engines.openjtalk import OpenJTalkEngine

    engine = OpenJTalkEngine()
    ours, raw = Counter(), Counter()
    totals: Counter[str] = Counter()
    misses = []
    for cls, written, heard in load_table(table):
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


def _norm(kana: str) -> str:
    """A reading with what differs only in spelling made one: long vowels however written, small kana,
    accent marks and punctuation (the listening check's normalisation)."""
    import jaconv

    from yomicast.check.kana import normalise

    return normalise(jaconv.hira2kata(kana))


def _same(a: str, b: str) -> bool:
    return _norm(a) == _norm(b)


def _in_context(token: str, nodes: list[tuple[str, str]]) -> str | None:
    """Open JTalk's reading of ``token`` where it stands in the sentence: the run of its words whose
    surfaces make the token (numbers are rewritten by Open JTalk, so they are found alone instead)."""
    import jaconv

    wide = jaconv.h2z(token, ascii=True, digit=True)
    for i in range(len(nodes)):
        joined, pron = "", ""
        for string, reading in nodes[i:]:
            joined, pron = joined + string, pron + reading
            if joined == wide:
                return pron
            if not wide.startswith(joined):
                break
    return None


def disagree_report(path: Path, show: Path | None) -> int:
    """Every token of the article (Sudachi's words, Latin tokens, numbers with units) that Open JTalk as
    written, the lexicon (Sudachi) and yomicast's speech text read differently; each once, with where."""
    import pyopenjtalk
    from sudachipy import Dictionary, SplitMode

    from yomicast.article import read_articles
    from yomicast.reading import speech_text, split_sentences
    from yomicast.reading.latin import _TOKEN
    from yomicast.show.config import load_show
    from yomicast.show.episode import engine_for

    the_show = load_show(show or path.parent)
    tokenizer = Dictionary(dict="core").create()
    found = 0
    with engine_for(the_show, "openjtalk") as engine:

        def ours(text: str) -> str:
            return pyopenjtalk.g2p(
                speech_text(text, the_show.pronunciations, known=engine.knows_word), kana=True
            )

        for article in read_articles(path, the_show.limits.article_mb):
            texts = [article.title] + [
                t for s in article.sections for t in ((s.heading or ""), *s.blocks) if t
            ]
            seen: set[str] = set()
            print(f"# {path.name}: {article.title}")
            for sentence in (s for text in texts for s in split_sentences(text)):
                tokens = {
                    m.surface(): m.reading_form()
                    for m in tokenizer.tokenize(sentence, SplitMode.C)
                    if m.part_of_speech()[0] not in ("助詞", "助動詞", "補助記号", "空白", "接尾辞")
                    and m.part_of_speech()[2] != "助数詞可能"  # 日, 月, 年 after a number
                    and re.search(r"[A-Za-z0-9一-龯]", m.surface())
                }
                for m in _TOKEN.finditer(sentence):
                    tokens.setdefault(m.group(0), "")
                for m in re.finditer(CLASSES["unit"], sentence):
                    tokens.setdefault(m.group(0), "")
                nodes = [(n["string"], n["pron"]) for n in pyopenjtalk.run_frontend(sentence)]
                heard = _norm(ours(sentence))  # what yomicast has Open JTalk say, the sentence in context
                for token, lexicon in tokens.items():
                    if token in seen:
                        continue
                    seen.add(token)
                    raw = _in_context(token, nodes) or pyopenjtalk.g2p(token, kana=True)
                    if re.search(r"\d", token) or not re.fullmatch(r"[ァ-ヴー]+", lexicon or "-"):
                        lexicon = ""  # digits one by one (500 ゴレイレイ), or no katakana: no answer
                    # yomicast's reading: the lexicon's or Open JTalk's where the sentence says it so, else
                    # what its rules make of the token alone.
                    yomi = next(
                        (r for r in (lexicon, raw) if r and _norm(r) and _norm(r) in heard),
                        None,
                    ) or ours(token)
                    readings = [r for r in (raw, lexicon, yomi) if r]
                    if all(_same(readings[0], r) for r in readings[1:]):
                        continue
                    found += 1
                    print(f"  {token}: Open JTalk {raw} | lexicon {lexicon or '-'} | yomicast {yomi}")
                    print(f"      in: {sentence}")
    print(f"{found} tokens read differently")
    return found


def main() -> None:
    warnings.simplefilter("ignore")
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("article", nargs="?", type=Path)
    ap.add_argument("--show", type=Path, help="show.toml whose [pronunciations] apply")
    ap.add_argument("--disagree", action="store_true", help="list the tokens the three readers disagree on")
    ap.add_argument("--table", type=Path, default=TABLE, help="a table of the newsreader table's shape")
    args = ap.parse_args()
    if args.article and args.disagree:
        disagree_report(args.article, args.show)
    elif args.article:
        article_report(args.article, args.show)
    else:
        table_report(args.table)


if __name__ == "__main__":
    sys.exit(main())
