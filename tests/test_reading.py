"""Speech text: one table per rewrite, then the whole sample checked with Open JTalk's own g2p."""

from __future__ import annotations

import re

import pytest

from yomicast import reading as r
from yomicast.article import read_article
from yomicast.reading import speech_text
from yomicast.show.config import Show
from yomicast.show.episode import script_for
from yomicast.speech.engines import create_engine

from .conftest import DATA

CASES = {
    r.normalize_width: [
        ("ＣＯ２と１２３", "CO2と123"),
        ("ｱｲｳｴｵ", "アイウエオ"),
        ("なのか?", "なのか？"),
        ("(共同)", "（共同）"),
    ],
    r.drop_urls: [
        ("詳細は https://example.com/a?b=1 を参照", "詳細は リンク を参照"),
        ("連絡は info@example.jp まで", "連絡は メールアドレス まで"),
        ("連絡はinfo@example.co.jpまで", "連絡はメールアドレスまで"),  # Japanese around it stays
        ("発表（https://www.mofa.go.jp/）した", "発表した"),
    ],
    r.drop_emoji: [
        ("速報😀です✨", "速報です"),
        ("■ 注目 ★", " 注目 "),
        ("気温は25℃", "気温は25℃"),
    ],
    r.read_bullets: [
        ("- 武器供与: 北朝鮮が供与した。", "武器供与。北朝鮮が供与した。"),
        ("- 項目その一", "項目その一。"),
        ("1. 説明会を開きます", "説明会を開きます。"),
    ],
    r.read_dates: [
        ("2025-07-17に", "2025年7月17日に"),
        ("2025/7/17", "2025年7月17日"),
        ("7/17の会合", "7月17日の会合"),
        ("2025年07月01日", "2025年7月1日"),
        ("1/2の確率は13/40", "2分の1の確率は40分の13"),  # shares, not the 2nd of January
    ],
    r.read_times: [
        ("20:12に", "20時12分に"),
        ("午前9:00", "午前9時"),
        ("2025年7月17日 20:12", "2025年7月17日、20時12分"),
        ("スコアは3:99", "スコアは3:99"),
    ],
    r.colons_to_pauses: [
        ("報告書の主な内容:違法な軍事協力の実態", "報告書の主な内容。違法な軍事協力の実態"),
        ("なぜ「違法」なのか？:国連", "なぜ「違法」なのか？国連"),
        ("20:12", "20:12"),
    ],
    r.read_ranges: [
        ("10〜12月", "10月から12月"),
        ("3～5人", "3から5人"),
        ("2024〜2025年", "2024年から2025年"),
    ],
    r.drop_thousands_separators: [
        ("3,200億円", "3200億円"),
        ("1,000人と12,345,678円", "1000人と12345678円"),
        ("1,2,3", "1,2,3"),
    ],
    r.read_currency_and_signs: [
        ("$100", "100ドル"),
        ("￥500", "500円"),
        ("€3.5億", "3.5億ユーロ"),
        ("気温は-5度", "気温はマイナス5度"),
        ("+3%", "プラス3%"),
    ],
    r.read_units: [
        ("5km", "5キロメートル"),
        ("12.5kg", "12.5キログラム"),
        ("3.5%", "3.5パーセント"),
        ("25°C", "25度"),
        ("100MB", "100メガバイト"),
        ("Tokyo", "Tokyo"),
    ],
    r.symbols_to_words: [
        ("A→B", "A、B"),
        ("【速報】", "「速報」"),
        ("研究開発&投資", "研究開発アンド投資"),
    ],
}


@pytest.mark.parametrize(
    ("rewrite", "given", "expected"),
    [(fn, g, e) for fn, rows in CASES.items() for g, e in rows],
    ids=lambda v: v.__name__ if callable(v) else None,
)
def test_rewrite_table(rewrite, given, expected):
    assert rewrite(given) == expected


@pytest.mark.parametrize(
    ("given", "expected"),
    [("MSMT", "エムエスエムティー"), ("CO2", "シーオーツー"), ("FCV", "エフシーブイ"), ("U.S.", "ユーエス")],
)
def test_acronyms_are_spoken_as_letters(given, expected):
    assert r.latin_to_katakana(given) == expected


