"""Reads for accounts."""

from typing import Any

from django.conf import settings

from .models import HomeAddress, User


def _verified_roles(user: User) -> list[dict[str, Any]]:
    from buurtwacht.municipality.selectors import verifications_of

    return [
        {
            "role": v.role,
            "municipality_code": v.municipality_code,
            "granted_at": v.granted_at.isoformat(),
            "revoked_at": v.revoked_at.isoformat() if v.revoked_at else None,
        }
        for v in verifications_of(user=user)
    ]


def personal_data(*, user: User) -> dict[str, Any]:
    """Everything stored about the user, for the JSON export (AVG/GDPR art. 15 and 20)."""
    address: HomeAddress | None = getattr(user, "home_address", None)
    return {
        "format": "buurtwacht-personal-data/1",
        "account": {
            "email": user.email,
            "name": user.name,
            "date_of_birth": user.date_of_birth.isoformat() if user.date_of_birth else None,
            "created_at": user.created_at.isoformat(),
            "last_login": user.last_login.isoformat() if user.last_login else None,
            "language": user.language,
            "verified_roles": _verified_roles(user),
        },
        "home_address": None
        if address is None
        else {
            "street": address.street,
            "house_number": address.number,
            "house_letter": address.letter,
            "house_number_addition": address.addition,
            "postcode": address.postcode,
            "city": address.city,
            "municipality_code": address.municipality_code,
            "lon": address.lon,
            "lat": address.lat,
        },
        "login_history": _login_history(user),
        **_activity(user),
        **_alert_activity(user),
        **_police_and_moderation(user),
        "instance": settings.ALLOWED_HOSTS[0] if settings.ALLOWED_HOSTS else "",
    }


def _alert_activity(user: User) -> dict[str, Any]:
    """What the person added to alerts: updates, acknowledgements, 112 claims, photos."""
    from buurtwacht.alerts.models import Acknowledgement, AlertUpdate, PoliceCall
    from buurtwacht.media.models import AlertPhoto

    def where(alert: Any) -> dict[str, Any]:
        return {"group": alert.group.name, "alert": alert.pk}

    return {
        "alert_updates": [
            {**where(u.alert), "text": u.text, "at": u.created_at.isoformat()}
            for u in AlertUpdate.objects.filter(author=user).select_related("alert__group")
        ],
        "acknowledgements": [
            {**where(a.alert), "kind": a.kind, "at": a.created_at.isoformat()}
            for a in Acknowledgement.objects.filter(user=user).select_related("alert__group")
        ],
        "police_calls": [
            {**where(c.alert), "channel": c.channel, "at": c.created_at.isoformat()}
            for c in PoliceCall.objects.filter(user=user).select_related("alert__group")
        ],
        "alert_photos": [
            {
                **where(p.alert),
                "reason": p.reason,
                "reason_text": p.reason_text,
                "at": p.created_at.isoformat(),
            }
            for p in AlertPhoto.objects.filter(uploaded_by=user)
            .select_related("alert__group")
            .defer("image", "thumbnail")
        ],
    }


def _police_and_moderation(user: User) -> dict[str, Any]:
    """Reports to the police the person recorded or answered, and the moderation records by
    or about them: what they wrote that was held back, and what they reported."""
    from django.db.models import Q

    from buurtwacht.moderation.models import ModerationRecord
    from buurtwacht.police.models import PoliceReport

    reports = PoliceReport.objects.filter(Q(reporter=user) | Q(feedback_by=user))
    records = ModerationRecord.objects.filter(Q(author=user) | Q(reporter=user))
    return {
        "police_reports": [
            {
                "group": r.group.name,
                "alert": r.alert_id,
                "reported_by_me": r.reporter_id == user.pk,
                "channel": r.channel,
                "reported_at": r.reported_at.isoformat(),
                "number": r.number,
                "feedback": r.feedback if r.feedback_by_id == user.pk else "",
            }
            for r in reports.select_related("group").order_by("reported_at", "pk")
        ],
        "moderation_records": [
            {
                "group": m.group.name,
                "kind": m.kind,
                "place": m.place,
                "about_me": m.author_id == user.pk,
                "text": m.text if m.author_id == user.pk else "",
                "outcome": m.outcome,
                "reason": m.reason,
                "my_report": m.note if m.reporter_id == user.pk else "",
                "at": m.created_at.isoformat(),
            }
            for m in records.select_related("group").order_by("created_at", "pk")
        ],
    }


def _login_history(user: User) -> list[dict[str, Any]]:
    from axes.models import AccessLog

    return [
        {
            "ip_address": log.ip_address,
            "user_agent": log.user_agent,
            "attempt_time": log.attempt_time.isoformat(),
        }
        for log in AccessLog.objects.filter(username=user.email).order_by("-attempt_time")[:100]
    ]


def _activity(user: User) -> dict[str, Any]:
    """What the person did in groups, and how they are notified."""
    from buurtwacht.alerts.models import Alert
    from buurtwacht.chat.models import ChatMessage
    from buurtwacht.groups.models import JoinRequest, Membership
    from buurtwacht.notify.models import PushSubscription
    from buurtwacht.notify.selectors import preferences_of

    prefs = preferences_of(user=user)
    return {
        "memberships": [
            {
                "group": m.group.name,
                "role": m.role,
                "status": m.status,
                "since": m.created_at.isoformat(),
            }
            for m in Membership.objects.filter(user=user).select_related("group")
        ],
        "join_requests": [
            {
                "group": r.group.name,
                "status": r.status,
                "message": r.message,
                "contact": r.contact,  # how they said they could be reached
                "at": r.created_at.isoformat(),
                "decided_at": r.decided_at.isoformat() if r.decided_at else None,
                "reason": r.reason,
                # The vetting the admins recorded about them (R-GRP-5).
                "vetting": {
                    "contact_date": r.contact_date.isoformat() if r.contact_date else None,
                    "contact_method": r.contact_method,
                    "note": r.contact_note,
                    "age_checked": r.age_checked,
                    "address_checked": r.address_checked,
                },
            }
            for r in JoinRequest.objects.filter(user=user).select_related("group")
        ],
        "alerts": [
            {"group": a.group.name, "kind": a.kind, "what": a.what, "at": a.created_at.isoformat()}
            for a in Alert.objects.filter(author=user).select_related("group")
        ],
        "chat_messages": [
            {"group": c.group.name, "text": c.text, "at": c.created_at.isoformat()}
            for c in ChatMessage.objects.filter(author=user).select_related("group")
        ],
        "notifications": {
            "webpush": prefs.webpush,
            "email": prefs.email,
            "sms": prefs.sms,
            "phone": prefs.phone,
            "chat": prefs.chat,
            "quiet_hours": [prefs.quiet_start.isoformat(), prefs.quiet_end.isoformat()],
            "devices": PushSubscription.objects.filter(user=user).count(),
        },
    }
