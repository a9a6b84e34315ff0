from django.contrib import admin, messages

from . import inbox, outbound
from .models import Delivery, Integration, WebhookEvent


@admin.register(WebhookEvent)
class WebhookEventAdmin(admin.ModelAdmin):
    list_display = (
        "pk",
        "business",
        "source",
        "event_type",
        "status",
        "attempts",
        "duplicate_count",
        "received_at",
    )
    list_filter = ("source", "status")
    list_select_related = ("business",)
    search_fields = ("event_type", "dedupe_key")
    date_hierarchy = "received_at"
    raw_id_fields = ("business", "lead")
    readonly_fields = (
        "received_at",
        "processed_at",
        "attempts",
        "duplicate_count",
        "last_duplicate_at",
    )
    actions = ["replay"]

    @admin.action(description="Replay the selected failed events")
    def replay(self, request, queryset):
        count = sum(inbox.webhook_event_replay(event=event) for event in queryset)
        self.message_user(request, f"{count} event(s) queued again.", messages.SUCCESS)


@admin.register(Integration)
class IntegrationAdmin(admin.ModelAdmin):
    list_display = ("name", "business", "url", "is_active", "consecutive_failures", "paused_at")
    list_filter = ("is_active",)
    list_select_related = ("business",)
    search_fields = ("name", "url", "business__name")
    exclude = ("signing_secret",)

    def save_model(self, request, obj, form, change):
        outbound.integration_save(integration=obj)


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = (
        "pk",
        "integration",
        "event_type",
        "status",
        "attempts",
        "response_status",
        "created_at",
    )
    list_filter = ("status", "event_type")
    list_select_related = ("integration",)
    search_fields = ("message_id", "integration__name")
    raw_id_fields = ("business", "integration")
    readonly_fields = ("created_at", "last_attempt_at")
