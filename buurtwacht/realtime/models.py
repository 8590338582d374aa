"""The per-group event stream, and who is connected to it right now.

Every action that changes what members see writes one Event row in its own transaction; its
id is the stream position.  Clients reconnect with `since=<last id>` and get the rest from
here: nothing is ever only in memory.
"""

from django.conf import settings
from django.db import models

from buurtwacht.groups.models import Group


class Event(models.Model):
    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="+")
    # 1, 2, 3, ... within the group, without holes: a client that sees a number skipped
    # knows it missed an event and asks for it again with `since=<last id>`.
    seq = models.PositiveBigIntegerField()
    type = models.CharField(max_length=40)
    # Ids and codes only: names and translated labels are added per reader when sent.
    payload = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["group", "seq"], name="event_group_seq")]
        indexes = [models.Index(fields=["group", "id"], name="event_group_position")]

    def __str__(self) -> str:
        return f"{self.group_id}#{self.id} {self.type}"


class Presence(models.Model):
    """A socket subscribed to a group.  Its members get alerts live, so no push.  Rows are
    refreshed while the socket lives and simply expire if its server dies."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="+")
    channel_name = models.CharField(max_length=200)
    # The server process holding the socket: it renews its rows while it runs, so the
    # rows of a process that died expire within a heartbeat.
    server = models.CharField(max_length=64, default="", db_index=True)
    expires_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["channel_name", "group"], name="presence_unique")
        ]
        indexes = [models.Index(fields=["group", "expires_at"], name="presence_group")]

    def __str__(self) -> str:
        return f"{self.user_id} in {self.group_id}"
