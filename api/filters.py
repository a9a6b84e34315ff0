"""Query filters shared by the JSON API lists (django-filter)."""

from django import forms
from django_filters import rest_framework as filters


class IntegerFilter(filters.NumberFilter):
    """An id filter: whole numbers only; ids out of range simply match nothing."""

    field_class = forms.IntegerField

    def filter(self, qs, value):
        if value is not None and not (-(2**63) <= value < 2**63):
            return qs.none()
        return super().filter(qs, value)
