"""Benchmark yomicast fetch on the local news site of the tests (tests/web_server.py, 127.0.0.1 only).

1. Extraction: each test page in tests/data/web/expected.json is scored, for yomicast and for plain
   trafilatura (its default ``extract`` and its Markdown output with formatting), on six checks: title,
   publisher, date, headings kept, body sentences present, boilerplate absent. A page is right when all
   six hold.
2. Requests on the second run of a fetch of three feeds (RSS 2.0, RSS 1.0, Atom), counted in the
   server's own log, and how many of them brought a body down.
3. The time to fetch 50 entries from a local feed with the politeness delay set to 0.

    .venv/bin/python scripts/bench_fetch.py
"""

from __future__ import annotations

import datetime as dt
import json
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.web_server import Site, start  # noqa: E402
from yomicast.fetch.extract import extract_page  # noqa: E402
from yomicast.fetch.fetcher import fetch_sources  # noqa: E402
from yomicast.settings import FetchSettings, Source  # noqa: E402

WEB = ROOT / "tests" / "data" / "web"
EXPECTED = json.loads((WEB / "expected.json").read_text(encoding="utf-8"))
CHECKS = ("title", "publisher", "date", "headings", "sentences", "boilerplate")


def score(
    want: dict, title: str | None, publisher: str | None, date: str | None, body: str
) -> dict[str, bool]:
    lines = body.splitlines()
    return {
        "title": title == want["title"],
        "publisher": publisher == want["publisher"],
        "date": bool(date)
        and want["published"].startswith(str(date)[:10])
        and (len(str(date)) <= 10 or str(date) == want["published"]),
        "headings": all(f"## {h}" in lines or f"### {h}" in lines for h in want["headings"]),
        "sentences": all(s in body for s in want["sentences"]),
        "boilerplate": not any(j in body for j in (*EXPECTED["boilerplate"], *want["absent"])),
    }


def ours(html: str, url: str) -> dict[str, bool]:
    page = extract_page(html, url)
    return score(
        EXPECTED["pages"][url.split("/", 3)[3]],
        page.title,
        page.publisher,
        page.published.isoformat() if page.published else None,
        page.body,
    )


def plain(html: str, url: str, **options: object) -> dict[str, bool]:
    import trafilatura

    meta = trafilatura.extract_metadata(html, default_url=url)
    body = trafilatura.extract(html, url=url, **options) or ""  # type: ignore[arg-type]
    want = EXPECTED["pages"][url.split("/", 3)[3]]
    return score(
        want, meta.title if meta else None, meta.sitename if meta else None, meta.date if meta else None, body
    )


def extraction() -> None:
    print("1. extraction: pages right (all six checks), and each check over the pages")
    rows = {
        "yomicast": ours,
        "trafilatura.extract(html)": plain,
        "trafilatura.extract(markdown)": lambda h, u: plain(
            h, u, output_format="markdown", include_formatting=True
        ),
    }
    for label, judge in rows.items():
        results = []
        for name, want in EXPECTED["pages"].items():
            html = (WEB / name).read_bytes().decode(want["encoding"])
            results.append(judge(html, f"https://news.example.jp/{name}"))
        right = sum(all(r.values()) for r in results)
        per = "  ".join(f"{c} {sum(r[c] for r in results)}/{len(results)}" for c in CHECKS)
        print(f"  {label:<32} {right}/{len(results)} right   {per}")


def second_run() -> None:
    server, site = start(Site(redirects={"/old/wages": "/news/wages.html"}, gone={"/news/gone.html"}))
    try:
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp)
            sources = [Source(f"{site.base}/feeds/{f}") for f in ("rss.xml", "rdf.xml", "atom.xml")]
            settings = FetchSettings(delay=0)
            first = fetch_sources(sources, folder, settings=settings)
            n_first = len(site.log)
            site.log.clear()
            again = fetch_sources(sources, folder, settings=settings)
            bodies = [h for h in site.log if h.sent and h.path != "/robots.txt"]
            print("2. requests")
            print(
                f"  first run:  {n_first} requests, {len(first.new)} articles written, {len(first.skipped)} skipped"
            )
            print(
                f"  second run: {len(site.log)} requests ({sum(h.status == 304 for h in site.log)} answered 304, "
                f"1 robots.txt), {len(bodies)} page or feed bodies downloaded, {len(again.new)} written"
            )
    finally:
        server.shutdown()


def fifty() -> None:
    page = (WEB / "news" / "wages.html").read_text(encoding="utf-8")
    pages = {}
    items = []
    for n in range(50):
        path = f"/bench/story-{n:02d}.html"
        pages[path] = page.replace(
            "実質賃金、3か月ぶりにプラス", f"第{n}報 実質賃金、3か月ぶりにプラス"
        ).encode()
        when = (dt.datetime(2026, 12, 1, tzinfo=dt.UTC) - dt.timedelta(hours=n)).strftime(
            "%a, %d %b %Y %H:%M:%S GMT"
        )
        items.append(
            f"<item><title>第{n}報</title><link>{{{{BASE}}}}{path}</link><guid>b{n}</guid><pubDate>{when}</pubDate></item>"
        )
    feed = f'<?xml version="1.0"?><rss version="2.0"><channel><title>ベンチ新聞</title>{"".join(items)}</channel></rss>'
    pages["/bench/feed.xml"] = feed.encode()
    server, site = start(Site(pages=pages))
    try:
        with tempfile.TemporaryDirectory() as tmp:
            start_time = time.perf_counter()
            report = fetch_sources(
                [Source(f"{site.base}/bench/feed.xml")], Path(tmp), settings=FetchSettings(delay=0)
            )
            took = time.perf_counter() - start_time
            print("3. fifty entries from a local feed, delay 0")
            print(
                f"  {len(report.new)} articles in {took:.2f} s ({took / 50 * 1000:.0f} ms each, {len(site.log)} requests)"
            )
    finally:
        server.shutdown()


if __name__ == "__main__":
    extraction()
    second_run()
    fifty()
