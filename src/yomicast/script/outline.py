"""The outline of an article as ``yomicast sections`` shows it (text, JSON, and readings)."""

from __future__ import annotations

from collections.abc import Callable

from yomicast.article import Article
from yomicast.script.compose import ScriptOptions, body_lines, speak


def outline_dict(article: Article, options: ScriptOptions | None = None) -> dict:
    """The JSON other tools read; ``speech`` is exactly what the engine is handed, sentence by sentence."""
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
        "sections": [
            {
                "heading": s.heading,
                "text": s.text,
                "speech": "\n".join(speech for _text, speech in body_lines(s.text, opt)),
            }
            for s in article.sections
        ],
        "skipped": [{"line": n.line, "reason": n.reason, "text": n.text} for n in article.skipped],
        "warnings": article.warnings(),
    }


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


def readings_text(article: Article, options: ScriptOptions, kana: Callable[[str], str] | None) -> str:
    """Each sentence as written, as handed to the engine, and as the engine will pronounce it (kana)."""
    out = []
    for s in article.sections:
        out.append(f"## {s.heading or '(lead)'}")
        pairs = ([(s.heading, speak(s.heading, options, "headings"))] if s.heading else []) + body_lines(
            s.text, options
        )
        for text, speech in pairs:
            out.append(f"  {text}")
            if speech != text:
                out.append(f"  → {speech}")
            if kana is not None:
                out.append(f"  ♪ {kana(speech)}")
        out.append("")
    return "\n".join(out).rstrip() + "\n"
