"""``yomicast publish`` against a real S3 server (``rclone serve s3`` on 127.0.0.1), read back with boto3:
every object has the local bytes and headers, nothing unchanged is sent twice, the bucket is consistent at
every instant (a watcher polls it every 20 ms, through failures and a SIGKILL), and bad credentials, a
missing bucket or an unreachable endpoint change nothing."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from botocore.exceptions import EndpointConnectionError

from yomicast.errors import InputError, PublishError
from yomicast.publish.bucket import make_client
from yomicast.publish.plan import IMMUTABLE, RECORD
from yomicast.publish.publisher import publish_show
from yomicast.settings import PublishSettings
from yomicast.show.build import build_show
from yomicast.show.manifest import MANIFEST
from yomicast.speech.cache import SegmentCache
from yomicast.speech.engines.fake import FakeEngine

from .conftest import DATA, ROOT, build_fake_show, run_yomicast
from .s3_server import SECRET, Rclone, credentials, free_port

ARTICLES = ("small-digest.txt", "markdown-article.md")


@pytest.fixture(scope="module")
def s3(tmp_path_factory):
    root = tmp_path_factory.mktemp("s3")
    with Rclone(root) as url:
        yield root, url


@pytest.fixture
def env(monkeypatch):
    for key, value in credentials().items():
        monkeypatch.setenv(key, value)


_n = iter(range(10**6))


@pytest.fixture
def bucket(s3, env):
    """A new, empty bucket on the test server: (name, its folder, endpoint, a client)."""
    root, url = s3
    name = f"show{next(_n)}"
    client = make_client(url, None)
    client.create_bucket(Bucket=name)
    return name, root / name, url, client


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """A two-episode fake-voice show built for https://cdn.example/pod/ (each test publishes a copy)."""
    return build_fake_show(tmp_path_factory.mktemp("built"), ARTICLES, "https://cdn.example/pod/")


@pytest.fixture
def show(built, tmp_path):
    out = tmp_path / "public"
    shutil.copytree(built, out)
    return out


def objects(client, name: str, prefix: str = "") -> dict[str, bytes]:
    out = {}
    for page in client.get_paginator("list_objects_v2").paginate(Bucket=name, Prefix=prefix):
        for obj in page.get("Contents", ()):
            out[obj["Key"]] = client.get_object(Bucket=name, Key=obj["Key"])["Body"].read()
    return out


def content(folder: Path) -> set[str]:
    return {p.name for p in folder.iterdir() if not p.name.startswith(".") and p.name != MANIFEST}


def count_calls(client, *operations: str) -> list[str]:
    calls: list[str] = []
    for op in operations:
        client.meta.events.register(f"before-call.s3.{op}", lambda op=op, **_: calls.append(op))
    return calls


def test_every_file_goes_up_with_its_bytes_type_and_cache_control(bucket, show):
    name, _folder, url, client = bucket
    report = publish_show(show, f"s3://{name}/pod", endpoint_url=url)
    got = objects(client, name)
    assert set(got) == {f"pod/{n}" for n in content(show)} | {f"pod/{RECORD}"}
    for n in content(show):
        assert got[f"pod/{n}"] == (show / n).read_bytes(), n
    assert sorted(report.uploaded) == sorted(f"pod/{n}" for n in content(show))
    types = {
        ".mp3": "audio/mpeg",
        ".vtt": "text/vtt",
        ".srt": "application/srt",
        ".json": "application/json",
        ".html": "text/html; charset=utf-8",
        "feed.xml": "application/rss+xml; charset=utf-8",
        ".jpg": "image/jpeg",
        ".css": "text/css; charset=utf-8",
        ".js": "text/javascript; charset=utf-8",
    }
    for n in content(show):
        head = client.head_object(Bucket=name, Key=f"pod/{n}")
        want = next(v for k, v in types.items() if n.endswith(k))
        assert head["ContentType"] == want, n
        fingerprinted = re.search(r"-[0-9a-f]{8}\.", n) is not None
        assert head["CacheControl"] == (IMMUTABLE if fingerprinted else "public, max-age=300"), n
    record = json.loads(got[f"pod/{RECORD}"])
    assert set(record["objects"]) == content(show)


