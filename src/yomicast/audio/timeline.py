"""The episode's timeline: where every clip, line and chapter sits on the sample clock. Pure values, no numpy.

Words used across the renderer, defined here once:

* **line**: one written sentence of the script, with the speech text an engine gets and the pause after it;
* **segment**: the speech text an engine speaks in one call, and its audio (one cache entry); a line is one
  or more segments;
* **clip**: one run of the episode on the sample clock: a segment's audio, the jingle, or silence;
* **stream**: a run of clips encoded as one MP3 stream (an episode is one or more streams, joined).

Every time in a chapter or transcript is computed here from real segment lengths, and every output (ID3
chapters, chapters JSON, transcripts, show notes) reads it from the one ``Timeline``.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from yomicast.script.compose import Script

RATE = 44100  # the episode's sample rate
HOP = RATE // 10  # every clip is a whole number of 100 ms loudness hops


def hop_samples(seconds: float) -> int:
    """A pause in seconds as a whole number of hops."""
    return round(seconds * 10) * HOP


@dataclass
class TimedLine:
    chapter: int
    text: str
    speech: str
    start: float
    end: float


@dataclass
class TimedChapter:
    title: str
    start: float
    end: float


@dataclass
class Timeline:
    chapters: list[TimedChapter] = field(default_factory=list)
    lines: list[TimedLine] = field(default_factory=list)
    duration: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Timeline:
        return cls(
            chapters=[TimedChapter(**c) for c in data["chapters"]],
            lines=[TimedLine(**ln) for ln in data["lines"]],
            duration=data["duration"],
        )

    def shifted(self, starts: list[int], shifts: list[int]) -> Timeline:
        """Every time at or after sample ``starts[i]`` moved later by ``shifts[i]`` samples (the delay and
        padding that the MP3 streams before a join added)."""

        def move(t: float) -> float:
            pos = round(t * RATE)
            i = max((k for k, st in enumerate(starts) if st <= pos), default=0)
            return (pos + shifts[i]) / RATE

        out = Timeline(
            chapters=[TimedChapter(c.title, move(c.start), move(c.end)) for c in self.chapters],
            lines=[
                TimedLine(ln.chapter, ln.text, ln.speech, move(ln.start), move(ln.end)) for ln in self.lines
            ],
            duration=move(self.duration),
        )
        if out.chapters:
            out.chapters[-1].end = out.duration
        return out


@dataclass(frozen=True)
class Clip:
    """One run of the episode: a cached segment (``key``), the jingle, or else silence; ``samples`` long."""

    samples: int
    key: str | None = None
    jingle: bool = False
    gain_db: float = 0.0  # the voice's level match, applied before mastering

    @property
    def silence(self) -> bool:
        return self.key is None and not self.jingle


def layout(
    script: Script,
    line_keys: list[list[str]],
    lengths: dict[str, int],
    jingle_len: int,
    line_gains: list[float] | None = None,
) -> tuple[list[Clip], Timeline]:
    """Lay the script out on the sample clock: the clips in order, and the timeline they give.

    ``line_keys`` holds, for each script line, the cache keys of the segments that speak it; ``lengths`` the
    sample count of each segment; ``line_gains`` each line's level match in dB.
    """
    clips: list[Clip] = []
    timeline = Timeline()
    pos = 0

    def add(clip: Clip) -> None:
        nonlocal pos
        if clip.samples:
            clips.append(clip)
            pos += clip.samples

    line_no = 0
    for c, chapter in enumerate(script.chapters):
        ch_start = pos
        if chapter.jingle and jingle_len:
            add(Clip(jingle_len, jingle=True))
            add(Clip(hop_samples(chapter.after_jingle)))
        for ln in chapter.lines:
            start = pos
            gain = line_gains[line_no] if line_gains else 0.0
            for key in line_keys[line_no]:
                add(Clip(lengths[key], key=key, gain_db=gain))
            timeline.lines.append(TimedLine(c, ln.text, ln.speech, start / RATE, pos / RATE))
            add(Clip(hop_samples(ln.pause_after)))
            line_no += 1
        timeline.chapters.append(TimedChapter(chapter.title, ch_start / RATE, pos / RATE))
    timeline.duration = pos / RATE
    if timeline.chapters:
        timeline.chapters[-1].end = timeline.duration
    return clips, timeline
