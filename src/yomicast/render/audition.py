"""A line of text spoken by one voice into a short MP3, to hear a voice before a show is built with it
(``yomicast say``)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from yomicast.errors import InputError
from yomicast.render.stages import RenderResult, render_episode
from yomicast.script.compose import Chapter, Line, Script, ScriptOptions, speak
from yomicast.speech.cache import SegmentCache
from yomicast.speech.engines import DEFAULT_ENGINE, create_engine, options_for


def audition(
    text: str,
    out: Path,
    *,
    engine: str = DEFAULT_ENGINE,
    voice: str | None = None,
    urls: Sequence[str] | None = None,
    cache: SegmentCache | None = None,
) -> RenderResult:
    """Speak each line of ``text`` as an episode's body would be spoken, into ``out``."""
    with create_engine(engine, **options_for(engine, voice=voice, urls=urls)) as eng:
        opt = ScriptOptions(latin=not eng.reads_latin, known=eng.knows_word)
        lines = tuple(Line(t, speak(t, opt), 0.4) for t in text.splitlines() if t.strip())
        if not any(ln.speech for ln in lines):
            raise InputError("nothing speakable in the text")
        return render_episode(Script((Chapter("say", lines),)), eng, cache or SegmentCache(), out)
