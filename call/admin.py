from django.contrib import admin

from .models import CallPlan


@admin.register(CallPlan)
class CallPlanAdmin(admin.ModelAdmin):
    list_display = ("restaurant", "frequency", "last_called", "next_call_date")
    list_filter = ("frequency", "restaurant__business")
    search_fields = ("restaurant__name", "notes")
    list_select_related = ("restaurant",)
    raw_id_fields = ("restaurant",)
