"""Photo-like pictures for the advertisement tests (photo fingerprints): drawn, not real photos.

A flat colour has the same perceptual hash in every colour, so the pictures are shapes on a
gradient drawn from a seed: the same seed at another size or format is the same picture resized,
another seed another picture.
"""

from __future__ import annotations

import random
from io import BytesIO

from PIL import Image, ImageDraw


def photo_bytes(seed: int, size: tuple[int, int] = (240, 320), fmt: str = "PNG") -> bytes:
    base = Image.new("RGB", (480, 640))
    draw = ImageDraw.Draw(base)
    for row in range(640):
        draw.line([(0, row), (479, row)], fill=(row * 255 // 640, 90, 255 - row * 255 // 640))
    chance = random.Random(seed)  # noqa: S311 - test pictures, not secrets
    for _shape in range(12):
        x, y = chance.randrange(0, 400), chance.randrange(0, 560)
        w, h = chance.randrange(30, 200), chance.randrange(30, 200)
        colour = (chance.randrange(0, 256), chance.randrange(0, 256), chance.randrange(0, 256))
        draw.ellipse([x, y, x + w, y + h], fill=colour)
    output = BytesIO()
    base.resize(size).save(output, fmt)
    return output.getvalue()
