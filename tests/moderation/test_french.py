"""The French polite-language check (moderation/french.py): the Dutch check's categories
and disguises, in French.  Not yet wired into screen() (see the module)."""

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
        ("Tous ces Marocains sont des voleurs.", Outcome.BLOCK, Reason.DISCRIMINATION),
        ("C'est encore les Roms, forcément.", Outcome.BLOCK, Reason.DISCRIMINATION),
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
