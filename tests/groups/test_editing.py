"""Editing a group later (R-CRE-1, R-RUL-4): name, description, photo and streets, each
change in the audit log; the overlap warning says precisely what overlaps (R-REG-2)."""

import io
import re

import pytest
import shapely
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from buurtwacht.core.errors import ActionError
from buurtwacht.geo.models import Street
from buurtwacht.groups import actions, selectors
from buurtwacht.groups.models import AuditEntry, Group
from buurtwacht.moderation.models import ModerationRecord, Place, RecordKind
from tests.conftest import GROUP_STREET, visible_text

pytestmark = pytest.mark.django_db

TOUCHING = "Dierenriemstraat"  # its area overlaps Grote Beerstraat's (tests/alerts)


def ids_of(name):
    return list(Street.objects.filter(name=name).values_list("pk", flat=True))


def group_on(name, founder, *, streets=None):
    street_ids = streets or ids_of(name)
    return actions.create_group(
        founder=founder,
        new=actions.NewGroup(
            name=f"Buurtpreventie {name}",
            description="",
            municipality_code=Street.objects.get(pk=street_ids[0]).municipality_code,
            street_ids=street_ids,
        ),
        overlaps_confirmed=True,
    )


def jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), "green").save(out, format="JPEG")
    return out.getvalue()


def settings_post(client, group, data, files=None):
    return client.post(reverse("group_settings", args=[group.pk]), {**data, **(files or {})})


