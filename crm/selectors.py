"""Reads for the restaurant CRM's pages, scoped to one business."""

from restaurants.models import Restaurant
from restaurants.selectors import restaurant_search


def restaurant_page_list(*, business, user, search="", status="", mine=False):
    """Restaurants for the HTML list, with the assignee and call plan joined."""
    queryset = (
        Restaurant.objects.filter(business=business)
        .select_related("assigned_to", "call_plan")
        .order_by("name", "id")
    )
    if status:
        queryset = queryset.filter(status=status)
    if mine:
        queryset = queryset.filter(assigned_to=user)
    return restaurant_search(queryset, search, business=business)
