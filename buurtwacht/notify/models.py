"""Notifications for members who are not connected: preferences, push subscriptions and
the outbox of deliveries that the task worker sends."""

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Preferences(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notify_preferences"
    )
    webpush = models.BooleanField(_("push notifications on this phone or computer"), default=True)
    email = models.BooleanField(_("e-mail"), default=True)
    sms = models.BooleanField(_("text message (SMS)"), default=False)
    phone = models.CharField(_("mobile number for text messages"), max_length=20, blank=True)
    chat = models.BooleanField(_("also notify me of chat messages"), default=True)
    # Quiet hours hold chat back; alerts always go through.
    quiet_start = models.TimeField(_("quiet hours from"), default=dt.time(23, 0))
    quiet_end = models.TimeField(_("quiet hours until"), default=dt.time(7, 0))

    def __str__(self) -> str:
        return f"preferences of {self.user_id}"


class PushSubscription(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="push_subscriptions"
    )
    endpoint = models.URLField(max_length=1000, unique=True)
    p256dh = models.CharField(max_length=200)
    auth = models.CharField(max_length=100)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"push subscription of {self.user_id}"


class Transport(models.TextChoices):
    WEBPUSH = "webpush", _("push")
    EMAIL = "email", _("e-mail")
    SMS = "sms", _("text message")


class DeliveryState(models.TextChoices):
    PENDING = "pending", _("pending")
    SENT = "sent", _("sent")
    FAILED = "failed", _("failed")


class Delivery(models.Model):
    """One notification to one person over one transport.  A worker claims a due row with
    a token of its own for a short lease, renews the lease while the send runs, and marks
    the row only while it still holds the claim; a crashed worker's lease simply runs out
    (see `actions.process_due`)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    transport = models.CharField(max_length=16, choices=Transport.choices)
    subscription = models.ForeignKey(
        PushSubscription, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    kind = models.CharField(max_length=32)  # alert, chat, join_request, membership, ...
    source = models.CharField(max_length=64)  # what it is about, e.g. "alert:12"
    payload = models.JSONField()  # title, body, url, tag: never a person description
    state = models.CharField(
        max_length=16, choices=DeliveryState.choices, default=DeliveryState.PENDING
    )
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True, default="")
    due_at = models.DateTimeField()
    claimed_by = models.CharField(max_length=32, blank=True, default="")  # a run's token
    claimed_until = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "transport", "subscription", "source"],
                name="one_delivery_per_source",
            )
        ]
        indexes = [models.Index(fields=["state", "due_at"], name="delivery_due")]

    def __str__(self) -> str:
        return f"{self.transport} to {self.user_id}: {self.source} ({self.state})"