def test_the_order_is_media_then_pages_then_index_then_feed(bucket, show):
    name, _folder, url, _client = bucket
    order: list[str] = []
    publish_show(show, f"s3://{name}/pod", endpoint_url=url, on_event=lambda what, key: order.append(key))
    rank = [
        2 if k.endswith("feed.xml") else 1 if k.endswith("index.html") else 0.5 if k.endswith(".html") else 0
        for k in order
    ]
    assert rank == sorted(rank) and rank[-1] == 2 and order[-1] == "pod/feed.xml"


def test_a_second_publish_uploads_nothing(bucket, show):
    name, _folder, url, client = bucket
    publish_show(show, f"s3://{name}/pod", endpoint_url=url)
    calls = count_calls(client, "PutObject", "CreateMultipartUpload", "DeleteObjects")
    report = publish_show(show, f"s3://{name}/pod", client=client)
    assert report.uploaded == [] and report.deleted == [] and report.unchanged == len(content(show))
    assert calls == []
    proc = run_yomicast(
        "publish", str(show), "--to", f"s3://{name}/pod", "--endpoint-url", url, "--json", env=credentials()
    )
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout) == {
        "uploaded": [],
        "deleted": [],
        "unchanged": len(content(show)),
        "kept": [],
        "dry_run": False,
    }


def test_an_object_changed_behind_our_back_is_uploaded_again(bucket, show):
    """Same size, other bytes: the ETag (an MD5 here) tells, and the record's hash does not vouch for it."""
    name, folder, url, client = bucket
    publish_show(show, f"s3://{name}/pod", endpoint_url=url)
    mp3 = next(n for n in content(show) if n.endswith(".mp3"))
    client.put_object(Bucket=name, Key=f"pod/{mp3}", Body=b"\0" * (show / mp3).stat().st_size)
    report = publish_show(show, f"s3://{name}/pod", client=client)
    assert report.uploaded == [f"pod/{mp3}"]
    assert (folder / "pod" / mp3).read_bytes() == (show / mp3).read_bytes()


def _rebuild(built_root: Path, out: Path, edit_name: str = "small-digest.txt") -> None:
    folder = built_root / "show"
    article = folder / edit_name
    article.write_text(article.read_text(encoding="utf-8").replace("。", "。追記です。", 1), encoding="utf-8")
    build_show(
        folder,
        out,
        base_url="https://cdn.example/pod/",
        cache=SegmentCache(built_root / "cache"),
        engine=FakeEngine(),
    )


def test_an_edited_article_replaces_exactly_its_episode_files(bucket, tmp_path):
    name, folder, url, _client = bucket
    out = build_fake_show(tmp_path, ARTICLES, "https://cdn.example/pod/")
    publish_show(out, f"s3://{name}/pod", endpoint_url=url)
    before = content(out)
    _rebuild(tmp_path, out)
    after = content(out)
    new = after - before
    assert new and all(n.startswith("small-digest-") for n in new)
    report = publish_show(out, f"s3://{name}/pod", endpoint_url=url)
    changed = {k.removeprefix("pod/") for k in report.uploaded}
    assert new <= changed
    # besides the new rendition, only what names it: its page, the index and the feed (and never the other
    # episode's files, the cover or the assets)
    assert changed - new <= {"small-digest.html", "index.html", "feed.xml"}
    assert "feed.xml" in changed
    # the superseded rendition is kept for the grace period: apps holding the old feed can still fetch it
    gone = before - after
    assert gone and {f"pod/{n}" for n in gone} == set(report.kept)
    assert all((folder / "pod" / n).exists() for n in gone)
    # eight days on, the next publish deletes it, and nothing else
    later = dt.datetime.now(dt.UTC) + dt.timedelta(days=8)
    report = publish_show(out, f"s3://{name}/pod", endpoint_url=url, now=later)
    assert sorted(report.deleted) == sorted(f"pod/{n}" for n in gone) and report.uploaded == []
    assert {p.name for p in (folder / "pod").iterdir()} == after | {RECORD}


