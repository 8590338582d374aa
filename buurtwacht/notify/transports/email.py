from smtplib import SMTPException

from django.conf import settings
from django.core.mail import send_mail

from buurtwacht.notify.models import Delivery

from .base import PermanentFailure, TemporaryFailure


class EmailTransport:
    def send(self, delivery: Delivery) -> None:
        if not delivery.user.email or not delivery.user.is_active:
            raise PermanentFailure("no e-mail address")
        payload = delivery.payload
        try:
            send_mail(
                payload["title"],
                f"{payload['body']}\n\n{settings.SITE_URL}{payload['url']}",
                None,
                [delivery.user.email],
            )
        except (SMTPException, OSError) as exc:
            raise TemporaryFailure(str(exc)[:500]) from exc
