"""What every page's menu needs: whether the account holds a verified role (the links to
the municipality dashboard and the police statistics).  Asked only when the menu renders."""

from typing import Any

from django.http import HttpRequest

from buurtwacht.municipality.selectors import is_verified_police, municipality_codes_for


def verified_roles(request: HttpRequest) -> dict[str, Any]:
    user = request.user
    return {
        "is_coordinator": lambda: bool(municipality_codes_for(user=user)),  # type: ignore[arg-type]
        "is_police": lambda: is_verified_police(user=user),  # type: ignore[arg-type]
    }


# The numbers a member taps: 112 (emergency) and the police's non-emergency number.  One
# place, so that a per-country table can take over (pages use {{ numbers.emergency }} and
# the tel: forms {{ numbers.emergency_tel }}).
PHONE_NUMBERS = {"emergency": "112", "police": "0900-8844"}


def phone_numbers(request: HttpRequest) -> dict[str, Any]:
    numbers = dict(PHONE_NUMBERS)
    return {
        "numbers": {
            **numbers,
            "emergency_tel": numbers["emergency"].replace("-", ""),
            "police_tel": numbers["police"].replace("-", ""),
        }
    }
