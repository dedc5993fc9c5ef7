"""What is said, and in which order: intro, each section's heading and sentences, the source credit.

The script is text only. Each ``Line`` is one written sentence (for transcripts) with the speech text an
engine gets and the pause that follows it; a ``Chapter`` is what a podcast app lists.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field, replace

from yomicast.article import Article, Source
from yomicast.reading import speech_text, split_sentences
from yomicast.settings import INTRO_TEMPLATE, Pauses

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
CHAPTER_TITLES = {"intro": "オープニング", "lead": "概要", "credit": "クレジット"}


@dataclass(frozen=True)
class Line:
    text: str  # as written (transcripts)
    speech: str  # what the engine is handed
    pause_after: float


@dataclass(frozen=True)
class Chapter:
    title: str
    lines: tuple[Line, ...]
    jingle: bool = False  # play the jingle first
    after_jingle: float = 0.0  # then this much silence


@dataclass(frozen=True)
class Script:
    chapters: tuple[Chapter, ...]

    @property
    def lines(self) -> list[Line]:
        return [line for ch in self.chapters for line in ch.lines]


@dataclass(frozen=True)
class ScriptOptions:
    show_name: str = "yomicast"
    intro: str = INTRO_TEMPLATE
    credit: str | None = None  # one template for every case; None: the built-in forms above
    pauses: Pauses = field(default_factory=Pauses)
    jingle: bool = True
    dictionary: dict[str, str] = field(default_factory=dict)
    latin: bool = True  # rewrite English to katakana (engines that cannot read it)
    known: object = None  # Callable[[str], bool]: Latin words the engine reads well


def spoken_date(value: dt.date | dt.datetime | None) -> str | None:
    if value is None:
        return None
    return f"{value.year}年{value.month}月{value.day}日"


def credit_fields(source: Source, show_name: str) -> dict[str, str | None]:
    return {
        "publisher": source.publisher,
        "date": spoken_date(source.published),
        "source": source.title,
        "generator": source.generator,
        "show": show_name,
    }


def credit_text(source: Source, show_name: str, template: str | None = None) -> str:
    fields = credit_fields(source, show_name)
    candidates = [template] if template else []
    candidates += list(CREDIT_TEMPLATES.values())
    for tpl in candidates:
        names = re.findall(r"{(\w+)}", tpl)
        if all(fields.get(n) for n in names):
            return tpl.format(**{k: v or "" for k, v in fields.items()})
    return CREDIT_TEMPLATES["none"].format(show=show_name)


def speak(text: str, opt: ScriptOptions) -> str:
    return speech_text(text, opt.dictionary, latin=opt.latin, known=opt.known)  # type: ignore[arg-type]


def body_lines(text: str, opt: ScriptOptions) -> list[tuple[str, str]]:
    """(written sentence, speech text) for each sentence of a section body; bullets lose their dash."""
    out = []
    for block in text.split("\n"):
        for sentence in split_sentences(block):
            written = sentence[2:] if sentence.startswith("- ") else sentence
            speech = speak(written, opt)
            if speech:
                out.append((written, speech))
    return out


def build_script(article: Article, options: ScriptOptions | None = None) -> Script:
    opt = options or ScriptOptions()
    p = opt.pauses

    def line(text: str, pause: float) -> Line:
        return Line(text=text, speech=speak(text, opt), pause_after=pause)

    chapters: list[Chapter] = []
    intro = opt.intro.format(show=opt.show_name, title=article.title)
    intro_lines = [line(s, p.sentence) for s in split_sentences(intro)]
    chapters.append(
        Chapter(CHAPTER_TITLES["intro"], tuple(intro_lines), jingle=opt.jingle, after_jingle=p.after_jingle)
    )

    for section in article.sections:
        lines: list[Line] = []
        if section.heading:
            lines.append(line(section.heading, p.after_heading))
        lines += [Line(text, speech, p.sentence) for text, speech in body_lines(section.text, opt)]
        lines = [ln for ln in lines if ln.speech]
        if lines:
            title = section.heading or CHAPTER_TITLES["lead"]
            chapters.append(Chapter(title, tuple(lines)))

    credit = credit_text(article.source, opt.show_name, opt.credit)
    chapters.append(Chapter(CHAPTER_TITLES["credit"], (line(credit, p.sentence),)))

    # A chapter ends with the longer pause that announces the next one; the episode with a short tail.
    last = len(chapters) - 1
    return Script(
        tuple(
            replace(ch, lines=(*ch.lines[:-1], replace(ch.lines[-1], pause_after=p.heading if i < last else p.tail)))
            if ch.lines
            else ch
            for i, ch in enumerate(chapters)
        )
    )
