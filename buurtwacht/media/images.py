"""Uploaded images: check what they really are, then re-encode without metadata
(EXIF, GPS) and at a sensible size.  Nothing is stored as the uploader sent it.

Decoding is where an upload costs memory: a 5 KB PNG can claim 40 million pixels (a
"pixel flood").  So, before any pixel is decoded:
- the header's size is checked (`PHOTO_MAX_PIXELS`), and a file that promises far more
  pixels than its bytes can honestly hold is refused as a decompression bomb;
- a JPEG is decoded at a reduced scale (`draft`) when only a smaller copy is kept;
- what the decode will take is reserved from one budget for the whole process
  (`PHOTO_DECODE_BUDGET_MB`): uploads beyond it wait their turn (at most
  `PHOTO_DECODE_WAIT_SECONDS`), so several at once cannot add up past it.
"""

import io
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

ALLOWED_FORMATS = {"JPEG", "PNG", "WEBP"}
MAX_SIDE = 1600
THUMB_SIDE = 480
# Real photos hold a few pixels per byte (JPEG) up to some hundreds (flat PNG drawings);
# a file promising more, for an image this large, is a decompression bomb.
BOMB_PIXELS_PER_BYTE = 1000
BOMB_MIN_PIXELS = 2_000_000
# Pillow keeps 1 byte per pixel for modes L and 1, 4 for the rest we convert to RGB.
_ONE_BYTE_MODES = {"L", "1"}


class ImageRejected(ValueError):
    pass


@dataclass(frozen=True)
class PreparedImage:
    """The re-encoded image (JPEG, no metadata) and a thumbnail of it."""

    image: bytes
    thumbnail: bytes
    width: int
    height: int


class _DecodeBudget:
    """Bytes of decoded pixels the process may hold at once, over all threads."""

    def __init__(self) -> None:
        self._used = 0
        self._free = threading.Condition()

    @property
    def used(self) -> int:
        return self._used

    @contextmanager
    def reserve(self, amount: int, *, limit: int, wait: float) -> Iterator[None]:
        if amount > limit:
            raise ImageRejected(_("The photo has too many pixels."))
        deadline = time.monotonic() + wait
        with self._free:
            while self._used + amount > limit:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise ImageRejected(
                        _("Many photos are being processed right now. Try again shortly.")
                    )
                self._free.wait(left)
            self._used += amount
        try:
            yield
        finally:
            with self._free:
                self._used -= amount
                self._free.notify_all()


DECODE_BUDGET = _DecodeBudget()


def _decode_cost(image: Image.Image) -> int:
    """Bytes the decode and the resizing take at their peak (with a margin)."""
    per_pixel = 1 if image.mode in _ONE_BYTE_MODES else 4
    return int(image.width * image.height * per_pixel * 1.25) + MAX_SIDE * MAX_SIDE * 4 * 2


def _probe(data: bytes) -> None:
    """Format, size and integrity from the header and a pass over the file, decoding
    no pixels."""
    with Image.open(io.BytesIO(data)) as probe:
        if probe.format not in ALLOWED_FORMATS:
            raise ImageRejected(_("Upload a photo as JPEG, PNG or WebP."))
        pixels = probe.width * probe.height
        if pixels > settings.PHOTO_MAX_PIXELS:
            raise ImageRejected(_("The photo has too many pixels."))
        if pixels > BOMB_MIN_PIXELS and pixels > BOMB_PIXELS_PER_BYTE * len(data):
            raise ImageRejected(_("This file is not a photo we can read."))
        probe.verify()


def _jpeg(image: Image.Image, side: int) -> bytes:
    if max(image.size) > side:
        image = image.copy()
        image.thumbnail((side, side))
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=85, optimize=True)  # no exif=: no metadata
    return out.getvalue()


def prepare_image(upload: UploadedFile) -> PreparedImage:
    """The upload re-encoded, or ImageRejected with a message for people."""
    limit = settings.PHOTO_MAX_UPLOAD_BYTES
    too_large = ImageRejected(
        _("The photo is too large (at most %(mb)d MB).") % {"mb": limit // (1024 * 1024)}
    )
    if upload.size is None or upload.size > limit:
        raise too_large
    upload.seek(0)
    data = upload.read(limit + 1)
    if len(data) > limit:
        raise too_large
    try:
        _probe(data)
        with Image.open(io.BytesIO(data)) as original:
            if original.format == "JPEG":
                original.draft("RGB", (MAX_SIDE, MAX_SIDE))  # decode at 1/2, 1/4 or 1/8
            with DECODE_BUDGET.reserve(
                _decode_cost(original),
                limit=settings.PHOTO_DECODE_BUDGET_BYTES,
                wait=settings.PHOTO_DECODE_WAIT_SECONDS,
            ):
                original.load()
                image: Image.Image = original
                if image.mode not in _ONE_BYTE_MODES | {"RGB"}:
                    image = image.convert("RGBA" if "A" in image.getbands() else "RGB")
                image.thumbnail((MAX_SIDE, MAX_SIDE))
                image = ImageOps.exif_transpose(image).convert("RGB")
                return PreparedImage(
                    image=_jpeg(image, MAX_SIDE),
                    thumbnail=_jpeg(image, THUMB_SIDE),
                    width=image.width,
                    height=image.height,
                )
    except ImageRejected:
        raise
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError) as exc:
        raise ImageRejected(_("This file is not a photo we can read.")) from exc
    except Exception as exc:  # a decoder's own errors on a malformed file (SyntaxError, ...)
        raise ImageRejected(_("This file is not a photo we can read.")) from exc


def reencode_image(upload: UploadedFile) -> ContentFile:
    """A group's photo: the re-encoded image as a file to store."""
    return ContentFile(prepare_image(upload).image, name="photo.jpg")
