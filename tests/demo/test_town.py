"""`make demo`: the personas in a living municipality (buurtwacht/demo).  The town is
built once for this module (about a minute of CPU), inside a transaction that is rolled
back afterwards, so other tests never see it."""

import io
import shutil
import subprocess
from pathlib import Path

import pytest
from django.core import mail
from django.core.management import get_commands
from django.db import transaction
from django.db.models import Count
from django.test import Client
from django.urls import reverse

from buurtwacht.accounts.models import User
from buurtwacht.alerts.models import (
    Acknowledgement,
    Alert,
    AlertKind,
    AlertUpdate,
    CallChannel,
    Forward,
    ForwardStatus,
    Outcome,
    PoliceCall,
)
from buurtwacht.bulletin.models import NewsletterDelivery, Notice, Subscriber
from buurtwacht.chat.models import ChatMessage
from buurtwacht.core import clock
from buurtwacht.demo import data as demo
from buurtwacht.demo.plans import PLANS
from buurtwacht.groups import actions as group_actions
from buurtwacht.groups.access import role_in
from buurtwacht.groups.models import Group, JoinRequest, Membership, MembershipRole
from buurtwacht.groups.policy import Role
from buurtwacht.municipality.statistics import Shown, statistics_for
from buurtwacht.notify.models import Delivery, DeliveryState
from buurtwacht.notify.transports.email import EmailTransport
from buurtwacht.police.models import PoliceReport
from buurtwacht.signage.models import SignRequest, SignStatus

ROOT = Path(__file__).resolve().parents[2]
GM = "GM0014"


def _counts() -> dict[str, int]:
    models = (User, Group, Membership, JoinRequest, Alert, PoliceReport, ChatMessage, Notice)
    return {model.__name__: model.objects.count() for model in (*models, Subscriber, Delivery)}


@pytest.fixture(scope="module")
def town(django_db_setup, django_db_blocker):
    """The demo as `manage.py demo` builds it, then run a second time; yields
    (first output, second output, counts after the first, counts after the second)."""
    with django_db_blocker.unblock(), transaction.atomic():
        first, second = io.StringIO(), io.StringIO()
        demo.run(out=first)
        after_first = _counts()
        demo.run(out=second)
        yield first.getvalue(), second.getvalue(), after_first, _counts()
        transaction.set_rollback(True)


@pytest.fixture
def groups(town, db):
    return list(Group.objects.filter(municipality_code=GM))


def test_the_demo_builds_about_thirty_groups_in_groningen(groups):
    assert len(groups) == len(PLANS) >= 28
    names = {group.name for group in groups}
    assert demo.DEMO_GROUP in names
    sizes = (
        Membership.objects.filter(
            group__in=groups, status="active", role__in=(MembershipRole.ADMIN, "member")
        )
        .values("group")
        .annotate(n=Count("id"))
    )
    assert sum(row["n"] for row in sizes) > 250
    assert Membership.objects.filter(role=MembershipRole.WIJKAGENT, status="active").count() > 10


def test_r_rul_1_the_generated_residents_are_adults_living_on_their_groups_streets(groups):
    today = clock.today()
    for membership in Membership.objects.filter(
        group__in=groups, status="active", role__in=(MembershipRole.ADMIN, "member")
    ).select_related("user__home_address", "group"):
        user = membership.user
        assert user.date_of_birth is not None
        assert (today - user.date_of_birth).days >= 18 * 365, user
        assert membership.group.streets.filter(name=user.home_address.street).exists(), user


def test_the_demo_keeps_its_personas_and_their_roles(town, db):
    output = town[0]
    group = Group.objects.get(name=demo.DEMO_GROUP)
    roles = {
        p.email.split("@")[0]: role_in(user=User.objects.get(email=p.email), group=group)[0]
        for p in demo.PERSONAS
    }
    assert roles["anna"] == Role.ADMIN
    assert roles["mo"] == roles["lotte"] == Role.MEMBER
    assert roles["sem"] == Role.PENDING
    assert roles["pieter"] == Role.WIJKAGENT
    assert roles["bob"] == Role.OUTSIDER
    assert "buurtwacht-demo" in output
    for persona in demo.PERSONAS:
        assert persona.email in output


@pytest.mark.parametrize("persona", demo.PERSONAS, ids=lambda p: p.email.split("@")[0])
def test_the_demo_logins_work(town, db, persona):
    client = Client()
    response = client.post(
        reverse("login"), {"username": persona.email, "password": demo.DEMO_PASSWORD}
    )
    assert response.status_code == 302
    assert client.session.get("_auth_user_id") == str(User.objects.get(email=persona.email).pk)


def test_the_history_spans_months_with_every_kind_and_outcome(groups):
    alerts = Alert.objects.filter(group__in=groups)
    oldest = alerts.order_by("created_at").first()
    assert (clock.now() - oldest.created_at).days >= 150
    assert set(alerts.values_list("kind", flat=True)) == set(AlertKind.values)
    assert set(alerts.values_list("outcome", flat=True)) == {*Outcome.values, ""}  # some open
    claimed = PoliceCall.objects.filter(alert__in=alerts, channel=CallChannel.EMERGENCY)
    assert 0 < claimed.count() < alerts.count()  # 112 claimed, and not
    assert PoliceCall.objects.filter(channel=CallChannel.POLICE_NON_EMERGENCY).exists()
    assert AlertUpdate.objects.filter(alert__in=alerts).exists()
    assert Acknowledgement.objects.filter(alert__in=alerts).exists()
    assert ChatMessage.objects.filter(group__in=groups).count() > 50


