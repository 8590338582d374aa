"""The demo as a living municipality: about thirty groups across Groningen (GM0014) on
real streets of the shipped open data, with residents, admins and wijkagenten who joined
over the last months, and their history (history.py).  Everything is written through the
actions, at the moment it happened (timeline.py), from one seeded random generator: the
same town every time, its dates counted back from the day it is built."""

import datetime as dt
import random
from dataclasses import dataclass, field
from functools import partial

from buurtwacht.accounts import actions as account_actions
from buurtwacht.accounts.models import User
from buurtwacht.geo.geocoders import GazetteerGeocoder
from buurtwacht.geo.geocoding import AddressQuery
from buurtwacht.geo.models import Address, Street
from buurtwacht.groups import actions as group_actions
from buurtwacht.groups.models import Group, Listing, MembershipRole, VettingMethod
from buurtwacht.municipality.actions import grant_role
from buurtwacht.municipality.models import VerifiedRole
from buurtwacht.notify import actions as notify_actions

from . import texts
from .plans import OFFICERS, PERSONA_GROUP, PLANS, Plan
from .timeline import Timeline

SEED = 14  # GM0014
HISTORY_DAYS = 170  # within the default alert retention (180 days)
__all__ = ["PERSONA_GROUP", "PLANS", "Living", "Town"]


@dataclass
class Town:
    """What the history needs to know while it is played: who is in which group now."""

    timeline: Timeline
    rng: random.Random
    users: dict[str, User]  # personas and officers by key
    groups: dict[str, "Living"] = field(default_factory=dict)
    names: set[str] = field(default_factory=set)


@dataclass
class Living:
    plan: Plan
    group: Group | None = None
    street_ids: list[int] = field(default_factory=list)
    admins: list[User] = field(default_factory=list)
    members: list[User] = field(default_factory=list)  # admins included
    officer: User | None = None

    @property
    def pk(self) -> int:
        if self.group is None:
            raise RuntimeError(f"{self.plan.name} is not founded yet")
        return self.group.pk

    def someone(self, rng: random.Random, *, besides: User | None = None) -> User | None:
        people = [m for m in self.members if m != besides]
        return rng.choice(people) if people else None


def _vetting(moment: dt.datetime) -> group_actions.Vetting:
    return group_actions.Vetting(
        contact_date=moment.date(),
        method=VettingMethod.IN_PERSON,
        note="Kennismaking aan de deur",
        age_checked=True,
        address_checked=True,
    )


def _address(row: Address) -> AddressQuery:
    return AddressQuery(
        postcode=row.postcode, number=row.number, letter=row.letter, addition=row.suffix
    )


def register(town: Town, *, row: Address, name: str = "", email: str = "") -> User:
    """A generated resident at a real address, 18 or older, without a password (they are
    not logins: the personas are), taking notifications as push only."""
    rng = town.rng
    while not name or name in town.names:
        name = f"{rng.choice(texts.FIRST_NAMES)} {rng.choice(texts.SURNAMES)}"
    town.names.add(name)
    address = GazetteerGeocoder().lookup(_address(row))
    if address is None:
        raise RuntimeError(f"demo address {row} not in the gazetteer")
    today = town.timeline.today
    # Born 20 to 85 calendar years before the build: 18 or older at any moment of the
    # history, whatever the day of the year the demo is built on.
    born = dt.date(today.year - rng.randint(20, 85), rng.randint(1, 12), rng.randint(1, 28))
    slug = name.lower().replace(" ", ".").replace("'", "")
    user = account_actions.register_user(
        registration=account_actions.Registration(
            email=email or f"{slug}.{len(town.names)}@example.org",
            name=name,
            password=None,
            date_of_birth=born,
            address=address,
        )
    )
    notify_actions.update_preferences(user=user, change=_PUSH_ONLY)
    return user


_PUSH_ONLY = notify_actions.PreferenceChange(
    webpush=True,
    email=False,
    sms=False,
    phone="",
    chat=True,
    quiet_start=dt.time(23, 0),
    quiet_end=dt.time(7, 0),
)


def add_officers(town: Town) -> None:
    for key, (name, street, index) in OFFICERS.items():
        row = Address.objects.filter(street__name=street).order_by("number", "letter", "suffix")
        slug = name.lower().replace(" ", ".")
        officer = register(town, row=row[index], name=name, email=f"{slug}@politie.example.org")
        grant_role(
            user=officer,
            role=VerifiedRole.POLICE,
            municipality_codes=[],
            staff=None,
            evidence="Politie Noord-Nederland, basisteam Groningen (demo)",
        )
        town.users[key] = officer


def plan_groups(town: Town, *, persona_rows: set[int]) -> None:
    """Each group: founded, joined by its residents over the months, some leave."""
    for plan in PLANS:
        if Group.objects.filter(name=plan.name).exists():
            continue  # made by an earlier demo (before the town)
        living = Living(plan=plan)
        town.groups[plan.name] = living
        streets = Street.objects.filter(name__in=plan.streets, municipality_code="GM0014")
        living.street_ids = list(streets.values_list("pk", flat=True))
        rows = [
            r
            for r in Address.objects.filter(street_id__in=living.street_ids).order_by("pk")
            if r.pk not in persona_rows
        ]
        picked = town.rng.sample(rows, min(len(rows), plan.size + 4))
        _plan_group(town, living, picked)


