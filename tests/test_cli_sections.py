from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest
from typer.testing import CliRunner

from yomicast.cli import app

from .conftest import BAD_INPUTS, DATA

runner = CliRunner()


def test_sections_json_shape(sample):
    result = runner.invoke(app, ["sections", str(sample), "--json"])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert set(doc) == {"title", "source", "sections", "skipped", "warnings"}
    assert doc["skipped"] == [] and doc["warnings"] == []
    assert set(doc["source"]) == {"title", "publisher", "published", "url", "generator"}
    assert doc["source"]["published"] == "2025-07-17T20:12"
    assert doc["source"]["url"] is None
    assert len(doc["sections"]) == 6
    for s in doc["sections"]:
        assert set(s) == {"heading", "text", "speech", "kana"}
        assert len(s["kana"].splitlines()) == len(s["speech"].splitlines())
        assert re.fullmatch(r"[ァ-ヴー’、。？！・「」『』（）\s]+", s["kana"]), s["kana"]
        assert s["speech"].strip()
    assert doc["sections"][0]["heading"] is None


def test_sections_outline_text(sample):
    result = runner.invoke(app, ["sections", str(sample)])
    assert result.exit_code == 0
    assert "U.S. Department of State" in result.stdout
    assert "今後の展望:国際社会の対応が鍵" in result.stdout


@pytest.mark.parametrize(("name", "words"), [*BAD_INPUTS, ("missing.txt", "no such file")])
def test_bad_input_is_one_clean_line(name, words):
    result = runner.invoke(app, ["sections", str(DATA / name)])
    assert result.exit_code == 2
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("yomicast: error:") and words in lines[0]
    assert result.stdout == ""


def test_bad_input_in_a_real_process_is_one_line_and_no_traceback():
    proc = subprocess.run(
        [sys.executable, "-m", "yomicast", "sections", str(DATA / "binary.txt")],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 2
    assert proc.stderr.startswith("yomicast: error:") and len(proc.stderr.strip().splitlines()) == 1
    assert "Traceback" not in proc.stderr and proc.stdout == ""


def test_readings_show_speech_and_kana(sample):
    result = runner.invoke(app, ["sections", str(sample), "--readings"])
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert (
        "→ 2025年7月17日、米国務省は「北朝鮮とロシアの違法な軍事協力に関するエムエスエムティー報告書」" in out
    )
    assert "♪ ニセンニジューゴネンシチガツジューシチニチ" in out
    assert "## 今後の展望:国際社会の対応が鍵" in out


def test_json_speech_uses_the_show_dictionary(tmp_path, sample):
    (tmp_path / "show.toml").write_text('[pronunciations]\n"北朝鮮" = "きたちょうせん"\n', encoding="utf-8")
    doc = json.loads(runner.invoke(app, ["sections", str(sample), "--json"]).stdout)
    assert "きたちょうせん" in doc["sections"][1]["speech"] and "北朝鮮" in doc["sections"][1]["text"]