def test_english_words_become_katakana_and_known_words_stay():
    # "Threads" is in no table and not in the lexicon: the engine that knows it reads it.
    out = r.latin_to_katakana("Unlawful Cooperation by Threads", known=lambda w: w == "Threads")
    assert not re.search(r"[A-Za-z]", out.replace("Threads", ""))
    assert "Threads" in out and "・" in out
    assert out.startswith("アンローフル・コーオペレーション・バイ")


def test_pronunciation_dictionary_runs_first_and_longest_wins():
    text = r.speech_text("東京都庁と東京", {"東京": "とうきょう", "東京都庁": "とうきょうとちょう"})
    assert text == "とうきょうとちょうととうきょう"


def test_speech_text_leaves_latin_for_engines_that_read_it():
    assert "Department of State" in r.speech_text("U.S. Department of State", latin=False)


def test_split_sentences_keeps_closing_brackets():
    assert r.split_sentences("「公開しました。」と述べた。次です！\n最後") == [
        "「公開しました。」",
        "と述べた。",
        "次です！",
        "最後",
    ]


# --- the sample, checked with Open JTalk's g2p -------------------------------------------------------------

LETTER_NAMES = sorted(set(r.LETTER_NAMES.values()), key=len, reverse=True)
LETTER_RUN = re.compile("(?:" + "|".join(LETTER_NAMES) + "){3,}")


@pytest.fixture(scope="module")
def sample_lines():
    from .conftest import SAMPLE

    engine = create_engine("openjtalk")
    script = script_for(read_article(SAMPLE), Show(), engine)
    return [(ln.text, ln.speech, engine.kana(ln.speech)) for ln in script.lines]


def test_no_english_word_is_spelled_letter_by_letter(sample_lines):
    for text, _speech, kana in sample_lines:
        allowed = [
            r.spell_acronym(a)
            for a in re.findall(r"(?:[A-Z]\.){2,}|(?<![A-Za-z])[A-Z]{2,6}\d*(?![A-Za-z])", text)
        ]
        for spelled in allowed:
            kana = kana.replace(spelled, "")
        assert not LETTER_RUN.search(kana), (text, kana)
        assert not re.search(r"[A-Za-z]", kana), (text, kana)


def test_every_date_in_the_sample_reads_as_year_month_day(sample_lines):
    dated = [(t, k) for t, _s, k in sample_lines if re.search(r"\d{4}[年/-]\d{1,2}[月/-]\d{1,2}", t)]
    assert len(dated) >= 2  # the lead and the spoken credit
    for text, kana in dated:
        assert re.search(r"ネン.{1,8}ガツ.{1,12}ニチ", kana), (text, kana)
        assert "ゼロ" not in kana


def test_the_sample_speech_has_no_symbols_an_engine_would_spell(sample_lines):
    engine = create_engine("openjtalk")
    for _text, speech, _kana in sample_lines:
        assert not re.search(r"https?://|[:：#*_|]", speech), speech
        # Latin words are left in the speech only where Open JTalk reads them as words by itself.
        for word in re.findall(r"[A-Za-z][A-Za-z.']*", speech):
            assert engine.knows_word(word), (word, speech)


def _newsreader_table(name: str = "readings.tsv") -> list[tuple[str, str, str]]:
    rows = []
    for line in (DATA / name).read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            cls, written, heard = line.split("\t")
            rows.append((cls, written, heard))
    return rows


NEWSREADER = _newsreader_table()
NEWS = _newsreader_table(
    "readings-news.tsv"
)  # the second table: news sentences, from the disagreement report


def test_the_newsreader_table_is_large_and_covers_every_class():
    classes = {cls for cls, _w, _h in NEWSREADER}
    assert len(NEWSREADER) >= 150
    assert {
        "names",
        "acronym-word",
        "acronym-spelled",
        "mixed-case",
        "fraction-date",
        "signs",
        "units",
    } <= classes
    assert {"counters"} <= classes


