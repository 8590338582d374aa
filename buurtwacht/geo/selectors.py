"""Reads of the geo app (areas, streets, addresses)."""

from django.db.models import QuerySet

from buurtwacht.geo.models import Address, Area, Street


def current_areas(*, kind: str | None = None) -> QuerySet[Area]:
    areas = Area.objects.filter(retired_at__isnull=True)
    if kind is not None:
        areas = areas.filter(kind=kind)
    return areas.order_by("kind", "code")


def current_area(*, kind: str, code: str) -> Area | None:
    return Area.objects.filter(kind=kind, code=code, retired_at__isnull=True).first()


def area_versions(*, kind: str, code: str) -> QuerySet[Area]:
    """All versions of one area, the oldest first."""
    return Area.objects.filter(kind=kind, code=code).order_by("version")


def street_points(street_id: int) -> list[tuple[float, float]]:
    """The (lon, lat) points of a street's addresses, in house number order."""
    return list(
        Address.objects.filter(street_id=street_id)
        .order_by("number", "letter", "suffix")
        .values_list("lon", "lat")
    )


def streets_in_municipality(code: str) -> QuerySet[Street]:
    """The streets of a municipality (GM code), by name."""
    return Street.objects.filter(municipality_code=code).order_by("name", "city")
