"""The reading stage. In: written text. Out: speech text, what an engine is handed, rewritten so it reads like
a Japanese newsreader, and sentences cut to an engine's limit. May import: nothing of yomicast but itself.

Each rewrite is a small pure ``str -> str`` function; ``speech_text`` applies them in a fixed order
(``REWRITES``). The show's pronunciation dictionary runs first, so a user can always win. Latin words are
rewritten to katakana only for engines that cannot read English themselves (Open JTalk spells unknown
words letter by letter; gTTS reads English on its own), and words the engine already knows are left to it.
"""

from __future__ import annotations

from collections.abc import Callable

from yomicast.reading.context import (
    join_country_initials,
    read_arrows,
    read_batting_averages,
    read_bracketed_readings,
    read_first_of_month,
    read_scores,
    read_weekday_marks,
)
from yomicast.reading.latin import (
    LETTER_NAMES,
    english_to_katakana,
    latin_sources,
    latin_to_katakana,
    spell_acronym,
)
from yomicast.reading.marks import (
    colons_to_pauses,
    drop_emoji,
    drop_urls,
    normalize_width,
    read_bullets,
    symbols_to_words,
)
from yomicast.reading.names import read_phrases
from yomicast.reading.numbers import (
    drop_thousands_separators,
    read_currency_and_signs,
    read_dates,
    read_ranges,
    read_signs,
    read_times,
    read_units,
)
from yomicast.reading.people import read_people
from yomicast.reading.sentences import split_for_engine, split_sentences, tidy_spaces

Rewrite = Callable[[str], str]

__all__ = [
    "LETTER_NAMES",
    "REWRITES",
    "apply_dictionary",
    "english_to_katakana",
    "latin_to_katakana",
    "speech_text",
    "spell_acronym",
    "split_for_engine",
    "split_sentences",
    "tidy_spaces",
]

REWRITES: tuple[Rewrite, ...] = (
    normalize_width,
    drop_urls,
    read_phrases,  # S&P500, W杯, No.1: before the marks are read as words
    read_bracketed_readings,
    read_people,
    read_arrows,
    read_scores,
    read_batting_averages,
    join_country_initials,
    read_signs,
    drop_emoji,
    read_bullets,
    read_dates,
    read_weekday_marks,
    read_first_of_month,
    read_times,
    colons_to_pauses,
    read_ranges,
    drop_thousands_separators,
    read_currency_and_signs,
    read_units,
    symbols_to_words,
)


def apply_dictionary(text: str, dictionary: dict[str, str] | None) -> str:
    """The show's own readings, longest surface first so 「東京都庁」 wins over 「東京」."""
    if not dictionary:
        return text
    for surface in sorted(dictionary, key=len, reverse=True):
        text = text.replace(surface, dictionary[surface])
    return text


def speech_text(
    text: str,
    dictionary: dict[str, str] | None = None,
    *,
    latin: bool = True,
    known: Callable[[str], bool] | None = None,
    trace: list[str] | None = None,
    keep: tuple[str, ...] = (),
) -> str:
    """The text handed to a speech engine for ``text``.

    ``latin`` rewrites English to katakana (for engines that spell unknown words); ``known`` says which
    Latin words the engine reads well by itself. ``trace``, when given, gets one line for each entry or
    rule that changed the text, in the order they ran (``yomicast sections --readings``). The words in
    ``keep`` (those the engine's own dictionary holds) reach the engine as written: no rule rewrites them.
    """
    kept = [w for w in sorted(keep, key=len, reverse=True) if w in text][:2048]
    for n, word in enumerate(kept):  # each held word stands aside as one private-use character
        text = text.replace(word, chr(0xE000 + n))
    if trace is not None and dictionary:
        trace += [f"the show's dictionary: {w} → {dictionary[w]}" for w in dictionary if w in text]
    text = apply_dictionary(text, dictionary)
    for rewrite in REWRITES:
        changed = rewrite(text)
        if trace is not None and changed != text:
            trace.append(f"rule {rewrite.__name__}")
        text = changed
    if latin:
        if trace is not None:
            trace += [
                f"{source}: {token} → {reading}" for token, reading, source in latin_sources(text, known)
            ]
        text = latin_to_katakana(text, known)
    for n, word in enumerate(kept):
        text = text.replace(chr(0xE000 + n), word)
    return tidy_spaces(text).strip()
