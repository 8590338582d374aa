"""The town's months of history, planned on the timeline and written by the actions:
alerts of every kind with 112 claims, updates, reactions and each outcome; police
reports with and without feedback and the 48-hour follow-up; chat; public notices and
newsletter subscribers; sign requests at every stage; warnings forwarded between
neighbouring groups.  Who does something is chosen when it happens, among the members of
that moment (town.Living)."""

import datetime as dt
import itertools
from functools import partial

from buurtwacht.alerts import actions as alert_actions
from buurtwacht.alerts.models import AckKind, AlertKind, CallChannel, Direction, Outcome
from buurtwacht.bulletin import actions as bulletin_actions
from buurtwacht.bulletin.models import Subscriber
from buurtwacht.bulletin.selectors import active_subscribers
from buurtwacht.chat import actions as chat_actions
from buurtwacht.core import clock
from buurtwacht.groups import actions as group_actions
from buurtwacht.police import actions as police_actions
from buurtwacht.police.models import ReportChannel
from buurtwacht.signage import actions as sign_actions

from . import texts
from .town import HISTORY_DAYS, PERSONA_GROUP, Living, Town

MINUTE = dt.timedelta(minutes=1)
HOUR = dt.timedelta(hours=1)
DAY = dt.timedelta(days=1)
# Alerts by hour of the day (local): quiet before dawn, busiest in the evening.
HOUR_WEIGHTS = [2, 2, 1.5, 1, 1, 1, 1, 1.5, 2, 2, 2, 2, 2, 2, 2.5, 3, 3, 3.5, 4, 4, 4.5, 4.5, 4, 3]
KIND_WEIGHTS = {
    AlertKind.SUSPICIOUS_PERSON: 30,
    AlertKind.SUSPICIOUS_VEHICLE: 20,
    AlertKind.BREAK_IN: 11,
    AlertKind.NOISE_VANDALISM: 22,
    AlertKind.FIRE_MEDICAL: 6,
    AlertKind.OTHER: 11,
}
OUTCOME_WEIGHTS = {
    Outcome.RESOLVED: 35,
    Outcome.POLICE_ON_SITE: 20,
    Outcome.FALSE_ALARM: 25,
    Outcome.SUSPECT_GONE: 20,
}
# (days ago of the request, then days after it for each next step) per stage reached.
SIGN_STAGES = {
    "requested": (3, []),
    "approved": (14, [(sign_actions.Step.APPROVE, 5)]),
    "declined": (40, [(sign_actions.Step.DECLINE, 4)]),
    "ordered": (30, [(sign_actions.Step.APPROVE, 4), (sign_actions.Step.ORDERED, 8)]),
    "delivered": (
        50,
        [
            (sign_actions.Step.APPROVE, 3),
            (sign_actions.Step.ORDERED, 10),
            (sign_actions.Step.DELIVERED, 25),
        ],
    ),
    "placed": (
        110,
        [
            (sign_actions.Step.APPROVE, 2),
            (sign_actions.Step.ORDERED, 9),
            (sign_actions.Step.DELIVERED, 21),
            (sign_actions.Step.PLACED, 26),
        ],
    ),
}

_ids = itertools.count(1)


def _client_id(prefix: str) -> str:
    return f"demo-{prefix}-{next(_ids)}"


def _weighted(town: Town, weights: dict) -> str:
    return town.rng.choices(list(weights), weights=list(weights.values()))[0]


def plan_history(town: Town) -> None:
    for living in town.groups.values():
        _plan_alerts(town, living)
        _plan_chat(town, living)
        _plan_bulletin(town, living)
        if living.plan.sign:
            _plan_signs(town, living)
    _plan_forwards(town)
    _plan_removal(town, "Oranjewijk Waakzaam", days_ago=40)
    _plan_live_alert(town)


# --- alerts --------------------------------------------------------------------------


def _plan_alerts(town: Town, living: Living) -> None:
    plan, timeline, rng = living.plan, town.timeline, town.rng
    first = min(plan.founded - 5, HISTORY_DAYS)
    last = plan.quiet_since or 0
    for days_ago in range(first, last - 1, -1):
        if rng.random() >= 0.8 * plan.alerts_per_week / 7:
            continue
        hour = rng.choices(range(24), weights=HOUR_WEIGHTS)[0]
        moment = timeline.moment(days_ago=days_ago, hour=hour, minute=rng.randint(0, 59))
        timeline.at(moment, partial(post_alert, town, living))


