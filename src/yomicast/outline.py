"""The outline of an article as ``yomicast sections`` shows it (text and the JSON other tools read)."""

from __future__ import annotations

from yomicast.article import Article
from yomicast.reading import speech_text


def outline_dict(article: Article, dictionary: dict[str, str] | None = None) -> dict:
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
            {"heading": s.heading, "text": s.text, "speech": speech_text(s.text, dictionary)}
            for s in article.sections
        ],
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
