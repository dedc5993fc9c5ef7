"""``yomicast check``: Whisper hears every spoken line of an episode, exactly its span on the timeline the
build recorded, and what it heard is compared, as kana, with the speech text the engine was given.

A line is flagged **silent** when its span holds no sound, **too short** when what was heard is under half
of what was meant, **misheard** when the kana error rate is over the threshold; a gap of a second or more
between lines where speech is heard is **unexpected speech**. The audio is judged as the file holds it
now: a file changed after the build is checked as it is, with a note."""

from __future__ import annotations

import itertools
import subprocess
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from yomicast.check.kana import error_rate, to_kana
from yomicast.errors import InputError
from yomicast.settings import CHECK_THRESHOLD

RATE = 16_000  # Whisper listens at 16 kHz
THRESHOLD = CHECK_THRESHOLD  # kana error rate over which a line is misheard
SILENT_DBFS = -55.0  # a span quieter than this holds no speech
MARGIN = 0.15  # seconds heard on each side of a line's span
MIN_GAP = 1.0  # seconds between lines worth listening to for speech that should not be there


@dataclass(frozen=True)
class Flag:
    start: float
    end: float
    meant: str
    heard: str
    error_rate: float
    reason: str  # misheard | silent | too short | unexpected speech
    line: int | None = None  # the line's place on the timeline, from 0 (None: between lines)


@dataclass
class EpisodeCheck:
    file: str
    lines: int
    error_rate: float
    flagged: list[Flag] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    seconds: float = 0.0  # the audio's length

    def as_json(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "lines": self.lines,
            "error_rate": round(self.error_rate, 4),
            "flagged": [{**asdict(f), "error_rate": round(f.error_rate, 4)} for f in self.flagged],
            "notes": self.notes,
        }


def decode_16k(path: Path) -> np.ndarray:
    """The file's audio as 16 kHz mono float32, decoded by ffmpeg (imageio-ffmpeg's when none is installed)."""
    from yomicast.audio.decode import ffmpeg_exe

    proc = subprocess.run(
        [ffmpeg_exe(), "-v", "error", "-i", str(path), "-ac", "1", "-ar", str(RATE), "-f", "f32le", "-"],
        capture_output=True,
        check=False,
    )
    if proc.returncode != 0 or not proc.stdout:
        raise InputError(
            f"{path.name}: the audio does not decode ({proc.stderr.decode(errors='replace')[:80]})"
        )
    return np.frombuffer(proc.stdout, dtype="<f4")


def loudness_dbfs(samples: np.ndarray) -> float:
    if not samples.size:
        return -120.0
    rms = float(np.sqrt(np.mean(np.square(samples, dtype=np.float64))))
    return 20 * np.log10(max(rms, 1e-6))


def transcribe(model: Any, samples: np.ndarray) -> str:
    segments, _info = model.transcribe(
        samples,
        language="ja",
        beam_size=1,
        best_of=1,
        temperature=0.0,
        condition_on_previous_text=False,
        without_timestamps=True,
        vad_filter=False,
    )
    return "".join(s.text for s in segments).strip()


