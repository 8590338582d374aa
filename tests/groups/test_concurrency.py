"""Real concurrency on PostgreSQL: threads with their own connections decide at the same
moment.  (SQLite serialises every writer, so there is nothing to race there.)"""

import datetime as dt
import time

import pytest

from buurtwacht.accounts.models import User
from buurtwacht.core.errors import ActionError
from buurtwacht.groups import actions
from buurtwacht.groups.models import JoinRequestStatus, Membership, MembershipRole, MembershipStatus
from tests.conftest import GROUP_STREET, VETTED, admit, run_together

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def groningen_addresses(groningen_subset_csv):
    """Transactional tests cannot use the session import (it is flushed): import again."""
    from buurtwacht.geo import actions as geo_actions

    geo_actions.import_addresses(path=groningen_subset_csv)


def test_two_admins_deciding_at_once_make_one_decision(group, anna_admin, mo_member, resident_on):
    actions.change_role(
        admin=anna_admin, group_id=group.pk, user_id=mo_member.pk, role=MembershipRole.ADMIN
    )
    lotte = resident_on("Lotte Jansen", GROUP_STREET, 20)
    request = actions.request_to_join(user=lotte, group_id=group.pk, rules_accepted=True)

    results = run_together(
        lambda: actions.admit_member(admin=anna_admin, request_id=request.pk, vetting=VETTED),
        lambda: actions.deny_request(admin=mo_member, request_id=request.pk, reason="Onbekend"),
    )
    errors = [r for r in results if isinstance(r, Exception)]
    assert len(errors) == 1, results
    assert isinstance(errors[0], ActionError) and errors[0].code == "decided"
    request.refresh_from_db()
    assert request.status in {JoinRequestStatus.ADMITTED, JoinRequestStatus.DENIED}
    admitted = Membership.objects.filter(group=group, user=lotte, status="active").exists()
    assert admitted == (request.status == JoinRequestStatus.ADMITTED)


def test_r_grp_1_the_257th_member_is_refused_under_concurrent_admits(
    group, anna_admin, resident_on
):
    fillers = User.objects.bulk_create(
        [User(email=f"vul{i}@example.nl", name=f"Buur {i}") for i in range(254)]
    )
    Membership.objects.bulk_create(
        [
            Membership(
                group=group, user=u, role=MembershipRole.MEMBER, status=MembershipStatus.ACTIVE
            )
            for u in fillers
        ]
    )  # anna + 254 = 255 members: room for exactly one more
    applicants = [resident_on(f"Nieuw {i}", GROUP_STREET, 30 + i) for i in range(3)]
    requests = [
        actions.request_to_join(user=u, group_id=group.pk, rules_accepted=True) for u in applicants
    ]
    results = run_together(
        *[
            (lambda r=r: actions.admit_member(admin=anna_admin, request_id=r.pk, vetting=VETTED))
            for r in requests
        ]
    )
    admitted = [r for r in results if isinstance(r, Membership)]
    refused = [r for r in results if isinstance(r, ActionError)]
    assert len(admitted) == 1, results
    assert [e.code for e in refused] == ["full", "full"]
    assert Membership.objects.filter(group=group, status="active").count() == 256


def test_ten_registrations_with_one_address_at_once_make_one_account(groningen_addresses):
    """On PostgreSQL nine of them were a 500 (IntegrityError); now each gets the answer any
    registration gets, and the address has one account."""
    from buurtwacht.accounts import actions as account_actions
    from buurtwacht.geo.geocoders import GazetteerGeocoder
    from buurtwacht.geo.geocoding import AddressQuery

    address = GazetteerGeocoder().lookup(AddressQuery(postcode="9712KB", number=24, letter="C"))
    registration = account_actions.Registration(
        email="femke@example.nl",
        name="Femke de Boer",
        password="zonnebloem-straat-77",
        date_of_birth=dt.date(1990, 4, 12),
        address=address,
    )
    results = run_together(
        *[lambda: account_actions.register_resident(registration=registration)] * 10
    )
    assert not [r for r in results if isinstance(r, Exception)], results
    assert sorted(r.created for r in results) == [False] * 9 + [True]
    assert User.objects.filter(email="femke@example.nl").count() == 1


def test_two_accounts_taking_one_e_mail_address_at_once_get_a_dutch_refusal(
    groningen_addresses, make_resident
):
    """The second change waits for the first one's transaction, then meets the unique index:
    that was an IntegrityError (500); now the action's own refusal, nothing half-written."""
    import threading

    from django.db import connections, transaction

    from buurtwacht.accounts import actions as account_actions

    femke, joost = make_resident("Femke de Boer"), make_resident("Joost Mulder")
    first_in_transaction = threading.Event()
    outcome: list[object] = []

    def femke_changes():
        try:
            with transaction.atomic():
                account_actions.change_email(user=femke, email="samen@example.nl")
                first_in_transaction.set()
                time.sleep(1)  # joost's change reaches the database and waits for this one
        finally:
            connections.close_all()

    def joost_changes():
        first_in_transaction.wait(10)
        try:
            account_actions.change_email(user=joost, email="Samen@Example.nl")
        except Exception as exc:
            outcome.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=femke_changes), threading.Thread(target=joost_changes)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    [refused] = outcome
    assert isinstance(refused, ActionError), refused
    assert refused.message == "Er bestaat al een account met dit e-mailadres."
    assert User.objects.get(email="samen@example.nl") == femke
    joost.refresh_from_db()
    assert joost.email.startswith("joost")


def test_two_admins_deleting_their_accounts_at_once_leave_every_group_an_admin(
    group, anna_admin, mo_member, resident_on, group_street_ids
):
    """Each saw the other as admin and went: groups with members and no admin.  The
    last-admin check now holds the groups' rows (in id order) until the deletion commits,
    so the second one sees the first one gone."""
    from buurtwacht.accounts import actions as account_actions
    from buurtwacht.groups.selectors import groups_without_admin

    lotte = resident_on("Lotte Jansen", GROUP_STREET, 20)
    groups = [group]
    for n in range(5):
        groups.append(
            actions.create_group(
                founder=anna_admin,
                new=actions.NewGroup(
                    name=f"Buurtpreventie Beerstraat {n}",
                    description="Samen letten we op elkaar.",
                    municipality_code=group.municipality_code,
                    street_ids=group_street_ids,
                ),
                overlaps_confirmed=True,
            )
        )
    for each in groups:
        for resident in (mo_member, lotte):
            if not Membership.objects.filter(group=each, user=resident, status="active"):
                admit(each, anna_admin, resident)
        actions.change_role(
            admin=anna_admin, group_id=each.pk, user_id=mo_member.pk, role=MembershipRole.ADMIN
        )

    results = run_together(
        lambda: account_actions.delete_account(user=User.objects.get(pk=anna_admin.pk)),
        lambda: account_actions.delete_account(user=User.objects.get(pk=mo_member.pk)),
    )
    assert list(groups_without_admin()) == []
    refused = [r for r in results if isinstance(r, Exception)]
    assert len(refused) == 1, results
    assert isinstance(refused[0], ActionError) and refused[0].code == "last_admin"
    assert User.objects.filter(deleted_at__isnull=False).count() == 1
