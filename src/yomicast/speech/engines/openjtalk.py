"""Open JTalk through pyopenjtalk-plus: offline, the dictionary and the HTS voice come in its wheel.

The HTS vocoder releases the GIL, so each worker thread gets its own ``HTSEngine`` and sentences are
spoken in parallel across cores in one process (no per-process dictionary copies). The text front end
(MeCab + NJD) is shared and cheap.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path
from typing import Any

from yomicast.errors import ConfigError, EngineError, EngineUnavailable
from yomicast.settings import Pronunciation, mora_count
from yomicast.speech.engines.base import Audio, Engine

MEI_CREDIT = "HTSボイス「Mei」（名古屋工業大学、CC BY 3.0）"
# pyopenjtalk holds one user dictionary for the whole process: which one, by the digest of its entries.
_USER_DICT: dict[str, Any] = {"digest": None}
_USER_DICT_LOCK = threading.Lock()


def _cost(priority: int) -> int:
    """A MeCab word cost from a priority of 0–10 (5, the default, wins over Open JTalk's own words)."""
    return 8000 - 1100 * priority


def _csv_row(p: Pronunciation) -> str:
    word = p.engine_word.replace('"', "")
    return (
        f'"{word}",,,{_cost(p.priority)},名詞,固有名詞,一般,*,*,*,"{word}",{p.kana},{p.kana},'
        f"{p.accent}/{mora_count(p.kana)},*\n"
    )


def _quietly(work: Any) -> None:
    """Run ``work`` with the C library's stdout and stderr sent nowhere (MeCab's compiler prints a
    progress bar on both)."""
    import sys

    sys.stdout.flush()
    sys.stderr.flush()
    saved = [os.dup(1), os.dup(2)]
    null = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(null, 1)
        os.dup2(null, 2)
        work()
    finally:
        os.dup2(saved[0], 1)
        os.dup2(saved[1], 2)
        for fd in (*saved, null):
            os.close(fd)


class OpenJTalkEngine(Engine):
    chooses_voice = True  # an HTS voice file
    name = "openjtalk"
    description = "Open JTalk (offline, HTS voice 'mei' by default)"
    reads_latin = False
    has_dictionary = True  # its user dictionary (MeCab's), compiled from the show's entries
    # A longer sentence is cut at clause ends: one HTS call holds its whole utterance in memory, and a
    # runaway "sentence" (a pasted table with no full stops) would otherwise be minutes of audio at once.
    max_chars = 300

    def __init__(
        self,
        speed: float = 1.0,
        half_tone: float = 0.0,
        voice: str | Path | None = None,
        concurrency: int | None = None,
        workers: int | None = None,  # the old name of concurrency, still read
    ) -> None:
        if not 0.3 <= float(speed) <= 3.0:
            raise ConfigError(f"openjtalk speed must be between 0.3 and 3.0, not {speed}")
        if not -24 <= float(half_tone) <= 24:
            raise ConfigError(f"openjtalk half_tone must be between -24 and 24, not {half_tone}")
        self.speed = float(speed)
        self.half_tone = float(half_tone)
        self.voice = Path(voice).expanduser() if voice else None
        if self.voice is not None and not self.voice.is_file():
            raise ConfigError(f"openjtalk voice file not found: {self.voice}")
        self.concurrency = max(1, int(concurrency or workers or os.cpu_count() or 1))
        self._local = threading.local()
        self._known: dict[str, bool] = {}

    def settings(self) -> dict[str, Any]:
        voice = None
        if self.voice is not None:
            stat = self.voice.stat()
            voice = f"{self.voice.name}:{stat.st_size}:{int(stat.st_mtime)}"
        return {"speed": self.speed, "half_tone": self.half_tone, "voice": voice}

    def voices(self) -> list[str]:
        if self.voice:
            return [f"{self.voice.stem} (from {self.voice})"]
        return [f"mei: the bundled HTS voice; credit {MEI_CREDIT}"]

    def credits(self) -> tuple[str, ...]:
        # The bundled voice is CC BY 3.0: its authors must be named wherever it is published.
        return () if self.voice else (MEI_CREDIT,)

    def check(self) -> str | None:
        try:
            self._pyopenjtalk()
        except EngineUnavailable as exc:
            return str(exc)
        return None

    @staticmethod
    def _pyopenjtalk() -> Any:
        try:
            import pyopenjtalk
        except ImportError as exc:  # pragma: no cover - a broken install
            raise EngineUnavailable(
                f"pyopenjtalk-plus is not installed ({exc}); run: pip install yomicast"
            ) from None
        return pyopenjtalk

    def _htsengine(self) -> Any:
        eng = getattr(self._local, "engine", None)
        if eng is None:
            pj = self._pyopenjtalk()
            from pyopenjtalk.htsengine import HTSEngine

            path = str(self.voice).encode() if self.voice else pj.DEFAULT_HTS_VOICE
            try:
                eng = HTSEngine(path)
            except RuntimeError:
                raise ConfigError(f"openjtalk cannot load the voice file {self.voice}") from None
            self._local.engine = eng
        return eng

    def use_dictionary(self, entries: tuple[Pronunciation, ...]) -> tuple[list[str], list[str]]:
        """Compile the entries into Open JTalk's user dictionary (MeCab's own compiler, in pyopenjtalk),
        apply it with its readings protected from later corrections, and read each word back."""
        import hashlib
        import tempfile

        pj = self._pyopenjtalk()
        entries = tuple(p for p in entries if p.in_engine)
        rows = "".join(_csv_row(p) for p in entries)
        digest = hashlib.sha256(rows.encode()).hexdigest() if entries else None
        with _USER_DICT_LOCK:
            if _USER_DICT["digest"] != digest:
                if digest is None:
                    pj.unset_user_dict()
                else:
                    with tempfile.TemporaryDirectory(prefix="yomicast-dict-") as tmp:
                        csv, dic = Path(tmp) / "user.csv", Path(tmp) / "user.dic"
                        csv.write_text(rows, encoding="utf-8")
                        try:
                            _quietly(lambda: pj.mecab_dict_index(str(csv), str(dic)))
                            pj.update_global_jtalk_with_user_dict(
                                [{"dic_path": str(dic), "is_reading_protected": True}]
                            )
                        except (RuntimeError, ValueError, OSError) as exc:
                            raise ConfigError(
                                f"Open JTalk cannot use the pronunciation dictionary: {exc}"
                            ) from None
                _USER_DICT["digest"] = digest
                self._known.clear()
        self.held = entries
        if not entries:
            return [], []
        wrong = []
        for p in entries:
            nodes = pj.run_frontend(p.engine_word)
            said = "".join(n["pron"] for n in nodes).replace("’", "")
            accent = nodes[0]["acc"] if len(nodes) == 1 else None
            if said != p.kana or accent != p.accent:
                wrong.append(f"{p.surface} is read {said} (accent {accent}), not {p.kana} ({p.accent})")
        done = f"Open JTalk's dictionary: {len(entries) - len(wrong)} of {len(entries)} words read as given"
        return [done], [f"Open JTalk's dictionary: {w}" for w in wrong]

    def labels(self, text: str) -> list[str]:
        return self._pyopenjtalk().extract_fullcontext(text)

    def synthesize(self, text: str) -> Audio:
        import numpy as np

        labels = self.labels(text)
        eng = self._htsengine()
        try:
            eng.set_speed(self.speed)
            eng.add_half_tone(self.half_tone)
            wav = eng.synthesize(labels)
        except RuntimeError as exc:
            raise EngineError(f"openjtalk could not speak {text[:30]!r}: {exc}") from None
        # HTS returns float64 in the int16 scale, with peaks beyond it: scale, never clip.
        return Audio(samples=(wav / 32768.0).astype(np.float32), rate=eng.get_sampling_frequency())

    def kana(self, text: str) -> str:
        """The katakana reading Open JTalk will speak (for ``yomicast sections --readings``)."""
        return self._pyopenjtalk().g2p(text, kana=True)

    def knows_word(self, word: str) -> bool:
        """A Latin word is known when Open JTalk reads it as katakana rather than spelling its letters."""
        if word not in self._known:
            import re

            from yomicast.reading import spell_acronym

            reading = self._pyopenjtalk().g2p(word, kana=True)
            self._known[word] = bool(re.fullmatch(r"[ァ-ヴー]+", reading)) and reading != spell_acronym(
                word.upper()
            )
        return self._known[word]
