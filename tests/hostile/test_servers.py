"""#23.8: a voice server that lies. Each kind of bad answer, told always, is one line on stderr and exit 4
with no MP3; told once, it is retried and the episode is whole. Never a traceback, never a truncated WAV
published as a shorter sentence."""

from __future__ import annotations

import json

import pytest

from ..conftest import DATA, run_yomicast
from ..http_server import Answer
from ..voicevox_server import FakeVoicevox, wav_tone

GOOD = wav_tone(1.0, 220)
LIES = {
    "truncated WAV": ("/synthesis", Answer(200, GOOD[: len(GOOD) // 2], {"Content-Type": "audio/wav"})),
    "header only": ("/synthesis", Answer(200, GOOD[:44], {"Content-Type": "audio/wav"})),
    "HTML instead of WAV": ("/synthesis", Answer(200, b"<html><body>Bad gateway</body></html>")),
    "empty body": ("/synthesis", Answer(200, b"")),
    "a 1 Hz WAV": ("/synthesis", Answer(200, GOOD[:24] + (1).to_bytes(4, "little") + GOOD[28:])),
    # found by the generated answers (test_generated_inputs): each gave a traceback or two lines
    "a WAV of 0-bit samples": ("/synthesis", Answer(200, GOOD[:34] + (0).to_bytes(2, "little") + GOOD[36:])),
    "a WAV of 40-bit samples": (
        "/synthesis",
        Answer(200, GOOD[:34] + (40).to_bytes(2, "little") + GOOD[36:]),
    ),
    "404 with no body": ("/synthesis", Answer(404, b"")),
    "no voice offered": ("/speakers", Answer(200, b"[]", {"Content-Type": "application/json"})),
    "query not JSON": ("/audio_query", Answer(200, b"<html>oops</html>")),
    "query a list": ("/audio_query", Answer(200, b"[1, 2, 3]", {"Content-Type": "application/json"})),
    "query a string": ("/audio_query", Answer(200, b'"x"', {"Content-Type": "application/json"})),
    "query 400 with HTML": ("/audio_query", Answer(400, b"<html>\n<h1>Bad Request</h1>\n</html>")),
    "speakers not JSON": ("/speakers", Answer(200, b"<html>login</html>")),
    "speakers of the wrong shape": (
        "/speakers",
        Answer(200, json.dumps([{"name": 1, "styles": "x"}]).encode()),
    ),
}


def episode(server: FakeVoicevox, tmp_path):
    article = tmp_path / "a.txt"
    article.write_bytes((DATA / "small-digest.txt").read_bytes())
    (tmp_path / "show.toml").write_text(
        f'[engine]\nname = "voicevox"\nurl = "{server.url}"\nvoice = 2\ntries = 2\nbackoff = 0.01\n',
        encoding="utf-8",
    )
    return run_yomicast(
        "episode",
        str(article),
        "-o",
        str(tmp_path / "a.mp3"),
        "--cache-dir",
        str(tmp_path / "c"),
        timeout=120,
    )


@pytest.mark.parametrize("lie", sorted(LIES))
def test_23_8_a_lie_told_always_is_one_line_and_no_mp3(tmp_path, lie):
    path, answer = LIES[lie]
    with FakeVoicevox() as server:
        server.lies[path] = answer
        proc = episode(server, tmp_path)
    lines = proc.stderr.strip().splitlines()
    assert proc.returncode != 0 and "Traceback" not in proc.stderr, proc.stderr
    assert len(lines) == 1 and lines[0].startswith("yomicast: error:"), proc.stderr
    assert not lines[0].rstrip().endswith(":"), lines[0]  # the line says what, not "it offers: "
    assert not (tmp_path / "a.mp3").exists()


@pytest.mark.parametrize("lie", ["truncated WAV", "empty body", "query not JSON", "HTML instead of WAV"])
def test_23_8_a_lie_told_once_is_retried_and_the_episode_is_whole(tmp_path, lie):
    path, answer = LIES[lie]
    with FakeVoicevox() as server:
        server.lies[path] = answer
        server.lie_times = 1
        proc = episode(server, tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "a.mp3").stat().st_size > 10_000


def test_23_8_a_server_that_does_not_answer_is_said_while_waiting(tmp_path):
    article = tmp_path / "a.txt"
    article.write_bytes((DATA / "small-digest.txt").read_bytes())
    with FakeVoicevox(latency=2.0) as server:
        (tmp_path / "show.toml").write_text(
            f'[engine]\nname = "voicevox"\nurl = "{server.url}"\nvoice = 2\ntries = 2\ntimeout = 0.5\n'
            "backoff = 0.01\n",
            encoding="utf-8",
        )
        proc = run_yomicast("episode", str(article), "-o", str(tmp_path / "a.mp3"), timeout=60)
    lines = proc.stderr.strip().splitlines()
    assert proc.returncode == 4 and "Traceback" not in proc.stderr, proc.stderr
    assert (
        lines[0]
        == f"yomicast: warning: voicevox: no answer from {server.url} within 0.5 s; trying again (2 of 2)"
    )
    assert lines[-1].startswith("yomicast: error:")
