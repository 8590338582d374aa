"""Playing the demo's history through the real actions, each at the moment it happened.

The actions ask `core/clock.py` what time it is, and the models' `auto_now_add` fields
ask Django (`timezone.now`); the task backend stamps its tasks the same way.  Rather
than backdate rows afterwards (which would need writers outside the actions and could
leave one timestamp behind), the demo moves the process clock itself with time-machine,
a step at a time, so that every row, event, notification and queued task of a step
carries that step's moment, as if it had been written then.  The clock is only moved
inside `play()`, in the `manage.py demo` process; the server runs on the real clock.

The notifications the history makes are delivered by the real outbox (`process_due`)
at the end of each simulated day, into Django's dummy mail backend: nothing old reaches
the console when `make demo` serves, and nothing is marked sent that was not handed over.
"""

import datetime as dt
import heapq
import itertools
from collections.abc import Callable
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

import time_machine
from django.conf import settings
from django.db import transaction
from django.test.utils import override_settings

from buurtwacht.bulletin import actions as bulletin_actions
from buurtwacht.bulletin.models import Notice
from buurtwacht.notify.actions import process_due

QUIET_MAIL = "django.core.mail.backends.dummy.EmailBackend"


@dataclass(order=True)
class _Step:
    at: dt.datetime
    n: int
    run: Callable[[], object] = field(compare=False)


class Timeline:
    """Steps at moments in the past, played in order; a step may plan later steps."""

    def __init__(self, *, now: dt.datetime) -> None:
        self.now = now
        self.zone = ZoneInfo(settings.TIME_ZONE)
        self.today = now.astimezone(self.zone).date()
        self._steps: list[_Step] = []
        self._count = itertools.count()

    def moment(self, *, days_ago: int, hour: int, minute: int = 0) -> dt.datetime:
        day = self.today - dt.timedelta(days=days_ago)
        return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=self.zone)

    def at(self, moment: dt.datetime, run: Callable[[], object]) -> None:
        """Plan `run` at `moment`; a moment not in the past (a minute's margin) is dropped."""
        if moment < self.now - dt.timedelta(minutes=1):
            heapq.heappush(self._steps, _Step(moment, next(self._count), run))

    def play(self) -> int:
        """All steps in time order, in one transaction; returns how many ran."""
        played = 0
        with override_settings(EMAIL_BACKEND=QUIET_MAIL), transaction.atomic():
            if not self._steps:
                return 0
            with time_machine.travel(self._steps[0].at, tick=False) as traveller:
                day = self._steps[0].at.astimezone(self.zone).date()
                while self._steps:
                    step = heapq.heappop(self._steps)
                    step_day = step.at.astimezone(self.zone).date()
                    if step_day != day:
                        _deliver_due()
                        day = step_day
                    traveller.move_to(step.at)
                    step.run()
                    played += 1
                _deliver_due()
                # The newsletter task of every notice has run (each sends once).
                for notice_id in Notice.objects.values_list("pk", flat=True):
                    bulletin_actions.send_newsletter(notice_id=notice_id)
            # Leaving the transaction runs its after-commit work (events published, the
            # subscription e-mails) still inside the dummy mail backend.
        return played


def _deliver_due() -> None:
    while process_due():
        pass
