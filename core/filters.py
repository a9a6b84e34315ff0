"""The filters of the HTML list pages (django-filter), shared by every list.

A list page has one `ListFilterSet` subclass (in its app's `filters.py`) that
owns the filtering, its validation and the sort order; the page shows it with
the shared templates `includes/list_filters.html` (the filter bar),
`includes/list_table.html` (table, pages or empty state) and
`includes/sort_header.html` (sortable column headings, `core.templatetags.lists`).

- The search box is read by `core.search` and finds phones by the one rule,
  `core.phones.phone_search_q` (`SearchFilter`).
- Dates are days people type (`core.time.DateField`, 1900–2999); on a
  datetime column they mean the business's local day (`DayFilter`).
- `?sort=` is one of an explicit whitelist (`SortFilter`); anything else is an
  error and the list keeps its default order.
- A value that cannot be read is not applied, is shown next to the filter
  bar, and the page answers 400; the other filters still apply.
- The query parameters are the filters' names (`q`, `status`, `date_from`…), so
  bookmarked lists keep working.
"""

import django_filters
from django import forms
from django.db import models
from django.db.models import Q

from core import time as local_time
from core.phones import phone_search_q
from core.search import SearchField

# A search term is also split into its first few words (first and last names).
MAX_SEARCH_WORDS = 4
SEARCH_COLUMNS = "col-12 col-lg-4"
FILTER_COLUMNS = "col-6 col-md-4 col-lg-2"
DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class SearchFilter(django_filters.Filter):
    """`?q=`: the list's search box. A row matches when the term equals one of
    `exact` (ignoring case), is part of one of `contains`, one of its first
    four words is part of one of `words`, it is a partial ID in `ids`
    ({field: prefix}: "BK-Q5G" finds BK-Q5GWBZX5), or it is a phone search
    (`core.phones.phone_search_q`) matching `phone`."""

    field_class = SearchField

    def __init__(
        self, *, exact=(), contains=(), words=(), ids=None, phone=None, placeholder="", **kwargs
    ):
        kwargs.setdefault("label", "Search")
        kwargs.setdefault("widget", forms.SearchInput(attrs={"placeholder": placeholder}))
        super().__init__(**kwargs)
        self.exact, self.contains, self.words = exact, contains, words
        self.ids = ids or {}
        self.phone = phone

    def filter(self, qs, value):
        if not value:
            return qs
        condition = Q()
        for name in self.exact:
            condition |= Q(**{f"{name}__iexact": value})
        for name in self.contains:
            condition |= Q(**{f"{name}__icontains": value})
        for word in value.split()[:MAX_SEARCH_WORDS]:
            for name in self.words:
                condition |= Q(**{f"{name}__icontains": word})
        for name, prefix in self.ids.items():
            if value.upper().startswith(prefix):
                condition |= Q(**{f"{name}__icontains": value})
        if self.phone:
            phone = phone_search_q(self.phone, value, business=self.parent.business)
            if phone is not None:
                condition |= phone
        return qs.filter(condition)


class DayFilter(django_filters.Filter):
    """A day typed in the filter bar (`core.time.DateField`: 1900–2999).
    `bound="from"` keeps rows on or after it, `bound="to"` rows on or before
    it; on a datetime column the day is the business's local day."""

    field_class = local_time.DateField

    def __init__(self, field_name, *, bound, **kwargs):
        if bound not in ("from", "to"):
            raise ValueError(f"bound must be 'from' or 'to', not {bound!r}")
        kwargs.setdefault("widget", DATE_WIDGET)
        super().__init__(field_name, **kwargs)
        self.bound = bound

    def filter(self, qs, value):
        if value is None:
            return qs
        column = qs.model._meta.get_field(self.field_name)
        if isinstance(column, models.DateTimeField):
            start, end = local_time.day_bounds(self.parent.business.tzinfo, value)
            if self.bound == "from":
                return qs.filter(**{f"{self.field_name}__gte": start})
            return qs.filter(**{f"{self.field_name}__lt": end})
        lookup = "gte" if self.bound == "from" else "lte"
        return qs.filter(**{f"{self.field_name}__{lookup}": value})


class SortFilter(django_filters.Filter):
    """`?sort=`: one of the explicit whitelist `orders`, {value: (label,
    ordering)}, where "" is the default order and an ordering is a tuple of
    `order_by()` arguments or a function of the queryset. The default order
    also applies when the value is missing or not in the whitelist."""

    field_class = forms.ChoiceField

    def __init__(self, orders, **kwargs):
        if "" not in orders:
            raise ValueError("A sort whitelist needs a default order under ''.")
        self.orders = dict(orders)
        kwargs.setdefault("label", "Sort")
        kwargs["choices"] = [(value, label) for value, (label, _) in self.orders.items()]
        super().__init__(**kwargs)

    def label_for(self, value):
        return self.orders.get(value or "", self.orders[""])[0]

    def descending(self, value):
        """Whether the order `value` starts with the largest value first."""
        ordering = self.orders.get(value or "", self.orders[""])[1]
        first = ordering[0] if not callable(ordering) and ordering else ""
        return str(first).startswith("-")

    def filter(self, qs, value):
        ordering = self.orders.get(value or "", self.orders[""])[1]
        return ordering(qs) if callable(ordering) else qs.order_by(*ordering)


class ListFilterSet(django_filters.FilterSet):
    """The filters of one list page, read from the query string for one
    business (`business` gives the phone region and the local days).

    Always bound (an empty query string is a valid one), so the default order
    applies; a value that cannot be read is left out (`errors`) and makes
    `status_code` 400."""

    def __init__(self, data, queryset, *, business, request=None):
        self.business = business
        super().__init__(data if data is not None else {}, queryset, request=request)

    @property
    def form(self):
        if not hasattr(self, "_form"):
            form = super().form
            for name, field in form.fields.items():
                css = "form-select" if isinstance(field, forms.ChoiceField) else "form-control"
                if name in form.errors:
                    css += " is-invalid"
                field.widget.attrs["class"] = css
        return self._form

    def cleaned(self):
        """The values that could be read, by filter name."""
        self.form.is_valid()
        return self.form.cleaned_data

    def filter_queryset(self, queryset):
        # Like django-filter's, with the sort applied last: an order may
        # return a `core.pagination.Chain` of querysets, not one queryset.
        sort, order = None, ""
        for name, value in self.cleaned().items():
            if isinstance(self.filters[name], SortFilter):
                sort, order = self.filters[name], value
                continue
            queryset = self.filters[name].filter(queryset, value)
        if sort is None:
            sort = next((f for f in self.filters.values() if isinstance(f, SortFilter)), None)
        return sort.filter(queryset, order) if sort is not None else queryset

    @property
    def status_code(self):
        """400 when a filter could not be read (it is shown, not applied)."""
        return 400 if self.errors else 200

    @property
    def is_filtered(self):
        """Whether a filter narrows the list (sorting does not)."""
        return any(
            value not in (None, "")
            for name, value in self.cleaned().items()
            if not isinstance(self.filters[name], SortFilter)
        )

    @property
    def has_values(self):
        """Whether the query string sets any filter or sort, readable or not
        (the filter bar then offers to clear them)."""
        return any(self.data.get(name) not in (None, "") for name in self.filters)

    @property
    def sort_value(self):
        """The sort in effect ("" for the default order)."""
        return self.cleaned().get("sort") or ""

    @property
    def bar(self):
        """(bound field, column classes) for each filter, in the filter bar's order."""
        return [
            (self.form[name], SEARCH_COLUMNS if isinstance(field, SearchField) else FILTER_COLUMNS)
            for name, field in self.form.fields.items()
        ]
