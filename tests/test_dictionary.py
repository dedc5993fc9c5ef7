"""The pronunciation dictionary with accent: [pronunciations] tables and dictionary.csv, compiled into Open
JTalk's user dictionary, registered through VOICEVOX's user-dictionary API and read back, rewritten in the
text for the voices that have no dictionary, and held in the cache key so that changing one entry speaks
again exactly the lines that hold its word."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import DATA
from yomicast.errors import ConfigError
from yomicast.settings import Pronunciation
from yomicast.show.config import load_show, parse_show
from yomicast.speech.engines.openjtalk import OpenJTalkEngine


@pytest.fixture(autouse=True)
def no_user_dictionary_afterwards():
    """pyopenjtalk holds one user dictionary for the process: each test leaves none behind."""
    yield
    OpenJTalkEngine().use_dictionary(())


def show_with(tmp_path: Path, pronunciations: str, csv: str | None = None):
    (tmp_path / "show.toml").write_text(
        '[show]\ntitle = "t"\nbase_url = "https://x.example/"\n[pronunciations]\n' + pronunciations,
        encoding="utf-8",
    )
    if csv is not None:
        (tmp_path / "dictionary.csv").write_text(csv, encoding="utf-8")
    return load_show(tmp_path)


def test_the_old_form_and_the_new_form_and_the_csv_live_side_by_side(tmp_path):
    show = show_with(
        tmp_path,
        '"安保理" = "あんぽり"\n"鹿島" = { reading = "カシマ", accent = 1, priority = 10 }\n'
        '"公明" = { reading = "こうめい" }\n',
        "surface,reading,accent,priority\n茂木,モテギ,0,\n尾身,おみ,1,7\n小渕,オブチ,,\n",
    )
    assert show.pronunciations == {
        "安保理": "あんぽり",
        "公明": "こうめい",
        "小渕": "オブチ",
    }  # no accent: text
    assert {p.surface: (p.kana, p.accent, p.priority) for p in show.dictionary} == {
        "鹿島": ("カシマ", 1, 10),
        "茂木": ("モテギ", 0, 5),
        "尾身": ("オミ", 1, 7),
    }


@pytest.mark.parametrize(
    ("entry", "words"),
    [
        ('"鹿島" = { reading = "カシマ", accent = 9 }', "accent 9 is not a mora of カシマ"),
        (
            '"鹿島" = { reading = "カシマ", accent = "1" }',
            "[pronunciations.鹿島.accent]: must be a whole number",
        ),
        ('"鹿島" = { reading = "カシマ", accent = 1, priority = 11 }', "priority must be between 0 and 10"),
        ('"鹿島" = { reading = "kashima", accent = 1 }', "written in kana"),
        ('"鹿島" = { accent = 1 }', "needs a reading"),
        ('"鹿島" = { reading = "カシマ", tone = 1 }', "unknown field"),
        ('"鹿島" = 3', "must be a reading, or a table"),
    ],
)
def test_a_bad_entry_is_one_error_naming_it(tmp_path, entry, words):
    with pytest.raises(ConfigError) as exc:
        show_with(tmp_path, entry + "\n")
    assert words in str(exc.value) and "\n" not in str(exc.value)


@pytest.mark.parametrize(
    ("csv", "words"),
    [
        ("word,kana\n茂木,モテギ\n", "the first row must name the columns"),
        ("surface,reading,accent\n茂木,モテギ,x\n", "row 2"),
        ("surface,reading,accent\n茂木,モテギ,7\n", "row 2"),
    ],
)
def test_a_bad_dictionary_csv_names_the_file_and_the_row(tmp_path, csv, words):
    with pytest.raises(ConfigError) as exc:
        show_with(tmp_path, "", csv)
    assert "dictionary.csv" in str(exc.value) and words in str(exc.value)


def test_open_jtalk_the_accent_phrase_and_the_kana_change():
    import pyopenjtalk

    engine = OpenJTalkEngine()
    assert engine.kana("茂木外相と尾身氏") == "モキガイショートオミシ"
    flat_omi = [n["acc"] for n in pyopenjtalk.run_frontend("尾身") if n["string"] == "尾身"]
    done, problems = engine.use_dictionary(
        (Pronunciation("茂木", "もてぎ", 0), Pronunciation("尾身", "オミ", 1))
    )
    assert done == ["Open JTalk's dictionary: 2 of 2 words read as given"] and problems == []
    assert engine.kana("茂木外相と尾身氏") == "モテギガイショートオミシ"  # the kana from the engine
    (omi,) = [n for n in pyopenjtalk.run_frontend("尾身") if n["string"] == "尾身"]
    assert omi["acc"] == 1 and flat_omi == [0]  # the accent phrase: its nucleus moved
    assert engine.held_in("茂木外相") == [["茂木", "モテギ", 0, 5]] and engine.held_in("外相") == []
    engine.use_dictionary(())
    assert engine.kana("茂木外相") == "モキガイショー"


def test_sections_json_says_what_open_jtalk_says_with_the_dictionary(tmp_path):
    from typer.testing import CliRunner

    from yomicast.cli import app

    show_with(tmp_path, '"茂木" = { reading = "モテギ", accent = 0 }\n"安保理" = "あんぽり"\n')
    (tmp_path / "a.txt").write_text("外相の発表\n茂木外相は安保理で演説しました。\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["sections", str(tmp_path / "a.txt"), "--json"])
    assert result.exit_code == 0, result.output
    (section,) = json.loads(result.stdout)["sections"]
    assert section["speech"] == "茂木外相はあんぽりで演説しました。"  # the entry lives in the engine
    assert section["kana"].startswith("モテギガイショーワアンポリ")
    result = CliRunner().invoke(app, ["sections", str(tmp_path / "a.txt"), "--readings"])
    assert "← the show's dictionary: 安保理 → あんぽり" in result.stdout
    assert "← the engine's dictionary: 茂木 → モテギ (accent 0)" in result.stdout


def test_a_voice_with_no_dictionary_gets_the_reading_in_the_text(tmp_path):
    from yomicast.show.episode import script_options, text_dictionary
    from yomicast.speech.engines.fake import FakeEngine

    show = show_with(
        tmp_path,
        '"茂木" = { reading = "モテギ", accent = 0 }\n"DAZN" = { reading = "ダゾーン", accent = 1 }\n',
    )
    assert text_dictionary(show, FakeEngine()) == {"茂木": "モテギ", "DAZN": "ダゾーン"}
    assert text_dictionary(show, OpenJTalkEngine()) == {
        "DAZN": "ダゾーン"
    }  # a word in letters: by its reading
    opts = script_options(show, OpenJTalkEngine())
    assert opts.keep == ("茂木",)


def test_one_entry_changed_speaks_again_exactly_the_lines_that_hold_its_word(tmp_path):
    from yomicast.show.build import build_show
    from yomicast.speech.cache import SegmentCache

    folder = tmp_path / "show"
    folder.mkdir()
    (folder / "day.txt").write_text(
        "外相会談\n茂木外相が会談しました。会談は1時間でした。\n両国は協力を確認しました。\n",
        encoding="utf-8",
    )

    def build(accent: int):
        show_with(folder, f'"茂木" = {{ reading = "モテギ", accent = {accent} }}\n')
        return build_show(folder, tmp_path / "out", cache=SegmentCache(tmp_path / "cache"))

    first = build(0)
    assert first.dictionary == ["Open JTalk's dictionary: 1 of 1 words read as given"]
    assert first.spoken >= 4
    assert build(0).spoken == 0
    again = build(2)  # the word's accent only: the text is the same
    assert again.built == ["day.txt"] and again.spoken == 1


def test_voicevox_registers_the_words_and_reads_them_back(tmp_path):
    from tests.voicevox_server import FakeVoicevox
    from yomicast.speech.engines.voicevox import VoicevoxEngine, read_kana

    with FakeVoicevox() as server, VoicevoxEngine(url=server.url) as engine:
        entries = (Pronunciation("茂木", "もてぎ", 0), Pronunciation("DAZN", "ダゾーン", 1, 8))
        done, problems = engine.use_dictionary(entries)
        assert problems == [] and done == [
            f"voicevox {server.url}: 2 of 2 dictionary words read back as given"
        ]
        words = {w["surface"]: w for w in server.user_dict.values()}
        assert words["茂木"]["pronunciation"] == "モテギ" and words["茂木"]["accent_type"] == 0
        assert words["ダゾーン"]["priority"] == 8  # a word in letters is held by its reading
        # Again, with a new accent: the word is updated, not added twice.
        engine.use_dictionary((Pronunciation("茂木", "もてぎ", 2),))
        assert len(server.user_dict) == 2
        assert read_kana(server._kana("茂木")) == ("モテギ", 2)
        posts = [r for r in server.requests if r.path == "/user_dict_word" and r.method == "POST"]
        puts = [r for r in server.requests if r.path.startswith("/user_dict_word/")]
        assert len(posts) == 2 and len(puts) == 1


def test_voicevox_that_ignores_the_dictionary_is_told_in_one_line_per_word(tmp_path):
    from tests.http_server import Answer
    from tests.voicevox_server import FakeVoicevox
    from yomicast.speech.engines.voicevox import VoicevoxEngine

    with FakeVoicevox() as server, VoicevoxEngine(url=server.url) as engine:
        query = {"accent_phrases": [], "kana": "モキ'", "text": "茂木"}
        server.lies["/audio_query"] = Answer(
            200, json.dumps(query).encode(), {"Content-Type": "application/json"}
        )
        done, problems = engine.use_dictionary((Pronunciation("茂木", "もてぎ", 0),))
        assert done == [f"voicevox {server.url}: 0 of 1 dictionary words read back as given"]
        assert problems == [f'voicevox {server.url}: 茂木 is read "モキ\'", not モテギ with accent 0']


@pytest.mark.parametrize(
    ("kana", "reading", "accent"),
    [("モテギ'", "モテギ", 3), ("カ'シマ", "カシマ", 1), ("キョ'ウ", "キョウ", 1), ("ア_シタ'", "アシタ", 3),
     ("コンニチワ'/セカイ", "コンニチワセカイ", None), ("", "", None)],
)  # fmt: skip
def test_an_audio_querys_kana_is_read(kana, reading, accent):
    from yomicast.speech.engines.voicevox import read_kana

    assert read_kana(kana) == (reading, accent)


def test_the_sample_shows_dictionary_is_valid():
    show = load_show(Path(__file__).resolve().parents[1] / "episodes")
    assert isinstance(show.dictionary, tuple) and DATA.is_dir()
    parse_show({"pronunciations": {}}, Path("show.toml"))


def test_a_build_through_voicevox_registers_the_dictionary_and_says_so(tmp_path):
    from tests.conftest import run_yomicast
    from tests.voicevox_server import FakeVoicevox

    with FakeVoicevox() as server:
        folder = tmp_path / "show"
        folder.mkdir()
        (folder / "show.toml").write_text(
            f'[show]\ntitle = "t"\nbase_url = "https://x.example/"\n[engine]\nname = "voicevox"\n'
            f'url = "{server.url}"\n[pronunciations]\n"茂木" = {{ reading = "モテギ", accent = 0 }}\n',
            encoding="utf-8",
        )
        (folder / "day.txt").write_text("外相会談\n茂木外相が会談しました。\n", encoding="utf-8")
        proc = run_yomicast(
            "build", str(folder), "-o", str(tmp_path / "out"), "--cache-dir", str(tmp_path / "c")
        )
        assert proc.returncode == 0, proc.stderr
        assert f"voicevox {server.url}: 1 of 1 dictionary words read back as given" in proc.stdout
        said = [r.query["text"][0] for r in server.requests if r.path == "/audio_query"]
        assert (
            "茂木外相が会談しました。" in said
        )  # the word reaches the engine as written: its dictionary reads it
        assert [w["surface"] for w in server.user_dict.values()] == ["茂木"]
