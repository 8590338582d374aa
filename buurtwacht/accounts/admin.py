from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from . import actions
from .models import HomeAddress, User


class HomeAddressInline(admin.StackedInline):
    """Read-only: a person changes their address on their own account page (the action
    checks it against the group's streets)."""

    model = HomeAddress
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(User)
class UserAdmin(admin.ModelAdmin):
    """Accounts.  Police officers and municipality coordinators are verified on the staff
    pages (/platformbeheer/verificatie/), where every decision is recorded."""

    list_display = ["email", "name", "is_active"]
    list_filter = ["is_active", "is_staff"]
    search_fields = ["email", "name"]
    fields = [
        "email",
        "name",
        "date_of_birth",
        "is_active",
        "is_staff",
        "is_superuser",
        "last_login",
        "deleted_at",
    ]
    readonly_fields = ["last_login", "deleted_at"]
    inlines = [HomeAddressInline]

    def has_add_permission(self, request: HttpRequest) -> bool:
        """Accounts are made by registration (18+, a confirmed e-mail address)."""
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        """Deleting goes through the person's own deletion (accounts.actions.delete_account:
        personal data removed, the last-admin rule kept); staff deactivate instead."""
        return False

    def save_model(self, request: HttpRequest, obj: User, form: Any, change: bool) -> None:
        """Through the action: deactivating an account or taking away a verification here
        closes the person's open sockets."""
        actions.save_staff_edit(user=obj, changed=form.changed_data if change else [])
