"""The alert channel and the chat on the group page.  Without JavaScript every button is a
form that posts and comes back; with JavaScript (static/web/live.js) the same forms post in
the background and the WebSocket brings the result to everyone, the poster included."""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from buurtwacht.alerts import actions as alert_actions
from buurtwacht.alerts.forms import AlertForm, CloseForm, UpdateForm
from buurtwacht.alerts.models import AckKind, Alert, CallChannel, Outcome
from buurtwacht.alerts.selectors import alert_states, display_name, forwards_sent
from buurtwacht.chat import actions as chat_actions
from buurtwacht.chat.forms import ChatForm
from buurtwacht.core.clock import clock_time
from buurtwacht.core.countries import Country
from buurtwacht.core.errors import ActionError
from buurtwacht.groups.access import GroupAccess, access_group
from buurtwacht.groups.models import Group
from buurtwacht.groups.policy import Action, Role, allowed, can_close
from buurtwacht.groups.selectors import has_neighbours
from buurtwacht.media.actions import PhotoDraft
from buurtwacht.media.models import AlertPhoto
from buurtwacht.media.selectors import live_photos
from buurtwacht.moderation.actions import LanguageError, LanguageWarning
from buurtwacht.police.forms import ReportForm
from buurtwacht.realtime.present import Names, present_alert
from buurtwacht.realtime.selectors import stream_head

from .. import fragments
from .accounts import _user


def _confirmed(request: HttpRequest) -> bool:
    """ "Toch plaatsen": the writer saw the language warning and posts anyway (R-RUL-3)."""
    return request.POST.get("confirm_language") == "1"


def refused_language(request: HttpRequest, refusal: LanguageError, *, back: str) -> HttpResponse:
    """A language warning or block: live.js shows it in the form (with a "post anyway"
    box for a warning); without JavaScript a page shows it with the text to rephrase."""
    warning = isinstance(refusal, LanguageWarning)
    if request.headers.get("X-Requested-With") == "fetch":
        return JsonResponse(
            {
                "error": refusal.message,
                "info": "",
                "code": refusal.code,
                "words": list(refusal.verdict.words),
                "confirm": warning,
                "confirm_label": _("Post anyway") if warning else "",
            },
            status=400,
        )
    if not warning:
        messages.error(request, refusal.message)
        return redirect(back)
    fields = [
        (name, value)
        for name, value in request.POST.items()
        if name not in ("csrfmiddlewaretoken", "confirm_language")
    ]
    return render(
        request,
        "moderation/confirm.html",
        {
            "warning": refusal.message,
            "words": refusal.verdict.words,
            "action": request.path,
            "editable": [(n, v) for n, v in fields if n in EDITABLE],
            "hidden": [(n, v) for n, v in fields if n not in EDITABLE],
            "back": back,
        },
        status=400,
    )


# The text fields the confirm page lets the writer rephrase.
EDITABLE = ("what", "text", "message", "own_rules", "name", "description")


def _done(
    request: HttpRequest,
    group_id: int,
    *,
    error: str = "",
    info: str = "",
    refusal: ActionError | None = None,
    fields: dict[str, str] | None = None,
) -> HttpResponse:
    """Background posts (live.js) get JSON; plain forms go back to the group page.
    `fields`: the form fields the error is about (name -> what to change), so that
    live.js marks them and lists them in an error summary it moves the focus to."""
    if isinstance(refusal, LanguageError):
        return refused_language(request, refusal, back=reverse("group", args=[group_id]))
    if request.headers.get("X-Requested-With") == "fetch":
        answer: dict[str, Any] = {"error": error, "info": info}
        if error:
            answer["fields"] = fields or {}
        return JsonResponse(answer, status=400 if error else 200)
    if error:
        messages.error(request, error)
    elif info:
        messages.info(request, info)
    return redirect("group", group_id=group_id)


@login_required
@require_POST
def post_alert(request: HttpRequest, group_id: int) -> HttpResponse:
    user = _user(request)
    # The gate for posting (R-RUL-8 included) before the form: it needs the group, and a
    # photo is decoded only for someone who may post.  The action takes this answer.
    try:
        access = access_group(user=user, group_id=group_id, action=Action.POST_ALERT)
    except ActionError as error:
        return _done(request, group_id, error=error.message, refusal=error)
    form = AlertForm(request.POST, request.FILES, group=access.group)
    if not form.is_valid():
        photo_errors = [*form.errors.get("photo", []), *form.errors.get("photo_reason", [])]
        return _done(
            request,
            group_id,
            error=" ".join(photo_errors) or _("Say what you saw and where."),
            fields={name: " ".join(str(e) for e in errors) for name, errors in form.errors.items()},
        )
    data = form.cleaned_data
    prepared = data.get("photo")
    try:
        alert_actions.post_alert(
            user=user,
            group_id=group_id,
            draft=alert_actions.AlertDraft(
                client_id=data["client_id"],
                kind=data["kind"],
                what=data["what"],
                street_id=data["street"].pk,
                lon=data["lon"],
                lat=data["lat"],
                direction=data["direction"] or "",
                person=form.person(),
                vehicle=form.vehicle(),
                photo=None
                if prepared is None
                else PhotoDraft(
                    image=prepared,
                    reason=data["photo_reason"],
                    reason_text=data["photo_reason_text"],
                ),
            ),
            confirm_language=_confirmed(request),
            access=access,
        )
    except ActionError as error:
        field = ALERT_ERROR_FIELDS.get(error.code)
        return _done(
            request,
            group_id,
            error=error.message,
            refusal=error,
            fields={field: error.message} if field else None,
        )
    return _done(request, group_id, info=_("Your alert has been sent to the group."))


