"""R-CRE-2: the share link lets residents ask to join (never admits anyone), the admin can
revoke and renew it, and the flyer PDF carries the link as a QR code."""

import io

import pypdf
import pytest
import zxingcpp
from django.urls import reverse
from django.utils.http import urlencode

from buurtwacht.groups import actions
from buurtwacht.groups.models import AuditEntry, JoinRequest, Membership, ShareLink
from tests.conftest import GROUP_STREET, visible_text

pytestmark = pytest.mark.django_db


def link_path(link):
    return reverse("share_link", args=[link.token])


def test_r_cre_2_share_link_asks_never_admits(client, group, anna_admin, resident_on):
    link = actions.get_share_link(admin=anna_admin, group_id=group.pk)
    assert len(link.token) >= 32
    assert actions.get_share_link(admin=anna_admin, group_id=group.pk) == link  # one at a time

    # A logged-out visitor is sent through registration and comes back to the link.
    page = client.get(link_path(link))
    assert page.status_code == 200
    assert group.name in visible_text(page.content.decode())
    register = reverse("register") + "?" + urlencode({"next": link_path(link)})
    assert register in page.content.decode()

    lotte = resident_on("Lotte Jansen", GROUP_STREET, 20)
    client.force_login(lotte)
    response = client.get(link_path(link))
    assert response.status_code == 302
    assert response["Location"] == reverse("group", args=[group.pk]) + "#aanmelden"
    # Following the link admitted nobody and asked nothing yet: it leads to the form.
    assert not Membership.objects.filter(group=group, user=lotte).exists()
    assert not JoinRequest.objects.filter(group=group, user=lotte).exists()
    form = client.get(response["Location"])
    assert 'id="aanmelden"' in form.content.decode()
    assert 'name="rules_accepted"' in form.content.decode()  # the join request form
    client.post(
        reverse("group", args=[group.pk]), {"message": "Via de flyer", "rules_accepted": "on"}
    )
    request = JoinRequest.objects.get(group=group, user=lotte)
    assert request.status == "pending"  # the admin still vets (R-GRP-5)
    assert not Membership.objects.filter(group=group, user=lotte).exists()


def test_r_cre_2_revoke_and_renew(client, group, anna_admin):
    old = actions.get_share_link(admin=anna_admin, group_id=group.pk)
    new = actions.renew_share_link(admin=anna_admin, group_id=group.pk)
    assert new.token != old.token
    gone = client.get(link_path(old))
    assert gone.status_code == 410
    client.cookies["django_language"] = "nl"
    gone = client.get(link_path(old), HTTP_ACCEPT_LANGUAGE="nl")
    assert "niet meer geldig" in visible_text(gone.content.decode())
    assert client.get(link_path(new)).status_code == 200
    actions.revoke_share_link(admin=anna_admin, group_id=group.pk)
    assert client.get(link_path(new)).status_code == 410
    assert not ShareLink.objects.filter(group=group, revoked_at__isnull=True).exists()
    assert client.get(reverse("share_link", args=["nonsense"])).status_code == 404
    assert list(
        AuditEntry.objects.filter(group=group, action__startswith="share_link")
        .order_by("id")
        .values_list("action", flat=True)
    ) == ["share_link_created", "share_link_renewed", "share_link_revoked"]


def test_r_cre_2_admin_page_makes_renews_and_revokes(client, group, anna_admin):
    client.force_login(anna_admin)
    url = reverse("group_recruit", args=[group.pk])
    client.post(url, {"do": "create"})
    first = ShareLink.objects.get(group=group)
    assert first.token in client.get(url).content.decode()
    client.post(url, {"do": "renew"})
    assert ShareLink.objects.filter(group=group, revoked_at__isnull=True).count() == 1
    client.post(url, {"do": "revoke"})
    assert not ShareLink.objects.filter(group=group, revoked_at__isnull=True).exists()


def test_r_cre_2_flyer_pdf_has_the_qr_of_the_link(client, group, anna_admin, settings):
    settings.SITE_URL = "https://buurtwacht.example"
    client.force_login(anna_admin)
    assert client.get(reverse("group_flyer", args=[group.pk])).status_code == 302  # no link yet
    link = actions.get_share_link(admin=anna_admin, group_id=group.pk)
    response = client.get(reverse("group_flyer", args=[group.pk]), HTTP_ACCEPT_LANGUAGE="nl")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    pdf = pypdf.PdfReader(io.BytesIO(response.content))
    [page] = pdf.pages
    width_mm = float(page.mediabox.width) / 72 * 25.4
    height_mm = float(page.mediabox.height) / 72 * 25.4
    assert (round(width_mm), round(height_mm)) == (210, 297)  # A4
    text = " ".join(page.extract_text().split())
    assert group.name in text
    assert GROUP_STREET in text
    assert "Huisregels" in text  # the rules, in Dutch
    assert "112" in text
    # The QR code: the image embedded in the PDF, decoded.
    [image] = page.images
    [code] = zxingcpp.read_barcodes(image.image)
    assert code.text == f"https://buurtwacht.example/doe-mee/{link.token}/"


def test_r_cre_2_a_big_group_still_fits_one_page_with_a_readable_qr():
    from buurtwacht.groups.flyer import FlyerContent, render_flyer

    link = "https://buurtwacht.example/doe-mee/" + "x" * 32 + "/"
    pdf = pypdf.PdfReader(
        io.BytesIO(
            render_flyer(
                FlyerContent(
                    group_name="Buurtpreventie " + "Oosterparkwijk " * 6,
                    streets=[f"Lange Straatnaam {i}" for i in range(120)],
                    own_rules="Alleen meldingen over veiligheid. " * 60,
                    link=link,
                )
            )
        )
    )
    [page] = pdf.pages
    assert "and 1" in page.extract_text() or "en nog" in page.extract_text()
    [image] = page.images
    [code] = zxingcpp.read_barcodes(image.image)
    assert code.text == link


def test_r_cre_2_logging_in_from_a_share_link_comes_back_to_it(
    client, group, anna_admin, mo_member
):
    """The link page's "log in" keeps the link as `next` (registration keeps it too, through
    its own confirmation step); from there the resident reaches the join form."""
    from tests.conftest import PASSWORD

    link = actions.get_share_link(admin=anna_admin, group_id=group.pk)
    back = link_path(link)
    login = reverse("login") + "?" + urlencode({"next": back})
    assert login.replace("&", "&amp;") in client.get(back).content.decode()
    response = client.post(login, {"username": mo_member.email, "password": PASSWORD, "next": back})
    assert response.status_code == 302
    assert response["Location"] == back
    assert client.get(back)["Location"] == reverse("group", args=[group.pk]) + "#aanmelden"
