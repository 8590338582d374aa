"""Areas (CBS gemeenten/wijken/buurten, PC4) and the address gazetteer.

Areas are versioned: a re-import that changes an area's name or outline adds a new
version and retires the old one (``retired_at``), so anything that refers to an area row
keeps pointing at the outline it was made with.  Geometries are stored as GeoJSON text in
WGS84 (lon/lat); point-in-area lookups use the in-memory index in ``geo/index.py``.
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class AreaKind(models.TextChoices):
    GEMEENTE = "gemeente", _("municipality")
    WIJK = "wijk", _("district")
    BUURT = "buurt", _("neighbourhood")
    PC4 = "pc4", _("postcode area")


class Area(models.Model):
    kind = models.CharField(max_length=16, choices=AreaKind.choices)
    code = models.CharField(max_length=32)  # CBS code (GM0014, WK036300, BU0363AA01) or PC4
    name = models.CharField(max_length=200)
    parent_code = models.CharField(max_length=32, blank=True, default="")
    municipality_code = models.CharField(max_length=16, blank=True, default="")
    version = models.PositiveIntegerField(default=1)
    source = models.CharField(max_length=200, blank=True, default="")
    geometry = models.TextField(help_text="GeoJSON geometry, WGS84")
    repaired = models.BooleanField(default=False)
    min_lon = models.FloatField()
    min_lat = models.FloatField()
    max_lon = models.FloatField()
    max_lat = models.FloatField()
    imported_at = models.DateTimeField()
    retired_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "code", "version"], name="area_version_unique"),
            models.UniqueConstraint(
                fields=["kind", "code"],
                condition=Q(retired_at__isnull=True),
                name="area_one_current_version",
            ),
        ]
        indexes = [
            models.Index(fields=["kind", "retired_at"], name="area_kind_current"),
            # MAX() over these two is what geo/index.py checks to see if areas changed.
            models.Index(fields=["imported_at"], name="area_imported_at"),
            models.Index(fields=["retired_at"], name="area_retired_at"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.code} {self.name} (v{self.version})"


class Street(models.Model):
    """A public street (openbare ruimte) in a town; its points are its addresses."""

    name = models.CharField(max_length=200)
    city = models.CharField(max_length=200)
    municipality_code = models.CharField(max_length=16, blank=True, default="", db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["name", "city"], name="street_unique")]
        ordering = ["city", "name"]

    def __str__(self) -> str:
        return f"{self.name}, {self.city}"


class Address(models.Model):
    """One address from the BAG, Belgium's BeST (or a similar CSV).  Letter and suffix are
    '' when absent; a Belgian box number (busnummer) is the suffix.

    A Dutch postcode + house number names one address; a Belgian postcode covers a town,
    where several streets have a number 12.  So a Belgian address also carries its
    street's key (geocoding.street_key), and a Dutch one '' there: unique either way,
    with one constraint both databases can name as a conflict target."""

    street = models.ForeignKey(Street, on_delete=models.PROTECT, related_name="addresses")
    number = models.PositiveIntegerField()
    letter = models.CharField(max_length=4, blank=True, default="")
    suffix = models.CharField(max_length=8, blank=True, default="")
    postcode = models.CharField(max_length=6)
    street_key = models.CharField(max_length=200, blank=True, default="")
    lon = models.FloatField()
    lat = models.FloatField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["postcode", "number", "letter", "suffix", "street_key"],
                name="address_unique_by_street",
            )
        ]
        indexes = [models.Index(fields=["postcode", "number"], name="address_lookup")]

    def __str__(self) -> str:
        return f"{self.street.name} {self.number}{self.letter}{self.suffix}, {self.postcode}"
