"""Public notices of a group for residents who are not members (R-RUL-7), and the
residents who receive them by e-mail without an account."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from buurtwacht.groups.models import Group


class NoticeKind(models.TextChoices):
    TIP = "tip", _("Prevention tip")
    MEETING = "meeting", _("Neighbourhood meeting")
    INVITATION = "invitation", _("Join the group")
    OTHER = "other", _("Notice")


class Notice(models.Model):
    """Public: on the group's public page, in its Atom feed and in the newsletter."""

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="notices")
    kind = models.CharField(max_length=16, choices=NoticeKind.choices)
    title = models.CharField(max_length=120)
    body = models.TextField()
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    published_at = models.DateTimeField()
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["group", "-published_at"], name="notice_group_time")]

    def __str__(self) -> str:
        return f"notice {self.pk} of group {self.group_id}"


class Subscriber(models.Model):
    """A resident who asked for a group's newsletter.  Receives notices only once
    `confirmed_at` is set (double opt-in) and until `unsubscribed_at`.  `confirm_nonce`
    is in the signed confirmation link and cleared when used (the link works once);
    `unsubscribe_token` is in every newsletter's unsubscribe link and renewed when the
    address subscribes again."""

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="subscribers")
    email = models.EmailField()
    confirm_nonce = models.CharField(max_length=32, blank=True, default="")
    unsubscribe_token = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    unsubscribed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["group", "email"], name="subscriber_unique")]

    def __str__(self) -> str:
        return f"subscriber {self.pk} of group {self.group_id}"


class NewsletterDelivery(models.Model):
    """One notice to one subscriber: made for every active subscriber when the notice is
    sent, `sent_at` set in the transaction that hands it to the mail backend, so a worker
    that runs again sends the rest and never a second copy."""

    notice = models.ForeignKey(Notice, on_delete=models.CASCADE, related_name="deliveries")
    subscriber = models.ForeignKey(Subscriber, on_delete=models.CASCADE, related_name="+")
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["notice", "subscriber"], name="newsletter_once")
        ]

    def __str__(self) -> str:
        return f"notice {self.notice_id} to subscriber {self.subscriber_id}"