def _plan_group(town: Town, living: Living, rows: list[Address]) -> None:
    plan, timeline, rng = living.plan, town.timeline, town.rng
    founded = timeline.moment(days_ago=plan.founded, hour=rng.randint(10, 20))
    personas = plan.name == PERSONA_GROUP

    def found() -> None:
        admin = town.users["anna"] if personas else register(town, row=rows[0])
        living.group = group_actions.create_group(
            founder=admin,
            new=group_actions.NewGroup(
                name=plan.name,
                description=_description(plan),
                municipality_code="GM0014",
                street_ids=living.street_ids,
            ),
            overlaps_confirmed=True,
        )
        living.admins.append(admin)
        living.members.append(admin)
        if plan.own_rules:
            group_actions.update_own_rules(
                admin=admin, group_id=living.pk, own_rules=plan.own_rules
            )
        if plan.listing:
            group_actions.set_listing(
                admin=admin, group_id=living.pk, listing=Listing(plan.listing)
            )

    timeline.at(founded, found)
    if plan.officer:
        timeline.at(founded + dt.timedelta(days=3, hours=1), lambda: _attach(town, living))
    joiners: list[tuple[int, Address | str]] = []
    if personas:
        joiners += [(plan.founded - 2, "mo"), (plan.founded - 4, "lotte")]
    for row in rows[1 : plan.size - len(joiners)]:
        # Most join in the first weeks, when the founder knocks on doors; some later.
        span = plan.founded - 3
        days_ago = plan.founded - 1 - int(span * rng.random() ** 2.2)
        joiners.append((max(days_ago, 2), row))
    joiners.sort(key=lambda item: -item[0])
    co_admin_chosen = plan.size < 10
    for n, (days_ago, who) in enumerate(joiners):
        asked = timeline.moment(
            days_ago=days_ago, hour=rng.randint(9, 20), minute=rng.randint(0, 59)
        )
        admitted = asked + dt.timedelta(hours=rng.randint(2, 40))
        admitted = admitted.replace(hour=max(9, min(admitted.hour, 21)))
        resident = not isinstance(who, str)  # not a persona: their roles stay as printed
        co_admin = resident and n >= 2 and not co_admin_chosen
        co_admin_chosen = co_admin_chosen or co_admin
        leaves = resident and not co_admin and n > 3 and rng.random() < 0.06
        _plan_member(town, living, who, asked, admitted, co_admin=co_admin, leaves=leaves)
    for row in rows[plan.size : plan.size + (2 if plan.size >= 12 else 0)]:
        # Waiting: asked in the last days, not decided yet.
        days_ago = rng.randint(1, 6)
        asked = timeline.moment(days_ago=days_ago, hour=rng.randint(9, 20))
        timeline.at(asked, partial(_ask_as_new, town, living, row))
    if personas:
        asked = timeline.moment(days_ago=2, hour=19, minute=12)
        timeline.at(
            asked,
            lambda: _ask(
                town, living, town.users["sem"], message="Ik woon sinds kort op nummer 173."
            ),
        )


def _ask_as_new(town: Town, living: Living, row: Address) -> None:
    _ask(town, living, register(town, row=row))


def _description(plan: Plan) -> str:
    streets = ", ".join(plan.streets[:-1])
    streets = f"{streets} en {plan.streets[-1]}" if streets else plan.streets[0]
    return f"Samen letten we op elkaar in de {streets} (Groningen)."


def _attach(town: Town, living: Living) -> None:
    officer = town.users[living.plan.officer]
    group_actions.attach_wijkagent(admin=living.admins[0], group_id=living.pk, officer=officer)
    living.officer = officer


def _ask(town: Town, living: Living, user: User, message: str = ""):
    return group_actions.request_to_join(
        user=user,
        group_id=living.pk,
        message=message or town.rng.choice(texts.JOIN_MESSAGES),
        rules_accepted=True,
    )


def _plan_member(
    town: Town,
    living: Living,
    who: Address | str,
    asked: dt.datetime,
    admitted: dt.datetime,
    *,
    co_admin: bool,
    leaves: bool,
) -> None:
    timeline, rng = town.timeline, town.rng
    request: dict[str, object] = {}

    def ask() -> None:
        user = town.users[who] if isinstance(who, str) else register(town, row=who)
        request["user"] = user
        request["pk"] = _ask(town, living, user).pk

    def admit() -> None:
        if "pk" not in request:
            return
        user = request["user"]
        if not isinstance(user, User):
            return
        deny = isinstance(who, Address) and rng.random() < 0.03
        if deny:
            group_actions.deny_request(
                admin=living.admins[0],
                request_id=int(str(request["pk"])),
                reason=rng.choice(texts.DENY_REASONS),
            )
            return
        group_actions.admit_member(
            admin=rng.choice(living.admins),
            request_id=int(str(request["pk"])),
            vetting=_vetting(admitted),
        )
        living.members.append(user)
        if co_admin:
            timeline.at(admitted + dt.timedelta(days=6), lambda: _promote(living, user))
        if leaves:
            days = rng.randint(10, 80)
            timeline.at(admitted + dt.timedelta(days=days, hours=2), lambda: _leave(living, user))

    timeline.at(asked, ask)
    timeline.at(max(admitted, asked + dt.timedelta(minutes=30)), admit)


def _promote(living: Living, user: User) -> None:
    if user not in living.members:
        return
    group_actions.change_role(
        admin=living.admins[0],
        group_id=living.pk,
        user_id=user.pk,
        role=MembershipRole.ADMIN,
    )
    living.admins.append(user)


def _leave(living: Living, user: User) -> None:
    if user not in living.members or user in living.admins:
        return
    group_actions.leave_group(user=user, group_id=living.pk)
    living.members.remove(user)