def test_r_fup_1_reports_with_and_without_feedback_and_the_follow_up(groups):
    reports = PoliceReport.objects.filter(group__in=groups)
    assert reports.filter(feedback_at__isnull=False).count() >= 5
    followed = reports.filter(follow_up_sent_at__isnull=False)
    assert followed.filter(feedback_at__isnull=True).exists()
    assert followed.filter(wijkagent_called_at__isnull=False).exists()


def test_r_vis_1_sign_requests_at_every_stage(groups):
    statuses = set(SignRequest.objects.filter(group__in=groups).values_list("status", flat=True))
    assert statuses == set(SignStatus.values)


def test_r_rul_7_notices_and_subscribers_confirmed_waiting_and_gone(groups):
    assert Notice.objects.filter(group__in=groups).count() >= 5
    subscribers = Subscriber.objects.filter(group__in=groups)
    assert subscribers.filter(confirmed_at__isnull=False, unsubscribed_at__isnull=True).exists()
    assert subscribers.filter(confirmed_at__isnull=True).exists()
    assert subscribers.filter(unsubscribed_at__isnull=False).exists()


def test_r_adj_1_the_personas_group_has_warnings_reposted_declined_and_waiting(town, db):
    forwards = Forward.objects.filter(to_group__name=demo.DEMO_GROUP)
    assert set(forwards.values_list("status", flat=True)) == set(ForwardStatus.values)


def test_r_grp_5_join_requests_wait_and_were_decided(groups):
    requests = JoinRequest.objects.filter(group__in=groups)
    assert set(requests.values_list("status", flat=True)) >= {"pending", "admitted", "denied"}
    assert requests.filter(status="pending").count() >= 5
    assert Membership.objects.filter(group__in=groups, status__in=("left", "removed")).count() >= 5


def test_the_municipality_statistics_show_figures_past_the_suppression(groups):
    stats = statistics_for(group_ids=[group.pk for group in groups])
    names = [
        "groups",
        "alerts",
        "called_112",
        "share_112",
        "false_alarm_share",
        "reports",
        "with_feedback",
        "feedback_median_hours",
        "feedback_within_48h",
        "members",
        "joined",
        "left",
    ]
    hidden = {name: getattr(stats, name) for name in names}
    assert {n: f for n, f in hidden.items() if f.shown != Shown.EXACT} == {}
    assert stats.alerts.value >= 100
    assert all(row.figure.shown == Shown.EXACT for row in stats.per_week[:-1])
    assert all(row.figure.shown == Shown.EXACT for row in stats.per_kind)
    assert sum(row.figure.shown == Shown.EXACT for row in stats.per_hour) >= 16


def test_r_reg_1_the_register_lists_the_groups(town, db):
    page = Client().get(reverse("register_municipality", args=[GM])).content.decode()
    listed = [p for p in PLANS if p.size >= 3 and not p.listing]
    assert len(listed) >= 25
    for plan in listed:
        assert plan.name in page or plan.name.replace("'", "&#x27;") in page, plan.name
    assert "Beijum-Oost" not in page  # its admins took it off the map
    assert "Reitdiep" not in page  # two members: listed from three


def test_the_demo_sends_no_old_mail_when_it_serves(town, db):
    assert not Delivery.objects.filter(state=DeliveryState.PENDING, due_at__lte=clock.now())
    assert not NewsletterDelivery.objects.filter(sent_at__isnull=True)


def test_the_demo_is_idempotent(town):
    _first, second, after_first, after_second = town
    assert after_second == after_first
    assert "Demo town" not in second  # found, not built again
    assert "buurtwacht-demo" in second


def test_the_demo_command_lives_in_the_demo_app():
    # `manage.py demo` (and so `make demo`) is the demo app's command, not core's
    assert get_commands()["demo"] == "buurtwacht.demo"


# --- links from SITE_URL -------------------------------------------------------------


def test_make_demo_sets_site_url_from_its_port():
    make = shutil.which("make")
    assert make, "make is needed for `make demo`"
    dry = subprocess.run(
        [make, "-n", "demo", "PORT=28123"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout
    serve = [line for line in dry.splitlines() if "manage.py serve" in line]
    assert serve and "SITE_URL=http://127.0.0.1:28123" in serve[0]
    assert "--port 28123" in serve[0]
    assert "ALLOWED_HOSTS=" in serve[0]


def test_r_cre_2_the_share_link_uses_site_url(town, db, settings):
    settings.SITE_URL = "http://127.0.0.1:28123"
    group = Group.objects.get(name=demo.DEMO_GROUP)
    anna = User.objects.get(email="anna@demo.buurtwacht.nl")
    link = group_actions.get_share_link(admin=anna, group_id=group.pk)
    client = Client()
    client.force_login(anna)
    page = client.get(reverse("group_recruit", args=[group.pk])).content.decode()
    assert f"http://127.0.0.1:28123/doe-mee/{link.token}/" in page


def test_an_email_link_uses_site_url(town, db, settings):
    settings.SITE_URL = "http://127.0.0.1:28123"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    delivery = Delivery.objects.filter(transport="email").select_related("user").first()
    EmailTransport().send(delivery)
    assert f"http://127.0.0.1:28123{delivery.payload['url']}" in mail.outbox[-1].body
