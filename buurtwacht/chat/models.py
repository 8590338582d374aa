"""The chat channel: everything that is not an alert (R-GRP-6), separate and optional."""

from django.conf import settings
from django.db import models

from buurtwacht.groups.models import Group


class ChatMessage(models.Model):
    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="chat_messages")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    client_id = models.CharField(max_length=64)
    text = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)
    # Hidden by an admin (R-RUL-3, R-GRP-6): gone for members, the author sees why.
    hidden_at = models.DateTimeField(null=True, blank=True)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    hidden_reason = models.TextField(blank=True, default="")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["group", "author", "client_id"], name="chat_message_client_id"
            )
        ]

    def __str__(self) -> str:
        return self.text[:40]
