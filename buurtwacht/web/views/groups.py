"""Group pages.  Each view: parse, pass the access gate, call an action, render.
Refusals of an action come back as a Dutch message on the same page."""

import csv
import json
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from buurtwacht.alerts.forms import AlertForm
from buurtwacht.alerts.selectors import alert_page, waiting_forwards
from buurtwacht.chat.forms import ChatForm
from buurtwacht.chat.selectors import recent_messages
from buurtwacht.core.errors import ActionError
from buurtwacht.geo.models import Street
from buurtwacht.groups import actions, selectors
from buurtwacht.groups.access import access_group
from buurtwacht.groups.forms import (
    AdmitForm,
    GroupEditForm,
    GroupForm,
    InitialsForm,
    JoinForm,
    ListingForm,
    ProposeForm,
    ReasonForm,
    RetentionForm,
    RoleForm,
    RulesForm,
    StreetsForm,
    WijkagentForm,
)
from buurtwacht.groups.models import Group, Listing, MembershipRole, VettingMethod
from buurtwacht.groups.policy import (
    Action,
    Role,
    allowed,
    can_close,
    can_read,
    must_accept_rules,
)
from buurtwacht.moderation.actions import LanguageWarning
from buurtwacht.moderation.selectors import hidden_for_author
from buurtwacht.realtime.present import present_forwards
from buurtwacht.realtime.selectors import stream_head

from .. import fragments
from .accounts import _user
from .alerts import card_template, cards
from .register import map_context


def _attempt(request: HttpRequest, call: Callable[[], Any], success: str) -> bool:
    try:
        call()
    except ActionError as error:
        messages.error(request, error.message)
        # R-RUL-3: the form comes back with the words, and a "post anyway" box.
        request.language_confirm = isinstance(error, LanguageWarning)  # type: ignore[attr-defined]
        return False
    messages.success(request, success)
    return True


@login_required
def wijkagent_accept(request: HttpRequest, token: str) -> HttpResponse:
    """The invitation's link: one button, so a mail scanner opening it changes nothing."""
    if request.method == "POST":
        try:
            membership = actions.accept_wijkagent_invitation(officer=_user(request), token=token)
        except ActionError as error:
            messages.error(request, error.message)
            return redirect("my_groups")
        messages.success(request, _("You now read along with this group."))
        return redirect("group", group_id=membership.group_id)
    return render(request, "groups/wijkagent_accept.html")


@login_required
def after_login(request: HttpRequest) -> HttpResponse:
    """Where logging in lands: a member of one group on that group (its alerts), anyone
    else on their list of groups (or the groups for their address)."""
    memberships = list(selectors.memberships_of(user=_user(request))[:2])
    if len(memberships) == 1:
        return redirect("group", group_id=memberships[0].group_id)
    return redirect("my_groups")


