from django.contrib import admin

from .models import NotificationSettings, SentMessage


@admin.register(NotificationSettings)
class NotificationSettingsAdmin(admin.ModelAdmin):
    list_display = ["business", "confirmation_enabled", "reminder_enabled", "updated_at"]
    raw_id_fields = ["business"]


@admin.register(SentMessage)
class SentMessageAdmin(admin.ModelAdmin):
    list_display = ["reason_key", "business", "kind", "to", "status", "attempts", "sent_at"]
    list_filter = ["kind", "status"]
    raw_id_fields = ["business", "booking", "invoice"]
    search_fields = ["reason_key"]
