"""Content-addressed segment cache, shared by every engine.

Key: hash of format version, engine name, engine settings and the exact speech text. Value: the segment
already in the episode format (44.1 kHz mono), stored as int16 with a float scale so Open JTalk's
over-full-scale peaks survive, followed by its K-weighted loudness per 100 ms hop (so an episode's
loudness is known without reading its audio), and a BLAKE2b digest of all that: an entry whose bytes do
not match it (a damaged disk, a tampered cache of the right size) is treated as missing, spoken again and
counted in ``damaged``. Entries are written to a temporary file in the same folder and renamed into
place, so two processes can share the cache and a partially written entry is never read back.
"""

from __future__ import annotations

import hashlib
import json
import os
import struct
import tempfile
import threading
from collections import OrderedDict
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import numpy as np

FORMAT = "yomicast-seg-2"  # 44.1 kHz mono, band-limited to 12 kHz
_MAGIC = b"YCS3"
_HEADER = struct.Struct("<4sfII")  # magic, scale, sample count, hop count
_DIGEST = 16  # bytes of BLAKE2b over the header, the samples and the hops, at the end of the entry
RECENT_BYTES = 64_000_000  # entries held after reading (an hour of speech is about 320 MB of samples)
_Entry = tuple[float, int, int, bytes]  # scale, sample count, hop count, body (samples then hops)


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
        self.damaged: list[str] = []  # keys of entries that failed their digest (spoken again)
        # key → (size, mtime_ns, inode) of an entry whose digest held: read again unchanged, it is not
        # hashed again
        self._verified: dict[str, tuple[int, int, int]] = {}
        # The entries read last, with their stamps: a build asks for one entry up to four times (length,
        # hops, peak, samples), and it is read from disk once; a stat tells that it is still the same file.
        self._recent: OrderedDict[str, tuple[tuple[int, int, int], _Entry]] = OrderedDict()
        self._recent_bytes = 0
        self._lock = threading.Lock()

    def path(self, key: str) -> Path:
        return self.root / key[:2] / f"{key}.seg"

    def _entry(self, key: str) -> _Entry | None:
        """(scale, sample count, hop count, body) of an entry whose digest holds, else None (and a
        damaged entry is counted). Read from disk once while it stays the same file."""
        path = self.path(key)
        with self._lock:
            memo = self._recent.get(key)
        if memo is not None:
            try:
                info = os.stat(path)
            except OSError:
                info = None
            if info is not None and (info.st_size, info.st_mtime_ns, info.st_ino) == memo[0]:
                with self._lock:
                    if key in self._recent:
                        self._recent.move_to_end(key)
                return memo[1]
            self._drop(key)
        return self._read_entry(key, path)

    def _remember(self, key: str, stamp: tuple[int, int, int], entry: _Entry) -> None:
        with self._lock:
            if key in self._recent:
                return
            self._recent[key] = (stamp, entry)
            self._recent_bytes += len(entry[3])
            while self._recent_bytes > RECENT_BYTES and len(self._recent) > 1:
                _key, (_stamp, old) = self._recent.popitem(last=False)
                self._recent_bytes -= len(old[3])

    def _drop(self, key: str) -> None:
        with self._lock:
            memo = self._recent.pop(key, None)
            if memo is not None:
                self._recent_bytes -= len(memo[1][3])

    def _read_entry(self, key: str, path: Path) -> _Entry | None:
        try:
            with path.open("rb") as fh:
                info = os.fstat(fh.fileno())
                size = info.st_size
                head = fh.read(_HEADER.size)
                magic, scale, count, hops = _HEADER.unpack(head)
                if magic != _MAGIC or size != _HEADER.size + 2 * count + 8 * hops + _DIGEST:
                    self._damaged(key, magic == _MAGIC)
                    return None
                body = fh.read(2 * count + 8 * hops)
                digest = fh.read(_DIGEST)
        except FileNotFoundError:
            return None
        except (OSError, struct.error, ValueError):
            self._damaged(key, True)
            return None
        stamp = (info.st_size, info.st_mtime_ns, info.st_ino)
        if self._verified.get(key) != stamp:
            if hashlib.blake2b(head + body, digest_size=_DIGEST).digest() != digest:
                self._damaged(key, True)
                return None
            self._verified[key] = stamp
        entry = (float(scale), count, hops, body)
        self._remember(key, stamp, entry)
        return entry

    def damage_notes(self) -> list[str]:
        """The warning a build gives when entries failed their checksum (none when all held)."""
        if not self.damaged:
            return []
        return [
            f"{len(self.damaged)} cached speech segments failed their checksum (a damaged or tampered "
            f"cache in {self.root}) and were spoken again"
        ]

    def _damaged(self, key: str, ours: bool) -> None:
        if ours and key not in self.damaged:  # an entry of an older format is just stale, not damaged
            self.damaged.append(key)

    def _read(self, key: str, samples: bool) -> tuple[float, np.ndarray | None, np.ndarray] | None:
        """(sample peak, samples or None, hop powers) of a complete, verified entry, or None."""
        import numpy as np

        entry = self._entry(key)
        if entry is None:
            return None
        scale, count, _hops, body = entry
        pcm = None
        if samples:
            raw = np.frombuffer(body, dtype="<i2", count=count)
            pcm = raw.astype(np.float32) * np.float32(scale / 32767.0)
        powers = np.frombuffer(body, dtype="<f8", offset=2 * count)
        return scale, pcm, powers

    def length(self, key: str) -> int | None:
        """Sample count of a complete, verified entry, or None (missing or damaged)."""
        entry = self._entry(key)
        return None if entry is None else entry[1]

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
            head = _HEADER.pack(_MAGIC, scale, pcm.size, powers.size)
            body = pcm.tobytes() + powers.tobytes()
            with os.fdopen(fd, "wb") as fh:
                fh.write(head)
                fh.write(body)
                fh.write(hashlib.blake2b(head + body, digest_size=_DIGEST).digest())
            os.replace(tmp, dest)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        return int(pcm.size)

    def forget(self, key: str) -> None:
        """Drop an entry, so that the segment is spoken again (a line the listening check flagged)."""
        self.path(key).unlink(missing_ok=True)
        self._verified.pop(key, None)
        self._drop(key)

    def forget_master(self, key: str) -> None:
        (self.root / "masters" / f"{key}.json").unlink(missing_ok=True)

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
