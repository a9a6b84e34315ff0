from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from .models import (
    Addon,
    ApiKey,
    Business,
    BusinessCredentials,
    BusinessSettings,
    Membership,
    User,
)


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["business"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ("username", "email", "first_name", "last_name", "business", "is_active")
    list_select_related = ("membership__business",)
    list_filter = ("is_active", "is_staff", "membership__role")
    search_fields = ("username", "email", "first_name", "last_name")
    fieldsets = BaseUserAdmin.fieldsets + (
        ("Fieldbook", {"fields": ("phone", "must_change_password")}),
    )
    inlines = [MembershipInline]

    @admin.display(description="Business", ordering="membership__business__name")
    def business(self, obj):
        membership = getattr(obj, "membership", None)
        return membership.business if membership else "—"


class SettingsInline(admin.StackedInline):
    model = BusinessSettings
    can_delete = False


class CredentialsInline(admin.StackedInline):
    model = BusinessCredentials
    can_delete = False
    exclude = ("thumbtack_password_hash",)
    readonly_fields = ("webhook_secret", "webhook_secret_rotated_at")


@admin.register(Business)
class BusinessAdmin(admin.ModelAdmin):
    list_display = ("name", "email", "phone", "timezone", "currency", "created_at")
    list_filter = ("currency", "timezone")
    search_fields = ("name", "email", "phone")
    date_hierarchy = "created_at"
    inlines = [SettingsInline, CredentialsInline]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ("user", "business", "role", "created_at")
    list_filter = ("role",)
    list_select_related = ("user", "business")
    search_fields = ("user__username", "user__email", "business__name")
    autocomplete_fields = ["user", "business"]


@admin.register(Addon)
class AddonAdmin(admin.ModelAdmin):
    list_display = ("name", "key", "business", "price", "is_active", "is_standard")
    list_filter = ("is_active", "is_standard")
    list_select_related = ("business",)
    search_fields = ("name", "key", "business__name")


@admin.register(ApiKey)
class ApiKeyAdmin(admin.ModelAdmin):
    list_display = ("name", "user", "prefix", "created_at", "last_used_at", "revoked_at")
    list_filter = ("revoked_at",)
    list_select_related = ("user",)
    search_fields = ("name", "prefix", "user__username")
    readonly_fields = ("prefix", "key_hash", "created_at", "last_used_at")


@admin.register(BusinessSettings)
class BusinessSettingsAdmin(admin.ModelAdmin):
    list_display = (
        "business",
        "base_price_standard",
        "price_per_bedroom",
        "price_per_bathroom",
        "tax_rate",
    )
    list_select_related = ("business",)
    search_fields = ("business__name",)


@admin.register(BusinessCredentials)
class BusinessCredentialsAdmin(admin.ModelAdmin):
    list_display = ("business", "thumbtack_username", "voice_agent_phone", "updated_at")
    list_select_related = ("business",)
    search_fields = ("business__name", "thumbtack_username")
    exclude = ("thumbtack_password_hash",)
    readonly_fields = ("webhook_secret", "webhook_secret_rotated_at")
