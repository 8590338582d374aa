"""Uploaded images: check what they really are, then re-encode without metadata
(EXIF, GPS) and at a sensible size.  Nothing is stored as the uploader sent it."""

import io

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
MAX_PIXELS = 40_000_000
ALLOWED_FORMATS = {"JPEG", "PNG", "WEBP"}
MAX_SIDE = 1600


class ImageRejected(ValueError):
    pass


def reencode_image(upload: UploadedFile) -> ContentFile:
    if upload.size is None or upload.size > MAX_UPLOAD_BYTES:
        raise ImageRejected(_("The photo is too large (at most 5 MB)."))
    try:
        with Image.open(upload) as probe:
            if probe.format not in ALLOWED_FORMATS:
                raise ImageRejected(_("Upload a photo as JPEG, PNG or WebP."))
            if probe.width * probe.height > MAX_PIXELS:
                raise ImageRejected(_("The photo has too many pixels."))
            probe.verify()
        upload.seek(0)
        with Image.open(upload) as original:
            image = ImageOps.exif_transpose(original).convert("RGB")
            image.thumbnail((MAX_SIDE, MAX_SIDE))
            out = io.BytesIO()
            image.save(out, format="JPEG", quality=85)  # no exif= argument: metadata is dropped
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError) as exc:
        raise ImageRejected(_("This file is not a photo we can read.")) from exc
    return ContentFile(out.getvalue(), name="photo.jpg")