def post_alert(town: Town, living: Living, *, kind: str = "", author=None, open_: bool = False):
    """An alert now, with what follows it: claims, reactions, an update, a report, the
    close.  Returns the alert (None when the group has nobody to post)."""
    rng, timeline = town.rng, town.timeline
    author = author or living.someone(rng)
    if author is None or living.group is None:
        return None
    kind = kind or _weighted(town, KIND_WEIGHTS)
    now = _now(town)
    person = rng.choice(texts.PERSON) if kind == AlertKind.SUSPICIOUS_PERSON else {}
    vehicle = rng.choice(texts.VEHICLE) if kind == AlertKind.SUSPICIOUS_VEHICLE else {}
    alert, _created = alert_actions.post_alert(
        user=author,
        group_id=living.pk,
        draft=alert_actions.AlertDraft(
            client_id=_client_id("alert"),
            kind=kind,
            what=rng.choice(texts.ALERT_WHAT[kind]),
            street_id=rng.choice(living.street_ids),
            seen_at=now - rng.randint(1, 8) * MINUTE,
            direction=rng.choice(Direction.values),
            person=dict(person),
            vehicle=dict(vehicle),
        ),
    )
    calls_112 = {AlertKind.FIRE_MEDICAL.value: 1.0, AlertKind.BREAK_IN.value: 0.8}.get(kind, 0.2)
    if rng.random() < calls_112:
        caller = rng.choice([author, living.someone(rng) or author])
        timeline.at(now + rng.randint(1, 3) * MINUTE, lambda: _claim(living, alert, caller))
    elif kind == AlertKind.SUSPICIOUS_VEHICLE and rng.random() < 0.3:
        timeline.at(
            now + 2 * MINUTE,
            lambda: _claim(living, alert, author, channel=CallChannel.POLICE_NON_EMERGENCY),
        )
    reactions = rng.choices([0, 1, 2, 3], weights=[45, 35, 15, 5])[0]
    for _n in range(min(reactions, len(living.members) - 1)):
        member = living.someone(rng, besides=author)
        kind_of = AckKind.GOING if rng.random() < 0.3 else AckKind.SEEN
        timeline.at(
            now + rng.randint(1, 25) * MINUTE,
            partial(_ack, living, alert, member, kind_of),
        )
    if rng.random() < 0.35:
        writer = author if rng.random() < 0.7 else (living.someone(rng) or author)
        text = rng.choice(texts.UPDATES)
        timeline.at(now + rng.randint(4, 30) * MINUTE, lambda: _update(living, alert, writer, text))
    if rng.random() < (0.6 if kind == AlertKind.BREAK_IN else 0.25):
        timeline.at(
            now + rng.randint(10, 50) * MINUTE, lambda: _report(town, living, alert, author)
        )
    recent = now > town.timeline.now - 3 * DAY
    if not open_ and not (recent and rng.random() < 0.5):
        outcome = _weighted(town, OUTCOME_WEIGHTS)
        if kind == AlertKind.FIRE_MEDICAL:
            outcome = Outcome.RESOLVED
        timeline.at(
            now + rng.randint(40, 480) * MINUTE,
            lambda: _close(town, living, alert, author, outcome),
        )
    return alert


def _now(town: Town) -> dt.datetime:
    return clock.now()  # the step's moment (the timeline moved the clock there)


def _member(living: Living, user) -> bool:
    return user in living.members


def _claim(living, alert, user, channel=CallChannel.EMERGENCY) -> None:
    if _member(living, user) and alert.closed_at is None:
        alert_actions.claim_call(user=user, alert_id=alert.pk, channel=channel)


def _ack(living, alert, user, kind) -> None:
    if _member(living, user):
        alert_actions.acknowledge(user=user, alert_id=alert.pk, kind=kind)


def _update(living, alert, user, text) -> None:
    if _member(living, user):
        alert_actions.add_update(
            user=user, alert_id=alert.pk, client_id=_client_id("update"), text=text
        )


def _close(town: Town, living: Living, alert, author, outcome) -> None:
    closer = author if _member(living, author) else living.admins[0]
    alert.refresh_from_db()
    if alert.closed_at is None:
        alert_actions.close_alert(user=closer, alert_id=alert.pk, outcome=outcome)


# --- police reports (R-FUP-1) -------------------------------------------------------


