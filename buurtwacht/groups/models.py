"""Groups, their streets, memberships, join requests (with vetting) and the audit log."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from buurtwacht.core.models import TimeStampedModel
from buurtwacht.geo.models import Street


class Group(TimeStampedModel):
    name = models.CharField(_("name"), max_length=120)
    description = models.TextField(_("description"), blank=True, default="")
    photo = models.ImageField(_("photo"), upload_to="groups/", blank=True)
    municipality_code = models.CharField(max_length=16)
    streets: "models.ManyToManyField[Street, GroupStreet]" = models.ManyToManyField(
        Street, through="GroupStreet", related_name="groups"
    )
    # Derived from the addresses on the streets (R-RUL-4): GeoJSON, WGS84.
    area_geometry = models.TextField(blank=True, default="")
    own_rules = models.TextField(_("the group's own rules"), blank=True, default="")
    rules_version = models.PositiveIntegerField(default=1)
    show_initials = models.BooleanField(_("members see initials instead of names"), default=False)
    # Days content is kept (R-RUL-6, AVG); empty: the instance's default.  Within the
    # instance's maximum, see selectors.retention_of.
    chat_retention_days = models.PositiveIntegerField(null=True, blank=True)
    alert_retention_days = models.PositiveIntegerField(null=True, blank=True)
    photo_retention_days = models.PositiveIntegerField(null=True, blank=True)
    # The highest stream seq ever deleted with expired content: new events continue after
    # it, so a client never sees a number again (realtime.actions.record_event).
    event_seq_floor = models.PositiveBigIntegerField(default=0)

    def __str__(self) -> str:
        return self.name


class GroupStreet(models.Model):
    group = models.ForeignKey(Group, on_delete=models.CASCADE)
    street = models.ForeignKey(Street, on_delete=models.PROTECT)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["group", "street"], name="group_street_unique")
        ]

    def __str__(self) -> str:
        return f"{self.group_id}: {self.street_id}"


class MembershipRole(models.TextChoices):
    ADMIN = "admin", _("admin")
    MEMBER = "member", _("member")
    WIJKAGENT = "wijkagent", _("community police officer")


class MembershipStatus(models.TextChoices):
    ACTIVE = "active", _("active")
    LEFT = "left", _("left")
    REMOVED = "removed", _("removed")


class VettingMethod(models.TextChoices):
    IN_PERSON = "in_person", _("in person")
    PHONE = "phone", _("by phone")


class Membership(TimeStampedModel):
    """One row per (group, person), whatever happened: joined, left, removed, joined again."""

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(max_length=16, choices=MembershipRole.choices)
    status = models.CharField(max_length=16, choices=MembershipStatus.choices)
    rules_accepted_version = models.PositiveIntegerField(default=0)
    # R-GRP-4: a removed person may only ask again after an admin consents.
    may_request_again = models.BooleanField(default=False)
    ended_at = models.DateTimeField(null=True, blank=True)
    end_reason = models.TextField(blank=True, default="")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["group", "user"], name="membership_unique")]
        indexes = [models.Index(fields=["group", "status"], name="membership_group_status")]


class JoinRequestStatus(models.TextChoices):
    PENDING = "pending", _("pending")
    ADMITTED = "admitted", _("admitted")
    DENIED = "denied", _("denied")
    WITHDRAWN = "withdrawn", _("withdrawn")


class JoinRequest(TimeStampedModel):
    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="join_requests")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="join_requests"
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    message = models.TextField(blank=True, default="")
    status = models.CharField(
        max_length=16, choices=JoinRequestStatus.choices, default=JoinRequestStatus.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    reason = models.TextField(blank=True, default="")  # why denied
    # R-GRP-5: the personal contact before admission.
    contact_date = models.DateField(null=True, blank=True)
    contact_method = models.CharField(max_length=16, choices=VettingMethod.choices, blank=True)
    contact_note = models.TextField(blank=True, default="")
    age_checked = models.BooleanField(default=False)
    address_checked = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["group", "user"],
                condition=Q(status="pending"),
                name="join_request_one_pending",
            )
        ]


class AuditEntry(models.Model):
    """Every admin action: who, when, what, about whom and why.  Visible to the group's admins."""

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="audit_entries")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.CharField(max_length=40)
    subject = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.TextField(blank=True, default="")
    details = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action}"
