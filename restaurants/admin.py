from django.contrib import admin

from .models import Restaurant, RestaurantStatusChange


class StatusChangeInline(admin.TabularInline):
    model = RestaurantStatusChange
    extra = 0
    fields = ("changed_at", "from_status", "to_status", "changed_by", "note")
    readonly_fields = fields
    can_delete = False


@admin.register(Restaurant)
class RestaurantAdmin(admin.ModelAdmin):
    list_display = ("name", "business", "status", "city", "assigned_to", "timezone", "updated_at")
    list_filter = ("status", "business")
    search_fields = ("name", "city", "phone", "email")
    list_select_related = ("business", "assigned_to")
    raw_id_fields = ("assigned_to",)
    inlines = [StatusChangeInline]


@admin.register(RestaurantStatusChange)
class RestaurantStatusChangeAdmin(admin.ModelAdmin):
    list_display = ("restaurant", "from_status", "to_status", "changed_by", "changed_at")
    list_filter = ("to_status",)
    search_fields = ("restaurant__name", "note")
    list_select_related = ("restaurant", "changed_by")
    raw_id_fields = ("restaurant", "changed_by")
