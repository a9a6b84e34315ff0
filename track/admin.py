from django.contrib import admin

from .models import Interaction, Order


class OrderInline(admin.StackedInline):
    model = Order
    extra = 0


@admin.register(Interaction)
class InteractionAdmin(admin.ModelAdmin):
    list_display = ("date", "interaction_type", "restaurant", "contact", "order_placed")
    list_filter = ("interaction_type", "order_placed", "restaurant__business")
    search_fields = ("details", "restaurant__name", "contact__name")
    list_select_related = ("restaurant", "contact")
    raw_id_fields = ("restaurant", "contact", "created_by")
    date_hierarchy = "date"
    inlines = [OrderInline]


@admin.register(Order)
class OrderAdmin(admin.ModelAdmin):
    list_display = ("order_date", "interaction", "product_details", "quantity", "total_price")
    search_fields = ("product_details", "interaction__restaurant__name")
    list_select_related = ("interaction", "interaction__restaurant")
    raw_id_fields = ("interaction",)
    date_hierarchy = "order_date"
