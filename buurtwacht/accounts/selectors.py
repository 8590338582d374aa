"""Reads for accounts."""

from typing import Any

from django.conf import settings

from .models import HomeAddress, User


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
            "police_verified": user.police_verified,
            "municipality_code": user.municipality_code,
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
        "instance": settings.ALLOWED_HOSTS[0] if settings.ALLOWED_HOSTS else "",
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