@login_required
def my_groups(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    return render(
        request,
        "groups/my_groups.html",
        {
            "memberships": selectors.memberships_of(user=user),
            "nearby": selectors.groups_for_address(user=user),
        },
    )


@login_required
def create_group(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    home = getattr(user, "home_address", None)
    if home is None:
        raise Http404
    form = GroupForm(
        request.POST or None, request.FILES or None, municipality_code=home.municipality_code
    )
    overlaps = []
    if request.method == "POST" and form.is_valid():
        street_ids = [street.pk for street in form.cleaned_data["streets"]]
        overlaps = selectors.overlap_details(street_ids=street_ids)
        try:
            group = actions.create_group(
                founder=user,
                new=actions.NewGroup(
                    name=form.cleaned_data["name"],
                    description=form.cleaned_data["description"],
                    municipality_code=home.municipality_code,
                    street_ids=street_ids,
                    photo=form.cleaned_data["photo"],
                ),
                overlaps_confirmed=form.cleaned_data["overlaps_confirmed"],
                confirm_language=request.POST.get("confirm_language") == "1",
            )
        except ActionError as error:
            form.add_error(None, error.message)
            request.language_confirm = isinstance(error, LanguageWarning)  # type: ignore[attr-defined]
        else:
            messages.success(request, _("Your group has been created. You are its admin."))
            return redirect("group", group_id=group.pk)
    return render(
        request,
        "groups/create.html",
        {
            "form": form,
            "overlaps": [overlap_text(overlap) for overlap in overlaps],
            "language_confirm": _language_confirm(request),
            **picker_context(municipality_code=home.municipality_code, group=None),
        },
    )


def picker_context(*, municipality_code: str, group: Group | None) -> dict[str, object]:
    """The street picker's small map: the existing groups (the register's GeoJSON API) and
    the chosen streets' area (street_area below)."""
    area_url = reverse("group_street_area")
    if group is not None:
        area_url += f"?groep={group.pk}"
    return {
        **map_context(municipality=municipality_code, bounds=_bounds(group)),
        "map_id": "picker-map",
        "area_url": area_url,
    }


def _bounds(group: Group | None) -> tuple[float, float, float, float] | None:
    if group is None or group.area_min_lon is None:
        return None
    return (group.area_min_lon, group.area_min_lat, group.area_max_lon, group.area_max_lat)  # type: ignore[return-value]


MAX_PICKED = 500


@login_required
def street_area(request: HttpRequest) -> JsonResponse:
    """For the street picker: the area of the chosen streets and precisely what overlaps
    (R-REG-2).  Streets of the caller's own municipality, or of the group an admin edits."""
    user = _user(request)
    exclude = None
    if "groep" in request.GET:
        try:
            group_id = int(request.GET["groep"])
        except ValueError:
            raise Http404 from None
        exclude = access_group(user=user, group_id=group_id, action=Action.EDIT_GROUP).group
        municipality = exclude.municipality_code
    else:
        home = getattr(user, "home_address", None)
        if home is None:
            raise Http404
        municipality = home.municipality_code
    try:
        wanted = sorted({int(value) for value in request.GET.getlist("straat")})[:MAX_PICKED]
    except ValueError:
        return JsonResponse(
            {"code": "streets", "message": _("Choose streets from the list.")}, status=400
        )
    ids = list(
        Street.objects.filter(pk__in=wanted, municipality_code=municipality).values_list(
            "pk", flat=True
        )
    )
    area = selectors.area_of_streets(street_ids=ids) if ids else None
    overlaps = selectors.overlap_details(street_ids=ids, exclude=exclude) if ids else []
    return JsonResponse(
        {
            "area": json.loads(selectors.area_geojson(area)) if area is not None else None,
            "overlaps": [overlap_text(overlap) for overlap in overlaps],
        }
    )


def overlap_text(overlap: selectors.Overlap) -> dict[str, object]:
    """One line of the overlap warning, in words (R-REG-2)."""
    if overlap.shared_streets:
        what = _("shares these streets: %(streets)s") % {
            "streets": ", ".join(overlap.shared_streets)
        }
    elif overlap.areas_overlap:
        what = _("its area overlaps, without a shared street")
    else:
        what = _("the areas only touch")
    return {
        "group": overlap.group.name,
        "url": reverse("register_group", args=[overlap.group.pk]),
        "what": what,
        "touching": overlap.only_touching,
        # Drawn on the picker's map: an unlisted group is not in the register's GeoJSON.
        "outline": json.loads(overlap.group.area_geometry) if overlap.group.area_geometry else None,
    }


def _language_confirm(request: HttpRequest) -> bool:
    return getattr(request, "language_confirm", False)


@login_required
def group_page(request: HttpRequest, group_id: int) -> HttpResponse:
    user = _user(request)
    access = access_group(user=user, group_id=group_id, action=Action.VIEW_PUBLIC)
    group = access.group
    if request.method == "POST":
        form = JoinForm(request.POST)
        if form.is_valid() and _attempt(
            request,
            lambda: actions.request_to_join(
                user=user,
                group_id=group.pk,
                message=form.cleaned_data["message"],
                contact=form.cleaned_data["contact"],
                rules_accepted=form.cleaned_data["rules_accepted"],
                confirm_language=request.POST.get("confirm_language") == "1",
            ),
            _("Your request has been sent. An admin will contact you personally."),
        ):
            return redirect("group", group_id=group.pk)
    else:
        form = JoinForm()
    count = selectors.resident_count(group=group)
    reads = can_read(access.role)
    streets = list(selectors.streets_of(group=group))
    return render(
        request,
        "groups/group.html",
        {
            "group": group,
            "role": access.role,
            "membership": access.membership,
            "reads": reads,
            "is_admin": access.role == Role.ADMIN,
            "members": selectors.active_memberships(group=group) if reads else [],
            # the member list and the alert form are the same for every reader: rendered
            # once per process for what they are made of (templatetags/fragments.py)
            "members_key": selectors.member_list_key(group=group) if reads else None,
            "streets_key": [group.pk, [(street.pk, street.name) for street in streets]],
            "member_count": count,
            "split_advice": access.role == Role.ADMIN and count > settings.GROUP_SPLIT_ADVICE_AT,
            "streets": streets,
            "join_form": form,
            "language_confirm": _language_confirm(request),
            "must_accept_rules": access.membership is not None
            and must_accept_rules(
                role=access.role,
                accepted_version=access.membership.rules_accepted_version,
                rules_version=group.rules_version,
            ),
            # R-RUL-2 before the form: someone from elsewhere does not fill it in for nothing.
            "lives_here": access.role != Role.OUTSIDER
            or selectors.lives_on_group_streets(user=user, group=group),
            "last_resident": reads and selectors.is_last_resident(group=group, user=user),
            "pending_count": selectors.pending_requests(group=group).count()
            if access.role == Role.ADMIN
            else 0,
            **(live_context(request, group=group, role=access.role) if reads else {}),
        },
    )


def live_context(request: HttpRequest, *, group: Group, role: Role) -> dict[str, object]:
    """The alert channel and chat for someone who reads the group: open alerts first,
    closed ones folded away, older ones on the history pages."""
    position, seq = stream_head(group_id=group.pk)  # before the alerts: see cards()
    page, older = alert_page(group=group)
    shown = cards(request, group=group, role=role, alerts=page, position=position)
    receives = allowed(role, Action.RECEIVE_FORWARD)
    return {
        "forwards": present_forwards(waiting_forwards(group=group)) if receives else [],
        "blank_forward": {"id": 0, "seen_at": ""},
        "alert_form": AlertForm(group=group, initial=fragments.client_id_initial())
        if allowed(role, Action.POST_ALERT)
        else None,
        "chat_form": ChatForm() if allowed(role, Action.POST_CHAT) else None,
        "open_cards": [card for alert, card in shown if not alert["closed"]],
        "closed_cards": [card for alert, card in shown if alert["closed"]],
        "older_than": shown[-1][0]["id"] if older else None,
        "card_template": card_template(request, group=group, role=role),
        "can_report": allowed(role, Action.REPORT),
        "can_moderate": allowed(role, Action.MODERATE),
        "close_own": can_close(role=role, is_author=True),  # for live.js (_live.html)
        "close_others": can_close(role=role, is_author=False),
        "hidden_own": hidden_for_author(group=group, user=_user(request)),
        "chat_messages": recent_messages(group=group),
        "position": position,
        "seq": seq,
        "heartbeat_ms": int(settings.HEARTBEAT_SECONDS * 1000),
    }


@login_required
def alert_history(request: HttpRequest, group_id: int) -> HttpResponse:
    """Older alerts, a page at a time (`?voor=<alert id>`: those before it)."""
    access = access_group(user=_user(request), group_id=group_id, action=Action.READ)
    try:
        before = int(request.GET.get("voor", ""))
    except ValueError:
        before = None
    position, _seq = stream_head(group_id=group_id)
    page, older = alert_page(group=access.group, before=before)
    shown = cards(request, group=access.group, role=access.role, alerts=page, position=position)
    return render(
        request,
        "alerts/history.html",
        {
            "group": access.group,
            "cards": [card for _alert, card in shown],
            "older_than": shown[-1][0]["id"] if older else None,
        },
    )


@login_required
def group_photo(request: HttpRequest, group_id: int) -> FileResponse:
    group = access_group(user=_user(request), group_id=group_id, action=Action.VIEW_PUBLIC).group
    if not group.photo:
        raise Http404
    return FileResponse(group.photo.open("rb"), content_type="image/jpeg")


@login_required
@require_POST
def leave(request: HttpRequest, group_id: int) -> HttpResponse:
    user = _user(request)
    dissolve = request.POST.get("dissolve") == "1"
    try:
        actions.leave_group(user=user, group_id=group_id, dissolve=dissolve)
    except ActionError as error:
        if error.code != "last_member":
            messages.error(request, error.message)
            return redirect("group", group_id=group_id)
        # The last member: say what leaving does and ask once more (nothing changed yet).
        group = access_group(user=user, group_id=group_id, action=Action.LEAVE).group
        return render(request, "groups/dissolve.html", {"group": group, "warning": error.message})
    messages.success(
        request,
        _("You have left the group. It has been dissolved.")
        if dissolve
        else _("You have left the group."),
    )
    return redirect("my_groups")


@login_required
@require_POST
def accept_rules(request: HttpRequest, group_id: int) -> HttpResponse:
    _attempt(
        request,
        lambda: actions.accept_rules(user=_user(request), group_id=group_id),
        _("Thank you. You have accepted the house rules."),
    )
    return redirect("group", group_id=group_id)


@login_required
def requests_queue(request: HttpRequest, group_id: int) -> HttpResponse:
    user = _user(request)
    group = access_group(user=user, group_id=group_id, action=Action.VET).group
    propose_form = ProposeForm()
    if request.method == "POST":
        access_group(user=user, group_id=group_id, action=Action.ADD)
        propose_form = ProposeForm(request.POST)
        if propose_form.is_valid():
            try:
                actions.propose_member(
                    admin=user, group_id=group.pk, user=propose_form.cleaned_data["email"]
                )
            except ActionError as error:
                if error.code == "not_on_streets":  # same words as an unknown address
                    propose_form.add_error("email", ProposeForm.UNKNOWN)
                else:
                    propose_form.add_error("email", error.message)
            else:
                messages.success(request, _("The resident has been proposed. Vet them below."))
                return redirect("group_requests", group_id=group.pk)
    return render(
        request,
        "groups/requests.html",
        {
            "group": group,
            # Each request its own forms (prefix): ids stay unique, a label ticks its own box.
            "requests": [
                (r, AdmitForm(prefix=f"admit-{r.pk}"), ReasonForm(prefix=f"deny-{r.pk}"))
                for r in selectors.pending_requests(group=group)
            ],
            "propose_form": propose_form,
        },
    )


@login_required
@require_POST
def decide(request: HttpRequest, group_id: int, request_id: int) -> HttpResponse:
    user = _user(request)
    access_group(user=user, group_id=group_id, action=Action.VET)
    if request.POST.get("decision") == "admit":
        form: AdmitForm | ReasonForm = AdmitForm(request.POST, prefix=f"admit-{request_id}")
        if form.is_valid():
            data = form.cleaned_data
            vetting = actions.Vetting(
                contact_date=data["contact_date"],
                method=VettingMethod(data["contact_method"]),
                note=data["contact_note"],
                age_checked=data["age_checked"],
                address_checked=data["address_checked"],
            )
            _attempt(
                request,
                lambda: actions.admit_member(admin=user, request_id=request_id, vetting=vetting),
                _("The new member has been admitted."),
            )
    else:
        form = ReasonForm(request.POST, prefix=f"deny-{request_id}")
        if form.is_valid():
            _attempt(
                request,
                lambda: actions.deny_request(
                    admin=user,
                    request_id=request_id,
                    reason=form.cleaned_data["reason"],
                    confirm_language=request.POST.get("confirm_language") == "1",
                ),
                _("The request has been denied."),
            )
    if not form.is_valid():
        messages.error(request, _("Fill in every required field and tick the checks."))
    return redirect("group_requests", group_id=group_id)


@login_required
def members_admin(request: HttpRequest, group_id: int) -> HttpResponse:
    user = _user(request)
    group = access_group(user=user, group_id=group_id, action=Action.REMOVE).group
    vetting = selectors.vetting_records(group=group)
    return render(
        request,
        "groups/members.html",
        {
            "group": group,
            "members": [
                (m, vetting.get(m.user_id)) for m in selectors.active_memberships(group=group)
            ],
            "removed": group.memberships.filter(status="removed").select_related("user"),
            "off_streets": selectors.off_streets(group=group),
        },
    )


@login_required
@require_POST
def member_action(request: HttpRequest, group_id: int, user_id: int) -> HttpResponse:
    admin = _user(request)
    what = request.POST.get("do")
    if what == "remove":  # the action refuses an empty reason with a message
        _attempt(
            request,
            lambda: actions.remove_member(
                admin=admin,
                group_id=group_id,
                user_id=user_id,
                reason=request.POST.get("reason", ""),
                confirm_language=request.POST.get("confirm_language") == "1",
            ),
            _("The member has been removed."),
        )
    elif what == "role":
        role = RoleForm(request.POST)
        if role.is_valid():
            _attempt(
                request,
                lambda: actions.change_role(
                    admin=admin,
                    group_id=group_id,
                    user_id=user_id,
                    role=MembershipRole(role.cleaned_data["role"]),
                ),
                _("The role has been changed."),
            )
    elif what == "allow_again":
        _attempt(
            request,
            lambda: actions.allow_request_again(admin=admin, group_id=group_id, user_id=user_id),
            _("This person may ask to join again."),
        )
    else:
        access_group(user=admin, group_id=group_id, action=Action.REMOVE)
    return redirect("group_members", group_id=group_id)


@login_required
def settings_page(request: HttpRequest, group_id: int) -> HttpResponse:
    admin = _user(request)
    group = access_group(user=admin, group_id=group_id, action=Action.EDIT_GROUP).group
    rules_form = RulesForm(initial={"own_rules": group.own_rules})
    wijkagent_form = WijkagentForm()
    kept = selectors.retention_of(group=group)
    limits = selectors.retention_limits()
    retention_form = RetentionForm(
        initial={"chat_days": kept.chat, "alert_days": kept.alerts, "photo_days": kept.photos},
        limits=limits,
    )
    listing_form = ListingForm(initial={"listing": group.listing})
    edit_form = GroupEditForm(initial={"name": group.name, "description": group.description})
    streets_form = StreetsForm(
        initial={"streets": list(group.streets.values_list("pk", flat=True))},
        municipality_code=group.municipality_code,
    )
    overlaps: list[selectors.Overlap] = []
    what = request.POST.get("do") if request.method == "POST" else None
    if what == "group":
        edit_form = GroupEditForm(request.POST, request.FILES)
        if edit_form.is_valid() and _attempt(
            request,
            lambda: actions.edit_group(
                admin=admin,
                group_id=group.pk,
                edit=actions.GroupEdit(
                    name=edit_form.cleaned_data["name"],
                    description=edit_form.cleaned_data["description"],
                    photo=edit_form.cleaned_data["photo"],
                    remove_photo=edit_form.cleaned_data["remove_photo"],
                ),
                confirm_language=request.POST.get("confirm_language") == "1",
            ),
            _("The group's details have been saved."),
        ):
            return redirect("group_settings", group_id=group.pk)
    elif what == "streets":
        streets_form = StreetsForm(request.POST, municipality_code=group.municipality_code)
        if streets_form.is_valid():
            street_ids = [street.pk for street in streets_form.cleaned_data["streets"]]
            overlaps = selectors.overlap_details(street_ids=street_ids, exclude=group)
            if _attempt(
                request,
                lambda: actions.change_streets(
                    admin=admin,
                    group_id=group.pk,
                    street_ids=street_ids,
                    overlaps_confirmed=streets_form.cleaned_data["overlaps_confirmed"],
                ),
                _("The streets have been saved."),
            ):
                return redirect("group_settings", group_id=group.pk)
    if request.method == "POST" and request.POST.get("do") == "listing":
        listing_form = ListingForm(request.POST)
        if listing_form.is_valid() and _attempt(
            request,
            lambda: actions.set_listing(
                admin=admin,
                group_id=group.pk,
                listing=Listing(listing_form.cleaned_data["listing"]),
            ),
            _("The choice for the public map has been saved."),
        ):
            return redirect("group_settings", group_id=group.pk)
    initials_form = InitialsForm(initial={"show_initials": group.show_initials})
    if request.method == "POST" and request.POST.get("do") == "initials":
        initials_form = InitialsForm(request.POST)
        if initials_form.is_valid() and _attempt(
            request,
            lambda: actions.set_show_initials(
                admin=admin,
                group_id=group.pk,
                show_initials=initials_form.cleaned_data["show_initials"],
            ),
            _("Saved: how members see each other's names."),
        ):
            return redirect("group_settings", group_id=group.pk)
    elif request.method == "POST" and request.POST.get("do") == "rules":
        rules_form = RulesForm(request.POST)
        if rules_form.is_valid() and _attempt(
            request,
            lambda: actions.update_own_rules(
                admin=admin,
                group_id=group.pk,
                own_rules=rules_form.cleaned_data["own_rules"],
                confirm_language=request.POST.get("confirm_language") == "1",
            ),
            _("The house rules have been saved. Members accept them again."),
        ):
            return redirect("group_settings", group_id=group.pk)
    elif request.method == "POST" and request.POST.get("do") == "wijkagent":
        wijkagent_form = WijkagentForm(request.POST)
        if wijkagent_form.is_valid() and _attempt(
            request,
            lambda: actions.invite_wijkagent(
                admin=admin, group_id=group.pk, email=wijkagent_form.cleaned_data["email"]
            ),
            _(
                "If this address belongs to an account verified as police, the officer "
                "has been sent an invitation, and reads along once they accept it."
            ),
        ):
            return redirect("group_settings", group_id=group.pk)
    elif request.method == "POST" and request.POST.get("do") == "retention":
        retention_form = RetentionForm(request.POST, limits=limits)
        if retention_form.is_valid() and _attempt(
            request,
            lambda: actions.set_retention(
                admin=admin,
                group_id=group.pk,
                choice=actions.RetentionChoice(**retention_form.cleaned_data),
            ),
            _("The retention periods have been saved."),
        ):
            return redirect("group_settings", group_id=group.pk)
    return render(
        request,
        "groups/settings.html",
        {
            "group": group,
            "rules_form": rules_form,
            "wijkagent_form": wijkagent_form,
            "language_confirm": _language_confirm(request),
            "listing_form": listing_form,
            "initials_form": initials_form,
            "retention_form": retention_form,
            "edit_form": edit_form,
            "streets_form": streets_form,
            "overlaps": [overlap_text(overlap) for overlap in overlaps],
            "confirm_for": what,
            **picker_context(municipality_code=group.municipality_code, group=group),
        },
    )


@login_required
def privacy_page(request: HttpRequest, group_id: int) -> HttpResponse:
    """What the group keeps, for how long, and who is responsible for it (the admins)."""
    group = access_group(user=_user(request), group_id=group_id, action=Action.EDIT_GROUP).group
    return render(
        request,
        "groups/privacy.html",
        {
            "group": group,
            "retention": selectors.retention_of(group=group),
            "limits": selectors.retention_limits(),
            "admins": selectors.admins_of(group=group),
        },
    )


@login_required
def member_register(request: HttpRequest, group_id: int) -> HttpResponse:
    """The member register as CSV, for the admins (AVG: they keep it as controllers)."""
    group = actions.record_register_export(admin=_user(request), group_id=group_id)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="ledenlijst-groep-{group.pk}.csv"'
    response["Cache-Control"] = "private, no-store"
    response.write("\ufeff")  # so spreadsheet programs read it as UTF-8
    writer = csv.writer(response, delimiter=";")
    writer.writerow([_("Name"), _("Role"), _("Status"), _("Member since"), _("Until")])
    for row in selectors.member_register(group=group):
        writer.writerow(
            [
                _spreadsheet_safe(row.name),
                row.role,
                row.status,
                timezone.localtime(row.since).date().isoformat(),
                timezone.localtime(row.until).date().isoformat() if row.until else "",
            ]
        )
    return response


def _spreadsheet_safe(value: str) -> str:
    """A name that a spreadsheet would run as a formula is kept as text."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


@login_required
def audit_log(request: HttpRequest, group_id: int) -> HttpResponse:
    group = access_group(user=_user(request), group_id=group_id, action=Action.VIEW_AUDIT).group
    return render(
        request, "groups/audit.html", {"group": group, "entries": selectors.audit_log(group=group)}
    )
