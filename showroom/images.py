"""Uploaded showroom images are decoded and re-encoded: whatever was uploaded, only pixels are kept."""

import io
from pathlib import PurePath

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_SIDE = 1600  # pixels; larger images are scaled down
MAX_PIXELS = 40_000_000  # refuse decompression bombs before decoding them
ALLOWED_FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}


class ImageRejected(ValueError):
    pass


def image_reencode(upload, *, max_bytes: int | None = None) -> SimpleUploadedFile:
    """Return a clean copy of `upload` (JPEG or PNG, no metadata, at most MAX_SIDE pixels a side).

    Raise ImageRejected with a translatable message when the file is too large or not an image.
    """
    max_bytes = max_bytes or settings.MAX_UPLOAD_SIZE
    if upload.size > max_bytes:
        raise ImageRejected(_("L'image dépasse la taille maximale de %(size)s Mo.") % {"size": max_bytes // 2**20})
    try:
        upload.seek(0)
        with Image.open(upload) as probe:
            if probe.format not in ALLOWED_FORMATS:
                raise ImageRejected(_("Format d'image non accepté : utilisez JPEG, PNG ou WebP."))
            if probe.width * probe.height > MAX_PIXELS:
                raise ImageRejected(_("L'image a trop de pixels."))
            probe.verify()
        upload.seek(0)
        with Image.open(upload) as image:
            image = ImageOps.exif_transpose(image)  # keep the orientation the EXIF asked for, then drop EXIF
            image.thumbnail((MAX_SIDE, MAX_SIDE))
            has_alpha = image.mode in ("RGBA", "LA") or (image.mode == "P" and "transparency" in image.info)
            out = io.BytesIO()
            if has_alpha:
                image.convert("RGBA").save(out, format="PNG", optimize=True)
                ext, content_type = "png", "image/png"
            else:
                image.convert("RGB").save(out, format="JPEG", quality=85, optimize=True)
                ext, content_type = "jpg", "image/jpeg"
    except ImageRejected:
        raise
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError, SyntaxError) as exc:
        raise ImageRejected(_("Ce fichier n'est pas une image lisible.")) from exc
    stem = PurePath(getattr(upload, "name", "") or "image").stem[:60] or "image"
    return SimpleUploadedFile(f"{stem}.{ext}", out.getvalue(), content_type=content_type)
