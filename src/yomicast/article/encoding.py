"""Bytes → text: an article's encoding detected (charset-normalizer), binary and garbage refused."""

from __future__ import annotations

import re
import unicodedata

from yomicast.errors import InputError

# Encodings an article may come in. Restricting the detector to these keeps short Japanese files from
# being taken for Chinese or Korean code pages.
_ENCODINGS = ["utf_8", "utf_16", "utf_32", "cp932", "shift_jis", "euc_jp", "euc_jis_2004", "iso2022_jp"]


def decode_bytes(data: bytes, name: str) -> str:
    """Decode an article's bytes, detecting its encoding; raise InputError for binary or garbage."""
    if not data.strip():
        raise InputError(f"{name}: the file is empty; write the article's title and text into it")
    if data.startswith(b"\xef\xbb\xbf"):
        text = _strict(data[3:], "utf_8", name)
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = _strict(data, "utf_16", name)
    else:
        if b"\x00" in data:
            raise InputError(f"{name}: this is a binary file, not an article; give a .txt or .md file")
        try:
            text = data.decode("utf_8")
        except UnicodeDecodeError:
            text = _detect(data, name)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    controls = sum(1 for c in text if unicodedata.category(c) == "Cc" and c not in "\n\t")
    if controls > max(16, len(text) // 10):  # text with the odd stray control, not controls with some text
        raise InputError(f"{name}: this is a binary file, not an article; give a .txt or .md file")
    text = drop_invisible(text)
    if not text.strip():
        raise InputError(f"{name}: the file is empty; write the article's title and text into it")
    return text


_ASCII_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f]")


def drop_invisible(text: str) -> str:
    """Remove what copy and paste leaves behind and no reader sees: control characters (BEL, VT, FF …; line
    breaks and tabs stay) and format characters (zero-width spaces and joiners, BOMs inside the text,
    soft hyphens, direction marks). They would otherwise reach titles, tags and speech."""
    if text.isascii() and not _ASCII_CONTROL.search(text):
        return text
    return "".join(c for c in text if c in "\n\t" or unicodedata.category(c) not in ("Cc", "Cf"))


def _strict(data: bytes, encoding: str, name: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise InputError(
            f"{name}: undecodable bytes at offset {exc.start} for its {encoding} byte-order mark; "
            "save the file again as UTF-8"
        ) from None


def _detect(data: bytes, name: str) -> str:
    from charset_normalizer import from_bytes

    best = from_bytes(data, cp_isolation=_ENCODINGS).best()
    if best is None:
        raise InputError(
            f"{name}: undecodable bytes: not valid UTF-8, UTF-16, Shift_JIS, EUC-JP or ISO-2022-JP; "
            "save the file again as UTF-8"
        )
    return str(best)
