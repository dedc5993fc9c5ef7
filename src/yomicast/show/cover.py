"""Cover art: check the show's image against Apple's rules, or draw a default one (Pillow)."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

from yomicast.errors import ConfigError

MIN_SIDE, MAX_SIDE = 1400, 3000


def check_cover(path: Path) -> str:
    """Raise ConfigError unless ``path`` is a square RGB JPEG or PNG of 1400–3000 px; return its suffix."""
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(path) as img:  # reads the header only: the size is checked before any pixel
            fmt, size, mode = img.format, img.size, img.mode
    except Image.DecompressionBombError:
        raise ConfigError(f"{path}: the cover claims more pixels than any cover has") from None
    except (OSError, UnidentifiedImageError, ValueError):
        raise ConfigError(f"{path}: the cover is not an image Pillow can read") from None
    if fmt not in ("JPEG", "PNG"):
        raise ConfigError(f"{path}: the cover must be JPEG or PNG, not {fmt}")
    w, h = size
    if w != h:
        raise ConfigError(f"{path}: the cover must be square, not {w}x{h}")
    if not MIN_SIDE <= w <= MAX_SIDE:
        raise ConfigError(f"{path}: the cover must be {MIN_SIDE}–{MAX_SIDE} px on a side, not {w}")
    if mode != "RGB":
        raise ConfigError(f"{path}: the cover must be RGB (no alpha, no CMYK or palette), not {mode}")
    try:
        with Image.open(path) as img:
            img.load()  # every pixel decodes: a header with nothing behind it is not a cover
    except (OSError, ValueError, Image.DecompressionBombError):
        raise ConfigError(f"{path}: the cover is cut short or damaged; its pixels do not decode") from None
    return ".jpg" if fmt == "JPEG" else ".png"


# Characters a Japanese line may not start with (kinsoku): they stay at the end of the line before.
_NO_LINE_START = (
    "、。，．・：；？！ー」』）］｝〕〉》】〙〗ぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮヵヶ,.!?:;)]}"
)


def title_font_path() -> Path:
    """IPAexGothic, a font with kana and kanji, from the ``matplotlib-fontja`` wheel (IPA Font License:
    redistribution allowed). Found through the package's file list, so matplotlib is never imported."""
    import importlib.metadata

    try:
        files = importlib.metadata.files("matplotlib-fontja") or []
    except importlib.metadata.PackageNotFoundError:
        raise ConfigError(
            "the cover font is missing; reinstall yomicast (it needs matplotlib-fontja)"
        ) from None
    for f in files:
        if str(f).endswith("ipaexg.ttf"):
            return Path(str(f.locate()))
    raise ConfigError("the cover font ipaexg.ttf is missing from matplotlib-fontja; reinstall it")


def wrap_title(title: str, fits: Callable[[str], bool]) -> list[str]:
    """Japanese line breaking: as many characters a line as ``fits``, at the last space where the line has
    one (a title's words stay whole), never a line that starts with closing punctuation or a small kana."""
    lines: list[str] = []
    line = ""
    for ch in title:
        if not line and ch == " ":
            continue
        if fits(line + ch) or not line:
            line += ch
            continue
        if ch in _NO_LINE_START:  # keep it on this line, a little over
            line += ch
            continue
        cut = line.rfind(" ")
        if cut > 0:
            lines.append(line[:cut])  # where the title has a space, that is where it breaks
            line = line[cut + 1 :] + ch
        else:
            lines.append(line)
            line = ch
    if line:
        lines.append(line)
    return lines


def default_cover(title: str, side: int = 1400) -> bytes:
    """A plain, valid cover: a deep gradient, sound bars and the show's title (Japanese included), wrapped
    and sized to fit, with the yomicast wordmark small below it."""
    from PIL import Image, ImageDraw, ImageFont

    img = Image.new("RGB", (side, side))
    draw = ImageDraw.Draw(img)
    for y in range(side):
        t = y / side
        draw.line([(0, y), (side, y)], fill=(int(20 + 40 * t), int(40 + 30 * t), int(90 + 60 * t)))
    seed = sum(map(ord, title))
    bars = 24
    width = side * 0.7 / bars
    for i in range(bars):
        h = side * (0.05 + 0.18 * abs(((seed * (i + 3)) % 97) / 97 - 0.5) * 2)
        x = side * 0.15 + i * width
        draw.rounded_rectangle(
            [x + width * 0.2, side * 0.3 - h / 2, x + width * 0.8, side * 0.3 + h / 2],
            radius=int(width * 0.3),
            fill=(250, 200, 80),
        )
    path = str(title_font_path())
    text = " ".join(title.split()) or "yomicast"
    area_w, area_h = side * 0.84, side * 0.38  # the title's box, below the bars
    for size in range(side // 8, side // 40, -max(1, side // 200)):
        font = ImageFont.truetype(path, size)

        def fits(line: str, font: ImageFont.FreeTypeFont = font) -> bool:
            return draw.textlength(line, font=font) <= area_w

        lines = wrap_title(text, fits)
        height = len(lines) * size * 1.3
        if (
            len(lines) <= 4
            and height <= area_h
            and all(draw.textlength(ln, font=font) <= area_w * 1.06 for ln in lines)
        ):
            break
    top = side * 0.5 + (area_h - height) / 2
    for n, line in enumerate(lines):
        w = draw.textlength(line, font=font)
        draw.text(((side - w) / 2, top + n * size * 1.3), line, font=font, fill=(255, 255, 255))
    mark = ImageFont.truetype(path, side // 28)
    w = draw.textlength("yomicast", font=mark)
    draw.text(((side - w) / 2, side * 0.92), "yomicast", font=mark, fill=(250, 200, 80))
    out = io.BytesIO()
    img.save(out, format="JPEG", quality=88)
    return out.getvalue()


def publish_cover(show: Any, out: Path) -> str:
    """Put the show's cover in ``out`` (its own image, checked, or one drawn from the title: the same
    title draws the same bytes) and return its file name."""
    from yomicast.show.output import write_if_changed

    if show.cover is not None:
        name = "cover" + check_cover(show.cover)
        write_if_changed(out / name, show.cover.read_bytes())
        return name
    write_if_changed(out / "cover.jpg", default_cover(show.title))
    return "cover.jpg"
