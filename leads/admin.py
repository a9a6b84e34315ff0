from django.contrib import admin

from .models import Lead, LeadActivity, LeadMessage, LeadReference


class LeadActivityInline(admin.TabularInline):
    model = LeadActivity
    extra = 0
    fields = ("created_at", "kind", "message", "user")
    readonly_fields = ("created_at",)
    raw_id_fields = ("user",)


class LeadReferenceInline(admin.TabularInline):
    model = LeadReference
    extra = 0
    fields = ("source", "external_id", "business")
    raw_id_fields = ("business",)


@admin.register(Lead)
class LeadAdmin(admin.ModelAdmin):
    list_display = ("name", "public_id", "business", "source", "status", "phone", "created_at")
    list_filter = ("source", "status")
    list_select_related = ("business",)
    search_fields = ("name", "email", "phone", "public_id", "external_id")
    date_hierarchy = "created_at"
    readonly_fields = ("public_id", "created_at", "updated_at")
    raw_id_fields = ("customer",)
    inlines = [LeadReferenceInline, LeadActivityInline]


@admin.register(LeadActivity)
class LeadActivityAdmin(admin.ModelAdmin):
    list_display = ("lead", "kind", "message", "created_at")
    list_filter = ("kind",)
    list_select_related = ("lead",)
    raw_id_fields = ("lead", "user")
    search_fields = ("message", "lead__name", "lead__public_id")


@admin.register(LeadMessage)
class LeadMessageAdmin(admin.ModelAdmin):
    list_display = ("negotiation_id", "message_id", "lead", "sender", "sent_at", "business")
    list_select_related = ("lead", "business")
    raw_id_fields = ("lead", "business")
    search_fields = ("negotiation_id", "message_id", "text")


@admin.register(LeadReference)
class LeadReferenceAdmin(admin.ModelAdmin):
    list_display = ("source", "external_id", "lead", "business")
    list_filter = ("source",)
    list_select_related = ("lead", "business")
    raw_id_fields = ("lead", "business")
    search_fields = ("external_id",)
