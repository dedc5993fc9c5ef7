"""The show's website in a real browser: Debian's Chromium driven by Playwright (launched through
``executable_path``; Playwright's own browser download is never used), against ``yomicast serve``.

Skips with the reason when Chromium or Playwright is absent. Screenshots of the index and an episode
page, at desktop and phone sizes, are saved in ``test-artifacts/`` (not committed) to be looked at.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from yomicast.show.build import build_show

from .conftest import DATA, ROOT, published_file
from .media import decode
from .test_serve import Served
from .test_website import hostile_site

CHROMIUM = os.environ.get("YOMICAST_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = Path(os.environ.get("YOMICAST_ARTIFACTS", ROOT / "test-artifacts"))
# The flags a browser needs on a machine with no network beyond loopback and no sound card.
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--mute-audio",
    "--autoplay-policy=no-user-gesture-required",
]


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.skip("Chromium is not installed (.ci/run installs Debian's chromium)")
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed (test extra)")
    with sync_api.sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def served(tmp_path_factory, sample_render):
    """The sample show (real Open JTalk speech) with one Markdown article more, served by yomicast serve."""
    root = tmp_path_factory.mktemp("browser")
    folder = root / "show"
    shutil.copytree(ROOT / "episodes", folder)
    shutil.copyfile(DATA / "markdown-article.md", folder / "markdown-article.md")
    out = root / "public"
    sample_render.wait()
    build_show(folder, out, base_url="https://example.org/yomicast/", cache=sample_render.cache)
    server = Served(out)
    yield server, out
    server.stop()


class Watched:
    """A page whose console errors, uncaught exceptions, failed requests and dialogs are collected."""

    def __init__(self, browser, width: int = 1280, height: int = 900, bypass_csp: bool = True) -> None:
        # The pages' CSP forbids eval, which Playwright's wait_for_function uses; the markup test runs with
        # and without it.
        self.page = browser.new_page(viewport={"width": width, "height": height}, bypass_csp=bypass_csp)
        self.problems: list[str] = []
        self.page.on("console", lambda m: m.type == "error" and self.problems.append(f"console: {m.text}"))
        self.page.on("pageerror", lambda e: self.problems.append(f"exception: {e}"))
        self.page.on("requestfailed", self._failed)
        self.page.on("response", lambda r: r.status >= 400 and self.problems.append(f"{r.status}: {r.url}"))
        self.page.on("dialog", lambda d: (self.problems.append(f"dialog: {d.message}"), d.dismiss()))

    def _failed(self, request) -> None:
        # having read the metadata, the player cancels the rest of the MP3 (preload="metadata")
        if not (request.resource_type == "media" and "ERR_ABORTED" in (request.failure or "")):
            self.problems.append(f"failed: {request.url} {request.failure}")

    def open(self, url: str):
        self.page.goto(url, wait_until="load")
        return self.page

    def close(self) -> None:
        self.page.close()


def shot(page, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / name), full_page=True)


def test_every_page_loads_cleanly_and_is_photographed(browser, served):
    server, _out = served
    for width, height, size in ((1280, 900, "desktop"), (390, 844, "phone")):
        watched = Watched(browser, width, height)
        for name in ("index.html", "msmt-report.html", "markdown-article.html"):
            page = watched.open(server.url + name)
            page.wait_for_function(
                "!document.getElementById('player') || document.getElementById('player').readyState >= 1"
            )
            assert page.evaluate("document.documentElement.lang") == "ja"
            if name != "markdown-article.html":
                shot(page, f"{name.removesuffix('.html')}-{size}.png")
        assert watched.problems == []
        watched.close()


def test_the_player_loads_the_mp3_with_its_duration(browser, served):
    server, out = served
    samples, _ = decode(published_file(out, "msmt-report"))
    watched = Watched(browser)
    page = watched.open(server.url + "msmt-report.html")
    page.wait_for_function("document.getElementById('player').readyState >= 1")
    duration = page.evaluate("document.getElementById('player').duration")
    assert duration == pytest.approx(len(samples) / 44100, abs=0.1)
    assert watched.problems == []
    watched.close()


def landed(at: float, start: float) -> bool:
    """The player is at ``start``: playback begins with the click, so on a busy machine a few hundred
    milliseconds may already have played when the seek is reported."""
    return start - 0.05 <= at <= start + 0.5


def seek_by(page, selector: str) -> float:
    """Click ``selector``, wait for the seek to land, and return where the player is."""
    return seek_after(page, lambda: page.click(selector))


def seek_after(page, act) -> float:
    """Do ``act()``, wait for the seek it causes to land, and return where the player is."""
    page.evaluate(
        "window.__seeked = null; const p = document.getElementById('player'); p.addEventListener('seeked', () => { window.__seeked = p.currentTime }, {once: true})"
    )
    act()
    page.wait_for_function("window.__seeked !== null")
    return page.evaluate("window.__seeked")  # where the seek landed (playback goes on from there)


def test_chapters_and_cues_seek_and_the_playing_cue_is_highlighted(browser, served):
    server, _out = served
    watched = Watched(browser)
    page = watched.open(server.url + "msmt-report.html")
    page.wait_for_function("document.getElementById('player').readyState >= 1")
    chapters = page.eval_on_selector_all(".chapters button", "bs => bs.map(b => parseFloat(b.dataset.start))")
    assert len(chapters) == 8
    at = seek_by(page, ".chapters li:nth-child(4) button")
    assert landed(at, chapters[3])
    cue_starts = page.eval_on_selector_all(".cue", "cs => cs.map(c => parseFloat(c.dataset.start))")
    at = seek_by(page, ".cue:nth-of-type(3) .text")  # the cue's words, not only its time button
    target = page.eval_on_selector(".cue:nth-of-type(3)", "c => parseFloat(c.dataset.start)")
    assert target in cue_starts and landed(at, target)
    # during playback the cue being spoken is marked, for the eye and for a screen reader
    page.evaluate("document.getElementById('player').play()")
    page.wait_for_function(f"document.getElementById('player').currentTime > {target} + 0.5")
    current = page.eval_on_selector(
        ".cue.current", "c => [parseFloat(c.dataset.start), c.getAttribute('aria-current')]"
    )
    now = page.evaluate("document.getElementById('player').currentTime")
    following = [s for s in cue_starts if s > current[0]]
    assert current[1] == "true" and current[0] <= now + 0.06 and (not following or now < following[0] + 0.3)
    assert page.locator(".cue.current").count() == 1
    page.evaluate("document.getElementById('player').pause()")
    assert watched.problems == []
    watched.close()


def test_the_keyboard_reaches_and_presses_a_chapter(browser, served):
    server, _out = served
    watched = Watched(browser)
    page = watched.open(server.url + "msmt-report.html")
    page.wait_for_function("document.getElementById('player').readyState >= 1")
    page.focus(".chapters li:nth-child(2) button")
    at = seek_after(page, lambda: page.keyboard.press("Enter"))
    start = page.eval_on_selector(".chapters li:nth-child(2) button", "b => parseFloat(b.dataset.start)")
    assert landed(at, start)
    watched.close()


def test_transcript_search_filters_the_cues(browser, served):
    server, _out = served
    watched = Watched(browser)
    page = watched.open(server.url + "msmt-report.html")
    total = page.locator(".cue").count()
    page.fill("#search", "ロシア")
    shown = page.locator(".cue:not([hidden])")
    assert 0 < shown.count() < total
    assert all("ロシア" in t for t in shown.all_inner_texts())
    assert page.inner_text(".transcript .found") == f"{shown.count()} 件"
    watched.close()


@pytest.mark.parametrize("csp", [True, False], ids=["with-csp", "escaping-alone"])
def test_no_article_markup_runs_in_the_browser(browser, tmp_path, csp):
    out = hostile_site(tmp_path)
    server = Served(out)
    try:
        watched = Watched(browser, bypass_csp=not csp)
        for name in ("index.html", "evil.html"):
            page = watched.open(server.url + name)
            assert page.evaluate("window.__xss") is None
            assert "<script>" in page.inner_text("body")  # shown as text, not run
        assert not [p for p in watched.problems if p.startswith("dialog")]
        watched.close()
    finally:
        server.stop()
