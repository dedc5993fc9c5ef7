from __future__ import annotations

import datetime as dt

import pytest

from yomicast.article import read_article
from yomicast.errors import InputError

from .conftest import BAD_INPUTS, DATA

SAMPLE_HEADINGS = [
    "報告書の主な内容:違法な軍事協力の実態",
    "なぜ「違法」なのか?:国連安保理決議との関係",
    "報告書公開の意図:国際社会への警告と連携強化",
    "背景にある国際情勢:世界的な不安定化と勢力均衡の変化",
    "今後の展望:国際社会の対応が鍵",
]
FOOTER_BITS = ["AIがニュース", "以下の問い", "Gemini", "MSMT Report on", "を公開しました。このニュース"]


def test_sample_title_headings_and_source(sample):
    art = read_article(sample)
    assert art.title == "米国務省、北朝鮮とロシアの違法な軍事協力に関する報告書を公開:その内容と背景"
    assert [s.heading for s in art.sections] == [None, *SAMPLE_HEADINGS]
    assert art.sections[0].text.startswith("2025年7月17日、米国務省は")
    src = art.source
    assert src.publisher == "U.S. Department of State"
    assert src.published == dt.datetime(2025, 7, 17, 20, 12)
    assert src.published_iso() == "2025-07-17T20:12"
    assert src.title == "MSMT Report on Unlawful North Korea-Russia Military Cooperation"
    assert src.generator == "Google Gemini"


def test_sample_footer_never_in_a_section(sample):
    art = read_article(sample)
    for section in art.sections:
        for bit in FOOTER_BITS:
            assert bit not in section.text
            assert bit not in (section.heading or "")


def test_sample_bullets_stay_in_their_section(sample):
    art = read_article(sample)
    first = art.sections[1]
    bullets = [b for b in first.blocks if b.startswith("- ")]
    assert len(bullets) == 3
    assert bullets[0].startswith("- 北朝鮮からロシアへの武器供与:")
    assert art.sections[-1].text.endswith("鍵となるはずです。")


@pytest.mark.parametrize(
    "twin",
    ["small-digest.sjis.txt", "small-digest.eucjp.txt", "small-digest.utf16.txt", "small-digest.bom.txt"],
)
def test_encoded_twins_give_the_same_article(twin):
    utf8 = read_article(DATA / "small-digest.txt")
    other = read_article(DATA / twin)
    assert (other.title, other.sections, other.source) == (utf8.title, utf8.sections, utf8.source)


def test_sample_in_shift_jis_equals_utf8(sample, tmp_path):
    sjis = tmp_path / "sjis.txt"
    sjis.write_bytes(sample.read_text(encoding="utf-8").encode("cp932"))
    a, b = read_article(sample), read_article(sjis)
    assert (a.title, a.sections, a.source) == (b.title, b.sections, b.source)


def test_small_digest_structure():
    art = read_article(DATA / "small-digest.txt")
    assert art.title == "気象庁、今年の桜の開花予想を発表"
    assert [s.heading for s in art.sections] == [None, "開花予想のポイント", "今後の見通し"]
    assert art.source.publisher == "Japan Meteorological Agency"
    assert art.source.published == dt.datetime(2025, 3, 1, 9, 0)
    assert art.source.title == "Cherry Blossom Forecast 2025"


def test_markdown_front_matter_headings_and_inline_markup():
    art = read_article(DATA / "markdown-article.md")
    assert art.title == "東京都、新しい子育て支援策を発表"  # front matter wins over the # heading
    assert [s.heading for s in art.sections] == [None, "支援策の中身", "今後の予定"]
    lead = art.sections[0].text
    assert "**" not in lead and "<span>" not in lead and "](" not in lead
    assert "東京都は3月1日、新しい子育て支援策を発表しました。対象は約1,000世帯です。" in lead
    middle = art.sections[1]
    assert "- 保育料の補助: 第2子から無料になります。" in middle.blocks
    assert "申し込み方法" in middle.blocks  # ### folds into its ## parent
    assert "1. 4月に説明会を開きます。" in art.sections[2].blocks
    assert "コードは読まれません" not in art.sections[2].text
    src = art.source
    assert src.url == "https://www.example.org/news/2025/childcare"
    assert src.published == dt.datetime(2025, 3, 1, 10, 30)
    assert src.title == "Tokyo announces new childcare support"
    assert art.description == "東京都が発表した子育て支援策の要点をまとめました。"


def test_plain_text_without_headings_is_one_section():
    art = read_article(DATA / "no-headings.txt")
    assert art.title == "今日の天気"
    assert len(art.sections) == 1 and art.sections[0].heading is None
    assert "北風が強まり" in art.sections[0].text


def test_title_from_file_name_when_first_line_is_a_sentence():
    art = read_article(DATA / "one-paragraph.txt")
    assert art.title == "one paragraph"
    assert art.sections[0].text.startswith("今日は全国的に晴れる")


@pytest.mark.parametrize(("name", "words"), BAD_INPUTS)
def test_bad_input_raises_input_error(name, words):
    with pytest.raises(InputError, match=words):
        read_article(DATA / name)


def test_missing_file(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        read_article(tmp_path / "nope.txt")