def _report(town: Town, living: Living, alert, reporter) -> None:
    rng, timeline = town.rng, town.timeline
    if not _member(living, reporter) or living.group is None:
        return
    channel = rng.choice(
        [ReportChannel.EMERGENCY, ReportChannel.NON_EMERGENCY, ReportChannel.ONLINE]
    )
    report, _created = police_actions.record_report(
        user=reporter,
        group_id=living.pk,
        draft=police_actions.ReportDraft(
            client_id=_client_id("report"),
            channel=channel,
            number=f"PL0100-{rng.randint(2026000000, 2026999999)}" if channel == "online" else "",
            group_mentioned=rng.random() < 0.7,
            alert_id=alert.pk,
        ),
    )
    # The follow-up task the report queued, run by the worker when it falls due.
    due = report.follow_up_due_at + MINUTE
    timeline.at(due, lambda: police_actions.send_follow_up(report_id=report.pk))
    officer = living.officer
    if officer is not None and rng.random() < 0.75:
        late = rng.random() < 0.4  # enough either side of 48 h for the statistics
        hours = rng.randint(50, 110) if late else rng.randint(1, 40)
        text = rng.choice(texts.FEEDBACK)
        timeline.at(
            report.reported_at + hours * HOUR,
            lambda: police_actions.record_feedback(user=officer, report_id=report.pk, text=text),
        )
    elif rng.random() < 0.5:
        timeline.at(
            due + rng.randint(2, 20) * HOUR,
            lambda: _called(living, report, reporter),
        )


def _called(living: Living, report, reporter) -> None:
    if _member(living, reporter):
        police_actions.record_wijkagent_called(user=reporter, report_id=report.pk)


# --- chat --------------------------------------------------------------------------


def _plan_chat(town: Town, living: Living) -> None:
    """The last four weeks (the default chat retention is 30 days), in the daytime."""
    plan, timeline, rng = living.plan, town.timeline, town.rng
    if plan.quiet_since or plan.size < 3:
        return
    for days_ago in range(min(27, plan.founded - 1), -1, -1):
        if rng.random() >= min(0.6, plan.alerts_per_week / 5):
            continue
        start = timeline.moment(
            days_ago=days_ago, hour=rng.randint(8, 20), minute=rng.randint(0, 59)
        )
        for n in range(rng.choice([1, 1, 2, 3])):
            text = rng.choice(texts.CHAT)
            timeline.at(
                start + n * rng.randint(3, 40) * MINUTE,
                partial(_chat, town, living, text),
            )


def _chat(town: Town, living: Living, text: str) -> None:
    author = living.someone(town.rng)
    if author is not None and living.group is not None:
        chat_actions.post_chat(
            user=author, group_id=living.pk, client_id=_client_id("chat"), text=text
        )


# --- notices and the newsletter (R-RUL-7) ------------------------------------------


def _plan_bulletin(town: Town, living: Living) -> None:
    plan, timeline, rng = living.plan, town.timeline, town.rng
    for n in range(plan.subscribers):
        moment = timeline.moment(
            days_ago=plan.founded - 6 - n, hour=rng.randint(9, 21), minute=rng.randint(0, 59)
        )
        address = f"nieuws.{living.plan.name.split()[-1].lower()}.{n + 1}@example.net"
        last = n == plan.subscribers - 1 and plan.subscribers > 2
        timeline.at(moment, partial(_subscribe, living, address, n, last, town))
    for n in range(plan.notices):
        kind, title, body = texts.NOTICES[(n + len(plan.name)) % len(texts.NOTICES)]
        days_ago = max(2, plan.founded - 20 - n * 37)
        moment = timeline.moment(days_ago=days_ago, hour=rng.randint(10, 20))
        timeline.at(moment, partial(_publish, living, kind, title, body))


def _subscribe(living: Living, address: str, n: int, last: bool, town: Town) -> None:
    """Subscribed on the public page; confirmed from the e-mail later that day, except the
    last one of a larger list (it never confirmed); one of them later unsubscribed."""
    group_id = living.pk
    bulletin_actions.subscribe(group_id=group_id, email=address, ip_address=f"198.51.100.{n + 1}")
    if last:
        return
    subscriber = Subscriber.objects.get(group_id=group_id, email=address)
    token = bulletin_actions.confirm_token(subscriber)
    later = _now(town) + town.rng.randint(5, 300) * MINUTE
    town.timeline.at(later, lambda: bulletin_actions.confirm_subscription(token=token))
    if n == 1:
        gone = later + town.rng.randint(20, 60) * DAY

        def unsubscribe() -> None:
            found = active_subscribers(group_id=group_id).filter(email=address).first()
            if found is not None:
                bulletin_actions.unsubscribe(token=found.unsubscribe_token)

        town.timeline.at(gone, unsubscribe)


def _publish(living: Living, kind: str, title: str, body: str) -> None:
    bulletin_actions.publish_notice(
        admin=living.admins[0],
        group_id=living.pk,
        draft=bulletin_actions.NoticeDraft(kind=kind, title=title, body=body),
    )


