"""What a notification says.  Lock screens are public: kind, street and whether 112 was
called; never a person description, a plate or a photo."""

from typing import TYPE_CHECKING, Any

from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from buurtwacht.alerts.models import Alert, AlertKind, CallChannel, Direction, Forward
from buurtwacht.alerts.selectors import full_name
from buurtwacht.geo.models import Street
from buurtwacht.groups.models import Group, Membership

if TYPE_CHECKING:
    from buurtwacht.groups.models import AuditEntry
    from buurtwacht.moderation.models import ModerationRecord
    from buurtwacht.municipality.models import Decision
    from buurtwacht.police.models import PoliceReport
    from buurtwacht.register.models import ContactMessage
    from buurtwacht.signage.models import SignRequest


def for_alert(alert: Alert) -> dict[str, Any]:
    called = alert.police_calls.filter(channel=CallChannel.EMERGENCY).exists()
    where = alert.street.name if alert.street else _("on the map")
    status = _("112 has been called") if called else _("112 not called yet")
    return {
        "title": _("Alert: %(kind)s") % {"kind": alert.get_kind_display()},
        "body": f"{where} · {status}",
        "url": reverse("group", args=[alert.group_id]) + f"#alert-{alert.pk}",
        "tag": f"alert-{alert.pk}",
    }


def for_chat(group: Group) -> dict[str, Any]:
    return {
        "title": group.name,
        "body": _("New chat message"),
        "url": reverse("group", args=[group.pk]),
        "tag": f"chat-{group.pk}",
    }


def for_join_request(group: Group, applicant: str) -> dict[str, Any]:
    return {
        "title": group.name,
        "body": _("%(name)s asks to join. Contact them before you decide.") % {"name": applicant},
        "url": reverse("group_requests", args=[group.pk]),
        "tag": f"requests-{group.pk}",
    }


def for_membership(entry: "AuditEntry", *, lock_screen: bool) -> dict[str, Any]:
    """A decision about the person's own membership (`entry` in the audit log: admitted,
    denied, removed, made admin by platform staff).  The e-mail gives the admins' reason;
    a push (`lock_screen`) does not, for anyone may read a lock screen."""
    group = {"group": entry.group.name}
    titles = {
        "admit": _("Welcome to %(group)s"),
        "deny": _("Your request to join %(group)s"),
        "remove": _("You are no longer a member of %(group)s"),
        "staff_appoint_admin": _("You are now an admin of %(group)s"),
        "off_streets": _("Your street is no longer part of %(group)s"),
    }
    bodies = {
        "admit": _("You have been admitted to %(group)s."),
        "deny": _("The admins of %(group)s did not admit you."),
        "remove": _("An admin removed you from %(group)s."),
        "staff_appoint_admin": _(
            "Platform staff made you an admin of %(group)s, because the group had none. "
            "You can now decide on join requests and appoint other admins."
        ),
        "off_streets": _(
            "The admins of %(group)s changed the group's streets, and your address is no "
            "longer on them. You are still a member until an admin decides; you can also "
            "leave the group yourself, and look for the group of your street."
        ),
    }
    body = bodies[entry.action] % group
    ended = entry.action in ("deny", "remove")
    if ended:
        reason = (
            _("The reason is in your e-mail.")
            if lock_screen
            else _("Reason: %(reason)s") % {"reason": entry.reason}
        )
        body = f"{body} {reason}"
    return {
        "title": titles[entry.action] % group,
        "body": body,
        "url": reverse("my_groups") if ended else reverse("group", args=[entry.group_id]),
        "tag": f"membership-{entry.group_id}",
    }


def for_verification(decision: "Decision") -> dict[str, Any]:
    """Platform staff's decision on the person's own request to be verified."""
    role = decision.get_role_display()
    if decision.kind == "approved":
        body = _("Your request to be verified as %(role)s has been approved.") % {"role": role}
    else:
        body = _("Your request to be verified as %(role)s has been denied: %(reason)s") % {
            "role": role,
            "reason": decision.reason,
        }
    return {
        "title": _("Your verification on Buurtwacht"),
        "body": body,
        "url": reverse("verification"),
        "tag": f"verification-{decision.pk}",
    }


def for_forward(forward: Forward) -> dict[str, Any]:
    """A neighbouring group's warning for the receiving admins (R-ADJ-1): kind, street,
    direction, whether 112 was called.  No names, descriptions, photos or plates."""
    summary = forward.summary
    kind = AlertKind(summary["kind"]).label if summary["kind"] in AlertKind.values else ""
    street = Street.objects.filter(pk=summary.get("street") or 0).first()
    parts = [street.name if street else _("on the map")]
    if summary["direction"] in Direction.values and summary["direction"]:
        parts.append(_("direction: %(d)s") % {"d": Direction(summary["direction"]).label})
    parts.append(_("112 has been called") if summary["called_112"] else _("112 not called yet"))
    return {
        "title": _("Warning from %(group)s: %(kind)s")
        % {"group": forward.from_group.name, "kind": kind},
        "body": " · ".join(str(part) for part in parts),
        "url": reverse("group", args=[forward.to_group_id]) + "#forwards",
        "tag": f"forward-{forward.pk}",
    }


