"""Transports: one small class each behind one interface (see base.py)."""

from .base import PermanentFailure, TemporaryFailure, Transport
from .email import EmailTransport
from .sms import SmsTransport
from .webpush import WebPushTransport

TRANSPORTS: dict[str, Transport] = {
    "webpush": WebPushTransport(),
    "email": EmailTransport(),
    "sms": SmsTransport(),
}

__all__ = ["TRANSPORTS", "PermanentFailure", "TemporaryFailure", "Transport"]