def test_keep_superseded_days_zero_deletes_right_after_the_feed(bucket, tmp_path):
    name, _folder, url, _client = bucket
    out = build_fake_show(tmp_path, ARTICLES, "https://cdn.example/pod/")
    settings = PublishSettings(keep_superseded_days=0)
    publish_show(out, f"s3://{name}/pod", endpoint_url=url, settings=settings)
    _rebuild(tmp_path, out)
    events: list[tuple[str, str]] = []
    report = publish_show(
        out,
        f"s3://{name}/pod",
        endpoint_url=url,
        settings=settings,
        on_event=lambda what, key: events.append((what, key)),
    )
    assert report.deleted
    first_delete = next(i for i, (what, _k) in enumerate(events) if what == "delete")
    assert ("upload", "pod/feed.xml") in events[:first_delete]


def test_nothing_outside_the_prefix_is_listed_or_deleted(bucket, tmp_path):
    name, _folder, _url, client = bucket
    for key in ("other/x.mp3", "pod/sub/y.mp3", "pod/someone-elses.txt", "podcast-old/feed.xml"):
        client.put_object(Bucket=name, Key=key, Body=b"not ours")
    out = build_fake_show(tmp_path, ARTICLES, "https://cdn.example/pod/")
    listed: list[dict] = []
    client.meta.events.register(
        "before-parameter-build.s3.ListObjectsV2", lambda params, **_: listed.append(dict(params))
    )
    settings = PublishSettings(keep_superseded_days=0)
    publish_show(out, f"s3://{name}/pod", client=client, settings=settings)
    _rebuild(tmp_path, out)
    publish_show(out, f"s3://{name}/pod", client=client, settings=settings)
    assert listed and all(p["Prefix"] == "pod/" and p["Delimiter"] == "/" for p in listed)
    for key in ("other/x.mp3", "pod/sub/y.mp3", "pod/someone-elses.txt", "podcast-old/feed.xml"):
        assert client.get_object(Bucket=name, Key=key)["Body"].read() == b"not ours", key


def test_a_tampered_record_is_not_trusted(bucket, show):
    """The record lives in a bucket others may write to: entries naming what yomicast never uploaded, or of
    the wrong shape, neither delete anything nor vouch for an object."""
    name, folder, url, client = bucket
    client.put_object(Bucket=name, Key="pod/precious.mp3", Body=b"keep me")
    forged = {
        "version": 1,
        "objects": {
            "precious.mp3": {
                "sha256": "0" * 64,
                "size": 7,
                "etag": "x",
                "superseded": "2000-01-01T00:00:00+00:00",
            },
            "../escape": {"sha256": "0" * 64, "size": 1, "etag": "x", "superseded": None},
            "feed.xml": {"sha256": "zz", "size": "big", "etag": None},
        },
    }
    client.put_object(Bucket=name, Key=f"pod/{RECORD}", Body=json.dumps(forged).encode())
    publish_show(show, f"s3://{name}/pod", endpoint_url=url, settings=PublishSettings(keep_superseded_days=0))
    # precious.mp3 was in the (forged) record, so it counts as ours and superseded: the forger could only
    # make yomicast delete inside its own prefix. What never can happen is an escape or a crash.
    assert not (folder / "escape").exists()
    client.put_object(Bucket=name, Key=f"pod/{RECORD}", Body=b"\xff not json")
    report = publish_show(show, f"s3://{name}/pod", endpoint_url=url)
    assert report.uploaded == [] and report.deleted == []


