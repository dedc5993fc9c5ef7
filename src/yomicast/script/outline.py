"""The outline of an article as ``yomicast sections`` shows it (text, JSON, and readings)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from yomicast.article import Article
from yomicast.script.compose import ScriptOptions, body_lines, speak


def outline_dict(
    article: Article, options: ScriptOptions | None = None, kana: Callable[[str], str] | None = None
) -> dict:
    """The JSON other tools read; ``speech`` is exactly what the engine is handed, sentence by sentence,
    and ``kana`` what Open JTalk says for it, its user dictionary applied (an entry that lives in the
    engine leaves ``speech`` as written)."""
    opt = options or ScriptOptions()
    src = article.source
    return {
        "title": article.title,
        "source": {
            "title": src.title,
            "publisher": src.publisher,
            "published": src.published_iso(),
            "url": src.url,
            "generator": src.generator,
        },
        "sections": [_section(s.heading, s.text, opt, kana) for s in article.sections],
        "skipped": [{"line": n.line, "reason": n.reason, "text": n.text} for n in article.skipped],
        "warnings": article.warnings(),
    }


def _section(heading: str | None, text: str, opt: ScriptOptions, kana: Callable[[str], str] | None) -> dict:
    speech = [speech for _text, speech in body_lines(text, opt)]
    out = {"heading": heading, "text": text, "speech": "\n".join(speech)}
    if kana is not None:
        out["kana"] = "\n".join(kana(s) for s in speech)
    return out


def outline_text(article: Article) -> str:
    src = article.source
    lines = [article.title]
    facts = [
        ("source", src.title),
        ("publisher", src.publisher),
        ("published", src.published_iso()),
        ("url", src.url),
        ("written by", src.generator),
    ]
    lines += [f"  {k}: {v}" for k, v in facts if v]
    lines.append("")
    for n, s in enumerate(article.sections, 1):
        body = s.text.replace("\n", " ")
        first = body[:32] + ("…" if len(body) > 32 else "")
        lines.append(f"{n:2d}. {s.heading or '(lead)'}  [{len(s.text)} chars]")
        if first:
            lines.append(f"    {first}")
    return "\n".join(lines)


def readings_text(
    article: Article,
    options: ScriptOptions,
    kana: Callable[[str], str] | None,
    held: Callable[[str], list[list[Any]]] | None = None,
) -> str:
    """Each sentence as written, as handed to the engine, and as the engine will pronounce it (kana), with
    the entries and rules that decided its readings (``held``: the engine's own dictionary's entries)."""
    out = []
    for s in article.sections:
        out.append(f"## {s.heading or '(lead)'}")
        pairs = ([(s.heading, "headings")] if s.heading else []) + [
            (text, "body") for text, _speech in body_lines(s.text, options)
        ]
        for text, part in pairs:
            trace: list[str] = []
            speech = speak(text, options, part, trace)
            out.append(f"  {text}")
            if speech != text:
                out.append(f"  → {speech}")
            if kana is not None:
                out.append(f"  ♪ {kana(speech)}")
            for word, reading, accent, _priority in held(speech) if held else []:
                trace.append(f"the engine's dictionary: {word} → {reading} (accent {accent})")
            out += [f"    ← {line}" for line in trace]
        out.append("")
    return "\n".join(out).rstrip() + "\n"
