"""The README's commands are the ones that exist, and CI runs the README's test command."""

from __future__ import annotations

import re

from typer.testing import CliRunner

from yomicast.cli import app

from .conftest import ROOT, check_result

README = (ROOT / "README.md").read_text(encoding="utf-8")


def _readme_commands() -> list[str]:
    return re.findall(r"```sh\n(.+?)\n```", README)


def test_readme_opens_with_two_commands():
    first_blocks = README.split("##")[0]
    commands = re.findall(r"```sh\n(.+?)\n```", first_blocks)
    assert len(commands) == 2
    assert "yomicast" in commands[0] and "pytest" in commands[1]


def test_ci_runs_the_readme_test_command():
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert _readme_commands()[1] in ci.splitlines()


def test_every_command_has_help_and_is_in_the_readme():
    runner = CliRunner()
    top = runner.invoke(app, ["--help"])
    assert top.exit_code == 0
    commands = re.findall(r"│ (\w+)\s{2,}", top.stdout)
    assert commands
    for name in commands:
        result = runner.invoke(app, [name, "--help"])
        assert result.exit_code == 0
        assert f"yomicast {name}" in README, f"README does not document `yomicast {name}`"


def test_ruff_is_clean():
    code, out = check_result("ruff")
    assert code == 0, out


def test_ruff_format_is_clean():
    code, out = check_result("ruff-format")
    assert code == 0, out


def test_mypy_passes_on_the_library():
    code, out = check_result("mypy")
    assert code == 0, out


def test_lint_imports_keeps_the_layers():
    code, out = check_result("lint-imports")
    assert code == 0, out
    assert "0 broken" in out


def test_readme_command_table_matches_help():
    """Each option the README's command table names is one that ``--help`` lists, and each command's
    arguments are the ones it takes."""
    runner = CliRunner()
    table = re.findall(r"^\| `yomicast (\w+)([^`]*)` \|", README, flags=re.M)
    assert table
    for name, usage in table:
        result = runner.invoke(app, [name, "--help"], terminal_width=200)
        assert result.exit_code == 0, name
        for option in re.findall(r"(--[\w-]+|-\w)\b", usage):
            assert option in result.stdout, f"README names {option} for `yomicast {name}`; --help does not"


def test_every_key_of_every_show_toml_table_is_in_the_readme_table():
    """The settings table in the README names every key the typed tables read (show.tables and the
    settings layer's tables), so a key added to a table without a line there fails here."""
    import dataclasses

    from yomicast.settings import Source
    from yomicast.show.config import TABLES

    section = README[README.index("## show.toml") : README.index("## Articles from the web")]
    rows = [line for line in section.splitlines() if line.startswith("| `") or line.startswith("| [")]
    named = " ".join(row.split(" | ")[0] for row in rows)
    missing = [
        f"{table}.{f.name}"
        for table, cls in TABLES.items()
        for f in dataclasses.fields(cls)
        if f"`{table}.{f.name}`" not in named and not (table == "show" and f"`show.{f.name}`" in named)
    ]
    missing += [f"sources.{f.name}" for f in dataclasses.fields(Source) if f"`{f.name}`" not in named]
    assert not missing, missing


def test_the_readme_settings_table_is_the_one_the_tables_make():
    """Each setting's meaning and default live with its dataclass field; the README's table is made from
    them by scripts/settings_table.py, so a default changed in the code and not in the README fails here."""
    from yomicast.show.tables import reference_table

    start = (
        "<!-- settings table: made by scripts/settings_table.py from the tables' fields; do not edit -->\n"
    )
    block = README.partition(start)[2].partition("<!-- end of the settings table -->")[0]
    assert block == reference_table(), "run .venv/bin/python scripts/settings_table.py"
    assert "| `audio.loudness` | integrated loudness, LUFS | -16 |" in block  # a default, as the code has it


def test_the_defaults_of_an_empty_show_toml_are_the_shows_own(tmp_path):
    """Each default lives in its table: a show.toml with nothing in it gives Show()'s values."""
    from yomicast.show.config import Show, parse_show

    path = tmp_path / "show.toml"
    assert parse_show({}, path) == Show(path=path)
