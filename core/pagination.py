"""Paging of the HTML lists without counting every row on every load.

A list of a large business has tens of thousands of rows; `COUNT(*)` over
all of them on each page view costs more than the page itself. The
`Paginator` here counts at most `COUNT_AHEAD` rows past the start of the
requested page (`SELECT COUNT(*) FROM (… LIMIT n)`, which stops early on
the list's index): below that the total is exact, beyond it the page shows
"more than N" and a Next link, and the count moves on with the reader.

`Chain` lets a list show the rows of several querysets one after the other
(each in its own, index-friendly order) as one list, e.g. upcoming bookings
soonest first and then past ones most recent first, so neither half needs a
sort over every row (see `booking.filters.upcoming_first`).
"""

import math

from django.core import paginator as django_paginator
from django.utils.functional import cached_property

DEFAULT_PAGE_SIZE = 25
# Rows counted past the start of the page being read: 40 pages of 25.
COUNT_AHEAD = 1000


def _capped_count(rows, cap):
    """min(len(rows), cap), reading at most `cap` rows."""
    if isinstance(rows, Chain):
        return rows.capped_count(cap)
    if hasattr(rows, "order_by"):
        return rows.order_by()[:cap].count()
    return min(len(rows), cap)


class Chain:
    """The rows of `parts` (querysets, each already ordered), one part after
    the other, sliceable like one queryset (what the paginator needs)."""

    def __init__(self, *parts):
        self.parts = parts
        self.model = parts[0].model if parts else None
        self.ordered = True

    def capped_count(self, cap):
        total = 0
        for part in self.parts:
            if total >= cap:
                break
            total += _capped_count(part, cap - total)
        return min(total, cap)

    def count(self):
        return sum(part.count() for part in self.parts)

    def _each(self, method, *args, **kwargs):
        return Chain(*(getattr(part, method)(*args, **kwargs) for part in self.parts))

    def select_related(self, *fields):
        return self._each("select_related", *fields)

    def prefetch_related(self, *lookups):
        return self._each("prefetch_related", *lookups)

    def only(self, *fields):
        return self._each("only", *fields)

    def iterator(self, chunk_size=None):
        """The rows part after part, each read in chunks (an export streams them)."""
        for part in self.parts:
            yield from part.iterator(chunk_size=chunk_size)

    def __len__(self):
        return self.count()

    def __iter__(self):
        for part in self.parts:
            yield from part

    def __getitem__(self, index):
        if not isinstance(index, slice):
            rows = self[index : index + 1]
            if not rows:
                raise IndexError(index)
            return rows[0]
        start, stop = index.start or 0, index.stop
        rows = []
        for part in self.parts:
            if stop is not None and stop <= 0:
                break
            chunk = list(part[start:stop])
            rows.extend(chunk)
            if stop is not None and len(chunk) == stop - start:
                break  # the window ends inside this part
            # The part ends inside (or before) the window: its size moves the window.
            size = start + len(chunk) if chunk else _capped_count(part, start)
            start = max(0, start - size)
            stop = None if stop is None else stop - size
        return rows


class Paginator(django_paginator.Paginator):
    """Django's paginator with a count that stops `COUNT_AHEAD` rows past the
    page being read (`exact` tells whether the total is the whole list's)."""

    def __init__(self, object_list, per_page, *, count_ahead=COUNT_AHEAD, page_hint=1, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.count_ahead = count_ahead
        self.page_hint = page_hint

    def _check_object_list_is_ordered(self):
        if isinstance(self.object_list, Chain):
            return
        super()._check_object_list_is_ordered()

    @cached_property
    def _counted(self):
        limit = (max(self.page_hint, 1) - 1) * self.per_page + self.count_ahead
        counted = _capped_count(self.object_list, limit + 1)
        return counted, counted <= limit

    @cached_property
    def count(self):
        return self._counted[0]

    @property
    def exact(self):
        """Whether `count` is the whole list's (else there are more rows)."""
        return self._counted[1]

    @cached_property
    def num_pages(self):
        if self.count == 0 and not self.allow_empty_first_page:
            return 0
        hits = max(1, self.count - self.orphans)
        return math.ceil(hits / self.per_page)

    @property
    def count_label(self):
        """The total as shown: "1,234", or "more than 1,000"."""
        if self.exact:
            return f"{self.count:,}"
        return f"more than {self.count - 1:,}"


def paginate(request, queryset, per_page=DEFAULT_PAGE_SIZE):
    """The requested page of `queryset` (or a `Chain`); bad or out-of-range
    numbers give the nearest real page instead of an error."""
    number = request.GET.get("page")
    try:
        hint = int(number)
    except (TypeError, ValueError):
        hint = 1
    hint = min(max(hint, 1), 1_000_000)
    return Paginator(queryset, per_page, page_hint=hint).get_page(number)
