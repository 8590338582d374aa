"""R-REG-1: the public map and list, search, the public group page, the GeoJSON and the
widget, all without login; unlisted groups stay off all of them."""

import json
import re

import pytest
from django.core import mail
from django.urls import reverse

from buurtwacht.geo.models import Address
from buurtwacht.groups import actions
from buurtwacht.groups.models import AuditEntry, Listing
from buurtwacht.notify.models import Delivery
from tests.conftest import GROUP_STREET, OTHER_STREET, PASSWORD, admit, visible_text

pytestmark = pytest.mark.django_db

NL = "3.2,50.7,7.3,53.6"


def address_on(street, index=0):
    return Address.objects.filter(street__name=street).order_by("number", "letter", "suffix")[index]


def query_for(row):
    return f"{row.postcode[:4]} {row.postcode[4:]} {row.number}{row.letter}" + (
        f"-{row.suffix}" if row.suffix else ""
    )


def geojson(client, bbox=NL, zoom=12, **headers):
    return client.get(reverse("api:register_bbox"), {"bbox": bbox, "zoom": zoom}, **headers)


def feature_ids(response):
    return {f["properties"].get("id") for f in json.loads(response.content)["features"]}


def test_r_reg_1_map_page_and_list_without_login(client, listed_group):
    response = client.get(reverse("register_map"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "data-register-map" in html
    assert "leaflet/leaflet.js" in html
    assert listed_group.municipality_code in html  # the municipality in the list
    page = client.get(reverse("register_municipality", args=[listed_group.municipality_code]))
    text = visible_text(page.content.decode())
    assert listed_group.name in text
    assert reverse("register_group", args=[listed_group.pk]) in page.content.decode()


def test_r_reg_1_map_without_tiles_still_draws_outlines(client, listed_group, settings):
    settings.MAP_TILES_URL = ""
    html = client.get(reverse("register_map")).content.decode()
    assert 'data-tiles=""' in html
    assert listed_group.pk in feature_ids(geojson(client))


def test_r_reg_1_default_base_map_is_pdok_and_allowed_by_csp(client):
    response = client.get(reverse("register_map"))
    assert "service.pdok.nl/brt/achtergrondkaart" in response.content.decode()
    assert "https://service.pdok.nl" in response["Content-Security-Policy"]


def test_r_reg_1_leaflet_is_served_from_its_package(client, settings):
    from django.contrib.staticfiles import finders

    assert finders.find("leaflet/leaflet.js")
    assert finders.find("leaflet/leaflet.css")


def test_r_reg_1_auto_listing_from_three_members(client, group, anna_admin, resident_on):
    assert group.listing == Listing.AUTO
    assert group.pk not in feature_ids(geojson(client))
    admit(group, anna_admin, resident_on("Mo Bakker", GROUP_STREET, 10))
    assert group.pk not in feature_ids(geojson(client))
    admit(group, anna_admin, resident_on("Lotte Jansen", GROUP_STREET, 20))
    assert group.pk in feature_ids(geojson(client))


def test_r_reg_1_listing_is_an_admin_setting_with_an_audit_entry(
    client, group, anna_admin, mo_member
):
    client.force_login(mo_member)
    url = reverse("group_settings", args=[group.pk])
    assert client.post(url, {"do": "listing", "listing": "listed"}).status_code == 403
    client.force_login(anna_admin)
    assert client.post(url, {"do": "listing", "listing": "listed"}).status_code == 302
    group.refresh_from_db()
    assert group.listing == Listing.LISTED
    entry = AuditEntry.objects.get(group=group, action="set_listing")
    assert entry.details == {"previous": "auto", "listing": "listed"}
    assert entry.actor == anna_admin


def test_r_reg_1_unlisted_groups_stay_off_the_map_and_out_of_the_geojson(
    client, group, anna_admin, resident_on
):
    for index, name in ((10, "Mo Bakker"), (20, "Lotte Jansen")):
        admit(group, anna_admin, resident_on(name, GROUP_STREET, index))
    assert group.pk in feature_ids(geojson(client))  # three members: listed by default
    actions.set_listing(admin=anna_admin, group_id=group.pk, listing=Listing.UNLISTED)
    assert group.pk not in feature_ids(geojson(client))
    for zoom in (7, 10, 15):
        assert group.pk not in feature_ids(geojson(client, zoom=zoom))
    muni = client.get(reverse("api:register_municipality", args=[group.municipality_code]))
    assert json.loads(muni.content)["features"] == []
    assert group.name not in client.get(reverse("register_map")).content.decode()
    assert (
        client.get(reverse("register_municipality", args=[group.municipality_code])).status_code
        == 404
    )
    widget = client.get(reverse("register_widget", args=[group.municipality_code]))
    assert group.name not in widget.content.decode()
    found = client.get(reverse("register_search"), {"q": query_for(address_on(GROUP_STREET))})
    assert group.name not in visible_text(found.content.decode(), element_id="results")
    # A direct link (e.g. handed out by the admins) still shows the public page, unindexed.
    page = client.get(reverse("register_group", args=[group.pk]))
    assert page.status_code == 200
    assert '<meta name="robots" content="noindex">' in page.content.decode()


def test_r_reg_1_search_by_pc6_and_house_number(client, listed_group):
    response = client.get(reverse("register_search"), {"q": query_for(address_on(GROUP_STREET, 5))})
    assert response.status_code == 200
    results = visible_text(response.content.decode(), element_id="results")
    assert listed_group.name in results
    assert reverse("register_group", args=[listed_group.pk]) in response.content.decode()


def test_r_reg_1_search_by_pc4_place_and_street(client, listed_group):
    pc4 = address_on(GROUP_STREET).postcode[:4]
    for q in (pc4, GROUP_STREET, GROUP_STREET.lower(), "Groningen"):
        response = client.get(reverse("register_search"), {"q": q})
        assert listed_group.name in visible_text(response.content.decode(), element_id="results"), q


@pytest.mark.parametrize(
    "q", ["grote beerstraat 23", "Grote Beerstraat 206a", "GROTE BEERSTRAAT, 7"]
)
def test_r_reg_1_search_by_street_and_house_number(client, listed_group, q):
    response = client.get(reverse("register_search"), {"q": q})
    assert listed_group.name in visible_text(response.content.decode(), element_id="results"), q


def test_r_reg_1_search_by_postcode_and_number_without_its_letter(client, listed_group):
    with_letter = Address.objects.filter(street__name=GROUP_STREET).exclude(letter="").first()
    assert with_letter is not None
    q = f"{with_letter.postcode[:4]} {with_letter.postcode[4:]} {with_letter.number}"
    if Address.objects.filter(
        postcode=with_letter.postcode, number=with_letter.number, letter="", suffix=""
    ).exists():
        pytest.skip("this number also exists without a letter")
    response = client.get(reverse("register_search"), {"q": q})
    assert listed_group.name in visible_text(response.content.decode(), element_id="results")


def test_r_reg_1_no_group_here_invites_to_start_one(client, listed_group):
    response = client.get(reverse("register_search"), {"q": query_for(address_on(OTHER_STREET, 7))})
    html = response.content.decode()
    assert "Nog geen groep hier" in visible_text(html)
    create = reverse("group_create")
    assert f"{reverse('register')}?next={create.replace('/', '%2F')}" in html


@pytest.mark.parametrize(
    ("q", "message"),
    [
        ("", "Vul een postcode"),
        ("9712 KB", "huisnummer"),
        ("0000 AA 1", "geldige"),
        ("12", "geldige"),
        ("9712 KB 99999", "kunnen dit adres niet vinden"),
        ("Xyzzyplaats", "geen plaats of straat"),
    ],
)
def test_r_reg_1_bad_search_input_gets_a_dutch_error(client, listed_group, q, message):
    response = client.get(reverse("register_search"), {"q": q})
    assert response.status_code == 200
    assert message in visible_text(response.content.decode())


def test_r_reg_1_home_page_starts_with_the_search(client):
    html = client.get(reverse("home")).content.decode()
    main = html[html.index("<main") :]
    assert main.index('action="/zoeken/"') < main.index('<section class="hero"')


def test_r_reg_1_public_page_shows_public_facts_only(
    client, listed_group, anna_admin, mo_member, pieter_politie
):
    response = client.get(reverse("register_group", args=[listed_group.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    text = visible_text(html)
    assert listed_group.name in text
    assert GROUP_STREET in text
    assert "minder dan 10 leden" in text  # a range, not the count
    for person in (anna_admin, mo_member, pieter_politie):
        assert person.name not in html
        assert person.email not in html
    join = reverse("group", args=[listed_group.pk]) + "#aanmelden"
    assert f"next={join.replace('/', '%2F').replace('#', '%23')}" in html


def confirm_link(message) -> str:
    """The path of the confirmation link in the registration e-mail (with its next)."""
    return re.search(r"http://testserver(/account/bevestigen/\S+)", message.body).group(1)


def test_r_reg_1_registration_comes_back_to_the_join_form(client, listed_group):
    row = address_on(GROUP_STREET, 12)
    join = reverse("group", args=[listed_group.pk]) + "#aanmelden"
    response = client.post(
        reverse("register") + "?next=" + join,
        {
            "name": "Sara Smit",
            "email": "sara@example.nl",
            "date_of_birth": "1990-02-03",
            "postcode": row.postcode,
            "house_number": row.number,
            "house_letter": row.letter,
            "house_addition": row.suffix,
            "password1": PASSWORD,
            "password2": PASSWORD,
            "next": join,
        },
    )
    assert response.status_code == 200  # "Kijk in je e-mail": the link confirms the account
    confirmed = client.post(confirm_link(mail.outbox[-1]))
    assert confirmed.status_code == 302
    assert confirmed["Location"] == join
    page = client.get(reverse("group", args=[listed_group.pk]))
    assert 'id="aanmelden"' in page.content.decode()


def test_r_reg_1_registration_refuses_a_foreign_next(client):
    row = address_on(OTHER_STREET, 2)
    response = client.post(
        reverse("register"),
        {
            "name": "Eve Elders",
            "email": "eve@example.nl",
            "date_of_birth": "1990-02-03",
            "postcode": row.postcode,
            "house_number": row.number,
            "house_letter": row.letter,
            "house_addition": row.suffix,
            "password1": PASSWORD,
            "password2": PASSWORD,
            "next": "https://evil.example/steal",
        },
    )
    assert response.status_code == 200
    link = confirm_link(mail.outbox[-1])
    assert "evil" not in link
    confirmed = client.post(link, {"next": "https://evil.example/steal"})
    assert confirmed["Location"] == reverse("profile")


def test_r_reg_1_visitors_message_reaches_the_admins_only(
    client, listed_group, anna_admin, mo_member, django_capture_on_commit_callbacks
):
    url = reverse("register_group", args=[listed_group.pk])
    data = {"name": "Buurvrouw", "email": "buur@example.nl", "body": "Hoe kan ik meedoen?"}
    with django_capture_on_commit_callbacks(execute=False):
        assert client.post(url, data).status_code == 302
    deliveries = Delivery.objects.filter(kind="contact")
    assert {d.user_id for d in deliveries} == {anna_admin.pk}
    email = deliveries.get(transport="email")
    assert "Hoe kan ik meedoen?" in email.payload["body"]
    assert "buur@example.nl" in email.payload["body"]
    assert anna_admin.email not in client.get(url).content.decode()
    with django_capture_on_commit_callbacks(execute=False):
        for _ in range(2):
            client.post(url, data)
        response = client.post(url, data)
    assert response.status_code == 200
    assert "meerdere berichten" in visible_text(response.content.decode())
    assert Delivery.objects.filter(kind="contact", transport="email").count() == 3
    assert not mail.outbox


def test_r_reg_1_geojson_has_only_public_fields_and_an_etag(client, listed_group):
    response = geojson(client)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/geo+json"
    data = json.loads(response.content)
    (feature,) = data["features"]
    assert set(feature["properties"]) == {"id", "name", "url", "municipality", "size"}
    assert feature["geometry"]["type"] in {"Polygon", "MultiPolygon"}
    etag = response["ETag"]
    again = geojson(client, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304
    assert again.content == b""


def test_r_reg_1_geojson_simplifies_per_zoom(client, listed_group):
    def points(zoom):
        data = json.loads(geojson(client, zoom=zoom).content)
        return len(
            re.findall(
                r"\[-?\d+\.\d+,-?\d+\.\d+\]",
                json.dumps(data["features"][0]["geometry"]).replace(" ", ""),
            )
        )

    assert points(10) <= points(13) <= points(16)
    assert points(10) < points(16)


def test_r_reg_1_geojson_bad_bbox_is_a_json_error(client):
    response = client.get(reverse("api:register_bbox"), {"bbox": "a,b,c", "zoom": 10})
    assert response.status_code == 400
    assert json.loads(response.content)["code"] == "bbox"
    assert client.get(reverse("api:register_bbox"), {"bbox": NL}).status_code == 422


def test_r_reg_1_geojson_is_in_the_openapi_document(client):
    paths = json.loads(client.get("/api/openapi.json").content)["paths"]
    assert "/api/register/groups.geojson" in paths
    assert "/api/register/municipalities/{code}.geojson" in paths


def test_r_reg_1_widget_may_be_framed_other_pages_not(client, listed_group):
    widget = client.get(reverse("register_widget", args=[listed_group.municipality_code]))
    assert widget.status_code == 200
    assert "frame-ancestors https:" in widget["Content-Security-Policy"]
    assert "X-Frame-Options" not in widget
    assert listed_group.name in widget.content.decode()
    assert 'target="_blank"' in widget.content.decode()
    other = client.get(reverse("register_map"))
    assert "frame-ancestors 'none'" in other["Content-Security-Policy"]
    assert other["X-Frame-Options"] == "DENY"


def test_r_reg_1_rate_limit_counts_the_visitor_behind_the_proxy(client, listed_group, settings):
    settings.PROXY_COUNT = 1
    url = reverse("register_group", args=[listed_group.pk])
    data = {"name": "Buur", "email": "buur@example.nl", "body": "Vraagje"}
    for visitor in ("203.0.113.1", "203.0.113.2"):
        for _ in range(3):
            response = client.post(url, data, HTTP_X_FORWARDED_FOR=visitor)
            assert response.status_code == 302, visitor
    refused = client.post(url, data, HTTP_X_FORWARDED_FOR="203.0.113.1")
    assert "meerdere berichten" in visible_text(refused.content.decode())


def test_r_reg_1_a_forged_forwarded_for_per_try_does_not_escape_the_contact_limit(
    client, listed_group, settings
):
    """Without a proxy (PROXY_COUNT=0) the visitor is the connection, whatever the
    header says: a new forged address per message makes no new visitor."""
    settings.PROXY_COUNT = 0
    url = reverse("register_group", args=[listed_group.pk])
    data = {"name": "Buur", "email": "buur@example.nl", "body": "Vraagje"}
    for n in range(3):
        sent = client.post(
            url, data, REMOTE_ADDR="198.51.100.7", HTTP_X_FORWARDED_FOR=f"203.0.113.{n}"
        )
        assert sent.status_code == 302
    refused = client.post(
        url, data, REMOTE_ADDR="198.51.100.7", HTTP_X_FORWARDED_FOR="203.0.113.99"
    )
    assert "meerdere berichten" in visible_text(refused.content.decode())