# Which field of the alert form an action's refusal is about (alerts/actions.py codes).
ALERT_ERROR_FIELDS = {
    "required": "what",
    "text": "what",
    "too_long": "what",
    "kind": "kind",
    "street": "street",
    "where": "street",
    "point": "street",
    "direction": "direction",
    "plate": "plate",
    "photo": "photo",
    "photo_reason": "photo_reason",
    "reason": "photo_reason_text",
}


@login_required
def alert_photo(request: HttpRequest, photo_id: int, thumbnail: bool = False) -> HttpResponse:
    """R-RUL-6: the photo for the group's readers only (404 for anyone else, and once it
    has expired); never kept by a browser cache or a proxy."""
    found = AlertPhoto.objects.filter(pk=photo_id).values_list("alert__group_id", flat=True).first()
    if found is None:
        raise Http404
    access = access_group(user=_user(request), group_id=found, action=Action.READ)
    photo = (
        live_photos(group=access.group)
        .filter(pk=photo_id)
        .values_list("thumbnail" if thumbnail else "image", flat=True)
        .first()
    )
    if photo is None:
        raise Http404
    response = HttpResponse(bytes(photo), content_type="image/jpeg")
    response["Cache-Control"] = "private, no-store"
    response["Content-Disposition"] = "inline"
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    return response


def _alert_action(
    request: HttpRequest, alert_id: int, action: Action, run: Callable[[GroupAccess], str]
) -> HttpResponse:
    """The gate for `action` on the alert's group (before its form is read), then `run`
    with that answer, which hands it to the action."""
    alert = get_object_or_404(Alert, pk=alert_id)
    try:
        info = run(access_group(user=_user(request), group_id=alert.group_id, action=action))
    except ActionError as error:
        return _done(request, alert.group_id, error=error.message, refusal=error)
    return _done(request, alert.group_id, info=info)


@login_required
@require_POST
def claim(request: HttpRequest, alert_id: int, channel: str) -> HttpResponse:
    user = _user(request)

    def run(access: GroupAccess) -> str:
        result = alert_actions.claim_call(
            user=user, alert_id=alert_id, channel=CallChannel(channel), access=access
        )
        if result.won:
            return ""
        return _(
            "%(channel)s was already called by %(name)s at %(time)s. Only call again with new "
            "facts, such as a new direction of flight. Add information instead."
        ) % {
            "channel": channel,
            "name": display_name(user=result.call.user, group=access.group),
            "time": clock_time(result.call.created_at),
        }

    return _alert_action(request, alert_id, Action.POST_ALERT, run)


@login_required
@require_POST
def acknowledge(request: HttpRequest, alert_id: int, kind: str) -> HttpResponse:
    user = _user(request)

    def run(access: GroupAccess) -> str:
        alert_actions.acknowledge(user=user, alert_id=alert_id, kind=AckKind(kind), access=access)
        return ""

    return _alert_action(request, alert_id, Action.ACKNOWLEDGE, run)


@login_required
@require_POST
def add_update(request: HttpRequest, alert_id: int) -> HttpResponse:
    user = _user(request)
    form = UpdateForm(request.POST)

    def run(access: GroupAccess) -> str:
        if not form.is_valid():
            raise ActionError("required", _("Write what is new."))
        alert_actions.add_update(
            user=user,
            alert_id=alert_id,
            client_id=form.cleaned_data["client_id"],
            text=form.cleaned_data["text"],
            confirm_language=_confirmed(request),
            access=access,
        )
        return ""

    return _alert_action(request, alert_id, Action.POST_ALERT, run)


@login_required
@require_POST
def close(request: HttpRequest, alert_id: int) -> HttpResponse:
    user = _user(request)
    form = CloseForm(request.POST)

    def run(access: GroupAccess) -> str:
        if not form.is_valid():
            raise ActionError("outcome", _("Choose how it ended."))
        alert_actions.close_alert(
            user=user,
            alert_id=alert_id,
            outcome=Outcome(form.cleaned_data["outcome"]),
            access=access,
        )
        return _("The alert has been closed.")

    return _alert_action(request, alert_id, Action.READ, run)