@pytest.fixture(scope="module")
def ojt():
    from yomicast.speech.engines.openjtalk import OpenJTalkEngine

    return OpenJTalkEngine()


@pytest.mark.parametrize(("cls", "written", "heard"), NEWSREADER, ids=[f"{c}:{w}" for c, w, _h in NEWSREADER])
def test_a_listener_hears_what_a_newsreader_would_say(ojt, cls, written, heard):
    """Open JTalk's own g2p of the speech text holds the reading a newsreader gives."""
    said = re.sub(r"[、。・ 　？！?!]", "", ojt.kana(speech_text(written, known=ojt.knows_word)))
    assert heard in said, f"{cls}: {written} → {said}"


def test_the_news_table_is_large_and_covers_every_class_of_the_issue():
    classes = {cls for cls, _w, _h in NEWS}
    assert len(NEWS) >= 100
    assert {
        "abbreviation", "lexicon", "unit", "first-of-month", "score", "batting", "arrow", "initials",
        "bracket-reading", "weekday-mark", "person-name",
    } <= classes  # fmt: skip
    assert not {w for _c, w, _h in NEWS} & {w for _c, w, _h in NEWSREADER}  # new sentences, not the old


@pytest.mark.parametrize(("cls", "written", "heard"), NEWS, ids=[f"{c}:{w}" for c, w, _h in NEWS])
def test_a_listener_hears_the_news_as_a_newsreader_reads_it(ojt, cls, written, heard):
    said = re.sub(r"[、。・ 　？！?!]", "", ojt.kana(speech_text(written, known=ojt.knows_word)))
    assert heard in said, f"{cls}: {written} → {said}"


@pytest.mark.parametrize("token", ["H5N1", "Qbpx", "XJ220", "QZ-7", "kWhx", "UNDRR"])
def test_an_unknown_name_is_spelled_never_guessed(token):
    """No rule or dictionary entry is confident about these: the letters are spelled, the digits read."""
    said = speech_text(token, known=lambda w: False)
    letters = [c for c in token if c.isalpha()]
    assert all(r.LETTER_NAMES[c.upper()] in said for c in letters), said


# Readings that depend on the words around them (reading/context.py), one table per rule.
from yomicast.reading import context as ctx  # noqa: E402


@pytest.mark.parametrize(
    ("written", "rewritten"),
    [
        ("新制度は1日から施行される。", "新制度はついたちから施行される。"),
        ("来月1日に発表する。", "来月ついたちに発表する。"),
        ("4月1日午前", "4月ついたち午前"),
        ("1日あたり300人", "1日あたり300人"),
        ("1日に1回飲む", "1日に1回飲む"),
        ("1日中雨だった", "1日中雨だった"),
        ("11日から", "11日から"),
        ("21日から", "21日から"),
        ("1日付で就任", "1日付で就任"),  # Open JTalk says ツイタチズケ by itself
    ],
)
def test_the_first_of_the_month(written, rewritten):
    assert ctx.read_first_of_month(written) == rewritten


@pytest.mark.parametrize(
    ("written", "rewritten"),
    [
        ("日本は2-0で勝利した。", "日本は2たい0で勝利した。"),
        ("3-2の逆転勝ち", "3たい2の逆転勝ち"),
        ("1-1の引き分け", "1たい1の引き分け"),
        ("前半を2-1とリードした", "前半を2たい1とリードした"),
        ("スコア4-3", "スコア4たい3"),
        ("3対1で勝った", "3たい1で勝った"),
        ("3-5人が参加", "3-5人が参加"),  # a range, not a score
        ("2025-07-17に", "2025-07-17に"),
        ("気温は-2度", "気温は-2度"),
    ],
)
def test_scores(written, rewritten):
    assert ctx.read_scores(written) == rewritten


@pytest.mark.parametrize(
    ("written", "rewritten"),
    [
        ("打率.285", "打率にわりはちぶごりん"),
        ("打率.300", "打率さんわり"),
        ("打率.305", "打率さんわりごりん"),
        ("打率0.250", "打率にわりごぶ"),
        ("出塁率.412", "出塁率よんわりいちぶにりん"),
        ("打率.000", "打率れい"),
        ("成長率.285", "成長率.285"),  # not a batting figure
    ],
)
def test_batting_averages(written, rewritten):
    assert ctx.read_batting_averages(written) == rewritten


