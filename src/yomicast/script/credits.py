"""Credits: the one sentence that names an article's source, said at the end of the episode and printed in
its show notes, and the credits the voices' terms require."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable

from yomicast.article import Source

CREDIT_TEMPLATES = {
    # Tried in order; the first whose fields are all known is used.
    "full": "この記事は、{publisher}が{date}に公開した「{source}」をもとに、{generator}を使って作成しました。",
    "no_generator": "この記事は、{publisher}が{date}に公開した「{source}」をもとに作成しました。",
    "no_date": "この記事は、{publisher}が公開した「{source}」をもとに、{generator}を使って作成しました。",
    "no_date_generator": "この記事は、{publisher}が公開した「{source}」をもとに作成しました。",
    "publisher_only": "この記事は、{publisher}の発表をもとに作成しました。",
    "source_only": "この記事は、「{source}」をもとに作成しました。",
    "generator_only": "この記事は、{generator}を使って作成しました。",
    "none": "{show}がお伝えしました。",
}
PLACEHOLDERS = ("show", "title", "publisher", "date", "source", "generator")


def written_date(day: dt.date | None) -> str | None:
    return f"{day.year}年{day.month}月{day.day}日" if day else None


def credit_fields(source: Source, show_name: str) -> dict[str, str | None]:
    return {
        "publisher": source.publisher,
        "date": written_date(source.day),
        "source": source.title,
        "generator": source.generator,
        "show": show_name,
    }


def credit_text(source: Source, show_name: str, template: str | None = None) -> str:
    """The source credit: the show's own template when its fields are all known, else the fullest built-in
    form whose fields are."""
    fields = credit_fields(source, show_name)
    candidates = [template] if template else []
    candidates += list(CREDIT_TEMPLATES.values())
    for tpl in candidates:
        names = re.findall(r"{(\w+)}", tpl)
        if all(fields.get(n) for n in names):
            return tpl.format(**{k: v or "" for k, v in fields.items()})
    return CREDIT_TEMPLATES["none"].format(show=show_name)


def voice_credit_text(credits: Iterable[str]) -> str | None:
    """「音声は、VOICEVOX:ずんだもん、VOICEVOX:四国めたんでお送りしました。」 for the voices an episode used."""
    names = list(dict.fromkeys(c for c in credits if c))
    return f"音声は、{'、'.join(names)}でお送りしました。" if names else None
