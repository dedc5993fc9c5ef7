"""yomicast check: the kana comparison (table tests, no extra needed) and real Whisper (the check extra) on
a short real episode spoken by Open JTalk: clean, it passes; with one line silenced and one replaced by
noise, exactly those two lines are flagged."""

from __future__ import annotations

import json
import shutil

import pytest

from tests.audio_faults import spoiled_copy
from tests.conftest import DATA, run_yomicast
from yomicast.check.kana import error_rate, normalise, to_kana


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("トーキョー", "トウキョウ"),  # the long-vowel mark, or the vowel written out
        ("コーヒー", "コオヒイ"),
        ("ケーザイ", "ケイザイ"),
        ("チョット", "チヨツト"),  # small kana at full size
        ("オツタエ", "ヲツタエ"),
        ("ミカズキ", "ミカヅキ"),
        ("ハナジ", "ハナヂ"),
        ("バイオリン", "ヴァイオリン"),
        ("きょうは、ちょっと寒い。", "キョーワ　チョット　サムイ"),  # hiragana, punctuation, spaces
    ],
)
def test_spellings_of_one_sound_are_one(a, b):
    assert to_kana(a) == to_kana(b)  # read by Open JTalk, then normalised, as the check does
    if a.isascii() is False and all("ァ" <= c <= "ヺ" or c == "ー" for c in a + b):
        assert normalise(a) == normalise(b)  # kana alone needs no reading


@pytest.mark.parametrize(
    ("meant", "heard", "rate"),
    [
        ("東京都は晴れです。", "とうきょうとははれです", 0.0),  # the reading, whatever the spelling
        ("東京都は晴れです。", "", 1.0),
        ("", "", 0.0),
        ("", "こんにちは", 1.0),
        ("AIがニュースをお伝えしました。", "エーアイがニュースをお伝えしました", 0.0),
    ],
)
def test_the_kana_error_rate(meant, heard, rate):
    assert error_rate(to_kana(meant), to_kana(heard)) == pytest.approx(rate)


def test_a_different_sentence_is_far():
    assert error_rate(to_kana("政府は税制を改正する。"), to_kana("明日は雨が降るでしょう。")) > 0.5


def test_without_the_extra_check_says_how_to_install_it(tmp_path, monkeypatch):
    import sys

    from typer.testing import CliRunner

    from yomicast.cli import app

    monkeypatch.setitem(sys.modules, "faster_whisper", None)  # as if it were not installed
    result = CliRunner().invoke(app, ["check", str(tmp_path)])
    assert result.exit_code == 4
    assert (
        result.stderr.strip()
        == "yomicast: error: the listening check needs its extra: pip install 'yomicast[check]'"
    )


whisper = pytest.importorskip(
    "faster_whisper", reason="the check extra is not installed (pip install '.[check]')"
)


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = tmp_path_factory.mktemp("check")
    show = root / "show"
    show.mkdir()
    shutil.copyfile(DATA / "small-digest.txt", show / "small-digest.txt")
    (show / "show.toml").write_text(
        '[show]\ntitle = "テスト"\nbase_url = "https://x.example/"\n', encoding="utf-8"
    )
    proc = run_yomicast(
        "build", str(show), "--out", str(root / "public"), "--cache-dir", str(root / "cache"), timeout=300
    )
    assert proc.returncode == 0, proc.stderr
    (mp3,) = (root / "public").glob("*.mp3")
    return root, mp3


def check_json(target):
    proc = run_yomicast("check", str(target), "--json", timeout=300)
    assert "Traceback" not in proc.stderr, proc.stderr
    return proc, json.loads(proc.stdout)


def test_a_clean_episode_passes(built):
    _root, mp3 = built
    proc, report = check_json(mp3.parent)
    assert proc.returncode == 0, report
    (episode,) = report["episodes"]
    assert set(episode) >= {"file", "lines", "error_rate", "flagged"}
    assert episode["file"] == mp3.name and episode["lines"] == 11 and episode["flagged"] == []
    assert 0 <= episode["error_rate"] < 0.25


def test_a_silenced_line_and_a_noisy_line_are_flagged_there(built):
    root, mp3 = built
    manifest = json.loads((mp3.parent / "yomicast-manifest.json").read_text(encoding="utf-8"))
    lines = next(iter(manifest["episodes"].values()))["lines"]
    spoiled = spoiled_copy(mp3.parent, root / "spoiled", mp3.name, [(3, "silence"), (7, "noise")])
    proc, report = check_json(spoiled)
    assert proc.returncode == 1
    (episode,) = report["episodes"]
    flagged = episode["flagged"]
    assert [(f["start"], f["reason"]) for f in flagged] == [
        (round(lines[3][0], 2), "silent"),
        (round(lines[7][0], 2), flagged[1]["reason"]),
    ]
    assert flagged[1]["reason"] in ("misheard", "too short", "silent")
    assert flagged[0]["meant"] == lines[3][2] and flagged[1]["meant"] == lines[7][2]
    assert episode["notes"] == ["the file was changed after the build; it is checked as it is now"]
    text = run_yomicast("check", str(spoiled), timeout=300).stdout
    assert "2 flagged" in text and "meant:" in text and "heard:" in text
