"""Real clients nobody on this project wrote, against a built show served by lighttpd on 127.0.0.1:
gPodder's ``gpo`` subscribes, updates and downloads; ffprobe reads the chapters over HTTP; xmllint checks
the XML; byte ranges are answered. Each test skips with the reason when its tool is absent (``.ci/run``
installs them all with apt-get).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import feedparser
import pytest
import requests

from yomicast.show.build import build_show

from .conftest import DATA, ROOT, published_file
from .lighttpd import Lighttpd, free_port, need


@pytest.fixture(scope="module")
def served(tmp_path_factory, sample_render):
    """The sample show plus one Markdown article, spoken by Open JTalk, built for and served by lighttpd."""
    need("lighttpd")
    root = tmp_path_factory.mktemp("served")
    folder = root / "show"
    shutil.copytree(ROOT / "episodes", folder)
    shutil.copyfile(DATA / "markdown-article.md", folder / "markdown-article.md")
    out = root / "public"
    port = free_port()
    base = f"http://127.0.0.1:{port}/"
    sample_render.wait()  # its segments are in this cache: the sample is not spoken twice
    build_show(folder, out, base_url=base, cache=sample_render.cache)
    with Lighttpd(out, port, root) as url:
        assert url == base
        yield folder, out, base, sample_render.cache


def gpo(home: Path, *args: str) -> str:
    env = {
        **os.environ,
        "GPODDER_HOME": str(home / "gpodder"),
        "GPODDER_DOWNLOAD_DIR": str(home / "downloads"),
        "NO_PROXY": "127.0.0.1",
    }
    proc = subprocess.run(
        [need("gpo"), *args], capture_output=True, text=True, env=env, timeout=120, check=False
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return proc.stdout


def test_gpodder_subscribes_and_downloads_every_episode_byte_identical(served, tmp_path):
    _folder, out, base, _cache = served
    feed = base + "feed.xml"
    gpo(tmp_path, "subscribe", feed)
    assert "2 new episodes" in gpo(tmp_path, "update")
    gpo(tmp_path, "download")
    downloads = sorted((tmp_path / "downloads").rglob("*.mp3"))
    assert [p.name for p in downloads] == sorted(
        published_file(out, slug).name for slug in ("msmt-report", "markdown-article")
    )
    for path in downloads:
        assert path.read_bytes() == (out / path.name).read_bytes()
    manifest = json.loads((out / "yomicast-manifest.json").read_text(encoding="utf-8"))["episodes"]
    listed = gpo(tmp_path, "episodes", "--guid", feed)
    assert all(entry["guid"] in listed for entry in manifest.values())


def test_gpodder_sees_a_rebuilt_episode_as_updated_not_new(served, tmp_path):
    folder, out, base, cache = served
    feed = base + "feed.xml"
    gpo(tmp_path, "subscribe", feed)
    gpo(tmp_path, "update")
    before = gpo(tmp_path, "episodes", "--guid", feed)
    article = folder / "markdown-article.md"
    article.write_text(article.read_text(encoding="utf-8") + "\n追記の一文です。\n", encoding="utf-8")
    report = build_show(folder, out, base_url=base, cache=cache)
    assert report.built == ["markdown-article.md"]
    gpo(tmp_path, "update")
    after = gpo(tmp_path, "episodes", "--guid", feed)
    assert after.count("\n        ") == before.count("\n        ") == 2  # the same two episodes, by GUID
    assert sorted(after.split()) == sorted(before.split())
    gpo(tmp_path, "download", feed)
    fresh = published_file(out, "markdown-article")
    got = list((tmp_path / "downloads").rglob(fresh.name))
    assert got and got[0].read_bytes() == fresh.read_bytes()


def test_the_server_answers_byte_ranges_of_the_enclosures(served):
    _folder, out, base, _cache = served
    parsed = feedparser.parse(requests.get(base + "feed.xml", timeout=10).content)
    assert len(parsed.entries) == 2  # the loop below cannot pass by asserting nothing
    for entry in parsed.entries:
        enclosure = entry.enclosures[0]
        name = enclosure.href.removeprefix(base)
        data = (out / name).read_bytes()
        assert int(enclosure.length) == len(data)
        got = requests.get(enclosure.href, headers={"Range": "bytes=1000-1999"}, timeout=10)
        assert got.status_code == 206
        assert got.headers["Content-Range"] == f"bytes 1000-1999/{len(data)}"
        assert got.content == data[1000:2000]
        assert got.headers["Content-Type"] == "audio/mpeg"


def test_ffprobe_reads_the_chapters_over_http_in_time_order(served):
    _folder, out, base, _cache = served
    exe = need("ffprobe")
    for slug in ("msmt-report", "markdown-article"):
        mp3 = published_file(out, slug)
        probe = subprocess.run(
            [exe, "-v", "error", "-show_chapters", "-of", "json", base + mp3.name],
            capture_output=True,
            text=True,
            timeout=60,
            check=True,
        )
        chapters = json.loads(probe.stdout)["chapters"]
        starts = [float(c["start_time"]) for c in chapters]
        assert starts == sorted(starts)
        doc = json.loads(published_file(out, slug, ".chapters.json").read_text(encoding="utf-8"))
        assert [c["tags"]["title"] for c in chapters] == [c["title"] for c in doc["chapters"]]
        assert starts == pytest.approx([c["startTime"] for c in doc["chapters"]], abs=0.001)


def test_xmllint_finds_the_feed_well_formed(served):
    _folder, out, _base, _cache = served
    proc = subprocess.run([need("xmllint"), "--noout", str(out / "feed.xml")], capture_output=True, text=True)
    assert proc.returncode == 0 and proc.stderr == "", proc.stderr
