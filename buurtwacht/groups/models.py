"""Groups, their streets, memberships, join requests (with vetting) and the audit log."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from buurtwacht.core.countries import Country, country_of
from buurtwacht.core.models import TimeStampedModel
from buurtwacht.geo.models import Street


class Listing(models.TextChoices):
    """Whether the group is on the public map (R-REG-1); see register/policy.py."""

    AUTO = "auto", _("listed once it has at least 3 members")
    LISTED = "listed", _("listed on the public map")
    UNLISTED = "unlisted", _("not on the public map")


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
    # Its bounding box, so that finding the neighbours of one group (R-ADJ-1) reads only the
    # groups nearby.  Set together with area_geometry (groups.actions).
    area_min_lon = models.FloatField(null=True, blank=True)
    area_min_lat = models.FloatField(null=True, blank=True)
    area_max_lon = models.FloatField(null=True, blank=True)
    area_max_lat = models.FloatField(null=True, blank=True)
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
    listing = models.CharField(
        _("public map"), max_length=16, choices=Listing.choices, default=Listing.AUTO
    )

    class Meta:
        indexes = [
            # MAX(updated_at) of groups and memberships: register/index.py's freshness key.
            models.Index(fields=["updated_at"], name="group_updated_at"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def country(self) -> Country:
        """Its municipality's country (core/countries.py): numbers, police naming, BIN."""
        return country_of(self.municipality_code)


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
        indexes = [
            models.Index(fields=["group", "status"], name="membership_group_status"),
            models.Index(fields=["updated_at"], name="membership_updated_at"),
        ]


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
    # R-GRP-5: how the admins can reach the applicant (phone, when at home): admins only.
    contact = models.CharField(max_length=200, blank=True, default="")
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


class ShareLink(models.Model):
    """R-CRE-2: a link residents use to *ask* to join.  It never admits anyone: it leads
    to the join request form, and admins still vet (R-GRP-2, R-GRP-5).  A revoked link
    stays stored so that its page can say it is no longer valid."""

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="share_links")
    token = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["group"],
                condition=Q(revoked_at__isnull=True),
                name="share_link_one_active",
            )
        ]

    def __str__(self) -> str:
        return f"share link of {self.group_id}"


class Adjacency(models.Model):
    """R-ADJ-1: two groups whose areas touch or lie within ADJACENCY_DISTANCE_M of each
    other.  One row per pair, the lower group id first; computed from the areas
    (geo/adjacency.py) by groups.actions.refresh_adjacency."""

    low = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="+")
    high = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="+")
    distance_m = models.FloatField()  # 0 when the areas touch or overlap
    touching = models.BooleanField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["low", "high"], name="adjacency_pair"),
            models.CheckConstraint(condition=Q(low__lt=models.F("high")), name="adjacency_order"),
        ]

    def __str__(self) -> str:
        return f"{self.low_id} ~ {self.high_id} ({self.distance_m:.0f} m)"
