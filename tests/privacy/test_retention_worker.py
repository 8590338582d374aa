"""The sweep with the real worker (`manage.py run_worker` on PostgreSQL): content that
expired while no worker ran is deleted as soon as one starts, and the sweep queues its
next run itself."""

import datetime as dt
import time

import pytest
from django.utils import timezone

from buurtwacht.alerts.models import Alert
from buurtwacht.chat.models import ChatMessage
from buurtwacht.notify.models import Delivery
from buurtwacht.privacy.tasks import purge_expired
from buurtwacht.realtime.models import Event
from tests.notify import processes

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def groningen_addresses(groningen_subset_csv):
    from buurtwacht.geo import actions as geo_actions

    geo_actions.import_addresses(path=groningen_subset_csv)


def wait_for_sweep(timeout: float = 60) -> None:
    from django_tasks_db.models import DBTaskResult

    sweeps = DBTaskResult.objects.filter(task_path=purge_expired.module_path)
    deadline = time.monotonic() + timeout
    while not sweeps.filter(status="SUCCESSFUL").exists():
        assert time.monotonic() < deadline, "no sweep ran"
        time.sleep(0.2)


def test_r_rul_6_the_worker_deletes_what_expired_while_it_was_down(content):
    expired_alert = content.alert(200)
    kept_alert = content.alert(10, photo=False)
    expired_chat = content.chat(45)
    kept_chat = content.chat(3)
    worker = processes.start_worker()  # no worker ran while all this expired
    try:
        wait_for_sweep()
    finally:
        processes.stop(worker)
    assert list(Alert.objects.values_list("pk", flat=True)) == [kept_alert.pk]
    assert list(ChatMessage.objects.values_list("pk", flat=True)) == [kept_chat.pk]
    assert not Event.objects.filter(payload__alert__id=expired_alert.pk).exists()
    assert not Event.objects.filter(payload__message__id=expired_chat.pk).exists()
    assert not Delivery.objects.filter(
        source__in=[f"alert:{expired_alert.pk}", f"chat:{expired_chat.pk}"]
    ).exists()
    assert Delivery.objects.filter(source=f"alert:{kept_alert.pk}").exists()
    # the next sweep is queued, about RETENTION_SWEEP_MINUTES from now
    from django_tasks_db.models import DBTaskResult

    waiting = DBTaskResult.objects.get(task_path=purge_expired.module_path, status="READY")
    assert waiting.run_after > timezone.now() + dt.timedelta(minutes=50)
