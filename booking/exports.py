"""CSV exports of the bookings, invoices and customers lists, as filtered.

Rows are read with `.iterator(chunk_size=…)` as the response is sent
(`core.spreadsheets.csv_response`, which neutralises every cell), so an
export of 50,000 rows never holds them all in memory."""

from django.db.models import Count, Prefetch

from core.phones import format_phone

from .models import Payment

CHUNK = 2000

BOOKING_COLUMNS = [
    "booking_id",
    "status",
    "start",
    "duration_minutes",
    "customer_id",
    "first_name",
    "last_name",
    "email",
    "phone",
    "company",
    "address",
    "city",
    "state",
    "zip_code",
    "service_type",
    "bedrooms",
    "bathrooms",
    "square_feet",
    "subtotal",
    "tax",
    "total",
    "source",
    "special_requests",
    "created_at",
]


BOOKING_FIELDS = (
    "public_id",
    "status",
    "start",
    "duration_minutes",
    "customer_first_name",
    "customer_last_name",
    "customer_email",
    "customer_phone",
    "customer_company",
    "address",
    "city",
    "state",
    "zip_code",
    "service_type",
    "bedrooms",
    "bathrooms",
    "square_feet",
    "subtotal",
    "tax",
    "total",
    "source",
    "special_requests",
    "created_at",
)


def _local(value, tz):
    return value.astimezone(tz).strftime("%Y-%m-%d %H:%M") if value else ""


def booking_rows(queryset, business):
    tz = business.tzinfo
    queryset = queryset.select_related(None).select_related("customer")
    queryset = queryset.only(*BOOKING_FIELDS, "customer__public_id")
    for b in queryset.iterator(chunk_size=CHUNK):
        yield [
            b.public_id,
            b.status,
            _local(b.start, tz),
            b.duration_minutes,
            b.customer.public_id if b.customer_id else "",
            b.customer_first_name,
            b.customer_last_name,
            b.customer_email,
            format_phone(b.customer_phone, business),
            b.customer_company,
            b.address,
            b.city,
            b.state,
            b.zip_code,
            b.service_type,
            b.bedrooms,
            b.bathrooms,
            b.square_feet,
            b.subtotal,
            b.tax,
            b.total,
            b.source,
            b.special_requests,
            _local(b.created_at, tz),
        ]


INVOICE_COLUMNS = [
    "invoice_id",
    "number",
    "status",
    "booking_id",
    "customer_id",
    "bill_to_name",
    "bill_to_company",
    "bill_to_email",
    "bill_to_phone",
    "issue_date",
    "due_date",
    "subtotal",
    "discount",
    "tax",
    "total",
    "amount_paid",
    "amount_due",
    "payments",
]


def _payments_text(invoice):
    return "; ".join(
        f"{p.paid_on:%Y-%m-%d} {p.amount} {p.method}{f' {p.reference}' if p.reference else ''}"
        for p in invoice.payments.all()
    )


def invoice_rows(queryset, business):
    """One row per invoice, its payments in one cell ("date amount method
    reference; …"); payments are read per chunk of invoices, not per invoice."""
    queryset = queryset.select_related("booking__customer").prefetch_related(
        Prefetch("payments", queryset=Payment.objects.order_by("paid_on", "pk"))
    )
    for invoice in queryset.iterator(chunk_size=CHUNK):
        invoice.business = business
        yield [
            invoice.public_id,
            invoice.number,
            invoice.display_status,
            invoice.booking.public_id,
            invoice.booking.customer.public_id if invoice.booking.customer_id else "",
            invoice.bill_to_name,
            invoice.bill_to_company,
            invoice.bill_to_email,
            format_phone(invoice.bill_to_phone, business),
            invoice.issue_date or "",
            invoice.due_date or "",
            invoice.subtotal,
            invoice.discount,
            invoice.tax,
            invoice.total,
            invoice.amount_paid,
            invoice.amount_due,
            _payments_text(invoice),
        ]


CUSTOMER_COLUMNS = [
    "customer_id",
    "name",
    "email",
    "phone",
    "company",
    "archived",
    "reminders",
    "addresses",
    "next_booking",
    "balance_due",
    "lifetime_revenue",
    "notes",
    "created_at",
]


def customer_rows(queryset, business):
    """One row per customer (the list's annotations: next booking, balance due,
    revenue); the address count is a further annotation, not a query per row."""
    tz = business.tzinfo
    queryset = queryset.annotate(address_count=Count("addresses", distinct=True))
    for c in queryset.iterator(chunk_size=CHUNK):
        yield [
            c.public_id,
            c.name,
            c.email,
            format_phone(c.phone, business),
            c.company,
            "yes" if c.archived else "no",
            "yes" if c.reminders_enabled else "no",
            c.address_count,
            _local(c.next_booking, tz),
            c.balance_due,
            c.revenue,
            c.notes,
            _local(c.created_at, tz),
        ]
