from typing import Protocol

from buurtwacht.notify.models import Delivery


class TemporaryFailure(Exception):
    """Try again later (network error, 5xx, rate limit)."""


class PermanentFailure(Exception):
    """Never try again (expired push subscription, no address)."""


class Transport(Protocol):
    def send(self, delivery: Delivery) -> None:
        """Hand the notification over; raise TemporaryFailure or PermanentFailure."""
        ...