# --- signs (R-VIS-1) ----------------------------------------------------------------


def _plan_signs(town: Town, living: Living) -> None:
    timeline, rng = town.timeline, town.rng
    days_ago, steps = SIGN_STAGES[living.plan.sign]
    asked = timeline.moment(days_ago=days_ago, hour=rng.randint(10, 16))
    made: dict[str, int] = {}

    def request() -> None:
        made["pk"] = sign_actions.request_signs(
            admin=living.admins[0],
            group_id=living.pk,
            order=sign_actions.SignOrder(
                signs=rng.randint(2, 6),
                stickers=rng.choice([50, 100, 150]),
                note="Graag bij de ingangen van de straten.",
            ),
        ).pk

    timeline.at(asked, request)
    for step, after in steps:
        details = sign_actions.StepDetails(
            reason=texts.SIGN_DECLINED if step == sign_actions.Step.DECLINE else "",
            where="Bij de ingangen van de straten, aan de lantaarnpalen"
            if step == sign_actions.Step.PLACED
            else "",
        )
        moment = asked + after * DAY + rng.randint(0, 3) * HOUR
        timeline.at(
            moment,
            partial(_advance, town, made, step, details),
        )


def _advance(town: Town, made: dict[str, int], step: sign_actions.Step, details) -> None:
    sign_actions.advance(
        coordinator=town.users["gea"], request_id=made["pk"], step=step, details=details
    )


# --- neighbours warned (R-ADJ-1) and the events of the personas' group ---------------


def _plan_forwards(town: Town) -> None:
    """Three warnings reach the personas' group from its neighbours: Anna reposted one,
    declined one, and one is still waiting for her."""
    for name, days_ago, decide in (
        ("Oranjewijk Waakzaam", 61, "repost"),
        ("Selwerd Samen Alert", 33, "decline"),
        ("Sterrenbuurt Paddepoel", 0, ""),
    ):
        living = town.groups.get(name)
        if living is None or PERSONA_GROUP not in town.groups:
            continue
        if days_ago == 0:
            moment = town.timeline.now - 55 * MINUTE
        else:
            moment = town.timeline.moment(days_ago=days_ago, hour=21, minute=14)
        town.timeline.at(moment, partial(_forward, town, living, decide))


def _forward(town: Town, living: Living, decide: str) -> None:
    alert = post_alert(town, living, kind=AlertKind.BREAK_IN, author=living.admins[0], open_=True)
    if alert is None:
        return
    # A few minutes later, when someone may have called 112 (the summary says so).
    town.timeline.at(_now(town) + 5 * MINUTE, partial(_send_forward, town, living, alert, decide))


def _send_forward(town: Town, living: Living, alert, decide: str) -> None:
    forwards = alert_actions.forward_alert(admin=living.admins[0], alert_id=alert.pk)
    mine = [f for f in forwards if f.to_group.name == PERSONA_GROUP]
    anna = town.users["anna"]
    later = _now(town) + 12 * MINUTE
    if mine and decide == "repost":
        town.timeline.at(
            later, lambda: alert_actions.repost_forward(admin=anna, forward_id=mine[0].pk)
        )
    elif mine and decide == "decline":
        town.timeline.at(
            later, lambda: alert_actions.decline_forward(admin=anna, forward_id=mine[0].pk)
        )
    if decide:
        outcome = Outcome.SUSPECT_GONE
        town.timeline.at(
            later + HOUR, lambda: _close(town, living, alert, living.admins[0], outcome)
        )


def _plan_removal(town: Town, name: str, *, days_ago: int) -> None:
    living = town.groups.get(name)
    if living is None:
        return

    def remove() -> None:
        candidates = [m for m in living.members if m not in living.admins]
        if candidates:
            user = candidates[-1]
            group_actions.remove_member(
                admin=living.admins[0],
                group_id=living.pk,
                user_id=user.pk,
                reason=texts.REMOVE_REASON,
            )
            living.members.remove(user)

    town.timeline.at(town.timeline.moment(days_ago=days_ago, hour=20), remove)


def _plan_live_alert(town: Town) -> None:
    """What Anna's group sees when the demo opens: an alert of 25 minutes ago, Mo calls
    112, members react."""
    living = town.groups.get(PERSONA_GROUP)
    if living is None:
        return
    mo = town.users["mo"]
    town.timeline.at(
        town.timeline.now - 25 * MINUTE,
        lambda: post_alert(town, living, kind=AlertKind.SUSPICIOUS_PERSON, author=mo, open_=True),
    )
