"""The two countries Buurtwacht serves, and everything that differs between them, in one
table: numbers to call, what the police unit and its officer are called, the municipal
code, postcodes, the official scheme's name and the sign conditions.

A municipality's country follows from its code: a CBS code ``GM0014`` is Dutch, a
five-digit NIS code (``44021``, Gent) is Belgian.  A group's country is its
municipality's.  The instance has a default country (``settings.COUNTRY``) for what
belongs to no municipality (the 500 page, the home page) and a list of countries it
serves (``settings.COUNTRIES``): a Belgian four-digit postcode is only accepted where
Belgium is served.

Pure: no database.  Views and templates ask ``country_of(code)`` or ``group.country``;
no ``if country == ...`` elsewhere.
"""

import re
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


@dataclass(frozen=True)
class Country:
    code: str  # ISO 3166-1 alpha-2
    name: Promise
    emergency_number: str  # shown and dialled
    police_number: str  # the police's non-emergency number, as shown
    police_tel: str  # the same, as a tel: link dials it
    # The police's local unit and its officer for a neighbourhood, with the article,
    # as the object of a sentence ("Call the community police officer via 0900-8844").
    police_unit: Promise
    the_officer: Promise
    officer: Promise  # without the article, as a label ("community police officer")
    municipality_code_name: Promise  # "CBS municipality code" / "NIS code"
    municipality_code_re: re.Pattern[str]
    postcode_re: re.Pattern[str]  # the normalised form
    postcode_example: str
    # The official scheme, where the country has one (Belgium's BIN), '' otherwise.
    scheme_name: Promise | str
    scheme_full_name: Promise | str
    # What a sign request needs besides the instance's numbers (signage.selectors), '' when
    # nothing more.
    sign_conditions: Promise | str

    online_report: Promise  # the police's online report, as a channel label

    def channel_label(self, channel: str) -> str:
        """A stored call or report channel code ("112", "0900-8844", "online"; the codes
        are the Dutch numbers, kept as codes for either country) as this country says it."""
        labels = {
            "112": self.emergency_number,
            "0900-8844": self.police_number,
            "online": str(self.online_report),
        }
        return labels.get(channel, channel)

    def police_tel_link(self) -> str:
        return f"tel:{self.police_tel}"

    def emergency_tel_link(self) -> str:
        return f"tel:{self.emergency_number}"


NETHERLANDS = Country(
    code="NL",
    name=_("the Netherlands"),
    emergency_number="112",
    police_number="0900-8844",
    police_tel="09008844",
    police_unit=_("the police"),
    the_officer=_("the community police officer"),
    officer=_("community police officer"),
    municipality_code_name=_("CBS municipality code"),
    municipality_code_re=re.compile(r"^GM[0-9]{4}$"),
    postcode_re=re.compile(r"^[1-9][0-9]{3}[A-Z]{2}$"),
    postcode_example="9712 KB",
    scheme_name="",
    scheme_full_name="",
    sign_conditions="",
    online_report=_("online report (aangifte)"),
)

BELGIUM = Country(
    code="BE",
    name=_("Belgium"),
    emergency_number="112",
    police_number="101",
    police_tel="101",
    police_unit=_("the police zone"),
    the_officer=_("the neighbourhood inspector"),
    officer=_("neighbourhood inspector"),
    municipality_code_name=_("NIS code"),
    municipality_code_re=re.compile(r"^[1-9][0-9]{4}$"),
    postcode_re=re.compile(r"^[1-9][0-9]{3}$"),
    postcode_example="9000",
    scheme_name=pgettext_lazy("Belgian scheme, short", "BIN"),
    scheme_full_name=_("Neighbourhood Information Network (BIN)"),
    sign_conditions=_(
        "In Belgium the municipality places BIN signs once the BIN has signed its agreement "
        "with the mayor and the police zone."
    ),
    online_report=_("online report (Police-on-web)"),
)

COUNTRIES: dict[str, Country] = {c.code: c for c in (NETHERLANDS, BELGIUM)}


# Any country's municipality code, for URLs (web/urls.py) and forms.
MUNICIPALITY_CODE_PATTERN = r"GM[0-9]{4}|[1-9][0-9]{4}"


def is_municipality_code(code: str) -> bool:
    return any(c.municipality_code_re.match(code) for c in COUNTRIES.values())


def country_of(municipality_code: str) -> Country:
    """The country of a municipality code; the instance's default when it is neither
    (empty, or a code from before countries)."""
    code = (municipality_code or "").strip()
    for country in COUNTRIES.values():
        if country.municipality_code_re.match(code):
            return country
    return default_country()


def default_country() -> Country:
    from django.conf import settings

    return COUNTRIES[settings.COUNTRY]


def served_countries() -> list[Country]:
    from django.conf import settings

    return [COUNTRIES[code] for code in settings.COUNTRIES]


# The public register's heading, by the countries served (in either order).
_REGISTER_TITLES = {
    frozenset({"NL"}): _("Neighbourhood watch groups in the Netherlands"),
    frozenset({"BE"}): _("Neighbourhood watch groups in Belgium"),
    frozenset({"NL", "BE"}): _("Neighbourhood watch groups in the Netherlands and Belgium"),
}


def register_title() -> Promise:
    return _REGISTER_TITLES[frozenset(c.code for c in served_countries())]


def country_of_postcode(postcode: str) -> Country | None:
    """The served country whose postcode form this normalised postcode has."""
    for country in served_countries():
        if country.postcode_re.match(postcode):
            return country
    return None
