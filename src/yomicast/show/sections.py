"""What ``yomicast sections`` prints of an article file: its outline as text, as JSON, or with each
sentence's speech text and the kana the show's voice will say (Open JTalk's reading, its user dictionary
holding the show's entries: no server is asked)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Literal

from yomicast.article import Article, read_articles
from yomicast.show.config import Show

Form = Literal["text", "json", "readings"]


def article_outline(
    path: Path,
    show: Show,
    form: Form = "text",
    *,
    engine_name: str | None = None,
    on_article: Callable[[Article, int], None] | None = None,
) -> str:
    """The outline of every digest in ``path``, in ``form``; ``on_article`` is told each one as it is read
    (with how many the file holds), to report its notes."""
    from yomicast.script.outline import outline_dict, outline_text, readings_text
    from yomicast.show.episode import engine_for, load_dictionary, script_options
    from yomicast.speech.engines.openjtalk import OpenJTalkEngine

    arts = read_articles(path, show.limits.article_mb)
    for art in arts:
        if on_article:
            on_article(art, len(arts))
    if form == "text":
        return "\n\n".join(outline_text(art) for art in arts) + "\n"
    with engine_for(show, engine_name) as eng, OpenJTalkEngine() as ojt:
        load_dictionary(show, ojt)
        options = script_options(show, eng)
        if form == "json":
            docs = [outline_dict(art, options, ojt.kana) for art in arts]
            return (
                json.dumps(docs[0] if len(docs) == 1 else {"articles": docs}, ensure_ascii=False, indent=2)
                + "\n"
            )
        kana = eng.kana if isinstance(eng, OpenJTalkEngine) else ojt.kana
        return "\n".join(readings_text(art, options, kana, ojt.held_in) for art in arts)
