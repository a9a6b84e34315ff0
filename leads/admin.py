from django.contrib import admin

from .models import Lead


@admin.register(Lead)
class LeadAdmin(admin.ModelAdmin):
    list_display = ("name", "public_id", "business", "source", "status", "phone", "created_at")
    list_filter = ("source", "status")
    list_select_related = ("business",)
    search_fields = ("name", "email", "phone", "public_id", "external_id")
    date_hierarchy = "created_at"
    readonly_fields = ("public_id", "created_at", "updated_at")
