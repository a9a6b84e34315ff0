from django.contrib import admin

from .models import Customer, CustomerActivity, CustomerAddress


class CustomerAddressInline(admin.TabularInline):
    model = CustomerAddress
    extra = 0


class CustomerActivityInline(admin.TabularInline):
    model = CustomerActivity
    extra = 0
    fields = ("created_at", "kind", "message", "user")
    readonly_fields = ("created_at",)
    raw_id_fields = ("user",)


@admin.register(Customer)
class CustomerAdmin(admin.ModelAdmin):
    list_display = ("name", "public_id", "business", "phone", "email", "archived", "created_at")
    list_filter = ("archived",)
    list_select_related = ("business",)
    raw_id_fields = ("business",)
    search_fields = ("name", "email", "phone", "company", "public_id")
    readonly_fields = ("public_id", "created_at", "updated_at")
    inlines = [CustomerAddressInline, CustomerActivityInline]
