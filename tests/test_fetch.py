"""yomicast fetch and update against a local news site on 127.0.0.1 (tests/web_server.py): pages that look
like real Japanese news pages (menus, breadcrumbs, share buttons, related stories, rankings, footers), one
in Shift_JIS, RSS 1.0, RSS 2.0 and Atom feeds, ETag/304, a redirect, 429 with Retry-After, 410, robots.txt
and a teaser. Nothing is sent anywhere but 127.0.0.1."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import frontmatter
import pytest

from tests.conftest import run_yomicast
from tests.web_server import Site, start
from yomicast.article import read_articles
from yomicast.errors import FetchError
from yomicast.fetch.extract import clean_title, decode_page, extract_page, looks_like_host
from yomicast.fetch.feeds import looks_like_feed
from yomicast.fetch.fetcher import fetch_sources
from yomicast.fetch.state import STATE_NAME
from yomicast.fetch.web import USER_AGENT, Client, retry_after
from yomicast.settings import FetchSettings, Source

WEB = Path(__file__).parent / "data" / "web"
BOILERPLATE = (
    "関連記事",
    "アクセスランキング",
    "人気俳優",
    "よく読まれている",
    "港まつり",
    "シェア",
    "ツイート",
    "Copyright",
    "無断転載",
    "ログイン",
    "会員登録",
    "利用規約",
    "トップ",
    "敦賀駅の乗り換え",
    "最低賃金",
    "javascript",
    "詳しくはこちら",
)


@pytest.fixture
def site():
    server, site = start(
        Site(
            redirects={"/old/wages": "/news/wages.html"},
            gone={"/news/gone.html"},
            busy={"/feeds/rdf.xml": 1},
            types={"/news/shinkansen-sjis.html": "text/html", "/news/photo.html": "image/png"},
            pages={
                "/news/photo.html": b"\x89PNG\r\n\x1a\n" + bytes(200),
                "/feeds/broken.xml": b"<rss><channel><item>",
            },
        )
    )
    yield site
    server.shutdown()


def show_folder(tmp_path: Path, site: Site, *feeds: str, extra: str = "") -> Path:
    folder = tmp_path / "episodes"
    folder.mkdir()
    sources = "".join(f'[[sources]]\nurl = "{site.base}{f}"\n' for f in feeds)
    (folder / "show.toml").write_text(
        f'[show]\ntitle = "テスト"\nbase_url = "https://example.org/p/"\n[fetch]\ndelay = 0\n{extra}{sources}',
        encoding="utf-8",
    )
    return folder


def files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.glob("*.md"))}


def fetch(folder: Path, *args: str):
    return run_yomicast("fetch", "--into", str(folder), *args)


def test_three_feeds_become_three_articles_with_what_a_listener_should_hear(tmp_path, site):
    folder = show_folder(tmp_path, site, "/feeds/rss.xml", "/feeds/rdf.xml", "/feeds/atom.xml")
    proc = fetch(folder)
    assert proc.returncode == 1  # entries were skipped
    assert sorted(files(folder)) == [
        "2026-11-30-port.md",
        "2026-11-30-shinkansen-sjis.md",
        "2026-12-01-wages.md",
    ]
    assert (
        proc.stdout.splitlines()[0]
        == "new article: 2026-12-01-wages.md  実質賃金、3か月ぶりにプラス 冬の賞与が押し上げ"
    )

    wages = frontmatter.loads((folder / "2026-12-01-wages.md").read_text(encoding="utf-8"))
    assert wages["title"] == "実質賃金、3か月ぶりにプラス 冬の賞与が押し上げ"  # not "… | 東邦新聞デジタル"
    assert wages["publisher"] == "東邦新聞デジタル"
    assert wages["published"] == "2026-12-01T10:30:00+09:00"  # its own, not a related story's 2025年11月1日
    assert wages["author"] == "山田花子"
    assert wages["source_url"] == f"{site.base}/news/wages.html"
    assert dt.datetime.fromisoformat(wages["fetched"]).tzinfo is not None
    body = wages.content
    assert [line for line in body.splitlines() if line.startswith("#")] == [
        "## 賞与の前倒し支給が広がる",
        "## 物価の伸びは鈍化",
        "## 政府は賃上げ税制を拡充へ",
    ]
    assert "- 製造業では、残業代を含む所定外給与が4.1%増えた。" in body.splitlines()
    assert body.startswith("厚生労働省が1日に発表した10月の毎月勤労統計調査によると")
    assert "繰り越して使えるようにする案が出ている。" in body
    for junk in (*BOILERPLATE, "コメント", "広告"):
        assert junk not in body, junk

    sjis = frontmatter.loads((folder / "2026-11-30-shinkansen-sjis.md").read_text(encoding="utf-8"))
    assert sjis["title"] == "北陸新幹線、敦賀以西のルート調査を開始"  # not "…：みなと日報"
    assert sjis["publisher"] == "みなと日報"  # from the title's suffix: the page has no og:site_name
    assert sjis["published"] == "2026-11-30T18:05:00+09:00"
    assert "author" not in sjis.metadata  # the feed's dc:creator is the site itself
    assert "## 費用は最大5兆円に" in sjis.content and "国土交通省は30日" in sjis.content
    assert "2026年11月30日" not in sjis.content  # the dateline is not read out
    for junk in BOILERPLATE:
        assert junk not in sjis.content, junk

    port = frontmatter.loads((folder / "2026-11-30-port.md").read_text(encoding="utf-8"))
    assert port["publisher"] == "東邦新聞デジタル"  # the feed's title, less its section
    assert port["author"] == "社会部 佐藤一郎"
    assert "## 住民から交通渋滞への懸念" in port.content
    for junk in BOILERPLATE:
        assert junk not in port.content, junk

    # Each file is what yomicast build reads: the credit names the site.
    for name in files(folder):
        (article,) = read_articles(folder / name)
        assert article.source.publisher in ("東邦新聞デジタル", "みなと日報")
        assert len(article.sections) >= 3

    # The content:encoded entry cost no request; the page behind it was never asked for.
    assert not site.hits("/news/port.html")
    # The Atom entry that redirects to an article already fetched is not written twice.
    assert [h.status for h in site.hits("/old/wages")] == [301]
    # Every request named yomicast, its version and where it lives.
    assert {h.headers["User-Agent"] for h in site.log} == {USER_AGENT}
    assert "yomicast/" in USER_AGENT and "https://" in USER_AGENT


def test_each_skipped_entry_is_one_line_naming_its_url_and_the_rest_goes_on(tmp_path, site):
    folder = show_folder(
        tmp_path,
        site,
        "/feeds/broken.xml",
        "/news/photo.html",
        "/feeds/rss.xml",
        "/feeds/rdf.xml",
        "/feeds/atom.xml",
    )
    proc = fetch(folder)
    assert proc.returncode == 1
    lines = proc.stderr.splitlines()
    b = site.base
    assert lines == [
        f"yomicast: skipped: {b}/feeds/broken.xml: the feed does not parse (no element found)",
        f"yomicast: skipped: {b}/news/photo.html: not an HTML page (image/png)",
        f"yomicast: skipped: {b}/news/teaser.html: only a teaser: the rest is for members or behind a wall",
        f"yomicast: skipped: {b}/private/members.html: robots.txt disallows it; not fetched",
        f"yomicast: skipped: {b}/news/index.html: 69 characters of text, under the 120 an article has (a "
        "teaser, a cookie wall or an index page?)",
        f"yomicast: skipped: {b}/news/gone.html: gone (410)",
    ]
    assert not site.hits("/private/members.html")  # robots.txt is obeyed
    assert len(files(folder)) == 3


def test_a_second_fetch_asks_conditionally_downloads_no_page_and_writes_nothing(tmp_path, site):
    folder = show_folder(tmp_path, site, "/feeds/rss.xml", "/feeds/rdf.xml", "/feeds/atom.xml")
    fetch(folder)
    before = files(folder)
    state = (folder / STATE_NAME).read_bytes()
    site.log.clear()
    proc = fetch(folder)
    assert proc.returncode == 0, proc.stderr  # nothing new, and what failed before is not asked again
    assert proc.stdout == "" and proc.stderr == ""
    feeds = [h for h in site.log if h.path.startswith("/feeds/")]
    assert [(h.path, h.status) for h in feeds] == [
        ("/feeds/rss.xml", 304),
        ("/feeds/rdf.xml", 304),
        ("/feeds/atom.xml", 304),
    ]
    assert all("If-None-Match" in h.headers and "If-Modified-Since" in h.headers for h in feeds)
    assert [h.path for h in site.log if h.sent and h.path != "/robots.txt"] == []  # no body came down
    assert files(folder) == before and (folder / STATE_NAME).read_bytes() == state


def test_an_edited_file_is_kept_and_a_name_taken_gets_another(tmp_path, site):
    folder = show_folder(tmp_path, site, "/feeds/rss.xml")
    (folder / "2026-12-01-wages.md").write_text("私の記事\n\n本文です。\n", encoding="utf-8")
    fetch(folder)
    assert (folder / "2026-12-01-wages.md").read_text(encoding="utf-8") == "私の記事\n\n本文です。\n"
    assert "実質賃金" in (folder / "2026-12-01-wages-2.md").read_text(encoding="utf-8")
    (folder / "2026-12-01-wages-2.md").write_text(
        "---\ntitle: 編集した\n---\n\n編集した本文。\n", encoding="utf-8"
    )
    fetch(folder)  # the entry is known: the maintainer's edit stays
    assert (folder / "2026-12-01-wages-2.md").read_text(encoding="utf-8").startswith("---\ntitle: 編集した")


def test_a_page_named_directly_is_asked_again_and_a_change_is_reported_not_written(tmp_path, site):
    folder = show_folder(tmp_path, site)
    url = f"{site.base}/news/wages.html"
    proc = fetch(folder, url, "--json")
    assert proc.returncode == 0, proc.stderr
    report = json.loads(proc.stdout)
    assert [w["file"] for w in report["new"]] == ["2026-12-01-wages.md"]
    before = files(folder)
    proc = fetch(folder, url, "--json")
    assert json.loads(proc.stdout) == {"new": [], "skipped": [], "changed": [], "unchanged": 1}
    assert site.hits("/news/wages.html")[-1].status == 304
    edited = (WEB / "news" / "wages.html").read_bytes().replace("0.8%増え".encode(), "0.9%増え".encode())
    site.pages["/news/wages.html"] = edited
    proc = fetch(folder, url, "--json")
    assert json.loads(proc.stdout)["changed"] == [{"url": url, "file": "2026-12-01-wages.md"}]
    assert files(folder) == before


def test_429_waits_as_long_as_retry_after_says_and_one_host_gets_one_request_a_second(tmp_path, site):
    folder = tmp_path / "episodes"
    folder.mkdir()
    slept: list[float] = []
    now = [0.0]

    def sleep(seconds: float) -> None:  # a clock of its own: the test does not wait
        slept.append(round(seconds, 3))
        now[0] += seconds

    settings = FetchSettings()  # the default: one request a second per host
    site.retry_after = "7"
    client = Client(settings, sleep=sleep, clock=lambda: now[0])
    report = fetch_sources([Source(f"{site.base}/feeds/rdf.xml")], folder, settings=settings, client=client)
    assert [w.file for w in report.new] == ["2026-11-30-shinkansen-sjis.md"]
    assert [h.status for h in site.hits("/feeds/rdf.xml")] == [429, 200]
    # robots.txt; a second later the feed (429); Retry-After's 7 s; the feed; a second later the page.
    assert slept == [1.0, 7.0, 1.0]
    assert (
        retry_after("Wed, 21 Oct 2015 07:28:00 GMT") == 0
        and retry_after("120") == 120
        and retry_after(None) == 1
    )


def test_a_retry_after_longer_than_the_limit_is_a_clean_skip(tmp_path, site):
    folder = show_folder(tmp_path, site, "/feeds/rdf.xml")
    site.retry_after = "86400"
    proc = fetch(folder)
    assert proc.returncode == 1
    assert proc.stderr.strip() == (
        f"yomicast: skipped: {site.base}/feeds/rdf.xml: rate limited (429); the server asks to wait 86400 s; try later"
    )
    assert files(folder) == {}


def test_a_feed_link_into_a_private_network_is_not_followed(tmp_path, site):
    feed = (
        (WEB / "feeds" / "rss.xml")
        .read_bytes()
        .replace(b"{{BASE}}/news/wages.html", b"http://10.1.2.3/admin")
    )
    site.pages["/feeds/private.xml"] = feed
    folder = show_folder(tmp_path, site, "/feeds/private.xml")
    proc = fetch(folder, "--limit", "1")
    assert proc.stderr.strip() == (
        "yomicast: skipped: http://10.1.2.3/admin: points into a private network (10.1.2.3); only addresses "
        "the show names are fetched there"
    )


def test_limit_include_and_exclude_choose_the_entries(tmp_path, site):
    folder = show_folder(tmp_path, site, extra="")
    (folder / "show.toml").write_text(
        (folder / "show.toml").read_text(encoding="utf-8")
        + f'[[sources]]\nurl = "{site.base}/feeds/rss.xml"\nexclude = ["半導体"]\ninclude = ["賃金", "港"]\n',
        encoding="utf-8",
    )
    proc = fetch(folder, "--limit", "1")
    assert proc.returncode == 0, proc.stderr
    assert sorted(files(folder)) == ["2026-12-01-wages.md"]  # the newest that passes
    assert not site.hits("/news/teaser.html")


def test_bad_sources_and_a_damaged_state_are_one_clean_line(tmp_path, site):
    folder = show_folder(tmp_path, site)
    (folder / "show.toml").write_text('[[sources]]\nurl = "ftp://example.org/feed"\n', encoding="utf-8")
    proc = fetch(folder)
    assert proc.returncode == 3
    assert proc.stderr.strip() == (
        f"yomicast: error: {folder / 'show.toml'}: [sources.1]: url must be an http(s) URL, not 'ftp://example.org/feed'"
    )
    (folder / "show.toml").write_text("[[sources]]\nlimit = 3\n", encoding="utf-8")
    assert "[sources.1]: needs a url" in fetch(folder).stderr
    (folder / "show.toml").write_text("", encoding="utf-8")
    proc = fetch(folder)
    assert proc.returncode == 3 and "nothing to fetch: give a URL, or add [[sources]]" in proc.stderr
    (folder / STATE_NAME).write_text('{"version": 1, "articles": {"x": {"file": 3}}}', encoding="utf-8")
    proc = fetch(folder, f"{site.base}/feeds/rss.xml")
    assert proc.returncode == 2
    assert proc.stderr.count("\n") == 1 and "the fetch state is damaged" in proc.stderr
    assert files(folder) == {} and not site.hits("/feeds/rss.xml")


def test_the_network_down_is_one_line_per_source(tmp_path):
    folder = tmp_path / "episodes"
    folder.mkdir()
    proc = fetch(folder, "http://127.0.0.1:9/feed.xml", "--delay", "0")
    assert proc.returncode == 1
    assert proc.stderr == (
        "yomicast: skipped: http://127.0.0.1:9/feed.xml: cannot connect (is the network up?) after 3 tries; "
        "try later\n"
    )


def test_update_fetches_builds_and_the_credit_names_the_site(tmp_path, site):
    folder = show_folder(tmp_path, site, "/feeds/rss.xml")
    out = tmp_path / "public"
    args = ("update", str(folder), "--out", str(out), "--engine", "fake", "--cache-dir", str(tmp_path / "c"))
    proc = run_yomicast(*args)
    assert proc.returncode == 1  # the teaser was skipped
    assert "new article: 2026-11-30-port.md  港の再開発、住民説明会で計画案を公表" in proc.stdout
    assert "new episode: 2026-11-30-port.md" in proc.stdout
    assert "new episode: 2026-12-01-wages.md" in proc.stdout
    vtt = next(out.glob("*port*.vtt")).read_text(encoding="utf-8")
    assert "東邦新聞デジタル" in vtt  # the spoken source credit names the site
    proc = run_yomicast(*args)
    assert proc.returncode == 0 and "new" not in proc.stdout, proc.stdout + proc.stderr


# -- the small rules, one by one -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "title", "site"),
    [
        ("実質賃金、3か月ぶりにプラス | 東邦新聞デジタル", "実質賃金、3か月ぶりにプラス", "東邦新聞デジタル"),
        ("北陸新幹線、ルート調査を開始：みなと日報", "北陸新幹線、ルート調査を開始", "みなと日報"),
        (
            "日経平均が反落、半導体株に売り - Yahoo!ニュース",
            "日経平均が反落、半導体株に売り",
            "Yahoo!ニュース",
        ),
        ("円相場が一時140円台に｜経済ニュース｜東邦新聞", "円相場が一時140円台に", "東邦新聞"),
        ("首相「解散は考えていない」 - 政治", "首相「解散は考えていない」 - 政治", None),
        ("2026年：日本の10大ニュース", "2026年：日本の10大ニュース", None),
        ("台風12号が接近（みなと日報） - Yahoo!ニュース", "台風12号が接近", "Yahoo!ニュース"),
    ],
)
def test_the_title_loses_the_site_name(raw, title, site):
    assert clean_title(raw, sites=["東邦新聞"]) == (title, site)


def test_hosts_and_addresses_are_never_a_publisher():
    for host in (
        "www.example.co.jp",
        "127.0.0.1",
        "127.0.0.1:8080",
        "[::1]",
        "localhost",
        "news.yahoo.co.jp",
    ):
        assert looks_like_host(host), host
    for name in ("東邦新聞", "Yahoo!ニュース", "NHK", "The Japan Times"):
        assert not looks_like_host(name), name


def test_the_charset_comes_from_the_header_then_the_meta_tag_then_detection():
    sjis = (WEB / "news" / "shinkansen-sjis.html").read_bytes()
    assert "北陸新幹線" in decode_page(sjis, "text/html")  # the meta tag
    assert "北陸新幹線" in decode_page(sjis, "text/html; charset=Shift_JIS")  # the header
    no_meta = sjis.replace(b"; charset=Shift_JIS", b"")
    assert "北陸新幹線" in decode_page(no_meta, "")  # detection
    euc = "<html><head><meta charset='euc-jp'></head><body>東京都の天気</body></html>".encode("euc_jp")
    assert "東京都の天気" in decode_page(euc, "text/html")
    assert "東京都" not in decode_page(euc, "text/html; charset=utf-8")  # the header is trusted first


def test_feeds_are_told_from_pages_by_their_content():
    for name in ("rss.xml", "rdf.xml", "atom.xml"):
        assert looks_like_feed((WEB / "feeds" / name).read_bytes()), name
    assert not looks_like_feed((WEB / "news" / "wages.html").read_bytes())
    assert not looks_like_feed(b"<?xml version='1.0'?><svg/>")


def test_a_page_without_an_article_is_refused_as_lasting():
    with pytest.raises(FetchError) as caught:
        extract_page((WEB / "news" / "index.html").read_text(encoding="utf-8"), "http://x.test/news/")
    assert caught.value.lasting
    cookie = "<html><head><title>t</title></head><body><h1>お知らせ</h1><p>Cookieの利用に同意してください。</p></body></html>"
    with pytest.raises(FetchError, match="only a teaser"):
        extract_page(cookie, "http://x.test/a")


EXPECTED = json.loads((WEB / "expected.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("name", sorted(EXPECTED["pages"]))
def test_each_test_page_gives_what_a_listener_should_hear(name):
    want = EXPECTED["pages"][name]
    html = (WEB / name).read_bytes().decode(want["encoding"])
    page = extract_page(html, f"https://news.example.jp/{name}")
    assert page.title == want["title"]
    assert page.publisher == want["publisher"]
    assert page.published is not None and page.published.isoformat() == want["published"]
    assert [line[3:] for line in page.body.splitlines() if line.startswith("## ")] == want["headings"]
    for sentence in want["sentences"]:
        assert sentence in page.body
    for junk in (*EXPECTED["boilerplate"], *want["absent"]):
        assert junk not in page.body, junk


def test_a_lost_state_writes_no_second_copy_and_keeps_the_edits(tmp_path, site):
    folder = show_folder(tmp_path, site, "/feeds/rss.xml")
    fetch(folder)
    edited = (folder / "2026-12-01-wages.md").read_text(encoding="utf-8").replace("0.8%増え", "0.8％増え")
    (folder / "2026-12-01-wages.md").write_text(edited, encoding="utf-8")
    before = files(folder)
    (folder / STATE_NAME).unlink()  # a cache evicted, a state file deleted
    fetch(folder)
    assert files(folder) == before  # the same source_url under the same name: the article is there


def test_a_response_over_the_size_limit_a_redirect_loop_and_a_503_are_clean_skips(tmp_path, site):
    site.pages["/news/huge.html"] = b"<html><body><p>" + "あ".encode() * 400_000 + b"</p></body></html>"
    site.redirects.update({"/loop/a": "/loop/b", "/loop/b": "/loop/a"})
    folder = show_folder(tmp_path, site, "/news/huge.html", "/loop/a")
    (folder / "show.toml").write_text(
        (folder / "show.toml")
        .read_text(encoding="utf-8")
        .replace("delay = 0", "delay = 0\nmax_mb = 1\nretries = 2"),
        encoding="utf-8",
    )
    proc = fetch(folder)
    b = site.base
    assert proc.stderr.splitlines() == [
        f"yomicast: skipped: {b}/news/huge.html: 1.2 MB is over the 1 MB limit; not read",
        f"yomicast: skipped: {b}/loop/a: more than 5 redirects; not followed",
    ]
    assert len(site.hits("/loop/a")) + len(site.hits("/loop/b")) == 6  # the first and five redirects


def test_503_is_retried_and_other_4xx_are_not(tmp_path, site):
    folder = tmp_path / "episodes"
    folder.mkdir()
    slept: list[float] = []
    client = Client(FetchSettings(delay=0), sleep=slept.append)
    site.busy["/news/wages.html"] = 2  # answered 503 twice, then the page
    site.busy_status = 503
    report = fetch_sources([Source(f"{site.base}/news/wages.html")], folder, client=client)
    statuses = [h.status for h in site.hits("/news/wages.html")]
    assert statuses == [503, 503, 200] and len(report.new) == 1, (statuses, report)
    assert slept == [1.0, 1.0], slept  # Retry-After: 1, twice
    report = fetch_sources([Source(f"{site.base}/nothing-here.html")], folder, client=client)
    assert [h.status for h in site.hits("/nothing-here.html")] == [404]  # asked once
    assert report.skipped == [
        (f"{site.base}/nothing-here.html", f"{site.base}/nothing-here.html: not found (404)")
    ]


def test_an_article_cut_short_for_members_is_skipped_however_long_its_free_part(tmp_path, site):
    with pytest.raises(FetchError, match="only the start of the article: the rest is for members") as caught:
        extract_page((WEB / "news" / "premium.html").read_text(encoding="utf-8"), "http://x.test/premium")
    assert caught.value.lasting
    # A page that only mentions members elsewhere (a sidebar's subscribe box) is still an article.
    wages = (WEB / "news" / "wages.html").read_text(encoding="utf-8")
    aside = wages.replace("</main>", '<div class="box">続きは有料会員で　残り9文字</div></main>')
    assert extract_page(aside, "http://x.test/wages").title.startswith("実質賃金")