@pytest.mark.parametrize(
    ("written", "rewritten"),
    [
        ("3%→5%", "3%から5%"),
        ("100円→120円", "100円から120円"),
        ("2位→1位", "2位から1位"),
        ("東京→大阪", "東京から大阪"),
        ("→詳しくは", "→詳しくは"),  # an arrow that leads nothing from anything is left to the marks
    ],
)
def test_arrows(written, rewritten):
    assert ctx.read_arrows(written) == rewritten


@pytest.mark.parametrize(
    ("written", "rewritten"),
    [
        ("日・中の首脳", "日中の首脳"),
        ("日・米・韓の3か国", "日米韓の3か国"),
        ("米・露首脳会談", "米露首脳会談"),
        ("日・中両国", "日中両国"),
        ("月・水・金に営業", "月・水・金に営業"),  # weekdays, not countries
        ("東京・中央区", "東京・中央区"),
    ],
)
def test_country_initials(written, rewritten):
    assert ctx.join_country_initials(written) == rewritten


@pytest.mark.parametrize(
    ("written", "rewritten"),
    [
        ("11月3日（月・祝）に開催", "11月3日、月曜日・祝日に開催"),
        ("5月3日（土・日）", "5月3日、土曜日・日曜日"),
        ("12月24日（火）の夜", "12月24日、火曜日の夜"),
        ("7日(金)から", "7日、金曜日から"),
        ("1月13日（月・休）", "1月13日、月曜日・休日"),
        ("（注）", "（注）"),
    ],
)
def test_weekday_and_holiday_marks(written, rewritten):
    assert ctx.read_weekday_marks(written) == rewritten


@pytest.mark.parametrize(
    ("written", "rewritten"),
    [
        ("羽生結弦（はにゅう・ゆづる）選手", "はにゅうゆづる選手"),
        ("日本代表の久保建英（くぼ・たけふさ）が", "日本代表のくぼたけふさが"),
        ("日本代表久保建英（くぼ・たけふさ）が", "日本代表くぼたけふさが"),
        ("稀有（けう）な例", "けうな例"),
        ("東京（とうきょうとちょうのある所）", "東京（とうきょうとちょうのある所）"),  # not a reading
        ("大臣（だいじん）", "だいじん"),
    ],
)
def test_a_reading_given_in_brackets(written, rewritten):
    assert ctx.read_bracketed_readings(written) == rewritten


@pytest.mark.parametrize(
    ("token", "reading"),
    [("Netflix", "ネットフリックス"), ("UEFA", "ウエファ"), ("Hulu", "フールー"), ("nm", "ナノメートル")],
)
def test_the_lexicon_knows_names_the_tables_do_not(token, reading):
    from yomicast.reading.lexicon import lexicon_reading

    assert lexicon_reading(token) == reading


@pytest.mark.parametrize(
    ("token", "lexicon", "curated"),
    [
        ("GK", "ジーケー", "ゴールキーパー"),  # the lexicon spells it; broadcasters say the word
        ("vs", "ブイエス", "たい"),
        ("GW", "ジーダブリュー", "ゴールデンウィーク"),
    ],
)
def test_the_curated_table_wins_over_the_lexicon(token, lexicon, curated):
    from yomicast.reading.lexicon import lexicon_reading

    assert lexicon_reading(token) == lexicon
    assert r.latin_to_katakana(token) == curated


@pytest.mark.parametrize("token", ["500", "G7", "Tesla", "X", "Threads", "Mei"])
def test_the_lexicon_gives_no_answer_where_it_has_no_real_entry(token):
    from yomicast.reading.lexicon import lexicon_reading

    reading = lexicon_reading(token)
    assert reading is None or token == "Mei"  # Mei: an entry that only spells; latin.py refuses it
    if token == "Mei":
        assert r.latin_to_katakana(token) != r.spell_acronym("MEI")
