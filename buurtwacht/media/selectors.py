"""Reads for photos: only those still within the group's photo retention exist."""

from collections.abc import Iterable

from django.db.models import QuerySet

from buurtwacht.core import clock
from buurtwacht.groups.models import Group
from buurtwacht.groups.selectors import retention_of

from .models import AlertPhoto


def live_photos(*, group: Group) -> QuerySet[AlertPhoto]:
    """The group's photos that have not expired (the worker deletes the others later)."""
    cutoff = retention_of(group=group).cutoffs(clock.now()).photos
    return AlertPhoto.objects.filter(alert__group=group, created_at__gte=cutoff)


def shown_photo_ids(*, group: Group, ids: Iterable[int]) -> set[int]:
    wanted = set(ids)
    if not wanted:
        return set()
    return set(live_photos(group=group).filter(pk__in=wanted).values_list("pk", flat=True))
