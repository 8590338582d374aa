"""Alerts (meldingen) following SAAR: what, where, when, who calls 112, updates, outcome."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from buurtwacht.geo.models import Street
from buurtwacht.groups.models import Group


class AlertKind(models.TextChoices):
    SUSPICIOUS_PERSON = "suspicious_person", _("Suspicious person")
    SUSPICIOUS_VEHICLE = "suspicious_vehicle", _("Suspicious vehicle")
    BREAK_IN = "break_in", _("Break-in in progress")
    NOISE_VANDALISM = "noise_vandalism", _("Noise or vandalism")
    FIRE_MEDICAL = "fire_medical", _("Fire or medical emergency: call 112 first")
    OTHER = "other", _("Something else")


class Direction(models.TextChoices):
    UNKNOWN = "", _("unknown")
    NORTH = "N", _("north")
    NORTH_EAST = "NE", _("north-east")
    EAST = "E", _("east")
    SOUTH_EAST = "SE", _("south-east")
    SOUTH = "S", _("south")
    SOUTH_WEST = "SW", _("south-west")
    WEST = "W", _("west")
    NORTH_WEST = "NW", _("north-west")
    STAYED = "stayed", _("still there")


class Outcome(models.TextChoices):
    RESOLVED = "resolved", _("Resolved")
    POLICE_ON_SITE = "police_on_site", _("Police on site")
    FALSE_ALARM = "false_alarm", _("False alarm")
    SUSPECT_GONE = "suspect_gone", _("Suspect gone")


# The optional description fields of an alert, with their labels (form and card).
PERSON_LABELS = {
    "gender": _("Gender"),
    "age": _("Age (estimate)"),
    "height": _("Height"),
    "build": _("Build"),
    "clothing_top": _("Clothing (top)"),
    "clothing_bottom": _("Clothing (bottom)"),
    "shoes": _("Shoes"),
    "hair": _("Hair"),
    "features": _("Distinguishing features"),
    "skin_colour": _("Skin colour"),
}
VEHICLE_LABELS = {
    "type": _("Vehicle"),
    "make": _("Make"),
    "colour": _("Colour"),
    "plate": _("Licence plate"),
}
# Beside a licence plate in no known format (alerts/plates.py PlateKind.UNKNOWN): it may be
# foreign, partial or misread, and is never shown as a Dutch plate.
PLATE_UNKNOWN_FORMAT = _("unknown format")
# Beside a plate in a Belgian format (PlateKind.BELGIAN).
PLATE_BELGIAN = _("Belgian plate")


class Alert(models.Model):
    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="alerts")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    client_id = models.CharField(max_length=64)  # makes a resend idempotent
    kind = models.CharField(max_length=32, choices=AlertKind.choices)
    what = models.TextField()  # behaviour first (R-SAAR: signaleren)
    street = models.ForeignKey(Street, null=True, blank=True, on_delete=models.PROTECT)
    lon = models.FloatField(null=True, blank=True)
    lat = models.FloatField(null=True, blank=True)
    seen_at = models.DateTimeField()
    direction = models.CharField(max_length=8, choices=Direction.choices, blank=True, default="")
    # Optional description of a person; never in notifications (lock screens are public).
    person = models.JSONField(default=dict, blank=True)
    # Optional vehicle: type, make, colour, plate (normalised), plate_kind (plates.PlateKind).
    vehicle = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    outcome = models.CharField(max_length=32, choices=Outcome.choices, blank=True, default="")
    # A repost of a neighbouring group's warning (R-ADJ-1): {"group": id, "called_112": bool}.
    origin = models.JSONField(default=dict, blank=True)
    # Hidden by an admin (R-RUL-3, R-GRP-6): gone for members, the author sees why.
    hidden_at = models.DateTimeField(null=True, blank=True)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    hidden_reason = models.TextField(blank=True, default="")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["group", "author", "client_id"], name="alert_client_id")
        ]
        indexes = [models.Index(fields=["group", "-created_at"], name="alert_group_recent")]

    def __str__(self) -> str:  # in the staff admin and logs: not what was seen (private)
        return f"{self.get_kind_display()} #{self.pk}"


class CallChannel(models.TextChoices):
    EMERGENCY = "112", _("112")
    POLICE_NON_EMERGENCY = "0900-8844", _("0900-8844")


class PoliceCall(models.Model):
    """ "Ik bel 112" (R-RUL-5): one claim per channel per alert; the first one wins."""

    alert = models.ForeignKey(Alert, on_delete=models.CASCADE, related_name="police_calls")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    channel = models.CharField(max_length=16, choices=CallChannel.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["alert", "channel"], name="one_call_per_channel")
        ]

    def __str__(self) -> str:
        return f"{self.channel} by {self.user_id}"


class AlertUpdate(models.Model):
    """New facts on an open alert (a thread), e.g. a new direction of flight."""

    alert = models.ForeignKey(Alert, on_delete=models.CASCADE, related_name="updates")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    client_id = models.CharField(max_length=64)
    text = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)
    # Hidden by an admin (R-RUL-3): left out of the alert's state, the author sees why.
    hidden_at = models.DateTimeField(null=True, blank=True)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    hidden_reason = models.TextField(blank=True, default="")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["alert", "author", "client_id"], name="alert_update_client_id"
            )
        ]
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.text[:40]


class AckKind(models.TextChoices):
    SEEN = "seen", _("Seen")
    GOING = "going", _("I'm going to look")


class Acknowledgement(models.Model):
    """One tap, shown as a count: never a message (noise drowns the alarm)."""

    alert = models.ForeignKey(Alert, on_delete=models.CASCADE, related_name="acknowledgements")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=8, choices=AckKind.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["alert", "user", "kind"], name="one_ack_per_kind")
        ]

    def __str__(self) -> str:
        return self.kind


class ForwardStatus(models.TextChoices):
    PENDING = "pending", _("waiting")
    REPOSTED = "reposted", _("posted in the group")
    DECLINED = "declined", _("declined")


class Forward(models.Model):
    """R-ADJ-1: an alert's short summary sent to the admins of one adjacent group.

    `summary` holds ids and codes only, never a name, photo, description or free text:
    {"kind", "street" (id or null), "direction", "seen_at", "called_112", "plate" (only
    when the forwarding admin kept it)}.  One row per (alert, group): forwarding again
    changes nothing."""

    alert = models.ForeignKey(Alert, on_delete=models.CASCADE, related_name="forwards")
    from_group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="+")
    to_group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="forwards_in")
    forwarded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    summary = models.JSONField()
    status = models.CharField(
        max_length=16, choices=ForwardStatus.choices, default=ForwardStatus.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    repost = models.ForeignKey(
        Alert, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["alert", "to_group"], name="forward_once_per_group")
        ]
        indexes = [models.Index(fields=["to_group", "status"], name="forward_inbox")]

    def __str__(self) -> str:
        return f"alert {self.alert_id} -> group {self.to_group_id} ({self.status})"
