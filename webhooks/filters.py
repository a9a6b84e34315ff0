"""The filters of the webhook inbox (`core.filters`)."""

import django_filters

from core.filters import ListFilterSet

from .models import WebhookEvent


class EventFilterSet(ListFilterSet):
    source = django_filters.ChoiceFilter(
        choices=WebhookEvent.Source.choices, empty_label="Any source", label="Source"
    )
    status = django_filters.ChoiceFilter(
        choices=WebhookEvent.Status.choices, empty_label="Any status", label="Status"
    )
