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


def test_a_flagged_line_of_a_varying_voice_is_spoken_once_more_and_only_it(tmp_path):
    """The build's side of the check, with a listener that flags one line the first time it hears it: that
    line alone is spoken again (its voice varies), the episode is heard twice, and the record says so."""
    from yomicast.show.build import build_show
    from yomicast.speech.cache import SegmentCache
    from yomicast.speech.engines.fake import FakeEngine

    class Varying(FakeEngine):
        varies = True

    heard: list[list] = []

    def listen(mp3, lines):
        heard.append(lines)
        flagged = [] if len(heard) > 1 else [
            {"start": lines[4][0], "end": lines[4][1], "meant": lines[4][2], "heard": "", "error_rate": 1.0,
             "reason": "silent", "line": 4}
        ]  # fmt: skip
        return {"file": mp3.name, "lines": len(lines), "error_rate": 0.0, "flagged": flagged, "notes": []}

    show = tmp_path / "show"
    show.mkdir()
    shutil.copyfile(DATA / "small-digest.txt", show / "day.txt")
    engine = Varying()
    report = build_show(
        show, tmp_path / "out", base_url="https://x.example/", engine=engine,
        cache=SegmentCache(tmp_path / "cache"), listen=listen,
    )  # fmt: skip
    assert len(heard) == 2 and report.checked == 1 and report.built == ["day.txt"]
    assert engine.texts.count(heard[0][4][2]) == 2  # the flagged line, spoken twice
    assert len(engine.texts) == len(set(engine.texts)) + 1  # every other line once
    entry = json.loads((tmp_path / "out" / "yomicast-manifest.json").read_text(encoding="utf-8"))["episodes"]
    assert entry["day"]["check"]["respoken"] == 1 and entry["day"]["check"]["flagged"] == []

    # A voice that says the same every time is not asked again: the line is reported as it is.
    heard.clear()
    (show / "day.txt").write_text(
        (DATA / "small-digest.txt").read_text(encoding="utf-8").replace("見込みです。", "見通しです。"),
        encoding="utf-8",
    )
    steady = FakeEngine()
    report = build_show(
        show, tmp_path / "out", base_url="https://x.example/", engine=steady,
        cache=SegmentCache(tmp_path / "cache2"), listen=listen,
    )  # fmt: skip
    assert len(heard) == 1 and len(steady.texts) == len(set(steady.texts))
    assert any("silent (100%)" in w for w in report.warnings)


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


@pytest.mark.slow  # speaks a whole article and has Whisper hear it (10–20 s)
@pytest.mark.listening
def test_a_clean_episode_passes(built):
    _root, mp3 = built
    proc, report = check_json(mp3.parent)
    assert proc.returncode == 0, report
    (episode,) = report["episodes"]
    assert set(episode) >= {"file", "lines", "error_rate", "flagged"}
    assert episode["file"] == mp3.name and episode["lines"] == 11 and episode["flagged"] == []
    assert 0 <= episode["error_rate"] < 0.25


@pytest.mark.slow  # speaks a whole article and has Whisper hear it (10–20 s)
@pytest.mark.listening
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
    assert [f["line"] for f in flagged] == [3, 7]
    assert set(flagged[0]) == {"start", "end", "meant", "heard", "error_rate", "reason", "line"}  # README
    assert flagged[0]["meant"] == lines[3][2] and flagged[1]["meant"] == lines[7][2]
    assert episode["notes"] == ["the file was changed after the build; it is checked as it is now"]
    text = run_yomicast("check", str(spoiled), timeout=300).stdout
    assert "2 flagged" in text and "meant:" in text and "heard:" in text


# build --check: every episode spoken is heard before it enters the feed.
NONSENSE = "ぬぺぽぎゅるむぱぴぷぺぽにゅるぴょん。"  # Open JTalk says it; Whisper cannot write it down
LAST_BODY = "気温が高い日が続けば、開花はさらに早まる可能性があります。"


def show_folder(root, on_fail="warn", **articles):
    show = root / "show"
    show.mkdir(exist_ok=True)
    for name, text in articles.items():
        (show / f"{name}.txt").write_text(text, encoding="utf-8")
    (show / "show.toml").write_text(
        f'[show]\ntitle = "テスト"\nbase_url = "https://x.example/"\n[check]\non_fail = "{on_fail}"\n',
        encoding="utf-8",
    )
    return show


def build(root, *more):
    proc = run_yomicast(
        "build", str(root / "show"), "--out", str(root / "public"), "--cache-dir", str(root / "cache"),
        *more, timeout=300,
    )  # fmt: skip
    assert proc.returncode == 0 and "Traceback" not in proc.stderr, proc.stderr
    return proc


def feed_items(public):
    import feedparser

    return [e.enclosures[0].href.rsplit("/", 1)[1] for e in feedparser.parse(public / "feed.xml").entries]


