"""Recompute which groups are neighbours (R-ADJ-1) from their areas, e.g. after changing
ADJACENCY_DISTANCE_M.  Group changes keep it current by themselves."""

import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from buurtwacht.groups.actions import recompute_all_adjacency


class Command(BaseCommand):
    help = "Recompute the adjacency of all groups from their areas."

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.monotonic()
        pairs = recompute_all_adjacency()
        self.stdout.write(
            _("%(pairs)s pairs of neighbouring groups (within %(m)s m) in %(s).1f s")
            % {
                "pairs": pairs,
                "m": int(settings.ADJACENCY_DISTANCE_M),
                "s": time.monotonic() - started,
            }
        )
