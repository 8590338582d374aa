"""Demo data for `make demo`: real open data, a handful of personas (the logins) and the
living municipality around them (town.py, history.py).  Safe to re-run."""

import datetime as dt
import random
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from django.conf import settings
from django.utils.translation import gettext as _

from buurtwacht.accounts import actions as account_actions
from buurtwacht.accounts.models import User
from buurtwacht.core import clock
from buurtwacht.geo import actions as geo_actions
from buurtwacht.geo import download
from buurtwacht.geo.geocoders import GazetteerGeocoder
from buurtwacht.geo.geocoding import AddressQuery
from buurtwacht.geo.models import Address
from buurtwacht.groups.models import Group
from buurtwacht.municipality.actions import grant_role
from buurtwacht.municipality.models import VerifiedRole

from . import history, town
from .timeline import Timeline

DEMO_PASSWORD = "buurtwacht-demo"  # noqa: S105  (printed for the demo, never used in production)

# The open data that ships with Buurtwacht (see open_data/DATA-LICENCES.md): the tests and
# the demo use it; a downloaded municipality (manage.py download_open_data) takes its place.
SAMPLE_DIR = Path(__file__).resolve().parent / "open_data"
SAMPLE_AREA_FILES = (SAMPLE_DIR / "gemeenten.geojson", SAMPLE_DIR / "groningen_pc4.geojson")
SAMPLE_ADDRESS_FILE = SAMPLE_DIR / "groningen_addresses.csv"


class Output(Protocol):
    def write(self, msg: str) -> object: ...


@dataclass(frozen=True)
class Persona:
    email: str
    name: str
    role: str  # shown in the printed list only
    street: str
    index: int  # which address on that street (by house number)
    police: bool = False
    municipality_code: str = ""
    staff: bool = False


PERSONAS = [
    Persona("anna@demo.buurtwacht.nl", "Anna de Vries", "beheerder", "Grote Beerstraat", 0),
    Persona("mo@demo.buurtwacht.nl", "Mo Bakker", "lid", "Grote Beerstraat", 10),
    Persona("lotte@demo.buurtwacht.nl", "Lotte Jansen", "lid", "Grote Beerstraat", 20),
    Persona("sem@demo.buurtwacht.nl", "Sem Visser", "aanvrager", "Grote Beerstraat", 30),
    Persona("pieter@demo.buurtwacht.nl", "Pieter Politie", "wijkagent", "Korreweg", 5, police=True),
    Persona(
        "gea@demo.buurtwacht.nl",
        "Gea Gemeente",
        "gemeente",
        "Damsterdiep",
        3,
        municipality_code="GM0014",
    ),
    Persona("bob@demo.buurtwacht.nl", "Bob Buiten", "buitenstaander", "Paterswoldseweg", 7),
    Persona(
        "beheer@demo.buurtwacht.nl", "Platform Beheer", "platformbeheer", "Korreweg", 9, staff=True
    ),
]


DEMO_MUNICIPALITY = "GM0014"  # Groningen


def load_open_data(*, data_dir: Path, out: Output, download_missing: bool = False) -> None:
    """The demo's municipality from ``data_dir/GM0014`` when it was downloaded there; else,
    with ``download_missing``, downloaded from PDOK first (once; a stopped download resumes);
    else the open data that ships with Buurtwacht, which needs no network."""
    downloaded = data_dir / DEMO_MUNICIPALITY
    folder = downloaded if download.complete_download(downloaded) is not None else None
    if folder is None and download_missing:
        out.write(
            _("Downloading %(code)s from PDOK into %(dir)s\n")
            % {"dir": data_dir, "code": DEMO_MUNICIPALITY}
        )
        try:
            folder = download.download_municipality(
                code=DEMO_MUNICIPALITY, dest=data_dir, stdout=out
            )
        except download.DownloadError as exc:
            raise DemoDataError(
                _(
                    "%(error)s\nWithout a network the demo runs on the open data that ships "
                    "with Buurtwacht: run it again without --download."
                )
                % {"error": exc.message}
            ) from exc
    if folder is None:
        area_paths = list(SAMPLE_AREA_FILES)
        address_path = SAMPLE_ADDRESS_FILE
    else:
        area_paths = [folder / name for name in download.AREA_FILES]
        address_path = folder / download.ADDRESS_FILE
    for path in area_paths:
        out.write(f"{path}\n")
        geo_actions.import_areas(path=path, stdout=out)
    out.write(f"{address_path}\n")
    geo_actions.import_addresses(path=address_path, stdout=out)


