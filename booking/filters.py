"""The filters of the bookings and invoices lists (`core.filters`)."""

import django_filters
from django.db.models import Exists, OuterRef, Value
from django.utils import timezone

from account.models import ServiceType
from core import time as local_time
from core.filters import DATE_WIDGET, DayFilter, ListFilterSet, SearchFilter, SortFilter
from core.pagination import Chain

from .models import OPEN_INVOICE_STATUSES, BookingStatus, InvoiceStatus, Payment
from .selectors import overdue_q


def upcoming_first(queryset):
    """Upcoming bookings (soonest first), then the past (most recent first);
    `past` (0 or 1) marks where the past begins. Two queries, each in the
    order of the (business, start) index, chained (`core.pagination.Chain`),
    so a page costs the same however many bookings there are."""
    now = timezone.now()
    return Chain(
        queryset.filter(start__gte=now).annotate(past=Value(0)).order_by("start", "pk"),
        queryset.filter(start__lt=now).annotate(past=Value(1)).order_by("-start", "-pk"),
    )


BOOKING_ORDERS = {
    "": ("Upcoming first", upcoming_first),
    "start": ("Date, oldest first", ("start", "pk")),
    "-start": ("Date, newest first", ("-start", "-pk")),
    "-total": ("Total, highest first", ("-total", "-start")),
    "customer": ("Customer name", ("customer_first_name", "customer_last_name", "start")),
    "-created": ("Recently added", ("-created_at", "-pk")),
}


class BookingFilterSet(ListFilterSet):
    q = SearchFilter(
        placeholder="Name, email, phone or booking ID",
        exact=("public_id",),
        contains=("customer_email", "customer_company"),
        words=("customer_first_name", "customer_last_name"),
        ids={"public_id": "BK"},
        phone="customer_phone",
    )
    status = django_filters.ChoiceFilter(
        choices=BookingStatus.choices, empty_label="All statuses", label="Status"
    )
    service_type = django_filters.ChoiceFilter(
        choices=ServiceType.choices, empty_label="All services", label="Service"
    )
    date_from = DayFilter("start", bound="from", label="From")
    date_to = DayFilter("start", bound="to", label="To")
    sort = SortFilter(BOOKING_ORDERS)


INVOICE_STATUSES = [
    ("open", "Open (not fully paid)"),
    *InvoiceStatus.choices[:3],
    ("overdue", "Overdue"),
    *InvoiceStatus.choices[3:],
]

INVOICE_ORDERS = {
    "": ("Newest first", ("-created_at", "-pk")),
    "due": ("Due date", ("due_date", "pk")),
    "number": ("Number", ("-sequence", "-pk")),
    "-total": ("Total, highest first", ("-total", "-pk")),
}


class PaymentDayFilter(django_filters.Filter):
    """A day a payment was received on (`InvoiceFilterSet.by_payment`)."""

    field_class = local_time.DateField


class InvoiceFilterSet(ListFilterSet):
    q = SearchFilter(
        placeholder="Number, customer, email or booking ID",
        exact=("public_id", "booking__public_id"),
        contains=("number", "bill_to_email", "bill_to_company"),
        words=("bill_to_name",),
    )
    status = django_filters.ChoiceFilter(
        choices=INVOICE_STATUSES, empty_label="All statuses", label="Status", method="by_status"
    )
    sort = SortFilter(INVOICE_ORDERS)
    date_from = DayFilter("issue_date", bound="from", label="Issued from")
    date_to = DayFilter("issue_date", bound="to", label="Issued to")
    paid_from = PaymentDayFilter(widget=DATE_WIDGET, label="Paid from", method="by_payment")
    paid_to = PaymentDayFilter(widget=DATE_WIDGET, label="Paid to", method="by_payment")

    def by_payment(self, queryset, name, value):
        """Invoices with a payment received between `paid_from` and `paid_to`
        (the dashboard's "revenue this month")."""
        data = self.form.cleaned_data
        payments = Payment.objects.filter(invoice=OuterRef("pk"))
        if data.get("paid_from"):
            payments = payments.filter(paid_on__gte=data["paid_from"])
        if data.get("paid_to"):
            payments = payments.filter(paid_on__lte=data["paid_to"])
        return queryset.filter(Exists(payments))

    def by_status(self, queryset, name, value):
        """Status "open" is every invoice not fully paid; "overdue" the open ones past
        their due date, which "unpaid" and "partially paid" leave out."""
        today = self.business.today()
        if value == "open":
            return queryset.filter(status__in=OPEN_INVOICE_STATUSES)
        if value == "overdue":
            return queryset.filter(overdue_q(today))
        if value in (InvoiceStatus.UNPAID, InvoiceStatus.PARTIALLY_PAID):
            return queryset.filter(status=value).exclude(due_date__lt=today)
        return queryset.filter(status=value)
