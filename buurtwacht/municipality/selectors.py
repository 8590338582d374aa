"""Reads for verified roles.  What other apps ask: is this account a verified police
officer, and for which municipalities is it a verified coordinator."""

from django.db.models import QuerySet

from buurtwacht.accounts.models import User

from .models import Decision, RequestStatus, Verification, VerificationRequest, VerifiedRole


def _active(*, user: User, role: VerifiedRole) -> QuerySet[Verification]:
    return Verification.objects.filter(user=user, role=role, revoked_at__isnull=True)


def is_verified_police(*, user: User) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    return _active(user=user, role=VerifiedRole.POLICE).exists()


def municipality_codes_for(*, user: User) -> frozenset[str]:
    """The municipalities (GM codes) the account is a verified coordinator of; empty for
    everyone else.  The dashboard, statistics and sign requests build on this."""
    if not user.is_authenticated or not user.is_active:
        return frozenset()
    codes = _active(user=user, role=VerifiedRole.MUNICIPALITY).values_list(
        "municipality_code", flat=True
    )
    return frozenset(codes)


def verifications_of(*, user: User) -> QuerySet[Verification]:
    return Verification.objects.filter(user=user).order_by("-granted_at", "-id")


def requests_of(*, user: User) -> QuerySet[VerificationRequest]:
    return VerificationRequest.objects.filter(user=user).order_by("-created_at", "-id")


def pending_requests() -> QuerySet[VerificationRequest]:
    return VerificationRequest.objects.filter(status=RequestStatus.PENDING).select_related("user")


def active_verifications() -> QuerySet[Verification]:
    return (
        Verification.objects.filter(revoked_at__isnull=True)
        .select_related("user")
        .order_by("user__name", "role", "municipality_code")
    )


def decisions(*, subject: User | None = None) -> QuerySet[Decision]:
    found = Decision.objects.select_related("subject", "decided_by")
    return found if subject is None else found.filter(subject=subject)


def coordinators_of(*, code: str) -> QuerySet[User]:
    """The active accounts verified as coordinator of this municipality."""
    return User.objects.filter(
        is_active=True,
        verifications__role=VerifiedRole.MUNICIPALITY,
        verifications__municipality_code=code,
        verifications__revoked_at__isnull=True,
    ).distinct()
