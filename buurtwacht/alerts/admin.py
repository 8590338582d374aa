"""Platform staff see the groups' alerts (read-only: only actions write): how many, of what
kind, where and how they ended, also in a group without an admin.  Not what was seen, the
descriptions, plates, map points, photos or who posted: those are for the group's members."""

from typing import Any

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from buurtwacht.groups.admin import ReadOnly, WithoutAdmin

from .models import Alert


@admin.register(Alert)
class AlertAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ["pk", "group", "kind", "street", "created_at", "closed_at", "outcome", "hidden"]
    list_filter = [WithoutAdmin, "kind", "outcome", ("closed_at", admin.EmptyFieldListFilter)]
    list_select_related = ["group", "street"]
    search_fields = ["group__name"]
    date_hierarchy = "created_at"
    fields = readonly_fields = (
        "group",
        "kind",
        "street",
        "created_at",
        "closed_at",
        "outcome",
        "hidden_at",
    )

    @admin.display(description=_("hidden"), boolean=True)
    def hidden(self, alert: Any) -> bool:
        return alert.hidden_at is not None
