"""The show's pronunciation dictionary as show.toml and dictionary.csv give it: ``[pronunciations]``
(``"word" = "reading"``, or ``{ reading, accent, priority }``) and the rows of ``dictionary.csv`` beside
show.toml, each entry checked (``settings.Pronunciation``)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from yomicast.errors import ConfigError
from yomicast.settings import DICTIONARY_ENTRIES, Pronunciation

DICTIONARY_CSV = "dictionary.csv"
_CSV_FIELDS = ("surface", "reading", "accent", "priority")


def pronunciations(table: object, path: Path, bad: Any) -> tuple[dict[str, str], tuple[Pronunciation, ...]]:
    """``[pronunciations]`` and ``dictionary.csv`` beside show.toml: (words rewritten in the text, entries
    with an accent for the engines' own dictionaries). A word given in both is the table's."""
    from yomicast.settings import table_from

    if not isinstance(table, dict):
        raise bad("pronunciations", 'must map words to readings, e.g. "北朝鮮" = "きたちょうせん"')
    entries: dict[str, Pronunciation] = {}
    for surface, value in _csv_entries(path.parent / DICTIONARY_CSV, bad).items():
        entries[surface] = value
    text: dict[str, str] = {}
    for surface, value in table.items():
        if isinstance(value, str):
            if not value.strip() or len(value) > 100 or len(surface) > 50:
                raise bad(f"pronunciations.{surface}", "a reading is 1 to 100 characters, a word 1 to 50")
            text[surface] = value
            entries.pop(surface, None)
            continue
        if not isinstance(value, dict):
            raise bad(
                f"pronunciations.{surface}",
                'must be a reading, or a table such as { reading = "カシマ", accent = 1, priority = 5 }',
            )
        if "surface" in value or "reading" not in value:
            raise bad(f"pronunciations.{surface}", "needs a reading (and may have accent and priority)")
        try:
            entries[surface] = table_from(
                Pronunciation, {"surface": surface, **value}, f"pronunciations.{surface}"
            )
        except ConfigError as exc:
            raise ConfigError(f"{path}: {exc}") from None
    if len(text) + len(entries) > DICTIONARY_ENTRIES:
        raise bad("pronunciations", f"holds more than {DICTIONARY_ENTRIES} words with dictionary.csv")
    for surface, entry in list(entries.items()):
        if not entry.in_engine:  # no accent: the reading goes into the text, as a plain entry does
            text.setdefault(surface, entry.reading)
            del entries[surface]
    return text, tuple(entries.values())


def _csv_entries(csv_path: Path, bad: Any) -> dict[str, Pronunciation]:
    """The rows of ``dictionary.csv``: a header ``surface,reading,accent,priority``, then one word a row
    (accent and priority may be left empty)."""
    import csv
    import io

    from yomicast.errors import InputError
    from yomicast.fsutil import read_regular

    if not csv_path.exists():
        return {}
    try:  # beside the articles, where fetched files land: a link out of the folder is not followed
        raw = read_regular(csv_path, 8_000_000, within=csv_path.parent, name=str(csv_path))
        text = raw.decode("utf-8-sig")
    except InputError as exc:
        raise ConfigError(str(exc)) from None
    except UnicodeDecodeError:
        raise ConfigError(f"{csv_path}: is not UTF-8 text; save it as UTF-8") from None
    rows = csv.reader(io.StringIO(text))
    header = [h.strip() for h in next(rows, [])]
    if tuple(header[:2]) != _CSV_FIELDS[:2] or not set(header) <= set(_CSV_FIELDS):
        raise ConfigError(f"{csv_path}: the first row must name the columns: {','.join(_CSV_FIELDS)}")
    out: dict[str, Pronunciation] = {}
    for n, row in enumerate(rows, start=2):
        if not any(cell.strip() for cell in row):
            continue
        if n > DICTIONARY_ENTRIES + 1:
            raise ConfigError(f"{csv_path}: more than {DICTIONARY_ENTRIES} words")
        cells = dict(zip(header, (c.strip() for c in row), strict=False))
        try:
            accent = int(cells["accent"]) if cells.get("accent") else None
            priority = int(cells["priority"]) if cells.get("priority") else 5
            out[cells["surface"]] = Pronunciation(
                cells["surface"], cells.get("reading", ""), accent, priority
            )
        except (ValueError, KeyError, ConfigError) as exc:
            raise ConfigError(f"{csv_path}: row {n}: {exc}") from None
    return out
