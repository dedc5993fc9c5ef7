#!/usr/bin/env python3
"""``yomicast publish`` against a real S3 server on 127.0.0.1 (``rclone serve s3``, from the test extra):
the sample show cold and with nothing changed, and a show of N small fake-voice episodes cold and after one
article was edited. Prints the wall time, the objects uploaded and deleted, and the bytes sent.

    python scripts/bench_publish.py [--episodes 200] [--skip-sample]

The server runs on the same machine, so the times are yomicast's and rclone's work, not a network's.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))

from benchlib import TOPICS  # noqa: E402

from tests.s3_server import Rclone, credentials  # noqa: E402
from yomicast.publish.bucket import make_client  # noqa: E402
from yomicast.publish.publisher import publish_show  # noqa: E402
from yomicast.settings import PublishSettings  # noqa: E402
from yomicast.show.build import build_show  # noqa: E402
from yomicast.speech.cache import SegmentCache  # noqa: E402

BASE = "https://cdn.example/pod/"


def article(i: int) -> str:
    topic = TOPICS[i % len(TOPICS)]
    return (
        f"---\ntitle: 第{i}回 {topic}のニュース\npublisher: 例示新聞\npublished: 2025-01-{i % 28 + 1:02d}\n---\n\n"
        f"# 第{i}回 {topic}のニュース\n\n{topic}について、政府は新しい方針を{i}日に発表しました。\n\n"
        f"## 背景\n\n{topic}をめぐる議論は{i % 7 + 2}年前から続いています。専門家は慎重な検討を求めています。\n\n"
        f"## 今後\n\n来月には{topic}の詳しい計画が示される見通しです。\n"
    )


def publish(out: Path, bucket: str, url: str, what: str) -> None:
    sent = 0

    def count(what: str, key: str) -> None:
        nonlocal sent
        if what == "upload":
            sent += (out / key.rpartition("/")[2]).stat().st_size

    start = time.perf_counter()
    report = publish_show(out, f"s3://{bucket}/pod", endpoint_url=url, on_event=count)
    took = time.perf_counter() - start
    print(
        f"  {what:<34} {took:6.2f} s  {len(report.uploaded):4d} uploaded  {len(report.deleted):3d} deleted"
        f"  {report.unchanged:4d} unchanged  {sent / 1e6:6.2f} MB sent"
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--episodes", type=int, default=200)
    ap.add_argument("--skip-sample", action="store_true")
    args = ap.parse_args()
    os.environ.update(credentials())
    with tempfile.TemporaryDirectory() as tmp, Rclone(Path(tmp) / "s3") as url:
        tmpdir = Path(tmp)
        (tmpdir / "s3").mkdir(exist_ok=True)
        client = make_client(url, None)
        for name in ("sample", "many"):
            client.create_bucket(Bucket=name)
        cache = SegmentCache(tmpdir / "cache")

        if not args.skip_sample:
            out = tmpdir / "sample-public"
            print("sample show (episodes/, Open JTalk), built first:")
            build_show(ROOT / "episodes", out, base_url=BASE, cache=cache)
            publish(out, "sample", url, "cold")
            publish(out, "sample", url, "nothing changed")

        from yomicast.speech.engines.fake import FakeEngine

        folder = tmpdir / "many"
        folder.mkdir()
        (folder / "show.toml").write_text(
            (ROOT / "episodes" / "show.toml").read_text(encoding="utf-8"), encoding="utf-8"
        )
        for i in range(args.episodes):
            (folder / f"ep{i:04d}.md").write_text(article(i), encoding="utf-8")
        out = tmpdir / "many-public"
        start = time.perf_counter()
        build_show(folder, out, base_url=BASE, cache=cache, engine=FakeEngine())
        files = sum(1 for p in out.iterdir() if not p.name.startswith("."))
        print(
            f"{args.episodes} fake-voice episodes ({files} files, built in {time.perf_counter() - start:.0f} s):"
        )
        publish(out, "many", url, "cold")
        publish(out, "many", url, "nothing changed")
        edited = folder / "ep0007.md"
        edited.write_text(
            edited.read_text(encoding="utf-8") + "\n追記：詳細が判明しました。\n", encoding="utf-8"
        )
        build_show(folder, out, base_url=BASE, cache=cache, engine=FakeEngine())
        publish(out, "many", url, "one article edited (grace 7 days)")
        edited.write_text(edited.read_text(encoding="utf-8") + "\n再追記です。\n", encoding="utf-8")
        build_show(folder, out, base_url=BASE, cache=cache, engine=FakeEngine())
        start = time.perf_counter()
        report = publish_show(
            out, "s3://many/pod", endpoint_url=url, settings=PublishSettings(keep_superseded_days=0)
        )
        print(
            f"  {'edited again, keep 0 days':<34} {time.perf_counter() - start:6.2f} s  "
            f"{len(report.uploaded):4d} uploaded  {len(report.deleted):3d} deleted  {report.unchanged:4d} unchanged"
        )


if __name__ == "__main__":
    main()
