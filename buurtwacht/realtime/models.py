"""The per-group event stream.  Every action that changes what members see writes one
Event row in its own transaction; its id is the stream position.  Clients reconnect with
`since=<last id>` and get the rest from here: nothing is ever only in memory."""

from django.db import models

from buurtwacht.groups.models import Group


class Event(models.Model):
    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="+")
    type = models.CharField(max_length=40)
    payload = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["group", "id"], name="event_group_position")]

    def __str__(self) -> str:
        return f"{self.group_id}#{self.id} {self.type}"
