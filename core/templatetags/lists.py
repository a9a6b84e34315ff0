"""List pages (`{% load lists %}`): sortable column headings.

`{% sort_header filters "When" "start" "-start" %}` renders the <th> of a column
that sorts the list by the first of the given sort values (from the list's
`core.filters.SortFilter` whitelist), or by the next one when the list is
already sorted by it; the other filters stay and the page goes back to 1.
"""

from django import template

register = template.Library()


@register.inclusion_tag("includes/sort_header.html", takes_context=True)
def sort_header(context, filters, label, *values, css=""):
    sort = filters.filters["sort"]
    unknown = [value for value in values if value not in sort.orders]
    if not values or unknown:
        raise template.TemplateSyntaxError(f"sort_header: not in the sort whitelist: {unknown}")
    current = filters.sort_value
    active = current in values
    following = values[(values.index(current) + 1) % len(values)] if active else values[0]
    return {
        "request": context.get("request"),
        "label": label,
        "css": css,
        "active": active,
        "descending": sort.descending(current),
        "sort": following or None,
        "title": f"Sort: {sort.label_for(following)}",
    }