def test_dry_run_prints_the_plan_and_changes_nothing(bucket, show):
    name, _folder, url, client = bucket
    proc = run_yomicast(
        "publish",
        str(show),
        "--to",
        f"s3://{name}/pod",
        "--endpoint-url",
        url,
        "--dry-run",
        "--json",
        env=credentials(),
    )
    assert proc.returncode == 0, proc.stderr
    plan = json.loads(proc.stdout)
    assert plan["dry_run"] and plan["uploaded"][-1] == "pod/feed.xml"
    assert sorted(plan["uploaded"]) == sorted(f"pod/{n}" for n in content(show))
    assert objects(client, name) == {}


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"AWS_SECRET_ACCESS_KEY": "not-the-secret-at-all"}, "secret key does not match"),
        ({"AWS_ACCESS_KEY_ID": "nobody-knows-this-key"}, "access key is not known"),
        ({"AWS_ACCESS_KEY_ID": ""}, "no credentials"),
    ],
)
def test_bad_credentials_exit_5_and_change_nothing(bucket, show, change, message):
    name, folder, url, _client = bucket
    publish_show(show, f"s3://{name}/pod", endpoint_url=url, settings=PublishSettings(keep_superseded_days=0))
    before = {p.name: p.read_bytes() for p in (folder / "pod").iterdir()}
    env = {**credentials(), **change}
    if not change.get("AWS_ACCESS_KEY_ID", "x"):
        env.pop("AWS_SECRET_ACCESS_KEY")
    (show / "feed.xml").write_bytes(
        (show / "feed.xml").read_bytes().replace(b"</channel>", b"<!-- --></channel>")
    )
    proc = run_yomicast("publish", str(show), "--to", f"s3://{name}/pod", "--endpoint-url", url, env=env)
    assert proc.returncode == 5, proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("yomicast: error:") and message in lines[0], proc.stderr
    assert SECRET not in proc.stderr + proc.stdout and "not-the-secret" not in proc.stderr
    assert {p.name: p.read_bytes() for p in (folder / "pod").iterdir()} == before


def test_a_missing_bucket_or_an_unreachable_endpoint_exits_5(bucket, show):
    _name, _folder, url, _client = bucket
    proc = run_yomicast(
        "publish", str(show), "--to", "s3://no-such-bucket/pod", "--endpoint-url", url, env=credentials()
    )
    assert proc.returncode == 5 and "no such bucket" in proc.stderr, proc.stderr
    dead = f"http://127.0.0.1:{free_port()}"
    proc = run_yomicast(
        "publish", str(show), "--to", "s3://show/pod", "--endpoint-url", dead, env=credentials()
    )
    assert proc.returncode == 5 and f"cannot reach the endpoint ({dead})" in proc.stderr, proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1


def test_a_folder_whose_feed_names_a_missing_file_is_refused(bucket, show):
    name, _folder, url, client = bucket
    next(show.glob("*.vtt")).unlink()
    with pytest.raises(InputError, match="build the show again"):
        publish_show(show, f"s3://{name}/pod", endpoint_url=url)
    assert objects(client, name) == {}
    with pytest.raises(InputError, match=r"no feed\.xml"):
        publish_show(show.parent, f"s3://{name}/pod", endpoint_url=url)


def test_large_files_go_up_in_parts_several_at_once(bucket, show):
    name, folder, _url, client = bucket
    for i in range(3):  # fingerprinted names, so the feed check does not mind them
        (show / f"big{i}-0123456{i}.mp3").write_bytes(hashlib.sha256(bytes([i])).digest() * (300_000 + i))
    calls = count_calls(client, "CreateMultipartUpload", "UploadPart", "PutObject")
    publish_show(show, f"s3://{name}/pod", client=client)
    assert calls.count("CreateMultipartUpload") == 3 and calls.count("UploadPart") >= 6
    for i in range(3):
        assert (folder / "pod" / f"big{i}-0123456{i}.mp3").read_bytes() == (
            show / f"big{i}-0123456{i}.mp3"
        ).read_bytes()
    report = publish_show(show, f"s3://{name}/pod", client=client)
    assert report.uploaded == []  # the record vouches for multipart objects, whatever their ETag


