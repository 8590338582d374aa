"""Labels and descriptions point at one element each: no id twice on a page, and no
aria-describedby or label naming an id that is not there (the public group page had two
fields called id_email; the alert form described fields by help texts without an id)."""

import re
from collections import Counter

from django.test import Client
from django.urls import reverse

from tests.conftest import visible_text


def check_references(html: str) -> None:
    ids = Counter(re.findall(r'\sid="([^"]+)"', html.split("<template", 1)[0]))
    twice = [name for name, count in ids.items() if count > 1]
    assert not twice, twice
    known = set(re.findall(r'\sid="([^"]+)"', html))
    for refs in re.findall(r'aria-describedby="([^"]+)"', html):
        for ref in refs.split():
            assert ref in known, f"aria-describedby names #{ref}, which is not there"
    for ref in re.findall(r'<label[^>]*\sfor="([^"]+)"', html):
        assert ref in known, f"a label is for #{ref}, which is not there"


def test_the_public_group_page_has_each_id_once(client, group):
    check_references(client.get(reverse("register_group", args=[group.pk])).content.decode())


def test_the_members_group_page_and_alert_form_point_at_what_is_there(group, mo_member):
    client = Client()
    client.force_login(mo_member)
    check_references(client.get(reverse("group", args=[group.pk])).content.decode())


def test_r_rul_2_an_outsider_from_elsewhere_is_told_before_the_join_form(group, bob_buiten):
    client = Client()
    client.force_login(bob_buiten)
    html = client.get(reverse("group", args=[group.pk])).content.decode()
    assert "jouw adres ligt daar niet aan" in visible_text(html)
    assert 'name="rules_accepted"' not in html  # no form to fill in for nothing


def test_r_rul_2_a_resident_of_the_streets_gets_the_join_form(group, resident_on):
    from tests.conftest import GROUP_STREET

    lotte = resident_on("Lotte Jansen", GROUP_STREET, 20)
    client = Client()
    client.force_login(lotte)
    html = client.get(reverse("group", args=[group.pk])).content.decode()
    assert 'name="rules_accepted"' in html
