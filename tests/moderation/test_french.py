"""The French polite-language check (moderation/french.py): the Dutch check's categories
and disguises, in French; where Belgium is served every posting path reads it too."""

import pytest

from buurtwacht.moderation.french import check
from buurtwacht.moderation.language import Outcome, Reason


@pytest.mark.parametrize(
    ("text", "outcome", "reason"),
    [
        ("Une camionnette blanche roule au pas dans la rue.", Outcome.OK, Reason.CLEAN),
        ("Il est contre le mur, à côté du cône orange.", Outcome.OK, Reason.CLEAN),
        ("Putain, encore une voiture forcée.", Outcome.WARN, Reason.CURSING),
        ("Quel connard, ce type.", Outcome.WARN, Reason.INSULT),
        ("T'es con ou quoi ?", Outcome.WARN, Reason.INSULT),
        ("C O N N A R D", Outcome.WARN, Reason.INSULT),  # letters written apart
        ("c0nn4rd", Outcome.WARN, Reason.INSULT),  # digits for letters
        ("conn*rd", Outcome.WARN, Reason.INSULT),  # a star for a letter
        ("connnnnard", Outcome.WARN, Reason.INSULT),  # repeated letters
        ("Encore un bougnoule qui traîne.", Outcome.BLOCK, Reason.SLUR),
        ("Je vais le tuer s'il revient.", Outcome.BLOCK, Reason.THREAT),
        ("On va lui casser la gueule.", Outcome.BLOCK, Reason.THREAT),
        ("Tous ces Marocains sont des voleurs.", Outcome.WARN, Reason.GENERALISATION),
        ("C'est encore les Roms, forcément.", Outcome.WARN, Reason.GENERALISATION),
    ],
)
def test_r_rul_3_r_be_the_french_check_sorts_like_the_dutch_one(text, outcome, reason):
    verdict = check(text)
    assert (verdict.outcome, verdict.reason) == (outcome, reason), verdict


def test_r_rul_3_r_be_the_words_are_shown_and_blocking_wins():
    verdict = check("Merde. Je vais te tuer, connard.")
    assert verdict.outcome == Outcome.BLOCK and verdict.reason == Reason.THREAT
    assert verdict.words == ("je vais te tuer",)
    assert check("merde, quel abruti").words == ("abruti", "merde")


@pytest.mark.django_db
def test_r_rul_3_a_french_slur_in_a_belgian_group_is_refused_and_clean_french_posts(
    belgian_group, jonas_lid
):
    from buurtwacht.chat import actions as chat_actions
    from buurtwacht.chat.models import ChatMessage
    from buurtwacht.moderation.actions import LanguageBlocked

    with pytest.raises(LanguageBlocked):
        chat_actions.post_chat(
            user=jonas_lid,
            group_id=belgian_group.pk,
            client_id="fr-1",
            text="Encore ce sale ar\u200babe devant la porte",  # a zero-width space inside
        )
    assert not ChatMessage.objects.exists()
    chat_actions.post_chat(
        user=jonas_lid,
        group_id=belgian_group.pk,
        client_id="fr-2",
        text="Une camionnette blanche roule au pas dans la rue.",
    )
    assert ChatMessage.objects.count() == 1


def test_r_rul_3_a_dutch_only_install_does_not_read_french(settings):
    from buurtwacht.moderation.actions import check_texts

    settings.COUNTRIES = ["NL"]
    assert check_texts(["Quel connard, ce type."]).outcome == Outcome.OK
    settings.COUNTRIES = ["NL", "BE"]
    assert check_texts(["Quel connard, ce type."]).reason == Reason.INSULT
