"""What every page's menu needs: whether the account holds a verified role (the links to
the municipality dashboard and the police statistics).  Asked only when the menu renders."""

from typing import Any

from django.http import HttpRequest

from buurtwacht.core import countries
from buurtwacht.municipality.selectors import is_verified_police, municipality_codes_for


def verified_roles(request: HttpRequest) -> dict[str, Any]:
    user = request.user
    return {
        "is_coordinator": lambda: bool(municipality_codes_for(user=user)),  # type: ignore[arg-type]
        "is_police": lambda: is_verified_police(user=user),  # type: ignore[arg-type]
    }


def default_country(request: HttpRequest) -> dict[str, Any]:
    """The instance's country (core/countries.py) for pages of no group, such as the offline
    page: its numbers to call.  A group's pages put the group's own `country` over it."""
    return {"country": countries.default_country()}
