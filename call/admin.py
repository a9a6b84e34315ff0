from django.contrib import admin

from .models import CallPlan


@admin.register(CallPlan)
class CallPlanAdmin(admin.ModelAdmin):
    list_display = ("lead", "frequency", "last_called", "next_call_date")
    list_filter = ("frequency", "lead__business")
    search_fields = ("lead__name", "notes")
    list_select_related = ("lead",)
    raw_id_fields = ("lead",)
