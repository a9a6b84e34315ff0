"""The filters of the restaurants list and its CSV export (`core.filters`)."""

import django_filters
from django import forms
from django.db.models import F

from core.filters import ListFilterSet, SearchFilter, SortFilter
from restaurants.models import RestaurantStatus

from . import selectors
from .forms import person_label

UNASSIGNED = "none"

RESTAURANT_ORDERS = {
    "": ("Name", ("name", "id")),
    "-name": ("Name, Z to A", ("-name", "-id")),
    "city": ("City", ("city", "name", "id")),
    "status": ("Status", ("status", "name", "id")),
    "next_call": (
        "Next call, soonest first",
        (F("call_plan__next_call_date").asc(nulls_last=True), "id"),
    ),
    "-created": ("Recently added", ("-created_at", "-id")),
}


class AssigneeFilter(django_filters.ChoiceFilter):
    """`?assigned_to=`: a user of the business by id, "me", or "none"."""

    def filter(self, qs, value):
        if value in (None, ""):
            return qs
        if value == UNASSIGNED:
            return qs.filter(assigned_to__isnull=True)
        if value == "me":
            return qs.filter(assigned_to=self.parent.request.user)
        return qs.filter(assigned_to_id=int(value))


class RestaurantFilterSet(ListFilterSet):
    q = SearchFilter(
        placeholder="Name, city or phone",
        contains=("name", "city"),
        phone="phone",
    )
    status = django_filters.ChoiceFilter(
        choices=RestaurantStatus.choices, empty_label="Any status", label="Status"
    )
    assigned_to = AssigneeFilter(label="Account manager", empty_label="Anyone")
    city = django_filters.CharFilter(
        lookup_expr="iexact",
        label="City",
        max_length=100,
        widget=forms.TextInput(attrs={"list": "restaurant-cities", "autocomplete": "off"}),
    )
    sort = SortFilter(RESTAURANT_ORDERS)

    def __init__(self, data, queryset, *, business, request=None, people=None):
        super().__init__(data, queryset, business=business, request=request)
        people = selectors.people(business) if people is None else people
        self.filters["assigned_to"].extra["choices"] = [
            ("me", "Me"),
            (UNASSIGNED, "Nobody"),
            *((str(user.pk), person_label(user)) for user in people),
        ]
