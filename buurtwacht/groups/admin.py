"""Platform staff see groups and their memberships (read-only: only actions write) and can
appoint an admin for a group that has none."""

from typing import Any

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from buurtwacht.accounts.models import User
from buurtwacht.core.errors import ActionError

from . import actions, selectors
from .models import Group, Membership, MembershipRole, MembershipStatus


class ReadOnly:
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class WithoutAdmin(admin.SimpleListFilter):
    title = _("admin")
    parameter_name = "zonder_beheerder"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        return [("1", _("members but no admin"))]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        if self.value() == "1":
            field = "pk" if queryset.model is Group else "group_id"
            return queryset.filter(**{f"{field}__in": selectors.groups_without_admin()})
        return queryset


class MembershipInline(ReadOnly, admin.TabularInline):
    model = Membership
    fields = readonly_fields = ("user", "role", "status", "created_at", "ended_at")
    extra = 0


@admin.register(Group)
class GroupAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ["name", "municipality_code", "members", "admins", "created_at"]
    list_filter = [WithoutAdmin, "municipality_code"]
    search_fields = ["name"]
    fields = readonly_fields = ("name", "municipality_code", "description", "created_at")
    inlines = [MembershipInline]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Group]:
        active = Q(memberships__status=MembershipStatus.ACTIVE)
        return (
            super()
            .get_queryset(request)
            .annotate(
                member_total=Count("memberships", filter=active),
                admin_total=Count(
                    "memberships", filter=active & Q(memberships__role=MembershipRole.ADMIN)
                ),
            )
        )

    @admin.display(description=_("members"), ordering="member_total")
    def members(self, group: Any) -> int:
        return int(group.member_total)

    @admin.display(description=_("admins"), ordering="admin_total")
    def admins(self, group: Any) -> int:
        return int(group.admin_total)


@admin.register(Membership)
class MembershipAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ["user", "group", "role", "status", "created_at"]
    list_filter = [WithoutAdmin, "role", "status"]
    search_fields = ["group__name", "user__name"]
    actions = ["appoint_admin"]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return obj is None and bool(request.user.is_staff)  # the list and its action only

    @admin.action(description=_("Make admin (for a group without admin)"))
    def appoint_admin(self, request: HttpRequest, queryset: QuerySet[Membership]) -> None:
        staff = request.user
        if not isinstance(staff, User):
            raise PermissionDenied
        for membership in queryset.select_related("group"):
            try:
                actions.appoint_admin_as_staff(
                    staff=staff, group_id=membership.group_id, user_id=membership.user_id
                )
            except ActionError as error:
                self.message_user(request, f"{membership.group}: {error.message}", messages.ERROR)
            else:
                self.message_user(
                    request, f"{membership.group}: {membership.user}", messages.SUCCESS
                )