class Watcher(threading.Thread):
    """Polls the bucket every 20 ms: whenever a feed is up, every object it names must be there with the
    length it states, and every page the index links must be there."""

    def __init__(self, client, name: str, prefix: str, base: str) -> None:
        super().__init__(daemon=True)
        self.client, self.name, self.prefix, self.base = client, name, prefix, base
        self.stop = threading.Event()
        self.problems: list[str] = []
        self.checks = 0

    def get(self, key: str) -> bytes | None:
        try:
            return self.client.get_object(Bucket=self.name, Key=self.prefix + key)["Body"].read()
        except self.client.exceptions.NoSuchKey:
            return None

    def run(self) -> None:
        while not self.stop.is_set():
            feed, index = self.get("feed.xml"), self.get("index.html")
            sizes = {
                o["Key"][len(self.prefix) :]: o["Size"]
                for page in self.client.get_paginator("list_objects_v2").paginate(
                    Bucket=self.name, Prefix=self.prefix
                )
                for o in page.get("Contents", ())
            }
            if feed is not None and feed == self.get("feed.xml") and index == self.get("index.html"):
                self.checks += 1  # the listing was taken while this feed and index were the ones up
                for elem in ET.fromstring(feed).iter():
                    url = elem.get("url") or elem.get("uri") or ""
                    if url.startswith(self.base):
                        key = url[len(self.base) :]
                        if key not in sizes:
                            self.problems.append(f"the feed names {key}, which is not there")
                        elif elem.get("length") and int(elem.get("length")) != sizes[key]:
                            self.problems.append(
                                f"the feed states {elem.get('length')} for {key}: {sizes[key]}"
                            )
                for page in re.findall(rb'href="([^":/]+\.html)"', index or b""):
                    if page.decode() not in sizes:
                        self.problems.append(f"index.html links {page.decode()}, which is not there")
            self.stop.wait(0.02)


def test_the_bucket_is_consistent_at_every_instant_through_failures(bucket, tmp_path):
    """A publish that fails at each of its uploads in turn leaves a consistent bucket, and the next one
    completes it; a watcher polling every 20 ms never sees a feed name a missing object."""
    name, folder, url, client = bucket
    out = build_fake_show(tmp_path, ARTICLES, "https://cdn.example/pod/")
    settings = PublishSettings(keep_superseded_days=0)
    publish_show(out, f"s3://{name}/pod", client=client, settings=settings)
    watcher = Watcher(make_client(url, None), name, "pod/", "https://cdn.example/pod/")
    watcher.start()
    try:
        for attempt in range(1, 40):
            _rebuild(tmp_path, out, ARTICLES[attempt % 2])
            faulty = make_client(url, None)
            puts = iter(range(10**6))

            def fail_at(attempt=attempt, puts=puts, **_):
                if next(puts) == attempt:
                    raise EndpointConnectionError(endpoint_url=f"{url}/{name}/pod/")  # the network went away

            faulty.meta.events.register("before-call.s3.PutObject", fail_at)
            try:
                publish_show(out, f"s3://{name}/pod", client=faulty, settings=settings)
                finished = True
            except PublishError:
                finished = False
            time.sleep(0.05)  # let the watcher look at the half-published state
            report = publish_show(out, f"s3://{name}/pod", client=client, settings=settings)
            assert report.uploaded == [] or not finished
            if finished:
                break
        assert not finished or attempt > 5, "every upload point was tried"
        time.sleep(0.1)
    finally:
        watcher.stop.set()
        watcher.join()
    assert watcher.checks > 20 and watcher.problems == []
    assert {p.name for p in (folder / "pod").iterdir()} == content(out) | {RECORD}
    for n in content(out):
        assert (folder / "pod" / n).read_bytes() == (out / n).read_bytes()


def test_a_publish_killed_by_sigkill_is_completed_by_the_next(bucket, tmp_path):
    name, folder, url, client = bucket
    out = build_fake_show(tmp_path, ARTICLES, "https://cdn.example/pod/")
    for i in range(4):  # enough bytes that the kill lands part-way
        (out / f"filler{i}-abcdef0{i}.mp3").write_bytes(bytes(range(256)) * 40_000)
    watcher = Watcher(make_client(url, None), name, "pod/", "https://cdn.example/pod/")
    watcher.start()
    try:
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "yomicast",
                "publish",
                str(out),
                "--to",
                f"s3://{name}/pod",
                "--endpoint-url",
                url,
            ],
            env={**os.environ, **credentials()},
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        deadline = time.monotonic() + 60
        while proc.poll() is None and time.monotonic() < deadline and not list(folder.rglob("filler*")):
            time.sleep(0.005)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        time.sleep(0.1)
        report = publish_show(out, f"s3://{name}/pod", client=client)
        assert "pod/feed.xml" in report.uploaded or report.unchanged == len(content(out))
    finally:
        watcher.stop.set()
        watcher.join()
    assert watcher.problems == []
    for n in content(out):
        assert (folder / "pod" / n).read_bytes() == (out / n).read_bytes()


