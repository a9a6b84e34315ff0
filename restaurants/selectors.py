"""Reads for restaurant accounts, always scoped to one business."""

from django.db.models import Q

from core.phones import phone_search_q

from .models import Restaurant, RestaurantStatusChange


def restaurant_list(*, business):
    return Restaurant.objects.filter(business=business).order_by("id")


def restaurant_status_history(*, restaurant):
    return RestaurantStatusChange.objects.filter(restaurant=restaurant).order_by(
        "-changed_at", "-id"
    )


def restaurant_search(queryset, term, *, business):
    """Restaurants whose name or city contains `term`, or whose phone matches
    it (`core.phones.phone_search_q`). The CRM pages and the API search alike."""
    if not term:
        return queryset
    condition = Q(name__icontains=term) | Q(city__icontains=term)
    phone = phone_search_q("phone", term, business=business)
    if phone is not None:
        condition |= phone
    return queryset.filter(condition)