@pytest.mark.slow  # speaks a whole article and has Whisper hear it (10–20 s)
@pytest.mark.listening
def test_build_check_holds_a_flagged_episode_and_publishes_the_rest(built, tmp_path):
    digest = (DATA / "small-digest.txt").read_text(encoding="utf-8")
    shutil.copytree(built[0] / "cache", tmp_path / "cache")
    show_folder(tmp_path, "hold", good=digest, bad=digest.replace(LAST_BODY, NONSENSE))
    proc = build(tmp_path, "--check")
    assert "1 built" in proc.stdout and "2 checked, 1 held" in proc.stdout
    assert "held out of the feed: bad.txt" in proc.stderr  # the progress lines go with the bar
    (warning,) = [ln for ln in proc.stderr.splitlines() if "misheard" in ln or "too short" in ln]
    assert warning.startswith("yomicast: warning: bad.txt: 0:") and NONSENSE in warning
    public = tmp_path / "public"
    manifest = json.loads((public / "yomicast-manifest.json").read_text(encoding="utf-8"))
    assert set(manifest["episodes"]) == {"good"} and set(manifest["held"]) == {"bad"}
    assert manifest["episodes"]["good"]["check"]["flagged"] == []
    (flag,) = manifest["held"]["bad"]["check"]["flagged"]
    assert flag["meant"] == NONSENSE and flag["line"] == 8 and flag["reason"] in ("misheard", "too short")
    assert manifest["held"]["bad"]["check"]["respoken"] == 0  # Open JTalk says it the same every time
    assert feed_items(public) == [manifest["episodes"]["good"]["stem"] + ".mp3"]
    assert not (public / "bad.html").exists()

    # Unchanged: nothing is spoken or heard again, and the held episode stays out.
    feed = (public / "feed.xml").read_bytes()
    proc = build(tmp_path, "--check")
    assert "0 built, 1 unchanged" in proc.stdout and "0 checked, 1 held" in proc.stdout
    assert "checked:" not in proc.stderr
    assert (public / "feed.xml").read_bytes() == feed

    # on_fail = "warn" now: the held rendition goes out as it is, without a word spoken.
    show_folder(tmp_path, "warn")
    proc = build(tmp_path, "--check")
    assert "1 built, 1 unchanged, 0 failed, 0 segments spoken" in proc.stdout
    assert len(feed_items(public)) == 2 and (public / "bad.html").is_file()


@pytest.mark.slow  # speaks a whole article and has Whisper hear it (10–20 s)
@pytest.mark.listening
def test_a_flagged_edit_leaves_the_published_rendition_in_the_feed(built, tmp_path):
    digest = (DATA / "small-digest.txt").read_text(encoding="utf-8")
    shutil.copytree(built[0] / "cache", tmp_path / "cache")
    show = show_folder(tmp_path, "hold", day=digest)
    build(tmp_path)  # published unchecked
    public = tmp_path / "public"
    before = {p.name: p.read_bytes() for p in public.iterdir() if p.is_file() and p.suffix != ".lock"}
    (show / "day.txt").write_text(digest.replace(LAST_BODY, NONSENSE), encoding="utf-8")
    proc = build(tmp_path, "--check")
    assert "0 built" in proc.stdout and "1 held" in proc.stdout
    for name, data in before.items():  # what subscribers have is all there, byte for byte
        if name != "yomicast-manifest.json":
            assert (public / name).read_bytes() == data, name
    manifest = json.loads((public / "yomicast-manifest.json").read_text(encoding="utf-8"))
    assert manifest["held"]["day"]["number"] == manifest["episodes"]["day"]["number"] == 1
    assert manifest["held"]["day"]["guid"] == manifest["episodes"]["day"]["guid"]
    # The article put back as published: the held rendition and its files go.
    (show / "day.txt").write_text(digest, encoding="utf-8")
    build(tmp_path, "--check")
    manifest = json.loads((public / "yomicast-manifest.json").read_text(encoding="utf-8"))
    assert "held" not in manifest
    assert sorted(p.name for p in public.iterdir()) == sorted([*before, ".yomicast.lock"])


@pytest.mark.slow  # speaks a whole article and has Whisper hear it (10–20 s)
@pytest.mark.listening
def test_a_flagged_line_from_a_damaged_cache_is_spoken_again(built, tmp_path):
    import numpy as np

    from tests.media import measure
    from yomicast.speech.cache import SegmentCache, segment_key
    from yomicast.speech.engines.openjtalk import OpenJTalkEngine

    root, mp3 = built
    shutil.copytree(root / "cache", tmp_path / "cache")
    manifest = json.loads((mp3.parent / "yomicast-manifest.json").read_text(encoding="utf-8"))
    speech = next(iter(manifest["episodes"].values()))["lines"][3][2]
    # A cache entry whose checksum holds but whose audio is silence (a server that once answered so).
    cache = SegmentCache(tmp_path / "cache")
    key = segment_key("openjtalk", OpenJTalkEngine().settings(), speech)
    length = cache.length(key)
    cache.put(key, np.zeros(length, dtype=np.float32), np.zeros(length // 4410))
    show_folder(tmp_path, "hold", day=(DATA / "small-digest.txt").read_text(encoding="utf-8"))
    proc = build(tmp_path, "--check")
    assert "1 flagged lines spoken again" in proc.stderr and "1 segments spoken" in proc.stdout
    assert "1 built" in proc.stdout and "0 held" in proc.stdout
    entry = json.loads((tmp_path / "public" / "yomicast-manifest.json").read_text(encoding="utf-8"))[
        "episodes"
    ]["day"]
    assert entry["check"]["respoken"] == 1 and entry["check"]["flagged"] == []
    measured = measure(tmp_path / "public" / f"{entry['stem']}.mp3")
    assert measured.errors == "" and abs(measured.loudness + 16) < 1.0  # mastered again, not the old gain


def test_build_check_without_the_extra_fails_before_speaking(tmp_path, monkeypatch):
    import sys

    from typer.testing import CliRunner

    from yomicast.cli import app

    monkeypatch.setitem(sys.modules, "faster_whisper", None)
    show_folder(tmp_path, day=(DATA / "small-digest.txt").read_text(encoding="utf-8"))
    result = CliRunner().invoke(
        app, ["build", str(tmp_path / "show"), "-o", str(tmp_path / "out"), "--check"]
    )
    assert result.exit_code == 4
    assert "pip install 'yomicast[check]'" in result.stderr and not (tmp_path / "out").exists()
