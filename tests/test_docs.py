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
