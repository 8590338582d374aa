"""Admin for the geo data: browse and search only.  Imports (``manage.py import_areas``,
``import_addresses``) are the only writers, so the admin offers no add, change or delete."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from buurtwacht.geo.models import Address, Area, Street


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Area)
class AreaAdmin(ReadOnlyAdmin):
    list_display = (
        "code",
        "name",
        "kind",
        "version",
        "municipality_code",
        "parent_code",
        "repaired",
        "source",
        "imported_at",
        "retired_at",
    )
    list_filter = ("kind", "repaired", ("retired_at", admin.EmptyFieldListFilter), "source")
    search_fields = ("code", "name", "municipality_code", "parent_code")
    ordering = ("kind", "code", "-version")
    exclude = ("geometry",)


@admin.register(Street)
class StreetAdmin(ReadOnlyAdmin):
    list_display = ("name", "city", "municipality_code")
    list_filter = ("municipality_code",)
    search_fields = ("name", "city", "municipality_code")


@admin.register(Address)
class AddressAdmin(ReadOnlyAdmin):
    list_display = ("postcode", "number", "letter", "suffix", "street", "lon", "lat")
    list_select_related = ("street",)
    search_fields = ("postcode", "street__name", "street__city")
    ordering = ("postcode", "number", "letter", "suffix")
    raw_id_fields = ("street",)
