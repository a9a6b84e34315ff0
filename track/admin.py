from django.contrib import admin

from .models import Interaction, Order


class OrderInline(admin.StackedInline):
    model = Order
    extra = 0


@admin.register(Interaction)
class InteractionAdmin(admin.ModelAdmin):
    list_display = ("date", "interaction_type", "lead", "contact", "order_placed")
    list_filter = ("interaction_type", "order_placed", "lead__business")
    search_fields = ("details", "lead__name", "contact__name")
    list_select_related = ("lead", "contact")
    raw_id_fields = ("lead", "contact", "created_by")
    date_hierarchy = "date"
    inlines = [OrderInline]


@admin.register(Order)
class OrderAdmin(admin.ModelAdmin):
    list_display = ("order_date", "interaction", "product_details", "quantity", "total_price")
    search_fields = ("product_details", "interaction__lead__name")
    list_select_related = ("interaction", "interaction__lead")
    raw_id_fields = ("interaction",)
    date_hierarchy = "order_date"