class DemoDataError(Exception):
    pass


def persona_row(persona: Persona) -> Address:
    """The persona's real address: the `index`-th on their street by house number."""
    return Address.objects.filter(street__name=persona.street).order_by(
        "number", "letter", "suffix"
    )[persona.index]


def _address_for(persona: Persona) -> AddressQuery:
    row = persona_row(persona)
    return AddressQuery(
        postcode=row.postcode, number=row.number, letter=row.letter, addition=row.suffix
    )


def ensure_personas() -> list[tuple[Persona, User]]:
    geocoder = GazetteerGeocoder()
    result = []
    for persona in PERSONAS:
        user = User.objects.filter(email=persona.email).first()
        if user is None:
            address = geocoder.lookup(_address_for(persona))
            if address is None:
                raise RuntimeError(f"demo address for {persona.email} not in the gazetteer")
            user = account_actions.register_user(
                registration=account_actions.Registration(
                    email=persona.email,
                    name=persona.name,
                    password=DEMO_PASSWORD,
                    date_of_birth=dt.date(1980, 5, 17),
                    address=address,
                )
            )
            if persona.police:
                grant_role(
                    user=user,
                    role=VerifiedRole.POLICE,
                    municipality_codes=[],
                    staff=None,
                    evidence="demo",
                )
            if persona.municipality_code:
                grant_role(
                    user=user,
                    role=VerifiedRole.MUNICIPALITY,
                    municipality_codes=[persona.municipality_code],
                    staff=None,
                    evidence="demo",
                )
            if persona.staff:
                account_actions.make_staff(user=user)
        result.append((persona, user))
    return result


DEMO_GROUP = town.PERSONA_GROUP


def run(*, out: Output, download_missing: bool = False) -> None:
    load_open_data(
        data_dir=Path(settings.OPEN_DATA_DIR), out=out, download_missing=download_missing
    )
    built = build_town()
    personas = ensure_personas()
    group = Group.objects.get(name=DEMO_GROUP)
    if built:
        out.write(f"\n{built}\n")
    out.write(f"\nDemo logins (password for all: {DEMO_PASSWORD}):\n")
    for persona, user in personas:
        address = user.home_address
        out.write(
            f"  {persona.role:<15} {persona.email:<28} {user.name:<16} "
            f"{address.street} {address.house_number}, {address.postcode}\n"
        )
    out.write(f"\nDemo group: {group.name} (/groepen/{group.pk}/)\n")
    out.write("Map: /kaart/ · municipality dashboard (gea): /gemeente/\n")


def build_town() -> str:
    """The living municipality, once (safe to re-run: a built town is left as it is).
    Returns what was made, for the console, or '' when it was there already."""
    if Group.objects.filter(name=town.PLANS[-1].name).exists():
        return ""
    timeline = Timeline(now=clock.now())
    rng = random.Random(town.SEED)  # noqa: S311  (a demo that is the same every time)
    place = town.Town(timeline=timeline, rng=rng, users={})

    def begin() -> None:
        for persona, user in ensure_personas():
            place.users[persona.email.split("@")[0]] = user
        town.add_officers(place)
        rows = {persona_row(persona).pk for persona in PERSONAS}
        town.plan_groups(place, persona_rows=rows)
        history.plan_history(place)

    timeline.at(timeline.moment(days_ago=town.HISTORY_DAYS + 2, hour=9), begin)
    steps = timeline.play()
    return (
        f"Demo town: {len(place.groups)} groups in {DEMO_MUNICIPALITY} with "
        f"{len(place.names)} residents and officers, {steps} steps of history "
        f"over {town.HISTORY_DAYS} days"
    )
