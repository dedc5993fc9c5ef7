"""Files on disk: atomic writes (a temporary file in the same folder, then a rename, so nothing is ever
half-written), and reads that take only a regular file, never block on a pipe or a device, never follow a
link out of the folder they were given, and stop at a bound while reading."""

from __future__ import annotations

import os
import re
import stat
import tempfile
from pathlib import Path

from yomicast.errors import InputError, OutputError


def shown(path: Path | str) -> str:
    """A path as it can be printed: bytes that are not UTF-8 (kept by Python as surrogates) as \\xNN."""
    return os.fsencode(str(path)).decode("utf-8", "backslashreplace")


def read_regular(
    path: Path, limit: int, *, within: Path | None = None, too_large: str = "", name: str | None = None
) -> bytes:
    """The bytes of ``path`` if it is a regular file of at most ``limit`` bytes, else one ``InputError``.
    ``within``: a symbolic link must stay inside that folder. ``too_large`` ends the error past the limit
    (which setting raises it). ``name``: how the errors name the file (default: the path)."""
    name = name or shown(path)
    try:
        str(path).encode("utf-8")
    except UnicodeEncodeError:
        raise InputError(f"{name}: the file name is not UTF-8; rename it") from None
    if within is not None and path.is_symlink():
        target = path.resolve()
        if not target.is_relative_to(within.resolve()):
            raise InputError(f"{name}: a link to {shown(target)}, outside {shown(within)}; not read")
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0))
    except FileNotFoundError:
        raise InputError(f"{shown(path)}: no such file") from None
    except OSError as exc:
        raise InputError(f"{name}: cannot read the file ({exc.strerror})") from None
    info = os.fstat(fd)
    if not stat.S_ISREG(info.st_mode):  # before fdopen, which refuses a folder with a traceback of its own
        os.close(fd)
        if stat.S_ISDIR(info.st_mode):
            raise InputError(f"{name}: is a folder; give one file")
        raise InputError(f"{name}: not a regular file (a pipe, socket or device); not read")
    with os.fdopen(fd, "rb") as fh:
        os.set_blocking(fd, True)
        try:
            data = fh.read(limit + 1)
        except OSError as exc:
            raise InputError(f"{name}: cannot read the file ({exc.strerror})") from None
    if len(data) > limit:
        size = max(info.st_size, len(data))
        raise InputError(
            f"{name}: {size / 1_000_000:.3g} MB is over the {limit / 1_000_000:g} MB limit{too_large}"
        )
    return data


_PART = re.compile(r"\..+\.part\d*(\.trial)?")


def remove_stale_parts(folder: Path) -> int:
    """Remove the temporary files (``.NAME.part``, ``.NAME.part1.trial`` …) a killed writer left in
    ``folder``; call it holding the folder's lock, when no writer of ours can be running. Returns how many."""
    removed = 0
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return 0
    for entry in entries:
        if _PART.fullmatch(entry.name) and entry.is_file(follow_symlinks=False):
            try:
                os.unlink(entry.path)
                removed += 1
            except OSError:
                pass
    return removed


def check_output(path: Path, *, inputs: tuple[Path | None, ...] = ()) -> None:
    """Refuse, before any work, an output path that would replace what it must not: a link (the file it
    points at would be replaced), a device, pipe or folder, or one of the command's own inputs."""
    if path.is_symlink():
        raise OutputError(f"{shown(path)}: is a link; give the path of a file of its own")
    if not path.exists():
        return
    if not stat.S_ISREG(path.stat().st_mode):
        raise OutputError(f"{shown(path)}: not a regular file (a device, pipe or folder); not replaced")
    for given in inputs:
        if given is not None and given.exists() and os.path.samefile(path, given):
            raise OutputError(
                f"{shown(path)}: is an input of this command ({shown(given)}); give another name"
            )


def atomic_write_bytes(path: Path, data: bytes) -> None:
    path = Path(path)
    try:
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
    except OSError as exc:
        raise OutputError(f"cannot write {path}: {exc.strerror or exc}") from None
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise OutputError(f"cannot write {path}: {exc.strerror or exc}") from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def atomic_write_text(path: Path, text: str) -> None:
    atomic_write_bytes(path, text.encode("utf-8"))
