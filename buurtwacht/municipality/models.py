"""Verified roles: police officers (wijkagent) and municipality coordinators.  A person asks
for verification in the app; platform staff decide on the staff pages (or a configured
municipality e-mail domain confirms an official address); every decision is a row of its
own (who, when, evidence, reason).  A role is held while a `Verification` is not revoked."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class VerifiedRole(models.TextChoices):
    POLICE = "police", _("police officer (wijkagent)")
    MUNICIPALITY = "municipality", _("municipality coordinator")


class RequestStatus(models.TextChoices):
    PENDING = "pending", _("waiting for a decision")
    APPROVED = "approved", _("approved")
    DENIED = "denied", _("denied")


class VerificationRequest(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="verification_requests"
    )
    role = models.CharField(max_length=16, choices=VerifiedRole.choices)
    organisation = models.CharField(max_length=200)  # "Politie Noord-Nederland", "Gemeente X"
    municipality_codes = models.JSONField(default=list, blank=True)  # GM codes
    official_email = models.EmailField()
    reference = models.TextField(blank=True, default="")  # what staff can check
    status = models.CharField(
        max_length=16, choices=RequestStatus.choices, default=RequestStatus.PENDING
    )
    email_confirmed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "role"],
                condition=Q(status="pending"),
                name="verification_request_one_pending",
            )
        ]
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.role} request of {self.user_id} ({self.status})"


class Verification(models.Model):
    """A role someone holds: police (municipality_code "") or coordinator of one
    municipality (one row per code).  Revoking sets revoked_*; the row stays."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="verifications"
    )
    role = models.CharField(max_length=16, choices=VerifiedRole.choices)
    municipality_code = models.CharField(max_length=16, blank=True, default="")
    request = models.ForeignKey(
        VerificationRequest, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    granted_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "role", "municipality_code"],
                condition=Q(revoked_at__isnull=True),
                name="verification_one_active",
            )
        ]
        indexes = [models.Index(fields=["user", "role"], name="verification_user_role")]

    def __str__(self) -> str:
        return f"{self.role} {self.municipality_code} of {self.user_id}"


class DecisionKind(models.TextChoices):
    APPROVED = "approved", _("approved")
    DENIED = "denied", _("denied")
    REVOKED = "revoked", _("revoked")
    EMAIL_CONFIRMED = "email_confirmed", _("approved: official e-mail address confirmed")
    MIGRATED = "migrated", _("taken over from the former checkbox")


class Decision(models.Model):
    """Every decision on a verified role, never changed afterwards."""

    subject = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="verification_decisions"
    )
    role = models.CharField(max_length=16, choices=VerifiedRole.choices)
    kind = models.CharField(max_length=16, choices=DecisionKind.choices)
    municipality_codes = models.JSONField(default=list, blank=True)
    request = models.ForeignKey(
        VerificationRequest, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Platform staff; empty for a confirmed official address or the migration.
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    evidence = models.TextField(blank=True, default="")  # what was checked
    reason = models.TextField(blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.kind} {self.role} for {self.subject_id}"
