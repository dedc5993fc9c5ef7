"""Generated hostile input (Hypothesis): pages, feeds, fetch states and build manifests as the web or a
careless hand might make them. Each either gives a value or one FetchError/InputError: never a traceback,
never a link that runs, never a non-http(s) entry."""

from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from yomicast.errors import ConfigError, FetchError, InputError
from yomicast.fetch.extract import extract_page
from yomicast.fetch.feeds import parse_feed
from yomicast.fetch.state import STATE_NAME, State

TAGS = [
    "div",
    "p",
    "h1",
    "h2",
    "h3",
    "ul",
    "li",
    "article",
    "section",
    "aside",
    "nav",
    "span",
    "a",
    "script",
    "time",
]
CLASSES = ["", "related", "share", "article-body", "ranking", "main", "honbun", "sns", "comment", "x"]
WORDS = st.sampled_from(
    [
        "本文です。",
        "関連記事",
        "続きは会員登録",
        "2026年12月1日",
        "©2026",
        "javascript:alert(1)",
        "&amp;",
        "　",
        "\n",
        "見出し",
    ]
)


@st.composite
def html_trees(draw, depth: int = 0) -> str:
    tag = draw(st.sampled_from(TAGS))
    klass = draw(st.sampled_from(CLASSES))
    attrs = f' class="{klass}"' if klass else ""
    if tag == "a":
        attrs += f' href="{draw(st.sampled_from(["javascript:alert(1)", "data:text/html,x", "/a", "http://x.test/"]))}"'
    if tag == "time":
        attrs += (
            f' datetime="{draw(st.sampled_from(["2026-12-01T10:00:00+09:00", "garbage", "0000-00-00", ""]))}"'
        )
    children = []
    if depth < 4:
        children = draw(st.lists(st.one_of(WORDS, html_trees(depth + 1)), max_size=4))
    else:
        children = draw(st.lists(WORDS, max_size=3))
    return f"<{tag}{attrs}>{''.join(children)}</{tag}>"


@st.composite
def pages(draw) -> str:
    head = draw(
        st.sampled_from(
            [
                "",
                "<title>記事 | サイト</title>",
                '<meta property="og:site_name" content="127.0.0.1">',
                '<script type="application/ld+json">{"@type":"NewsArticle","headline":[1,{"a":2}],'
                '"datePublished":99,"publisher":{"name":["x"]},"author":[{"name":null}]}</script>',
                '<script type="application/ld+json">[[[[{"@graph":"x"}]]]]</script>',
                '<script type="application/ld+json">{not json</script>',
            ]
        )
    )
    body = "".join(draw(st.lists(html_trees(), min_size=0, max_size=4)))
    return f"<html><head>{head}</head><body>{body}</body></html>"


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(pages())
def test_any_page_gives_an_article_or_one_fetch_error(html):
    try:
        page = extract_page(html, "http://x.test/a", min_chars=0)
    except FetchError as exc:
        assert str(exc).startswith("http://x.test/a: ") and "\n" not in str(exc)
        return
    assert "<script" not in page.body and "href" not in page.body
    assert page.publisher != "127.0.0.1"
    assert page.published is None or page.published.tzinfo is not None
    assert all(not line.startswith("#") or line.startswith("## ") for line in page.body.splitlines())


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=2000))
def test_any_bytes_as_a_feed_give_entries_or_one_fetch_error(body):
    try:
        feed = parse_feed(body, "http://x.test/feed")
    except FetchError:
        return
    assert all(e.link.startswith(("http://", "https://")) for e in feed.entries)


ENTRY_LINKS = st.sampled_from(["javascript:alert(1)", "file:///etc/passwd", "http://x.test/1", "data:,x", ""])


@settings(max_examples=100, deadline=None)
@given(st.lists(ENTRY_LINKS, max_size=5))
def test_feed_entries_keep_only_http_links(links):
    items = "".join(f"<item><title>t{n}</title><link>{link}</link></item>" for n, link in enumerate(links))
    body = (
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>x</title>{items}</channel></rss>'.encode()
    )
    feed = parse_feed(body, "http://x.test/feed")
    assert [e.link for e in feed.entries] == [link for link in links if link.startswith("http")]


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=5),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=12,
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(JSON)
def test_a_tampered_fetch_state_loads_or_is_one_clean_error(tmp_path, doc):
    (tmp_path / STATE_NAME).write_text(json.dumps({"version": 1, "articles": doc}), encoding="utf-8")
    try:
        state = State.load(tmp_path)
    except InputError as exc:
        assert "the fetch state is damaged" in str(exc)
        return
    assert all(isinstance(k.file, str) for k in state.articles.values())


NAMES = st.sampled_from(["ep", "../x", "a/b", ".hidden", "", "ok.mp3", "\x00", "x" * 300, "日本語"])
FIELD_VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-5, 5),
    NAMES,
    st.lists(NAMES, max_size=2),
    st.dictionaries(NAMES, st.one_of(st.integers(-1, 9), NAMES), max_size=2),
)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.dictionaries(
        st.sampled_from(
            [
                "guid",
                "number",
                "slug",
                "stem",
                "files",
                "digests",
                "voices",
                "voice_credits",
                "published",
                "article",
                "title",
                "duration",
            ]
        ),
        FIELD_VALUES,
    )
)
def test_a_tampered_manifest_entry_loads_only_when_every_name_stays_in_the_folder(tmp_path, fields):
    from yomicast.show.manifest import MANIFEST, MANIFEST_VERSION, Manifest

    entry = {
        "guid": "g", "number": 1, "first_built": "2026-01-01T00:00:00+00:00",
        "published": "2026-01-01T00:00:00+00:00", "updated": "2026-01-01T00:00:00+00:00",
        "fingerprint": "f", "slug": "ep", "title": "t", "description": "d", "content_html": "c",
        "duration": 1, "link": None, "files": {"ep.mp3": 1},
    }  # fmt: skip
    entry.update(fields)
    slug = entry["slug"] if isinstance(entry["slug"], str) else "ep"
    doc = {"version": MANIFEST_VERSION, "episodes": {slug: entry}}
    (tmp_path / MANIFEST).write_text(json.dumps(doc), encoding="utf-8")
    try:
        manifest = Manifest.load(tmp_path / MANIFEST)
    except (InputError, ConfigError) as exc:
        assert "manifest" in str(exc) and "\n" not in str(exc)
        return
    for e in manifest.episodes.values():
        for name in (e.slug, e.stem, *e.files, *e.digests):
            if name:
                assert "/" not in name and not name.startswith(".") and "\x00" not in name
