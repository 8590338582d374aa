from django.db import models


class TimeStampedModel(models.Model):
    """Base model: every row knows when it was created and last changed."""

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class WorkerHeartbeat(models.Model):
    """A task worker's latest heartbeat (core/tasks.py): /readyz and /metrics read it."""

    worker = models.CharField(max_length=100, primary_key=True)  # host:pid
    seen_at = models.DateTimeField()
    lag_seconds = models.FloatField(default=0.0)  # how late after it was due the task ran

    def __str__(self) -> str:
        return f"heartbeat of {self.worker}"
