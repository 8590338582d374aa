"""Photos to upload: a camera JPEG with EXIF and GPS, and a pixel flood."""

import io
import struct
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import ExifTags, Image

from buurtwacht.alerts import actions as alert_actions
from buurtwacht.geo.models import Street
from buurtwacht.media.actions import PhotoDraft
from buurtwacht.media.images import prepare_image
from tests.conftest import GROUP_STREET

GPS_LATITUDE = (53.0, 13.0, 12.5)


def camera_jpeg(*, width: int = 1200, height: int = 800) -> bytes:
    """A photo as a phone makes it: camera make, orientation 6 (turned), GPS position."""
    image = Image.new("RGB", (width, height), (120, 60, 30))
    for x in range(0, width, 40):  # some structure, so it compresses like a photo
        image.paste((200, 200, 40), (x, 0, x + 10, height))
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "TestCam"
    exif[ExifTags.Base.Orientation] = 6
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = GPS_LATITUDE
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif, quality=90)
    return out.getvalue()


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def pixel_flood_png(side: int = 6300) -> bytes:
    """A valid 1-bit PNG of side x side pixels in about 5 KB, made without holding its
    pixels (the upload from the issue: 40 million pixels once decoded)."""
    row = b"\x00" + b"\x00" * ((side + 7) // 8)
    packer = zlib.compressobj(9)
    data = b"".join(packer.compress(row) for _ in range(side)) + packer.flush()
    header = struct.pack(">IIBBBBB", side, side, 1, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", data)
        + _chunk(b"IEND", b"")
    )


def upload(data: bytes, name: str = "foto.jpg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="image/jpeg")


@pytest.fixture
def street(group):
    return Street.objects.get(name=GROUP_STREET)


def web_post(client, group, street, *, photo: bytes | None, reason="recognise_person", text=""):
    data = {
        "client_id": "met-foto-1",
        "kind": "suspicious_person",
        "what": "Man probeert deurklinken van auto's",
        "street": street.pk,
        "photo_reason": reason,
        "photo_reason_text": text,
    }
    if photo is not None:
        data["photo"] = upload(photo)
    return client.post(reverse("alert_post", args=[group.pk]), data)


def post_with_photo(user, group, street, *, client_id="foto-1"):
    """An alert with a photo through the real action; returns the alert."""
    alert, _created = alert_actions.post_alert(
        user=user,
        group_id=group.pk,
        draft=alert_actions.AlertDraft(
            client_id=client_id,
            kind="suspicious_person",
            what="Man probeert deurklinken van auto's",
            street_id=street.pk,
            photo=PhotoDraft(
                image=prepare_image(upload(camera_jpeg())),
                reason="recognise_person",
                reason_text="Zijn jas is goed te zien",
            ),
        ),
    )
    return alert