def test_r_cre_1_admin_edits_name_description_and_photo_each_audited(
    client, group, anna_admin, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(anna_admin)
    page = client.get(reverse("group_settings", args=[group.pk]))
    assert "Naam, beschrijving en foto" in page.text
    photo = SimpleUploadedFile("b.jpg", jpeg(), content_type="image/jpeg")
    response = settings_post(
        client,
        group,
        {"do": "group", "name": "Buurtwacht Grote Beer", "description": "Nieuw verhaal."},
        {"photo": photo},
    )
    assert response.status_code == 302
    group.refresh_from_db()
    assert group.name == "Buurtwacht Grote Beer"
    assert group.description == "Nieuw verhaal."
    assert group.photo
    actions_logged = list(AuditEntry.objects.filter(group=group).values_list("action", flat=True))
    assert {"change_name", "change_description", "change_photo"} <= set(actions_logged)
    entry = AuditEntry.objects.get(group=group, action="change_name")
    assert entry.details == {
        "previous": "Buurtpreventie Grote Beerstraat",
        "name": "Buurtwacht Grote Beer",
    }
    # Saving the same again changes nothing and logs nothing.
    count = AuditEntry.objects.filter(group=group).count()
    settings_post(
        client,
        group,
        {"do": "group", "name": "Buurtwacht Grote Beer", "description": "Nieuw verhaal."},
    )
    assert AuditEntry.objects.filter(group=group).count() == count
    first = tmp_path / group.photo.name
    assert first.exists()
    with django_capture_on_commit_callbacks(execute=True):
        settings_post(
            client,
            group,
            {"do": "group", "name": group.name, "description": group.description},
            {"photo": SimpleUploadedFile("c.jpg", jpeg(), content_type="image/jpeg")},
        )
    group.refresh_from_db()
    assert not first.exists()  # the replaced photo is gone once the change is stored
    second = tmp_path / group.photo.name
    with django_capture_on_commit_callbacks(execute=True):
        settings_post(
            client,
            group,
            {
                "do": "group",
                "name": group.name,
                "description": group.description,
                "remove_photo": "on",
            },
        )
    group.refresh_from_db()
    assert not group.photo
    assert not second.exists()
    assert AuditEntry.objects.filter(group=group, action="remove_photo").exists()


def test_r_rul_3_edited_name_and_description_go_through_the_language_screen(
    client, group, anna_admin
):
    client.force_login(anna_admin)
    name = "Buurtpreventie Grote Beerstraat"
    blocked = settings_post(
        client,
        group,
        {
            "do": "group",
            "name": name,
            "description": "Dat zijn vast weer van die vuile buitenlanders",
        },
    )
    assert blocked.status_code == 200
    group.refresh_from_db()
    assert group.description == "Samen letten we op elkaar."
    assert ModerationRecord.objects.filter(group=group, kind=RecordKind.BLOCKED).count() == 1
    warned = settings_post(client, group, {"do": "group", "name": "Klootzak", "description": ""})
    assert warned.status_code == 200
    assert 'name="confirm_language"' in warned.text
    group.refresh_from_db()
    assert group.name == name
    anyway = settings_post(
        client,
        group,
        {"do": "group", "name": "Klootzak", "description": "", "confirm_language": "1"},
    )
    assert anyway.status_code == 302
    group.refresh_from_db()
    assert group.name == "Klootzak"
    record = ModerationRecord.objects.get(kind=RecordKind.POSTED_ANYWAY)
    assert (record.place, record.text) == (Place.GROUP_NAME, "Klootzak")


def test_an_edited_group_name_is_one_line_as_on_creation(client, group, anna_admin):
    """A line break in a name broke every e-mail header of the group (BadHeaderError);
    creating refuses one (tests/api/test_bad_input.py), and so does editing."""
    stored = "tekens die niet kunnen worden opgeslagen"
    for name in ("Buurtpreventie\r\nBcc: iedereen@example.nl", "Grote\u2028Beer"):
        with pytest.raises(ActionError) as refused:
            actions.edit_group(
                admin=anna_admin,
                group_id=group.pk,
                edit=actions.GroupEdit(name=name, description=group.description),
            )
        assert refused.value.code == "name" and stored in refused.value.message
    client.force_login(anna_admin)
    page = settings_post(
        client,
        group,
        {"do": "group", "name": "Buurtpreventie\nGrote Beer", "description": "Twee\nregels"},
    )
    assert page.status_code == 200 and stored in page.text
    group.refresh_from_db()
    assert group.name == "Buurtpreventie Grote Beerstraat"
    assert group.description == "Samen letten we op elkaar."
    assert not AuditEntry.objects.filter(group=group, action="change_name").exists()


def test_only_admins_edit(group, mo_member):
    with pytest.raises((ActionError, PermissionDenied)):
        actions.edit_group(
            admin=mo_member,
            group_id=group.pk,
            edit=actions.GroupEdit(name="Van Mo", description=""),
        )
    group.refresh_from_db()
    assert group.name == "Buurtpreventie Grote Beerstraat"


def test_r_reg_2_overlap_on_creation_names_the_shared_streets(
    client, group, resident_on, group_street_ids
):
    founder = resident_on("Fenna Founder", GROUP_STREET, 5)
    client.force_login(founder)
    wanted = group_street_ids + ids_of(TOUCHING)
    response = client.post(
        reverse("group_create"), {"name": "Tweede groep", "description": "", "streets": wanted}
    )
    assert response.status_code == 200
    assert not Group.objects.filter(name="Tweede groep").exists()
    warning = visible_text(response.text, element_id="overlaps")
    assert "Buurtpreventie Grote Beerstraat" in warning
    assert f"deelt deze straten: {GROUP_STREET}" in warning
    # Confirmed, it is created.
    response = client.post(
        reverse("group_create"),
        {"name": "Tweede groep", "description": "", "streets": wanted, "overlaps_confirmed": "on"},
    )
    assert response.status_code == 302


def test_r_reg_2_overlap_on_editing_names_shared_streets_and_area(
    client, group, anna_admin, resident_on
):
    other_admin = resident_on("Olga Overkant", TOUCHING, 0)
    other = group_on(TOUCHING, other_admin)
    client.force_login(other_admin)
    response = settings_post(
        client,
        other,
        {"do": "streets", "streets": ids_of(TOUCHING) + ids_of(GROUP_STREET)},
    )
    assert response.status_code == 200
    warning = visible_text(response.text, element_id="overlaps")
    assert f"Buurtpreventie Grote Beerstraat: deelt deze straten: {GROUP_STREET}" in warning
    assert sorted(other.streets.values_list("pk", flat=True)) == sorted(ids_of(TOUCHING))
    # Its own streets only: the areas overlap, no street shared.
    details = selectors.overlap_details(street_ids=ids_of(TOUCHING), exclude=other)
    assert [(d.group.pk, d.shared_streets, d.areas_overlap) for d in details] == [
        (group.pk, [], True)
    ]
    confirmed = settings_post(
        client,
        other,
        {
            "do": "streets",
            "streets": ids_of(TOUCHING) + ids_of(GROUP_STREET),
            "overlaps_confirmed": "on",
        },
    )
    assert confirmed.status_code == 302
    entry = AuditEntry.objects.filter(group=other, action="change_streets").get()
    assert sorted(entry.details["street_ids"]) == sorted(ids_of(TOUCHING) + ids_of(GROUP_STREET))


def test_r_reg_2_areas_that_only_touch_are_named_as_touching(
    client, group, anna_admin, resident_on, group_street_ids
):
    # A group whose area is a ring around Grote Beerstraat's: the outlines meet, no overlap.
    other = group_on(TOUCHING, resident_on("Olga Overkant", TOUCHING, 0))
    own = selectors.area_of_streets(street_ids=group_street_ids)
    ring = own.buffer(0.002).difference(own)
    Group.objects.filter(pk=other.pk).update(  # the test shapes the area itself
        area_geometry=selectors.area_geojson(ring),
        area_min_lon=ring.bounds[0],
        area_min_lat=ring.bounds[1],
        area_max_lon=ring.bounds[2],
        area_max_lat=ring.bounds[3],
    )
    details = selectors.overlap_details(street_ids=group_street_ids, exclude=group)
    assert [(d.group.pk, d.only_touching) for d in details] == [(other.pk, True)]
    # A ring farther out does not touch: no warning at all.
    far = own.buffer(0.004).difference(own.buffer(0.002))
    Group.objects.filter(pk=other.pk).update(area_geometry=shapely.to_geojson(far))
    assert selectors.overlap_details(street_ids=group_street_ids, exclude=group) == []
    Group.objects.filter(pk=other.pk).update(area_geometry=selectors.area_geojson(ring))
    # On the editing page, in words.
    client.force_login(anna_admin)
    response = client.get(
        reverse("group_street_area")
        + f"?groep={group.pk}&"
        + "&".join(f"straat={i}" for i in group_street_ids)
    )
    [found] = response.json()["overlaps"]
    assert found["outline"]["type"] in ("Polygon", "MultiPolygon")
    assert {k: v for k, v in found.items() if k != "outline"} == {
        "group": other.name,
        "url": reverse("register_group", args=[other.pk]),
        "what": "de gebieden raken elkaar alleen",
        "touching": True,
    }
    assert response.json()["area"]["type"] in ("Polygon", "MultiPolygon")


def test_street_area_is_for_the_callers_municipality_and_admins_only(
    client, group, mo_member, group_street_ids
):
    client.force_login(mo_member)
    assert client.get(reverse("group_street_area") + f"?groep={group.pk}").status_code == 403
    bad = client.get(reverse("group_street_area") + "?straat=x")
    assert bad.status_code == 400
    assert bad.json()["code"] == "streets"
    client.logout()
    assert client.get(reverse("group_street_area")).status_code == 302


def test_without_javascript_the_streets_are_a_plain_multi_select(client, group, anna_admin):
    client.force_login(anna_admin)
    page = client.get(reverse("group_settings", args=[group.pk])).text
    select = re.search(r"<select name=\"streets\"[^>]*>(.*?)</select>", page, re.S)
    assert select is not None
    assert "multiple" in select.group(0).split(">", 1)[0]
    options = re.findall(r"<option [^>]*>", select.group(1))
    in_municipality = Street.objects.filter(municipality_code=group.municipality_code).count()
    assert len(options) == in_municipality > 1
    chosen = [o for o in options if "selected" in o]
    assert len(chosen) == group.streets.count()
