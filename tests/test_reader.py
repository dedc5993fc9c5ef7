"""The article reader accounts for every line: nothing a writer wrote is lost without a word."""

from __future__ import annotations

import json
import shutil
import unicodedata
from pathlib import Path

import feedparser
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from yomicast.article import parse_digests, parse_markdown, read_article, read_articles
from yomicast.article.encoding import decode_bytes
from yomicast.cli import app
from yomicast.errors import ConfigError, InputError
from yomicast.show.build import build_show
from yomicast.show.config import load_show
from yomicast.speech.cache import SegmentCache
from yomicast.speech.engines.fake import FakeEngine

from .conftest import DATA, ROOT, published_file

runner = CliRunner()
DIGEST = (DATA / "small-digest.txt").read_text(encoding="utf-8")
SECOND = """日銀、金融政策の現状維持を決定
日銀は3月19日、金融政策決定会合で現状維持を決めました。
市場の反応
株価は小幅に上昇しました。
Monetary Policy Statement
AIがニュースをお伝えしました。
以下の問いでGoogle Geminiから回答をえています。
Bank of Japanが2025-03-19 12:00に『Monetary Policy Statement』を公開しました。このニュースを関連情報を含めて優しい文章で詳細な記事を書いてください。返答は日本語で記事だけにしてください。
"""


def words(text: str) -> str:
    """Only the letters and digits: what a listener could hear."""
    return "".join(c for c in unicodedata.normalize("NFC", text) if unicodedata.category(c)[0] in "LN")


def spoken_words(article) -> str:
    return words("".join((s.heading or "") + s.text for s in article.sections))


# ---------------------------------------------------------------------------------------------------------
# Several digests in one file


def test_every_digest_in_a_file_is_an_article_with_its_own_source(tmp_path):
    path = tmp_path / "today.txt"
    path.write_text(DIGEST + "\n" + SECOND, encoding="utf-8")
    first, second = read_articles(path)
    assert first.source.publisher == "Japan Meteorological Agency"
    assert second.source.publisher == "Bank of Japan" and second.source.title == "Monetary Policy Statement"
    assert second.title == "日銀、金融政策の現状維持を決定"
    assert [s.heading for s in second.sections] == [None, "市場の反応"]
    assert (first.slug, second.slug) == ("today", "today-2")
    assert not first.notes and not second.notes
    with pytest.raises(InputError, match="holds 2 digests"):
        read_article(path)


