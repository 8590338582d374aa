"""Police reports (R-FUP-1): a member records that they reported something to the police,
mentioning the group; a verified wijkagent records the police's feedback; 48 hours without
feedback bring a reminder to call the wijkagent via 0900-8844 (in Belgium the
wijkinspecteur via 101: core/countries.py).  Channel codes are the Dutch numbers in either
country; `channel_label` says them as the group's country does."""

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from buurtwacht.alerts.models import Alert
from buurtwacht.groups.models import Group

FOLLOW_UP_AFTER = dt.timedelta(hours=48)


class ReportChannel(models.TextChoices):
    EMERGENCY = "112", _("112")
    NON_EMERGENCY = "0900-8844", _("0900-8844")
    ONLINE = "online", _("online report (aangifte)")


class PoliceReport(models.Model):
    """One report to the police, on an alert or on its own (for the group)."""

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="police_reports")
    alert = models.ForeignKey(
        Alert, null=True, blank=True, on_delete=models.CASCADE, related_name="police_reports"
    )
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    client_id = models.CharField(max_length=64)  # makes a resend idempotent
    channel = models.CharField(max_length=16, choices=ReportChannel.choices)
    reported_at = models.DateTimeField()  # when the member reported (check_moment)
    number = models.CharField(max_length=64, blank=True, default="")  # the police's reference
    group_mentioned = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    # The police's feedback, recorded by a verified wijkagent.
    feedback = models.TextField(blank=True, default="")
    feedback_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    feedback_at = models.DateTimeField(null=True, blank=True)
    # reported_at -> feedback_at, kept for the statistics (no content needed to count it).
    time_to_feedback = models.DurationField(null=True, blank=True)
    # The 48-hour follow-up: due, sent (set in the transaction that queues the notices, so
    # a second run finds it set and sends nothing), and whether the wijkagent was called.
    follow_up_due_at = models.DateTimeField()
    follow_up_sent_at = models.DateTimeField(null=True, blank=True)
    wijkagent_called_at = models.DateTimeField(null=True, blank=True)
    wijkagent_called_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["group", "reporter", "client_id"], name="police_report_client_id"
            )
        ]
        indexes = [
            models.Index(
                fields=["follow_up_due_at"],
                condition=Q(follow_up_sent_at__isnull=True, feedback_at__isnull=True),
                name="police_report_follow_up_due",
            )
        ]
        ordering = ["-reported_at", "-id"]

    def __str__(self) -> str:
        return f"{self.channel} report {self.pk} in group {self.group_id}"

    @property
    def channel_label(self) -> str:
        """How it was reported, as the group's country says it (101 in Belgium)."""
        return self.group.country.channel_label(self.channel)
