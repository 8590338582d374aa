"""R-RUL-5 under real concurrency on PostgreSQL: two members tap "Ik bel 112" at the same
moment; exactly one claim exists and both are told the same claimer."""

import pytest

from buurtwacht.alerts import actions
from buurtwacht.alerts.models import CallChannel, PoliceCall
from buurtwacht.geo.models import Street
from tests.conftest import GROUP_STREET, run_together

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def groningen_addresses(groningen_subset_csv):
    from buurtwacht.geo import actions as geo_actions

    geo_actions.import_addresses(path=groningen_subset_csv)


@pytest.mark.parametrize("attempt", range(5))
def test_r_rul_5_two_members_tap_112_at_once(group, anna_admin, mo_member, attempt):
    alert, _ = actions.post_alert(
        user=anna_admin,
        group_id=group.pk,
        draft=actions.AlertDraft(
            client_id=f"a{attempt}",
            kind="break_in",
            what="Iemand forceert een achterdeur",
            street_id=Street.objects.get(name=GROUP_STREET).pk,
        ),
    )
    results = run_together(
        *[
            (
                lambda u=u: actions.claim_call(
                    user=u, alert_id=alert.pk, channel=CallChannel.EMERGENCY
                )
            )
            for u in (anna_admin, mo_member)
        ]
    )
    assert all(isinstance(r, actions.CallResult) for r in results), results
    assert sorted(r.won for r in results) == [False, True]
    assert results[0].call.pk == results[1].call.pk  # both see the same claimer
    assert PoliceCall.objects.filter(alert=alert).count() == 1
