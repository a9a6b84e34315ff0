"""The filters of the customers list (`core.filters`)."""

import django_filters
from django.db.models import F

from core.filters import ListFilterSet, SearchFilter, SortFilter

YES_NO = [("yes", "Yes"), ("no", "No")]
ARCHIVE_CHOICES = [("archived", "Archived"), ("all", "Active and archived")]

CUSTOMER_ORDERS = {
    "": ("Name", ("name", "pk")),
    "-name": ("Name, Z to A", ("-name", "-pk")),
    "next": ("Next booking", (F("next_booking").asc(nulls_last=True), "name", "pk")),
    "-balance": ("Balance due, highest first", ("-balance_due", "name", "pk")),
    "-revenue": ("Lifetime revenue, highest first", ("-revenue", "name", "pk")),
    "-created": ("Recently added", ("-created_at", "-pk")),
}


class CustomerFilterSet(ListFilterSet):
    q = SearchFilter(
        placeholder="Name, email, phone or company",
        exact=("public_id",),
        contains=("email", "company", "name"),
        words=("name",),
        ids={"public_id": "CU"},
        phone="phone",
    )
    upcoming = django_filters.ChoiceFilter(
        choices=YES_NO, empty_label="Any", label="Upcoming booking", method="by_upcoming"
    )
    balance = django_filters.ChoiceFilter(
        choices=YES_NO, empty_label="Any", label="Balance due", method="by_balance"
    )
    archived = django_filters.ChoiceFilter(
        choices=ARCHIVE_CHOICES, empty_label="Active", label="Show", method="by_archived"
    )
    sort = SortFilter(CUSTOMER_ORDERS)

    def by_upcoming(self, queryset, name, value):
        return queryset.filter(has_upcoming=value == "yes")

    def by_balance(self, queryset, name, value):
        return queryset.filter(has_balance=value == "yes")

    def by_archived(self, queryset, name, value):
        if value == "all":
            return queryset
        return queryset.filter(archived=True)

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        if not self.cleaned().get("archived"):
            queryset = queryset.filter(archived=False)
        return queryset
