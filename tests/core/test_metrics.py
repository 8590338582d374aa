"""/metrics (Prometheus): only from this machine or with the bearer token; the counters
and gauges move when requests, alerts, moderation and notifications happen."""

import pytest

from buurtwacht.alerts import actions as alert_actions
from buurtwacht.geo.models import Street
from buurtwacht.moderation import actions as moderation
from buurtwacht.notify import actions as notify_actions
from tests.conftest import GROUP_STREET
from tests.core.scrape import scrape, value

pytestmark = pytest.mark.django_db


def test_metrics_only_from_allowed_addresses_or_with_the_token(client, settings):
    assert client.get("/metrics").status_code == 200  # the test client is 127.0.0.1
    assert client.get("/metrics", REMOTE_ADDR="203.0.113.9").status_code == 403
    settings.METRICS_ALLOWED_IPS = ["10.0.0.0/8"]
    assert client.get("/metrics", REMOTE_ADDR="10.20.30.40").status_code == 200
    assert client.get("/metrics").status_code == 403
    settings.METRICS_TOKEN = "s3cret-token"
    bearer = {"HTTP_AUTHORIZATION": "Bearer s3cret-token"}
    assert client.get("/metrics", REMOTE_ADDR="203.0.113.9", **bearer).status_code == 200
    wrong = {"HTTP_AUTHORIZATION": "Bearer guess"}
    assert client.get("/metrics", **wrong).status_code == 403  # a wrong token never passes


def test_requests_are_counted_and_timed_by_view_and_status(client):
    before = scrape(client)
    client.get("/")
    client.get("/")
    client.get("/bestaat-niet/")
    client.get("/static/web/live.js")
    after = scrape(client)

    def moved(name, **labels):
        return value(after, name, **labels) - value(before, name, **labels)

    assert moved("buurtwacht_http_requests_total", view="home", method="GET", status="200") == 2
    assert moved("buurtwacht_http_request_duration_seconds_count", view="home") == 2
    unmatched = {"view": "unmatched", "method": "GET", "status": "404"}
    assert moved("buurtwacht_http_requests_total", **unmatched) == 1
    static = {"view": "static", "method": "GET", "status": "200"}
    assert moved("buurtwacht_http_requests_total", **static) == 1
    names = {name for name, _labels in after}
    assert "buurtwacht_http_request_duration_seconds_bucket" in names


def test_alert_moves_events_moderation_outbox_and_notification_counters(
    client, noon, group, mo_member, anna_admin, django_capture_on_commit_callbacks
):
    before = scrape(client)
    with django_capture_on_commit_callbacks(execute=True):
        alert_actions.post_alert(
            user=mo_member,
            group_id=group.pk,
            draft=alert_actions.AlertDraft(
                client_id="metrics-1",
                kind="suspicious_person",
                what="Iemand probeert deurklinken van auto's",
                street_id=Street.objects.filter(name=GROUP_STREET).first().pk,
            ),
        )
    queued = scrape(client)

    def moved(found, name, **labels):
        return value(found, name, **labels) - value(before, name, **labels)

    published = sum(
        v - before.get(key, 0.0)
        for key, v in queued.items()
        if key[0] == "buurtwacht_events_published_total"
    )
    assert published >= 1
    assert moved(queued, "buurtwacht_moderation_outcomes_total", stage="screen", outcome="ok") >= 1
    assert value(queued, "buurtwacht_outbox_due") >= 1  # anna is not connected: e-mail
    assert value(queued, "buurtwacht_database_up") == 1

    notify_actions.process_due()
    sent = scrape(client)
    assert moved(sent, "buurtwacht_notifications_total", transport="email", result="sent") >= 1
    assert value(sent, "buurtwacht_outbox_due") == 0
    assert value(sent, "buurtwacht_outbox_oldest_due_age_seconds") == 0


def test_moderation_checks_and_admin_decisions_are_counted(
    client, group, mo_member, anna_admin, django_capture_on_commit_callbacks
):
    def moved(after, before, stage, outcome):
        name = "buurtwacht_moderation_outcomes_total"
        return value(after, name, stage=stage, outcome=outcome) - value(
            before, name, stage=stage, outcome=outcome
        )

    before = scrape(client)
    with pytest.raises(moderation.LanguageWarning):
        moderation.screen_outside_group(texts=["Wat een kankerzooi hier"], confirmed=False)
    after = scrape(client)
    assert moved(after, before, "screen", "warn") + moved(after, before, "screen", "block") == 1

    with django_capture_on_commit_callbacks(execute=True):
        alert, _created = alert_actions.post_alert(
            user=mo_member,
            group_id=group.pk,
            draft=alert_actions.AlertDraft(
                client_id="metrics-2",
                kind="suspicious_person",
                what="Iemand loopt met een koevoet door de straat",
                street_id=Street.objects.filter(name=GROUP_STREET).first().pk,
            ),
        )
        moderation.hide_alert(admin=anna_admin, alert_id=alert.pk, reason="Dubbele melding")
    hidden = scrape(client)
    assert moved(hidden, after, "admin", "hide_alert") == 1


def test_worker_heartbeat_and_queue_gauges_come_from_the_database(client):
    from buurtwacht.core import actions
    from buurtwacht.core.tasks import heartbeat

    assert "buurtwacht_worker_heartbeat_age_seconds" not in {n for n, _ in scrape(client)}
    actions.record_heartbeat(worker="w:1", lag_seconds=1.5, task_path=heartbeat.module_path)
    found = scrape(client)
    assert value(found, "buurtwacht_worker_lag_seconds") == 1.5
    assert 0 <= value(found, "buurtwacht_worker_heartbeat_age_seconds") < 5
    assert ("buurtwacht_task_queue_oldest_age_seconds", frozenset()) in found
