"""The restaurant CRM's pages for key account managers, under `/restaurants/`.

Every view is for signed-in people of a business (owners and members; only
the owner deletes a restaurant, as with bookings) and reads rows through
`account.tenancy`, so another business's restaurant, contact, interaction or
call plan is a 404. Forms post as plain HTML; the contacts and the call plan
card are also updated in place with htmx (`HX-Request`), where the view
answers with the card instead of a redirect.
"""

from django.shortcuts import redirect


def is_htmx(request):
    return request.headers.get("HX-Request") == "true"


def back_to(restaurant, anchor=""):
    """A redirect to the restaurant's page (at `anchor`)."""
    response = redirect("crm:detail", pk=restaurant.pk)
    if anchor:
        response["Location"] += f"#{anchor}"
    return response


def changes_orders_or_statuses(view):
    """For views that change orders or statuses: after a write, the board's
    cached order values are recomputed (`selectors.recent_order_values`):
    forgotten before the view runs (a board it draws is current) and after
    (a board drawn meanwhile by another request is not kept)."""
    from functools import wraps

    from track.performance import forget

    from ..selectors import forget_recent_order_values

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        writes = request.method in ("POST", "DELETE") and getattr(request, "business", None)
        if writes:
            forget_recent_order_values(request.business)
        response = view(request, *args, **kwargs)
        if writes:
            forget_recent_order_values(request.business)
            forget(request.business.pk)
        return response

    return wrapper