def test_text_after_the_last_footer_is_read_with_a_warning(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text(DIGEST + "\n追記:開花の発表は気象庁のサイトで確認できます。\n", encoding="utf-8")
    (article,) = read_articles(path)
    assert "気象庁のサイトで確認できます" in article.sections[-1].text
    assert article.warnings() == ["line 13: text after the last footer, read as part of the article"]
    result = runner.invoke(app, ["sections", str(path)])
    assert result.exit_code == 0
    assert (
        result.stderr.strip()
        == "yomicast: warning: a.txt: line 13: text after the last footer, read as part of the article"
    )


def test_build_makes_an_episode_of_each_digest_and_keeps_slugs_stable(tmp_path):
    folder = tmp_path / "show"
    folder.mkdir()
    shutil.copyfile(ROOT / "episodes" / "show.toml", folder / "show.toml")
    day = folder / "day.txt"
    day.write_text(DIGEST, encoding="utf-8")
    out, cache = tmp_path / "public", SegmentCache(tmp_path / "cache")

    def build():
        return build_show(folder, out, base_url="https://example.org/", cache=cache, engine=FakeEngine())

    assert build().built == ["day.txt"]
    guid = json.loads((out / "yomicast-manifest.json").read_text(encoding="utf-8"))["episodes"]["day"]["guid"]
    first_mp3 = published_file(out, "day").read_bytes()
    day.write_text(DIGEST + "\n" + SECOND, encoding="utf-8")
    report = build()
    assert report.built == ["day.txt (2/2)"] and report.unchanged == ["day.txt (1/2)"]
    assert published_file(out, "day").read_bytes() == first_mp3
    manifest = json.loads((out / "yomicast-manifest.json").read_text(encoding="utf-8"))["episodes"]
    assert manifest["day"]["guid"] == guid and manifest["day-2"]["article"] == "day.txt"
    feed = feedparser.parse((out / "feed.xml").read_bytes())
    assert sorted(e.title for e in feed.entries) == sorted(
        ["気象庁、今年の桜の開花予想を発表", "日銀、金融政策の現状維持を決定"]
    )


def test_episode_writes_one_mp3_per_digest(tmp_path):
    path = tmp_path / "two.txt"
    path.write_text(DIGEST + "\n" + SECOND, encoding="utf-8")
    result = runner.invoke(
        app,
        [
            "episode",
            str(path),
            "-o",
            str(tmp_path / "n.mp3"),
            "--engine",
            "fake",
            "--cache-dir",
            str(tmp_path / "c"),
        ],
    )
    assert result.exit_code == 0, result.output
    assert (tmp_path / "n.mp3").stat().st_size > 10_000 and (tmp_path / "n-2.mp3").stat().st_size > 10_000


# ---------------------------------------------------------------------------------------------------------
# What is not read aloud is said


MARKDOWN = """---
title: 記事
---

本文の段落です。![グラフ](chart.png)

```
print("code")
```

[参考]: https://example.org/ref

## 見出し

続きの本文です。
"""


def test_markdown_skips_are_reported_by_line_and_kind(tmp_path):
    path = tmp_path / "m.md"
    path.write_text(MARKDOWN, encoding="utf-8")
    article = read_article(path)
    assert [(n.line, n.reason) for n in article.skipped] == [
        (5, "image"),
        (8, "code block"),
        (11, "link definition"),
    ]
    assert article.warnings() == [
        "line 5: image, not read aloud",
        "line 8: code block, not read aloud",
        "line 11: link definition, not read aloud",
    ]
    result = runner.invoke(app, ["sections", str(path), "--json", "--engine", "fake"])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert [s["line"] for s in doc["skipped"]] == [5, 8, 11] and doc["skipped"][1]["text"] == 'print("code")'
    assert len([ln for ln in result.stderr.splitlines() if ln.startswith("yomicast: warning: m.md: ")]) == 3


# ---------------------------------------------------------------------------------------------------------
# Invisible characters and binary files


def test_invisible_characters_never_reach_title_speech_or_feed(tmp_path):
    folder = tmp_path / "show"
    folder.mkdir()
    shutil.copyfile(ROOT / "episodes" / "show.toml", folder / "show.toml")
    dirty = DIGEST.replace("気象庁、", "気象\u200b庁、\u2060", 1).replace(
        "開花予想のポイント", "開花\u200d予想の\x07ポイント"
    )
    dirty = dirty.replace("東京の開花", "東京\x0bの\x0c開花")
    (folder / "z.txt").write_text(dirty, encoding="utf-8")
    article = read_article(folder / "z.txt")
    assert article.title == "気象庁、今年の桜の開花予想を発表"
    assert article.sections[1].heading == "開花予想のポイント"
    assert "東京の開花" in article.sections[0].text
    out = tmp_path / "public"
    report = build_show(
        folder, out, base_url="https://example.org/", cache=SegmentCache(tmp_path / "c"), engine=FakeEngine()
    )
    assert report.built == ["z.txt"] and not report.failed
    from mutagen.id3 import ID3

    assert str(ID3(published_file(out, "z"))["TIT2"]) == "気象庁、今年の桜の開花予想を発表"
    assert "\u200b" not in (out / "feed.xml").read_text(encoding="utf-8")


def test_binary_is_only_what_really_is():
    assert decode_bytes("見出し\x07と本文\x0bです。\n".encode(), "a.txt") == "見出しと本文です。\n"
    with pytest.raises(InputError, match="binary"):
        decode_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "a.txt")
    with pytest.raises(InputError, match="binary"):
        decode_bytes(bytes(range(1, 32)) * 20, "a.txt")


# ---------------------------------------------------------------------------------------------------------
# Size


def test_an_article_over_the_limit_is_one_clean_line_naming_the_setting(tmp_path):
    (tmp_path / "show.toml").write_text("[limits]\narticle_mb = 0.001\n", encoding="utf-8")
    shutil.copyfile(DATA / "small-digest.txt", tmp_path / "a.txt")
    (tmp_path / "a.txt").write_text(DIGEST * 3, encoding="utf-8")
    result = runner.invoke(app, ["sections", str(tmp_path / "a.txt")])
    size = (tmp_path / "a.txt").stat().st_size / 1_000_000
    assert result.exit_code == 2
    assert result.stderr.strip().splitlines() == [
        f"yomicast: error: a.txt: {size:.3g} MB is over the 0.001 MB limit for one article; split it, or raise [limits] "
        "article_mb in show.toml"
    ]


def test_a_two_megabyte_article_is_read(tmp_path):
    body = "".join(f"第{n}段落では、調査の結果として{n}件の事例が報告されました。\n" for n in range(22_000))
    path = tmp_path / "big.txt"
    path.write_text("大きな記事\n" + body, encoding="utf-8")
    assert 1_900_000 < path.stat().st_size < 2_600_000
    (article,) = read_articles(path)
    assert len(article.sections) == 1 and article.sections[0].text.count("\n") == 21_999


# ---------------------------------------------------------------------------------------------------------
# Property tests: any mixture of parts is read without a traceback, and every line is accounted for


