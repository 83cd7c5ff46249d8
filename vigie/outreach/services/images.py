"""Photo fingerprints: the perceptual hash of a photo the worker uploads, never the photo.

The same photo reposted by a network (resized, recompressed, slightly cropped) keeps a pHash
within a few bits, which links ads whose phones changed. The photo itself is read in memory,
hashed and dropped: Vigie keeps no image of a child (seed 000 §III.4).
"""

from __future__ import annotations

from typing import IO

import imagehash
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

# A phone photo is a few MB; anything larger is not a photo from an ad.
IMAGE_MAX_BYTES = 15 * 1024 * 1024
# Pillow's decompression-bomb guard, tighter than its default: 40 megapixels.
IMAGE_MAX_PIXELS = 40_000_000


def image_fingerprint(stream: IO[bytes], *, size: int | None = None) -> str:
    """The 64-bit pHash of an image as 16 hexadecimal digits; a clear error otherwise."""
    if size is not None and size > IMAGE_MAX_BYTES:
        raise ValidationError(_("This photo is larger than 15 MB."), code="too_large")
    try:
        with Image.open(stream) as image:
            width, height = image.size
            if width * height > IMAGE_MAX_PIXELS:
                raise ValidationError(_("This photo has too many pixels."), code="too_large")
            image.load()
            return str(imagehash.phash(image.convert("RGB")))
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError) as error:
        raise ValidationError(
            _("This file is not a photo Vigie can read (JPEG, PNG, WebP, GIF)."), code="invalid"
        ) from error
