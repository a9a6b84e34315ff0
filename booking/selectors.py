"""Tenant-scoped reads and summaries for bookings and invoices."""

from datetime import timedelta
from decimal import Decimal

from django.db import connection
from django.db.models import Count, DecimalField, F, Q, Sum, Window
from django.db.models.functions import Coalesce, RowNumber, TruncDate, TruncMonth
from django.urls import reverse
from django.utils import timezone

from account import kinds
from core.time import as_date, day_bounds, month_starts, week_start

from .models import OPEN_INVOICE_STATUSES, Booking, BookingStatus, Invoice, Payment

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


def calendar_days(business, days, per_day, member=None):
    """{day: (its first `per_day` bookings in time order, how many it has)} for
    the days (in the business's time zone) that have bookings (of `member`, a
    membership, when given). Two queries
    whatever the volume: the number per day (counted on the (business, start)
    index) and the first rows of each day (on PostgreSQL one index range per
    day, UNION ALL, so a busy month costs what a quiet one does; elsewhere
    numbered with a window function)."""
    days = list(days)
    if not days:
        return {}
    tz = business.tzinfo
    start, end = day_bounds(tz, days[0], days[-1])

    def of_member(queryset):
        return queryset if member is None else queryset.filter(assignees=member)

    totals = dict(
        of_member(Booking.objects.filter(business=business, start__gte=start, start__lt=end))
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
        firsts = [
            of_member(bookings_between(business, *day_bounds(tz, day)))[:per_day] for day in busy
        ]
        rows = list(firsts[0].union(*firsts[1:], all=True))
    else:
        # SQLite: no LIMIT inside UNION; number each day's rows instead.
        local_day = TruncDate("start", tzinfo=tz)
        rows = list(
            of_member(bookings_between(business, start, end))
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

DOMAIN = kinds.HOME_SERVICES  # the dashboard and checklist of home-services businesses
CHART_MONTHS = 12


def booking_figures(business, today):
    """Bookings today and this week (Monday to Sunday, the business's days),
    this week's scheduled and completed, and the upcoming: one query."""
    tz = business.tzinfo
    today_start, today_end = day_bounds(tz, today)
    monday = week_start(today)
    week_from, week_to = day_bounds(tz, monday, monday + timedelta(days=6))
    not_cancelled = ~Q(status=BookingStatus.CANCELLED)
    this_week = Q(start__gte=week_from, start__lt=week_to)
    figures = Booking.objects.filter(business=business).aggregate(
        today=Count("pk", filter=Q(start__gte=today_start, start__lt=today_end) & not_cancelled),
        week=Count("pk", filter=this_week & not_cancelled),
        week_scheduled=Count("pk", filter=this_week & Q(status=BookingStatus.SCHEDULED)),
        week_completed=Count("pk", filter=this_week & Q(status=BookingStatus.COMPLETED)),
        upcoming=Count("pk", filter=Q(status=BookingStatus.SCHEDULED, start__gte=today_end)),
    )
    figures["week_from"], figures["week_to"] = monday, monday + timedelta(days=6)
    return figures


def revenue_by_month(business, today, months=CHART_MONTHS):
    """[(first day of the month, payments received)] for the last `months`
    months (zero when none), in one grouped query."""
    starts = month_starts(today, months)
    rows = (
        Payment.objects.filter(invoice__business=business, paid_on__gte=starts[0])
        .annotate(month=TruncMonth("paid_on"))
        .order_by()
        .values("month")
        .annotate(total=Sum("amount"))
    )
    totals = {as_date(row["month"]): row["total"] for row in rows}
    return [(start, totals.get(start, ZERO)) for start in starts]


def dashboard(business, user):
    """Home services at a glance: five queries whatever the number of rows."""
    today = business.today()
    today_start, today_end = day_bounds(business.tzinfo, today)
    todays = list(
        bookings_between(business, today_start, today_end).exclude(
            status__in=[BookingStatus.CANCELLED, BookingStatus.SKIPPED]
        )[:10]
    )
    figures = booking_figures(business, today)
    revenue = revenue_by_month(business, today)
    month_start = today.replace(day=1)
    return {
        "order": 10,
        "charts": True,
        "template": "booking/_dashboard.html",
        "context": {
            "todays_bookings": todays,
            "upcoming_count": figures["upcoming"],
            "figures": figures,
            "today": today,
            "invoice_totals": invoice_totals(business),
            "revenue_this_month": revenue[-1][1],
            "month_start": month_start,
            "month_end": month_starts(month_start + timedelta(days=32), 1)[0] - timedelta(days=1),
            "revenue": revenue,
            "revenue_chart": {
                "labels": [start.strftime("%b %Y") for start, _ in revenue],
                "values": [float(value) for _, value in revenue],
                "currency": business.currency,
                "label": "Payments received",
            },
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