INVISIBLE = "\u200b\u200d\u2060\ufeff\x07\x0b\x0c"
jp_text = st.text(
    alphabet=st.sampled_from("今日のニュース東京都政府発表しました経済円ドル半角ｶﾀｶﾅ😀ABCabc0123、。「」・ー")
    | st.sampled_from(INVISIBLE),
    min_size=1,
    max_size=40,
)
sentence = jp_text.map(lambda t: t + "。")
heading = st.tuples(jp_text, st.sampled_from(["", "?", ":補足", "?:続き"])).map(lambda t: t[0] + t[1])
bullet = jp_text.map(lambda t: "- " + t)
long_line = st.integers(1000, 10_000).map(lambda n: "長" * n + "。")
FOOTER = [
    "Monthly Report",
    "AIがニュースをお伝えしました。",
    "以下の問いでGoogle Geminiから回答をえています。",
    "Example Agencyが2025-04-01 09:00に『Monthly Report』を公開しました。記事を書いてください。",
]
part = st.one_of(
    sentence,
    heading,
    bullet,
    st.just(""),
    long_line,
    st.just("\n".join(FOOTER)),
    st.sampled_from(["   ", "\t"]),
)
digest_text = st.tuples(jp_text, st.lists(part, min_size=1, max_size=25)).map(
    lambda t: "\n".join([t[0], *t[1]])
)
newline = st.sampled_from(["\n", "\r\n"])


def check_accounting(text: str, articles) -> None:
    """Every line with words is accounted for; a line said to be spoken is in a section, in full."""
    lines = text.replace("\r\n", "\n").split("\n")
    fates: dict[int, str] = {}
    for article in articles:
        for n, fate in article.fates:
            assert n not in fates, f"line {n} accounted twice"
            fates[n] = fate
        said = spoken_words(article)
        for n, fate in article.fates:
            if fate == "spoken":
                assert words(lines[n - 1]) in said, (n, lines[n - 1])
            if fate == "skipped":
                assert any(note.line == n for note in article.skipped)
    for n, line in enumerate(lines, 1):
        clean = "".join(c for c in line if unicodedata.category(c) not in ("Cc", "Cf"))
        if words(clean):
            assert n in fates, f"line {n} lost: {line!r}"


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=digest_text, nl=newline, bom=st.booleans())
def test_any_digest_is_read_and_every_line_accounted_for(text, nl, bom):
    raw = ("\ufeff" if bom else "") + text.replace("\n", nl)
    try:
        clean = decode_bytes(raw.encode("utf-8"), "fuzz.txt")
        articles = parse_digests(clean, "fuzz.txt")
    except InputError:
        return  # empty, footer only, nothing speakable: one clean line, tested elsewhere
    check_accounting(clean, articles)
    assert parse_digests(clean, "fuzz.txt") == articles  # the same file twice, the same result
    for article in articles:
        for s in article.sections:
            assert not any(c in INVISIBLE for c in (s.heading or "") + s.text + article.title)


markdown_part = st.one_of(
    sentence,
    heading.map(lambda h: "## " + h),
    heading.map(lambda h: "### " + h),
    bullet,
    st.just(""),
    jp_text.map(lambda t: f"```\n{t}\n```"),
)
markdown_text = st.tuples(st.booleans(), jp_text, st.lists(markdown_part, min_size=1, max_size=15)).map(
    lambda t: (
        ("---\ntitle: 題名\npublisher: 発行元\n---\n" if t[0] else "") + "\n\n".join([f"# {t[1]}", *t[2]])
    )
)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=markdown_text)
def test_any_markdown_is_read_and_every_line_accounted_for(text):
    try:
        clean = decode_bytes(text.encode("utf-8"), "fuzz.md")
        article = parse_markdown(clean, "fuzz.md")
    except InputError:
        return
    check_accounting(clean, [article])
    assert parse_markdown(clean, "fuzz.md") == article


toml_value = st.one_of(
    st.integers(-(10**6), 10**6).map(str),
    st.floats(allow_nan=False, allow_infinity=False).map(repr),
    st.booleans().map(lambda b: str(b).lower()),
    st.text(max_size=20).map(json.dumps),
    st.just("[1, 2]"),
    st.just("{ a = 1 }"),
    st.text(max_size=10),
)
toml_key = st.sampled_from(
    [
        "title",
        "explicit",
        "bitrate",
        "loudness",
        "cover",
        "name",
        "speed",
        "article_mb",
        "intro",
        "category",
        "x",
    ]
)
toml_table = st.sampled_from(["show", "engine", "audio", "templates", "limits", "pronunciations", "other"])
show_toml = st.lists(st.tuples(toml_table, toml_key, toml_value), max_size=6).map(
    lambda rows: "\n".join(f"[{t}]\n{k} = {v}" for t, k, v in rows)
)


@settings(max_examples=200, deadline=None)
@given(text=show_toml | st.text(max_size=80))
def test_any_show_toml_loads_or_is_one_clean_config_error(tmp_path_factory, text):
    path = tmp_path_factory.mktemp("toml") / "show.toml"
    path.write_text(text, encoding="utf-8")
    try:
        load_show(path)
    except ConfigError as exc:
        assert str(exc).startswith(f"{path}: ")  # names the file; the CLI prints it as one line


def test_the_sample_accounts_for_every_line():
    path = Path(__file__).resolve().parents[1] / "episodes" / "msmt-report.txt"
    text = path.read_text(encoding="utf-8")
    articles = read_articles(path)
    check_accounting(text, articles)
    assert {f for _n, f in articles[0].fates} == {"title", "spoken", "metadata"}
