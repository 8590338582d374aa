"""Signs and stickers (R-VIS-1): a group's admin asks the municipality for street signs
("Buurtpreventie") and/or stickers; the request carries the group's neighbourhood, streets
and number of participants as they were when it was made.  The municipality coordinator
approves or declines it, then marks it ordered, delivered and placed."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from buurtwacht.groups.models import Group


class SignStatus(models.TextChoices):
    REQUESTED = "requested", _("requested")
    APPROVED = "approved", _("approved")
    DECLINED = "declined", _("declined")
    ORDERED = "ordered", _("ordered")
    DELIVERED = "delivered", _("delivered")
    PLACED = "placed", _("placed")


# The statuses of a request still under way: a group has at most one.
OPEN_STATUSES = (
    SignStatus.REQUESTED,
    SignStatus.APPROVED,
    SignStatus.ORDERED,
    SignStatus.DELIVERED,
)


class SignRequest(models.Model):
    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="sign_requests")
    municipality_code = models.CharField(max_length=16)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    signs = models.PositiveIntegerField(default=0)
    stickers = models.PositiveIntegerField(default=0)
    # Filled in from the group when the request was made (R-VIS-1).
    neighbourhood = models.CharField(max_length=200)
    streets = models.JSONField(default=list)  # street names
    participants = models.PositiveIntegerField()
    note = models.TextField(blank=True, default="")  # the admin's remark
    status = models.CharField(
        max_length=16, choices=SignStatus.choices, default=SignStatus.REQUESTED
    )
    created_at = models.DateTimeField()
    decided_at = models.DateTimeField(null=True, blank=True)
    reason = models.TextField(blank=True, default="")  # why declined (or a note on approval)
    ordered_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    placed_at = models.DateTimeField(null=True, blank=True)
    placed_where = models.TextField(blank=True, default="")
    placed_lon = models.FloatField(null=True, blank=True)
    placed_lat = models.FloatField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["group"],
                condition=Q(status__in=["requested", "approved", "ordered", "delivered"]),
                name="sign_request_one_open",
            )
        ]
        indexes = [models.Index(fields=["municipality_code", "status"], name="sign_request_code")]
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"sign request {self.pk} of group {self.group_id} ({self.status})"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES
