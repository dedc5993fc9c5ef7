"""Content-addressed segment cache, shared by every engine.

Key: hash of format version, engine name, engine settings and the exact speech text. Value: the segment
already in the episode format (44.1 kHz mono), stored as int16 with a float scale so Open JTalk's
over-full-scale peaks survive, followed by its K-weighted loudness per 100 ms hop (so an episode's
loudness is known without reading its audio). Entries are written to a temporary file in the same folder and renamed into
place, so two processes can share the cache and a partially written entry is never read back.
"""

from __future__ import annotations

import hashlib
import json
import os
import struct
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import numpy as np

FORMAT = "yomicast-seg-2"  # 44.1 kHz mono, band-limited to 12 kHz
_MAGIC = b"YCS2"
_HEADER = struct.Struct("<4sfII")  # magic, scale, sample count, hop count


def default_cache_dir() -> Path:
    env = os.environ.get("YOMICAST_CACHE_DIR")
    if env:
        return Path(env).expanduser()
    from platformdirs import user_cache_path

    return user_cache_path("yomicast") / "segments"


def segment_key(engine: str, settings: dict[str, Any], text: str) -> str:
    blob = json.dumps([FORMAT, engine, settings, text], ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()


class SegmentCache:
    def __init__(self, root: Path | str | None = None) -> None:
        self.root = Path(root).expanduser() if root else default_cache_dir()

    def path(self, key: str) -> Path:
        return self.root / key[:2] / f"{key}.seg"

    def _read(self, key: str, samples: bool) -> tuple[float, np.ndarray | None, np.ndarray] | None:
        """(sample peak, samples or None, hop powers) of a complete entry, or None."""
        import numpy as np

        try:
            with self.path(key).open("rb") as fh:
                head = fh.read(_HEADER.size)
                magic, scale, count, hops = _HEADER.unpack(head)
                size = os.fstat(fh.fileno()).st_size
                if magic != _MAGIC or size != _HEADER.size + 2 * count + 8 * hops:
                    return None
                pcm = None
                if samples:
                    raw = np.frombuffer(fh.read(2 * count), dtype="<i2")
                    pcm = raw.astype(np.float32) * np.float32(scale / 32767.0)
                else:
                    fh.seek(2 * count, os.SEEK_CUR)
                powers = np.frombuffer(fh.read(8 * hops), dtype="<f8")
        except (OSError, struct.error, ValueError):
            return None
        return float(scale), pcm, powers

    def length(self, key: str) -> int | None:
        """Sample count of a complete entry, or None (missing or damaged)."""
        try:
            with self.path(key).open("rb") as fh:
                magic, _scale, count, hops = _HEADER.unpack(fh.read(_HEADER.size))
                size = os.fstat(fh.fileno()).st_size
        except (OSError, struct.error):
            return None
        if magic != _MAGIC or size != _HEADER.size + 2 * count + 8 * hops:
            return None
        return count

    def get(self, key: str) -> np.ndarray | None:
        entry = self._read(key, samples=True)
        return None if entry is None else entry[1]

    def hops(self, key: str) -> np.ndarray | None:
        entry = self._read(key, samples=False)
        return None if entry is None else entry[2]

    def peak_and_hops(self, key: str) -> tuple[float, np.ndarray] | None:
        """The segment's sample peak and its hop powers, without reading its samples."""
        entry = self._read(key, samples=False)
        return None if entry is None else (entry[0], entry[2])

    def put(self, key: str, samples: np.ndarray, hops: np.ndarray | None = None) -> int:
        import numpy as np

        samples = np.asarray(samples, dtype=np.float32)
        powers = np.asarray(hops if hops is not None else [], dtype="<f8")
        peak = float(np.max(np.abs(samples))) if samples.size else 0.0
        scale = max(peak, 1e-9)
        pcm = np.round(samples * (32767.0 / scale)).astype("<i2")
        dest = self.path(key)
        dest.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=dest.parent, prefix=".tmp-", suffix=".seg")
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(_HEADER.pack(_MAGIC, scale, pcm.size, powers.size))
                fh.write(pcm.tobytes())
                fh.write(powers.tobytes())
            os.replace(tmp, dest)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        return int(pcm.size)

    # Mastering decisions (the gain that brings one exact sequence of segments to the target loudness), so
    # a rebuild of an unchanged episode need not measure it again.
    def master(self, key: str) -> dict[str, float] | None:
        try:
            data = json.loads((self.root / "masters" / f"{key}.json").read_text(encoding="utf-8"))
            return {"gain": float(data["gain"]), "loudness": float(data["loudness"])}
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def put_master(self, key: str, gain: float, loudness: float) -> None:
        folder = self.root / "masters"
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=".tmp-", suffix=".json")
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump({"gain": gain, "loudness": loudness}, fh)
        os.replace(tmp, folder / f"{key}.json")
