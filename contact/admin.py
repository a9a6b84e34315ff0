from django.contrib import admin

from .models import Contact


@admin.register(Contact)
class ContactAdmin(admin.ModelAdmin):
    list_display = ("name", "role", "restaurant", "email", "phone")
    list_filter = ("restaurant__business",)
    search_fields = ("name", "email", "phone", "restaurant__name")
    list_select_related = ("restaurant",)
    raw_id_fields = ("restaurant",)
