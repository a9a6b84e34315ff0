"""Tenant-scoped reads and summaries for bookings and invoices."""

from decimal import Decimal

from django.db.models import Count, DecimalField, F, Q, Sum
from django.db.models.functions import Coalesce
from django.urls import reverse

from core.time import day_bounds

from .models import OPEN_INVOICE_STATUSES, Booking, BookingStatus, Invoice

ZERO = Decimal("0.00")
MONEY_OUT = DecimalField(max_digits=12, decimal_places=2)


# --- Bookings -------------------------------------------------------------------


def bookings(business):
    """The business's bookings, for the list (filtered and sorted by
    `booking.filters.BookingFilterSet`)."""
    return Booking.objects.filter(business=business).select_related("series")


def booking_counts(business):
    return Booking.objects.filter(business=business).aggregate(
        total=Count("pk"),
        scheduled=Count("pk", filter=Q(status=BookingStatus.SCHEDULED)),
        completed=Count("pk", filter=Q(status=BookingStatus.COMPLETED)),
        cancelled=Count("pk", filter=Q(status=BookingStatus.CANCELLED)),
        skipped=Count("pk", filter=Q(status=BookingStatus.SKIPPED)),
    )


def booking_detail(business, public_id):
    from account.tenancy import get_for_business

    return get_for_business(
        Booking.objects.select_related(
            "business",
            "lead",
            "created_by",
            "started_by",
            "completed_by",
            "customer",
            "service_address",
            "series",
        ),
        business,
        public_id=public_id,
    )


def bookings_between(business, start, end):
    """Non-deleted bookings starting in [start, end), in time order (calendar)."""
    return (
        Booking.objects.filter(business=business, start__gte=start, start__lt=end)
        .select_related("series")
        .order_by("start", "pk")
    )


# --- Invoices -------------------------------------------------------------------


def overdue_q(today):
    """Open invoices whose due date has passed."""
    return Q(status__in=OPEN_INVOICE_STATUSES, due_date__lt=today)


def invoices(business):
    """The business's invoices with their bookings, for the list (filtered and
    sorted by `booking.filters.InvoiceFilterSet`)."""
    return Invoice.objects.filter(business=business).select_related("booking")


def invoice_totals(business):
    """Outstanding and overdue amounts (total − paid of open invoices), one query."""
    today = business.today()
    due = F("total") - F("amount_paid")
    open_q = Q(status__in=OPEN_INVOICE_STATUSES)
    result = Invoice.objects.filter(business=business).aggregate(
        outstanding=Coalesce(
            Sum(due, filter=open_q, output_field=MONEY_OUT), ZERO, output_field=MONEY_OUT
        ),
        overdue=Coalesce(
            Sum(due, filter=overdue_q(today), output_field=MONEY_OUT), ZERO, output_field=MONEY_OUT
        ),
        open_count=Count("pk", filter=open_q),
        overdue_count=Count("pk", filter=overdue_q(today)),
    )
    return result


# --- Home dashboard -------------------------------------------------------------


def dashboard(business, user):
    today_start, today_end = day_bounds(business.tzinfo, business.today())
    todays = list(
        bookings_between(business, today_start, today_end).exclude(
            status__in=[BookingStatus.CANCELLED, BookingStatus.SKIPPED]
        )[:10]
    )
    upcoming = Booking.objects.filter(
        business=business, status=BookingStatus.SCHEDULED, start__gte=today_end
    ).count()
    return {
        "order": 10,
        "template": "booking/_dashboard.html",
        "context": {
            "todays_bookings": todays,
            "upcoming_count": upcoming,
            "invoice_totals": invoice_totals(business),
            "currency": business.currency,
        },
    }


def checklist(business):
    return [
        {
            "order": 50,
            "label": "Make your first booking",
            "done": Booking.objects.filter(business=business).exists(),
            "url": reverse("booking:create"),
        }
    ]
