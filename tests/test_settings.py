"""Every range a show.toml setting declares (``setting(..., between=...)``) is held where the table is read:
its ends are taken, a value past either end or NaN is one line naming ``[table.key]``, and the README's
table states the range the code holds."""

from __future__ import annotations

import dataclasses
import math
import typing
from pathlib import Path

import pytest

from yomicast.errors import ConfigError
from yomicast.settings import Source
from yomicast.show.config import parse_show
from yomicast.show.tables import TABLES

RANGED = [
    (name, cls, f)
    for name, cls in [*TABLES.items(), ("sources", Source)]
    for f in dataclasses.fields(cls)
    if f.metadata.get("between")
]


def table(name: str, key: str, value: object) -> dict:
    if name == "sources":
        return {"sources": [{"url": "https://news.example/rss.xml", key: value}]}
    return {name: {key: value}}


def test_the_ranged_settings_are_many():
    assert len(RANGED) >= 15  # fetch, publish, check, limits, sources, the pauses


@pytest.mark.parametrize(("name", "cls", "f"), RANGED, ids=[f"{n}.{f.name}" for n, _c, f in RANGED])
def test_a_range_is_held_and_named(name, cls, f):
    low, high = f.metadata["between"]
    whole = typing.get_type_hints(cls)[f.name] in (int, int | None)
    step = 1 if whole else (high - low) / 1000 or 0.001
    path = Path("show.toml")
    for ok in (low, high):
        parse_show(table(name, f.name, int(ok) if whole else float(ok)), path)  # the ends are in
    where = f"sources.1.{f.name}" if name == "sources" else f"{name}.{f.name}"
    for bad in (low - step, high + step, *(() if whole else (math.nan,))):
        value = int(bad) if whole else bad
        with pytest.raises(ConfigError) as caught:
            parse_show(table(name, f.name, value), path)
        message = str(caught.value)
        assert message.startswith(f"show.toml: [{where}]: must be between {low:g} and {high:g}"), message
        assert "\n" not in message


def test_the_readme_states_each_range():
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    for name, _cls, f in RANGED:
        low, high = f.metadata["between"]
        head = f"| `[[sources]]` `{f.name}` |" if name == "sources" else f"| `{name}.{f.name}` |"
        row = next(line for line in readme.splitlines() if line.startswith(head))
        assert f"({low:g} to {high:g}" in row, (name, f.name, row)