def for_contact(message: "ContactMessage") -> dict[str, Any]:
    """The e-mail to the admins: the visitor's own words and address, to reply to."""
    return {
        "title": _("Message for %(group)s via the public page") % {"group": message.group.name},
        "body": _(
            "%(name)s (%(email)s) sent this message through the public page of your group. "
            "Reply to them by e-mail if you wish; they do not see who the admins are.\n\n"
            "%(body)s"
        )
        % {"name": message.sender_name, "email": message.sender_email, "body": message.body},
        "url": reverse("group", args=[message.group_id]),
        "tag": f"contact-{message.pk}",
    }


def for_contact_push(message: "ContactMessage") -> dict[str, Any]:
    return {
        "title": message.group.name,
        "body": _("A visitor sent a message to the admins. See your e-mail."),
        "url": reverse("group", args=[message.group_id]),
        "tag": f"contact-{message.pk}",
    }


def for_police_follow_up(report: "PoliceReport") -> dict[str, Any]:
    """R-FUP-1: no feedback 48 hours after a report.  Says when and how, never what."""
    when = formats.date_format(timezone.localtime(report.reported_at), "j F, H:i")
    country = report.group.country
    return {
        "title": _("No feedback from the police yet"),
        "body": _(
            "%(group)s: the report to the police of %(when)s (%(channel)s) has had no "
            "feedback for 48 hours. Call %(officer)s via %(number)s, then tap here to "
            "record that you did."
        )
        % {
            "group": report.group.name,
            "when": when,
            "channel": report.channel_label,
            "officer": country.the_officer,
            "number": country.police_number,
        },
        "url": reverse("police_called", args=[report.pk]),
        "tag": f"police-follow-up-{report.pk}",
    }


def for_wijkagent_ended(membership: Membership) -> dict[str, Any]:
    return {
        "title": membership.group.name,
        "body": _(
            "%(name)s is no longer a verified police officer and no longer reads along as "
            "%(officer)s."
        )
        % {
            "name": full_name(user=membership.user),
            "officer": membership.group.country.officer,
        },  # to the admins: the full name
        "url": reverse("group_members", args=[membership.group_id]),
        "tag": f"wijkagent-{membership.group_id}",
    }


def for_municipality_message(group: Group, *, municipality: str, text: str) -> dict[str, Any]:
    """A message of the municipality coordinator to the group's admins."""
    return {
        "title": _("Message from the municipality %(name)s") % {"name": municipality},
        "body": f"{group.name}: {text}",
        "url": reverse("group", args=[group.pk]),
        "tag": f"municipality-{group.pk}",
    }


def for_moderation_threat(record: "ModerationRecord") -> dict[str, Any]:
    """A blocked threat or call for eigenrichting: where, by whom; the words in the queue."""
    return {
        "title": _("%(group)s: a threat was blocked") % {"group": record.group.name},
        "body": _(
            "%(author)s tried to post a threat or a call to take the law into one's own hands "
            "(%(place)s). It was not posted. See the review queue, and call 112 if someone is "
            "in danger."
        )
        % {
            "author": full_name(user=record.author),
            "place": record.get_place_display(),
        },
        "url": reverse("group_moderation", args=[record.group_id]),
        "tag": f"moderation-{record.pk}",
    }


def sign_step_text(step: str) -> str:
    """What happened to a sign request, in a line (R-VIS-1)."""
    texts = {
        "requested": _("requested signs and stickers"),
        "approved": _("the municipality approved the request"),
        "declined": _("the municipality declined the request"),
        "ordered": _("the municipality ordered the signs and stickers"),
        "delivered": _("the signs and stickers have been delivered"),
        "placed": _("the signs have been placed"),
    }
    return str(texts[step])


def for_sign_request(
    sign_request: "SignRequest", *, step: str, for_municipality: bool
) -> dict[str, Any]:
    """R-VIS-1: a step of a sign request, for the group's admins or the municipality."""
    group = sign_request.group
    body = _("%(group)s: %(what)s.") % {"group": group.name, "what": sign_step_text(step)}
    if step == "declined" and sign_request.reason:
        body += " " + _("Reason: %(reason)s") % {"reason": sign_request.reason}
    url = (
        reverse("municipality_sign", args=[sign_request.pk])
        if for_municipality
        else reverse("group_signs", args=[group.pk])
    )
    return {
        "title": _("Signs and stickers"),
        "body": body,
        "url": url,
        "tag": f"signs-{sign_request.pk}",
    }