@login_required
def alert_card(request: HttpRequest, alert_id: int) -> HttpResponse:
    """One alert on a page of its own (a link that stays valid when it is paged away)."""
    alert = get_object_or_404(Alert.objects.select_related("group"), pk=alert_id)
    access = access_group(user=_user(request), group_id=alert.group_id, action=Action.READ)
    if alert.hidden_at is not None:
        raise Http404  # hidden by an admin (R-RUL-3); its author is told on the group page
    position, _seq = stream_head(group_id=alert.group_id)
    [(_alert, card)] = cards(
        request,
        group=access.group,
        role=access.role,
        alerts=Alert.objects.filter(pk=alert.pk),
        position=position,
    )
    return render(request, "alerts/alert_page.html", {"group": access.group, "card": card})


def cards(
    request: HttpRequest, *, group: Group, role: Role, alerts: QuerySet[Alert], position: int
) -> list[tuple[dict[str, Any], str]]:
    """The alerts (wire form, as an event carries them) and their cards, in a constant
    number of queries however many.  `position`: the stream position read before the
    alerts, so live.js applies every later event to them."""
    states = alert_states(alerts=alerts)
    names = Names.of(group=group, payloads=[{"alert": state} for state in states])
    shown = [present_alert(state, names) for state in states]
    forwards = forwards_from(group=group, role=role)
    sent = forwards_sent(alert_ids=[state["id"] for state in shown]) if forwards else {}
    return [
        (
            alert,
            _render_card(
                request,
                alert=alert,
                group=group,
                role=role,
                event=position,
                forwards=forwards,
                warned=sent.get(alert["id"]),
            ),
        )
        for alert in shown
    ]


def forwards_from(*, group: Group, role: Role) -> bool:
    """Whether this reader gets "Warn the neighbouring groups": an admin of a group that
    has neighbours (R-ADJ-1)."""
    return allowed(role, Action.FORWARD) and has_neighbours(group=group)


def card_template(request: HttpRequest, *, group: Group, role: Role) -> str:
    """The card without an alert: the <template> live.js fills from each event."""
    blank: dict[str, Any] = {
        "id": 0,
        "author": None,
        "lat": None,
        "facts": [],
        "updates": [],
        "seen_at": "",
        "vehicle": {},
        "forwarded_from": "",
        "forwarded_called_112": False,
    }
    forwards = forwards_from(group=group, role=role)
    return _render_card(request, alert=blank, group=group, role=role, event=0, forwards=forwards)


def _render_card(
    request: HttpRequest,
    *,
    alert: dict[str, Any],
    group: Group,
    role: Role,
    event: int,
    forwards: bool,
    warned: dict[str, Any] | None = None,
) -> str:
    """The card as every reader with the same controls and language sees it, rendered once
    per state of the alert (web/fragments.py); the CSRF token, the position and the client
    ids are this request's.  `warned`: the admins' trace of a warning sent to the
    neighbouring groups (R-ADJ-1)."""
    controls = card_controls(alert=alert, role=role, user_id=request.user.pk, forwards=forwards)
    country = group.country
    return fragments.render(
        request,
        "alerts/_alert.html",
        lambda: {
            **card_forms(country=country, fragment=True),
            **controls,
            "alert": alert,
            "country": country,
            "event": fragments.EVENT,
            "warned": warned,
        },
        key=(
            alert,
            sorted(name for name, shown in controls.items() if shown),
            _zone(),
            country.code,
            warned,
        ),
        event=event,
    )


def _zone() -> str:
    return timezone.get_current_timezone_name()


def card_controls(
    *, alert: dict[str, Any], role: Role, user_id: int | None, forwards: bool
) -> dict[str, bool]:
    """The controls this reader gets on the card."""
    return {
        "can_post": allowed(role, Action.POST_ALERT),
        "can_close": can_close(role=role, is_author=alert["author"] == user_id),
        "can_forward": forwards and allowed(role, Action.FORWARD),
        "can_report": allowed(role, Action.REPORT),
        "can_moderate": allowed(role, Action.MODERATE),
        "can_report_police": allowed(role, Action.RECORD_POLICE_REPORT),
    }


def card_forms(*, country: Country, fragment: bool = False) -> dict[str, object]:
    """The card's forms (the report form names the group's country's numbers); `fragment`:
    with markers where the client ids go (fragments.py)."""
    initial = {"initial": fragments.client_id_initial()} if fragment else {}
    return {
        "update_form": UpdateForm(auto_id=False, **initial),
        "report_form": ReportForm(auto_id=False, country=country, **initial),
        "close_form": CloseForm(auto_id=False),
    }


@login_required
@require_POST
def post_chat(request: HttpRequest, group_id: int) -> HttpResponse:
    user = _user(request)
    form = ChatForm(request.POST)
    try:
        access = access_group(user=user, group_id=group_id, action=Action.POST_CHAT)
        if not form.is_valid():  # read after the gate: outsiders learn nothing
            raise ActionError("text", _("Write a message of at most 2000 characters."))
        chat_actions.post_chat(
            user=user,
            group_id=group_id,
            client_id=form.cleaned_data["client_id"],
            text=form.cleaned_data["text"],
            confirm_language=_confirmed(request),
            access=access,
        )
    except ActionError as error:
        return _done(request, group_id, error=error.message, refusal=error)
    return _done(request, group_id)
