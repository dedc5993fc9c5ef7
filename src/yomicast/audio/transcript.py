"""Timeline → WebVTT, SRT and JSON transcripts and Podcasting 2.0 JSON chapters."""

from __future__ import annotations

import json
from pathlib import Path

from yomicast.audio.timeline import Timeline


def _stamp(seconds: float, sep: str) -> str:
    ms = round(max(0.0, seconds) * 1000)
    h, rest = divmod(ms, 3_600_000)
    m, rest = divmod(rest, 60_000)
    s, ms = divmod(rest, 1000)
    return f"{h:02d}:{m:02d}:{s:02d}{sep}{ms:03d}"


def _cue_text(text: str, *, vtt: bool) -> str:
    """A line's text as one cue's payload: on one line (a blank line would end the cue), with no ``-->``
    (it would open a cue of its own, with the times the text gives), and in WebVTT with its markup
    characters escaped (``<`` opens a tag there, ``&`` an entity)."""
    text = " ".join(text.split()).replace("-->", "→")
    if vtt:
        text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return text


def to_vtt(timeline: Timeline) -> str:
    out = ["WEBVTT", ""]
    for n, line in enumerate(timeline.lines, 1):
        stamps = f"{_stamp(line.start, '.')} --> {_stamp(line.end, '.')}"
        out += [str(n), stamps, _cue_text(line.text, vtt=True), ""]
    return "\n".join(out)


def to_srt(timeline: Timeline) -> str:
    out = []
    for n, line in enumerate(timeline.lines, 1):
        stamps = f"{_stamp(line.start, ',')} --> {_stamp(line.end, ',')}"
        out += [str(n), stamps, _cue_text(line.text, vtt=False), ""]
    return "\n".join(out)


def to_transcript_json(timeline: Timeline) -> str:
    """The Podcasting 2.0 JSON transcript (``application/json``): one segment per spoken line, each with the
    chapter it belongs to (the website groups the transcript by it)."""
    doc = {
        "version": "1.0.0",
        "segments": [
            {
                "startTime": round(ln.start, 3),
                "endTime": round(ln.end, 3),
                "body": ln.text,
                "chapter": ln.chapter,
            }
            for ln in timeline.lines
        ],
    }
    return json.dumps(doc, ensure_ascii=False, indent=1) + "\n"


def to_chapters_json(timeline: Timeline) -> str:
    """https://github.com/Podcastindex-org/podcast-namespace/blob/main/docs/examples/chapters/jsonChapters.md"""
    doc = {
        "version": "1.2.0",
        "chapters": [
            {"startTime": round(c.start, 3), "endTime": round(c.end, 3), "title": c.title}
            for c in timeline.chapters
        ],
    }
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


def write_transcript(timeline: Timeline, path: Path | str) -> None:
    from yomicast.fsutil import atomic_write_text

    path = Path(path)
    text = to_srt(timeline) if path.suffix.lower() == ".srt" else to_vtt(timeline)
    atomic_write_text(path, text)
