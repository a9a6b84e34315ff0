"""Reads for restaurant accounts, always scoped to one business."""

from django.db.models import Q

from .models import Restaurant, RestaurantStatusChange


def restaurant_list(*, business):
    return Restaurant.objects.filter(business=business).order_by("id")


def restaurant_status_history(*, restaurant):
    return RestaurantStatusChange.objects.filter(restaurant=restaurant).order_by(
        "-changed_at", "-id"
    )


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
    search = search.strip()
    if search:
        queryset = queryset.filter(
            Q(name__icontains=search) | Q(city__icontains=search) | Q(phone__icontains=search)
        )
    return queryset
