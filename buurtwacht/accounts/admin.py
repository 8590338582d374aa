from django.contrib import admin

from .models import HomeAddress, User


class HomeAddressInline(admin.StackedInline):
    model = HomeAddress
    extra = 0


@admin.register(User)
class UserAdmin(admin.ModelAdmin):
    """Platform staff verify police officers and municipality staff here."""

    list_display = ["email", "name", "police_verified", "municipality_code", "is_active"]
    list_filter = ["police_verified", "is_active", "is_staff"]
    search_fields = ["email", "name"]
    fields = [
        "email",
        "name",
        "date_of_birth",
        "police_verified",
        "municipality_code",
        "is_active",
        "is_staff",
        "is_superuser",
        "last_login",
        "deleted_at",
    ]
    readonly_fields = ["last_login", "deleted_at"]
    inlines = [HomeAddressInline]
