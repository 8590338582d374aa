"""R-RUL-7 in a real browser: an admin publishes a notice; an anonymous visitor on a phone
reads it on the public page and subscribes to the news by e-mail."""

import pytest
from django.core import mail

from buurtwacht.bulletin.models import Subscriber
from buurtwacht.geo import actions as geo_actions
from tests.conftest import session_cookie

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def groningen_addresses(groningen_subset_csv):
    geo_actions.import_addresses(path=groningen_subset_csv)


def test_r_rul_7_publish_then_a_visitor_reads_and_subscribes(
    browser, asgi_server, group, anna_admin, settings, tmp_path
):
    settings.MAP_TILES_URL = ""
    admin_context = browser.new_context(locale="nl-NL")
    name, value = session_cookie(anna_admin).split("=", 1)
    admin_context.add_cookies([{"name": name, "value": value, "url": f"http://{asgi_server}/"}])
    visitor_context = browser.new_context(locale="nl-NL", viewport={"width": 360, "height": 800})
    try:
        admin = admin_context.new_page()
        admin.set_default_timeout(10_000)
        admin.goto(f"http://{asgi_server}/groepen/{group.pk}/berichten/")
        admin.get_by_label("Soort").select_option("meeting")
        admin.get_by_label("Titel").fill("Buurtbijeenkomst in het buurthuis")
        admin.get_by_label("Tekst").fill("Dinsdag om 20 uur: kennismaken met de wijkagent.")
        admin.get_by_role("button", name="Publiceren").click()
        admin.get_by_text("Het bericht is gepubliceerd").wait_for()
        admin.screenshot(path=str(tmp_path / "notices-admin.png"), full_page=True)

        visitor = visitor_context.new_page()
        visitor.set_default_timeout(10_000)
        visitor.goto(f"http://{asgi_server}/kaart/groep/{group.pk}/")
        news = visitor.locator("article.notice").first
        assert "Buurtbijeenkomst in het buurthuis" in news.inner_text()
        visitor.locator("form.subscribe").get_by_label("Je e-mailadres").fill("buur@example.nl")
        visitor.get_by_role("button", name="Aanmelden").click()
        visitor.get_by_text("Bijna klaar").wait_for()
        visitor.screenshot(path=str(tmp_path / "public-news-360.png"), full_page=True)
        assert visitor.evaluate("document.documentElement.scrollWidth") <= 360
        assert Subscriber.objects.filter(email="buur@example.nl", confirmed_at=None).exists()
        assert [m.to for m in mail.outbox] == [["buur@example.nl"]]
    finally:
        admin_context.close()
        visitor_context.close()
