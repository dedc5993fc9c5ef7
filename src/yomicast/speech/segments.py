"""Segments: the script's speech cut into engine-sized texts, spoken in parallel and kept in the cache.

A segment is what an engine speaks in one call. Its cache key is the engine's name, its voice settings and
the exact text, so a rerun never speaks what it already has, and a run that fails part-way is resumed by
the next one (every segment is cached the moment it arrives).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import FIRST_EXCEPTION, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass
from typing import Any

from yomicast.reading import split_for_engine
from yomicast.script.compose import Script
from yomicast.settings import Progress
from yomicast.speech.cache import SegmentCache, segment_key
from yomicast.speech.engines.base import Engine


@dataclass(frozen=True)
class Segment:
    key: str
    text: str
    engine: Engine


def plan_segments(script: Script, voice: Callable[[str], Engine]) -> list[list[Segment]]:
    """For each line of the script, the segments that speak it; ``voice(part)`` is the engine of a part."""
    settings: dict[int, dict[str, Any]] = {}
    plan = []
    for ln in script.lines:
        engine = voice(ln.part)
        if id(engine) not in settings:
            settings[id(engine)] = engine.settings()
        plan.append(
            [
                _segment(engine, settings[id(engine)], text)
                for text in split_for_engine(ln.speech, engine.max_chars)
            ]
        )
    return plan


def _segment(engine: Engine, settings: dict[str, Any], text: str) -> Segment:
    """A segment's cache key holds the engine's settings, the text, and the entries of the engine's own
    dictionary that the text holds (none: the key as it always was)."""
    held = engine.held_in(text)
    return Segment(
        segment_key(engine.name, {**settings, "dictionary": held} if held else settings, text), text, engine
    )


def speak_segments(
    segments: list[Segment], cache: SegmentCache, progress: Progress | None = None
) -> tuple[dict[str, int], set[str]]:
    """Speak every segment not yet cached, each engine ``concurrency`` at a time, longest first.

    Returns the sample count of every segment by key, and the keys of those spoken in this run.
    """
    from yomicast.audio.decode import pad_to_hop, to_episode_pcm
    from yomicast.audio.loudness import hop_powers

    lengths: dict[str, int] = {}
    todo: dict[str, Segment] = {}
    for seg in segments:
        if seg.key in lengths or seg.key in todo:
            continue
        n = cache.length(seg.key)
        if n is None:
            todo[seg.key] = seg
        else:
            lengths[seg.key] = n
    total = len(todo)
    if progress:
        progress(0, total)
    if not todo:
        return lengths, set()

    def one(seg: Segment) -> tuple[str, int]:
        pcm = pad_to_hop(to_episode_pcm(seg.engine.synthesize(seg.text)))
        return seg.key, cache.put(seg.key, pcm, hop_powers(pcm))

    # Longest first keeps the workers evenly busy until the end; each engine keeps to its own concurrency.
    jobs = sorted(todo.values(), key=lambda seg: -len(seg.text))
    slots: dict[int, threading.Semaphore] = {}
    for seg in jobs:
        slots.setdefault(id(seg.engine), threading.BoundedSemaphore(max(1, seg.engine.concurrency)))

    def gated(seg: Segment) -> tuple[str, int]:
        with slots[id(seg.engine)]:
            return one(seg)

    workers = sum(max(1, e.concurrency) for e in {id(s.engine): s.engine for s in jobs}.values())
    done = 0
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="speak") as pool:
        pending: set[Future[tuple[str, int]]] = {pool.submit(gated, seg) for seg in jobs}
        while pending:
            finished, pending = wait(pending, return_when=FIRST_EXCEPTION)
            for fut in finished:
                exc = fut.exception()
                if exc is not None:
                    for p in pending:
                        p.cancel()
                    raise exc
                key, n = fut.result()
                lengths[key] = n
                done += 1
                if progress:
                    progress(done, total)
    return lengths, set(todo)
