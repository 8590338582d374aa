"""Moderation records: what the admins' review queue shows (R-RUL-3, R-GRP-6).

One row per thing an admin should look at: a blocked attempt (never stored as a post: its
text lives only here, for the group's admins), a post made anyway after a language warning,
or a member's report.  An admin resolves it (hides the message, or lets it stand)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from buurtwacht.groups.models import Group


class RecordKind(models.TextChoices):
    BLOCKED = "blocked", _("Blocked, not posted")
    POSTED_ANYWAY = "posted_anyway", _("Posted after a language warning")
    REPORTED = "reported", _("Reported by a member")


class Place(models.TextChoices):
    ALERT = "alert", _("Alert")
    UPDATE = "update", _("Alert update")
    CHAT = "chat", _("Chat")
    GROUP_NAME = "group_name", _("Group name")
    GROUP_DESCRIPTION = "group_description", _("Group description")
    OWN_RULES = "own_rules", _("Own rules")
    JOIN_MESSAGE = "join_message", _("Join message")
    NOTICE = "notice", _("Public notice")
    POLICE_NOTE = "police_note", _("Police feedback")
    CONTACT_MESSAGE = "contact_message", _("Message from a visitor")
    REASON = "reason", _("Reason given by an admin")
    SIGN_REQUEST = "sign_request", _("Sign request")
    MUNICIPALITY_MESSAGE = "municipality_message", _("Message from the municipality")


class ModerationRecord(models.Model):
    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="moderation_records")
    kind = models.CharField(max_length=16, choices=RecordKind.choices)
    place = models.CharField(max_length=24, choices=Place.choices)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # What was written (a blocked attempt exists only here) and why it was flagged.
    text = models.TextField(blank=True, default="")
    outcome = models.CharField(max_length=8, blank=True, default="")  # warn | block
    reason = models.CharField(max_length=24, blank=True, default="")  # language.Reason
    words = models.JSONField(default=list, blank=True)
    rule = models.CharField(max_length=24, blank=True, default="")  # language.Rule
    note = models.TextField(blank=True, default="")  # a reporter's words
    chat_message = models.ForeignKey(
        "chat.ChatMessage", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    alert = models.ForeignKey(
        "alerts.Alert", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    update = models.ForeignKey(
        "alerts.AlertUpdate", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["group", "resolved_at"], name="moderation_queue")]

    def __str__(self) -> str:
        return f"{self.kind} {self.place} {self.reason}"

    @property
    def reason_label(self) -> str:
        """The category in the reader's language (never the raw code on a page)."""
        from .actions import reason_label

        return reason_label(self.reason)

    @property
    def explanation(self) -> str:
        """Which pattern matched, in the reader's language ("" for a plain word)."""
        from .actions import rule_explanation

        return rule_explanation(self.rule)
