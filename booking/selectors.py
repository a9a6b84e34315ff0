"""Tenant-scoped reads and summaries for bookings and invoices."""

from decimal import Decimal

from django.db.models import Case, Count, DecimalField, F, Q, Sum, Value, When
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone

from core.phones import phone_search_q
from core.time import day_bounds, start_of_day

from .models import OPEN_INVOICE_STATUSES, Booking, BookingStatus, Invoice, InvoiceStatus

ZERO = Decimal("0.00")
MONEY_OUT = DecimalField(max_digits=12, decimal_places=2)


# --- Bookings -------------------------------------------------------------------


def booking_list(
    business, *, q="", status="", service_type="", date_from=None, date_to=None, sort=""
):
    qs = Booking.objects.filter(business=business)
    if q:
        q = q.strip()
        terms = Q(public_id__iexact=q) | Q(customer_email__icontains=q)
        terms |= Q(customer_company__icontains=q)
        for word in q.split()[:4]:
            terms |= Q(customer_first_name__icontains=word) | Q(customer_last_name__icontains=word)
        phone = phone_search_q("customer_phone", q, business=business)
        if phone is not None:
            terms |= phone
        if q.upper().startswith("BK"):
            terms |= Q(public_id__icontains=q)
        qs = qs.filter(terms)
    if status:
        qs = qs.filter(status=status)
    if service_type:
        qs = qs.filter(service_type=service_type)
    if date_from:
        qs = qs.filter(start__gte=start_of_day(date_from, business.tzinfo))
    if date_to:
        qs = qs.filter(start__lt=day_bounds(business.tzinfo, date_to)[1])
    if sort == "start":
        return qs.order_by("start", "pk")
    if sort == "-start":
        return qs.order_by("-start", "-pk")
    if sort == "-total":
        return qs.order_by("-total", "-start")
    if sort == "customer":
        return qs.order_by("customer_first_name", "customer_last_name", "start")
    if sort == "-created":
        return qs.order_by("-created_at", "-pk")
    # Upcoming first (soonest first), then the past (most recent first).
    now = timezone.now()
    return qs.annotate(
        past=Case(When(start__gte=now, then=Value(0)), default=Value(1)),
        upcoming_start=Case(When(start__gte=now, then=F("start")), default=None),
    ).order_by("past", F("upcoming_start").asc(nulls_last=True), "-start", "-pk")


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


# --- Invoices -------------------------------------------------------------------


def _overdue_q(today):
    return Q(status__in=OPEN_INVOICE_STATUSES, due_date__lt=today)


def invoice_list(business, *, q="", status="", date_from=None, date_to=None, sort=""):
    qs = Invoice.objects.filter(business=business).select_related("booking")
    today = business.today()
    if q:
        q = q.strip()
        terms = Q(number__icontains=q) | Q(public_id__iexact=q) | Q(booking__public_id__iexact=q)
        terms |= Q(bill_to_email__icontains=q) | Q(bill_to_company__icontains=q)
        for word in q.split()[:4]:
            terms |= Q(bill_to_name__icontains=word)
        qs = qs.filter(terms)
    if status == "open":
        qs = qs.filter(status__in=OPEN_INVOICE_STATUSES)
    elif status == "overdue":
        qs = qs.filter(_overdue_q(today))
    elif status in (InvoiceStatus.UNPAID, InvoiceStatus.PARTIALLY_PAID):
        qs = qs.filter(status=status).exclude(due_date__lt=today)
    elif status:
        qs = qs.filter(status=status)
    if date_from:
        qs = qs.filter(issue_date__gte=date_from)
    if date_to:
        qs = qs.filter(issue_date__lte=date_to)
    order = {
        "due": ("due_date", "pk"),
        "number": ("-sequence", "-pk"),
        "-total": ("-total", "-pk"),
    }.get(sort, ("-created_at", "-pk"))
    return qs.order_by(*order)


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
            Sum(due, filter=_overdue_q(today), output_field=MONEY_OUT), ZERO, output_field=MONEY_OUT
        ),
        open_count=Count("pk", filter=open_q),
        overdue_count=Count("pk", filter=_overdue_q(today)),
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
