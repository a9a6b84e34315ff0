"""The filters of the leads list (`core.filters`)."""

import django_filters

from core.filters import DayFilter, ListFilterSet, SearchFilter

from .models import Lead


class LeadFilterSet(ListFilterSet):
    q = SearchFilter(
        placeholder="Name, phone or email",
        exact=("public_id",),
        contains=("name", "email"),
        phone="phone",
    )
    status = django_filters.ChoiceFilter(
        choices=Lead.Status.choices, empty_label="Any status", label="Status"
    )
    source = django_filters.ChoiceFilter(
        choices=Lead.Source.choices, empty_label="Any source", label="Source"
    )
    created_from = DayFilter("created_at", bound="from", label="Received from")
    created_to = DayFilter("created_at", bound="to", label="Received to")
