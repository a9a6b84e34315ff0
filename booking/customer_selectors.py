"""Customers with their bookings, invoices and payments: the reads of the
customer pages (the customer model and its matching live in `customers`,
below bookings; these reads need the bookings, so they live here).

Every figure is a subquery or an aggregate: a page of customers or one
customer's page costs the same number of queries whatever the rows."""

from decimal import Decimal

from django.db.models import (
    Count,
    DecimalField,
    Exists,
    F,
    Min,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from core.phones import phone_search_q
from customers.models import Customer, CustomerAddress

from .models import OPEN_INVOICE_STATUSES, Booking, BookingStatus, Invoice, InvoiceStatus, Payment

ZERO = Decimal("0.00")
MONEY_OUT = DecimalField(max_digits=14, decimal_places=2)
DETAIL_ROWS = 25


def _per_customer(queryset, expression):
    """A subquery of one value per customer (`OuterRef("pk")`) aggregated over
    `queryset`, 0 when the customer has no rows."""
    value = (
        queryset.order_by()
        .values("booking__customer" if queryset.model is Invoice else "customer")
        .annotate(value=expression)
        .values("value")
    )
    return Coalesce(Subquery(value, output_field=MONEY_OUT), Value(ZERO), output_field=MONEY_OUT)


def upcoming_q(now=None):
    return Q(status=BookingStatus.SCHEDULED, start__gte=now or timezone.now())


def balance_due_expression():
    invoices = Invoice.objects.filter(
        booking__customer=OuterRef("pk"), status__in=OPEN_INVOICE_STATUSES
    )
    return _per_customer(invoices, Sum(F("total") - F("amount_paid"), output_field=MONEY_OUT))


def revenue_expression():
    invoices = Invoice.objects.filter(booking__customer=OuterRef("pk")).exclude(
        status=InvoiceStatus.VOID
    )
    return _per_customer(invoices, Sum("amount_paid", output_field=MONEY_OUT))


def customers(business):
    """The business's customers for the list and its export (filtered and
    sorted by `booking.customer_filters.CustomerFilterSet`), each with its next
    booking, balance due and lifetime revenue (payments received)."""
    now = timezone.now()
    upcoming = Booking.objects.filter(upcoming_q(now), customer=OuterRef("pk"))
    next_start = (
        Booking.objects.filter(upcoming_q(now), customer=OuterRef("pk"))
        .order_by("start")
        .values("start")[:1]
    )
    open_balance = Invoice.objects.filter(
        booking__customer=OuterRef("pk"),
        status__in=OPEN_INVOICE_STATUSES,
        total__gt=F("amount_paid"),
    )
    return Customer.objects.filter(business=business).annotate(
        has_upcoming=Exists(upcoming),
        has_balance=Exists(open_balance),
        next_booking=Subquery(next_start),
        balance_due=balance_due_expression(),
        revenue=revenue_expression(),
    )


def customer_figures(customer):
    """Bookings count, upcoming count, balance due and lifetime revenue: two queries."""
    bookings = Booking.objects.filter(customer=customer).aggregate(
        bookings=Count("pk"),
        upcoming=Count("pk", filter=upcoming_q()),
        first=Min("start"),
    )
    invoices = Invoice.objects.filter(booking__customer=customer).aggregate(
        balance_due=Coalesce(
            Sum(
                F("total") - F("amount_paid"),
                filter=Q(status__in=OPEN_INVOICE_STATUSES),
                output_field=MONEY_OUT,
            ),
            ZERO,
            output_field=MONEY_OUT,
        ),
        revenue=Coalesce(
            Sum("amount_paid", filter=~Q(status=InvoiceStatus.VOID), output_field=MONEY_OUT),
            ZERO,
            output_field=MONEY_OUT,
        ),
        invoices=Count("pk"),
    )
    return {**bookings, **invoices}


def customer_page(customer):
    """Everything the customer's page shows, in a fixed number of queries."""
    now = timezone.now()
    bookings = Booking.objects.filter(customer=customer).select_related("service_address")
    upcoming = list(bookings.filter(upcoming_q(now)).order_by("start", "pk")[:DETAIL_ROWS])
    past = list(bookings.exclude(upcoming_q(now)).order_by("-start", "-pk")[:DETAIL_ROWS])
    invoices = list(
        Invoice.objects.filter(booking__customer=customer)
        .select_related("booking")
        .order_by("-created_at", "-pk")[:DETAIL_ROWS]
    )
    for invoice in invoices:
        invoice.business = customer.business
    payments = list(
        Payment.objects.filter(invoice__booking__customer=customer)
        .select_related("invoice")
        .order_by("-paid_on", "-pk")[:DETAIL_ROWS]
    )
    leads = list(customer.leads.order_by("-created_at", "-pk")[:DETAIL_ROWS])
    activities = list(customer.activities.select_related("user")[:DETAIL_ROWS])
    return {
        "addresses": list(customer.addresses.all()),
        "upcoming": upcoming,
        "past": past,
        "invoices": invoices,
        "payments": payments,
        "leads": leads,
        "figures": customer_figures(customer),
        "timeline": timeline(customer, upcoming + past, invoices, payments, leads, activities),
    }


def timeline(customer, bookings, invoices, payments, leads, activities):
    """The customer's history, newest first, from rows already read: their own
    entries, bookings made, invoices issued, payments received and leads."""
    tz = customer.business.tzinfo
    entries = []
    for activity in activities:
        entries.append(
            {"when": activity.created_at, "icon": "bi-person", "text": activity.message, "url": ""}
        )
    for booking in bookings:
        entries.append(
            {
                "when": booking.created_at,
                "icon": "bi-calendar-plus",
                "text": (
                    f"Booking {booking.public_id} made ({booking.get_source_display().lower()})."
                ),
                "url": f"/booking/detail/{booking.public_id}/",
            }
        )
    for invoice in invoices:
        entries.append(
            {
                "when": invoice.created_at,
                "icon": "bi-receipt",
                "text": f"Invoice {invoice.label} created.",
                "url": f"/booking/invoices/detail/{invoice.public_id}/",
            }
        )
    for payment in payments:
        entries.append(
            {
                "when": timezone.make_aware(
                    timezone.datetime.combine(payment.paid_on, timezone.datetime.min.time()), tz
                ),
                "icon": "bi-cash-coin",
                "text": f"Payment received on invoice {payment.invoice.label}.",
                "amount": payment.amount,
                "url": f"/booking/invoices/detail/{payment.invoice.public_id}/",
            }
        )
    for lead in leads:
        entries.append(
            {
                "when": lead.created_at,
                "icon": "bi-person-lines-fill",
                "text": f"Lead {lead.public_id} received ({lead.get_source_display().lower()}).",
                "url": f"/leads/{lead.public_id}/",
            }
        )
    entries.sort(key=lambda entry: entry["when"], reverse=True)
    return entries[: DETAIL_ROWS * 2]


def merge_candidates(customer, term):
    """Other customers of the business matching `term` (for the merge page)."""
    queryset = Customer.objects.filter(business=customer.business).exclude(pk=customer.pk)
    term = (term or "").strip()
    if not term:
        return []
    condition = (
        Q(name__icontains=term)
        | Q(email__icontains=term)
        | Q(company__icontains=term)
        | Q(public_id__iexact=term)
    )
    phone = phone_search_q("phone", term, business=customer.business)
    if phone is not None:
        condition |= phone
    return list(queryset.filter(condition).order_by("name", "pk")[:20])


def customer_search(business, term, limit=8):
    """Customers for the booking form's picker, with their addresses (two queries)."""
    term = (term or "").strip()
    if len(term) < 2:
        return []
    condition = Q(name__icontains=term) | Q(email__icontains=term) | Q(company__icontains=term)
    phone = phone_search_q("phone", term, business=business)
    if phone is not None:
        condition |= phone
    return list(
        Customer.objects.filter(business=business, archived=False)
        .filter(condition)
        .prefetch_related(Prefetch("addresses", queryset=CustomerAddress.objects.order_by("-pk")))
        .order_by("name", "pk")[:limit]
    )
