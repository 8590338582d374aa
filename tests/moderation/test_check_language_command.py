"""manage.py check_language: one verdict line per input line, the same function as posting."""

import subprocess
import sys
from pathlib import Path

from buurtwacht.moderation.language import check

ROOT = Path(__file__).resolve().parents[2]
LINES = [
    "klootzak",
    "De groene container is niet geleegd",
    "ik maak je af",
    "",
    "Mijn buurman heeft kanker",
    "Dat zijn vast weer van die buitenlanders",
    "k u t",
    "Café „De Buurvrouw” \u2013 gezellig ☕",
]


def test_r_rul_3_check_language_prints_outcome_tab_reason_per_line():
    run = subprocess.run(
        [sys.executable, "manage.py", "check_language"],
        input="\n".join(LINES).encode() + b"\n",
        capture_output=True,
        cwd=ROOT,
        check=True,
        timeout=60,
    )
    out = run.stdout.decode().splitlines()
    assert out == [
        "warn\tinsult",
        "ok\tclean",
        "block\tthreat",
        "ok\tclean",
        "ok\tclean",
        "warn\tgeneralisation",
        "warn\tcursing",
        "ok\tclean",
    ]
    assert out == [f"{check(line).outcome}\t{check(line).reason}" for line in LINES]