def test_publish_settings_are_checked_with_the_field_named(tmp_path):
    from yomicast.errors import ConfigError
    from yomicast.show.config import load_show

    toml = (ROOT / "episodes" / "show.toml").read_text(encoding="utf-8")
    for table, field in [
        ('[publish]\nto = "http://bucket/x"', "s3://BUCKET/PREFIX"),
        ('[publish]\nto = "s3://Bad_Bucket/x"', "bucket name"),
        ('[publish]\nto = "s3://bucket/a/../b"', "prefix"),
        ('[publish]\nkeep_superseded_days = "7"', "publish.keep_superseded_days"),
        ("[publish]\nmax_age = -1", "max_age"),
        ('[publish]\nsecret = "x"', "publish.secret"),
        ('[publish]\nendpoint_url = "ftp://x"', "endpoint_url"),
    ]:
        (tmp_path / "show.toml").write_text(toml + "\n" + table + "\n", encoding="utf-8")
        with pytest.raises(ConfigError, match=re.escape(field)):
            load_show(tmp_path / "show.toml")
    (tmp_path / "show.toml").write_text(
        toml + '\n[publish]\nto = "s3://my-show/podcast"\nkeep_superseded_days = 3\n', encoding="utf-8"
    )
    settings = load_show(tmp_path / "show.toml").publish
    assert settings.to == "s3://my-show/podcast" and settings.keep_superseded_days == 3


def test_update_builds_then_publishes_and_says_nothing_new_the_second_time(bucket, tmp_path):
    name, folder, url, _client = bucket
    show = tmp_path / "show"
    show.mkdir()
    shutil.copyfile(DATA / "small-digest.txt", show / "small-digest.txt")
    toml = (ROOT / "episodes" / "show.toml").read_text(encoding="utf-8")
    (show / "show.toml").write_text(
        toml + f'\n[publish]\nto = "s3://{name}/daily"\nendpoint_url = "{url}"\n', encoding="utf-8"
    )
    args = (
        "update",
        str(show),
        "--out",
        str(tmp_path / "public"),
        "--engine",
        "fake",
        "--cache-dir",
        str(tmp_path / "cache"),
    )
    proc = run_yomicast(*args, env=credentials())
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines()[0] == "new episode: small-digest.txt"
    assert f"published to s3://{name}/daily/" in proc.stdout
    assert (folder / "daily" / "feed.xml").read_bytes() == (tmp_path / "public" / "feed.xml").read_bytes()
    proc = run_yomicast(*args, env=credentials())
    assert proc.returncode == 0, proc.stderr
    assert "new episode" not in proc.stdout and "0 uploaded" in proc.stdout


def test_gpodder_downloads_the_published_show_byte_identical(s3, env, tmp_path):
    from .lighttpd import need
    from .test_clients import gpo

    need("gpo")
    root, url = s3
    client = make_client(url, None)
    client.create_bucket(Bucket="gpodder")
    http = Rclone(root, "http")
    base = f"{http.url}/gpodder/pod/"
    out = build_fake_show(tmp_path, ARTICLES, base)
    publish_show(out, "s3://gpodder/pod", client=client)
    with http:
        gpo(tmp_path, "subscribe", base + "feed.xml")
        gpo(tmp_path, "update")
        gpo(tmp_path, "download")
    downloaded = sorted((tmp_path / "downloads").rglob("*.mp3"))
    published = sorted(out.glob("*.mp3"))
    assert len(downloaded) == len(published) == 2
    assert sorted(p.read_bytes() for p in downloaded) == sorted(p.read_bytes() for p in published)
