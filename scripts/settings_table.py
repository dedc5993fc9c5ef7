#!/usr/bin/env python3
"""Write the README's table of show.toml settings from the typed tables' own fields (their meanings and
defaults live with the dataclasses, ``yomicast.show.tables.reference_table``).

    .venv/bin/python scripts/settings_table.py          rewrite the table in README.md
    .venv/bin/python scripts/settings_table.py --check  exit 1 when README.md's table is not the one made
"""

from __future__ import annotations

import sys
from pathlib import Path

from yomicast.show.tables import reference_table

README = Path(__file__).resolve().parents[1] / "README.md"
START = "<!-- settings table: made by scripts/settings_table.py from the tables' fields; do not edit -->\n"
END = "<!-- end of the settings table -->\n"


def with_table(text: str) -> str:
    """``text`` with the part between the markers made anew."""
    head, _, rest = text.partition(START)
    if END not in rest:
        raise SystemExit(f"{README.name}: the settings table's markers are missing")
    return f"{head}{START}{reference_table()}{END}{rest.partition(END)[2]}"


def main(argv: list[str]) -> int:
    text = README.read_text(encoding="utf-8")
    made = with_table(text)
    if "--check" in argv:
        if made != text:
            print(
                f"{README.name}: the settings table is out of date; run scripts/settings_table.py",
                file=sys.stderr,
            )
            return 1
        return 0
    README.write_text(made, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
