"""Generated hostile input (Hypothesis), the other half: front matter, file names in the show folder and
a voice server's answers. Each gives a value or one YomicastError line: never a traceback, never a
non-http(s) link, never a file touched outside the output, and after a failed build the published
folder is byte-identical."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from yomicast.errors import ConfigError, EngineError, InputError, YomicastError

from ..conftest import DATA, ROOT
from ..http_server import Answer
from ..voicevox_server import FakeVoicevox, wav_tone

# -- front matter ------------------------------------------------------------------------------------

KEYS = st.sampled_from(
    ["title", "source", "publisher", "published", "author", "description", "url", "link", "tags", "x"]
)
VALUES = st.sampled_from(
    [
        "外務省の発表",
        "'引用された 値'",
        '"二重引用: 値"',
        "2026-12-01",
        "2026-13-45",
        "2026-12-01T09:00:00+09:00",
        "12:30:00",
        "0x1F",
        "1e309",
        "-.inf",
        ".nan",
        "~",
        "null",
        "yes",
        "[a, b, [c, [d]]]",
        "{a: 1, b: {c: 2}}",
        "&anchor 値",
        "*anchor",
        "!!python/object/apply:os.system ['echo pwned']",
        "!!binary aGVsbG8=",
        "!!timestamp 2001-12-14",
        "!custom tag",
        "javascript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "http://127.0.0.1/a",
        "https://example.test/記事",
        "<script>alert(1)</script>",
        "|\n  一行目\n  二行目",
        ">\n  折り畳み",
        "'unterminated",
        "[unclosed",
        "\t タブ",
        "x" * 2500,
        "\u202e逆向き\u202c",
        "\x00",
    ]
)
LINES = st.one_of(
    st.tuples(KEYS, VALUES).map(lambda kv: f"{kv[0]}: {kv[1]}"),
    st.sampled_from(["- item", "? complex key", ": value", "---", "...", "%YAML 1.1", "  indented: 1", ""]),
)
BODIES = st.sampled_from(
    [
        "# 見出し\n\n本文の一文です。\n",
        "本文だけです。\n",
        "",
        "[リンク](javascript:alert(1)) と本文。\n",
        "## 見出しだけ\n",
    ]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(LINES, max_size=8), st.booleans(), BODIES)
def test_any_front_matter_gives_an_article_or_one_input_error(lines, closed, body):
    from yomicast.article.markdown import parse_markdown

    text = "---\n" + "\n".join(lines) + ("\n---\n" if closed else "\n") + body
    try:
        article = parse_markdown(text, name="a.md")
    except InputError as exc:
        message = str(exc)
        assert message.startswith("a.md") and "\n" not in message, message
        return
    assert article.title and isinstance(article.title, str)
    url = article.source.url
    assert url is None or url.startswith(("http://", "https://")), url
    for value in (article.title, article.source.title, article.source.publisher, article.source.author):
        assert value is None or isinstance(value, str)


# -- file names ---------------------------------------------------------------------------------------

# any name the file system takes: bytes that are not UTF-8, controls, spaces, dots, right-to-left marks
NAME_BYTES = st.binary(min_size=1, max_size=40).filter(lambda b: b"/" not in b and b"\x00" not in b)
SUFFIXES = st.sampled_from([b".txt", b".md", b".TXT", b".markdown", b"", b".txt.bak", b".mp3"])


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(NAME_BYTES, SUFFIXES)
def test_any_file_name_in_the_show_folder_builds_or_leaves_the_show_whole(tmp_path_factory, stem, suffix):
    from yomicast.show.build import build_show
    from yomicast.speech.cache import SegmentCache
    from yomicast.speech.engines.fake import FakeEngine

    root = tmp_path_factory.mktemp("names")
    folder, out, beside = root / "show", root / "public", root / "beside"
    folder.mkdir()
    beside.mkdir()
    (beside / "keep.txt").write_text("外の本文です。", encoding="utf-8")
    shutil.copyfile(ROOT / "episodes" / "show.toml", folder / "show.toml")
    shutil.copyfile(DATA / "small-digest.txt", folder / "small-digest.txt")
    cache = SegmentCache(root / "cache")
    build_show(folder, out, base_url="https://example.test/show/", cache=cache, engine=FakeEngine())
    published, outside = snapshot(out), snapshot(beside)

    name = stem + suffix
    if name in (b".", b".."):
        return
    path = os.path.join(os.fsencode(folder), name)
    if os.path.lexists(path):
        return
    with open(path, "wb") as f:
        f.write((DATA / "one-paragraph.txt").read_bytes())
    try:
        report = build_show(
            folder, out, base_url="https://example.test/show/", cache=cache, engine=FakeEngine()
        )
    except YomicastError as exc:
        assert "\n" not in str(exc), str(exc)
        assert snapshot(out) == published  # a failed build leaves the old show whole
    else:
        for p in out.rglob("*"):
            rel = p.relative_to(out).as_posix()
            rel.encode("utf-8")  # every published name is text a URL can carry
            assert not any(ord(c) < 32 for c in rel), rel
        assert report is not None
    assert snapshot(beside) == outside
    assert {p.name for p in root.iterdir()} <= {"show", "public", "beside", "cache"}


# -- a voice server's answers -------------------------------------------------------------------------

GOOD = wav_tone(0.5, 220)
BODIES_OF_WAV = st.one_of(
    st.binary(max_size=300),
    st.integers(0, len(GOOD)).map(lambda n: GOOD[:n]),
    st.tuples(st.integers(20, 40), st.binary(min_size=1, max_size=4)).map(
        lambda cut: GOOD[: cut[0]] + cut[1] + GOOD[cut[0] + len(cut[1]) :]  # a header field overwritten
    ),
    st.just(GOOD),
)
JSON_BODIES = st.one_of(
    st.sampled_from([b"{}", b"[]", b"null", b'"x"', b"1e999", b'{"accent_phrases": 5}', b"{not json"]),
    st.binary(max_size=80),
)
ANSWERS = st.one_of(
    st.tuples(st.just("/synthesis"), st.sampled_from([200, 200, 404, 422, 500, 503]), BODIES_OF_WAV),
    st.tuples(st.just("/audio_query"), st.sampled_from([200, 400, 500]), JSON_BODIES),
    st.tuples(st.just("/speakers"), st.sampled_from([200, 500]), JSON_BODIES),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(ANSWERS, min_size=1, max_size=3))
def test_any_voicevox_answer_gives_decodable_audio_or_one_engine_error(answers):
    from yomicast.audio.decode import to_episode_pcm
    from yomicast.speech.engines.voicevox import VoicevoxEngine

    with FakeVoicevox() as server:
        for path, status, body in answers:
            server.lies[path] = Answer(status, body, {"Content-Type": "application/octet-stream"})
        engine = VoicevoxEngine(server.url, voice=2, tries=2, backoff=0.0, timeout=5)
        try:
            audio = engine.synthesize("テストの一文です。")
            pcm = to_episode_pcm(audio)
        except (EngineError, ConfigError) as exc:  # ConfigError: the server offers no such speaker
            message = str(exc)
            assert "\n" not in message and message and not message.endswith(": "), message
            return
        finally:
            engine.close()
    assert pcm.size > 0 and np.isfinite(pcm).all()


# -- article text, end to end up to what the engine is given ----------------------------------------

JAPANESE = st.sampled_from(
    [
        *"あいうアイウ漢字新聞一二三〇０１２ＡＢ ー、。！？「」（）・…―〜％＄＃＆＊\n\t",
        *("2026年12月1日", "3.5%", "1,234億円", "GDP", "U-23", "5-3", "→", "①", "㈱", "\u200b", "\ufeff"),
        *(
            "\u202e",
            "\U0001f600",
            "e\u0301",
            "\x07",
            "\r\n",
            "- ",
            "# ",
            "## ",
            "---",
            "出典:",
            "http://x.test/",
        ),
    ]
)
TEXTS = st.lists(st.one_of(JAPANESE, st.text(max_size=5)), max_size=60).map("".join)


@settings(max_examples=300, deadline=None)
@given(TEXTS, st.sampled_from([".txt", ".md"]))
def test_any_text_reads_as_articles_or_one_input_error_and_speaks_clean_sentences(text, suffix):
    import tempfile

    from yomicast.article import read_articles
    from yomicast.reading import speech_text
    from yomicast.reading.sentences import split_sentences

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"a{suffix}"
        path.write_bytes(text.encode("utf-8", "surrogatepass"))
        try:
            articles = read_articles(path)
        except InputError as exc:
            assert str(exc).startswith(f"a{suffix}") and "\n" not in str(exc), str(exc)
            return
    for article in articles:
        for line in [article.title, *(b for s in article.sections for b in (s.heading, *s.blocks) if b)]:
            for sentence in split_sentences(speech_text(line)):
                assert sentence.strip() and not any(ord(c) < 32 for c in sentence), repr(sentence)
