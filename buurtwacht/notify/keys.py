"""The VAPID key pair that signs Web Push requests: VAPID_PRIVATE_KEY (PEM) from the
environment (or the file VAPID_PRIVATE_KEY_FILE), else generated on first use and kept in
DATA_DIR (like the secret key)."""

import base64
import functools
import os
import threading

from cryptography.hazmat.primitives import serialization
from django.conf import settings
from py_vapid import Vapid

from buurtwacht import datadir

VAPID_KEY_FILE = "vapid_private.pem"  # in DATA_DIR (a backup takes it along)
_lock = threading.Lock()


def vapid() -> Vapid:
    with _lock:  # sending threads ask at the same time; the key is made once
        return _load_or_create()


@functools.cache
def _load_or_create() -> Vapid:
    if pem := datadir.env_secret("VAPID_PRIVATE_KEY"):
        return Vapid.from_pem(pem.encode())
    path = settings.DATA_DIR / VAPID_KEY_FILE
    if not path.exists():
        key = Vapid()
        key.generate_keys()
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as fh:
            fh.write(key.private_pem())
    return Vapid.from_file(str(path))


def application_server_key() -> str:
    """The public key browsers need to subscribe (base64url, uncompressed point)."""
    raw = vapid().public_key.public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()
