"""`manage.py check_language`: the polite-language verdict (R-RUL-3) for each line on stdin.

Reads UTF-8, one message per line; prints one line per message: the outcome (`ok`, `warn` or
`block`), a tab, and the category code: `clean` for ok; `cursing`, `insult` or
`generalisation` for warn; `insult` (a strong one), `slur`, `threat`, `doxxing` or
`profiling` for block.  The same function as every posting path
(moderation.language.check); nothing else happens (nothing is stored).
"""

import io
import sys
from typing import Any

from django.core.management.base import BaseCommand

from buurtwacht.moderation.language import check


class Command(BaseCommand):
    help = "Print ok/warn/block<TAB>reason for each message (one per line) on standard input."
    requires_system_checks: list[str] = []  # a filter: no database, no checks

    def handle(self, *args: Any, **options: Any) -> None:
        source = io.TextIOWrapper(sys.stdin.buffer, encoding="utf-8", errors="replace")
        out = self.stdout
        for line in source:
            verdict = check(line.rstrip("\r\n"))
            out.write(f"{verdict.outcome}\t{verdict.reason}")
