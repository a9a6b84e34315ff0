"""Reads for restaurant accounts, always scoped to one business."""

from .models import Restaurant, RestaurantStatusChange


def restaurant_list(*, business):
    return Restaurant.objects.filter(business=business).order_by("id")


def restaurant_status_history(*, restaurant):
    return RestaurantStatusChange.objects.filter(restaurant=restaurant).order_by(
        "-changed_at", "-id"
    )
