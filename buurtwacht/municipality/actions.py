"""The only writers for verified roles.  Every decision writes a `Decision` row in the
transaction that changes the role.  Revoking ends the role at once: a police officer's
wijkagent memberships end, the groups' admins are told, and the person's open sockets
close (after commit, 4401: a socket was authorized when it opened)."""

from dataclasses import dataclass, field

from django.conf import settings
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _

from buurtwacht.accounts.models import User, normalize_email
from buurtwacht.core import clock
from buurtwacht.core.countries import is_municipality_code
from buurtwacht.core.errors import ActionError
from buurtwacht.core.text import clean_text
from buurtwacht.geo.geocoding import belgium_served
from buurtwacht.geo.models import Area, AreaKind, Street
from buurtwacht.groups.models import AuditEntry, Membership, MembershipRole, MembershipStatus
from buurtwacht.moderation.actions import screen_outside_group
from buurtwacht.notify.actions import (
    notify_municipality_message,
    notify_verification,
    notify_wijkagent_ended,
)
from buurtwacht.realtime.actions import end_sockets, revoke_access

from .models import (
    Decision,
    DecisionKind,
    RequestStatus,
    Verification,
    VerificationRequest,
    VerifiedRole,
)

MAX_TEXT = 2000
_SIGNING_SALT = "buurtwacht.municipality.email"  # a salt, not a secret


@dataclass(frozen=True)
class VerificationDraft:
    role: str
    organisation: str
    official_email: str
    reference: str = ""
    municipality_codes: list[str] = field(default_factory=list)


def _text(value: str, *, code: str, required: str = "", single_line: bool = False) -> str:
    value = clean_text(value, code=code, single_line=single_line)
    if required and not value:
        raise ActionError(code, required)
    if len(value) > MAX_TEXT:
        raise ActionError(code, _("Keep it short: at most 2000 characters."))
    return value


def _codes(values: list[str]) -> list[str]:
    codes = sorted({clean_text(v, code="municipality_codes").upper() for v in values if v.strip()})
    for code in codes:
        known = (
            Area.objects.filter(kind=AreaKind.GEMEENTE, code=code).exists()
            or Street.objects.filter(municipality_code=code).exists()
        )
        if not is_municipality_code(code) or not known:
            message = (
                _(
                    "Unknown municipality code %(code)s: use the CBS code (GM0014) or, in "
                    "Belgium, the NIS code (44021)."
                )
                if belgium_served()
                else _("Unknown municipality code %(code)s: use the CBS code, such as GM0014.")
            )
            raise ActionError("municipality_codes", message % {"code": code[:16]})
    return codes


def _official_domain(*, email: str, codes: list[str]) -> bool:
    """Whether the address is of a domain configured for every municipality asked for."""
    domain = email.rpartition("@")[2].lower()
    configured = settings.MUNICIPALITY_EMAIL_DOMAINS
    return bool(codes) and all(domain in configured.get(code, ()) for code in codes)


def official_domain(made: VerificationRequest) -> bool:
    """Whether the request is confirmed by e-mail rather than decided by staff."""
    return made.role == VerifiedRole.MUNICIPALITY and _official_domain(
        email=made.official_email, codes=made.municipality_codes
    )


def confirmation_token(request: VerificationRequest) -> str:
    return signing.TimestampSigner(salt=_SIGNING_SALT).sign_object(
        {"request": request.pk, "email": request.official_email}
    )


