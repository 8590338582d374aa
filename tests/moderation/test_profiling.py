"""Profiling in free text (issue 11): the structured guard's rule (behaviour plus at least two
other concrete descriptors) also when the text names skin colour, origin or ethnicity."""

import pytest

from buurtwacht.alerts import actions as alert_actions
from buurtwacht.alerts.models import Alert
from buurtwacht.core.errors import ActionError
from buurtwacht.moderation.profiling import origin_described

STRUCTURED_MESSAGE = "minstens twee andere concrete kenmerken"


@pytest.mark.parametrize(
    "text",
    [
        "Donkere man, Marokkaans uiterlijk",
        "Man, Marokkaans, liep rond",
        "Een zwarte jongen keek in auto's",
        "Man met een donkere huidskleur probeert deuren",
        "Persoon van Turkse afkomst bij de schuurtjes",
        "Noord-Afrikaans type loopt langs de tuinen",
    ],
)
def test_free_text_names_origin_of_someone_described(text):
    assert origin_described(text)


@pytest.mark.parametrize(
    "text",
    [
        "Een Poolse buurman zag de dader",
        "De nieuwe buren komen uit Syrië",
        "Man in een zwarte jas kijkt door de ramen",
        "Donkere auto rijdt rondjes",
        "De Marokkaanse buurvrouw heeft de politie gebeld",
    ],
)
def test_free_text_without_an_origin_description(text):
    assert not origin_described(text)


def post(user, group, street, what, person=None, client_id="p1"):
    return alert_actions.post_alert(
        user=user,
        group_id=group.pk,
        draft=alert_actions.AlertDraft(
            client_id=client_id,
            kind="suspicious_person",
            what=what,
            street_id=street,
            person=person or {},
        ),
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    "what",
    [
        "Donkere man, Marokkaans uiterlijk",
        "Verdachte situatie: een zwarte jongen bij de auto's",
        "Man van Oost-Europese afkomst loopt rond",
    ],
)
def test_r_rul_6_free_text_origin_without_two_descriptors_refused(
    group, mo_member, street_id, what
):
    with pytest.raises(ActionError) as refused:
        post(mo_member, group, street_id, what)
    assert refused.value.code == "profiling"
    assert STRUCTURED_MESSAGE in refused.value.message  # the same explanation
    assert not Alert.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("what", "person"),
    [
        ("Een Poolse buurman zag de dader wegrennen met een tas", {}),
        ("De nieuwe buren komen uit Syrië en zagen iemand in de tuin", {}),
        (
            "Donkere man, 1.85 lang, groene bodywarmer, grijze muts, knipt fietssloten door",
            {},
        ),
        (
            "Man met Marokkaans uiterlijk probeert fietssloten",
            {"height": "1.80", "clothing_top": "rode jas"},
        ),
    ],
)
def test_r_rul_6_free_text_that_meets_the_guard_passes(group, mo_member, street_id, what, person):
    _alert, created = post(mo_member, group, street_id, what, person)
    assert created


@pytest.mark.django_db
def test_r_rul_6_structured_skin_colour_rule_unchanged(group, mo_member, street_id):
    with pytest.raises(ActionError):
        post(mo_member, group, street_id, "Man kijkt in auto's", {"skin_colour": "donker"})
    post(
        mo_member,
        group,
        street_id,
        "Man kijkt in auto's",
        {"skin_colour": "donker", "height": "1.80", "hair": "kaal"},
    )


@pytest.mark.django_db
def test_r_rul_6_update_text_with_origin_refused(group, mo_member, street_id):
    alert, _ = post(mo_member, group, street_id, "Iemand trekt aan deurklinken")
    with pytest.raises(ActionError) as refused:
        alert_actions.add_update(
            user=mo_member, alert_id=alert.pk, client_id="u1", text="Het was een Marokkaanse jongen"
        )
    assert refused.value.code == "profiling"
    alert_actions.add_update(
        user=mo_member, alert_id=alert.pk, client_id="u2", text="Een Poolse buurman zag hem ook"
    )
