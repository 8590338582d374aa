"""The street picker in a real browser (issue 10): type to filter, pick, remove, save;
on a phone (360 px) too.  Screenshots go to the test's tmp_path."""

import pytest

from buurtwacht.geo import actions as geo_actions
from buurtwacht.geo.models import Street
from buurtwacht.groups.models import AuditEntry
from tests.conftest import GROUP_STREET, session_cookie

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def groningen_addresses(groningen_subset_csv):
    geo_actions.import_addresses(path=groningen_subset_csv)


@pytest.mark.parametrize("width", [1024, 360])
def test_street_picker_type_pick_remove_save(
    browser, asgi_server, group, anna_admin, settings, tmp_path, width
):
    settings.MAP_TILES_URL = ""  # no network: outlines on a plain background
    context = browser.new_context(locale="nl-NL", viewport={"width": width, "height": 900})
    name, value = session_cookie(anna_admin).split("=", 1)
    context.add_cookies([{"name": name, "value": value, "url": f"http://{asgi_server}/"}])
    page = context.new_page()
    page.set_default_timeout(10_000)
    try:
        page.goto(f"http://{asgi_server}/groepen/{group.pk}/instellingen/#streets")
        streets = page.locator("#streets ~ form").first
        assert not streets.locator("select[data-street-picker]").is_visible()  # replaced
        chips = streets.locator(".street-chip")
        assert chips.count() == 1
        assert GROUP_STREET in chips.first.inner_text()
        page.locator("[data-area-ready='1']").wait_for(state="attached")

        search = streets.get_by_role("combobox", name="Zoek een straat")
        search.fill("pater")
        options = streets.get_by_role("option")
        assert options.count() == 1
        assert "Paterswoldseweg" in options.first.inner_text()
        options.first.click()
        assert chips.count() == 2
        page.locator("[data-area-ready='2']").wait_for(state="attached")

        search.fill("poel")
        search.press("Enter")  # the first match, by keyboard
        assert chips.count() == 3
        streets.get_by_role("button", name="Verwijderen Paterswoldseweg, Groningen").click()
        assert chips.count() == 2
        page.locator("[data-area-ready='2']").wait_for(state="attached")
        page.screenshot(path=str(tmp_path / f"street-picker-{width}.png"), full_page=True)
        assert page.evaluate("document.documentElement.scrollWidth") <= width

        streets.get_by_role("button", name="Straten opslaan").click()
        page.get_by_text("De straten zijn opgeslagen.").wait_for()
        saved = set(group.streets.values_list("name", flat=True))
        assert saved == {GROUP_STREET, "Poelestraat"}
        assert AuditEntry.objects.filter(group=group, action="change_streets").exists()
        picked = Street.objects.filter(name="Poelestraat").values_list("pk", flat=True)
        assert set(picked) <= set(group.streets.values_list("pk", flat=True))
    finally:
        context.close()


def test_r_reg_2_create_page_names_the_shared_street_as_it_is_picked(
    browser, asgi_server, group, resident_on, settings, tmp_path
):
    settings.MAP_TILES_URL = ""
    founder = resident_on("Fenna Founder", GROUP_STREET, 5)
    context = browser.new_context(locale="nl-NL", viewport={"width": 360, "height": 900})
    name, value = session_cookie(founder).split("=", 1)
    context.add_cookies([{"name": name, "value": value, "url": f"http://{asgi_server}/"}])
    page = context.new_page()
    page.set_default_timeout(10_000)
    try:
        page.goto(f"http://{asgi_server}/groepen/nieuw/")
        warning = page.locator("#overlaps")
        assert not warning.is_visible()
        search = page.get_by_role("combobox", name="Zoek een straat")
        search.fill("grote beer")
        page.get_by_role("option", name="Grote Beerstraat, Groningen").click()
        warning.wait_for(state="visible")
        assert f"{group.name}: deelt deze straten: {GROUP_STREET}" in warning.inner_text()
        page.locator("[data-area-ready='1']").wait_for(state="attached")
        page.screenshot(path=str(tmp_path / "create-overlap-360.png"), full_page=True)
        assert page.evaluate("document.documentElement.scrollWidth") <= 360
        page.get_by_role("button", name="Verwijderen Grote Beerstraat, Groningen").click()
        warning.wait_for(state="hidden")
    finally:
        context.close()
