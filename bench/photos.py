"""Photo uploads (media/images.py): what 8 uploads at once cost in memory and time.

    .venv/bin/python bench/photos.py [--uploads 8]

Prints, per kind of upload, how many were refused, the wall time, and how far the
process's peak RSS (VmHWM, reset before each run) rose above its RSS before: pixel floods
(4.9 KB 1-bit PNGs of 6,300 x 6,300 pixels, the upload from issue 11) and honest 12 MP
camera JPEGs.  Linux only (/proc/self)."""

import argparse
import io
import os
import re
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "buurtwacht.settings")

import django  # noqa: E402

django.setup()

from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: E402
from PIL import Image  # noqa: E402

from buurtwacht.media.images import ImageRejected, prepare_image  # noqa: E402
from tests.media.conftest import pixel_flood_png  # noqa: E402


def kb(field: str) -> int:
    status = Path("/proc/self/status").read_text()
    found = re.search(rf"^{field}:\s+(\d+) kB", status, re.MULTILINE)
    assert found
    return int(found.group(1))


def camera_12mp() -> bytes:
    noise = Image.effect_noise((4000, 3000), 12).convert("RGB")
    sky = Image.linear_gradient("L").resize((4000, 3000)).convert("RGB")
    image = Image.blend(noise, sky, 0.5)
    out = io.BytesIO()
    image.save(out, "JPEG", quality=80)  # about what a phone makes: 2-4 MB
    return out.getvalue()


def run(name: str, data: bytes, uploads: int) -> None:
    Path("/proc/self/clear_refs").write_text("5")
    before = kb("VmRSS")
    refused = 0
    lock = threading.Lock()

    def one() -> None:
        nonlocal refused
        try:
            prepare_image(SimpleUploadedFile("f", data))
        except ImageRejected:
            with lock:
                refused += 1

    threads = [threading.Thread(target=one) for _ in range(uploads)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    took = time.perf_counter() - started
    rise = (kb("VmHWM") - before) / 1024
    print(
        f"{name:<28} {len(data) / 1024:8.1f} KB  {uploads} at once  refused {refused}  "
        f"{took * 1000:7.0f} ms  peak RSS +{rise:6.1f} MB"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--uploads", type=int, default=8)
    args = parser.parse_args()
    flood = pixel_flood_png()
    camera = camera_12mp()
    print(f"RSS at start: {kb('VmRSS') / 1024:.0f} MB")
    run("pixel flood PNG 6300x6300", flood, args.uploads)
    run("camera JPEG 4000x3000", camera, args.uploads)


if __name__ == "__main__":
    main()
