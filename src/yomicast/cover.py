"""Cover art: check the show's image against Apple's rules, or draw a default one (Pillow)."""

from __future__ import annotations

import io
from pathlib import Path

from yomicast.errors import ConfigError

MIN_SIDE, MAX_SIDE = 1400, 3000


def check_cover(path: Path) -> str:
    """Raise ConfigError unless ``path`` is a square RGB JPEG or PNG of 1400–3000 px; return its suffix."""
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(path) as img:
            fmt, size, mode = img.format, img.size, img.mode
    except (OSError, UnidentifiedImageError):
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
    return ".jpg" if fmt == "JPEG" else ".png"


def default_cover(title: str, side: int = 1400) -> bytes:
    """A plain, valid cover: a deep gradient, sound bars and the word yomicast (the default font has no kana,
    so the show's Japanese title is left to the podcast app, which prints it under the art anyway)."""
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
        h = side * (0.08 + 0.25 * abs(((seed * (i + 3)) % 97) / 97 - 0.5) * 2)
        x = side * 0.15 + i * width
        draw.rounded_rectangle(
            [x + width * 0.2, side * 0.45 - h / 2, x + width * 0.8, side * 0.45 + h / 2],
            radius=int(width * 0.3),
            fill=(250, 200, 80),
        )
    font = ImageFont.load_default(size=side // 9)
    text = "yomicast"
    box = draw.textbbox((0, 0), text, font=font)
    draw.text(((side - (box[2] - box[0])) / 2, side * 0.72), text, font=font, fill=(255, 255, 255))
    out = io.BytesIO()
    img.save(out, format="JPEG", quality=88)
    return out.getvalue()