@transaction.atomic
def request_verification(*, user: User, draft: VerificationDraft) -> VerificationRequest:
    """In the app: "I am a police officer / municipality coordinator", with what staff can
    check.  An official municipality address of a configured domain gets a confirmation
    link instead of waiting for staff."""
    if draft.role not in VerifiedRole.values:
        raise ActionError("role", _("Choose police officer or municipality coordinator."))
    organisation = _text(
        draft.organisation,
        code="organisation",
        required=_("Name your organisation, e.g. Politie Noord-Nederland or Gemeente Groningen."),
        single_line=True,
    )
    if len(organisation) > 200:
        raise ActionError("organisation", _("The organisation has at most 200 characters."))
    email = normalize_email(
        clean_text(draft.official_email, code="official_email", single_line=True)
    )
    try:
        validate_email(email)
    except Exception as exc:
        raise ActionError("official_email", _("Give your official e-mail address.")) from exc
    reference = _text(draft.reference, code="reference")
    codes = _codes(draft.municipality_codes)
    if draft.role == VerifiedRole.MUNICIPALITY and not codes:
        raise ActionError(
            "municipality_codes", _("Give the municipality code(s) you work for, such as GM0014.")
        )
    if draft.role == VerifiedRole.POLICE:
        codes = []
    try:
        with transaction.atomic():
            made = VerificationRequest.objects.create(
                user=user,
                role=draft.role,
                organisation=organisation,
                municipality_codes=codes,
                official_email=email,
                reference=reference,
            )
    except IntegrityError as exc:
        raise ActionError(
            "pending", _("You already asked for this verification; staff will decide soon.")
        ) from exc
    if official_domain(made):
        link = settings.SITE_URL + reverse("verification_confirm", args=[confirmation_token(made)])
        subject = _("Confirm your official e-mail address")
        body = _(
            "Open this link to confirm that this is your address and to be verified as "
            "municipality coordinator on Buurtwacht:\n\n%(link)s\n\nDid you not ask for "
            "this? Then ignore this message."
        ) % {"link": link}
        transaction.on_commit(lambda: send_mail(subject, body, None, [email], fail_silently=True))
    return made


def _grant(*, made: VerificationRequest) -> None:
    now = clock.now()
    for code in made.municipality_codes if made.role == VerifiedRole.MUNICIPALITY else [""]:
        if not Verification.objects.filter(
            user=made.user, role=made.role, municipality_code=code, revoked_at__isnull=True
        ).exists():
            Verification.objects.create(
                user=made.user, role=made.role, municipality_code=code, request=made, granted_at=now
            )
    made.status = RequestStatus.APPROVED
    made.save(update_fields=["status", "email_confirmed_at"])


@transaction.atomic
def confirm_email(*, user: User, token: str) -> VerificationRequest:
    """The link in the confirmation e-mail: the official address is the requester's."""
    try:
        value = signing.TimestampSigner(salt=_SIGNING_SALT).unsign_object(
            token, max_age=settings.VERIFICATION_LINK_DAYS * 86400
        )
    except signing.BadSignature as exc:
        raise ActionError(
            "token", _("This link is not valid (any more). Ask for verification again.")
        ) from exc
    made = (
        VerificationRequest.objects.select_for_update()
        .filter(pk=value["request"], official_email=value["email"], user=user)
        .first()
    )
    if made is None:
        raise Http404
    if made.status != RequestStatus.PENDING:
        return made
    if not _official_domain(email=made.official_email, codes=made.municipality_codes):
        raise ActionError("token", _("This address is not (any more) an official one."))
    made.email_confirmed_at = clock.now()
    _grant(made=made)
    Decision.objects.create(
        subject=made.user,
        role=made.role,
        kind=DecisionKind.EMAIL_CONFIRMED,
        municipality_codes=made.municipality_codes,
        request=made,
        evidence=_("Official address %(email)s confirmed by the link sent to it.")
        % {"email": made.official_email},
    )
    return made


def _refuse_unless_staff(staff: User) -> None:
    if not (staff.is_authenticated and staff.is_active and staff.is_staff):
        raise PermissionDenied


@dataclass(frozen=True)
class Ruling:
    approve: bool
    evidence: str = ""  # what staff checked (required to approve)
    reason: str = ""  # why (required to deny)


@transaction.atomic
def decide(*, staff: User, request_id: int, ruling: Ruling) -> Decision:
    """Platform staff approve or deny a request; the decision is recorded either way."""
    _refuse_unless_staff(staff)
    made = (
        VerificationRequest.objects.select_for_update()
        .select_related("user")
        .filter(pk=request_id)
        .first()
    )
    if made is None:
        raise Http404
    if made.status != RequestStatus.PENDING:
        raise ActionError("decided", _("This request has been decided already."))
    evidence = _text(
        ruling.evidence,
        code="evidence",
        required=_("Say what you checked (e.g. called the team leader, saw the badge).")
        if ruling.approve
        else "",
    )
    reason = _text(
        ruling.reason,
        code="reason",
        required="" if ruling.approve else _("Say why the request is denied."),
    )
    if ruling.approve:
        _grant(made=made)
    else:
        made.status = RequestStatus.DENIED
        made.save(update_fields=["status"])
    decision = Decision.objects.create(
        subject=made.user,
        role=made.role,
        kind=DecisionKind.APPROVED if ruling.approve else DecisionKind.DENIED,
        municipality_codes=made.municipality_codes,
        request=made,
        decided_by=staff,
        evidence=evidence,
        reason=reason,
    )
    notify_verification(decision=decision)
    return decision


