"""French for Brussels and Wallonia: the language switch offers it, pages and dates are
French, and notifications (e-mail, push) go out in each recipient's own language, while a
Dutch-speaking admin of the same Belgian group keeps hers in Dutch."""

from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse

from buurtwacht.alerts import actions as alert_actions
from buurtwacht.geo.models import Street
from buurtwacht.groups import actions
from buurtwacht.notify.actions import process_due
from buurtwacht.notify.models import Delivery
from tests.belgium import BE_STREET
from tests.conftest import VETTED, visible_text

pytestmark = pytest.mark.django_db


def test_r_be_the_language_switch_offers_french(client):
    home = client.get("/").content.decode()
    assert 'name="language" value="fr"' in home and ">Français</button>" in home
    response = client.post(reverse("set_language"), {"language": "fr", "next": "/"}, follow=True)
    assert 'lang="fr"' in response.text
    assert "Veiller les uns sur les autres, ensemble" in response.text
    assert "Les règles nationales" in response.text


def test_r_be_a_french_browser_gets_french(client):
    response = client.get("/", headers={"accept-language": "fr-BE,fr;q=0.9,nl;q=0.5"})
    assert "Veiller les uns sur les autres, ensemble" in response.text


def test_r_be_the_french_catalogue_is_complete_with_plurals():
    po = polib.pofile(str(Path(settings.LOCALE_PATHS[0]) / "fr" / "LC_MESSAGES" / "django.po"))
    assert po.metadata["Plural-Forms"] == "nplurals=2; plural=(n > 1);"
    assert po.percent_translated() >= 95
    plurals = [e for e in po if e.msgid_plural]
    assert plurals and all(e.msgstr_plural[0] and e.msgstr_plural[1] for e in plurals)


def test_r_be_french_group_page_with_french_dates(
    client, belgian_group, lotte_beheerder, camille, jonas_lid
):
    join = actions.request_to_join(user=camille, group_id=belgian_group.pk, rules_accepted=True)
    actions.admit_member(admin=lotte_beheerder, request_id=join.pk, vetting=VETTED)
    alert, _ = alert_actions.post_alert(
        user=jonas_lid,
        group_id=belgian_group.pk,
        draft=alert_actions.AlertDraft(
            client_id="fr-1",
            kind="suspicious_vehicle",
            what="Une camionnette blanche roule au pas",
            street_id=Street.objects.get(name=BE_STREET, city="Gent").pk,
            vehicle={"plate": "abc 123"},
        ),
    )
    client.force_login(camille)
    client.post(reverse("set_language"), {"language": "fr", "next": "/"})
    html = client.get(reverse("group", args=[belgian_group.pk])).content.decode()
    card = visible_text(html, element_id=f"alert-{alert.pk}")
    assert "Véhicule suspect" in card
    assert "Police informée via le 101" in card  # Belgium's number, in French
    assert "l'inspecteur de quartier au 101" in card
    assert "ABC-123 plaque belge" in card
    assert "Appelez d'abord le 112" in html
    reports = client.get(reverse("police_reports", args=[belgian_group.pk])).content.decode()
    assert "appelez l'inspecteur de quartier au 101" in visible_text(reports)


def test_r_be_emails_and_pushes_in_the_recipients_language(belgian_group, lotte_beheerder, camille):
    mail.outbox.clear()
    Delivery.objects.all().delete()
    join = actions.request_to_join(user=camille, group_id=belgian_group.pk, rules_accepted=True)
    actions.admit_member(admin=lotte_beheerder, request_id=join.pk, vetting=VETTED)
    to_lotte = Delivery.objects.filter(user=lotte_beheerder, kind="join_request")
    assert to_lotte and all(
        "wil lid worden. Neem contact op" in d.payload["body"] for d in to_lotte
    )
    to_camille = Delivery.objects.filter(user=camille, kind="membership")
    assert to_camille
    assert {d.payload["title"] for d in to_camille} == {"Bienvenue dans BIN Veldstraat"}
    # an alert: each member's push and e-mail in their own language
    Delivery.objects.all().delete()
    alert_actions.post_alert(
        user=lotte_beheerder,
        group_id=belgian_group.pk,
        draft=alert_actions.AlertDraft(
            client_id="fr-2",
            kind="break_in",
            what="Inbraak bezig op nummer 9",
            street_id=Street.objects.get(name=BE_STREET, city="Gent").pk,
        ),
    )
    titles = {d.payload["title"] for d in Delivery.objects.filter(user=camille, kind="alert")}
    assert titles == {"Alerte : Cambriolage en cours"}
    process_due()
    french = [m for m in mail.outbox if camille.email in m.to]
    assert french and all(m.subject == "Alerte : Cambriolage en cours" for m in french)
