"""Tenant-scoped reads and summaries for bookings and invoices."""

from decimal import Decimal

from django.db import connection
from django.db.models import Count, DecimalField, F, Q, Sum, Window
from django.db.models.functions import Coalesce, RowNumber, TruncDate
from django.urls import reverse
from django.utils import timezone

from core.time import day_bounds

from .models import OPEN_INVOICE_STATUSES, Booking, BookingStatus, Invoice

ZERO = Decimal("0.00")
MONEY_OUT = DecimalField(max_digits=12, decimal_places=2)


# --- Bookings -------------------------------------------------------------------


def bookings(business):
    """The business's bookings, for the list (filtered and sorted by
    `booking.filters.BookingFilterSet`)."""
    return Booking.objects.filter(business=business)


def booking_counts(business):
    return Booking.objects.filter(business=business).aggregate(
        total=Count("pk"),
        scheduled=Count("pk", filter=Q(status=BookingStatus.SCHEDULED)),
        completed=Count("pk", filter=Q(status=BookingStatus.COMPLETED)),
        cancelled=Count("pk", filter=Q(status=BookingStatus.CANCELLED)),
    )


def booking_detail(business, public_id):
    from account.tenancy import get_for_business

    return get_for_business(
        Booking.objects.select_related("business", "lead", "created_by"),
        business,
        public_id=public_id,
    )


def bookings_between(business, start, end):
    """Non-deleted bookings starting in [start, end), in time order (calendar)."""
    return Booking.objects.filter(business=business, start__gte=start, start__lt=end).order_by(
        "start", "pk"
    )


def calendar_days(business, days, per_day):
    """{day: (its first `per_day` bookings in time order, how many it has)} for
    the days (in the business's time zone) that have bookings. Two queries
    whatever the volume: the number per day (counted on the (business, start)
    index) and the first rows of each day (on PostgreSQL one index range per
    day, UNION ALL, so a busy month costs what a quiet one does; elsewhere
    numbered with a window function)."""
    days = list(days)
    if not days:
        return {}
    tz = business.tzinfo
    start, end = day_bounds(tz, days[0], days[-1])
    totals = dict(
        Booking.objects.filter(business=business, start__gte=start, start__lt=end)
        .annotate(day=TruncDate("start", tzinfo=tz))
        .order_by()
        .values("day")
        .annotate(n=Count("pk"))
        .values_list("day", "n")
    )
    busy = [day for day in days if totals.get(day)]
    if not busy:
        rows = []
    elif connection.features.supports_slicing_ordering_in_compound:
        firsts = [bookings_between(business, *day_bounds(tz, day))[:per_day] for day in busy]
        rows = list(firsts[0].union(*firsts[1:], all=True))
    else:
        # SQLite: no LIMIT inside UNION; number each day's rows instead.
        local_day = TruncDate("start", tzinfo=tz)
        rows = list(
            bookings_between(business, start, end)
            .annotate(
                rank=Window(RowNumber(), partition_by=local_day, order_by=[F("start"), F("pk")])
            )
            .filter(rank__lte=per_day)
        )
    by_day = {day: [] for day in busy}
    for booking in sorted(rows, key=lambda b: (b.start, b.pk)):
        by_day.setdefault(timezone.localtime(booking.start, tz).date(), []).append(booking)
    return {day: (by_day.get(day, []), totals[day]) for day in busy}


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
        bookings_between(business, today_start, today_end).exclude(status=BookingStatus.CANCELLED)[
            :10
        ]
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