def check_audio(
    name: str,
    samples: np.ndarray,
    lines: Sequence[Sequence[Any]],
    model: Any,
    *,
    threshold: float = THRESHOLD,
    progress: Callable[[int, int], None] | None = None,
) -> EpisodeCheck:
    """Hear each (start, end, speech) line of ``samples`` and the gaps between them."""
    import os
    from concurrent.futures import ThreadPoolExecutor

    result = EpisodeCheck(file=name, lines=len(lines), error_rate=0.0, seconds=samples.size / RATE)

    spans = [samples[max(0, int((s - MARGIN) * RATE)) : int((e + MARGIN) * RATE)] for s, e, _ in lines]
    levels = [loudness_dbfs(span) for span in spans]
    gaps = [(a[1], b[0]) for a, b in itertools.pairwise(lines) if b[0] - a[1] >= MIN_GAP]
    gap_spans = [samples[int((s + 0.2) * RATE) : int((e - 0.2) * RATE)] for s, e in gaps]
    done = [0]

    def heard_line(span: np.ndarray, level: float) -> str:
        text = transcribe(model, span) if level > SILENT_DBFS else ""
        done[0] += 1
        if progress:
            progress(done[0], len(lines))
        return text

    def heard_gap(span: np.ndarray) -> str:
        return transcribe(model, span) if loudness_dbfs(span) > -40.0 else ""

    # Whisper's model holds one worker a core: the lines are heard side by side.
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
        heard_texts = list(pool.map(heard_line, spans, levels))
        gap_texts = list(pool.map(heard_gap, gap_spans))
    distance = total = 0.0
    for n, ((start, end, speech), level, heard_text) in enumerate(
        zip(lines, levels, heard_texts, strict=True)
    ):
        meant, heard = to_kana(speech), to_kana(heard_text)
        rate = error_rate(meant, heard)
        distance += rate * len(meant)
        total += len(meant)
        reason = None
        if level <= SILENT_DBFS or (meant and not heard):
            reason = "silent"
        elif rate > threshold and len(heard) < 0.5 * len(meant):
            reason = "too short"
        elif rate > threshold:
            reason = "misheard"
        if reason:
            result.flagged.append(Flag(round(start, 2), round(end, 2), speech, heard_text, rate, reason, n))
    for (gap_start, gap_end), heard_text in zip(gaps, gap_texts, strict=True):
        if len(to_kana(heard_text)) >= 3:
            result.flagged.append(
                Flag(round(gap_start, 2), round(gap_end, 2), "", heard_text, 1.0, "unexpected speech")
            )
    result.flagged.sort(key=lambda f: f.start)
    result.error_rate = distance / total if total else 0.0
    return result


def check_target(
    target: Path,
    model: Any,
    *,
    threshold: float = THRESHOLD,
    progress: Callable[[int, int], None] | None = None,
) -> list[EpisodeCheck]:
    """Check every episode of a built show folder, or the one episode whose MP3 ``target`` is."""
    from yomicast.show.manifest import MANIFEST, Manifest, file_digest

    folder = target if target.is_dir() else target.parent
    if not (folder / MANIFEST).is_file():
        raise InputError(
            f"{target}: not a built show (no {MANIFEST}); check the --out folder of yomicast build"
        )
    manifest = Manifest.load(folder / MANIFEST)
    checks = []
    for entry in sorted(manifest.episodes.values(), key=lambda e: e.number):
        mp3 = entry.file(".mp3")
        if not target.is_dir() and target.name != mp3:
            continue
        path = folder / mp3
        if not path.is_file():
            continue
        if not entry.lines:
            raise InputError(
                f"{mp3}: built before yomicast recorded what each line says; build it again to check it"
            )
        samples = decode_16k(path)
        result = check_audio(mp3, samples, entry.lines, model, threshold=threshold, progress=progress)
        recorded = entry.digests.get(mp3)
        if recorded and file_digest(path)[1] != recorded[1]:
            result.notes.append("the file was changed after the build; it is checked as it is now")
        checks.append(result)
    if not checks:
        raise InputError(
            f"{target}: no episode of the show is this file"
            if not target.is_dir()
            else f"{target}: the show has no episodes to check"
        )
    return checks


def listener(
    model: Path | None = None, *, threshold: float = THRESHOLD
) -> Callable[[Path, list[list[Any]]], dict[str, Any]]:
    """The hook ``build --check`` hears each new episode with: (MP3, its lines) → ``check --json``'s record
    of one episode. The model is found now (a missing extra fails before anything is spoken) and loaded
    once, when the first episode is heard."""
    from yomicast.check.model import load_model, model_folder

    folder = model_folder(model)
    loaded: list[Any] = []

    def listen(mp3: Path, lines: list[list[Any]]) -> dict[str, Any]:
        if not loaded:
            loaded.append(load_model(folder))
        return check_audio(mp3.name, decode_16k(mp3), lines, loaded[0], threshold=threshold).as_json()

    return listen