def _end_wijkagent_memberships(*, officer: User, staff: User | None, reason: str) -> None:
    now = clock.now()
    memberships = list(
        Membership.objects.select_for_update(of=("self",))
        .select_related("group", "user")
        .filter(user=officer, role=MembershipRole.WIJKAGENT, status=MembershipStatus.ACTIVE)
    )
    for membership in memberships:
        membership.status = MembershipStatus.LEFT
        membership.ended_at = now
        membership.end_reason = "police verification revoked"
        membership.save(update_fields=["status", "ended_at", "end_reason", "updated_at"])
        AuditEntry.objects.create(
            group=membership.group,
            actor=staff,
            action="wijkagent_verification_revoked",
            subject=officer,
            reason=reason,
        )
        revoke_access(user_id=officer.pk, group_id=membership.group_id)
        notify_wijkagent_ended(membership=membership)


@transaction.atomic
def revoke(*, staff: User, verification_id: int, reason: str) -> Decision:
    """Platform staff end a verified role, at once."""
    _refuse_unless_staff(staff)
    verification = (
        Verification.objects.select_for_update()
        .select_related("user")
        .filter(pk=verification_id, revoked_at__isnull=True)
        .first()
    )
    if verification is None:
        raise Http404
    reason = _text(reason, code="reason", required=_("Say why the verification ends."))
    return _revoke(verification=verification, staff=staff, reason=reason)


def _revoke(*, verification: Verification, staff: User | None, reason: str) -> Decision:
    verification.revoked_at = clock.now()
    verification.save(update_fields=["revoked_at"])
    person = verification.user
    still_police = Verification.objects.filter(
        user=person, role=VerifiedRole.POLICE, revoked_at__isnull=True
    ).exists()
    if verification.role == VerifiedRole.POLICE and not still_police:
        _end_wijkagent_memberships(officer=person, staff=staff, reason=reason)
    end_sockets(user_id=person.pk)
    return Decision.objects.create(
        subject=person,
        role=verification.role,
        kind=DecisionKind.REVOKED,
        municipality_codes=[verification.municipality_code]
        if verification.municipality_code
        else [],
        request=verification.request,
        decided_by=staff,
        reason=reason,
    )


@transaction.atomic
def revoke_all(*, user: User, reason: str) -> None:
    """Every role of an account that ends (deletion)."""
    for verification in Verification.objects.select_for_update().filter(
        Q(user=user), revoked_at__isnull=True
    ):
        _revoke(verification=verification, staff=None, reason=reason)


@transaction.atomic
def grant_role(
    *,
    user: User,
    role: VerifiedRole,
    municipality_codes: list[str],
    staff: User | None,
    evidence: str,
) -> Decision:
    """A role given directly (the demo, tests, staff setting up an instance): recorded as
    a decision like any other."""
    made = VerificationRequest.objects.create(
        user=user,
        role=role,
        organisation="",
        municipality_codes=sorted(municipality_codes) if role == VerifiedRole.MUNICIPALITY else [],
        official_email=user.email,
        reference=evidence,
    )
    _grant(made=made)
    return Decision.objects.create(
        subject=user,
        role=role,
        kind=DecisionKind.APPROVED,
        municipality_codes=made.municipality_codes,
        request=made,
        decided_by=staff,
        evidence=evidence,
    )


MAX_MESSAGE = 1000


@transaction.atomic
def message_group_admins(
    *, coordinator: User, group_id: int, text: str, confirm_language: bool = False
) -> AuditEntry:
    """The municipality coordinator writes to a group's admins through the notify outbox
    (push and e-mail); the coordinator never learns who they are.  In the group's log."""
    from .access import access_municipality_group
    from .dashboard import municipality_name

    group = access_municipality_group(user=coordinator, group_id=group_id)
    text = clean_text(text, code="message")
    if not text:
        raise ActionError("message", _("Write a message to the group's admins."))
    if len(text) > MAX_MESSAGE:
        raise ActionError("too_long", _("Keep it short: at most 1000 characters."))
    screen_outside_group(texts=[text], confirmed=confirm_language)  # R-RUL-3
    entry = AuditEntry.objects.create(
        group=group, actor=coordinator, action="municipality_message", reason=text
    )
    notify_municipality_message(
        entry=entry, municipality=municipality_name(group.municipality_code)
    )
    return entry
