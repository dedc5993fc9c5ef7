"""Show notes: the summary, the description and the HTML an episode carries in the feed."""

from __future__ import annotations

import html

from yomicast.article import Article
from yomicast.audio.timeline import Timeline


def summary(article: Article, limit: int = 200) -> str:
    """The article's description, else its lead (first section) cut at a sentence end near ``limit``."""
    if article.description:
        return article.description
    text = "".join(b.removeprefix("- ") for b in article.sections[0].blocks) if article.sections else ""
    if len(text) <= limit:
        return text or article.title
    cut = text.rfind("。", 0, limit)
    return text[: cut + 1] if cut > 40 else text[:limit] + "…"


def description(article: Article, credit: str, voice_credits: str | None = None) -> str:
    """Plain text: the summary, the outline, and the source credit."""
    headings = [s.heading for s in article.sections if s.heading]
    parts = [summary(article)]
    if headings:
        parts.append("目次: " + " / ".join(headings))
    parts.append(credit + (f"\n{voice_credits}" if voice_credits else ""))
    return "\n\n".join(parts)


def content_html(article: Article, credit: str, timeline: Timeline, voice_credits: str | None = None) -> str:
    """HTML: the summary, the chapters with their times, and the credit (linked to the source when known)."""
    esc = html.escape
    out = [f"<p>{esc(summary(article))}</p>"]
    chapters = timeline.chapters[1:-1]
    if chapters:
        out.append("<h3>目次</h3><ol>")
        for c in chapters:
            m, s = divmod(round(c.start), 60)
            out.append(f"<li>{m}:{s:02d} {esc(c.title)}</li>")
        out.append("</ol>")
    if article.source.url:
        out.append(f'<p><a href="{esc(article.source.url, quote=True)}">{esc(credit)}</a></p>')
    else:
        out.append(f"<p>{esc(credit)}</p>")
    if voice_credits:
        out.append(f"<p>{esc(voice_credits)}</p>")
    return "".join(out)
