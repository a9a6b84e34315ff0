from django.contrib import admin

from .models import (
    Booking,
    BookingLine,
    BookingNote,
    BookingSeries,
    Invoice,
    InvoiceCounter,
    InvoiceLine,
    Payment,
)


class BookingLineInline(admin.TabularInline):
    model = BookingLine
    extra = 0
    readonly_fields = ("kind", "key", "description", "quantity", "unit_price", "amount")
    can_delete = False


class BookingNoteInline(admin.TabularInline):
    model = BookingNote
    extra = 0
    readonly_fields = ("created_at", "user", "message")
    can_delete = False


@admin.register(Booking)
class BookingAdmin(admin.ModelAdmin):
    list_display = (
        "public_id",
        "business",
        "customer_first_name",
        "customer_last_name",
        "start",
        "service_type",
        "status",
        "total",
        "source",
    )
    list_filter = ("status", "service_type", "source")
    list_select_related = ("business",)
    search_fields = (
        "public_id",
        "customer_first_name",
        "customer_last_name",
        "customer_email",
        "customer_phone",
    )
    date_hierarchy = "start"
    raw_id_fields = ("business", "lead", "customer", "service_address", "created_by", "series")
    readonly_fields = (
        "public_id",
        "deposit",
        "subtotal",
        "tax_rate",
        "tax",
        "total",
        "created_at",
        "updated_at",
    )
    inlines = [BookingLineInline, BookingNoteInline]


@admin.register(BookingSeries)
class BookingSeriesAdmin(admin.ModelAdmin):
    list_display = (
        "public_id",
        "business",
        "customer_first_name",
        "customer_last_name",
        "frequency",
        "status",
        "first_date",
        "generated_until",
    )
    list_filter = ("status", "frequency")
    list_select_related = ("business",)
    search_fields = ("public_id", "customer_first_name", "customer_last_name", "customer_email")
    raw_id_fields = ("business", "created_by")
    readonly_fields = ("public_id", "generated_until", "created_at", "updated_at")


class InvoiceLineInline(admin.TabularInline):
    model = InvoiceLine
    extra = 0


class PaymentInline(admin.TabularInline):
    model = Payment
    extra = 0
    readonly_fields = ("amount", "method", "paid_on", "reference", "recorded_by", "created_at")
    can_delete = False


@admin.register(Invoice)
class InvoiceAdmin(admin.ModelAdmin):
    list_display = (
        "number",
        "public_id",
        "business",
        "bill_to_name",
        "issue_date",
        "due_date",
        "status",
        "total",
        "amount_paid",
    )
    list_filter = ("status",)
    list_select_related = ("business",)
    search_fields = ("number", "public_id", "bill_to_name", "bill_to_email", "booking__public_id")
    raw_id_fields = ("business", "booking")
    readonly_fields = (
        "public_id",
        "number",
        "sequence",
        "subtotal",
        "tax",
        "total",
        "amount_paid",
        "pdf_file",
        "created_at",
        "updated_at",
    )
    inlines = [InvoiceLineInline, PaymentInline]


@admin.register(Payment)
class PaymentAdmin(admin.ModelAdmin):
    list_display = ("invoice", "amount", "method", "paid_on", "reference")
    list_filter = ("method",)
    list_select_related = ("invoice",)
    search_fields = ("invoice__number", "reference")
    raw_id_fields = ("invoice", "recorded_by")

    def has_change_permission(self, request, obj=None):
        # Payments change invoice totals: record them in the app, not here.
        return False


@admin.register(InvoiceCounter)
class InvoiceCounterAdmin(admin.ModelAdmin):
    list_display = ("business", "last_number")
    readonly_fields = ("business", "last_number")


@admin.register(BookingLine)
class BookingLineAdmin(admin.ModelAdmin):
    list_display = ("booking", "description", "quantity", "unit_price", "amount")
    list_select_related = ("booking",)
    raw_id_fields = ("booking",)


@admin.register(BookingNote)
class BookingNoteAdmin(admin.ModelAdmin):
    list_display = ("booking", "created_at", "message")
    list_select_related = ("booking",)
    raw_id_fields = ("booking", "user")


@admin.register(InvoiceLine)
class InvoiceLineAdmin(admin.ModelAdmin):
    list_display = ("invoice", "description", "quantity", "unit_price", "amount")
    list_select_related = ("invoice",)
    raw_id_fields = ("invoice",)
