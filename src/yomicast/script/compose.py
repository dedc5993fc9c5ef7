"""What is said, and in which order: intro, each section's heading and sentences, the source credit.

The script is text only. Each ``Line`` is one written sentence (for transcripts) with the speech text an
engine gets and the pause that follows it; a ``Chapter`` is what a podcast app lists.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace

from yomicast.article import Article
from yomicast.reading import speech_text, split_sentences
from yomicast.script.credits import credit_text, voice_credit_text
from yomicast.settings import INTRO_TEMPLATE, Pauses

CHAPTER_TITLES = {"intro": "オープニング", "lead": "概要", "credit": "クレジット"}
PARTS = ("intro", "headings", "body", "credit")  # the parts of an episode a voice can be cast for
Reader = tuple[bool, Callable[[str], bool] | None]  # (rewrite English to katakana?, words the engine knows)


@dataclass(frozen=True)
class Line:
    text: str  # as written (transcripts)
    speech: str  # what the engine is handed
    pause_after: float
    part: str = "body"  # one of PARTS: which voice speaks it


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
    known: Callable[[str], bool] | None = None  # Latin words the engine reads well
    readers: dict[str, Reader] = field(default_factory=dict)  # part → its voice's latin and known, if cast
    # part → the words its voice gets rewritten in the text, where that differs from ``dictionary``
    dictionaries: dict[str, dict[str, str]] = field(default_factory=dict)
    keep: tuple[str, ...] = ()  # words the default voice's own dictionary holds: left as written
    keeps: dict[str, tuple[str, ...]] = field(default_factory=dict)  # … and each cast part's
    voice_credits: tuple[str, ...] = ()  # what the voices' terms require to be said


def speak(text: str, opt: ScriptOptions, part: str = "body", trace: list[str] | None = None) -> str:
    latin, known = opt.readers.get(part, (opt.latin, opt.known))
    return speech_text(
        text,
        opt.dictionaries.get(part, opt.dictionary),
        latin=latin,
        known=known,
        trace=trace,
        keep=opt.keeps.get(part, opt.keep),
    )


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

    def line(text: str, pause: float, part: str) -> Line:
        return Line(text=text, speech=speak(text, opt, part), pause_after=pause, part=part)

    chapters: list[Chapter] = []
    intro = opt.intro.format(show=opt.show_name, title=article.title)
    intro_lines = [line(s, p.sentence, "intro") for s in split_sentences(intro)]
    chapters.append(
        Chapter(CHAPTER_TITLES["intro"], tuple(intro_lines), jingle=opt.jingle, after_jingle=p.after_jingle)
    )

    for section in article.sections:
        lines: list[Line] = []
        if section.heading:
            lines.append(line(section.heading, p.after_heading, "headings"))
        lines += [Line(text, speech, p.sentence) for text, speech in body_lines(section.text, opt)]
        lines = [ln for ln in lines if ln.speech]
        if lines:
            title = section.heading or CHAPTER_TITLES["lead"]
            chapters.append(Chapter(title, tuple(lines)))

    credit = credit_text(article.source, opt.show_name, opt.credit)
    credits = [line(credit, p.sentence, "credit")]
    voices = voice_credit_text(opt.voice_credits)
    if voices:
        credits.append(line(voices, p.sentence, "credit"))
    chapters.append(Chapter(CHAPTER_TITLES["credit"], tuple(credits)))

    # A chapter ends with the longer pause that announces the next one; the episode with a short tail.
    last = len(chapters) - 1
    return Script(
        tuple(
            replace(
                ch,
                lines=(*ch.lines[:-1], replace(ch.lines[-1], pause_after=p.heading if i < last else p.tail)),
            )
            if ch.lines
            else ch
            for i, ch in enumerate(chapters)
        )
    )
