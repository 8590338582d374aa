"""Messages from visitors of a public group page to the group's admins (R-REG-1)."""

from django.db import models

from buurtwacht.groups.models import Group


class ContactMessage(models.Model):
    """Kept so the admins' notification can point at it and sending can be rate limited.
    ``sender_key`` is a keyed hash of the visitor's IP address, never the address itself."""

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="contact_messages")
    sender_name = models.CharField(max_length=100)
    sender_email = models.EmailField()
    body = models.TextField()
    sender_key = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [
            models.Index(fields=["sender_key", "created_at"], name="contact_sender_time"),
            models.Index(fields=["group", "created_at"], name="contact_group_time"),
        ]

    def __str__(self) -> str:
        return f"contact {self.pk} for group {self.group_id}"
